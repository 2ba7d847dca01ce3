"""Cases and events to JSON and back: lossless, stable, and clear about bad data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport import ParseError, ServiceRequest
from georeport.lifecycle import (
    Acknowledged,
    Case,
    Channel,
    Event,
    MarkedDuplicate,
    Pause,
    Referred,
    TransitionError,
    default_workflow,
    from_json,
    structure,
    to_json,
    unstructure,
)
from georeport.models import JSONValue
from tests.lifecycle.strategies import WORKFLOWS, walks

CHICAGO = ZoneInfo("America/Chicago")
T0 = datetime(2024, 11, 2, 9, tzinfo=CHICAGO)


def _datetimes(value: Any) -> list[datetime]:
    """Every datetime in a case (request and events)."""
    found = [getattr(value.request, name) for name in ("requested_datetime", "expected_datetime")]
    found += [event.at for event in value.events]
    return [item for item in found if item is not None]


def _unambiguous(value: datetime) -> bool:
    return value.replace(fold=1 - value.fold).utcoffset() == value.utcoffset()


def a_case() -> Case:
    extensions: dict[str, JSONValue] = {
        "ward": "42",
        "extended_attributes": {"photos": [{"media_url": "https://x/1.jpg"}]},
    }
    request = ServiceRequest(
        "638344",
        service_code="PK-101",
        description="Swing chain broken",
        requested_datetime=T0,
        lat=41.8781,
        long=-87.6298,
        extensions=extensions,
    )
    case = Case(request, Channel.MOBILE_APP)
    case = case.acknowledge(at=T0 + timedelta(hours=1), by="agent", note="Thanks")
    case = case.move("waiting_on_citizen", at=datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=CHICAGO))  # the repeated hour
    return case.refer("park-district", at=datetime(2024, 11, 4, 8, tzinfo=UTC), reference="PD-9", channel="email")


class TestRoundTrip:
    @given(st.data())
    def test_a_case_round_trips_losslessly_and_stably(self, data: st.DataObject) -> None:
        workflow = data.draw(WORKFLOWS)
        case, events = data.draw(walks(workflow))
        case = case.apply_many(events)
        text = to_json(case)
        again = from_json(text, Case, workflow=workflow)
        assert to_json(again) == text  # byte for byte: instants, offsets, every field
        assert structure(unstructure(case), Case, workflow=workflow) == again
        assert [(d.astimezone(UTC), d.utcoffset()) for d in _datetimes(again)] == [
            (d.astimezone(UTC), d.utcoffset()) for d in _datetimes(case)
        ]
        if all(_unambiguous(value) for value in _datetimes(case)):
            # Python never equates a time in a DST fold with the same instant in another zone (PEP 495).
            assert again == case
        assert (again.state, again.status_notes, again.reopenings) == (case.state, case.status_notes, case.reopenings)

        def instants(pauses: tuple[Pause, ...]) -> list[tuple[datetime | None, ...]]:
            # Compared in UTC: a pause starting in a DST fold is never equal across zones (PEP 495).
            return [(p.start.astimezone(UTC), p.end.astimezone(UTC) if p.end else None) for p in pauses]

        assert instants(again.pauses) == instants(case.pauses)

    @given(st.data())
    def test_each_event_round_trips_as_event_and_as_its_own_class(self, data: st.DataObject) -> None:
        workflow = data.draw(WORKFLOWS)
        _, events = data.draw(walks(workflow))
        for event in events:
            text = to_json(event)
            assert to_json(from_json(text, Event)) == text
            assert type(from_json(text, type(event))) is type(event)
            assert json.loads(text)["event"] == event.kind.value

    def test_the_repeated_hour_keeps_its_instant_and_offset(self) -> None:
        case = a_case()
        again = from_json(to_json(case), Case)
        moved = again.events[1].at
        assert moved.isoformat() == "2024-11-03T01:30:00-06:00"
        assert moved.astimezone(UTC) == datetime(2024, 11, 3, 7, 30, tzinfo=UTC)
        assert again.referral == case.referral
        assert again.request == case.request

    def test_the_json_shape(self) -> None:
        stored = json.loads(to_json(a_case()))
        assert list(stored) == ["workflow", "channel", "request", "events"]
        assert (stored["workflow"], stored["channel"]) == ("default", "mobile_app")
        assert stored["request"] == {
            "service_request_id": "638344",
            "service_code": "PK-101",
            "description": "Swing chain broken",
            "requested_datetime": "2024-11-02T09:00:00-05:00",
            "lat": 41.8781,
            "long": -87.6298,
            "extensions": {"ward": "42", "extended_attributes": {"photos": [{"media_url": "https://x/1.jpg"}]}},
        }
        assert stored["events"][-1] == {
            "event": "referred",
            "at": "2024-11-04T08:00:00+00:00",
            "from_state": "waiting_on_citizen",
            "to_state": "referred",
            "by": None,
            "channel": "email",
            "note": None,
            "to_jurisdiction": "park-district",
            "reference": "PD-9",
        }

    def test_an_offset_that_is_not_whole_minutes_is_written_in_utc(self) -> None:
        lmt = datetime(1880, 1, 1, 12, tzinfo=CHICAGO)  # local mean time, -5:50:36
        event = Acknowledged(at=lmt, from_state="submitted", to_state="acknowledged")
        assert json.loads(to_json(event))["at"] == "1880-01-01T17:50:36+00:00"
        assert from_json(to_json(event), Acknowledged).at == lmt


EVENT = {
    "event": "marked_duplicate",
    "at": "2024-03-10T09:00:00+00:00",
    "from_state": "submitted",
    "to_state": "duplicate",
    "by": None,
    "channel": None,
    "note": None,
    "of": "1",
}


class TestBadEvents:
    @pytest.mark.parametrize(
        ("changes", "path", "fragment"),
        [
            ({"at": "2024-03-10T09:00:00"}, "$.at", "must be a W3C datetime with an offset"),
            ({"at": "2024-02-30T09:00:00Z"}, "$.at", "must be a valid date and time"),
            ({"at": 1710061200}, "$.at", "must be a W3C datetime"),
            ({"channel": "fax"}, "$.channel", "must be one of 'phone', 'web'"),
            ({"by": 3}, "$.by", "must be a string (got 3)"),
            ({"of": ""}, "$", "'of' must be a non-empty string"),
            ({"event": "closedd"}, "$.event", "'event' must be one of 'state_changed', 'acknowledged'"),
            ({"extra": 1}, "$", "extra fields found (extra)"),
            ({"of": None}, "$.of", "must be a string (got None)"),
        ],
    )
    def test_a_bad_event_raises_a_parse_error_at_its_path(
        self, changes: dict[str, object], path: str, fragment: str
    ) -> None:
        with pytest.raises(ParseError) as caught:
            structure({**EVENT, **changes}, Event)
        assert (caught.value.path, caught.value.format) == (path, "json")
        assert fragment in str(caught.value)

    def test_a_missing_field_is_named(self) -> None:
        with pytest.raises(ParseError, match="required field missing") as caught:
            structure({key: value for key, value in EVENT.items() if key != "of"}, Event)
        assert caught.value.path == "$.of"

    def test_asking_for_one_kind_refuses_another(self) -> None:
        assert isinstance(structure(EVENT, MarkedDuplicate), MarkedDuplicate)
        with pytest.raises(ParseError, match="expected a Referred, got 'marked_duplicate'"):
            structure(EVENT, Referred)

    def test_not_json_names_the_line(self) -> None:
        with pytest.raises(ParseError) as caught:
            from_json('{\n"event": }', Event)
        assert caught.value.line == 2


class TestBadCases:
    def stored(self) -> dict[str, Any]:
        stored: dict[str, Any] = json.loads(to_json(a_case()))
        return stored

    def test_a_case_of_another_workflow_is_refused(self) -> None:
        stored = {**self.stored(), "workflow": "springfield"}
        with pytest.raises(ParseError, match="the case follows the 'springfield' workflow, not 'default'") as caught:
            structure(stored, Case, workflow=default_workflow())
        assert caught.value.path == "$.workflow"

    @pytest.mark.parametrize(
        ("mutate", "path", "fragment"),
        [
            (lambda s: s.pop("channel"), "$", "the case has no 'channel'"),
            (lambda s: s.update(version=1), "$.version", "unknown key 'version'"),
            (lambda s: s.update(channel="fax"), "$.channel", "must be one of 'phone'"),
            (lambda s: s.update(events={}), "$.events", "'events' is a list"),
            (lambda s: s["request"].update(status="open"), "$.request.status", "must be None in a case's request"),
            (lambda s: s["request"].update(colour="red"), "$.request.colour", "must be a field of ServiceRequest"),
            (lambda s: s["request"].update(requested_datetime="yesterday"), "$.request", "must be a W3C datetime"),
            (lambda s: s["events"][1].update(at="2024-11-03T01:30:00"), "$.events[1].at", "must be a W3C datetime"),
        ],
    )
    def test_a_bad_case_raises_a_parse_error_at_its_path(self, mutate: Any, path: str, fragment: str) -> None:
        stored = self.stored()
        mutate(stored)
        with pytest.raises(ParseError) as caught:
            structure(stored, Case)
        assert caught.value.path == path
        assert fragment in str(caught.value)

    def test_a_stored_history_is_replayed_through_the_workflow(self) -> None:
        stored = self.stored()
        stored["events"][1]["to_state"] = "closed"  # acknowledged -> closed is not a move of the workflow
        with pytest.raises(TransitionError, match="cannot move from 'acknowledged' to 'closed'") as caught:
            structure(stored, Case)
        assert "(at $.events[1] of the stored case)" in caught.value.__notes__

    def test_events_out_of_order_in_storage_are_refused(self) -> None:
        stored = self.stored()
        stored["events"][2]["at"] = "2024-11-01T00:00:00+00:00"
        with pytest.raises(TransitionError, match="earlier than the case's last change"):
            structure(stored, Case)

    def test_only_cases_and_events(self) -> None:
        with pytest.raises(TypeError):
            unstructure(ServiceRequest("1"))  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            structure({}, ServiceRequest)  # type: ignore[arg-type]
