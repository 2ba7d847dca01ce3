"""Dumps of any size in any format: read, write, de-duplicate, split into partitions.

The formats, by name (``DumpFormat``):

==============  ================================================  ============
name            what                                              file names
==============  ================================================  ============
``xml``         GeoReport v2 XML, ``<service_requests>``           ``.xml``
``json``        GeoReport v2 JSON: arrays, pages appended, a       ``.json``
                wrapper object, JSON Lines
``jsonl``       JSON Lines, one request a line                    ``.jsonl``, ``.ndjson``
``bulk-csv``    GeoReport Bulk CSV                                ``.csv``
``bulk-json``   GeoReport Bulk JSON                               ``.bulk.json``
``bulk-xml``    GeoReport Bulk XML                                ``.bulk.xml``
``geojson``     a FeatureCollection of requests                   ``.geojson``
``csv``         a city export read through a ``ColumnMapping``    (with a mapping)
==============  ================================================  ============

A ``.gz`` or ``.zip`` file is read directly, its format told from the name
inside. ``iter_dump`` streams any of them (GeoJSON excepted) in constant memory;
``write_dump`` writes any but ``csv`` as a stream. ``deduplicate`` keeps the
latest version of each request harvested more than once; ``partitions``
splits files, and large XML, JSON Lines and CSV files at record boundaries,
into byte ranges that ``iter_partition`` reads independently (for Dask, see
``georeport.dask``).
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import IO, Final, Literal, get_args

import attrs

from georeport.errors import ParseError
from georeport.models import ServiceRequest, ServiceRequestList
from georeport.wire._archives import Opened, inner_name, open_input
from georeport.wire._common import (
    WRITE_BATCH,
    PrefixedReader,
    Source,
    batched,
    read_head,
    sniff_markup,
    write_json_array,
)
from georeport.wire._csv import CsvRows
from georeport.wire._json_stream import iter_json_requests
from georeport.wire._readers import DumpReader, default_zone
from georeport.wire._records import REQUEST_FIELDS, RecordBuilder
from georeport.wire._repairs import Repairs
from georeport.wire._xml_pages import iter_xml_pages
from georeport.wire.bulk import DEFAULT_STATUSES, BulkEncoding, StatusMapping, _BulkBuilder, _csv_records, write_bulk
from georeport.wire.columns import ColumnMapping, _ColumnBuilder, _Plan, _records
from georeport.wire.geojson import from_geojson, write_geojson
from georeport.wire.json import plain
from georeport.wire.xml import _record

__all__ = [
    "DEFAULT_PARTITION_BYTES",
    "DUMP_FORMATS",
    "WRITE_FORMATS",
    "DedupeCounts",
    "Deduplicator",
    "DumpFormat",
    "DumpReader",
    "Partition",
    "deduplicate",
    "dump_format",
    "iter_dump",
    "iter_partition",
    "partitions",
    "write_dump",
]

DumpFormat = Literal["xml", "json", "jsonl", "bulk-csv", "bulk-json", "bulk-xml", "geojson", "csv"]
"""A dump format's name, as ``iter_dump`` and ``write_dump`` take it (``csv``: a city export, read only)."""
DUMP_FORMATS: Final[tuple[str, ...]] = get_args(DumpFormat)
"""Every format ``iter_dump`` reads."""
WRITE_FORMATS: Final[tuple[str, ...]] = tuple(name for name in DUMP_FORMATS if name != "csv")
"""Every format ``write_dump`` writes (a city ``csv`` is read only)."""

_SUFFIXES: Final = (
    (".bulk.json", "bulk-json"),
    (".bulk.xml", "bulk-xml"),
    (".bulk.csv", "bulk-csv"),
    (".geojson", "geojson"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".xml", "xml"),
    (".csv", "bulk-csv"),
)


