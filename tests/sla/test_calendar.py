"""BusinessCalendar: hours, holidays, half-days, DST, declarations and their errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from georeport.sla import BusinessCalendar, CalendarError, HolidaySource, Interval

CHICAGO = ZoneInfo("America/Chicago")

TOML = """
zone = "America/Chicago"
holidays = ["2024-07-05"]
holidays_from = { country = "US", subdivision = "IL" }

[hours]
weekdays = ["09:00-12:00", "13:00-17:00"]
saturday = "09:00-12:00"

[half_days]
"2024-12-24" = "09:00-12:00"
"""


class TestHours:
    def test_lunch_break_is_not_working_time(self) -> None:
        calendar = BusinessCalendar(zone=CHICAGO, hours={"weekdays": ["09:00-12:00", "13:00-17:00"]})
        assert calendar.working_time(date(2024, 3, 12)) == timedelta(hours=7)
        assert calendar.elapsed(
            datetime(2024, 3, 12, 11, tzinfo=CHICAGO), datetime(2024, 3, 12, 14, tzinfo=CHICAGO)
        ) == timedelta(hours=2)

    def test_days_by_name_number_or_seven_lists(self) -> None:
        by_name = BusinessCalendar(zone="UTC", hours={"monday": "09:00-17:00", "sunday": ["10:00-11:00"]})
        by_number = BusinessCalendar(zone="UTC", hours={0: "09:00-17:00", 6: ["10:00-11:00"]})
        by_list = BusinessCalendar(zone="UTC", hours=[["09:00-17:00"], [], [], [], [], [], ["10:00-11:00"]])
        assert by_name == by_number == by_list
        assert by_name.hours_on(date(2024, 3, 10)) == (Interval.parse("10:00-11:00"),)

    def test_touching_intervals_are_allowed_and_count_once(self) -> None:
        calendar = BusinessCalendar(zone="UTC", hours={"everyday": ["00:00-12:00", "12:00-24:00"]})
        start = datetime(2024, 1, 1, tzinfo=UTC)
        assert calendar.elapsed(start, start + timedelta(days=3)) == timedelta(days=3)

    def test_intervals_from_times_and_pairs(self) -> None:
        assert Interval.parse((time(9), time(17))) == Interval.parse("09:00-17:00") == Interval.parse(("9:00", "17:00"))
        assert str(Interval.parse("09:00:30-24:00")) == "09:00:30-24:00"

    @pytest.mark.parametrize(
        ("hours", "message"),
        [
            ({"monday": ["09:00-12:00", "11:00-13:00"]}, "working hours overlap: 09:00-12:00 and 11:00-13:00"),
            ({"funday": "09:00-17:00"}, "unknown weekday 'funday'"),
            ({"monday": "17:00-09:00"}, "must end after it starts"),
            ({"monday": "09:00-24:30"}, "between 00:00 and 24:00"),
            ({"monday": "nine to five"}, "'HH:MM-HH:MM'"),
            ({}, "no working time"),
            ("09:00-17:00", "a mapping of weekday names"),
        ],
    )
    def test_bad_hours_are_refused_with_the_reason(self, hours: object, message: str) -> None:
        with pytest.raises(CalendarError, match=message):
            BusinessCalendar(zone="UTC", hours=hours)  # type: ignore[arg-type]

    def test_unknown_zone(self) -> None:
        with pytest.raises(CalendarError, match="unknown time zone 'Mars/Olympus'"):
            BusinessCalendar(zone="Mars/Olympus", hours={"weekdays": "09:00-17:00"})
        with pytest.raises(CalendarError, match="IANA name"):
            BusinessCalendar(zone=5, hours={"weekdays": "09:00-17:00"})  # type: ignore[arg-type]


class TestDaylightSaving:
    @pytest.mark.parametrize("day", [date(2024, 3, 10), date(2024, 11, 3)])
    def test_nine_to_five_is_eight_hours_on_change_days(self, day: date) -> None:
        calendar = BusinessCalendar(zone=CHICAGO, hours={"everyday": "09:00-17:00"})
        assert calendar.working_time(day) == timedelta(hours=8)

    def test_a_whole_day_is_23_or_25_hours(self) -> None:
        calendar = BusinessCalendar.always(CHICAGO)
        assert calendar.working_time(date(2024, 3, 10)) == timedelta(hours=23)
        assert calendar.working_time(date(2024, 11, 3)) == timedelta(hours=25)
        assert calendar.working_time(date(2024, 11, 4)) == timedelta(hours=24)

    def test_a_night_shift_across_the_spring_gap_loses_the_missing_hour(self) -> None:
        calendar = BusinessCalendar(zone=CHICAGO, hours={"everyday": "00:00-06:00"})
        assert calendar.working_time(date(2024, 3, 10)) == timedelta(hours=5)
        assert calendar.working_time(date(2024, 11, 3)) == timedelta(hours=7)

    def test_southern_hemisphere_and_midnight_changes(self) -> None:
        sydney = BusinessCalendar(zone="Australia/Sydney", hours={"everyday": "00:00-24:00"})
        assert sydney.working_time(date(2024, 4, 7)) == timedelta(hours=25)
        santiago = BusinessCalendar(zone="America/Santiago", hours={"everyday": "00:00-24:00"})
        assert santiago.working_time(date(2024, 9, 8)) == timedelta(hours=23)  # clocks go from 24:00 to 01:00


class TestHolidays:
    def test_explicit_holidays_have_no_working_time(self) -> None:
        calendar = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"}, holidays=["2024-12-25"])
        assert not calendar.is_working_day(date(2024, 12, 25))
        assert calendar.is_working_day(date(2024, 12, 26))
        assert calendar.elapsed(
            datetime(2024, 12, 24, 16, tzinfo=CHICAGO), datetime(2024, 12, 26, 10, tzinfo=CHICAGO)
        ) == timedelta(hours=2)

    def test_holidays_from_the_holidays_package(self) -> None:
        pytest.importorskip("holidays", reason="the holidays extra is not installed")
        calendar = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"}, holidays_from="US")
        assert not calendar.is_working_day(date(2024, 7, 4))
        assert not calendar.is_working_day(date(2027, 7, 5))  # observed: the 4th is a Sunday
        assert calendar.is_working_day(date(2024, 7, 5))
        start = datetime(2024, 7, 3, 17, tzinfo=CHICAGO)
        assert calendar.elapsed(start, start + timedelta(days=2)) == timedelta(hours=8)

    def test_a_subdivision_adds_its_own_holidays(self) -> None:
        pytest.importorskip("holidays", reason="the holidays extra is not installed")
        federal = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"}, holidays_from="US")
        illinois = BusinessCalendar(
            zone=CHICAGO, hours={"weekdays": "09:00-17:00"}, holidays_from=HolidaySource(country="US", subdivision="IL")
        )
        lincoln = date(2024, 2, 12)  # Lincoln's Birthday, an Illinois holiday
        assert federal.is_working_day(lincoln)
        assert not illinois.is_working_day(lincoln)

    def test_an_unknown_country_is_a_calendar_error(self) -> None:
        pytest.importorskip("holidays", reason="the holidays extra is not installed")
        calendar = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"}, holidays_from="XX")
        with pytest.raises(CalendarError, match="does not know country 'XX'"):
            calendar.is_working_day(date(2024, 1, 2))

    def test_half_days_replace_the_weekdays_hours_and_beat_package_holidays(self) -> None:
        calendar = BusinessCalendar(
            zone=CHICAGO,
            hours={"weekdays": "09:00-17:00"},
            half_days={"2024-12-24": "09:00-12:00", date(2024, 12, 28): ["10:00-12:00"]},
        )
        assert calendar.working_time(date(2024, 12, 24)) == timedelta(hours=3)
        assert calendar.working_time(date(2024, 12, 28)) == timedelta(hours=2)  # a Saturday opening

    def test_a_date_both_holiday_and_half_day_is_refused(self) -> None:
        with pytest.raises(CalendarError, match="2024-12-24 is both a holiday and a half-day"):
            BusinessCalendar(
                zone=CHICAGO,
                hours={"weekdays": "09:00-17:00"},
                holidays=["2024-12-24"],
                half_days={"2024-12-24": "09:00-12:00"},
            )

    @pytest.mark.parametrize(
        ("holidays", "message"),
        [
            (["2024-13-01"], "YYYY-MM-DD"),
            ("2024-12-25", "a list of dates"),
            ([datetime(2024, 1, 1, tzinfo=UTC)], "not a datetime"),
        ],
    )
    def test_bad_holidays(self, holidays: object, message: str) -> None:
        with pytest.raises(CalendarError, match=message):
            BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"}, holidays=holidays)  # type: ignore[arg-type]


class TestDeclarations:
    def test_toml_declares_every_feature(self) -> None:
        pytest.importorskip("holidays", reason="the holidays extra is not installed")
        calendar = BusinessCalendar.from_toml(TOML)
        assert calendar.zone == CHICAGO
        assert calendar.working_time(date(2024, 3, 12)) == timedelta(hours=7)
        assert calendar.working_time(date(2024, 3, 16)) == timedelta(hours=3)
        assert calendar.working_time(date(2024, 7, 4)) == timedelta(0)
        assert calendar.working_time(date(2024, 7, 5)) == timedelta(0)
        assert calendar.working_time(date(2024, 12, 24)) == timedelta(hours=3)
        assert calendar.holidays_from == HolidaySource(country="US", subdivision="IL")

    def test_to_dict_round_trips_through_json(self) -> None:
        calendar = BusinessCalendar.from_toml(TOML)
        assert BusinessCalendar.from_json(json.dumps(calendar.to_dict())) == calendar
        assert BusinessCalendar.from_dict(BusinessCalendar.always("Europe/Paris").to_dict()) == BusinessCalendar.always(
            "Europe/Paris"
        )

    def test_every_problem_is_reported_with_its_place(self) -> None:
        with pytest.raises(CalendarError) as caught:
            BusinessCalendar.from_dict(
                {
                    "zone": "Nowhere/Land",
                    "hours": {"monday": ["09:00-12:00", "11:00-13:00"]},
                    "holiday": ["2024-12-25"],
                    "holidays_from": {"country": 7},
                }
            )
        paths = [problem.path for problem in caught.value.problems]
        assert paths == ["holiday", "holidays_from.country", "zone", "hours"]
        assert "4 problems" in str(caught.value)

    def test_missing_keys_and_bad_syntax(self) -> None:
        with pytest.raises(CalendarError, match="the calendar has no 'zone'"):
            BusinessCalendar.from_dict({"hours": {"weekdays": "09:00-17:00"}})
        with pytest.raises(CalendarError, match="not valid TOML"):
            BusinessCalendar.from_toml("zone = ")
        with pytest.raises(CalendarError, match="not valid JSON"):
            BusinessCalendar.from_json("{")
        with pytest.raises(CalendarError, match="a calendar is a table"):
            BusinessCalendar.from_dict(["zone"])


class TestRange:
    def test_instants_outside_1900_2100_are_refused(self) -> None:
        calendar = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"})
        with pytest.raises(CalendarError, match="outside the supported years 1900-2100"):
            calendar.elapsed(datetime(2101, 6, 1, tzinfo=UTC), datetime(2101, 6, 2, tzinfo=UTC))

    def test_the_table_grows_to_cover_later_queries(self) -> None:
        calendar = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"})
        early = calendar.working_time(date(1990, 1, 2))
        late = calendar.working_time(date(2090, 1, 3))
        assert early == late == timedelta(hours=8)
        assert calendar.working_time(date(1990, 1, 2)) == early


class TestZonesAndSeconds:
    def test_datetime_utc_is_the_utc_zone(self) -> None:
        assert BusinessCalendar(zone=UTC, hours={"weekdays": "09:00-17:00"}).zone == ZoneInfo("UTC")

    def test_hours_are_whole_seconds(self) -> None:
        with pytest.raises(CalendarError, match="whole seconds"):
            Interval.parse((time(9, 0, 0, 5), time(17)))
        with pytest.raises(CalendarError, match="whole seconds"):
            Interval.parse((timedelta(hours=9, microseconds=1), timedelta(hours=17)))
        assert str(Interval.parse((time(9, 0, 30), time(17)))) == "09:00:30-17:00"
