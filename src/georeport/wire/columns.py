"""City CSV exports read through declared column mappings (NYC, Chicago, Boston, San Francisco).

A city's open-data portal exports its 311 table as CSV with its own column
names and *naive local* times ("01/05/2024 09:13:27 AM"). A ``ColumnMapping``
says which column holds which GeoReport field, how to parse it, and in which
zone the times were written; ``iter_csv`` streams the export into
``ServiceRequest`` records in constant memory, the Bulk fields the model lacks
(``closed_datetime``, ``status_description``, ``source``, ``service_subtype``)
in ``extensions`` under their Bulk names, exactly as ``georeport.wire.bulk``
gives them, so the two kinds of dump are interchangeable downstream.

Declaring a city takes a few lines::

    ColumnMapping(
        service_request_id="Ticket",
        requested_datetime=Column("Opened", parse=us_datetime),
        status_description="State",
        zone="America/Denver",
    )

A local time that falls in the hour skipped when clocks go forward does not
exist; it is read as the wall clock shows it (``fold=0``, PEP 495: the
offset before the change), and so is a time that occurs twice when they go
back (the first of the two). The exports do not say which was meant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from georeport.errors import ParseError
from georeport.models import JSONValue, ServiceRequest, Status
from georeport.models._trusted import trusted_service_request
from georeport.wire._archives import open_input
from georeport.wire._common import Source
from georeport.wire._csv import CsvRows, fit_row
from georeport.wire._readers import DumpReader
from georeport.wire._records import REQUEST_FIELDS, STATUS_ALIASES, RecordBuilder
from georeport.wire._repairs import Repairs, record_path
from georeport.wire._values import format_datetime
from georeport.wire.bulk import BULK_EXTENSIONS, DEFAULT_STATUSES, StatusMapping

__all__ = [
    "BOSTON_311",
    "CHICAGO_311",
    "MAPPINGS",
    "NYC_311",
    "SAN_FRANCISCO_311",
    "Column",
    "ColumnMapping",
    "iso_datetime",
    "iter_csv",
    "us_datetime",
]

_PM: Final = 12


def us_datetime(text: str) -> datetime:
    """``MM/DD/YYYY hh:mm:ss AM`` (Socrata's CSV exports: NYC, Chicago, SF) as a naive datetime.

    Also takes a 24-hour ``MM/DD/YYYY HH:MM[:SS]`` without AM/PM.

    Raises:
        ValueError: the text has another form.

    Examples:
        >>> us_datetime("03/10/2024 02:30:00 PM"), us_datetime("12/31/2023 12:05:09 AM")
        (datetime.datetime(2024, 3, 10, 14, 30), datetime.datetime(2023, 12, 31, 0, 5, 9))
    """
    text = text.strip()
    if len(text) == 22 and text[2] == "/" and text[5] == "/" and text[13] == ":":  # noqa: PLR2004 - the fixed shape
        hour = int(text[11:13])
        half = text[20:22].upper()
        if half == "PM":
            hour = hour % _PM + _PM
        elif half == "AM":
            hour %= _PM
        else:
            msg = f"not MM/DD/YYYY hh:mm:ss AM/PM: {text!r}"
            raise ValueError(msg)
        return datetime(int(text[6:10]), int(text[0:2]), int(text[3:5]), hour, int(text[14:16]), int(text[17:19]))  # noqa: DTZ001 - naive local time; the mapping names its zone
    for layout in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, layout)  # noqa: DTZ007 - naive local time; the mapping names its zone
        except ValueError:
            continue
    msg = f"not a MM/DD/YYYY date and time: {text!r}"
    raise ValueError(msg)


def iso_datetime(text: str) -> datetime:
    """``YYYY-MM-DD hh:mm:ss[.ffffff]`` or with a ``T`` (Boston's, and Socrata's API) as a datetime.

    Naive unless the text carries an offset (then it is kept).

    Raises:
        ValueError: the text is not an ISO 8601 date and time.

    Examples:
        >>> iso_datetime("2023-01-01 00:06:00"), iso_datetime("2024-05-01T10:00:00.000")
        (datetime.datetime(2023, 1, 1, 0, 6), datetime.datetime(2024, 5, 1, 10, 0))
    """
    return datetime.fromisoformat(text.strip())


def _any_datetime(text: str) -> datetime:
    text = text.strip()
    if len(text) > 2 and text[2] == "/":  # noqa: PLR2004
        return us_datetime(text)
    return iso_datetime(text)


_OFFSETS: dict[timedelta | None, tzinfo] = {}


def _fixed(value: datetime) -> datetime:
    """The same wall time with its fixed offset, as W3C readers give it.

    A ``ZoneInfo`` time in a DST fold never compares equal to the same
    instant in another zone (PEP 495); a fixed offset does, so records read
    from a city export equal the same records read back from the Bulk format.
    """
    offset = value.utcoffset()
    fixed = _OFFSETS.get(offset)
    if fixed is None:
        fixed = _OFFSETS[offset] = UTC if not offset else timezone(offset)
    return value.replace(tzinfo=fixed)


@attrs.frozen
class Column:
    """One column of a city export and how to read its text.

    Attributes:
        name: the column's name in the header, exactly.
        parse: turns the cell's text (stripped, never empty) into the value;
            for a datetime field it may return a naive datetime (read in the
            mapping's zone). None: the text itself (a float for ``lat``/
            ``long``; for datetimes, ``us_datetime`` or ISO 8601 by shape).
    """

    name: str
    parse: Callable[[str], Any] | None = None


def _column(value: Column | str | None) -> Column | None:
    if value is None or isinstance(value, Column):
        return value
    return Column(value)


def _columns(value: Mapping[str, Column | str] | None) -> dict[str, Column]:
    return {key: column for key, column in ((k, _column(v)) for k, v in (value or {}).items()) if column is not None}


_DATETIMES: Final = frozenset(("requested_datetime", "updated_datetime", "expected_datetime", "closed_datetime"))
_FLOATS: Final = frozenset(("lat", "long"))


@attrs.frozen
class ColumnMapping:
    r"""Which column of a city's CSV export holds which GeoReport field, and how to read it.

    Every field is a ``Column`` or just the column's name (a ``str``); a
    field left out (None) is absent from the records. The Bulk fields
    ``closed_datetime``, ``status_description``, ``source`` and
    ``service_subtype`` go to ``extensions`` under those names; ``extensions``
    maps more names to columns to keep. ``status`` is read from a column if
    one is given, else derived from ``status_description`` by ``statuses``.

    Attributes:
        zone: the IANA zone the export's naive times were written in.
        name: what the export is, for messages (``"NYC 311"``).
        statuses: how ``status_description`` maps onto open/closed.

    Examples:
        >>> mine = ColumnMapping(service_request_id="Ticket", requested_datetime=Column("Opened", parse=us_datetime), zone="America/Denver")
        >>> [r] = iter_csv(b"Ticket,Opened\nT-1,07/04/2024 09:30:00 PM\n", mine)
        >>> r.service_request_id, r.requested_datetime.isoformat()
        ('T-1', '2024-07-04T21:30:00-06:00')
        >>> ColumnMapping(zone="Mars/Olympus_Mons")
        Traceback (most recent call last):
        ...
        georeport.errors.ValidationError: 'zone' must be an IANA time zone name (got 'Mars/Olympus_Mons')
    """

    zone: str = attrs.field(kw_only=True)
    name: str = attrs.field(default="CSV export", kw_only=True)
    service_request_id: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    status: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    status_notes: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    service_name: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    service_code: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    description: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    agency_responsible: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    service_notice: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    requested_datetime: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    updated_datetime: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    expected_datetime: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    address: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    address_id: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    zipcode: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    lat: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    long: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    media_url: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    closed_datetime: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    status_description: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    source: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    service_subtype: Column | None = attrs.field(default=None, converter=_column, kw_only=True)
    extensions: dict[str, Column] = attrs.field(factory=dict, converter=_columns, kw_only=True)
    statuses: StatusMapping = attrs.field(default=DEFAULT_STATUSES, kw_only=True)

    @zone.validator
    def _check_zone(self, _attribute: object, value: str) -> None:
        try:
            ZoneInfo(value)
        except (ValueError, KeyError) as error:
            from georeport.errors import ValidationError  # noqa: PLC0415 - the error tree, cheap

            raise ValidationError("zone", value, "an IANA time zone name") from error

    def fields(self) -> dict[str, Column]:
        """Every declared field (model fields, the Bulk ones, then extensions) to its column."""
        found = {
            name: column for name in (*REQUEST_FIELDS, *BULK_EXTENSIONS) if (column := getattr(self, name)) is not None
        }
        found.update(self.extensions)
        return found


NYC_311: Final = ColumnMapping(
    name="NYC 311 Service Requests (data.cityofnewyork.us erm2-nwe9, CSV export)",
    zone="America/New_York",
    service_request_id="Unique Key",
    requested_datetime=Column("Created Date", parse=us_datetime),
    closed_datetime=Column("Closed Date", parse=us_datetime),
    updated_datetime=Column("Resolution Action Updated Date", parse=us_datetime),
    expected_datetime=Column("Due Date", parse=us_datetime),
    agency_responsible="Agency",
    service_name="Complaint Type",
    service_subtype="Descriptor",
    status_description="Status",
    status_notes="Resolution Description",
    address="Incident Address",
    zipcode="Incident Zip",
    lat="Latitude",
    long="Longitude",
    source="Open Data Channel Type",
    extensions={"agency_name": "Agency Name", "borough": "Borough", "community_board": "Community Board"},
)
"""NYC's 311 table as the portal exports it (naive New York times, ``MM/DD/YYYY hh:mm:ss AM``)."""

CHICAGO_311: Final = ColumnMapping(
    name="Chicago 311 Service Requests (data.cityofchicago.org v6vf-nfxy, CSV export)",
    zone="America/Chicago",
    service_request_id="SR_NUMBER",
    service_name="SR_TYPE",
    service_code="SR_SHORT_CODE",
    agency_responsible="OWNER_DEPARTMENT",
    status_description="STATUS",
    source="ORIGIN",
    requested_datetime=Column("CREATED_DATE", parse=us_datetime),
    updated_datetime=Column("LAST_MODIFIED_DATE", parse=us_datetime),
    closed_datetime=Column("CLOSED_DATE", parse=us_datetime),
    address="STREET_ADDRESS",
    zipcode="ZIP_CODE",
    lat="LATITUDE",
    long="LONGITUDE",
    extensions={
        "ward": "WARD",
        "community_area": "COMMUNITY_AREA",
        "duplicate": "DUPLICATE",
        "parent_sr_number": "PARENT_SR_NUMBER",
    },
)
"""Chicago's 311 table since the 2018 CSR system (naive Chicago times, ``MM/DD/YYYY hh:mm:ss AM``)."""

BOSTON_311: Final = ColumnMapping(
    name="Boston 311 Service Requests (data.boston.gov, yearly CSV files)",
    zone="America/New_York",
    service_request_id="case_enquiry_id",
    requested_datetime=Column("open_dt", parse=iso_datetime),
    expected_datetime=Column("sla_target_dt", parse=iso_datetime),
    closed_datetime=Column("closed_dt", parse=iso_datetime),
    status_description="case_status",
    status_notes="closure_reason",
    description="case_title",
    service_name="type",
    agency_responsible="subject",
    address="location",
    zipcode="location_zipcode",
    lat="latitude",
    long="longitude",
    source="source",
    extensions={"reason": "reason", "queue": "queue", "neighborhood": "neighborhood", "ward": "ward"},
)
"""Boston's yearly 311 files of 2020-2024 (naive Boston times, ``YYYY-MM-DD hh:mm:ss``).

Older files name the target column ``target_dt``: ``attrs.evolve(BOSTON_311, expected_datetime="target_dt")``.
"""

SAN_FRANCISCO_311: Final = ColumnMapping(
    name="San Francisco 311 Cases (data.sfgov.org vw6y-z8j6, CSV export)",
    zone="America/Los_Angeles",
    service_request_id="CaseID",
    requested_datetime=Column("Opened", parse=us_datetime),
    closed_datetime=Column("Closed", parse=us_datetime),
    updated_datetime=Column("Updated", parse=us_datetime),
    status_description="Status",
    status_notes="Status Notes",
    agency_responsible="Responsible Agency",
    service_name="Category",
    service_subtype="Request Type",
    description="Request Details",
    address="Address",
    lat="Latitude",
    long="Longitude",
    source="Source",
    media_url="Media URL",
    extensions={"neighborhood": "Neighborhood", "supervisor_district": "Supervisor District"},
)
"""San Francisco's 311 cases (naive Pacific times, ``MM/DD/YYYY hh:mm:ss AM``)."""

MAPPINGS: Final[Mapping[str, ColumnMapping]] = {
    "nyc": NYC_311,
    "chicago": CHICAGO_311,
    "boston": BOSTON_311,
    "sf": SAN_FRANCISCO_311,
}
"""The shipped mappings by short name (as ``georeport convert --mapping`` takes them)."""


class _Plan:
    """A mapping resolved against one header: column positions and parsers."""

    __slots__ = ("columns", "extension_names", "zone")

    def __init__(self, mapping: ColumnMapping, header: list[str], fmt: str) -> None:
        positions = {name: index for index, name in enumerate(header)}
        declared = mapping.fields()
        missing = sorted(column.name for column in declared.values() if column.name not in positions)
        if missing:
            msg = f"{mapping.name}: the header lacks the declared column(s) {missing} (it has {header[:40]})"
            raise ParseError(msg, format=fmt, line=1)
        self.zone = ZoneInfo(mapping.zone)
        self.columns = [
            (field, positions[column.name], column, column.parse is None and field not in _DATETIMES | _FLOATS)
            for field, column in declared.items()
        ]
        self.extension_names = tuple(mapping.extensions)


class _ColumnBuilder(RecordBuilder):
    """Records from rows: parse each declared cell, report what does not parse."""

    __slots__ = ("statuses",)

    def __init__(self, repairs: Repairs, statuses: StatusMapping) -> None:
        super().__init__(repairs, textual=True, default_timezone=None)
        self.statuses = statuses

    def cell(self, field: str, column: Column, text: str, zone: tzinfo, index: int, line: int) -> Any:  # noqa: PLR0913
        """The value of one non-empty cell, or None (reported) when it does not parse."""
        try:
            if field in _DATETIMES:
                value: Any = (column.parse or _any_datetime)(text)
                if not isinstance(value, datetime):
                    msg = f"the parser returned {type(value).__name__}, not a datetime"
                    raise TypeError(msg)  # noqa: TRY301 - reported below like any bad cell
                if value.tzinfo is None:
                    value = _fixed(value.replace(tzinfo=zone))
                return value
            if column.parse is not None:
                return column.parse(text)
            if field in _FLOATS:
                number = float(text)
                if not math.isfinite(number) or abs(number) > (90.0 if field == "lat" else 180.0):
                    msg = f"out of range: {number}"
                    raise ValueError(msg)  # noqa: TRY301
                return number
        except (ValueError, TypeError, ArithmeticError) as error:
            self.repairs.repair(
                "column-unparsable",
                field,
                f"column {column.name!r} does not parse ({error}); read as empty",
                path=record_path(index, field),
                example=text,
                line=line,
            )
            return None
        return text


def _records(rows: CsvRows, plan: _Plan, builder: _ColumnBuilder) -> Iterator[ServiceRequest]:
    width = len(rows.header)
    zone = plan.zone
    columns = plan.columns
    statuses = builder.statuses
    for index, (line, row) in enumerate(rows):
        if len(row) != width:
            row = fit_row(row, width, builder.repairs, index, line)
        values: dict[str, Any] = {}
        for field, position, column, plain in columns:
            text = row[position].strip()
            if not text:
                values[field] = None
            elif plain:  # text as it is: no call
                values[field] = text
            else:
                values[field] = builder.cell(field, column, text, zone, index, line)
        yield _request(values, plan, statuses, builder, index, line)


def _detaching(rows: CsvRows, plan: _Plan | None, builder: _ColumnBuilder) -> Iterator[ServiceRequest]:
    try:
        if plan is not None:
            yield from _records(rows, plan, builder)
    finally:
        rows.detach()  # the caller's stream stays open


def _request(  # noqa: PLR0913
    values: dict[str, Any], plan: _Plan, statuses: StatusMapping, builder: _ColumnBuilder, index: int, line: int
) -> ServiceRequest:
    closed = values.get("closed_datetime")
    description = values.get("status_description")
    status = values.get("status")
    ext: dict[str, JSONValue] = {}
    if status is not None:
        status = builder.choice(status, Status, "status", index, line, ext, aliases=STATUS_ALIASES)
    else:
        status = statuses.status(description, closed=closed is not None)
    extensions: dict[str, JSONValue] = {
        "closed_datetime": format_datetime(closed) if isinstance(closed, datetime) else closed,
        "status_description": description,
        "source": values.get("source"),
        "service_subtype": values.get("service_subtype"),
    }
    for name in plan.extension_names:
        value = values.get(name)
        extensions[name] = format_datetime(value) if isinstance(value, datetime) else value
    extensions.update(ext)
    get = values.get
    return trusted_service_request(
        get("service_request_id"),
        status,
        get("status_notes"),
        get("service_name"),
        get("service_code"),
        get("description"),
        get("agency_responsible"),
        get("service_notice"),
        get("requested_datetime"),
        get("updated_datetime"),
        get("expected_datetime"),
        get("address"),
        get("address_id"),
        get("zipcode"),
        get("lat"),
        get("long"),
        get("media_url"),
        extensions,
    )


def iter_csv(
    source: Source,
    mapping: ColumnMapping,
    *,
    strict: bool = False,
    encoding: str = "utf-8-sig",
    member: str | None = None,
) -> DumpReader:
    """Stream a city's CSV export into service requests through ``mapping``, in constant memory.

    Gzip and zip files are read directly. Naive times are read in the
    mapping's zone; each record's ``extensions`` holds ``closed_datetime``
    (a W3C string with its offset), ``status_description``, ``source`` and
    ``service_subtype``, then the mapping's own extensions.

    Args:
        source: bytes, str, an ``os.PathLike`` path or a binary file.
        mapping: a shipped mapping (``NYC_311``...) or your own.
        strict: refuse cells that do not parse (with their line), raised
            together when the stream ends; by default such a cell is read as
            empty and reported in ``warnings``.
        encoding: the export's text encoding (UTF-8 with or without a BOM by default).
        member: the file to read inside a zip archive holding several.

    Returns:
        A ``DumpReader`` (``count``, ``warnings``).

    Raises:
        ParseError: the header lacks a declared column (all missing ones are
            named), or a row is not valid CSV (with its line).
    """
    opened = open_input(source, member=member)
    try:
        fmt = "csv"
        repairs = Repairs(strict=strict, format=fmt)
        rows = CsvRows(opened.stream, format=fmt, encoding=encoding)
        builder = _ColumnBuilder(repairs, mapping.statuses)
        plan = _Plan(mapping, rows.header, fmt) if rows.header else None
        records = _detaching(rows, plan, builder)
    except BaseException:
        opened.close()
        raise
    return DumpReader(opened, repairs, records, format=fmt)
