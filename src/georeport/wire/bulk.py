"""The GeoReport Bulk format (proposed, 2016): CSV, JSON and XML dumps, read and written.

A Bulk record is a GeoReport v2 request without ``service_code``, ``status``
and a few others, plus four fields the model does not have. Those go to the
record's ``extensions`` under their Bulk names, with canonical values, so
every reader (this one, the city CSV mappings) hands the same keys on:

* ``closed_datetime``: when the request was closed, a W3C datetime string
  with its offset (``None`` while open), whether the dump called the column
  ``closed_date`` (the Bulk field table) or ``closed_datetime`` (the Bulk
  examples); both are accepted, in every mode;
* ``status_description``: the dump's one-word state (``Open``, ``Hold``...);
* ``source``: the intake channel (``Phone``, ``Mobile App``...);
* ``service_subtype``: the request's subtype.

The Bulk format has no open/closed column (it was added and removed on
2016-08-12). ``status`` is derived from ``status_description`` by a
``StatusMapping`` you can configure; a term it does not know counts as closed
when the record has a close time and stays unknown (None) otherwise.

Writers follow the Bulk field table: those fourteen columns, in that order,
the close time under ``closed_date``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, tzinfo
from functools import partial
from typing import IO, Any, Final, Literal

import attrs

from georeport.errors import ParseError
from georeport.models import JSONValue, ServiceRequest, Status
from georeport.wire._archives import open_input
from georeport.wire._common import WRITE_BATCH, PrefixedReader, Source, read_head, sniff_markup, write_json_array
from georeport.wire._csv import CsvRows, fit_row
from georeport.wire._json_stream import iter_json_requests
from georeport.wire._readers import DumpReader, default_zone
from georeport.wire._records import REQUEST_ALIASES, REQUEST_FIELDS, STATUS_ALIASES, RecordBuilder
from georeport.wire._repairs import Repairs, record_path
from georeport.wire._tree import escape_text
from georeport.wire._values import format_datetime, format_float
from georeport.wire._xml_pages import iter_xml_pages

__all__ = [
    "BULK_EXTENSIONS",
    "BULK_FIELDS",
    "DEFAULT_STATUSES",
    "BulkEncoding",
    "StatusMapping",
    "bulk_record",
    "bulk_records",
    "iter_bulk",
    "to_bulk",
    "write_bulk",
]

BulkEncoding = Literal["csv", "json", "xml"]

BULK_FIELDS: Final = (
    "service_request_id",
    "requested_datetime",
    "updated_datetime",
    "closed_date",
    "status_description",
    "status_notes",
    "source",
    "service_name",
    "service_subtype",
    "description",
    "agency_responsible",
    "address",
    "lat",
    "long",
)
"""The Bulk columns, in the order of the Bulk field table (what the writers write)."""

BULK_EXTENSIONS: Final = ("closed_datetime", "status_description", "source", "service_subtype")
"""The ``extensions`` keys every dump reader fills (None when the dump has no value)."""

_REQUIRED: Final = (
    "service_request_id",
    "requested_datetime",
    "updated_datetime",
    "status_description",
    "status_notes",
    "service_name",
    "address",
    "lat",
    "long",
)
_CLOSED_NAMES: Final = ("closed_datetime", "closed_date")
_STANDARD: Final = frozenset(REQUEST_FIELDS)


def _terms(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(_term(term) for term in terms)


def _term(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").replace("/", " ").split())


@attrs.frozen
class StatusMapping:
    """How a dump's ``status_description`` terms map onto ``open``/``closed``.

    Terms are compared case-insensitively, with spaces, hyphens and slashes
    read as underscores (``In Progress`` is ``in_progress``).

    Attributes:
        open: terms meaning the request is open.
        closed: terms meaning it is closed.
        closed_when_dated: a term in neither set counts as closed when the
            record has a close time (and stays unknown, None, otherwise).

    Examples:
        >>> DEFAULT_STATUSES.status("In Progress"), DEFAULT_STATUSES.status("Completed")
        (<Status.OPEN: 'open'>, <Status.CLOSED: 'closed'>)
        >>> mine = DEFAULT_STATUSES.with_terms(closed=["Work Order Created"])
        >>> mine.status("work order created")
        <Status.CLOSED: 'closed'>
        >>> print(DEFAULT_STATUSES.status("Unspecified"))
        None
        >>> DEFAULT_STATUSES.status("Unspecified", closed=True)
        <Status.CLOSED: 'closed'>
    """

    open: frozenset[str] = attrs.field(converter=_terms)
    closed: frozenset[str] = attrs.field(converter=_terms)
    closed_when_dated: bool = True

    def status(self, description: str | None, *, closed: bool = False) -> Status | None:
        """The status ``description`` means; ``closed`` says whether the record has a close time."""
        if description is not None:
            term = _term(description)
            if term in self.closed:
                return Status.CLOSED
            if term in self.open:
                return Status.OPEN
        if closed and self.closed_when_dated:
            return Status.CLOSED
        return None

    def with_terms(self, *, open: Iterable[str] = (), closed: Iterable[str] = ()) -> StatusMapping:  # noqa: A002
        """This mapping with more terms; a term moves to the set it is given for."""
        new_open = {_term(t) for t in open}
        new_closed = {_term(t) for t in closed}
        return StatusMapping(
            (self.open - new_closed) | new_open,
            (self.closed - new_open) | new_closed,
            closed_when_dated=self.closed_when_dated,
        )


DEFAULT_STATUSES: Final = StatusMapping(
    open={
        "open",
        "started",
        "unassigned",
        "email_sent",
        "draft",
        "in_progress",
        *(term for term, status in STATUS_ALIASES.items() if status is Status.OPEN),
    },
    closed={"closed", *(term for term, status in STATUS_ALIASES.items() if status is Status.CLOSED)},
)
"""The terms of the Bulk pilots and the cities with shipped mappings (NYC, Chicago, Boston, SF),
plus the dialect statuses the v2 readers already know (mySociety, CitySDK, Accela)."""


class _BulkBuilder(RecordBuilder):
    """Builds Bulk records: strict mode checks the Bulk table's required fields, not v2's."""

    __slots__ = ("absent", "statuses")

    def __init__(
        self, repairs: Repairs, *, textual: bool, default_timezone: tzinfo | None, statuses: StatusMapping
    ) -> None:
        super().__init__(repairs, textual=textual, default_timezone=default_timezone)
        self.statuses = statuses
        # Required columns a CSV header lacks: reported once, not on every row.
        self.absent: frozenset[str] = frozenset()

    def _required(self, value: object, field: str, index: int | None, line: int | None) -> None:
        """v2's required fields do not apply; ``service_request`` checks the Bulk ones."""

    def service_request(self, raw: dict[str, Any], index: int | None, line: int | None = None) -> ServiceRequest:
        """One Bulk record, its Bulk fields made canonical in ``extensions``."""
        request = super().service_request(raw, index, line)
        return _finish_record(self, request, index, line)


