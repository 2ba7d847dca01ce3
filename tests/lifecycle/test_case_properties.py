"""Properties of cases: derived fields agree with a recomputation; refused events change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport import ValidationError
from georeport.lifecycle import (
    Case,
    Event,
    MarkedDuplicate,
    NoteAdded,
    Referred,
    TransitionError,
    Workflow,
    to_json,
)
from tests.lifecycle.strategies import (
    MOVE_TYPES,
    STEPS,
    TEXTS,
    WORKFLOWS,
    ZONES,
    build,
    expected_kinds,
    shown,
    walks,
)


def _seconds(value: datetime) -> float:
    """An instant as POSIX seconds: the oracle's own way to order and subtract times."""
    return value.timestamp()


class Oracle:
    """What the derived fields must be, recomputed from scratch by a different route than the library's."""

    def __init__(self, workflow: Workflow, requested: datetime, events: list[Event]) -> None:
        self.workflow = workflow
        self.events = events
        self.moves = [event for event in events if not isinstance(event, NoteAdded)]
        # (when, state) for the start and every move
        self.visits = [(requested, workflow.initial)] + [(event.at, event.to_state) for event in self.moves]

    def _flag(self, name: str, flag: str) -> bool:
        table = {state.name: state for state in self.workflow.states}
        state = table[name]
        return state.status == "closed" if flag == "closed" else bool(getattr(state, flag))

    def _run_start(self, flag: str) -> datetime | None:
        """When the trailing run of visits having ``flag`` began."""
        start = None
        for when, name in reversed(self.visits):
            if not self._flag(name, flag):
                break
            start = when
        return start

    def state(self) -> str:
        return self.visits[-1][1]

    def first_response(self) -> datetime | None:
        return next((when for when, name in self.visits if self._flag(name, "response")), None)

    def resolved(self) -> datetime | None:
        return self._run_start("resolution")

    def closed(self) -> datetime | None:
        return self._run_start("closed")

    def reopenings(self) -> int:
        pairs = zip(self.visits, self.visits[1:], strict=False)
        return sum(1 for (_, a), (_, b) in pairs if self._flag(a, "closed") and not self._flag(b, "closed"))

    def pauses(self) -> list[tuple[datetime, datetime | None]]:
        found: list[tuple[datetime, datetime | None]] = []
        start = None
        for when, name in self.visits:
            if self._flag(name, "paused") and start is None:
                start = when
            elif not self._flag(name, "paused") and start is not None:
                found.append((start, when))
                start = None
        if start is not None:
            found.append((start, None))
        return found

    def paused_seconds(self, until: datetime) -> float:
        total = 0.0
        for start, end in self.pauses():
            stop = min(_seconds(end), _seconds(until)) if end is not None else _seconds(until)
            total += max(0.0, stop - _seconds(start))
        return total

    def status_notes(self) -> str | None:
        for event in reversed(self.events):
            if event.note is not None:
                return event.note
            if not isinstance(event, NoteAdded):
                return None
        return None

    def updated(self) -> datetime | None:
        return self.events[-1].at if self.events else None

    def last_move(self) -> Event | None:
        return self.moves[-1] if self.moves else None


class TestDerivedFields:
    @given(st.data())
    def test_derived_fields_match_an_independent_recomputation(self, data: st.DataObject) -> None:
        workflow = data.draw(WORKFLOWS)
        case, events = data.draw(walks(workflow))
        case = case.apply_many(events)
        requested = case.request.requested_datetime
        assert requested is not None
        oracle = Oracle(workflow, requested, events)
        last_move = oracle.last_move()

        assert case.events == tuple(events)
        assert case.state.name == oracle.state()
        assert case.status == workflow.state(oracle.state()).status
        assert case.status_notes == oracle.status_notes()
        assert case.updated_datetime == oracle.updated()
        assert case.first_response_datetime == oracle.first_response()
        assert case.resolved_datetime == oracle.resolved()
        assert case.closed_datetime == oracle.closed()
        assert case.reopenings == oracle.reopenings()
        assert [(pause.start, pause.end) for pause in case.pauses] == oracle.pauses()
        assert case.is_paused == (bool(oracle.pauses()) and oracle.pauses()[-1][1] is None)
        assert case.closure_reason == workflow.state(oracle.state()).closure_reason
        assert case.referral == (last_move if isinstance(last_move, Referred) else None)
        assert case.duplicate_of == (last_move.of if isinstance(last_move, MarkedDuplicate) else None)
        until = (case.updated_datetime or requested) + timedelta(hours=5)
        assert case.paused_time(until=until).total_seconds() == pytest.approx(oracle.paused_seconds(until), abs=1e-6)

        published = case.as_service_request()
        assert (published.status, published.status_notes, published.updated_datetime) == (
            case.status,
            case.status_notes,
            case.updated_datetime,
        )
        extended = published.extensions["extended_attributes"]
        assert isinstance(extended, dict)
        assert extended["detailed_status"] == case.state.detailed_status

    @given(st.data())
    def test_building_with_a_history_equals_applying_it_one_event_at_a_time(self, data: st.DataObject) -> None:
        workflow = data.draw(WORKFLOWS)
        case, events = data.draw(walks(workflow))
        one_by_one = case
        for event in events:
            one_by_one = one_by_one.apply(event)
        built = Case(case.request, case.channel, events=events, workflow=workflow)
        assert built == one_by_one == case.apply_many(events)
        assert (built.state, built.pauses, built.reopenings, built.status_notes) == (
            one_by_one.state,
            one_by_one.pauses,
            one_by_one.reopenings,
            one_by_one.status_notes,
        )


