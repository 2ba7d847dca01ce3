"""A slow, independent reference for due times and elapsed time: day by day, interval by interval.

It shares nothing with georeport.sla's table or kernels: each local date's
hours (``calendar.hours_on``: the declared data) are turned into UTC intervals
with ``datetime.replace(tzinfo=zone)`` (fold=0), paused time is cut out, and
the counting walks the pieces in order with ``timedelta`` arithmetic in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

from georeport.sla import BusinessCalendar, Target, TargetKind

Span = tuple[datetime, datetime]

FAR = timedelta(days=4 * 366)


def working_spans(calendar: BusinessCalendar, start: datetime) -> Iterator[Span]:
    """The calendar's working intervals in UTC, from the local day before ``start``'s on, in order."""
    day = start.astimezone(calendar.zone).date() - timedelta(days=1)
    limit = day + FAR
    while day < limit:
        midnight = datetime.combine(day, time())
        for interval in calendar.hours_on(day):
            begin = (midnight + interval.start).replace(tzinfo=calendar.zone).astimezone(UTC)
            end = (midnight + interval.end).replace(tzinfo=calendar.zone).astimezone(UTC)
            if end > begin:
                yield begin, end
        day += timedelta(days=1)


def everything(start: datetime) -> Iterator[Span]:
    """Calendar time: one span from a day before ``start``."""
    yield start.astimezone(UTC) - timedelta(days=1), start.astimezone(UTC) + FAR


def cut(spans: Iterator[Span], pauses: Sequence[Span]) -> Iterator[Span]:
    """The spans with the pauses (closed intervals, any order, may overlap) removed."""
    ordered = sorted((a.astimezone(UTC), b.astimezone(UTC)) for a, b in pauses)
    for begin, end in spans:
        pieces = [(begin, end)]
        for pause_start, pause_end in ordered:
            next_pieces = []
            for a, b in pieces:
                if pause_end <= a or pause_start >= b:
                    next_pieces.append((a, b))
                    continue
                if a < pause_start:
                    next_pieces.append((a, pause_start))
                if pause_end < b:
                    next_pieces.append((pause_end, b))
            pieces = next_pieces
        yield from pieces


def clock(target: Target | None, calendar: BusinessCalendar, start: datetime) -> Iterator[Span]:
    if target is not None and target.kind is TargetKind.CALENDAR:
        return everything(start)
    return working_spans(calendar, start)


def elapsed(
    calendar: BusinessCalendar, a: datetime, b: datetime, pauses: Sequence[Span] = (), *, target: Target | None = None
) -> timedelta:
    """Counting time in [a, b] outside the pauses."""
    a, b = a.astimezone(UTC), b.astimezone(UTC)
    total = timedelta(0)
    for begin, end in cut(clock(target, calendar, a), pauses):
        if begin >= b:
            break
        low, high = max(begin, a), min(end, b)
        if high > low:
            total += high - low
    return total


def nth_close(calendar: BusinessCalendar, start: datetime, n: int) -> datetime:
    """The close of the n-th working day after the local day of ``start``."""
    day: date = start.astimezone(calendar.zone).date()
    found = 0
    while True:
        day += timedelta(days=1)
        midnight = datetime.combine(day, time())
        ends = [
            (midnight + interval.end).replace(tzinfo=calendar.zone).astimezone(UTC)
            for interval in calendar.hours_on(day)
            if (midnight + interval.end).replace(tzinfo=calendar.zone).astimezone(UTC)
            > (midnight + interval.start).replace(tzinfo=calendar.zone).astimezone(UTC)
        ]
        if ends:
            found += 1
            if found == n:
                return ends[-1]


def amount(target: Target, calendar: BusinessCalendar, start: datetime) -> timedelta:
    if isinstance(target.amount, int):
        return elapsed(calendar, start, nth_close(calendar, start, target.amount))
    return target.amount


def due(target: Target, calendar: BusinessCalendar, start: datetime, pauses: Sequence[Span] = ()) -> datetime:
    """The earliest instant by which the target's time has been counted since ``start``."""
    start = start.astimezone(UTC)
    remaining = amount(target, calendar, start)
    if remaining == timedelta(0):
        return start
    for begin, end in cut(clock(target, calendar, start), pauses):
        if end <= start:
            continue
        begin = max(begin, start)
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    raise AssertionError("the reference ran out of days")
