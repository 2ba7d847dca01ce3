"""The query strings of the GET methods, both ways (private; public names in ``params``).

This file owns what a GET query means: the common parameters
(``jurisdiction_id``, ``api_key``, ``extensions``), the filters of
``GET requests`` and their rules. The rules, stated once:

* an empty parameter is an absent one (§1.7), on reading and writing;
* list filters (``service_request_id``, ``service_code``, ``status``) are
  comma-separated and may also be repeated; items are trimmed, duplicates
  dropped; a value that holds a comma cannot be filtered for;
* any other standard parameter given twice with different values is an error;
* datetimes are written with seconds and no fraction; lenient reading repairs
  a missing zone, a date alone, a ``+`` sent as a space (each a
  ``DialectWarning``), strict reading refuses them;
* ``service_request_id`` overrides every other filter, the default window
  and the cap (``RequestsQuery.window``/``select``);
* bounds are inclusive; the default window is the 90 days up to now, one
  date alone spans 90 days from it; a span over ``max_span`` is refused;
* parameters nobody defines are kept in ``extra``, in arrival order.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import attrs

from georeport.errors import DialectWarning, ValidationError
from georeport.models import ServiceRequest, Status
from georeport.models._fields import aware_datetime, optional_str, to_enum
from georeport.wire._forms import (
    MAX_FIELDS,
    STANDARD,
    Dialect,
    FormSyntaxError,
    InvalidParametersError,
    ParameterError,
    decode_pairs,
    encode_query,
)
from georeport.wire._repairs import Repairs
from georeport.wire._values import Coercer, format_datetime, format_float

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_WINDOW",
    "BoundingBox",
    "Query",
    "RequestsQuery",
    "build_query",
    "parse_query",
    "parse_requests_query",
]

DEFAULT_WINDOW = timedelta(days=90)
"""The standard's window: the 90 days up to now, and the longest span a query may ask for."""
DEFAULT_LIMIT = 1000
"""The standard's cap on the requests one ``GET requests`` answers."""

_W3C_EXAMPLE = "a W3C datetime such as 2010-01-01T00:00:00Z"
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLUS_AS_SPACE = re.compile(r"(.*T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)")
_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


# --- values -------------------------------------------------------------------------------------
def _in_range(limit: float, what: str) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[float], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, float | int) or not -limit <= value <= limit:
            raise ValidationError(attribute.name, value, f"a {what} between {-limit:g} and {limit:g}")

    return check


@attrs.frozen
class BoundingBox:
    """A rectangle in degrees, as the ``bbox`` extension writes it: ``min_long,min_lat,max_long,max_lat``.

    Examples:
        >>> box = BoundingBox(24.929, 60.171, 24.946, 60.176)
        >>> str(box), box.contains(60.172, 24.93)
        ('24.929,60.171,24.946,60.176', True)
    """

    min_long: float = attrs.field(converter=float, validator=_in_range(180.0, "longitude"))
    min_lat: float = attrs.field(converter=float, validator=_in_range(90.0, "latitude"))
    max_long: float = attrs.field(converter=float, validator=_in_range(180.0, "longitude"))
    max_lat: float = attrs.field(converter=float, validator=_in_range(90.0, "latitude"))

    def __attrs_post_init__(self) -> None:
        if self.min_long > self.max_long or self.min_lat > self.max_lat:
            raise ValidationError("bbox", str(self), "min_long <= max_long and min_lat <= max_lat")

    def contains(self, lat: float, long: float) -> bool:
        """Whether the point is inside or on the edge."""
        return self.min_lat <= lat <= self.max_lat and self.min_long <= long <= self.max_long

    def __str__(self) -> str:
        """The ``bbox`` parameter's text."""
        return ",".join(format_float(value) for value in (self.min_long, self.min_lat, self.max_long, self.max_lat))


def _items(field: str, value: Iterable[object] | str) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    for item in items:
        if not isinstance(item, str) or not item or item != item.strip() or "," in item:
            expected = "non-empty values without ',' or surrounding spaces (',' separates the list)"
            raise ValidationError(field, item, expected)
    return tuple(dict.fromkeys(items))  # type: ignore[arg-type]  # checked above


def _ids(value: Iterable[str] | str) -> tuple[str, ...]:
    return _items("service_request_id", value)


def _codes(value: Iterable[str] | str) -> tuple[str, ...]:
    return _items("service_code", value)