def dump_format(name: str | os.PathLike[str], *, mapping: bool = False) -> DumpFormat | None:
    """The format a file name says (``.gz`` looked through), or None.

    ``.csv`` is ``bulk-csv``, or ``csv`` (a city export) when ``mapping``
    says a column mapping will read it.

    Examples:
        >>> dump_format("harvest.json.gz"), dump_format("louisville.bulk.xml"), dump_format("nyc.csv", mapping=True)
        ('json', 'bulk-xml', 'csv')
        >>> print(dump_format("notes.txt"))
        None
    """
    lowered = inner_name(os.fspath(name)).lower()
    for suffix, found in _SUFFIXES:
        if lowered.endswith(suffix):
            if found == "bulk-csv" and mapping and not lowered.endswith(".bulk.csv"):
                return "csv"
            return found  # type: ignore[return-value]
    return None


def _reader(  # noqa: PLR0913 - one dispatch for every format
    opened: Opened,
    stream: IO[bytes],
    chosen: str,
    *,
    strict: bool,
    default_timezone: tzinfo | str | None,
    statuses: StatusMapping,
    mapping: ColumnMapping | None,
) -> DumpReader:
    zone = default_zone(default_timezone)
    repairs = Repairs(strict=strict, format=chosen)
    records: Iterator[ServiceRequest]
    if chosen in ("xml", "json", "jsonl"):
        builder = RecordBuilder(repairs, textual=chosen == "xml", default_timezone=zone)
        records = iter_xml_pages(stream, builder) if chosen == "xml" else iter_json_requests(stream, builder)
    elif chosen.startswith("bulk-"):
        encoding = chosen[5:]
        bulk = _BulkBuilder(repairs, textual=encoding != "json", default_timezone=zone, statuses=statuses)
        if encoding == "csv":
            records = _csv_records(stream, bulk, chosen)
        elif encoding == "json":
            records = iter_json_requests(stream, bulk)
        else:
            records = iter_xml_pages(stream, bulk)
    elif chosen == "csv":
        if mapping is None:
            msg = "format 'csv' (a city export) needs a ColumnMapping: pass mapping="
            raise ValueError(msg)
        records = _city_records(stream, mapping, repairs)
    elif chosen == "geojson":
        records = iter(from_geojson(stream.read(), strict=strict))
    else:
        msg = f"format must be one of {', '.join(DUMP_FORMATS)} (got {chosen!r})"
        raise ValueError(msg)
    return DumpReader(opened, repairs, records, format=chosen)


def _city_records(stream: IO[bytes], mapping: ColumnMapping, repairs: Repairs) -> Iterator[ServiceRequest]:
    rows = CsvRows(stream, format="csv")
    try:
        if rows.header:
            yield from _records(rows, _Plan(mapping, rows.header, "csv"), _ColumnBuilder(repairs, mapping.statuses))
    finally:
        rows.detach()


def iter_dump(  # noqa: PLR0913 - each option is the caller's to set
    source: Source,
    *,
    format: DumpFormat | None = None,  # noqa: A002 - the library's name for it
    mapping: ColumnMapping | None = None,
    strict: bool = False,
    default_timezone: tzinfo | str | None = None,
    statuses: StatusMapping = DEFAULT_STATUSES,
    member: str | None = None,
) -> DumpReader:
    r"""Stream the service requests of a dump in any format, in constant memory.

    Args:
        source: bytes, str, an ``os.PathLike`` path (``.gz`` and ``.zip``
            read directly) or a binary file.
        format: one of ``DumpFormat``; told from the file name, else from the
            first character (``<`` XML, ``[``/``{`` JSON, else Bulk CSV), when None.
        mapping: the column mapping of a city export (implies ``"csv"``).
        strict: refuse what the format forbids; problems are raised together
            when the stream ends.
        default_timezone: the zone of datetimes sent without one.
        statuses: how Bulk ``status_description`` maps onto open/closed.
        member: the file to read inside a zip archive holding several.

    Returns:
        A ``DumpReader`` (``count``, ``warnings``, ``format``).

    Raises:
        ParseError: while iterating, at the first record that cannot be read.
        ValueError: an unknown format, or ``"csv"`` without a mapping.

    Examples:
        >>> reader = iter_dump(b'{"service_request_id": "1"}\n{"service_request_id": "2"}\n', format="jsonl")
        >>> [r.service_request_id for r in reader], reader.count
        (['1', '2'], 2)
    """
    opened = open_input(source, member=member)
    try:
        head = read_head(opened.stream, 512)
        stream: IO[bytes] = PrefixedReader(head, opened.stream)  # type: ignore[assignment]
        chosen: str | None = format or ("csv" if mapping is not None else None)
        if chosen is None and opened.name:
            chosen = dump_format(opened.name)
        if chosen is None:
            chosen = sniff_markup(head) or "bulk-csv"
        return _reader(
            opened,
            stream,
            chosen,
            strict=strict,
            default_timezone=default_timezone,
            statuses=statuses,
            mapping=mapping,
        )
    except BaseException:
        opened.close()
        raise


