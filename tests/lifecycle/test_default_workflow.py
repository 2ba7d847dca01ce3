"""The default workflow, exhaustively: every ordered pair of states, every kind of event."""

from __future__ import annotations

import itertools
from collections import deque
from datetime import UTC, datetime, timedelta

import pytest

from georeport import ServiceRequest, Status
from georeport.lifecycle import (
    Acknowledged,
    Case,
    Channel,
    Closed,
    ClosureReason,
    Event,
    MarkedDuplicate,
    Referred,
    Reopened,
    StateChanged,
    TransitionError,
    Workflow,
    default_workflow,
)
from tests.lifecycle.strategies import MOVE_TYPES, build

# The table as declared in the docs: x = allowed. Written out by hand, not derived from the code.
TABLE = """
                    sub ack inp wai sch res clo dup ref rej wit reo
submitted            .   x   x   x   x   x   .   x   x   x   x   .
acknowledged         .   .   x   x   x   x   .   x   x   x   x   .
in_progress          .   .   .   x   x   x   .   x   x   x   x   .
waiting_on_citizen   .   .   x   .   x   x   .   x   x   x   x   .
scheduled            .   .   x   x   .   x   .   x   x   x   x   .
resolved             .   .   .   .   .   .   x   .   .   .   .   x
closed               .   .   .   .   .   .   .   .   .   .   .   .
duplicate            .   .   .   .   .   .   .   .   .   .   .   x
referred             .   .   .   .   .   .   .   .   .   .   .   x
rejected             .   .   .   .   .   .   .   .   .   .   .   x
withdrawn            .   .   .   .   .   .   .   .   .   .   .   x
reopened             .   x   x   x   x   x   .   x   x   x   x   .
"""
ROWS = [line.split() for line in TABLE.strip().splitlines()[1:]]
STATES = [row[0] for row in ROWS]
ALLOWED = {(row[0], STATES[index]) for row in ROWS for index, mark in enumerate(row[1:]) if mark == "x"}

# Each state's status, closure reason and flags (paused, response, resolution).
ROLES = {
    "submitted": ("open", None, False, False, False),
    "acknowledged": ("open", None, False, True, False),
    "in_progress": ("open", None, False, True, False),
    "waiting_on_citizen": ("open", None, True, True, False),
    "scheduled": ("open", None, False, True, False),
    "resolved": ("closed", "resolved", False, True, True),
    "closed": ("closed", "resolved", False, True, True),
    "duplicate": ("closed", "duplicate", False, True, False),
    "referred": ("closed", "referred", False, True, False),
    "rejected": ("closed", "not_actionable", False, True, False),
    "withdrawn": ("closed", "withdrawn", False, False, False),
    "reopened": ("open", None, False, False, False),
}
RESPONSE_OPEN = {name for name, role in ROLES.items() if role[0] == "open" and role[3]}
START = datetime(2024, 3, 9, 12, tzinfo=UTC)


def accepted_kinds(source: str, target: str) -> set[type[Event]]:
    """The kinds of event that make a move, from the rules in the docs and the ROLES table above."""
    closed = {name for name, role in ROLES.items() if role[0] == "closed"}
    if target == "referred":
        return {Referred}
    if target == "duplicate":
        return {MarkedDuplicate}
    if source in closed and target not in closed:
        return {Reopened}
    if source not in closed and target in closed:
        return {Closed}
    if source in closed:
        return {StateChanged, Closed}
    return {StateChanged, Acknowledged} if target in RESPONSE_OPEN else {StateChanged}


def path_to(state: str) -> list[str]:
    """The shortest path from ``submitted`` to ``state`` through the table."""
    previous: dict[str, str | None] = {"submitted": None}
    queue = deque(["submitted"])
    while queue:
        here = queue.popleft()
        for source, target in sorted(ALLOWED):
            if source == here and target not in previous:
                previous[target] = here
                queue.append(target)
    path: list[str] = []
    node: str | None = state
    while node is not None:
        path.append(node)
        node = previous[node]
    return path[::-1]


def case_in(state: str) -> Case:
    """A case of the default workflow brought to ``state`` along the table."""
    case = Case(ServiceRequest("42", service_code="PK-101", requested_datetime=START), Channel.WEB)
    path = path_to(state)
    for step, (source, target) in enumerate(itertools.pairwise(path), start=1):
        kind = min(accepted_kinds(source, target), key=lambda k: k.__name__)
        case = case.apply(build(kind, at=START + timedelta(hours=step), from_state=source, to_state=target))
    assert case.state.name == state
    return case