def _statuses(value: Iterable[Status | str] | Status | str) -> tuple[Status, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    return tuple(dict.fromkeys(to_enum(Status, item, "status") for item in items))


def _extra(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((name, text) for name, text in items)


def _check_extra(instance: Query, _attribute: object, value: tuple[tuple[object, object], ...]) -> None:
    for name, text in value:
        if not isinstance(name, str) or not name or name in instance.PARAMETERS:
            raise ValidationError("extra", name, "names of parameters this query does not define")
        if not isinstance(text, str) or not text:
            raise ValidationError("extra", (name, text), "non-empty text (an empty parameter is an absent one)")


def _positive(minimum: int) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < minimum):
            raise ValidationError(attribute.name, value, f"a whole number of at least {minimum}")

    return check


@attrs.frozen(kw_only=True)
class Query:
    """The query of a GET other than ``GET requests``: the parameters every method shares.

    Examples:
        >>> parse_query("jurisdiction_id=city.gov&locale=fi")
        Query(jurisdiction_id='city.gov', api_key=None, extensions=False, extra=(('locale', 'fi'),))
    """

    jurisdiction_id: str | None = attrs.field(default=None, validator=optional_str)
    api_key: str | None = attrs.field(default=None, validator=optional_str)
    """Sent on GETs only by servers that want it (``Dialect.api_key_on_get``)."""
    extensions: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    """``extensions=true``: ask for the data outside the standard (§6.3)."""
    extra: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_extra, validator=_check_extra)
    """Parameters nobody defines (``locale``, Chicago's ``q``...), in arrival order."""
    warnings: tuple[Warning, ...] = attrs.field(default=(), eq=False, hash=False, repr=False)
    """Repairs the lenient reader made (empty when built in code)."""

    PARAMETERS: ClassVar[frozenset[str]] = frozenset({"jurisdiction_id", "api_key", "extensions"})
    """The parameter names this query reads (everything else goes to ``extra``)."""


@attrs.frozen(kw_only=True)
class RequestsQuery(Query):
    """The query of ``GET requests``: filters, window, pages.

    Every field is what the client sent (None or empty when it sent nothing);
    ``window``, ``limit`` and ``select`` apply the standard's defaults.

    Examples:
        >>> from datetime import datetime, timezone
        >>> q = parse_requests_query("status=open,closed&start_date=2010-05-24T00:00:00Z")
        >>> q.status, q.window(now=datetime(2011, 1, 1, tzinfo=timezone.utc))[1].isoformat()
        ((<Status.OPEN: 'open'>, <Status.CLOSED: 'closed'>), '2010-08-22T00:00:00+00:00')
        >>> parse_requests_query("status=pending")
        Traceback (most recent call last):
        ...
        georeport.wire.params.InvalidParametersError: 1 invalid parameter(s), answer with HTTP 400:
          - 'status' must be 'open' or 'closed' (got 'pending')
    """

    service_request_id: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    """Ids to fetch; when given, every other filter, the window and the cap are ignored."""
    service_code: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    status: tuple[Status, ...] = attrs.field(default=(), converter=_statuses)
    start_date: datetime | None = attrs.field(default=None, validator=aware_datetime)
    end_date: datetime | None = attrs.field(default=None, validator=aware_datetime)
    updated_after: datetime | None = attrs.field(default=None, validator=aware_datetime)
    updated_before: datetime | None = attrs.field(default=None, validator=aware_datetime)
    bbox: BoundingBox | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(BoundingBox))
    )
    page: int | None = attrs.field(default=None, validator=_positive(0))
    """One-based; ``0`` is read as the first page, as uReport does."""
    page_size: int | None = attrs.field(default=None, validator=_positive(1))

    PARAMETERS: ClassVar[frozenset[str]] = Query.PARAMETERS | {
        "service_request_id",
        "service_code",
        "status",
        "start_date",
        "end_date",
        "updated_after",
        "updated_before",
        "bbox",
        "page",
        "page_size",
    }

    @property
    def limit(self) -> int | None:
        """The most requests one answer holds: ``page_size`` or 1,000; None when ids are given."""
        if self.service_request_id:
            return None
        return self.page_size or DEFAULT_LIMIT

    def window(self, *, now: datetime) -> tuple[datetime, datetime] | None:
        """The inclusive ``requested_datetime`` range asked for, with the standard's defaults.

        Neither date: the 90 days up to ``now``. ``start_date`` alone: 90 days
        from it; ``end_date`` alone: the 90 days up to it. None when
        ``service_request_id`` overrides the filters.

        Raises:
            ValidationError: ``now`` has no zone.
        """
        if now.utcoffset() is None:
            raise ValidationError("now", now, "a timezone-aware datetime")
        if self.service_request_id:
            return None
        start, end = self.start_date, self.end_date
        if start is not None and end is not None:
            return start, end
        if start is not None:
            return start, start + DEFAULT_WINDOW
        end = end or now
        return end - DEFAULT_WINDOW, end

    def matches(self, request: ServiceRequest, *, now: datetime) -> bool:
        """Whether a request passes every filter (AND across filters, OR within a list)."""
        if self.service_request_id:
            return request.service_request_id in self.service_request_id
        window = self.window(now=now)
        assert window is not None  # noqa: S101 - no ids, so a window
        checks = (
            not self.service_code or request.service_code in self.service_code,
            not self.status or request.status in self.status,
            _between(request.requested_datetime, window[0], window[1]),
            _between(request.updated_datetime, self.updated_after, self.updated_before),
            self.bbox is None
            or (request.lat is not None and request.long is not None and self.bbox.contains(request.lat, request.long)),
        )
        return all(checks)

    def select(self, requests: Iterable[ServiceRequest], *, now: datetime) -> list[ServiceRequest]:
        """The page of ``requests`` this query asks for: filtered, newest first, capped.

        With ids, the requests with those ids in the order asked, uncapped.
        """
        found = [request for request in requests if self.matches(request, now=now)]
        if self.service_request_id:
            rank = {identifier: index for index, identifier in enumerate(self.service_request_id)}
            return sorted(found, key=lambda request: rank[request.service_request_id or ""])
        found.sort(key=_newest_first)
        limit = self.limit or DEFAULT_LIMIT
        offset = (max(self.page or 1, 1) - 1) * limit
        return found[offset : offset + limit]