# --- writing ---------------------------------------------------------------------------
def _json_text(value: object) -> str:
    import json  # noqa: PLC0415 - the standard library, cheap

    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def write_dump(
    requests: Iterable[ServiceRequest],
    stream: IO[bytes],
    *,
    format: DumpFormat,  # noqa: A002
    columns: Sequence[str] | None = None,
) -> int:
    """Write requests to a binary ``stream`` in ``format``, a batch at a time; returns the count.

    ``xml`` and ``json`` are the GeoReport v2 documents (every standard field,
    then the extensions), ``jsonl`` one v2 JSON object a line, ``bulk-*`` the
    Bulk format (``columns`` chooses its columns), ``geojson`` a
    FeatureCollection. A city ``csv`` is read-only: write ``bulk-csv``.

    Raises:
        ValidationError: a text the format cannot carry.
        ValueError: an unknown or read-only format.
    """
    if format.startswith("bulk-"):
        encoding: BulkEncoding = format[5:]  # type: ignore[assignment]
        if columns is None:
            return write_bulk(requests, stream, encoding=encoding)
        return write_bulk(requests, stream, encoding=encoding, columns=columns)
    if format == "geojson":
        return write_geojson(requests, stream)
    count = 0
    if format == "xml":
        stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>\n')
        for batch in batched(requests, WRITE_BATCH):
            parts: list[str] = []
            for request in batch:
                _record(parts, "request", request, REQUEST_FIELDS)
                parts.append("\n")
            stream.write("".join(parts).encode("utf-8"))
            count += len(batch)
        stream.write(b"</service_requests>\n")
        return count
    if format in ("json", "jsonl"):
        texts = (
            _json_text(item) for batch in batched(requests, WRITE_BATCH) for item in plain(ServiceRequestList(batch))
        )
        if format == "json":
            return write_json_array(stream, texts)
        for lines in batched(texts, WRITE_BATCH):
            stream.write(("\n".join(lines) + "\n").encode("utf-8"))
            count += len(lines)
        return count
    msg = f"cannot write format {format!r}: use one of {', '.join(WRITE_FORMATS)}"
    raise ValueError(msg)


# --- de-duplication --------------------------------------------------------------------
@attrs.define
class DedupeCounts:
    """What ``deduplicate`` did.

    Attributes:
        read: records given.
        kept: records returned (``unique`` ids plus ``without_id``).
        unique: distinct request ids.
        duplicates: records dropped because their id came again
            (``read - kept``).
        replaced: times a later version replaced the one kept so far.
        without_id: records with no ``service_request_id`` (all kept).
    """

    read: int = 0
    kept: int = 0
    unique: int = 0
    duplicates: int = 0
    replaced: int = 0
    without_id: int = 0


