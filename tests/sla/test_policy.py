"""Statuses (on track, at risk, breached, met, missed), policies, policy books and their declarations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport.errors import ValidationError
from georeport.lifecycle import Case, Channel
from georeport.models import ServiceRequest
from georeport.sla import (
    BusinessCalendar,
    CalendarError,
    PausedClockError,
    PolicyBook,
    SlaPolicy,
    SlaState,
    Target,
    status,
    status_many,
)
from tests.sla.strategies import instants, pooled_calendars, targets
from tests.sla.test_contract import from64, to64

CHICAGO = ZoneInfo("America/Chicago")
CITY = BusinessCalendar(zone=CHICAGO, hours={"weekdays": "09:00-17:00"})
POLICY = SlaPolicy(calendar=CITY, response=Target.business_hours(8), resolution=Target.business_days(5))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def request(when: datetime | None = None, code: str = "POTHOLE") -> ServiceRequest:
    return ServiceRequest(service_request_id="1", service_code=code, requested_datetime=when or at(2024, 3, 11, 9))


class TestStatus:
    target = Target.business_hours(10)
    start = at(2024, 3, 11, 9)  # due Tuesday 11:00

    @pytest.mark.parametrize(
        ("as_of", "completed", "state"),
        [
            (at(2024, 3, 11, 15), None, SlaState.ON_TRACK),  # 6 of 10 hours
            (at(2024, 3, 12, 10), None, SlaState.AT_RISK),  # 9 of 10 hours
            (at(2024, 3, 12, 11), None, SlaState.AT_RISK),  # exactly due: not yet breached
            (at(2024, 3, 12, 11, 1), None, SlaState.BREACHED),
            (at(2024, 3, 16, 12), None, SlaState.BREACHED),  # the weekend after: still breached
            (at(2024, 3, 20), at(2024, 3, 12, 11), SlaState.MET),
            (at(2024, 3, 20), at(2024, 3, 12, 12), SlaState.MISSED),
        ],
    )
    def test_states(self, as_of: datetime, completed: datetime | None, state: SlaState) -> None:
        found = status(self.target, self.start, CITY, as_of=as_of, completed=completed)
        assert found.state is state
        assert found.due == at(2024, 3, 12, 11)

    def test_elapsed_remaining_and_threshold(self) -> None:
        found = status(self.target, self.start, CITY, as_of=at(2024, 3, 11, 15), at_risk=0.5)
        assert (found.elapsed, found.allowed, found.remaining) == (
            timedelta(hours=6),
            timedelta(hours=10),
            timedelta(hours=4),
        )
        assert found.state is SlaState.AT_RISK

    def test_a_running_pause_freezes_the_clock_at_as_of(self) -> None:
        pause = (at(2024, 3, 11, 12), None)
        found = status(self.target, self.start, CITY, as_of=at(2024, 3, 13, 12), pauses=[pause])
        assert found.elapsed == timedelta(hours=3)
        assert found.state is SlaState.ON_TRACK
        assert found.due == at(2024, 3, 14, 11)  # 7 hours left once it restarts at as_of: 5 on Wednesday, 2 on Thursday

    @pytest.mark.parametrize("share", [0, 1.5, float("nan"), True])
    def test_bad_shares(self, share: float) -> None:
        with pytest.raises(ValidationError, match="at_risk"):
            status(self.target, self.start, CITY, as_of=self.start, at_risk=share)

    def test_as_of_before_start(self) -> None:
        with pytest.raises(ValidationError, match="as_of"):
            status(self.target, self.start, CITY, as_of=self.start - timedelta(seconds=1))

    def test_status_many_with_nat(self) -> None:
        found = status_many(
            self.target,
            to64([self.start, None, self.start]),
            CITY,
            as_of=at(2024, 3, 12, 12),
            completed=to64([None, None, at(2024, 3, 11, 10)]),
        )
        assert list(found.state) == ["breached", "", "met"]
        assert np.isnat(found.due[1])
        assert np.isnat(found.elapsed[1])
        assert len(found) == 3


@given(st.data())
def test_status_many_equals_status(data: st.DataObject) -> None:
    calendar: BusinessCalendar = data.draw(pooled_calendars())
    target: Target = data.draw(targets())
    zone = calendar.zone.key
    share = data.draw(st.sampled_from([0.5, 0.8, 1.0]))
    rows = data.draw(
        st.lists(
            st.tuples(instants(zone), st.timedeltas(timedelta(0), timedelta(days=20)), st.booleans(), st.booleans()),
            min_size=1,
            max_size=4,
        )
    )
    as_of = max(start for start, *_ in rows) + timedelta(days=3)
    completed = [start + length if done else None for start, length, done, _ in rows]
    pauses = [(start + length / 3, (start + length / 2) if closed else None) for start, length, _, closed in rows]
    many = status_many(
        target,
        to64([start for start, *_ in rows]),
        calendar,
        as_of=as_of,
        completed=to64(completed),
        pause_starts=to64([p for p, _ in pauses]),
        pause_ends=to64([e for _, e in pauses]),
        at_risk=share,
    )
    for index, (start, *_) in enumerate(rows):
        one = status(
            target, start, calendar, as_of=as_of, completed=completed[index], pauses=[pauses[index]], at_risk=share
        )
        assert many.state[index] == one.state.value
        assert from64(many.due[index]) == one.due.astimezone(UTC)  # a DST-fold time never equals across zones
        assert many.elapsed[index] == np.timedelta64(one.elapsed // timedelta(microseconds=1) * 1000, "ns")
        assert many.remaining[index] == np.timedelta64(one.remaining // timedelta(microseconds=1) * 1000, "ns")


class TestPolicy:
    def test_expected_datetime_of_a_request(self) -> None:
        assert POLICY.expected_datetime(request(at(2024, 3, 11, 9))) == at(2024, 3, 18, 17)
        assert POLICY.with_expected_datetime(request()).expected_datetime == at(2024, 3, 18, 17)
        assert POLICY.expected_datetime(ServiceRequest(service_code="X")) is None
        assert SlaPolicy(calendar=CITY, response=Target.business_hours(1)).expected_datetime(request()) is None

    def test_expected_datetime_of_a_case_is_pushed_by_its_pauses(self) -> None:
        case = Case(request(), Channel.PHONE).move("waiting_on_citizen", at=at(2024, 3, 12, 9))
        with pytest.raises(PausedClockError):
            POLICY.expected_datetime(case)
        assert POLICY.expected_datetime(case, as_of=at(2024, 3, 13, 9)) == at(2024, 3, 19, 17)
        resumed = case.move("in_progress", at=at(2024, 3, 13, 9))
        assert POLICY.expected_datetime(resumed) == at(2024, 3, 19, 17)

    def test_status_of_a_case(self) -> None:
        case = Case(request(), Channel.WEB).acknowledge(at=at(2024, 3, 12, 10)).close(at=at(2024, 3, 20, 9))
        found = POLICY.status(case, as_of=at(2024, 3, 21))
        assert found.response is not None
        assert found.resolution is not None
        assert found.response.state is SlaState.MISSED  # 9 working hours after
        assert found.resolution.state is SlaState.MISSED
        assert found.resolution.due == at(2024, 3, 18, 17)
        open_case = Case(request(), Channel.WEB)
        assert POLICY.status(open_case, as_of=at(2024, 3, 11, 12)).response.state is SlaState.ON_TRACK  # type: ignore[union-attr]

    def test_a_policy_needs_a_target_and_a_calendar(self) -> None:
        with pytest.raises(ValidationError, match="response or a resolution"):
            SlaPolicy(calendar=CITY)
        with pytest.raises(ValidationError, match="BusinessCalendar"):
            SlaPolicy(calendar="UTC", resolution=Target.business_days(1))  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="no response target"):
            SlaPolicy(calendar=CITY, resolution=Target.business_days(1)).response_due(at(2024, 3, 11, 9))

    def test_due_many(self) -> None:
        starts = to64([at(2024, 3, 11, 9), None])
        assert from64(POLICY.due_many(starts, target="response")[0]) == at(2024, 3, 11, 17)
        assert from64(POLICY.due_many(starts)[0]) == at(2024, 3, 18, 17)
        with pytest.raises(ValidationError, match="'response' or 'resolution'"):
            POLICY.due_many(starts, target="closing")


BOOK_TOML = """
[calendars.city]
zone = "America/Chicago"
hours = { weekdays = "09:00-17:00" }