def _between(value: datetime | None, low: datetime | None, high: datetime | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or low <= value) and (high is None or value <= high)


def _newest_first(request: ServiceRequest) -> tuple[bool, float]:
    when = request.requested_datetime
    return when is None, -when.timestamp() if when is not None else 0.0


# --- reading ------------------------------------------------------------------------------------
class _Reader:
    """Reads one query's pairs into fields, collecting problems and repairs."""

    def __init__(self, parameters: frozenset[str], *, strict: bool, dialect: Dialect) -> None:
        self.parameters = parameters
        self.strict = strict
        self.dialect = dialect
        self.single: dict[str, str] = {}
        self.lists: dict[str, list[str]] = {}
        self.extra: list[tuple[str, str]] = []
        self.problems: list[ParameterError] = []
        self.repairs: list[DialectWarning] = []

    def read(self, pairs: Iterable[tuple[str, str]], lists: frozenset[str]) -> None:
        for name, value in pairs:
            if not value:
                continue  # §1.7: empty is absent
            if name in lists:
                items = self.lists.setdefault(name, [])
                items.extend(item.strip() for item in value.split(",") if item.strip())
            elif name not in self.parameters:
                self.extra.append((name, value))
            elif self.single.setdefault(name, value) != value:
                self.problems.append(
                    ParameterError(name, value, f"given once (it was also given as {self.single[name]!r})")
                )

    def common(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "jurisdiction_id": self.single.get("jurisdiction_id"),
            "api_key": self.single.get("api_key"),
            "extra": tuple(self.extra),
        }
        text = self.single.get("extensions")
        if text is not None:
            word = text.strip().lower()
            if word not in _TRUE | _FALSE:
                self.problems.append(ParameterError("extensions", text, "'true' or 'false'"))
            found["extensions"] = word in _TRUE
        return found

    def moment(self, field: str, *, upper: bool) -> datetime | None:
        text = self.single.get(field)
        if text is None:
            return None
        value = text.strip()
        repairs: list[DialectWarning] = []
        plus = _PLUS_AS_SPACE.fullmatch(value)
        if plus:
            value = f"{plus[1]}+{plus[2]}"
            repairs.append(
                self._repair("plus-as-space", field, "a '+' sent unencoded (read as a space), restored", text)
            )
        parsed: datetime | None
        if _DATE_ONLY.fullmatch(value):
            parsed = self._date(field, value, text, upper=upper, repairs=repairs)
        else:
            book = Repairs(strict=False, format="query")
            parsed = Coercer(book, textual=True, default_timezone=self.dialect.timezone).timestamp(
                value, field, None, None, {}
            )
            for repair in book.warnings:
                if repair.code == "datetime-without-zone" and not self.dialect.query_zone:
                    continue  # the dialect writes them so
                repair.example = text
                repairs.append(repair)
        if parsed is None:
            self.problems.append(ParameterError(field, text, _W3C_EXAMPLE))
            return None
        if self.strict and repairs:
            expected = f"{_W3C_EXAMPLE} ({'; '.join(repair.detail for repair in repairs)})"
            self.problems.append(ParameterError(field, text, expected))
            return None
        self.repairs.extend(repairs)
        return parsed

    def _date(
        self, field: str, value: str, text: str, *, upper: bool, repairs: list[DialectWarning]
    ) -> datetime | None:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        start = datetime(day.year, day.month, day.day, tzinfo=self.dialect.timezone)
        edge = "end" if upper else "start"
        repairs.append(self._repair("date-only", field, f"a date without a time, read as the {edge} of that day", text))
        return start + timedelta(days=1, microseconds=-1) if upper else start

    @staticmethod
    def _repair(code: str, field: str, detail: str, example: str) -> DialectWarning:
        return DialectWarning(code, field, detail, path=f"$.{field}", example=example)

    def whole(self, field: str, minimum: int, maximum: int | None) -> int | None:
        text = self.single.get(field)
        if text is None:
            return None
        try:
            number = int(text.strip())
        except ValueError:
            number = None
        if number is None or number < minimum or (maximum is not None and number > maximum):
            bound = f" and at most {maximum}" if maximum is not None else ""
            self.problems.append(ParameterError(field, text, f"a whole number of at least {minimum}{bound}"))
            return None
        return number

    def bbox(self) -> BoundingBox | None:
        text = self.single.get("bbox")
        if text is None:
            return None
        try:
            numbers = [float(part) for part in text.split(",")]
            if len(numbers) != 4 or not all(math.isfinite(number) for number in numbers):  # noqa: PLR2004
                raise ValueError(text)  # noqa: TRY301 - one message for every shape of wrong
            return BoundingBox(*numbers)
        except ValueError:
            expected = "min_long,min_lat,max_long,max_lat in degrees, each min not above its max"
            self.problems.append(ParameterError("bbox", text, expected))
            return None

    def finish(self) -> tuple[DialectWarning, ...]:
        if self.problems:
            raise InvalidParametersError(self.problems)
        for repair in self.repairs:
            warnings.warn(repair, stacklevel=3)
        return tuple(self.repairs)


