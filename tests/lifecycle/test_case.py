"""Cases by example: a life in events, referral and duplicates, time order, DST, what a server publishes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from georeport import ServiceRequest, Status, ValidationError
from georeport.lifecycle import (
    Acknowledged,
    Case,
    Channel,
    Closed,
    ClosureReason,
    Event,
    NoteAdded,
    Pause,
    Referred,
    Reopened,
    State,
    StateChanged,
    TransitionError,
    Workflow,
    default_workflow,
)

CHICAGO = ZoneInfo("America/Chicago")
T0 = datetime(2024, 3, 8, 9, 0, tzinfo=CHICAGO)


def new_case(**request: object) -> Case:
    fields: dict[str, object] = {"service_code": "ST-214", "requested_datetime": T0}
    fields.update(request)
    return Case(ServiceRequest("101", **fields), Channel.PHONE)  # type: ignore[arg-type]


def hours(n: float) -> datetime:
    return (T0.astimezone(UTC) + timedelta(hours=n)).astimezone(CHICAGO)


class TestALife:
    def test_a_pothole_from_report_to_close(self) -> None:
        case = new_case()
        assert (case.state.name, case.status, case.updated_datetime, case.status_notes) == (
            "submitted",
            Status.OPEN,
            None,
            None,
        )
        case = case.acknowledge(at=hours(1), by="agent 12", note="Thanks, we have it.")
        case = case.move("waiting_on_citizen", at=hours(2), note="Which lane?")
        case = case.add_note("Left lane, by the bus stop.", at=hours(3), channel=Channel.EMAIL)
        case = case.move("scheduled", at=hours(30))
        case = case.close(at=hours(50), note="Patched.")
        case = case.reopen(at=hours(70), channel=Channel.MOBILE_APP, note="Still there.")
        case = case.move("in_progress", at=hours(71))
        case = case.close(at=hours(80))
        case = case.close(at=hours(200), by="system")

        assert case.state.name == "closed"
        assert case.status is Status.CLOSED
        assert case.closure_reason is ClosureReason.RESOLVED
        assert case.first_response_datetime == hours(1)
        assert case.resolved_datetime == hours(80)  # the run resolved -> closed began at 80
        assert case.closed_datetime == hours(80)
        assert case.reopenings == 1
        assert case.pauses == (Pause(start=hours(2), end=hours(30)),)
        assert case.paused_time() == timedelta(hours=28)
        assert case.status_notes is None  # the last move had no note
        assert case.updated_datetime == hours(200)
        assert [type(event) for event in case.events] == [
            Acknowledged,
            StateChanged,
            NoteAdded,
            StateChanged,
            Closed,
            Reopened,
            StateChanged,
            Closed,
            Closed,
        ]
        assert case.events[5].channel is Channel.MOBILE_APP

    def test_status_notes_are_the_latest_note_since_the_last_move(self) -> None:
        case = new_case().acknowledge(at=hours(1), note="Received.")
        assert case.status_notes == "Received."
        case = case.add_note("Crew assigned.", at=hours(2))
        assert case.status_notes == "Crew assigned."
        case = case.move("in_progress", at=hours(3))
        assert case.status_notes is None

    def test_the_case_you_hold_never_changes(self) -> None:
        case = new_case()
        acknowledged = case.acknowledge(at=hours(1))
        assert (case.events, case.state.name) == ((), "submitted")
        assert acknowledged.events[0].from_state == "submitted"
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            case.channel = Channel.WEB  # type: ignore[misc]


class TestReferralAndDuplicates:
    def test_a_referral_closes_the_case_here_and_points_where_it_went(self) -> None:
        case = new_case().refer("cook-county", at=hours(1), reference="CC-2024-881", note="County road.")
        assert (case.status, case.closure_reason, case.state.name) == (
            Status.CLOSED,
            ClosureReason.REFERRED,
            "referred",
        )
        assert case.referral == case.events[-1]
        assert isinstance(case.referral, Referred)
        assert (case.referral.to_jurisdiction, case.referral.reference) == ("cook-county", "CC-2024-881")
        assert case.resolved_datetime is None  # closed, not resolved
        assert case.closed_datetime == hours(1)

    def test_a_referral_that_bounces_back_is_reopened_and_forgets_the_pointer(self) -> None:
        case = new_case().refer("cook-county", at=hours(1)).reopen(at=hours(5), note="County says it is ours.")
        assert (case.referral, case.closure_reason, case.reopenings) == (None, None, 1)

    def test_a_duplicate_links_to_its_original(self) -> None:
        original = new_case()
        copy = Case(ServiceRequest("102", requested_datetime=hours(1)), Channel.WEB)
        copy = copy.mark_duplicate(of=original, at=hours(2))
        assert (copy.duplicate_of, copy.closure_reason, copy.resolved_datetime) == (
            "101",
            ClosureReason.DUPLICATE,
            None,
        )
        assert new_case().mark_duplicate(of="99", at=hours(1)).duplicate_of == "99"

    def test_a_request_cannot_duplicate_itself(self) -> None:
        case = new_case()
        with pytest.raises(TransitionError, match="request '101' cannot duplicate itself"):
            case.mark_duplicate(of=case, at=hours(1))

    def test_a_duplicate_of_a_case_without_an_id_is_refused(self) -> None:
        anonymous = Case(ServiceRequest(requested_datetime=T0), Channel.WEB)
        with pytest.raises(ValidationError, match="'of' must be a request id"):
            new_case().mark_duplicate(of=anonymous, at=hours(1))

    def test_the_wrong_kind_of_event_for_a_move_is_refused(self) -> None:
        case = new_case()
        event = Closed(at=hours(1), from_state="submitted", to_state="referred")
        with pytest.raises(
            TransitionError, match="the move from 'submitted' to 'referred' is a Referred, not a Closed"
        ):
            case.apply(event)


class TestTimeOrder:
    def test_an_event_earlier_than_the_last_is_refused(self) -> None:
        case = new_case().acknowledge(at=hours(5))
        with pytest.raises(TransitionError, match="earlier than the case's last change") as caught:
            case.move("in_progress", at=hours(4))
        assert caught.value.state == "acknowledged"
        assert caught.value.to_state == "in_progress"

    def test_an_event_before_the_request_was_made_is_refused(self) -> None:
        with pytest.raises(TransitionError, match="earlier than the request was made"):
            new_case().acknowledge(at=hours(-1))

    def test_events_at_the_same_instant_are_in_order(self) -> None:
        case = new_case().acknowledge(at=hours(1)).move("in_progress", at=hours(1).astimezone(UTC))
        assert case.state.name == "in_progress"

    def test_order_is_judged_in_utc_even_in_the_hour_that_repeats(self) -> None:
        # 2024-11-03 01:30 happens twice in Chicago: CDT (fold=0) then, an hour later, CST (fold=1).
        # Python compares two datetimes sharing a tzinfo by wall clock and calls them equal.
        later = datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=CHICAGO)
        earlier = datetime(2024, 11, 3, 1, 30, fold=0, tzinfo=CHICAGO)
        case = Case(ServiceRequest("7", requested_datetime=datetime(2024, 11, 2, tzinfo=CHICAGO)), Channel.WEB)
        case = case.acknowledge(at=later)
        with pytest.raises(TransitionError, match="earlier than the case's last change"):
            case.move("in_progress", at=earlier)

    def test_a_naive_datetime_is_refused_naming_the_field(self) -> None:
        with pytest.raises(ValidationError, match="'at' must be a timezone-aware datetime"):
            new_case().acknowledge(at=datetime(2024, 3, 8, 10))


class TestDaylightSaving:
    def test_a_pause_across_spring_forward_lasts_23_hours(self) -> None:
        # Same tzinfo on both ends: naive subtraction would say 24 hours.
        start, end = datetime(2024, 3, 9, 12, tzinfo=CHICAGO), datetime(2024, 3, 10, 12, tzinfo=CHICAGO)
        case = Case(ServiceRequest("8", requested_datetime=datetime(2024, 3, 9, 9, tzinfo=CHICAGO)), Channel.WALK_IN)
        case = case.move("waiting_on_citizen", at=start).move("in_progress", at=end)
        assert case.pauses == (Pause(start=start, end=end),)
        assert case.paused_time() == timedelta(hours=23)

    def test_a_pause_across_fall_back_lasts_25_hours(self) -> None:
        start, end = datetime(2024, 11, 2, 12, tzinfo=CHICAGO), datetime(2024, 11, 3, 12, tzinfo=CHICAGO)
        assert Pause(start=start, end=end).duration() == timedelta(hours=25)

    def test_an_open_pause_needs_until_and_is_clipped_by_it(self) -> None:
        case = new_case().move("waiting_on_citizen", at=hours(1))
        assert case.is_paused
        assert case.pauses == (Pause(start=hours(1)),)
        with pytest.raises(ValueError, match="pass until="):
            case.paused_time()
        assert case.paused_time(until=hours(4)) == timedelta(hours=3)
        assert case.paused_time(until=hours(0)) == timedelta(0)

    def test_a_pause_runs_on_through_consecutive_paused_states(self) -> None:
        workflow = Workflow(
            name="two-waits",
            initial="new",
            states=[
                State(name="new", status="open"),
                State(name="waiting_on_citizen", status="open", paused=True),
                State(name="waiting_on_utility", status="open", paused=True),
                State(name="done", status="closed", closure_reason="resolved"),
            ],
            transitions=[
                ("new", "waiting_on_citizen"),
                ("waiting_on_citizen", "waiting_on_utility"),
                ("waiting_on_utility", "done"),
            ],
        )
        case = Case(ServiceRequest("9", requested_datetime=T0), Channel.WEB, workflow=workflow)
        case = case.move("waiting_on_citizen", at=hours(1)).move("waiting_on_utility", at=hours(2))
        assert case.pauses == (Pause(start=hours(1)),)
        case = case.close(at=hours(5))
        assert case.pauses == (Pause(start=hours(1), end=hours(5)),)
        assert case.paused_time() == timedelta(hours=4)

    def test_a_pause_cannot_end_before_it_starts(self) -> None:
        with pytest.raises(ValidationError, match="'end' must be no earlier than the start"):
            Pause(start=hours(2), end=hours(1))


class TestTheRequest:
    @pytest.mark.parametrize(
        ("field", "value"),
        [("status", "open"), ("status_notes", "x"), ("updated_datetime", T0)],
    )
    def test_what_the_history_derives_cannot_be_stored_in_the_request(self, field: str, value: object) -> None:
        with pytest.raises(ValidationError, match=f"'{field}' must be None in a case's request"):
            new_case(**{field: value})

    def test_a_case_needs_to_know_when_it_was_requested(self) -> None:
        with pytest.raises(
            ValidationError, match="'requested_datetime' must be a timezone-aware datetime: a case starts"
        ):
            Case(ServiceRequest("1"), Channel.WEB)

    def test_a_detailed_status_in_the_request_is_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"without extended_attributes\.detailed_status"):
            new_case(extensions={"extended_attributes": {"detailed_status": "PENDING"}})

    @pytest.mark.parametrize("channel", ["fax", "Phone", None])
    def test_an_unknown_channel_is_refused_listing_the_valid_ones(self, channel: object) -> None:
        with pytest.raises(ValidationError, match="'channel' must be one of 'phone', 'web', 'mobile_app'"):
            Case(ServiceRequest("1", requested_datetime=T0), channel)  # type: ignore[arg-type]

    def test_the_published_request_merges_detailed_status_into_extended_attributes(self) -> None:
        case = new_case(extensions={"ward": "48", "extended_attributes": {"channel": "phone"}})
        published = case.acknowledge(at=hours(1), note="On it.").as_service_request()
        assert published.extensions == {
            "ward": "48",
            "extended_attributes": {"channel": "phone", "detailed_status": "acknowledged"},
        }
        assert (published.status, published.status_notes, published.updated_datetime) == (
            Status.OPEN,
            "On it.",
            hours(1),
        )
        assert published.service_code == "ST-214"
        assert case.request.extensions == {"ward": "48", "extended_attributes": {"channel": "phone"}}  # not mutated

    def test_the_workflow_shows_by_name_in_the_repr(self) -> None:
        assert repr(new_case()).endswith("events=(), workflow='default')")
        assert new_case().workflow is default_workflow()


class TestEvents:
    def test_event_is_an_abstract_base(self) -> None:
        with pytest.raises(TypeError, match="Event is the base class"):
            Event(at=T0, from_state="a", to_state="b")

    def test_a_note_event_needs_a_note_and_stays_put(self) -> None:
        assert NoteAdded(at=T0, from_state="x", note="hi").to_state == "x"
        with pytest.raises(ValidationError, match="'note' must be a non-empty string"):
            NoteAdded(at=T0, from_state="x")
        with pytest.raises(ValidationError, match="a note moves nothing"):
            NoteAdded(at=T0, from_state="x", to_state="y", note="hi")

    def test_a_referral_needs_somewhere_to_go(self) -> None:
        with pytest.raises(ValidationError, match="'to_jurisdiction' must be a non-empty string"):
            Referred(at=T0, from_state="a", to_state="referred", to_jurisdiction="  ")

    def test_events_are_hashable_values(self) -> None:
        one = Acknowledged(at=T0, from_state="submitted", to_state="acknowledged", channel="phone")
        two = Acknowledged(
            at=T0.astimezone(UTC), from_state="submitted", to_state="acknowledged", channel=Channel.PHONE
        )
        assert one == two
        assert hash(one) == hash(two)
        other: Event = StateChanged(at=T0, from_state="submitted", to_state="acknowledged", channel="phone")
        assert one != other
