"""Timing, tables and peak memory for the benchmark suites.

* ``best_of`` times a callable with ``time.perf_counter``: optional warm-up
  runs, then the best of ``repeat`` runs. The cyclic garbage collector stays
  on (users run with it on), but garbage from the previous run is collected
  before each timed run and the result is dropped after the clock stops, so
  runs do not pay for each other.
* ``Table`` prints rates (records/s, MB/s with MB = 10**6 bytes), peak RSS
  and the ratio of each row to the baseline it names, measured in the same
  process and run; a row with a target prints "target met"/"target NOT met".
  Nothing here asserts on timings.
* ``run_child`` runs a task in a fresh interpreter, so peaks of different
  measurements never mix. The child reports its own peak (``peak_rss``:
  ``VmHWM`` on Linux, ``ru_maxrss`` elsewhere); ``os.wait4`` gives the
  kernel's ``ru_maxrss`` for that one child too, but on Linux that number
  starts at the parent's RSS at the fork, so it is kept only for reference.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

MB = 1_000_000
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


@dataclass
class Timing:
    """The runs of one measurement; ``best`` is what tables report."""

    runs: list[float]

    @property
    def best(self) -> float:
        return min(self.runs)


def best_of(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> Timing:
    """Time ``fn()``: ``warmup`` untimed calls, then the best of ``repeat`` timed calls."""
    for _ in range(warmup):
        result = fn()
        del result
    runs: list[float] = []
    for _ in range(max(1, repeat)):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        del result  # freed outside the clock
        runs.append(elapsed)
    return Timing(runs)


@dataclass
class Row:
    case: str
    seconds: float | None
    records: int | None = None
    nbytes: int | None = None
    peak_rss: int | None = None
    vs: str | tuple[str, ...] | None = None  # the case(s) this row's rate is compared with; the first has the target
    target: float | None = None  # minimum ratio wanted over the first baseline (rate / baseline rate)
    rss_limit: int | None = None  # maximum peak RSS wanted, bytes
    note: str = ""
    ratios: list[tuple[str, float | None]] = field(default_factory=list, init=False)

    @property
    def baselines(self) -> tuple[str, ...]:
        if self.vs is None:
            return ()
        return (self.vs,) if isinstance(self.vs, str) else self.vs

    @property
    def ratio(self) -> float | None:
        return self.ratios[0][1] if self.ratios else None

    @property
    def records_per_s(self) -> float | None:
        return self.records / self.seconds if self.records and self.seconds else None

    @property
    def mb_per_s(self) -> float | None:
        return self.nbytes / MB / self.seconds if self.nbytes and self.seconds else None

    def rate(self) -> float | None:
        return self.records_per_s or self.mb_per_s


@dataclass
class Table:
    """Rows of one suite; ratios are rates over the named baseline's rate."""

    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, case: str, seconds: float | None, **kwargs: Any) -> Row:
        row = Row(case, seconds, **kwargs)
        self.rows.append(row)
        return row

    def _resolve(self) -> None:
        by_case = {row.case: row for row in self.rows}
        for row in self.rows:
            row.ratios = []
            for name in row.baselines:
                base = by_case.get(name)
                mine, theirs = row.rate(), base.rate() if base else None
                row.ratios.append((name, mine / theirs if mine and theirs else None))

    def verdicts(self) -> list[str]:
        """One line per target: what was wanted, what was measured, met or not."""
        self._resolve()
        lines = []
        for row in self.rows:
            if row.target is not None:
                got = f"{row.ratio:.2f}x" if row.ratio is not None else "n/a"
                met = row.ratio is not None and row.ratio >= row.target
                lines.append(
                    f"{'target met' if met else 'target NOT met'}: {row.case} = {got} {row.baselines[0]} (target >= {row.target:g}x)"
                )
            if row.rss_limit is not None:
                got = _mb(row.peak_rss) if row.peak_rss is not None else "n/a"
                met = row.peak_rss is not None and row.peak_rss < row.rss_limit
                lines.append(
                    f"{'target met' if met else 'target NOT met'}: {row.case} peak RSS = {got} (target < {row.rss_limit / MB:g} MB)"
                )
        return lines

    def render(self) -> str:
        self._resolve()
        header = ("case", "best s", "records/s", "MB/s", "peak RSS", "ratio (our rate / baseline rate)", "note")
        body = [
            (
                row.case,
                f"{row.seconds:.3f}" if row.seconds is not None else "",
                f"{row.records_per_s:,.0f}" if row.records_per_s else "",
                f"{row.mb_per_s:.1f}" if row.mb_per_s else "",
                _mb(row.peak_rss) if row.peak_rss is not None else "",
                "; ".join(f"{ratio:.2f}x {name}" if ratio is not None else f"n/a {name}" for name, ratio in row.ratios),
                row.note,
            )
            for row in self.rows
        ]
        widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
        numeric = {1, 2, 3, 4}

        def fmt(line: Sequence[str]) -> str:
            cells = [
                cell.rjust(w) if i in numeric else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            ]
            return "| " + " | ".join(cells) + " |"

        rule = (
            "|"
            + "|".join(("-" * (w + 1) + ":") if i in numeric else ("-" * (w + 2)) for i, w in enumerate(widths))
            + "|"
        )
        return "\n".join([f"### {self.title}", "", fmt(header), rule, *(fmt(line) for line in body)])

    def print(self) -> None:
        print(self.render())
        print()
        for line in self.verdicts():
            print(line)
        print(flush=True)


