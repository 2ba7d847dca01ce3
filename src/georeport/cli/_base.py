"""What every subcommand module shares: the type of the subparsers it registers on, and how output files are written."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias

__all__ = ["Subcommands", "output_file"]

if TYPE_CHECKING:
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Subcommands: TypeAlias = Any


@contextlib.contextmanager
def output_file(path: str | None, *, gzip_suffix: bool = False) -> Iterator[IO[bytes]]:
    """Standard output (``-`` or None), or a file written beside its place and moved there when complete.

    The file is written as ``<name>.part`` and renamed only when the block
    ends without an error, so a failed run never leaves a half-written file
    under the name asked for. With ``gzip_suffix``, a name ending ``.gz``
    (any case) is written gzip-compressed.
    """
    if path is None or path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        if gzip_suffix and path.lower().endswith(".gz"):
            import gzip  # noqa: PLC0415 - only when compressing

            with gzip.open(partial, "wb") as handle:
                yield handle  # type: ignore[misc]
        else:
            with partial.open("wb") as handle:
                yield handle
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