class Deduplicator:
    """Keeps the latest version of each request id, fed one record at a time.

    The version kept is the one with the latest ``updated_datetime``
    (compared as instants, whatever their offsets); a version without one
    loses to any version with one; between equals the one read later wins
    (a later page is a later harvest). Records keep the position of their id's
    first appearance. Memory grows with the number of distinct ids.
    """

    def __init__(self) -> None:
        """Start empty."""
        self._by_id: dict[str, tuple[float | None, ServiceRequest]] = {}
        self._anonymous: list[ServiceRequest] = []
        self._counts = DedupeCounts()

    def add(self, request: ServiceRequest) -> None:
        """Take one record."""
        self._counts.read += 1
        key = request.service_request_id
        if key is None:
            self._anonymous.append(request)
            return
        updated = request.updated_datetime
        stamp = None if updated is None else updated.timestamp()
        found = self._by_id.get(key)
        if found is None:
            self._by_id[key] = (stamp, request)
            return
        if stamp is None and found[0] is not None:
            return
        if found[0] is None or stamp is None or stamp >= found[0]:
            self._by_id[key] = (stamp, request)
            self._counts.replaced += 1

    def add_many(self, requests: Iterable[ServiceRequest]) -> None:
        """Take many records (the twin of ``add``)."""
        for request in requests:
            self.add(request)

    @property
    def counts(self) -> DedupeCounts:
        """The counts so far."""
        counts = attrs.evolve(self._counts)
        counts.unique = len(self._by_id)
        counts.without_id = len(self._anonymous)
        counts.kept = counts.unique + counts.without_id
        counts.duplicates = counts.read - counts.kept
        return counts

    def records(self) -> list[ServiceRequest]:
        """The records kept: one per id (first-appearance order), then those without an id."""
        return [request for _stamp, request in self._by_id.values()] + self._anonymous


def deduplicate(requests: Iterable[ServiceRequest]) -> tuple[list[ServiceRequest], DedupeCounts]:
    """One record per request id, the latest ``updated_datetime`` winning; with the counts.

    For pages harvested more than once (overlapping windows, a request
    updated between two harvests). See ``Deduplicator`` for the rule.

    Examples:
        >>> from datetime import datetime, UTC
        >>> old = ServiceRequest("7", updated_datetime=datetime(2024, 1, 1, tzinfo=UTC), status_notes="old")
        >>> new = ServiceRequest("7", updated_datetime=datetime(2024, 1, 2, tzinfo=UTC), status_notes="new")
        >>> kept, counts = deduplicate([new, ServiceRequest("8"), old])
        >>> [r.status_notes for r in kept], counts.duplicates, counts.unique
        (['new', None], 1, 2)
    """
    keeper = Deduplicator()
    keeper.add_many(requests)
    return keeper.records(), keeper.counts


# --- partitions ------------------------------------------------------------------------
DEFAULT_PARTITION_BYTES: Final = 64 << 20
"""Partitions are about this large (64 MiB) unless told otherwise."""

_SPLITTABLE: Final = frozenset(("xml", "jsonl", "bulk-csv", "bulk-xml", "csv"))
_XML_RECORD = re.compile(rb"<(?:[\w.-]+:)?request[\s>/]")
_XML_RECORD_END = re.compile(rb"</(?:[\w.-]+:)?request\s*>\s*\Z")
_XML_ROOT_END = re.compile(rb"</(?:[\w.-]+:)?(?:service_)?requests\s*>\s*\Z")
_SCAN = 8 << 20


@attrs.frozen
class Partition:
    """A part of a dump that can be read on its own: a whole file, or a byte range of one.

    Attributes:
        path: the file.
        format: its format.
        start: the first byte of the range (a record's first byte).
        end: the byte after the range (a record boundary), or None: to the end.
        prefix: bytes read before the range (a CSV header, an XML root's start tag).
        suffix: bytes read after it (an XML root's end tag).
    """

    path: str
    format: DumpFormat
    start: int = 0
    end: int | None = None
    prefix: bytes = b""
    suffix: bytes = b""

    @property
    def whole(self) -> bool:
        """Whether the partition is its whole file."""
        return self.start == 0 and self.end is None and not self.prefix


