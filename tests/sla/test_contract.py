"""The names and signatures other modules build on: elapsed/elapsed_many, due/due_many, always, the targets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from georeport.errors import ValidationError
from georeport.sla import BusinessCalendar, CalendarError, Target
from tests.sla.strategies import ZONES, calendars, instants, pooled_calendars, targets

CHICAGO = ZoneInfo("America/Chicago")
NINE_TO_FIVE = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"})


def to64(values: Sequence[datetime | None]) -> np.ndarray:
    return np.array(
        [
            np.datetime64("NaT") if v is None else np.datetime64(v.astimezone(UTC).replace(tzinfo=None), "ns")
            for v in values
        ],
        dtype="datetime64[ns]",
    )


def from64(value: np.datetime64) -> datetime | None:
    if np.isnat(value):
        return None
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(
        microseconds=int(value.astype("datetime64[us]").astype(np.int64))
    )


class TestContract:
    def test_elapsed_counts_working_time_only(self) -> None:
        start = datetime(2024, 3, 8, 16, tzinfo=CHICAGO)  # a Friday, the weekend of the spring change
        assert NINE_TO_FIVE.elapsed(start, datetime(2024, 3, 11, 10, tzinfo=CHICAGO)) == timedelta(hours=2)

    def test_elapsed_many_keeps_nat_and_shape(self) -> None:
        starts = to64([datetime(2024, 3, 8, 16, tzinfo=CHICAGO), None])
        ends = to64([datetime(2024, 3, 11, 10, tzinfo=CHICAGO), datetime(2024, 3, 11, 10, tzinfo=CHICAGO)])
        result = NINE_TO_FIVE.elapsed_many(starts, ends)
        assert result.dtype == np.dtype("timedelta64[ns]")
        assert result[0] == np.timedelta64(2 * 3600 * 10**9, "ns")
        assert np.isnat(result[1])

    def test_due_is_aware_in_the_calendars_zone(self) -> None:
        due = Target.business_hours(8).due(datetime(2024, 3, 8, 19, tzinfo=UTC), NINE_TO_FIVE)
        assert due.tzinfo is CHICAGO
        assert due == datetime(2024, 3, 11, 13, tzinfo=CHICAGO)

    def test_due_many_gives_utc_datetime64(self) -> None:
        result = Target.business_days(5).due_many(to64([datetime(2024, 3, 8, 19, tzinfo=UTC), None]), NINE_TO_FIVE)
        assert result.dtype == np.dtype("datetime64[ns]")
        assert from64(result[0]) == datetime(2024, 3, 15, 17, tzinfo=CHICAGO)
        assert np.isnat(result[1])

    def test_always_counts_every_instant(self) -> None:
        calendar = BusinessCalendar.always("Europe/Paris")
        start = datetime(2024, 3, 30, 12, tzinfo=UTC)
        assert calendar.elapsed(start, start + timedelta(days=2)) == timedelta(days=2)
        assert calendar.working_time(date(2024, 3, 31)) == timedelta(hours=23)
        assert calendar.working_time(date(2024, 10, 27)) == timedelta(hours=25)

    def test_calendar_target_counts_real_time(self) -> None:
        start = datetime(2024, 3, 9, 12, tzinfo=CHICAGO)
        due = Target.calendar(timedelta(days=1)).due(start, NINE_TO_FIVE)
        assert due - start == timedelta(days=1, hours=1)  # one tzinfo: Python subtracts wall clocks
        assert due.astimezone(UTC) == start.astimezone(UTC) + timedelta(days=1)
        assert due.hour == 13  # the wall clock moved an hour across the change

    def test_bad_input_is_typed(self) -> None:
        with pytest.raises(ValidationError, match="timezone-aware"):
            NINE_TO_FIVE.elapsed(datetime(2024, 1, 1), datetime(2024, 1, 2, tzinfo=UTC))
        with pytest.raises(ValidationError, match="no earlier than the start"):
            NINE_TO_FIVE.elapsed(datetime(2024, 1, 2, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC))
        with pytest.raises(ValidationError, match=r"ends\[1\]"):
            NINE_TO_FIVE.elapsed_many(
                to64([low := datetime(2024, 1, 1, tzinfo=UTC)] * 2), to64([low, low - timedelta(1)])
            )
        with pytest.raises(ValidationError, match="datetime64"):
            Target.business_hours(1).due_many(np.array([1, 2]), NINE_TO_FIVE)
        with pytest.raises(CalendarError, match="outside the supported years"):
            Target.business_hours(1).due(datetime(1800, 1, 1, tzinfo=UTC), NINE_TO_FIVE)


@given(st.data())
def test_due_many_equals_due(data: st.DataObject) -> None:
    calendar = data.draw(pooled_calendars())
    target = data.draw(targets())
    starts = data.draw(st.lists(instants(calendar.zone.key), min_size=1, max_size=5))
    many = target.due_many(to64([*starts, None]), calendar)
    scalar = [target.due(start, calendar) for start in starts]
    assert all(due.tzinfo is calendar.zone for due in scalar)
    assert [due.astimezone(UTC) for due in scalar] == [from64(value) for value in many[:-1]]
    assert np.isnat(many[-1])
    assert all(due >= start for due, start in zip(scalar, starts, strict=True))


@given(st.data())
def test_elapsed_many_equals_elapsed(data: st.DataObject) -> None:
    calendar = data.draw(pooled_calendars())
    pairs = data.draw(
        st.lists(
            st.tuples(instants(calendar.zone.key), instants(calendar.zone.key)).map(sorted), min_size=1, max_size=5
        )
    )
    many = calendar.elapsed_many(to64([a for a, _ in pairs]), to64([b for _, b in pairs]))
    assert [calendar.elapsed(a, b) for a, b in pairs] == [
        timedelta(microseconds=int(v) // 1000) for v in many.astype(np.int64)
    ]


@pytest.mark.parametrize("zone", ZONES)
def test_a_nine_to_five_day_is_eight_hours_on_dst_days(zone: str) -> None:
    calendar = BusinessCalendar(zone=zone, hours={"everyday": "09:00-17:00"})
    from tests.sla.strategies import _CHANGES

    for change in _CHANGES[zone]:
        day = change.astimezone(ZoneInfo(zone)).date()
        assert calendar.working_time(day) == timedelta(hours=8), day


@settings(max_examples=30)  # each example builds two tables of a fresh calendar
@given(calendars(), st.integers(2022, 2025))
def test_the_fast_table_equals_the_day_by_day_table(calendar: BusinessCalendar, year: int) -> None:
    fast, exact = calendar._build(year, year + 1), calendar._build(year, year + 1, exact=True)
    for name in ("starts", "ends", "cumulative", "day_starts", "closes", "workdays"):
        assert np.array_equal(getattr(fast, name), getattr(exact, name)), name


class TestBuckets:
    """The bucketed lookup equals np.searchsorted, including dense arrays that fall back to it."""

    @given(
        st.one_of(
            st.lists(st.integers(-(2**50), 2**50), min_size=1, max_size=50, unique=True),
            st.lists(st.integers(-(2**45), 2**45), min_size=1, max_size=50, unique=True),  # dense: some buckets crowd
        ).map(sorted),
        st.lists(st.integers(-(2**51), 2**51), min_size=1, max_size=50),
    )
    def test_find_equals_searchsorted(self, values: list[int], queries: list[int]) -> None:
        from georeport.sla._vector import _MAX, _Buckets

        array = np.append(np.array(values, np.int64), _MAX)
        x = np.array(queries, np.int64)
        right, left = _Buckets(array, "right"), _Buckets(array, "left")
        assert list(right.find(x)) == list(np.searchsorted(array, x, side="right") - 1)
        assert list(left.find(x)) == list(np.searchsorted(array, x, side="left"))
