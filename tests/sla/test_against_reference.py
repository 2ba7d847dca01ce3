"""Due times and elapsed time against the independent day-by-day reference (tests/sla/reference.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from georeport.sla import BusinessCalendar, Target
from tests.sla import reference
from tests.sla.strategies import instants, pooled_calendars, targets


@st.composite
def pauses(draw: st.DrawFn, zone: str, start: datetime) -> list[tuple[datetime, datetime]]:
    """Zero to three closed pauses after ``start`` (they may overlap): within 20 days of it, or anywhere later."""
    found = []
    for _ in range(draw(st.integers(0, 3))):
        soon = start + draw(st.timedeltas(timedelta(0), timedelta(days=20)))
        begin = draw(st.sampled_from([soon, max(draw(instants(zone)), start)]))
        length = draw(st.timedeltas(timedelta(0), timedelta(days=5)))
        found.append((begin, begin + length))
    return found


@given(st.data())
def test_due_equals_the_reference(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    target: Target = data.draw(targets())
    start = data.draw(instants(calendar.zone.key))
    stops = data.draw(pauses(calendar.zone.key, start))
    ours = target.due(start, calendar, pauses=stops)
    assert ours.astimezone(UTC) == reference.due(target, calendar, start, stops)
    assert ours >= start


@given(st.data())
def test_elapsed_equals_the_reference(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    a = data.draw(instants(calendar.zone.key))
    b = a + data.draw(st.timedeltas(timedelta(0), timedelta(days=45)))  # the reference walks every day between
    stops = data.draw(pauses(calendar.zone.key, a - timedelta(days=2)))
    assert calendar.elapsed(a, b, pauses=stops) == reference.elapsed(calendar, a, b, stops)


@given(st.data())
def test_elapsed_until_the_due_time_is_the_allowance(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    target: Target = data.draw(targets())
    start = data.draw(instants(calendar.zone.key))
    stops = data.draw(pauses(calendar.zone.key, start))
    due = target.due(start, calendar, pauses=stops)
    assert target.elapsed(start, due, calendar, pauses=stops) == target.allowance(start, calendar)


@given(st.data())
def test_a_later_start_is_never_due_earlier(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    target: Target = data.draw(targets())
    first = data.draw(instants(calendar.zone.key))
    later = first + data.draw(st.timedeltas(timedelta(0), timedelta(days=10)))
    assert target.due(first, calendar) <= target.due(later, calendar)


@given(st.data())
def test_elapsed_adds_up_over_consecutive_spans(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    a = data.draw(instants(calendar.zone.key))
    b = a + data.draw(st.timedeltas(timedelta(0), timedelta(days=20)))
    c = b + data.draw(st.timedeltas(timedelta(0), timedelta(days=20)))
    stops = data.draw(pauses(calendar.zone.key, a))
    whole = calendar.elapsed(a, c, pauses=stops)
    assert whole == calendar.elapsed(a, b, pauses=stops) + calendar.elapsed(b, c, pauses=stops)
    assert timedelta(0) <= whole <= c - a
