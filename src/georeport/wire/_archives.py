"""Compressed inputs: gzip and zip dumps read directly, told by their first bytes (private).

A dump is often published compressed (``requests.csv.gz``, a city's
``311.zip``). ``open_input`` opens any reader source and, when its first
bytes are a gzip or zip signature, returns the decompressed stream instead,
so every reader streams compressed files in constant memory. It also returns
the name of the document inside (``requests.csv`` for ``requests.csv.gz``,
the member's name for a zip), from which the format is told.

Only the path given is opened, for reading (the wire layer's one exception,
see docs/design.md).
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from typing import IO, Any

from georeport.errors import ParseError
from georeport.wire._common import PrefixedReader, Source, open_binary, read_head

__all__ = ["Opened", "inner_name", "open_input"]

_GZIP = b"\x1f\x8b"
_ZIP = b"PK\x03\x04"


class Opened:
    """A binary stream to read, what must be closed afterwards, and the document's name."""

    __slots__ = ("_closers", "name", "stream")

    def __init__(self, stream: IO[bytes], name: str | None, closers: list[Any]) -> None:
        self.stream = stream
        self.name = name
        self._closers = closers

    def close(self) -> None:
        """Close what was opened here (a file object the caller passed stays open)."""
        for closer in reversed(self._closers):
            closer.close()
        self._closers = []


def inner_name(name: str) -> str:
    """The document's name inside a compressed file's name: ``a.csv.gz`` -> ``a.csv``."""
    lowered = name.lower()
    for suffix in (".gz", ".gzip"):
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _source_name(source: Source) -> str | None:
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def open_input(source: Source, *, member: str | None = None) -> Opened:
    """Open ``source`` for streaming, decompressing gzip and zip on the fly.

    Args:
        source: bytes, str, an ``os.PathLike`` path or a file object.
        member: the file to read inside a zip archive; needed only when the
            archive holds more than one file.

    Raises:
        ParseError: a zip archive that is not readable, holds no file, or
            holds several and ``member`` does not name one of them.
        OSError: the path cannot be opened.
    """
    stream, owned = open_binary(source)
    closers: list[Any] = [stream] if owned else []
    name = _source_name(source)
    head = read_head(stream, 4)
    if head.startswith(_GZIP):
        unzipped = gzip.GzipFile(fileobj=PrefixedReader(head, stream), mode="rb")
        closers.append(unzipped)
        return Opened(io.BufferedReader(_GzipChecked(unzipped)), inner_name(name) if name else None, closers)
    if head.startswith(_ZIP):
        try:
            return _open_zip(source, stream, head, closers, member)
        except BaseException:
            for closer in closers:
                closer.close()
            raise
    return Opened(PrefixedReader(head, stream), name, closers)  # type: ignore[arg-type]


def _open_zip(source: Source, stream: IO[bytes], head: bytes, closers: list[Any], member: str | None) -> Opened:
    """The file inside a zip archive (the one there is, or ``member``)."""
    if isinstance(source, os.PathLike):
        stream.close()
        closers.clear()
        handle: IO[bytes] = open(source, "rb")  # noqa: PTH123, SIM115 - closed by Opened.close
        closers.append(handle)
    else:
        # A zip's directory is at its end: it needs a seekable stream.
        seekable = stream.seekable() if hasattr(stream, "seekable") else False
        if seekable:
            stream.seek(stream.tell() - len(head))
            handle = stream
        else:
            handle = io.BytesIO(head + stream.read())
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as error:
        msg = f"not a readable zip archive: {error}"
        raise ParseError(msg, format="zip") from None
    closers.append(archive)
    files = [info.filename for info in archive.infolist() if not info.is_dir()]
    if member is None:
        if len(files) != 1:
            msg = f"the zip archive holds {len(files)} files; name one with member= (files: {files[:10]})"
            raise ParseError(msg, format="zip")
        member = files[0]
    elif member not in files:
        msg = f"the zip archive has no file {member!r} (files: {files[:10]})"
        raise ParseError(msg, format="zip")
    inner = archive.open(member)
    closers.append(inner)
    return Opened(inner, member, closers)


class _GzipChecked(io.RawIOBase):
    """A gzip stream whose corruption surfaces as ``ParseError``, not ``BadGzipFile``/``EOFError``."""

    def __init__(self, inner: gzip.GzipFile) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (OSError, EOFError) as error:
            msg = f"a damaged gzip stream: {error}"
            raise ParseError(msg, format="gzip") from None
        buffer[: len(data)] = data
        return len(data)
