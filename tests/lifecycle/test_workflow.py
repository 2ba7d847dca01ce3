"""Workflows and states built in Python: every rule refused with a WorkflowError naming the state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport import GeoReportError
from georeport.lifecycle import (
    Acknowledged,
    Closed,
    MarkedDuplicate,
    Referred,
    Reopened,
    State,
    StateChanged,
    Workflow,
    WorkflowError,
)
from tests.lifecycle.strategies import workflows

NEW = State(name="new", status="open")
WORK = State(name="work", status="open", response=True)
DONE = State(name="done", status="closed", closure_reason="resolved")
SENT = State(name="sent", status="closed", closure_reason="referred")


def tiny(**changes: object) -> Workflow:
    fields: dict[str, object] = {
        "name": "tiny",
        "initial": "new",
        "states": [NEW, WORK, DONE],
        "transitions": [("new", "work"), ("work", "done"), ("new", "done")],
    }
    fields.update(changes)
    return Workflow(**fields)  # type: ignore[arg-type]


class TestState:
    def test_defaults_name_the_detailed_status_and_derive_resolution(self) -> None:
        assert (DONE.detailed_status, DONE.resolution, DONE.is_closed) == ("done", True, True)
        assert (NEW.detailed_status, NEW.resolution, NEW.is_open) == ("new", False, True)

    @pytest.mark.parametrize(
        ("fields", "path", "fragment"),
        [
            ({"status": "closed"}, "states.x.closure_reason", "a closed state needs a closure_reason"),
            (
                {"status": "open", "closure_reason": "resolved"},
                "states.x.closure_reason",
                "an open state has no closure_reason",
            ),
            (
                {"status": "closed", "closure_reason": "withdrawn", "paused": True},
                "states.x.paused",
                "only an open state",
            ),
            (
                {"status": "closed", "closure_reason": "duplicate", "resolution": True},
                "states.x.resolution",
                "resolution must be false",
            ),
            (
                {"status": "closed", "closure_reason": "resolved", "resolution": False},
                "states.x.resolution",
                "resolution must be true",
            ),
            ({"status": "open", "detailed_status": " "}, "states.x.detailed_status", "must not be empty"),
            ({"status": "open", "paused": "yes"}, "states.x.paused", "paused must be true or false (got 'yes')"),
            ({"status": "pending"}, "status", "the status must be one of 'open', 'closed' (got 'pending')"),
            ({"status": "closed", "closure_reason": "fixed"}, "closure_reason", "must be one of 'resolved'"),
        ],
    )
    def test_a_state_breaking_a_rule_is_refused_naming_the_field(
        self, fields: dict[str, object], path: str, fragment: str
    ) -> None:
        with pytest.raises(WorkflowError) as caught:
            State(name="x", **fields)  # type: ignore[arg-type]
        assert caught.value.path == path
        assert fragment in str(caught.value)

    @pytest.mark.parametrize("name", ["in progress", "2nd", "", "a-b", "état"])
    def test_a_name_that_is_not_a_plain_identifier_is_refused(self, name: str) -> None:
        with pytest.raises(WorkflowError, match="a state name must be letters, digits and '_'") as caught:
            State(name=name, status="open")
        assert caught.value.state == name

    def test_workflow_errors_are_georeport_errors_and_value_errors(self) -> None:
        assert issubclass(WorkflowError, GeoReportError)
        assert issubclass(WorkflowError, ValueError)


class TestWorkflowRules:
    @pytest.mark.parametrize(
        ("changes", "path", "state", "fragment"),
        [
            ({"initial": "nwe"}, "initial", None, "the initial state 'nwe' is not declared; did you mean 'new'?"),
            ({"initial": "done"}, "initial", "done", "the initial state must be open"),
            (
                {"states": [State(name="new", status="open", response=True), WORK, DONE]},
                "initial",
                "new",
                "the initial state cannot be a response",
            ),
            (
                {"transitions": [("new", "work"), ("work", "dnoe"), ("new", "done")]},
                "states.work.to[0]",
                "work",
                "unknown state 'dnoe'; did you mean 'done'?",
            ),
            (
                {"transitions": [("new", "work"), ("work", "work"), ("work", "done")]},
                "states.work.to[0]",
                "work",
                "cannot move to itself",
            ),
            (
                {"transitions": [("new", "work"), ("work", "done"), ("work", "done")]},
                "states.work.to[1]",
                "work",
                "listed twice",
            ),
            (
                {"transitions": [("new", "work"), ("work", "done"), ("wrok", "done")]},
                "states.wrok",
                "wrok",
                "undeclared state; did you mean 'work'?",
            ),
            (
                {"transitions": [("new", "done")]},
                "states.work",
                "work",
                "unreachable: no transition leads here from the initial state 'new'",
            ),
            ({"transitions": [("new", "work"), ("new", "done")]}, "states.work.to", "work", "could never close"),
            ({"states": [NEW, WORK, NEW, DONE]}, "states.new", "new", "declared twice"),
            ({"states": [NEW, WORK], "transitions": [("new", "work")]}, "states", None, "at least one closed state"),
            ({"states": [], "transitions": []}, "states", None, "at least one state"),
            ({"name": " "}, "name", None, "a workflow's name must be a non-empty string"),
            ({"transitions": [("new", "work", "done")]}, "transitions", None, "a (from_state, to_state) pair"),
            ({"states": [NEW, {"name": "work"}]}, "states[1]", None, "states must be State values"),
        ],
    )
    def test_a_workflow_breaking_a_rule_is_refused_naming_where(
        self, changes: dict[str, object], path: str, state: str | None, fragment: str
    ) -> None:
        with pytest.raises(WorkflowError) as caught:
            tiny(**changes)
        problem = caught.value.problems[0]
        assert (problem.path, problem.state) == (path, state)
        assert fragment in str(problem)
        assert problem.line is None

    def test_every_problem_is_reported_at_once(self) -> None:
        with pytest.raises(WorkflowError) as caught:
            tiny(initial="done", transitions=[("new", "wrok"), ("new", "new")])
        messages = [str(problem) for problem in caught.value.problems]
        assert len(messages) == 5
        assert str(caught.value).startswith("invalid workflow: 5 problems\n  - initial: the initial state must be open")
        assert all(f"  - {message}" in str(caught.value) for message in messages)
        assert {problem.state for problem in caught.value.problems} == {"done", "new", "work"}

    def test_transitions_are_canonical_so_listing_order_does_not_matter(self) -> None:
        listed = tiny(transitions=[("work", "done"), ("new", "done"), ("new", "work")])
        assert listed == tiny()
        assert listed.transitions == (("new", "work"), ("new", "done"), ("work", "done"))
        assert listed.allowed("new") == ("work", "done")

    def test_lookups(self) -> None:
        workflow = tiny()
        assert "work" in workflow
        assert "nope" not in workflow
        assert workflow.state("done") is DONE
        assert workflow.initial_state is NEW
        assert workflow.is_allowed("nope", "done") is False
        with pytest.raises(KeyError):
            workflow.state("nope")
        with pytest.raises(KeyError):
            workflow.allowed("nope")

    def test_event_types_follow_the_projection_and_the_closure_reason(self) -> None:
        workflow = Workflow(
            name="kinds",
            initial="new",
            states=[NEW, WORK, DONE, SENT, State(name="archived", status="closed", closure_reason="resolved")],
            transitions=[("new", "work"), ("work", "done"), ("work", "sent"), ("done", "archived"), ("done", "work")],
        )
        assert workflow.event_types("new", "work") == (StateChanged, Acknowledged)
        assert workflow.event_types("work", "done") == (Closed,)
        assert workflow.event_types("work", "sent") == (Referred,)
        assert workflow.event_types("done", "archived") == (StateChanged, Closed)
        assert workflow.event_types("done", "work") == (Reopened,)
        dup = State(name="dup", status="closed", closure_reason="duplicate")
        assert Workflow(name="d", initial="new", states=[NEW, dup], transitions=[("new", "dup")]).event_types(
            "new", "dup"
        ) == (MarkedDuplicate,)


class TestDeclarations:
    @given(workflows())
    def test_a_declaration_round_trips_through_dict_json_and_toml(self, workflow: Workflow) -> None:
        assert Workflow.from_dict(workflow.to_dict()) == workflow
        assert Workflow.from_json(workflow.to_json()) == workflow
        assert Workflow.from_toml(workflow.to_toml()) == workflow
        assert Workflow.from_toml(workflow.to_toml().encode()) == workflow

    @given(workflows(), st.randoms(use_true_random=False))
    def test_the_order_moves_are_listed_in_does_not_change_the_workflow(
        self, workflow: Workflow, random: object
    ) -> None:
        shuffled = list(workflow.transitions)
        random.shuffle(shuffled)  # type: ignore[attr-defined]
        again = Workflow(name=workflow.name, initial=workflow.initial, states=workflow.states, transitions=shuffled)
        assert again == workflow
        assert again.transitions == workflow.transitions

    def test_defaults_are_left_out_of_a_declaration(self) -> None:
        declared = tiny().to_dict()
        assert declared == {
            "name": "tiny",
            "initial": "new",
            "states": {
                "new": {"status": "open", "to": ["work", "done"]},
                "work": {"status": "open", "response": True, "to": ["done"]},
                "done": {"status": "closed", "closure_reason": "resolved", "to": []},
            },
        }