def _finish_record(
    builder: RecordBuilder, request: ServiceRequest, index: int | None, line: int | None
) -> ServiceRequest:
    """Make a freshly built record's Bulk extensions canonical and derive its status.

    ``builder`` must be a Bulk or column builder (it has ``statuses``); the
    record must not be shared yet: it is completed in place.
    """
    statuses: StatusMapping = builder.statuses  # type: ignore[attr-defined]
    ext = request.extensions
    closed: datetime | None = None
    raw: object = None
    for closed_name in _CLOSED_NAMES:
        if closed_name not in ext:
            continue
        value = ext.pop(closed_name)
        if raw is None or raw == "":
            raw = value
    if raw is not None and raw != "":
        closed = builder.timestamp(raw, "closed_datetime", index, line, ext)
    description = ext.get("status_description")
    if description is not None and not isinstance(description, str):
        description = str(description)
    status_description = description.strip() or None if isinstance(description, str) else None
    canonical: dict[str, JSONValue] = {
        "closed_datetime": None if closed is None else format_datetime(closed),
        "status_description": status_description,
        "source": _text_or_none(ext.get("source")),
        "service_subtype": _text_or_none(ext.get("service_subtype")),
    }
    for name in BULK_EXTENSIONS[1:]:
        ext.pop(name, None)
    canonical.update(ext)
    # The record was built a moment ago by this reader and nobody else holds it:
    # completing it in place saves a second construction per record.
    object.__setattr__(request, "extensions", canonical)
    if request.status is None:
        object.__setattr__(request, "status", statuses.status(status_description, closed=closed is not None))
    if builder.repairs.strict:
        absent: frozenset[str] = getattr(builder, "absent", frozenset())
        for name in _REQUIRED:
            if name in absent:
                continue
            value = canonical.get(name) if name in BULK_EXTENSIONS else getattr(request, name)
            if value is None:
                builder.repairs.problem(
                    f"{name}: required by the Bulk field table, missing or empty",
                    path=record_path(index, name),
                    line=line,
                )
    return request


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else str(value)
    return text or None


def _csv_records(stream: IO[bytes], builder: RecordBuilder, fmt: str) -> Iterator[ServiceRequest]:
    rows = CsvRows(stream, format=fmt)
    try:
        yield from _csv_rows(rows, builder, fmt)
    finally:
        rows.detach()  # the caller's stream stays open