def partitions(
    paths: Iterable[str | os.PathLike[str]],
    *,
    format: DumpFormat | None = None,  # noqa: A002
    mapping: bool = False,
    size: int = DEFAULT_PARTITION_BYTES,
) -> list[Partition]:
    """Split dumps into partitions of about ``size`` bytes, each whole records.

    A file of XML, JSON Lines or CSV (Bulk or a city export) larger than
    ``size`` is split into byte ranges that start and end at record
    boundaries: before a ``<request>`` element, after a newline (for CSV, a
    newline outside quotes, found by one sequential scan of the quotes, so a
    quoted field holding newlines never splits). Other files (JSON arrays,
    GeoJSON, gzip and zip) are one partition each.

    Args:
        paths: the files.
        format: their format; told from each name when None.
        mapping: the ``.csv`` files are city exports (``csv``), not Bulk CSV.
        size: the target size in bytes.

    Returns:
        The partitions, file by file, in order; reading them all in order
        gives the same records as reading the files in order.

    Raises:
        ParseError: a file's format cannot be told from its name.
        OSError: a file cannot be read.
    """
    found: list[Partition] = []
    for name in paths:
        path = os.fspath(name)
        chosen = format or dump_format(path, mapping=mapping)
        if chosen is None:
            msg = f"cannot tell the format of {path!r} from its name; pass format="
            raise ParseError(msg, path=path)
        with open(path, "rb") as handle:  # noqa: PTH123 - the path given, for reading
            magic = read_head(handle, 4)
            total = os.fstat(handle.fileno()).st_size
            compressed = magic.startswith((b"\x1f\x8b", b"PK\x03\x04"))
            if compressed or chosen not in _SPLITTABLE:
                found.append(Partition(path, chosen))
                continue
            if chosen in ("xml", "bulk-xml"):
                found += _xml_partitions(handle, path, chosen, total, size)
            elif chosen == "jsonl":
                found += _line_partitions(handle, path, chosen, total, size, header=False)
            else:
                found += _line_partitions(handle, path, chosen, total, size, header=True)
    return found


def _targets(start: int, total: int, size: int) -> list[int]:
    return list(range(start + size, total, max(1, size)))


def _xml_partitions(handle: IO[bytes], path: str, chosen: DumpFormat, total: int, size: int) -> list[Partition]:
    handle.seek(0)
    head = read_head(handle, 1 << 16)
    first = _XML_RECORD.search(head)
    if first is None or total <= size:
        return [Partition(path, chosen)]
    tail_at = max(0, total - 4096)
    handle.seek(tail_at)
    tail = handle.read()
    root_end = _XML_ROOT_END.search(tail)
    if root_end is None:
        return [Partition(path, chosen)]  # a truncated document: read whole, to report it
    end_of_records = tail_at + root_end.start()
    bounds = [first.start()]
    for target in _targets(first.start(), end_of_records, size):
        if target <= bounds[-1]:
            continue
        found = _xml_boundary(handle, target)
        if found is None or found >= end_of_records:
            continue
        bounds.append(found)
    bounds.append(end_of_records)
    prefix = b"<service_requests>"
    suffix = b"</service_requests>"
    return [
        Partition(path, chosen, start, stop, prefix, suffix)
        for start, stop in itertools.pairwise(bounds)
        if stop > start
    ]


def _xml_boundary(handle: IO[bytes], target: int) -> int | None:
    """The start of the first top-level ``<request>`` at or after ``target``.

    A ``<request>`` counts only right after the end of another one
    (``</request>`` and white space), so an element of that name nested in a
    record's extensions is not taken for a record's start.
    """
    back = min(target, 256)
    handle.seek(target - back)
    window = handle.read((1 << 20) + back)
    for match in _XML_RECORD.finditer(window, back):
        if _XML_RECORD_END.search(window, max(0, match.start() - 256), match.start()):
            return target - back + match.start()
    return None


