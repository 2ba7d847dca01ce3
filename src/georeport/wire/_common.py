"""Pieces both wire formats use: sources, batching (with and without GC), kind detection (private)."""

from __future__ import annotations

import gc
import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import IO, Any, Literal, TypeVar

from georeport.models import DocumentKind
from georeport.wire._records import RECEIPT_FIELDS

__all__ = [
    "BATCH",
    "WRITE_BATCH",
    "PrefixedReader",
    "Source",
    "batched",
    "gc_paused",
    "kind_of_request_records",
    "read_all",
    "read_head",
    "sniff_markup",
    "without_gc",
    "write_json_array",
]

T = TypeVar("T")

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes] | IO[str]
"""What the readers take: the document itself (bytes or str), a path, or an open file."""

BATCH = 4096
"""Records built per batch with the cyclic garbage collector paused."""

WRITE_BATCH = 1000
"""Items a writer turns into text before writing them out."""

_RECEIPT_KEYS = frozenset(RECEIPT_FIELDS)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole document's records are built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items from ``items``, the last one shorter, built lazily.

    ``itertools.batched`` (Python 3.12) as lists, for the writers that turn a
    batch at a time into text. An error raised by ``items`` propagates when
    the batch it falls in is built (the items read before it in that batch
    are not yielded).

    Raises:
        ValueError: ``size`` is less than 1.
    """
    if size < 1:
        msg = f"batch size must be at least 1, not {size}"
        raise ValueError(msg)
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def without_gc(items: Iterable[T], size: int = BATCH) -> Iterator[T]:
    """Yield ``items``, building each batch of ``size`` with the garbage collector paused.

    Building millions of small objects triggers the cyclic collector over and
    over for nothing (records hold no cycles); pausing it while a batch is
    built, never while the caller runs, roughly halves the time. An error
    raised while building a batch comes after the items built before it.
    """
    iterator = iter(items)
    while True:
        batch: list[T] = []
        failure: BaseException | None = None
        enabled = gc.isenabled()
        gc.disable()
        try:
            batch.extend(islice(iterator, size))
        except Exception as error:  # noqa: BLE001 - re-raised below, after the good items
            failure = error
        finally:
            if enabled:
                gc.enable()
        yield from batch
        if failure is not None:
            raise failure
        if len(batch) < size:
            return


def read_head(stream: IO[bytes], size: int) -> bytes:
    """Up to ``size`` bytes from the start of ``stream``, however short its reads."""
    parts: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def sniff_markup(head: bytes) -> Literal["xml", "json"] | None:
    """``xml`` or ``json`` by the first byte of ``head`` that is not a BOM or white space; None for anything else.

    What the dump readers guess when no name or option says the format
    (None is CSV to them).
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    if stripped.startswith((b"[", b"{")):
        return "json"
    return None


def write_json_array(stream: IO[bytes], texts: Iterable[str], *, opening: str = "[", closing: str = "]") -> int:
    """Write ``opening``, the JSON ``texts`` one a line with commas between, then ``closing``; returns the count.

    The writers' JSON arrays (``write_dump``, the Bulk JSON, GeoJSON's
    features): UTF-8, encoded and written ``WRITE_BATCH`` items at a time, so
    memory stays constant. With no item the array is ``opening + closing``
    on one line.
    """
    parts = [opening]
    count = 0
    for text in texts:
        parts.append(",\n" + text if count else "\n" + text)
        count += 1
        if count % WRITE_BATCH == 0:
            stream.write("".join(parts).encode("utf-8"))
            parts = []
    parts.append(f"\n{closing}\n" if count else f"{closing}\n")
    stream.write("".join(parts).encode("utf-8"))
    return count


def read_all(source: Source) -> bytes | str:
    """The whole document: bytes and str as given, a path or file read to the end."""
    if isinstance(source, bytes | str):
        return source
    if isinstance(source, bytearray | memoryview):
        return bytes(source)
    if isinstance(source, os.PathLike):
        with open(source, "rb") as handle:  # noqa: PTH123 - os.PathLike, not only Path
            return handle.read()
    return source.read()


def open_binary(source: Source) -> tuple[IO[bytes], bool]:
    """A binary stream over ``source`` and whether the caller must close it."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source), True
    if isinstance(source, str):
        return io.BytesIO(source.encode("utf-8")), True
    if isinstance(source, os.PathLike):
        return open(source, "rb"), True  # noqa: PTH123 - the caller closes it
    if isinstance(source, io.TextIOBase):
        return _TextAsBytes(source), False  # type: ignore[return-value]
    return source, False  # type: ignore[return-value]


class _TextAsBytes(io.RawIOBase):
    """A text file seen as UTF-8 bytes, for readers that want bytes."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            data = self._pending + self._text.read().encode("utf-8")
            self._pending = b""
            return data
        while len(self._pending) < size:
            chunk = self._text.read(max(size, 8192))
            if not chunk:
                break
            self._pending += chunk.encode("utf-8")
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


class PrefixedReader(io.RawIOBase):
    """A stream whose first bytes were already read (to sniff them), put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data = self._head + self._rest.read()
                self._head = b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(-1 if size is None else size)


def kind_of_request_records(records: Iterable[dict[str, Any]]) -> DocumentKind:
    """Tell a requests list from a POST reply or a token reply by the records' fields.

    Records holding only ``service_request_id``/``token``/``service_notice``/
    ``account_id`` are replies: a token reply when one has both an id and a
    token (a POST reply must not), a POST reply otherwise. A list with no
    record is a requests list.
    """
    seen = False
    both = False
    for record in records:
        seen = True
        if not _RECEIPT_KEYS.issuperset(record):
            return DocumentKind.REQUESTS
        if record.get("service_request_id") not in (None, "") and record.get("token") not in (None, ""):
            both = True
    if not seen:
        return DocumentKind.REQUESTS
    return DocumentKind.TOKENS if both else DocumentKind.RECEIPTS
