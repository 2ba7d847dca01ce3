"""Targets: the three kinds, their boundaries, pauses, NaT rules and declarations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport.errors import ValidationError
from georeport.lifecycle import Pause
from georeport.sla import BusinessCalendar, CalendarError, PausedClockError, Target, TargetKind
from tests.sla.strategies import instants, pooled_calendars, targets
from tests.sla.test_contract import from64, to64

CHICAGO = ZoneInfo("America/Chicago")
CITY = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"}, holidays=["2024-07-04"])


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


class TestBusinessHours:
    def test_a_target_reached_at_closing_is_due_at_closing(self) -> None:
        assert Target.business_hours(7).due(at(2024, 3, 8, 10), CITY) == at(2024, 3, 8, 17)

    def test_a_start_outside_hours_counts_from_the_next_opening(self) -> None:
        assert Target.business_hours(1).due(at(2024, 3, 9, 10), CITY) == at(2024, 3, 11, 10)
        assert Target.business_hours(1).due(at(2024, 3, 8, 17), CITY) == at(2024, 3, 11, 10)
        assert Target.business_hours(1).due(at(2024, 7, 3, 16, 30), CITY) == at(2024, 7, 5, 9, 30)

    def test_zero_is_due_at_the_start_even_outside_hours(self) -> None:
        assert Target.business_hours(0).due(at(2024, 3, 9, 10), CITY) == at(2024, 3, 9, 10)

    def test_fractional_hours_and_timedeltas(self) -> None:
        assert Target.business_hours(1.5) == Target.business_hours(timedelta(minutes=90))
        assert Target.business_hours(1.5).due(at(2024, 3, 8, 16), CITY) == at(2024, 3, 11, 9, 30)

    @pytest.mark.parametrize("hours", [float("nan"), float("inf"), -1, "8", True])
    def test_bad_amounts(self, hours: object) -> None:
        with pytest.raises(ValidationError):
            Target.business_hours(hours)  # type: ignore[arg-type]


class TestBusinessDays:
    def test_day_one_is_the_next_working_day_whatever_the_hour(self) -> None:
        target = Target.business_days(1)
        assert target.due(at(2024, 3, 11, 8), CITY) == at(2024, 3, 12, 17)  # before opening
        assert target.due(at(2024, 3, 11, 12), CITY) == at(2024, 3, 12, 17)
        assert target.due(at(2024, 3, 11, 20), CITY) == at(2024, 3, 12, 17)  # after closing
        assert target.due(at(2024, 3, 9, 12), CITY) == at(2024, 3, 11, 17)  # a Saturday: Monday is day 1

    def test_holidays_do_not_count(self) -> None:
        assert Target.business_days(2).due(at(2024, 7, 2, 12), CITY) == at(2024, 7, 5, 17)

    def test_the_local_day_decides_not_the_utc_day(self) -> None:
        late_friday = datetime(2024, 3, 9, 3, tzinfo=UTC)  # Friday 21:00 in Chicago
        assert Target.business_days(1).due(late_friday, CITY) == at(2024, 3, 11, 17)

    @pytest.mark.parametrize("days", [0, -2, 1.5, True])
    def test_bad_counts(self, days: object) -> None:
        with pytest.raises(ValidationError, match="business days"):
            Target.business_days(days)  # type: ignore[arg-type]


class TestCalendarTime:
    def test_counts_nights_and_weekends_in_utc(self) -> None:
        due = Target.calendar(timedelta(days=30)).due(at(2024, 3, 1, 12), CITY)
        assert due.astimezone(UTC) - at(2024, 3, 1, 12).astimezone(UTC) == timedelta(days=30)
        assert due == at(2024, 3, 31, 13)  # shown in CDT after the change

    def test_pauses_push_it_by_the_paused_time(self) -> None:
        pause = Pause(start=at(2024, 3, 2), end=at(2024, 3, 4))
        assert Target.calendar(timedelta(days=3)).due(at(2024, 3, 1), CITY, pauses=[pause]) == at(2024, 3, 6)


class TestPauses:
    def test_a_pause_outside_working_time_changes_nothing(self) -> None:
        weekend = Pause(start=at(2024, 3, 9, 8), end=at(2024, 3, 10, 20))
        target = Target.business_hours(8)
        assert target.due(at(2024, 3, 8, 13), CITY, pauses=[weekend]) == at(2024, 3, 11, 13)

    def test_a_pause_pushes_by_the_working_time_it_covers(self) -> None:
        afternoon = Pause(start=at(2024, 3, 8, 15), end=at(2024, 3, 11, 11))
        assert Target.business_hours(8).due(at(2024, 3, 8, 13), CITY, pauses=[afternoon]) == at(2024, 3, 11, 17)

    def test_a_pause_starting_when_the_time_is_up_changes_nothing(self) -> None:
        pause = Pause(start=at(2024, 3, 11, 13), end=at(2024, 3, 12, 13))
        assert Target.business_hours(8).due(at(2024, 3, 8, 13), CITY, pauses=[pause]) == at(2024, 3, 11, 13)

    def test_overlapping_pauses_count_once(self) -> None:
        pauses = [(at(2024, 3, 11, 9), at(2024, 3, 11, 12)), (at(2024, 3, 11, 10), at(2024, 3, 11, 11))]
        assert Target.business_hours(2).due(at(2024, 3, 11, 9), CITY, pauses=pauses) == at(2024, 3, 11, 14)
        assert CITY.elapsed(at(2024, 3, 11, 9), at(2024, 3, 11, 17), pauses=pauses) == timedelta(hours=5)

    def test_a_running_pause_needs_as_of(self) -> None:
        running = Pause(start=at(2024, 3, 11, 10))
        with pytest.raises(PausedClockError, match="pass as_of"):
            Target.business_hours(8).due(at(2024, 3, 11, 9), CITY, pauses=[running])
        due = Target.business_hours(8).due(at(2024, 3, 11, 9), CITY, pauses=[running], as_of=at(2024, 3, 11, 15))
        assert due == at(2024, 3, 12, 14)

    def test_a_running_pause_after_the_due_time_does_not_matter(self) -> None:
        running = Pause(start=at(2024, 3, 20, 10))
        assert Target.business_hours(8).due(at(2024, 3, 11, 9), CITY, pauses=[running]) == at(2024, 3, 11, 17)

    def test_running_pauses_in_arrays_give_nat_until_known(self) -> None:
        starts = to64([at(2024, 3, 11, 9), at(2024, 3, 11, 9)])
        pause_starts = to64([at(2024, 3, 11, 10), at(2024, 3, 20, 10)])
        pause_ends = to64([None, None])
        due = Target.business_hours(8).due_many(starts, CITY, pause_starts=pause_starts, pause_ends=pause_ends)
        assert np.isnat(due[0])
        assert from64(due[1]) == at(2024, 3, 11, 17)

    def test_a_pause_ending_before_it_starts_is_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"pauses\[0\].end"):
            Target.business_hours(1).due(at(2024, 3, 11, 9), CITY, pauses=[(at(2024, 3, 11, 12), at(2024, 3, 11, 10))])
        with pytest.raises(ValidationError, match=r"pause_ends\[0\]"):
            Target.business_hours(1).due_many(
                to64([at(2024, 3, 11, 9)]),
                CITY,
                pause_starts=to64([at(2024, 3, 11, 12)]),
                pause_ends=to64([at(2024, 3, 11, 10)]),
            )
        with pytest.raises(ValidationError, match=r"pause_starts\[0\]"):
            Target.business_hours(1).due_many(
                to64([at(2024, 3, 11, 9)]), CITY, pause_starts=to64([None]), pause_ends=to64([at(2024, 3, 11, 10)])
            )
        with pytest.raises(ValidationError, match="cases"):
            Target.business_hours(1).due_many(
                to64([at(2024, 3, 11, 9)]), CITY, pause_starts=to64([None, None]), pause_ends=to64([None, None])
            )


class TestDeclarations:
    @pytest.mark.parametrize(
        ("declared", "target", "text"),
        [
            ({"business_hours": 8}, Target.business_hours(8), "8 business hours"),
            ({"business_hours": 1.5}, Target.business_hours(1.5), "1.5 business hours"),
            ({"business_days": 5}, Target.business_days(5), "5 business days"),
            ({"days": 30}, Target.calendar(timedelta(days=30)), "30 days"),
            ({"hours": 36}, Target.calendar(timedelta(hours=36)), "36 hours"),
        ],
    )
    def test_parse_to_dict_and_str(self, declared: dict[str, float], target: Target, text: str) -> None:
        assert Target.parse(declared) == target
        assert Target.parse(target.to_dict()) == target
        assert str(target) == text

    @pytest.mark.parametrize(
        ("declared", "message"),
        [({"weeks": 2}, "unknown target 'weeks'"), ({"business_days": 0}, "business_days"), ("8h", "one of")],
    )
    def test_bad_declarations(self, declared: object, message: str) -> None:
        with pytest.raises(CalendarError, match=message):
            Target.parse(declared)

    def test_kinds_are_wire_strings(self) -> None:
        assert [kind.value for kind in TargetKind] == ["calendar", "business_hours", "business_days"]


class TestArrays:
    def test_shape_is_kept(self) -> None:
        starts = to64([at(2024, 3, 11, 9)] * 6).reshape(2, 3)
        assert Target.business_hours(1).due_many(starts, CITY).shape == (2, 3)
        assert CITY.elapsed_many(starts, starts).shape == (2, 3)

    def test_all_nat_and_empty(self) -> None:
        assert np.isnat(Target.business_days(2).due_many(to64([None, None]), CITY)).all()
        assert Target.business_days(2).due_many(np.array([], "datetime64[ns]"), CITY).size == 0

    def test_other_units_are_accepted(self) -> None:
        seconds = np.array(["2024-03-11T14:00:00"], "datetime64[s]")
        assert from64(Target.business_hours(1).due_many(seconds, CITY)[0]) == at(2024, 3, 11, 10)


@given(st.data())
def test_due_many_with_pauses_equals_due(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    target: Target = data.draw(targets())
    zone = calendar.zone.key
    cases = data.draw(
        st.lists(
            st.tuples(
                instants(zone),
                st.lists(st.tuples(instants(zone), st.timedeltas(timedelta(0), timedelta(days=3))), max_size=3),
            ),
            min_size=1,
            max_size=4,
        )
    )
    width = max(len(stops) for _, stops in cases)
    starts = to64([start for start, _ in cases])
    pause_starts = np.full((len(cases), width), np.datetime64("NaT"), "datetime64[ns]")
    pause_ends = pause_starts.copy()
    for row, (_, stops) in enumerate(cases):
        for column, (begin, length) in enumerate(stops):
            pause_starts[row, column] = to64([begin])[0]
            pause_ends[row, column] = to64([begin + length])[0]
    many = target.due_many(starts, calendar, pause_starts=pause_starts, pause_ends=pause_ends)
    scalar = [target.due(start, calendar, pauses=[(b, b + n) for b, n in stops]) for start, stops in cases]
    assert [value.astimezone(UTC) for value in scalar] == [from64(value) for value in many]
    elapsed = calendar.elapsed_many(starts, many, pause_starts=pause_starts, pause_ends=pause_ends)
    assert list(elapsed) == [
        np.timedelta64(
            calendar.elapsed(start, due, pauses=[(b, b + n) for b, n in stops]) // timedelta(microseconds=1) * 1000,
            "ns",
        )
        for (start, stops), due in zip(cases, scalar, strict=True)
    ]


class TestLimits:
    def test_targets_longer_than_fifty_years_are_refused(self) -> None:
        with pytest.raises(ValidationError, match="fifty years"):
            Target.calendar(timedelta(days=50 * 366))
        with pytest.raises(ValidationError, match="from 1 to 18250"):
            Target.business_days(20_000)

    def test_a_due_time_after_2100_is_a_calendar_error(self) -> None:
        with pytest.raises(CalendarError, match=r"a due time .* is outside the supported years"):
            Target.calendar(timedelta(days=365 * 40)).due(datetime(2080, 1, 1, tzinfo=UTC), CITY)
        with pytest.raises(CalendarError, match="after the last supported year 2100"):
            Target.business_days(365 * 40).due(datetime(2080, 1, 1, tzinfo=UTC), CITY)


@given(st.data())
def test_allowance_many_equals_allowance(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    target: Target = data.draw(targets())
    starts = data.draw(st.lists(instants(calendar.zone.key), min_size=1, max_size=4))
    many = target.allowance_many(to64([*starts, None]), calendar)
    scalar = [target.allowance(start, calendar) for start in starts]
    assert [np.timedelta64(value // timedelta(microseconds=1) * 1000, "ns") for value in scalar] == list(many[:-1])
    assert np.isnat(many[-1])