class TestTable:
    def test_the_states_are_declared_in_order_with_their_roles(self) -> None:
        workflow = default_workflow()
        assert [state.name for state in workflow.states] == STATES
        assert workflow.initial == "submitted"
        roles = {
            state.name: (
                state.status.value,
                state.closure_reason.value if state.closure_reason else None,
                state.paused,
                state.response,
                state.resolution,
            )
            for state in workflow.states
        }
        assert roles == ROLES
        assert all(state.detailed_status == state.name for state in workflow.states)

    def test_the_transitions_are_exactly_the_table(self) -> None:
        assert set(default_workflow().transitions) == ALLOWED

    @pytest.mark.parametrize(
        ("source", "target"), [pytest.param(a, b, id=f"{a}->{b}") for a, b in itertools.product(STATES, STATES)]
    )
    def test_every_ordered_pair_is_allowed_or_refused_as_declared(self, source: str, target: str) -> None:
        workflow = default_workflow()
        allowed = (source, target) in ALLOWED
        assert workflow.is_allowed(source, target) == allowed
        assert (target in workflow.allowed(source)) == allowed
        if source == target:
            return  # not a move: a NoteAdded records a note (tested below)
        case = case_in(source)
        expected_allowed = tuple(name for name in STATES if (source, name) in ALLOWED)
        kinds = accepted_kinds(source, target) if allowed else set()
        at = case.updated_datetime or START
        for kind in MOVE_TYPES:
            event = build(kind, at=at + timedelta(minutes=5), from_state=source, to_state=target)
            if kind in kinds:
                after = case.apply(event)
                assert (after.state.name, after.status.value) == (target, ROLES[target][0])
                assert after.events[-1] is event
            else:
                with pytest.raises(TransitionError) as caught:
                    case.apply(event)
                error = caught.value
                assert (error.state, error.to_state, error.allowed) == (source, target, expected_allowed)
                assert repr(source) in str(error)
                assert repr(target) in str(error)
                assert str(error).endswith(
                    ", ".join(map(repr, expected_allowed)) if expected_allowed else "none (a final state)"
                )

    @pytest.mark.parametrize("state", STATES)
    def test_a_note_is_allowed_in_every_state_and_moves_nothing(self, state: str) -> None:
        case = case_in(state)
        after = case.add_note("We are on it.", at=(case.updated_datetime or START) + timedelta(minutes=1))
        assert (after.state, after.status_notes, after.reopenings) == (case.state, "We are on it.", case.reopenings)

    @pytest.mark.parametrize("state", STATES)
    def test_the_published_status_is_the_projection(self, state: str) -> None:
        published = case_in(state).as_service_request()
        assert published.status == Status(ROLES[state][0])
        assert published.extensions == {"extended_attributes": {"detailed_status": state}}


class TestHelpersPickTheirState:
    @pytest.mark.parametrize(
        ("source", "helper", "target"),
        [
            ("submitted", "acknowledge", "acknowledged"),
            ("reopened", "acknowledge", "acknowledged"),
            ("in_progress", "close", "resolved"),
            ("resolved", "close", "closed"),
            ("resolved", "reopen", "reopened"),
            ("duplicate", "reopen", "reopened"),
            ("scheduled", "refer", "referred"),
            ("waiting_on_citizen", "mark_duplicate", "duplicate"),
        ],
    )
    def test_the_helper_reaches_the_state_the_docs_name(self, source: str, helper: str, target: str) -> None:
        case = case_in(source)
        at = (case.updated_datetime or START) + timedelta(minutes=1)
        if helper == "refer":
            after = case.refer("county", at=at)
        elif helper == "mark_duplicate":
            after = case.mark_duplicate(of="7", at=at)
        else:
            after = getattr(case, helper)(at=at)
        assert after.state.name == target

    @pytest.mark.parametrize(
        ("reason", "target"),
        [
            (ClosureReason.RESOLVED, "resolved"),
            (ClosureReason.NOT_ACTIONABLE, "rejected"),
            (ClosureReason.WITHDRAWN, "withdrawn"),
        ],
    )
    def test_close_picks_the_state_of_the_reason(self, reason: ClosureReason, target: str) -> None:
        case = case_in("in_progress").close(at=START + timedelta(days=1), reason=reason)
        assert (case.state.name, case.closure_reason) == (target, reason)

    def test_close_as_referred_is_refused_in_favour_of_refer(self) -> None:
        case = case_in("in_progress")
        with pytest.raises(TransitionError, match="is a Referred, not a Closed"):
            case.close(at=START + timedelta(days=1), reason=ClosureReason.REFERRED)

    def test_acknowledging_twice_is_refused_naming_the_choices(self) -> None:
        case = case_in("acknowledged")
        with pytest.raises(TransitionError, match=r"3 moves \('in_progress', 'waiting_on_citizen', 'scheduled'\)"):
            case.acknowledge(at=START + timedelta(days=1))
        assert case.acknowledge(at=START + timedelta(days=1), to_state="scheduled").state.name == "scheduled"

    def test_reopening_an_open_case_is_refused(self) -> None:
        with pytest.raises(
            TransitionError, match=r"the case is open \(in 'in_progress'\): only a closed case can be reopened"
        ):
            case_in("in_progress").reopen(at=START + timedelta(days=1))

    def test_move_refuses_a_referral_and_names_the_helper(self) -> None:
        with pytest.raises(TransitionError, match=r"use refer\(\)"):
            case_in("in_progress").move("referred", at=START + timedelta(days=1))
        with pytest.raises(TransitionError, match=r"use mark_duplicate\(\)"):
            case_in("in_progress").move("duplicate", at=START + timedelta(days=1))

    def test_the_default_workflow_is_one_shared_value_that_round_trips(self) -> None:
        workflow = default_workflow()
        assert workflow is default_workflow()
        assert Workflow.from_toml(workflow.to_toml()) == workflow
        assert Workflow.from_json(workflow.to_json()) == workflow
        assert Workflow.from_dict(workflow.to_dict()) == workflow