[calendars.always]
zone = "America/Chicago"
hours = { everyday = "00:00-24:00" }

[default]
calendar = "city"
response = { business_days = 2 }
resolution = { days = 30 }

[[policies]]
service_code = "POTHOLE"
calendar = "city"
response = { business_hours = 8 }
resolution = { business_days = 5 }
at_risk = 0.75

[[policies]]
service_code = "POTHOLE"
jurisdiction = "springfield"
calendar = "always"
resolution = { hours = 48 }

[[policies]]
jurisdiction = "shelbyville"
name = "Shelbyville, everything"
calendar = { zone = "America/Chicago", hours = { weekdays = "08:00-16:00" } }
resolution = { business_days = 10 }
"""


class TestPolicyBook:
    book = PolicyBook.from_toml(BOOK_TOML)

    def test_the_most_specific_policy_wins(self) -> None:
        book = self.book
        assert str(book.policy_for("POTHOLE", jurisdiction="springfield").resolution) == "2 days"  # type: ignore[union-attr]
        assert str(book.policy_for("POTHOLE").resolution) == "5 business days"  # type: ignore[union-attr]
        assert str(book.policy_for("POTHOLE", jurisdiction="shelbyville").resolution) == "5 business days"  # type: ignore[union-attr]
        assert str(book.policy_for("GRAFFITI", jurisdiction="shelbyville").resolution) == "10 business days"  # type: ignore[union-attr]
        assert str(book.policy_for("GRAFFITI").resolution) == "30 days"  # type: ignore[union-attr]
        assert book.policy_for("POTHOLE").at_risk == 0.75  # type: ignore[union-attr]
        assert PolicyBook().policy_for("POTHOLE") is None

    def test_expected_datetime_by_policy(self) -> None:
        assert self.book.expected_datetime(request(code="POTHOLE")) == at(2024, 3, 18, 17)
        assert self.book.expected_datetime(request(code="GRAFFITI")) == at(2024, 4, 10, 9)
        assert PolicyBook().expected_datetime(request()) is None

    def test_due_many_groups_by_policy_and_equals_the_scalar_path(self) -> None:
        starts = [at(2024, 3, 11, 9) + timedelta(hours=7 * i) for i in range(8)]
        codes = ["POTHOLE", "GRAFFITI", None, "POTHOLE", "", "GRAFFITI", "POTHOLE", "POTHOLE"]
        places = ["springfield", None, "shelbyville", None, "springfield", "shelbyville", "shelbyville", "springfield"]
        many = self.book.due_many(to64(starts), codes, jurisdictions=places)
        expected = [
            self.book.policy_for(code or None, jurisdiction=place).resolution_due(start)  # type: ignore[union-attr]
            for start, code, place in zip(starts, codes, places, strict=True)
        ]
        assert [from64(value) for value in many] == [value.astimezone(UTC) for value in expected]
        response = self.book.due_many(to64(starts), codes, jurisdictions=places, target="response")
        assert np.isnat(response[0])  # springfield potholes have no response target

    def test_every_problem_is_reported(self) -> None:
        declared = {
            "calendars": {"city": {"zone": "Nowhere/Land", "hours": {"weekdays": "09:00-17:00"}}},
            "default": {"calendar": "town", "resolution": {"weeks": 1}},
            "policies": [
                {"service_code": "X", "calendar": "city", "resolution": {"business_days": 1}, "colour": 1},
                {"calendar": "city"},
            ],
            "extra": True,
        }
        with pytest.raises(CalendarError) as caught:
            PolicyBook.from_dict(declared)
        paths = {problem.path for problem in caught.value.problems}
        assert {
            "extra",
            "calendars.city.zone",
            "default.calendar",
            "default.resolution.weeks",
            "policies[0].colour",
        } <= paths
        assert "policies[1].calendar" in paths

    def test_to_dict_round_trips(self) -> None:
        policy = self.book.policy_for("POTHOLE")
        assert policy is not None
        assert SlaPolicy.from_dict(policy.to_dict()) == policy


class TestPolicyStatusMany:
    def test_equals_the_status_of_each_case(self) -> None:
        base = at(2024, 3, 11, 9)
        cases = [
            Case(request(base), Channel.WEB),
            Case(request(base + timedelta(hours=3)), Channel.PHONE).acknowledge(at=base + timedelta(hours=5)),
            Case(request(base), Channel.WEB)
            .acknowledge(at=base + timedelta(days=1))
            .move("waiting_on_citizen", at=base + timedelta(days=1, hours=2))
            .move("in_progress", at=base + timedelta(days=3))
            .close(at=base + timedelta(days=9)),
            Case(request(base), Channel.WEB).move("waiting_on_citizen", at=base + timedelta(hours=1)),
        ]
        as_of = base + timedelta(days=6)
        width = max(len(case.pauses) for case in cases)
        pause_starts = np.full((len(cases), width), np.datetime64("NaT"), "datetime64[ns]")
        pause_ends = pause_starts.copy()
        for row, case in enumerate(cases):
            for column, pause in enumerate(case.pauses):
                pause_starts[row, column] = to64([pause.start])[0]
                pause_ends[row, column] = to64([pause.end])[0]
        many = POLICY.status_many(
            to64([case.request.requested_datetime for case in cases]),
            as_of=as_of,
            responded=to64([case.first_response_datetime for case in cases]),
            resolved=to64([case.resolved_datetime or case.closed_datetime for case in cases]),
            pause_starts=pause_starts,
            pause_ends=pause_ends,
        )
        assert many.response is not None
        assert many.resolution is not None
        for row, case in enumerate(cases):
            one = POLICY.status(case, as_of=as_of)
            assert one.response is not None
            assert one.resolution is not None
            assert many.response.state[row] == one.response.state.value
            assert many.resolution.state[row] == one.resolution.state.value
            assert from64(many.resolution.due[row]) == one.resolution.due.astimezone(UTC)
        assert list(many.resolution.state) == ["at_risk", "at_risk", "met", "on_track"]

    def test_a_missing_target_is_none(self) -> None:
        policy = SlaPolicy(calendar=CITY, resolution=Target.business_days(1))
        found = policy.status_many(to64([at(2024, 3, 11, 9)]), as_of=at(2024, 3, 11, 10))
        assert found.response is None
        assert found.resolution is not None
        assert list(found.resolution.state) == ["on_track"]
