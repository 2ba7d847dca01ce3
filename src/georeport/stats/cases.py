"""The columnar case table: every case as a row of numpy arrays, the input of every statistic.

All instants are ``datetime64[ns]`` in UTC (``NaT`` when missing), so every
duration is exact integer arithmetic, never wall-clock arithmetic across a DST
change. Text dimensions (agency, service, channel, area...) are ``Categories``:
integer codes into a tuple of labels, ``-1`` for missing.

Where a close time comes from matters (issue 10): it is the close event of the
lifecycle history, or a dump's Bulk ``closed_datetime``/``closed_date``. Only
when neither exists and the request is closed is ``updated_datetime`` used, and
then the row's ``proxy`` flag is set and every figure using it says so. A note
added after closing moves ``updated_datetime`` and nothing here.

Open intervals (``span_case``/``span_start``/``span_end``) reproduce the
backlog at any past date: a reopened case has one interval per time it was open.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from georeport.errors import ValidationError
from georeport.lifecycle import Case, Channel, ClosureReason, NoteAdded
from georeport.models import ServiceRequest, Status
from georeport.stats.areas import Areas

__all__ = [
    "CLOSED_UNKNOWN_REASON",
    "OPEN",
    "REASONS",
    "CaseTable",
    "Categories",
    "Instants",
    "channel_of",
    "closure_reason_of",
    "to_instants",
]

Instants: TypeAlias = NDArray[np.datetime64]
"""An array of ``datetime64[ns]`` UTC instants; ``NaT`` for missing."""

REASONS: Final = tuple(ClosureReason)
"""The closure reasons in code order: ``reason`` column value ``i`` is ``REASONS[i]``."""
OPEN: Final = -1
"""The ``reason`` code of a case open at the as-of time."""
CLOSED_UNKNOWN_REASON: Final = -2
"""The ``reason`` code of a closed case whose closure reason is unknown (a dump without one)."""

NAT: Final = np.datetime64("NaT", "ns")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_NS: Final = timedelta(microseconds=1)

DIMENSIONS: Final = ("agency", "service", "service_group", "channel", "area", "referred_to")
"""The dimensions every table has (``Categories`` in ``CaseTable.dimensions``)."""


def _ns(value: datetime | None) -> int:
    """Nanoseconds since the epoch (UTC) of an aware datetime; NaT's integer for None."""
    if value is None:
        return int(NAT.astype(np.int64))
    return ((value - _EPOCH) // _NS) * 1000


def to_instants(values: Iterable[datetime | None]) -> Instants:
    """Aware datetimes (or None) as a ``datetime64[ns]`` UTC array.

    Raises:
        georeport.ValidationError: a datetime is naive.

    Examples:
        >>> from datetime import datetime, timezone, timedelta
        >>> to_instants([datetime(2024, 3, 1, 9, tzinfo=timezone(timedelta(hours=-5))), None])
        array(['2024-03-01T14:00:00.000000000',                           'NaT'],
              dtype='datetime64[ns]')
    """
    out = []
    for value in values:
        if value is not None and value.utcoffset() is None:
            raise ValidationError("datetime", value, "a timezone-aware datetime")
        out.append(_ns(value))
    return np.array(out, dtype=np.int64).view("datetime64[ns]")


@attrs.frozen(eq=False)
class Categories:
    """A text column as integer codes into ``labels``; ``-1`` is missing (shown as ``unknown``).

    Examples:
        >>> column = Categories.of(["Parks", None, "Roads", "Parks"])
        >>> column.codes.tolist(), column.labels
        ([0, -1, 1, 0], ('Parks', 'Roads'))
    """

    codes: NDArray[np.int32]
    """One code per case."""
    labels: tuple[str, ...]
    """The distinct values, sorted."""

    @classmethod
    def of(cls, values: Iterable[str | None]) -> Categories:
        """Encode values (None or ``""`` for missing); labels are sorted, so the encoding is deterministic."""
        items = ["" if value is None else str(value) for value in values]
        labels = sorted({item for item in items if item})
        index = {label: code for code, label in enumerate(labels)}
        codes = np.fromiter((index.get(item, -1) for item in items), dtype=np.int32, count=len(items))
        return cls(codes, tuple(labels))

    @classmethod
    def missing(cls, size: int) -> Categories:
        """A column of ``size`` missing values."""
        return cls(np.full(size, -1, dtype=np.int32), ())

    def take(self, index: NDArray[np.intp] | NDArray[np.bool_]) -> Categories:
        """The rows selected by ``index``, the labels unchanged."""
        return Categories(self.codes[index], self.labels)

    def label(self, code: int) -> str:
        """The label of ``code``; ``unknown`` for -1."""
        return "unknown" if code < 0 else self.labels[code]


_CHANNEL_WORDS: Final = (
    (Channel.MOBILE_APP, ("app", "mobile", "iphone", "android", "ios", "smartphone", "aplicaci")),
    (Channel.SOCIAL_MEDIA, ("twitter", "facebook", "social", "whatsapp", "instagram", "redes", "x.com")),
    (Channel.EMAIL, ("email", "e-mail", "mail electr", "correo")),
    (Channel.PHONE, ("phone", "call", "tel", "311", "voice", "llamada")),
    (Channel.WEB, ("web", "internet", "online", "portal", "website", "sitio")),
    (Channel.WALK_IN, ("walk", "counter", "in person", "in-person", "presencial", "ventanilla", "office")),
    (Channel.MAIL, ("mail", "letter", "post", "carta")),
)


def channel_of(value: str | None) -> Channel | None:
    """A vendor's channel text (Bulk ``source``, Chicago's ``channel``) as a ``Channel``; None when empty.

    Unrecognised text is ``Channel.OTHER``.

    Examples:
        >>> channel_of("Mobile App"), channel_of("Phone Call"), channel_of("carrier pigeon"), channel_of(" ")
        (<Channel.MOBILE_APP: 'mobile_app'>, <Channel.PHONE: 'phone'>, <Channel.OTHER: 'other'>, None)
    """
    if value is None or not value.strip():
        return None
    text = value.strip().lower().replace("_", " ")
    try:
        return Channel(text.replace(" ", "_"))
    except ValueError:
        pass
    for channel, words in _CHANNEL_WORDS:
        if any(word in text for word in words):
            return channel
    return Channel.OTHER


_REASON_WORDS: Final = (
    (ClosureReason.DUPLICATE, ("duplicate", "duplicado", "dup ")),
    (ClosureReason.REFERRED, ("refer", "transfer", "forward", "another agency", "otra entidad", "remitid", "traslad")),
    (ClosureReason.WITHDRAWN, ("withdr", "cancel", "retract", "desist", "anulad")),
    (
        ClosureReason.NOT_ACTIONABLE,
        (
            "not actionable",
            "no action",
            "unable",
            "invalid",
            "not found",
            "could not",
            "no violation",
            "insufficient",
            "not valid",
            "no procede",
            "improcedente",
            "sin acci",
        ),
    ),
    (
        ClosureReason.RESOLVED,
        ("resolved", "completed", "complete", "fixed", "repaired", "done", "resuelt", "atendid", "reparad"),
    ),
)


def closure_reason_of(value: str | None) -> ClosureReason | None:
    """A closed request's status text (Bulk ``status_description``) as a ``ClosureReason``; None when unknown.

    Only words that say the problem was fixed make ``resolved``: a bare
    ``Closed`` gives None, so it is counted as closed, never as resolved.

    Examples:
        >>> closure_reason_of("Closed - Duplicate"), closure_reason_of("Completed"), closure_reason_of("Closed")
        (<ClosureReason.DUPLICATE: 'duplicate'>, <ClosureReason.RESOLVED: 'resolved'>, None)
    """
    if value is None:
        return None
    text = value.strip().lower().replace("_", " ")
    try:
        return ClosureReason(text.replace(" ", "_"))
    except ValueError:
        pass
    for reason, words in _REASON_WORDS:
        if any(word in text for word in words):
            return reason
    return None


_DATE_ONLY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_instant(value: object, *, field: str, zone: tzinfo) -> datetime | None:
    """A Bulk datetime value (W3C text, a date, or a datetime) as an aware datetime; naive ones take ``zone``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(0))
    elif isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(field, value, "a W3C datetime such as 2024-03-01T09:30:00-05:00") from None
    else:
        raise ValidationError(field, value, "a W3C datetime string")
    if parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _extension(request: ServiceRequest, *names: str) -> object:
    for name in names:
        if name in request.extensions:
            return request.extensions[name]
        extended = request.extensions.get("extended_attributes")
        if isinstance(extended, dict) and name in extended:
            return extended[name]
    return None


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


_Extra: TypeAlias = Mapping[str, Callable[[ServiceRequest], str | None]]


def _span_arrays(spans: list[tuple[int, int, int]]) -> tuple[NDArray[np.int64], Instants, Instants]:
    array = np.array(spans, dtype=np.int64).reshape(-1, 3)
    return array[:, 0].copy(), array[:, 1].view("datetime64[ns]"), array[:, 2].view("datetime64[ns]")


@attrs.frozen(eq=False, kw_only=True)
class CaseTable:
    """Every case as a row of numpy arrays; build one with ``from_cases``, ``from_requests`` or ``from_arrays``.

    Times are ``datetime64[ns]`` UTC; ``NaT`` marks what did not happen (yet).
    """

    ids: NDArray[np.object_]
    """``service_request_id`` of each case (``""`` when it had none)."""
    requested: Instants
    """When each request was received (the clocks start here)."""
    first_response: Instants
    """The first response (a response state reached); NaT when none."""
    first_closed: Instants
    """The first close; NaT when never closed."""
    closed: Instants
    """The close the case is in now; NaT when open."""
    reason: NDArray[np.int8]
    """``REASONS`` index of why it closed; ``OPEN`` (-1) when open, ``CLOSED_UNKNOWN_REASON`` (-2) when unknown."""
    reopenings: NDArray[np.int32]
    """How many times it was reopened."""
    reopened: Instants
    """The first reopening after the first close; NaT when never."""
    proxy: NDArray[np.bool_]
    """The close time is ``updated_datetime``, not a close event (a proxy)."""
    close_unknown: NDArray[np.bool_]
    """Closed, but no close time at all (not even ``updated_datetime``)."""
    duplicate_of: NDArray[np.object_]
    """The original's id for a duplicate child; ``""`` otherwise."""
    dimensions: dict[str, Categories]
    """``agency``, ``service``, ``service_group``, ``channel``, ``area``, ``referred_to`` and any extra ones."""
    span_case: NDArray[np.int64]
    """Open intervals: the row each belongs to (sorted by row, then start)."""
    span_start: Instants
    """When each open interval began."""
    span_end: Instants
    """When it ended (a close); NaT while still open."""
    pause_case: NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    """Clock pauses: the row each belongs to."""
    pause_start: Instants = attrs.field(factory=lambda: np.zeros(0, dtype="datetime64[ns]"))
    """When each pause began."""
    pause_end: Instants = attrs.field(factory=lambda: np.zeros(0, dtype="datetime64[ns]"))
    """When it ended; NaT while it lasts."""
    responses_recorded: bool = True
    """Whether the source records first responses at all (a Bulk dump usually does not): without them
    response figures would read 0%, so reports leave them out and say why."""

    def __len__(self) -> int:
        """The number of cases."""
        return int(self.requested.shape[0])

    # --- building -------------------------------------------------------------------------------

    @classmethod
    def from_arrays(  # noqa: PLR0913 - the columns, each optional but the first
        cls,
        *,
        requested: Instants,
        closed: Instants | None = None,
        first_response: Instants | None = None,
        reason: NDArray[np.int8] | None = None,
        dimensions: Mapping[str, Categories] | None = None,
        ids: NDArray[np.object_] | None = None,
        duplicate_of: NDArray[np.object_] | None = None,
        proxy: NDArray[np.bool_] | None = None,
    ) -> CaseTable:
        """A table straight from arrays (the fast path: a million rows in milliseconds).

        Each case is open from ``requested`` to ``closed`` (one interval; no
        reopenings). ``reason`` defaults to ``resolved`` for closed rows.

        Raises:
            georeport.ValidationError: the arrays differ in length.
        """
        size = len(requested)
        requested = np.asarray(requested, dtype="datetime64[ns]")
        closed = np.full(size, NAT) if closed is None else np.asarray(closed, dtype="datetime64[ns]")
        first_response = (
            np.full(size, NAT) if first_response is None else np.asarray(first_response, dtype="datetime64[ns]")
        )
        is_closed = ~np.isnat(closed)
        if reason is None:
            reason = np.where(is_closed, 0, OPEN).astype(np.int8)
        columns = {name: Categories.missing(size) for name in DIMENSIONS}
        columns.update(dimensions or {})
        for name, column in {
            "closed": closed,
            "first_response": first_response,
            "reason": reason,
            **{f"dimensions[{key!r}]": value.codes for key, value in columns.items()},
        }.items():
            if len(column) != size:
                raise ValidationError(name, len(column), f"{size} values, one per requested time")
        empty = np.zeros(size, dtype=np.object_)
        empty[:] = ""
        return cls(
            ids=empty.copy() if ids is None else ids,
            requested=requested,
            first_response=first_response,
            first_closed=closed,
            closed=closed,
            reason=np.asarray(reason, dtype=np.int8),
            reopenings=np.zeros(size, dtype=np.int32),
            reopened=np.full(size, NAT),
            proxy=np.zeros(size, dtype=np.bool_) if proxy is None else proxy,
            close_unknown=np.zeros(size, dtype=np.bool_),
            duplicate_of=empty if duplicate_of is None else duplicate_of,
            dimensions=columns,
            span_case=np.arange(size, dtype=np.int64),
            span_start=requested,
            span_end=closed,
        )

    @classmethod
    def from_cases(
        cls,
        cases: Iterable[Case],
        *,
        service_groups: Mapping[str, str] | None = None,
        extra: _Extra | None = None,
    ) -> CaseTable:
        """A table from lifecycle cases: close and response times from their histories.

        Args:
            cases: the cases.
            service_groups: ``service_code`` to service group, for the ``service_group`` dimension.
            extra: more dimensions, each a function of the request (``{"area": lambda r: ...}``
                fills ``area``; any other name adds a dimension).

        The close time is the close event's; notes (``NoteAdded``) are ignored.
        """
        rows: list[dict[str, Any]] = []
        spans: list[tuple[int, int, int]] = []
        pauses: list[tuple[int, int, int]] = []
        nat = _ns(None)
        for row, case in enumerate(cases):
            request = case.request
            state = case.workflow.initial_state
            first_closed = reopened = None
            open_since: datetime | None = request.requested_datetime
            for event in case.events:
                if isinstance(event, NoteAdded):
                    continue
                target = case.workflow.state(event.to_state)
                if state.is_open and target.is_closed:
                    spans.append((row, _ns(open_since), _ns(event.at)))
                    first_closed = first_closed or event.at
                    open_since = None
                elif state.is_closed and target.is_open:
                    reopened = reopened or event.at
                    open_since = event.at
                state = target
            if open_since is not None:
                spans.append((row, _ns(open_since), nat))
            pauses.extend((row, _ns(pause.start), _ns(pause.end)) for pause in case.pauses)
            referral = case.referral
            rows.append(
                {
                    "request": request,
                    "id": request.service_request_id or "",
                    "requested": request.requested_datetime,
                    "first_response": case.first_response_datetime,
                    "first_closed": first_closed,
                    "closed": case.closed_datetime,
                    "reason": case.closure_reason,
                    "reopenings": case.reopenings,
                    "reopened": reopened,
                    "duplicate_of": case.duplicate_of or "",
                    "channel": case.channel.value,
                    "referred_to": referral.to_jurisdiction if referral is not None else None,
                }
            )
        return cls._build(rows, spans, pauses, service_groups=service_groups, extra=extra)

    @classmethod
    def from_requests(
        cls,
        requests: Iterable[ServiceRequest],
        *,
        service_groups: Mapping[str, str] | None = None,
        extra: _Extra | None = None,
        timezone: tzinfo = UTC,
    ) -> CaseTable:
        """A table from parsed requests (a dump), reading the Bulk fields from ``extensions``.

        Close time: ``closed_datetime`` (or ``closed_date``); when a closed
        request has neither, ``updated_datetime`` stands in and the row is
        flagged ``proxy``; with none of them the row is ``close_unknown``.
        Closure reason from ``status_description`` (``closure_reason_of``),
        channel from ``source`` (``channel_of``), service group from
        ``service_subtype``'s parent ``service_group`` when given, else
        ``service_groups``; first response from ``first_response_datetime``
        when a dump carries one; ``duplicate_of`` and ``referred_to`` when present; a
        ``service_subtype`` dimension when some request has a Bulk ``service_subtype``, and a
        ``jurisdiction`` dimension when some request carries a ``jurisdiction_id`` (or the
        ``routed_jurisdiction_id`` that ``georeport route`` adds).

        Args:
            requests: the requests.
            service_groups: ``service_code`` to service group.
            extra: more dimensions, each a function of the request.
            timezone: the zone of date-only or zone-less close times.

        Raises:
            georeport.ValidationError: a request has no ``requested_datetime``, or a close time
                cannot be read (the message names the request).
        """
        rows: list[dict[str, Any]] = []
        spans: list[tuple[int, int, int]] = []
        nat = _ns(None)
        for row, request in enumerate(requests):
            where = f"request {request.service_request_id or row!r}"
            if request.requested_datetime is None:
                raise ValidationError(
                    "requested_datetime", None, f"a timezone-aware datetime: every statistic starts there ({where})"
                )
            try:
                closed = _parse_instant(
                    _extension(request, "closed_datetime", "closed_date"), field="closed_datetime", zone=timezone
                )
                responded = _parse_instant(
                    _extension(request, "first_response_datetime"), field="first_response_datetime", zone=timezone
                )
            except ValidationError as error:
                error.add_note(f"({where})")
                raise
            is_closed = request.status is Status.CLOSED
            proxy = False
            if not is_closed:
                closed = None
            elif closed is None and request.updated_datetime is not None:
                closed, proxy = request.updated_datetime, True
            description = _text(_extension(request, "status_description"))
            reason: ClosureReason | None = closure_reason_of(description) if is_closed else None
            duplicate_of = _text(_extension(request, "duplicate_of", "parent_service_request_id")) or ""
            if is_closed and reason is None and duplicate_of:
                reason = ClosureReason.DUPLICATE
            spans.append((row, _ns(request.requested_datetime), _ns(closed) if closed is not None else nat))
            source = _text(_extension(request, "source", "channel"))
            channel = channel_of(source)
            rows.append(
                {
                    "request": request,
                    "id": request.service_request_id or "",
                    "requested": request.requested_datetime,
                    "first_response": responded,
                    "first_closed": closed,
                    "closed": closed,
                    "reason": reason,
                    "closed_flag": is_closed,
                    "proxy": proxy,
                    "reopenings": 0,
                    "reopened": None,
                    "duplicate_of": duplicate_of,
                    "channel": channel.value if channel is not None else None,
                    "referred_to": _text(_extension(request, "referred_to", "transferred_to")),
                    "service_group": _text(_extension(request, "service_group")),
                    "service_subtype": _text(_extension(request, "service_subtype")),
                }
            )
        table = cls._build(rows, spans, [], service_groups=service_groups, extra=extra)
        recorded = any(row["first_response"] is not None for row in rows)
        return table if recorded else attrs.evolve(table, responses_recorded=False)

    @classmethod
    def _build(
        cls,
        rows: Sequence[dict[str, Any]],
        spans: list[tuple[int, int, int]],
        pauses: list[tuple[int, int, int]],
        *,
        service_groups: Mapping[str, str] | None,
        extra: _Extra | None,
    ) -> CaseTable:
        def instants(key: str) -> Instants:
            return np.array([_ns(row[key]) for row in rows], dtype=np.int64).view("datetime64[ns]")

        reasons = {reason: code for code, reason in enumerate(REASONS)}
        reason = np.array(
            [
                reasons[row["reason"]]
                if row["reason"] is not None
                else (CLOSED_UNKNOWN_REASON if row.get("closed_flag", row["closed"] is not None) else OPEN)
                for row in rows
            ],
            dtype=np.int8,
        )
        closed = instants("closed")
        groups = service_groups or {}
        requests = [row["request"] for row in rows]
        columns = {
            "agency": Categories.of(request.agency_responsible for request in requests),
            "service": Categories.of(request.service_code or request.service_name for request in requests),
            "service_group": Categories.of(
                row.get("service_group") or groups.get(row["request"].service_code or "") for row in rows
            ),
            "channel": Categories.of(row["channel"] for row in rows),
            "area": Categories.missing(len(rows)),
            "referred_to": Categories.of(row["referred_to"] for row in rows),
        }
        if any(row.get("service_subtype") for row in rows):
            columns["service_subtype"] = Categories.of(row.get("service_subtype") for row in rows)
        jurisdictions = [
            _text(_extension(request, "jurisdiction_id", "routed_jurisdiction_id")) for request in requests
        ]
        if any(jurisdictions):
            columns["jurisdiction"] = Categories.of(jurisdictions)
        for name, function in (extra or {}).items():
            if isinstance(function, Areas):
                # One spatial query for every request instead of one per request.
                lats = [np.nan if request.lat is None else request.lat for request in requests]
                longs = [np.nan if request.long is None else request.long for request in requests]
                columns[name] = Categories.of(function.locate_many(lats, longs).tolist())
            else:
                columns[name] = Categories.of(function(request) for request in requests)
        span_case, span_start, span_end = _span_arrays(spans)
        pause_case, pause_start, pause_end = _span_arrays(pauses)
        ids = np.empty(len(rows), dtype=np.object_)
        ids[:] = [row["id"] for row in rows]
        duplicate_of = np.empty(len(rows), dtype=np.object_)
        duplicate_of[:] = [row["duplicate_of"] for row in rows]
        return cls(
            ids=ids,
            requested=instants("requested"),
            first_response=instants("first_response"),
            first_closed=instants("first_closed"),
            closed=closed,
            reason=reason,
            reopenings=np.array([row["reopenings"] for row in rows], dtype=np.int32),
            reopened=instants("reopened"),
            proxy=np.array([row.get("proxy", False) for row in rows], dtype=np.bool_),
            close_unknown=(reason != OPEN) & np.isnat(closed),
            duplicate_of=duplicate_of,
            dimensions=columns,
            span_case=span_case,
            span_start=span_start,
            span_end=span_end,
            pause_case=pause_case,
            pause_start=pause_start,
            pause_end=pause_end,
        )

    # --- views ----------------------------------------------------------------------------------

    @property
    def is_duplicate(self) -> NDArray[np.bool_]:
        """Duplicate children: closed as duplicates, or pointing to an original."""
        duplicate: NDArray[np.bool_] = (self.reason == REASONS.index(ClosureReason.DUPLICATE)) | (
            self.duplicate_of != ""
        )
        return duplicate

    def take(self, keep: NDArray[np.bool_]) -> CaseTable:
        """The rows where ``keep`` is true (intervals and pauses renumbered)."""
        index = np.flatnonzero(keep)
        renumber = np.full(len(self), -1, dtype=np.int64)
        renumber[index] = np.arange(index.size)
        spans = keep[self.span_case]
        pauses = keep[self.pause_case]
        return CaseTable(
            ids=self.ids[index],
            requested=self.requested[index],
            first_response=self.first_response[index],
            first_closed=self.first_closed[index],
            closed=self.closed[index],
            reason=self.reason[index],
            reopenings=self.reopenings[index],
            reopened=self.reopened[index],
            proxy=self.proxy[index],
            close_unknown=self.close_unknown[index],
            duplicate_of=self.duplicate_of[index],
            dimensions={name: column.take(index) for name, column in self.dimensions.items()},
            span_case=renumber[self.span_case[spans]],
            span_start=self.span_start[spans],
            span_end=self.span_end[spans],
            pause_case=renumber[self.pause_case[pauses]],
            pause_start=self.pause_start[pauses],
            pause_end=self.pause_end[pauses],
            responses_recorded=self.responses_recorded,
        )

    def at(self, as_of: np.datetime64) -> CaseTable:
        """The table as it stood at ``as_of``: later requests left out, later events undone.

        A close after ``as_of`` is open again; an interval still open then has no end.
        Duplicate children that are open follow their original: they count as closed
        when it is (``reason`` duplicate).
        """
        keep = self.requested <= as_of
        table = self if bool(keep.all()) else self.take(keep)
        if table.span_case.size == len(table) and bool(np.all(table.span_case == np.arange(len(table)))):
            return table._at_simple(as_of)
        late = ~np.isnat(table.span_end) & (table.span_end > as_of)
        keep_span = table.span_start <= as_of
        span_end = np.where(late, NAT, table.span_end)[keep_span]
        span_case = table.span_case[keep_span]
        # The close the case is in at as_of: the end of its last interval.
        size = len(table)
        last = np.full(size, -1, dtype=np.int64)
        last[span_case] = np.arange(span_case.size)  # rows sorted by start: the last write wins
        closed = np.where(last >= 0, span_end[np.maximum(last, 0)], table.closed)
        closed = np.where(closed > as_of, NAT, closed)
        now_open = np.isnat(closed) & ~table.close_unknown
        reason = np.where(now_open, OPEN, table.reason).astype(np.int8)
        first_closed = np.where(table.first_closed > as_of, NAT, table.first_closed)
        reopened = np.where(table.reopened > as_of, NAT, table.reopened)
        reopenings = np.where(np.isnat(reopened), 0, table.reopenings).astype(np.int32)
        pauses = table.pause_start <= as_of
        return attrs.evolve(
            table,
            first_response=np.where(table.first_response > as_of, NAT, table.first_response),
            first_closed=first_closed,
            closed=closed,
            reason=reason,
            reopened=reopened,
            reopenings=reopenings,
            proxy=table.proxy & ~now_open,
            span_case=span_case,
            span_start=table.span_start[keep_span],
            span_end=span_end,
            pause_case=table.pause_case[pauses],
            pause_start=table.pause_start[pauses],
            pause_end=np.where(table.pause_end > as_of, NAT, table.pause_end)[pauses],
        )

    def _at_simple(self, as_of: np.datetime64) -> CaseTable:
        """``at`` for a table with one open interval per case (no reopenings): no interval bookkeeping."""
        closed = np.where(self.closed > as_of, NAT, self.closed)
        now_open = np.isnat(closed) & ~self.close_unknown
        late_pause = self.pause_start <= as_of
        return attrs.evolve(
            self,
            first_response=np.where(self.first_response > as_of, NAT, self.first_response),
            first_closed=np.where(self.first_closed > as_of, NAT, self.first_closed),
            closed=closed,
            reason=np.where(now_open, OPEN, self.reason).astype(np.int8),
            proxy=self.proxy & ~now_open,
            span_end=closed,
            pause_case=self.pause_case[late_pause],
            pause_start=self.pause_start[late_pause],
            pause_end=np.where(self.pause_end > as_of, NAT, self.pause_end)[late_pause],
        )

    def follow_originals(self) -> tuple[CaseTable, int]:
        """Open duplicate children take their original's state: closed (as duplicates) when it is closed.

        A child still open in the data (a dump that never closed it) is not left to
        age into the overdue figures: when its original (found by ``ids``) is closed,
        the child closes at the same time (never before its own receipt).

        Returns:
            The table, and how many children were closed this way.
        """
        waiting = np.flatnonzero((self.duplicate_of != "") & (self.reason == OPEN))
        if waiting.size == 0:
            return self, 0
        index = {identifier: row for row, identifier in enumerate(self.ids.tolist()) if identifier}
        rows, times = [], []
        for row in waiting.tolist():
            original = index.get(self.duplicate_of[row])
            if original is not None and not np.isnat(self.closed[original]):
                rows.append(row)
                times.append(max(self.closed[original], self.requested[row]))
        if not rows:
            return self, 0
        chosen = np.array(rows, dtype=np.int64)
        when = np.array(times, dtype="datetime64[ns]")
        closed, first_closed, reason = self.closed.copy(), self.first_closed.copy(), self.reason.copy()
        closed[chosen] = when
        first_closed[chosen] = np.where(np.isnat(first_closed[chosen]), when, first_closed[chosen])
        reason[chosen] = REASONS.index(ClosureReason.DUPLICATE)
        span_end = self.span_end.copy()
        close_at = np.full(len(self), NAT)
        close_at[chosen] = when
        still_open = np.isnat(span_end) & ~np.isnat(close_at[self.span_case])
        span_end[still_open] = close_at[self.span_case[still_open]]
        table = attrs.evolve(self, closed=closed, first_closed=first_closed, reason=reason, span_end=span_end)
        return table, len(rows)