def _line_partitions(  # noqa: PLR0913
    handle: IO[bytes], path: str, chosen: DumpFormat, total: int, size: int, *, header: bool
) -> list[Partition]:
    handle.seek(0)
    quoted = header  # CSV: newlines inside quotes are not boundaries
    start = 0
    prefix = b""
    if header:
        first = _csv_boundary(handle, 0, quoted=True)
        if first is None:
            return [Partition(path, chosen)]
        start = first
        handle.seek(0)
        prefix = handle.read(start)
    if total - start <= size:
        return [Partition(path, chosen)]
    bounds = [start]
    for target in _targets(start, total, size):
        if target <= bounds[-1]:
            continue
        boundary = _csv_boundary(handle, target, quoted=quoted, scanned_from=bounds[-1])
        if boundary is None or boundary >= total:
            break
        bounds.append(boundary)
    bounds.append(total)
    return [Partition(path, chosen, begin, stop, prefix) for begin, stop in itertools.pairwise(bounds) if stop > begin]


def _csv_boundary(handle: IO[bytes], target: int, *, quoted: bool, scanned_from: int = 0) -> int | None:
    """The first record boundary at or after ``target``: after a newline outside quotes.

    With ``quoted``, the quotes from ``scanned_from`` (a known boundary, where
    no quote is open) are counted to know whether a newline is inside one.
    """
    handle.seek(scanned_from)
    offset = scanned_from
    parity = 0
    while True:
        chunk = handle.read(_SCAN)
        if not chunk:
            return None
        at = max(0, target - offset)
        if at >= len(chunk):
            if quoted:
                parity ^= chunk.count(b'"') & 1
            offset += len(chunk)
            continue
        if quoted:
            parity ^= chunk.count(b'"', 0, at) & 1
        while True:
            newline = chunk.find(b"\n", at)
            if newline < 0:
                if quoted:
                    parity ^= chunk.count(b'"', at) & 1
                break
            if quoted:
                parity ^= chunk.count(b'"', at, newline) & 1
            at = newline + 1
            if not parity:
                return offset + at
        offset += len(chunk)
        target = offset


class _RangeReader(io.RawIOBase):
    """``prefix``, then bytes ``start``..``end`` of a file, then ``suffix``."""

    def __init__(self, partition: Partition) -> None:
        self._file: IO[bytes] = open(partition.path, "rb")  # noqa: PTH123, SIM115 - closed by close()
        self._file.seek(partition.start)
        self._left = None if partition.end is None else partition.end - partition.start
        self._pieces = [partition.prefix]
        self._suffix = partition.suffix

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = (1 << 20) if size is None or size < 0 else size
        if self._pieces:
            head = self._pieces.pop()
            if head:
                if len(head) > want:
                    self._pieces.append(head[want:])
                return head[:want]
        if self._left is None or self._left > 0:
            limit = want if self._left is None else min(want, self._left)
            data = self._file.read(limit)
            if data:
                if self._left is not None:
                    self._left -= len(data)
                return data
            self._left = 0
        data, self._suffix = self._suffix[:want], self._suffix[want:]
        return data

    def close(self) -> None:
        self._file.close()
        super().close()


def iter_partition(
    partition: Partition,
    *,
    mapping: ColumnMapping | None = None,
    strict: bool = False,
    default_timezone: tzinfo | str | None = None,
    statuses: StatusMapping = DEFAULT_STATUSES,
) -> DumpReader:
    """Stream the records of one partition (options as ``iter_dump``).

    Record indexes and lines in errors and warnings count from the
    partition's start.
    """
    if partition.whole:
        return iter_dump(
            Path(partition.path),
            format=partition.format,
            mapping=mapping,
            strict=strict,
            default_timezone=default_timezone,
            statuses=statuses,
        )
    reader: IO[bytes] = _RangeReader(partition)  # type: ignore[assignment]
    opened = Opened(reader, partition.path, [reader])
    try:
        return _reader(
            opened,
            reader,
            partition.format,
            strict=strict,
            default_timezone=default_timezone,
            statuses=statuses,
            mapping=mapping,
        )
    except BaseException:
        opened.close()
        raise