def _pairs(query: bytes | str | Iterable[tuple[str, str]], max_fields: int) -> list[tuple[str, str]]:
    if isinstance(query, bytes | bytearray | str):
        text = query[1:] if query[:1] in ("?", b"?") else query
        try:
            return decode_pairs(text, plus_is_space=True, max_fields=max_fields)
        except FormSyntaxError as exc:
            raise InvalidParametersError([exc.problem]) from None
    return list(query)


def parse_query(query: bytes | str | Iterable[tuple[str, str]], *, max_fields: int = MAX_FIELDS) -> Query:
    """Read the query of a GET other than ``GET requests`` (discovery, services, a definition, a token, a request).

    Args:
        query: the query string (``bytes`` as received, or ``str``; a
            leading ``?`` is ignored), or decoded ``(name, value)`` pairs.
        max_fields: refuse more parameters than this (413).

    Raises:
        InvalidParametersError: every bad value at once, each with its status.
    """
    reader = _Reader(Query.PARAMETERS, strict=True, dialect=STANDARD)
    reader.read(_pairs(query, max_fields), frozenset())
    fields = reader.common()
    reader.finish()
    return Query(**fields)


def parse_requests_query(  # noqa: PLR0913 - each option is one of the standard's open choices
    query: bytes | str | Iterable[tuple[str, str]],
    *,
    strict: bool = False,
    dialect: Dialect = STANDARD,
    max_span: timedelta | None = DEFAULT_WINDOW,
    max_page_size: int | None = DEFAULT_LIMIT,
    max_fields: int = MAX_FIELDS,
) -> RequestsQuery:
    """Read the query of ``GET requests`` into a ``RequestsQuery``.

    Args:
        query: the query string (``bytes`` or ``str``, a leading ``?``
            ignored) or decoded ``(name, value)`` pairs.
        strict: refuse datetimes without a zone, dates alone and an
            unencoded ``+``; by default they are repaired, each repair a
            ``DialectWarning`` (issued, and kept in ``warnings``).
        dialect: ``timezone`` is the zone of datetimes sent without one;
            with ``query_zone=False`` those are expected and not repairs.
        max_span: the longest ``start_date``..``end_date`` span accepted
            (None: any); the standard's is 90 days.
        max_page_size: the largest ``page_size`` accepted (None: any).
        max_fields: refuse more parameters than this (413).

    Raises:
        InvalidParametersError: every bad value at once, each a 400 (413 for
            too many parameters). Anything else is a bug.
    """
    reader = _Reader(RequestsQuery.PARAMETERS, strict=strict, dialect=dialect)
    reader.read(_pairs(query, max_fields), frozenset({"service_request_id", "service_code", "status"}))
    fields = reader.common()
    fields["service_request_id"] = reader.lists.get("service_request_id", ())
    fields["service_code"] = reader.lists.get("service_code", ())
    statuses: list[Status] = []
    for item in reader.lists.get("status", ()):
        try:
            statuses.append(Status(item.lower()))
        except ValueError:
            reader.problems.append(ParameterError("status", item, "'open' or 'closed'"))
    fields["status"] = statuses
    for name in ("start_date", "updated_after"):
        fields[name] = reader.moment(name, upper=False)
    for name in ("end_date", "updated_before"):
        fields[name] = reader.moment(name, upper=True)
    fields["bbox"] = reader.bbox()
    fields["page"] = reader.whole("page", 0, None)
    fields["page_size"] = reader.whole("page_size", 1, max_page_size)
    _check_order(reader, fields, "start_date", "end_date", max_span if not fields["service_request_id"] else None)
    _check_order(reader, fields, "updated_after", "updated_before", None)
    repairs = reader.finish()
    return RequestsQuery(**fields, warnings=repairs)