def _csv_rows(rows: CsvRows, builder: RecordBuilder, fmt: str) -> Iterator[ServiceRequest]:
    header = rows.header
    if not header:
        return
    width = len(header)
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        msg = f"the header names a column more than once: {repeated}"
        raise ParseError(msg, format=fmt, line=1)
    if builder.repairs.strict and isinstance(builder, _BulkBuilder):
        lacking = [name for name in _REQUIRED if name not in header]
        if lacking:
            builder.absent = frozenset(lacking)
            builder.repairs.problem(
                f"the header lacks the Bulk column(s) {lacking} (it has {header[:20]})", path="$", line=1
            )
    build = builder.service_request
    # The hot loop: when no column needs an alias, the standard columns go to the
    # builder's fast path and the Bulk ones straight to the record's extensions.
    direct = isinstance(builder, _BulkBuilder) and not any(name in REQUEST_ALIASES for name in header)
    standard = [(position, name) for position, name in enumerate(header) if name in _STANDARD]
    others = [(position, name) for position, name in enumerate(header) if name not in _STANDARD]
    build_standard = partial(RecordBuilder.service_request, builder)  # without the Bulk step: done below
    for index, (line, row) in enumerate(rows):
        if len(row) != width:
            row = fit_row(row, width, builder.repairs, index, line)
        if direct:
            request = build_standard({name: row[position] for position, name in standard}, index, line)
            request.extensions.update({name: row[position] for position, name in others})
            yield _finish_record(builder, request, index, line)
        else:
            yield build(dict(zip(header, row, strict=True)), index, line)


def _sniff(head: bytes, name: str | None) -> BulkEncoding:
    if name:
        lowered = name.lower()
        for encoding in ("csv", "json", "xml"):
            if lowered.endswith("." + encoding):
                return encoding
    return sniff_markup(head) or "csv"


def iter_bulk(  # noqa: PLR0913 - each option is the caller's to set
    source: Source,
    *,
    encoding: BulkEncoding | None = None,
    strict: bool = False,
    default_timezone: tzinfo | str | None = None,
    statuses: StatusMapping = DEFAULT_STATUSES,
    member: str | None = None,
) -> DumpReader:
    r"""Stream the records of a GeoReport Bulk dump (CSV, JSON or XML), in constant memory.

    Gzip and zip files are read directly.

    Args:
        source: bytes, str, an ``os.PathLike`` path or a binary file.
        encoding: ``"csv"``, ``"json"`` or ``"xml"``; told from the file
            name, else from the first character, when None.
        strict: refuse what the Bulk format forbids (missing required fields,
            datetimes without a zone, malformed rows), every problem with its
            line, raised as one ``InvalidDocumentError`` when the stream ends.
        default_timezone: the zone of datetimes sent without one (lenient mode).
        statuses: how ``status_description`` maps onto open/closed.
        member: the file to read inside a zip archive holding several.

    Returns:
        A ``DumpReader``: an iterator of ``ServiceRequest`` with ``count`` and
        ``warnings``. Each record's ``extensions`` holds ``closed_datetime``,
        ``status_description``, ``source`` and ``service_subtype`` first.

    Raises:
        ParseError: while iterating, at the first record that cannot be read,
            with its line. Anything else raised is a bug.

    Examples:
        >>> rows = b"service_request_id,requested_datetime,closed_date,status_description\n"
        >>> rows += b"41,2016-09-12T08:15:02-04:00,2016-09-13T14:40:19-04:00,Closed\n"
        >>> [request] = iter_bulk(rows)
        >>> request.status, request.extensions["closed_datetime"]
        (<Status.CLOSED: 'closed'>, '2016-09-13T14:40:19-04:00')
    """
    opened = open_input(source, member=member)
    try:
        head = read_head(opened.stream, 512)
        stream: IO[bytes] = PrefixedReader(head, opened.stream)  # type: ignore[assignment]
        chosen = encoding or _sniff(head, opened.name)
        fmt = f"bulk-{chosen}"
        repairs = Repairs(strict=strict, format=fmt)
        zone = default_zone(default_timezone)
        builder = _BulkBuilder(repairs, textual=chosen != "json", default_timezone=zone, statuses=statuses)
        if chosen == "csv":
            records = _csv_records(stream, builder, fmt)
        elif chosen == "json":
            records = iter_json_requests(stream, builder)
        elif chosen == "xml":
            records = iter_xml_pages(stream, builder)
        else:
            msg = f"encoding must be 'csv', 'json' or 'xml' (got {chosen!r})"
            raise ValueError(msg)  # noqa: TRY301 - closed below like any failure
    except BaseException:
        opened.close()
        raise
    return DumpReader(opened, repairs, records, format=fmt)


