"""A progress bar on stderr for any subcommand's long work (private to the command line).

Shown only when it helps: on a terminal (or when forced with ``force=True``,
the ``--progress`` flags, or ``GEOREPORT_PROGRESS=1``; ``GEOREPORT_PROGRESS=0``
hides it), and only once the work has run for ``delay`` seconds (one by
default; ``GEOREPORT_PROGRESS_DELAY`` overrides it), so quick commands print
nothing extra. Redrawn at most ten times a second. Use::

    with Progress("convert", total=size, unit="bytes") as bar:
        for chunk in work:
            bar.advance(len(chunk))

or let it count a file's bytes as a reader consumes them::

    with Progress("convert", total=size, unit="bytes") as bar:
        stream = bar.reading(open(path, "rb"))
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from typing import IO, TextIO

__all__ = ["Progress", "add_progress_option"]

_WIDTH = 24
_REDRAW = 0.1


def add_progress_option(parser: argparse.ArgumentParser) -> None:
    """Give a subcommand ``--progress``/``--no-progress`` (None when neither: the bar decides)."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: on a terminal, after a second)",
    )


def _env_force() -> bool | None:
    value = os.environ.get("GEOREPORT_PROGRESS", "").strip().lower()
    if value in ("1", "true", "yes", "on", "always"):
        return True
    if value in ("0", "false", "no", "off", "never"):
        return False
    return None


def _env_delay(default: float) -> float:
    try:
        return float(os.environ["GEOREPORT_PROGRESS_DELAY"])
    except (KeyError, ValueError):
        return default


def _amount(value: float, unit: str) -> str:
    if unit == "bytes":
        for size, name in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
            if value >= size:
                return f"{value / size:,.1f} {name}"
        return f"{value:,.0f} B"
    return f"{value:,.0f} {unit}".rstrip()


class Progress:
    """A progress bar for work of known (``total``) or unknown size.

    Args:
        label: what is being done, shown first (``"convert"``).
        total: the amount of work, in ``unit``; None when unknown (a count
            and a rate are shown instead of a bar).
        unit: ``"bytes"`` (shown as kB/MB/GB) or a noun (``"requests"``).
        force: True shows it off a terminal too; False never; None decides
            by ``GEOREPORT_PROGRESS`` or whether ``stream`` is a terminal.
        stream: where to draw (stderr by default).
        delay: seconds of work before it appears.
    """

    def __init__(  # noqa: PLR0913 - each is the caller's to set
        self,
        label: str,
        *,
        total: float | None = None,
        unit: str = "",
        force: bool | None = None,
        stream: TextIO | None = None,
        delay: float = 1.0,
    ) -> None:
        """Start the clock; nothing is drawn before ``delay`` seconds."""
        self.label = label
        self.total = total or None
        self.unit = unit
        self.done = 0.0
        self._stream = stream or sys.stderr
        wanted = force if force is not None else _env_force()
        if wanted is None:
            wanted = bool(getattr(self._stream, "isatty", lambda: False)())
        self.enabled = wanted
        self._delay = _env_delay(delay)
        self._start = time.monotonic()
        self._drawn_at = 0.0
        self.shown = False

    def advance(self, amount: float = 1) -> None:
        """Count ``amount`` more work done, and redraw if it is time."""
        self.done += amount
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < self._delay or now - self._drawn_at < _REDRAW:
            return
        self._drawn_at = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self._start, 1e-9)
        rate = f"{_amount(self.done / elapsed, self.unit)}/s"
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * _WIDTH)
            bar = "#" * filled + "." * (_WIDTH - filled)
            text = f"{self.label} [{bar}] {share:4.0%} {_amount(self.done, self.unit)} of {_amount(self.total, self.unit)}, {rate}"
        else:
            text = f"{self.label}: {_amount(self.done, self.unit)}, {rate}"
        self._stream.write("\r" + text + " " * 4)
        self._stream.flush()
        self.shown = True

    def reading(self, stream: IO[bytes]) -> IO[bytes]:
        """``stream`` as a file whose reads advance the bar by the bytes read."""
        return _Counting(stream, self)  # type: ignore[return-value]

    def close(self) -> None:
        """Draw the final state and end the line, if the bar was shown."""
        if self.shown:
            self._draw(time.monotonic())
            self._stream.write("\n")
            self._stream.flush()
            self.shown = False

    def __enter__(self) -> Progress:
        """Use as a context manager: closed on the way out."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """End the bar's line."""
        self.close()


class _Counting(io.RawIOBase):
    """A binary file whose reads advance a progress bar; seeks pass through (zip needs them)."""

    def __init__(self, inner: IO[bytes], progress: Progress) -> None:
        self._inner = inner
        self._progress = progress
        self.name = getattr(inner, "name", None)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(self._inner.seekable())

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def read(self, size: int | None = -1) -> bytes:
        data = self._inner.read(-1 if size is None else size)
        self._progress.advance(len(data))
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()
