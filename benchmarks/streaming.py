"""Streaming: ``georeport.iter_requests`` over a large dump, in constant memory.

    python -m benchmarks.streaming [--size-mb 1000] [--formats xml,json] [--n 100000] [--repeat 3]

For each format: write a generated dump of ``--size-mb`` MB (10**6 bytes)
under a temporary directory, then in a fresh interpreter stream it with
``georeport.iter_requests(path)``, counting records, and report records/s,
MB/s and that process's peak RSS. Target: peak RSS < 200 MB for a 1 GB dump.

For scale, the same is compared with the whole-document ``georeport.load``
on a ``--n`` subset: in this process (best of ``--repeat``, the document in
memory as bytes) and in fresh processes reading a file (peak RSS of holding
the whole typed document). A fresh interpreter that only imports georeport
gives the RSS floor.

The directory needs free space of at least 3x ``--size-mb`` (checked with
``shutil.disk_usage`` first; the run refuses otherwise). One big file exists
at a time, and everything is deleted afterwards (``--keep`` keeps it).
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import georeport
from benchmarks import _data
from benchmarks._harness import MB, Table, best_of, machine, parser, run_child

RSS_LIMIT_MB = 200


def _in_memory_rows(
    table: Table, format_: _data.Format, n: int, repeat: int, warmup: int, seed: int
) -> tuple[str, bytes]:
    data = _data.document(n, format_, seed=seed)
    _data.check_clean(data, format_, n)

    def stream() -> int:
        return sum(1 for _ in georeport.iter_requests(io.BytesIO(data), format=format_))

    load_case = f"[{format_}] load(bytes), {n:,} in memory"
    load = best_of(lambda: georeport.load(data, format=format_), repeat=repeat, warmup=warmup)
    table.add(load_case, load.best, records=n, nbytes=len(data), note="this process, best of runs")
    streamed = best_of(stream, repeat=repeat, warmup=warmup)
    table.add(
        f"[{format_}] iter_requests(BytesIO), {n:,} in memory",
        streamed.best,
        records=n,
        nbytes=len(data),
        vs=load_case,
        note="this process, best of runs",
    )
    return load_case, data


def _child_row(table: Table, case: str, answer: dict[str, Any], **kwargs: Any) -> None:
    table.add(
        case,
        answer["seconds"],
        records=answer["records"],
        nbytes=answer["bytes"],
        peak_rss=answer["peak_rss"],
        **kwargs,
    )
    if answer.get("warnings"):
        print(f"WARNING: {case}: {answer['warnings']} dialect warnings on generated data", flush=True)


def run(
    size_mb: float,
    formats: list[_data.Format],
    n: int,
    repeat: int,
    warmup: int = 1,
    seed: int = 311,
    directory: str | None = None,
    keep: bool = False,
) -> list[Table] | None:
    size = int(size_mb * MB)
    parent = Path(directory or tempfile.gettempdir())
    free = shutil.disk_usage(parent).free
    if free < 3 * size:
        print(
            f"streaming: refused: {parent} has {free / MB:,.0f} MB free, needs 3x {size_mb:,g} MB = {3 * size / MB:,.0f} MB",
            flush=True,
        )
        return None
    table = Table(f"Streaming: iter_requests over a {size_mb:,g} MB dump vs whole-document load on {n:,}")
    idle = run_child("benchmarks._child", "idle")
    table.add("fresh interpreter, import georeport only", None, peak_rss=idle["peak_rss"], note="RSS floor")
    work = Path(tempfile.mkdtemp(prefix="georeport-bench-", dir=parent))
    try:
        for format_ in formats:
            print(f"streaming [{format_}]: {n:,} requests in memory...", flush=True)
            load_case, data = _in_memory_rows(table, format_, n, repeat, warmup, seed)
            subset = work / f"subset.{format_}"
            subset.write_bytes(data)
            del data
            _child_row(
                table,
                f"[{format_}] load(path), {n:,} file, fresh process",
                run_child("benchmarks._child", "load", str(subset), format_),
                vs=load_case,
            )
            _child_row(
                table,
                f"[{format_}] iter_requests(path), {n:,} file, fresh process",
                run_child("benchmarks._child", "stream", str(subset), format_),
                vs=load_case,
            )
            subset.unlink()

            big = work / f"dump.{format_}"
            print(f"streaming [{format_}]: writing a {size_mb:,g} MB dump to {big}...", flush=True)
            start = time.perf_counter()
            count, written = _data.write_file(big, format_, size, seed=seed)
            print(
                f"streaming [{format_}]: wrote {count:,} requests, {written / MB:,.1f} MB in {time.perf_counter() - start:.1f} s; streaming it in a fresh process...",
                flush=True,
            )
            answer = run_child("benchmarks._child", "stream", str(big), format_)
            if answer["records"] != count:
                print(f"WARNING: streamed {answer['records']:,} of {count:,} requests", flush=True)
            _child_row(
                table,
                f"[{format_}] iter_requests(path), {written / MB:,.0f} MB file, fresh process",
                answer,
                vs=load_case,
                rss_limit=RSS_LIMIT_MB * MB if size_mb >= 1000 else None,
                note=f"{count:,} requests",
            )
            if not keep:
                big.unlink()
    finally:
        if keep:
            print(f"streaming: kept {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return [table]


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0], repeat=3)
    cli.add_argument(
        "--size-mb", type=float, default=1000, help="size of each dump in MB of 10**6 bytes (default 1000: 1 GB)"
    )
    cli.add_argument("--formats", default="xml,json", help="comma-separated: xml, json (default both)")
    cli.add_argument("--dir", default=None, help="where to write the dumps (default: the system temp dir)")
    cli.add_argument("--keep", action="store_true", help="keep the dumps afterwards")
    args = cli.parse_args(argv)
    formats = [name.strip() for name in args.formats.split(",") if name.strip()]
    if any(name not in ("xml", "json") for name in formats):
        cli.error(f"--formats takes xml and/or json, got {args.formats!r}")
    print(machine())
    tables = run(args.size_mb, formats, args.n, args.repeat, args.warmup, args.seed, args.dir, args.keep)  # type: ignore[arg-type]
    if tables is None:
        return 1
    for table in tables:
        table.print()
    if args.size_mb < 1000:
        print(f"(the < {RSS_LIMIT_MB} MB peak RSS target is for a 1 GB dump: run with --size-mb 1000 to check it)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