def _legal(case: Case, event: Event) -> bool:
    """The test's own statement of when an event may happen."""
    workflow = case.workflow
    last = case.events[-1].at if case.events else case.request.requested_datetime
    assert last is not None
    if event.at.astimezone(UTC) < last.astimezone(UTC) or event.from_state != case.state.name:
        return False
    if isinstance(event, NoteAdded):
        return True
    if event.to_state not in {state.name for state in workflow.states}:
        return False
    if (event.from_state, event.to_state) not in set(workflow.transitions):
        return False
    if type(event) not in expected_kinds(workflow, event.from_state, event.to_state):
        return False
    return not (isinstance(event, MarkedDuplicate) and event.of == case.request.service_request_id)


@st.composite
def arbitrary_events(draw: st.DrawFn, case: Case, previous: datetime) -> Event:
    """Any event that can be built: any kind, any states (some unknown), any time around ``previous``."""
    names = [state.name for state in case.workflow.states]
    source = draw(st.one_of(st.just(case.state.name), st.sampled_from([*names, "nowhere"])))
    instant = previous.astimezone(UTC) + draw(st.one_of(STEPS, STEPS.map(lambda step: -step)))
    at = shown(instant, draw(ZONES))
    if draw(st.integers(0, 5)) == 0:
        return NoteAdded(at=at, from_state=source, note=draw(TEXTS.filter(str.strip)))
    target = draw(st.sampled_from([*names, "nowhere"]).filter(lambda name: name != source))
    kind = draw(st.sampled_from(MOVE_TYPES))
    extra = {}
    if kind is MarkedDuplicate:
        extra["of"] = draw(st.sampled_from(["original-1", case.request.service_request_id or "original-2"]))
    return build(kind, at=at, from_state=source, to_state=target, note=draw(st.one_of(st.none(), TEXTS)), **extra)


class TestApplyOrRefuse:
    @given(st.data())
    def test_any_event_sequence_applies_or_raises_leaving_the_case_unchanged(self, data: st.DataObject) -> None:
        workflow = data.draw(WORKFLOWS)
        case, history = data.draw(walks(workflow, max_events=5))
        case = case.apply_many(history)
        for _ in range(data.draw(st.integers(1, 15))):
            previous = case.updated_datetime or case.request.requested_datetime
            assert previous is not None
            event = data.draw(arbitrary_events(case, previous))
            before_json, before_state, before_pauses = to_json(case), case.state, case.pauses
            legal = _legal(case, event)
            refusal: TransitionError | None = None
            try:
                after = case.apply(event)
            except TransitionError as error:
                refusal = error
            # The case held is the same value, whatever happened.
            assert (to_json(case), case.state, case.pauses) == (before_json, before_state, before_pauses)
            if refusal is not None:
                assert not legal, f"refused a legal event: {refusal}"
                assert refusal.event is event
                assert refusal.state == case.state.name
                assert refusal.allowed == workflow.allowed(case.state.name)
            else:
                assert legal, f"applied an illegal event: {event!r}"
                assert after.events == (*case.events, event)
                case = after

    @given(st.data())
    def test_a_refused_event_in_a_history_refuses_the_whole_case(self, data: st.DataObject) -> None:
        workflow = data.draw(WORKFLOWS)
        case, history = data.draw(walks(workflow, max_events=6))
        previous = case.apply_many(history)
        stamp = previous.updated_datetime or previous.request.requested_datetime
        assert stamp is not None
        event = data.draw(arbitrary_events(previous, stamp))
        events = [*history, event]
        if _legal(previous, event):
            assert Case(case.request, case.channel, events=events, workflow=workflow).events == tuple(events)
        else:
            with pytest.raises(TransitionError) as caught:
                Case(case.request, case.channel, events=events, workflow=workflow)
            assert f"(event {len(history)} of the history)" in caught.value.__notes__


class TestEventsCheckThemselves:
    @given(st.sampled_from(MOVE_TYPES))
    def test_a_move_to_the_state_it_leaves_is_not_an_event(self, kind: type[Event]) -> None:
        with pytest.raises(ValidationError, match="to_state"):
            build(kind, at=datetime(2024, 1, 1, tzinfo=UTC), from_state="submitted", to_state="submitted")

    @given(st.sampled_from([*MOVE_TYPES, NoteAdded]))
    def test_a_naive_datetime_is_refused_naming_the_field(self, kind: type[Event]) -> None:
        fields = {"note": "x"} if kind is NoteAdded else {}
        with pytest.raises(ValidationError, match="'at' must be a timezone-aware datetime"):
            build(kind, at=datetime(2024, 1, 1), from_state="submitted", to_state="in_progress", **fields)