def _mb(nbytes: int) -> str:
    return f"{nbytes / MB:,.1f} MB"


# --- memory ---------------------------------------------------------------------------------
def run_child(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh interpreter; its JSON answer plus its peak RSS.

    The child prints one JSON object as its last line of output, with
    ``peak_rss`` (bytes, see ``peak_rss``) when it used ``child_answer``.
    ``ru_maxrss`` is the child's ``getrusage`` peak as ``os.wait4`` reports it
    for that one process (on Linux it includes this process's RSS at the
    fork, so ``peak_rss`` is what tables show), and ``wall`` the seconds it
    ran, start-up included.

    Raises:
        RuntimeError: the child failed (its stderr is in the message).
    """
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH120, PTH100
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([sys.executable, "-m", module, *args], stdout=subprocess.PIPE, stderr=errors, cwd=root)
        assert child.stdout is not None
        out = child.stdout.read()
        child.stdout.close()
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if child.returncode:
        msg = f"python -m {module} {' '.join(args)} exited {child.returncode}:\n{err}"
        raise RuntimeError(msg)
    answer: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    answer["wall"] = wall
    answer["ru_maxrss"] = usage.ru_maxrss * _RSS_UNIT  # includes this process's RSS at the fork (Linux)
    answer.setdefault("peak_rss", answer["ru_maxrss"])
    return answer


def peak_rss() -> int:
    """This process's peak RSS in bytes since it started its program.

    On Linux that is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss`` there
    starts at the RSS of the parent at the moment of the fork (the kernel
    carries the old address space's high-water mark across ``exec``), so a
    child spawned by a 600 MB benchmark process would report at least 600 MB.
    Elsewhere, ``resource.getrusage(RUSAGE_SELF).ru_maxrss``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _RSS_UNIT


def child_answer(**fields: Any) -> None:
    """Print a child's answer (the last line ``run_child`` reads), with its own peak RSS."""
    fields.setdefault("peak_rss", peak_rss())
    print(json.dumps(fields), flush=True)


# --- command line -----------------------------------------------------------------------------
def parser(description: str, *, n: int = 100_000, repeat: int = 5) -> argparse.ArgumentParser:
    """The options every suite takes."""
    cli = argparse.ArgumentParser(description=description)
    cli.add_argument("--n", type=int, default=n, help=f"requests in the generated document (default {n:,})")
    cli.add_argument("--repeat", type=int, default=repeat, help=f"timed runs; the best is reported (default {repeat})")
    cli.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    cli.add_argument("--seed", type=int, default=311, help="data generator seed (default 311)")
    return cli


def run_cli(description: str, run: Callable[[int, int, int, int], Sequence[Table]], argv: list[str] | None) -> int:
    """The command line of a parse suite: options, the machine line, then each table."""
    args = parser(description).parse_args(argv)
    print(machine())
    for table in run(args.n, args.repeat, args.warmup, args.seed):
        table.print()
    return 0


def machine() -> str:
    """One line about where the numbers come from."""
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"

    from lxml import etree

    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; open311-georeport {version('open311-georeport')}, orjson {version('orjson')}, "
        f"xmltodict {version('xmltodict')}, lxml {'.'.join(map(str, etree.LXML_VERSION[:3]))} "
        f"(libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))})"
    )