# --- writing ---------------------------------------------------------------------------
def bulk_record(request: ServiceRequest, *, columns: Sequence[str] = BULK_FIELDS) -> dict[str, str | float | None]:
    """One request as a Bulk record: ``columns`` (the Bulk table's by default) to values.

    ``closed_date``/``closed_datetime`` is ``extensions["closed_datetime"]``;
    ``status_description`` falls back to the status (``open``/``closed``)
    when the request has none; another column is the request's field of that
    name, or else its extension. Datetimes are W3C strings; ``lat``/``long``
    stay floats.

    Examples:
        >>> bulk_record(ServiceRequest("7", Status.OPEN, lat=1.5, long=2.0), columns=("service_request_id", "status_description", "lat"))
        {'service_request_id': '7', 'status_description': 'open', 'lat': 1.5}
    """
    ext = request.extensions
    row: dict[str, str | float | None] = {}
    for name in columns:
        value: Any
        if name in _CLOSED_NAMES:
            value = ext.get("closed_datetime")
        elif name == "status_description":
            value = ext.get("status_description")
            if value is None and request.status is not None:
                value = request.status.value
        elif name in _MODEL_FIELDS:
            value = getattr(request, name)
        else:
            value = ext.get(name)
        if isinstance(value, datetime):
            value = format_datetime(value)
        elif isinstance(value, Status):
            value = value.value
        elif value is not None and not isinstance(value, str | float | int):
            value = json.dumps(value, ensure_ascii=False)
        row[name] = value
    return row


def bulk_records(
    requests: Iterable[ServiceRequest], *, columns: Sequence[str] = BULK_FIELDS
) -> Iterator[dict[str, str | float | None]]:
    """``bulk_record`` over many requests, lazily (the twin of ``bulk_record``)."""
    for request in requests:
        yield bulk_record(request, columns=columns)


_MODEL_FIELDS = frozenset(attrs.fields_dict(ServiceRequest)) - {"extensions"}


def _cell(value: str | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_float(value)
    return str(value)


def write_bulk(
    requests: Iterable[ServiceRequest],
    stream: IO[bytes],
    *,
    encoding: BulkEncoding = "csv",
    columns: Sequence[str] = BULK_FIELDS,
) -> int:
    """Write requests to ``stream`` as a Bulk dump, one batch at a time; returns the count.

    CSV follows RFC 4180 (a header row, CRLF line ends, quotes only where
    needed); XML is ``<service_requests>`` of ``<request>`` without a
    namespace, empty values as ``<x/>``; JSON is an array of objects with
    ``null`` for empty values. ``stream`` is a binary file and stays open.

    Raises:
        ValidationError: a text XML 1.0 cannot carry (control characters).
        ValueError: an unknown ``encoding``.
    """
    if encoding == "csv":
        return _write_csv(requests, stream, columns)
    if encoding == "json":
        return _write_json(requests, stream, columns)
    if encoding == "xml":
        return _write_xml(requests, stream, columns)
    msg = f"encoding must be 'csv', 'json' or 'xml' (got {encoding!r})"
    raise ValueError(msg)


def to_bulk(
    requests: Iterable[ServiceRequest], *, encoding: BulkEncoding = "csv", columns: Sequence[str] = BULK_FIELDS
) -> bytes:
    """The Bulk dump of ``requests`` as bytes (``write_bulk`` into memory).

    Examples:
        >>> print(to_bulk([ServiceRequest("7", Status.OPEN)], columns=("service_request_id", "status_description")).decode())
        service_request_id,status_description
        7,open
        <BLANKLINE>
    """
    buffer = io.BytesIO()
    write_bulk(requests, buffer, encoding=encoding, columns=columns)
    return buffer.getvalue()


def _write_csv(requests: Iterable[ServiceRequest], stream: IO[bytes], columns: Sequence[str]) -> int:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for request in requests:
        row = bulk_record(request, columns=columns)
        writer.writerow([_cell(row[name]) for name in columns])
        count += 1
        if count % WRITE_BATCH == 0:
            stream.write(text.getvalue().encode("utf-8"))
            text.seek(0)
            text.truncate()
    stream.write(text.getvalue().encode("utf-8"))
    return count


def _write_json(requests: Iterable[ServiceRequest], stream: IO[bytes], columns: Sequence[str]) -> int:
    texts = (
        json.dumps(bulk_record(request, columns=columns), ensure_ascii=False, allow_nan=False) for request in requests
    )
    return write_json_array(stream, texts)


def _write_xml(requests: Iterable[ServiceRequest], stream: IO[bytes], columns: Sequence[str]) -> int:
    parts: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>\n']
    count = 0
    for request in requests:
        row = bulk_record(request, columns=columns)
        parts.append("<request>")
        for name in columns:
            value = row[name]
            if value is None:
                parts.append(f"<{name}/>")
            else:
                parts.append(f"<{name}>{escape_text(_cell(value))}</{name}>")
        parts.append("</request>\n")
        count += 1
        if count % WRITE_BATCH == 0:
            stream.write("".join(parts).encode("utf-8"))
            parts = []
    parts.append("</service_requests>\n")
    stream.write("".join(parts).encode("utf-8"))
    return count