def _check_order(reader: _Reader, fields: dict[str, Any], low: str, high: str, span: timedelta | None) -> None:
    start, end = fields[low], fields[high]
    if start is None or end is None:
        return
    if end < start:
        reader.problems.append(ParameterError(high, reader.single[high], f"not before {low} ({reader.single[low]})"))
    elif span is not None and end - start > span:
        days = (end - start) / timedelta(days=1)
        reader.problems.append(
            ParameterError(
                high, reader.single[high], f"at most {span.days} days after {low} (the span is {days:g} days)"
            )
        )


# --- writing ------------------------------------------------------------------------------------
def _query_datetime(value: datetime, dialect: Dialect) -> str:
    whole = value.replace(microsecond=0)
    if dialect.query_zone:
        return format_datetime(whole)
    return whole.astimezone(dialect.timezone).replace(tzinfo=None).isoformat(timespec="seconds")


def build_query(query: Query, *, dialect: Dialect = STANDARD) -> str:
    """The query string (without ``?``) for a ``Query`` or ``RequestsQuery``; empty parameters omitted.

    Datetimes are written to the second, with their own offset (``Z`` for
    UTC), or without a zone in ``dialect.timezone`` when ``query_zone`` is off.

    Examples:
        >>> from datetime import datetime, timezone
        >>> build_query(RequestsQuery(service_code=["001", "a b"], start_date=datetime(2010, 5, 24, tzinfo=timezone.utc)))
        'service_code=001,a%20b&start_date=2010-05-24T00:00:00Z'
    """
    pairs: list[tuple[str, str]] = []
    if query.jurisdiction_id:
        pairs.append(("jurisdiction_id", query.jurisdiction_id))
    if isinstance(query, RequestsQuery):
        for name in ("service_request_id", "service_code"):
            items: tuple[str, ...] = getattr(query, name)
            if items:
                pairs.append((name, ",".join(items)))
        if query.status:
            pairs.append(("status", ",".join(status.value for status in query.status)))
        for name in ("start_date", "end_date", "updated_after", "updated_before"):
            moment: datetime | None = getattr(query, name)
            if moment is not None:
                pairs.append((name, _query_datetime(moment, dialect)))
        if query.bbox is not None:
            pairs.append(("bbox", str(query.bbox)))
        for name in ("page", "page_size"):
            number: int | None = getattr(query, name)
            if number is not None:
                pairs.append((name, str(number)))
    if query.extensions:
        pairs.append(("extensions", "true"))
    if query.api_key:
        pairs.append(("api_key", query.api_key))
    pairs.extend(query.extra)
    return encode_query(pairs)
