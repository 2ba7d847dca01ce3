"""The update endpoint: lifecycle events over HTTP, projected into status, status_notes, updated_datetime."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import georeport
from georeport import Status
from georeport.errors import TransitionError, ValidationError
from georeport.lifecycle import Case, Channel, ClosureReason
from georeport.server import Action, RunningServer, Store, Update, apply_update, parse_update
from georeport.wire.params import InvalidParametersError
from tests.server.conftest import Clock, Format, call
from tests.server.test_methods import playground, post


def update(
    server: RunningServer, identifier: str, fmt: Format = "json", **form: str
) -> tuple[int, georeport.ServiceRequest | str]:
    reply = call(f"{server.url}/requests/{identifier}/events.{fmt}", method="POST", form=form)
    if reply.status != 200:
        errors = georeport.load(reply.body, format=fmt, kind="errors")
        return reply.status, " | ".join(error.description or "" for error in errors)
    return reply.status, georeport.load(reply.body, format=fmt, kind="requests").one()


def published(server: RunningServer, identifier: str) -> georeport.ServiceRequest:
    return georeport.load(call(f"{server.url}/requests/{identifier}.xml?extensions=true").body, kind="requests").one()


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_case_from_intake_to_reopening(server: RunningServer, api_key: str, clock: Clock, fmt: Format) -> None:
    identifier = post(server, playground(api_key))
    clock.advance(hours=2)
    status, request = update(
        server, identifier, fmt, api_key=api_key, action="acknowledge", note="Crew assigned.", by="parks"
    )
    assert status == 200
    assert isinstance(request, georeport.ServiceRequest)
    assert (request.status, request.status_notes, request.updated_datetime) == (
        Status.OPEN,
        "Crew assigned.",
        clock.now,
    )
    assert request.extensions["extended_attributes"] == {"detailed_status": "acknowledged"}
    clock.advance(hours=1)
    update(server, identifier, fmt, api_key=api_key, action="move", to_state="in_progress")
    assert published(server, identifier).status_notes is None  # a move without a note clears it
    clock.advance(minutes=5)
    update(server, identifier, fmt, api_key=api_key, action="note", note="Parts ordered.", channel="phone")
    assert published(server, identifier).status_notes == "Parts ordered."
    clock.advance(days=1)
    status, request = update(server, identifier, fmt, api_key=api_key, action="close", reason="resolved", note="Fixed.")
    assert isinstance(request, georeport.ServiceRequest)
    assert (request.status, request.status_notes) == (Status.CLOSED, "Fixed.")
    clock.advance(days=1)
    update(server, identifier, fmt, api_key=api_key, action="reopen", note="Broken again.")
    final = published(server, identifier)
    assert (final.status, final.updated_datetime) == (Status.OPEN, clock.now)
    assert final.extensions["extended_attributes"] == {"detailed_status": "reopened"}
    listed = call(
        f"{server.url}/requests.json?status=open&updated_after={(clock.now - timedelta(minutes=1)):%Y-%m-%dT%H:%M:%SZ}"
    )
    assert [found.service_request_id for found in georeport.load(listed.body, kind="requests")] == [identifier]


def test_refer_and_duplicate(server: RunningServer, api_key: str, clock: Clock) -> None:
    first, second, third = (post(server, playground(api_key)) for _ in range(3))
    clock.advance(minutes=10)
    status, request = update(server, second, api_key=api_key, action="duplicate", of=first, note="Already reported.")
    assert status == 200
    assert isinstance(request, georeport.ServiceRequest)
    assert request.status is Status.CLOSED
    assert request.extensions["extended_attributes"] == {"detailed_status": "duplicate"}
    status, request = update(
        server, third, api_key=api_key, action="refer", to_jurisdiction="county.example", reference="C-9"
    )
    assert status == 200
    assert isinstance(request, georeport.ServiceRequest)
    assert request.extensions["extended_attributes"] == {"detailed_status": "referred"}
    assert published(server, first).status is Status.OPEN


def test_update_refusals(server: RunningServer, api_key: str, store: Store) -> None:
    identifier = post(server, playground(api_key))
    assert update(server, identifier, action="acknowledge")[0] == 403
    assert update(server, identifier, api_key="wrong-key-1", action="acknowledge")[0] == 403
    assert update(server, "424242", api_key=api_key, action="acknowledge")[0] == 404
    status, description = update(server, identifier, api_key=api_key, action="reopen")
    assert status == 409
    assert "only a closed case can be reopened" in str(description)
    status, description = update(server, identifier, api_key=api_key, action="fly", colour="red")
    assert status == 400
    status, description = update(server, identifier, api_key=api_key, action="duplicate")
    assert (status, "'of'" in str(description)) == (400, True)
    status, description = update(server, identifier, api_key=api_key, action="duplicate", of=identifier)
    assert status == 409  # a case cannot duplicate itself
    wrong_type = call(
        f"{server.url}/requests/{identifier}/events.json", method="POST", body=b"{}", content_type="application/json"
    )
    assert wrong_type.status == 415
    stored = store.get(identifier)
    assert stored is not None
    assert stored.case.events == ()  # nothing refused left a trace


def test_parse_update_reports_every_problem() -> None:
    with pytest.raises(InvalidParametersError) as caught:
        parse_update(b"action=close&reason=bored&channel=pigeon&colour=red&by=a&by=b")
    fields = [problem.field for problem in caught.value.exceptions]
    assert fields == ["colour", "by", "reason", "channel"]
    assert caught.value.status_hint == 400
    update_, key = parse_update(b"action=close&reason=withdrawn&channel=phone&api_key=k", query="by=desk")
    assert update_ == Update(action=Action.CLOSE, reason=ClosureReason.WITHDRAWN, channel=Channel.PHONE, by="desk")
    assert key == "k"
    with pytest.raises(InvalidParametersError) as caught:
        parse_update(b"x" * 70_000)
    assert caught.value.status_hint == 413


ACTIONS = st.builds(
    Update,
    action=st.sampled_from(list(Action)),
    to_state=st.one_of(
        st.none(), st.sampled_from(["acknowledged", "in_progress", "resolved", "closed", "reopened", "nowhere"])
    ),
    reason=st.sampled_from(list(ClosureReason)),
    note=st.one_of(st.none(), st.just("a note")),
    to_jurisdiction=st.one_of(st.none(), st.just("county.example")),
    of=st.one_of(st.none(), st.just("1")),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(updates=st.lists(ACTIONS, max_size=8))
def test_any_update_applies_or_is_refused_leaving_the_stored_case_unchanged(
    store: Store, api_key: str, updates: list[Update]
) -> None:
    from georeport.server import LocalBackend, RefusalError
    from georeport.wire.params import ParsedPost

    del api_key
    backend = LocalBackend(store)
    post_ = ParsedPost(georeport.RequestSubmission("PK-101", address_id="A1", attributes={"EQUIPTYPE": "202"}))
    identifier = backend.submit(post_).service_request_id
    assert identifier is not None
    for change in updates:
        before = store.get(identifier)
        assert before is not None
        requested = before.case.request.requested_datetime
        assert requested is not None
        try:
            expected = apply_update(before.case, change, at=requested + timedelta(days=1))
        except (TransitionError, InvalidParametersError, ValidationError):
            expected = None
        try:
            request = backend.update(identifier, change)
        except RefusalError:
            after = store.get(identifier)
            assert expected is None
            assert after is not None
            assert after.case.events == before.case.events
            continue
        assert expected is not None
        after = store.get(identifier)
        assert after is not None
        assert len(after.case.events) == len(before.case.events) + 1
        assert type(after.case.events[-1]) is type(expected.events[-1])
        assert request.status is after.case.status
        assert isinstance(after.case, Case)
