"""The workflow: declared states, the moves allowed between them, and the rules they must satisfy.

Everything that decides whether a move is legal lives here: which transitions
exist, which kind of event may make each move, and the checks a workflow passes
when it is built (from Python, a dict, TOML or JSON): a known initial state
that is open, no transition naming an unknown state, no state that cannot be
reached, and no open state from which a case could never close. Every problem
is reported at once, naming the state and, for text, the line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import attrs

from georeport.lifecycle import diagram
from georeport.lifecycle._declaration import declare, locate, parse, suggest, to_toml
from georeport.lifecycle.errors import WorkflowError
from georeport.lifecycle.events import (
    Acknowledged,
    Closed,
    Event,
    MarkedDuplicate,
    Referred,
    Reopened,
    StateChanged,
)
from georeport.lifecycle.states import ClosureReason, State

__all__ = ["Workflow"]

_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _states(value: Iterable[State]) -> tuple[State, ...]:
    states = tuple(value)
    for index, state in enumerate(states):
        if not isinstance(state, State):
            raise WorkflowError(f"states must be State values (got {state!r})", keys=("states", index))
    return states


def _transitions(value: Iterable[object]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for pair in value:
        if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(isinstance(end, str) for end in pair)):  # noqa: PLR2004
            raise WorkflowError(
                f"a transition is a (from_state, to_state) pair of names (got {pair!r})", keys=("transitions",)
            )
        pairs.append((str(pair[0]), str(pair[1])))
    return tuple(pairs)


def _name(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise WorkflowError(f"a workflow's name must be a non-empty string (got {value!r})", keys=("name",))


def _unknown_initial(initial: str, names: Collection[str]) -> list[WorkflowError]:
    if initial in names:
        return []
    return [
        WorkflowError(
            f"the initial state {initial!r} is not declared{suggest(initial, list(names))}", keys=("initial",)
        )
    ]


def _initial_problems(initial: str, by_name: Mapping[str, State]) -> list[WorkflowError]:
    if initial not in by_name:
        return _unknown_initial(initial, by_name)
    state = by_name[initial]
    problems = []
    if state.is_closed:
        problems.append(
            WorkflowError("the initial state must be open: a new request is open", state=initial, keys=("initial",))
        )
    problems += [
        WorkflowError(
            f"the initial state cannot be a {flag}: a case starts there before anything happened",
            state=initial,
            keys=("initial",),
        )
        for flag in ("response", "resolution")
        if getattr(state, flag) and state.is_open  # a closed initial state is wrong enough
    ]
    return problems


def _edge_problems(transitions: Iterable[tuple[str, str]], names: Collection[str]) -> list[WorkflowError]:
    problems: list[WorkflowError] = []
    seen: set[tuple[str, str]] = set()
    index: Counter[str] = Counter()
    for source, target in transitions:
        keys = ("states", source, "to", index[source])
        index[source] += 1
        if source not in names:
            problems.append(
                WorkflowError(
                    f"a transition leaves an undeclared state{suggest(source, list(names))}",
                    state=source,
                    keys=keys[:2],
                )
            )
        elif target not in names:
            problems.append(
                WorkflowError(f"unknown state {target!r}{suggest(target, list(names))}", state=source, keys=keys)
            )
        elif target == source:
            problems.append(
                WorkflowError("a state cannot move to itself (a NoteAdded records a note)", state=source, keys=keys)
            )
        elif (source, target) in seen:
            problems.append(WorkflowError(f"the move to {target!r} is listed twice", state=source, keys=keys))
        seen.add((source, target))
    return problems


def _closure(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every name reachable from ``start`` through ``edges`` (``start`` included)."""
    reached = set(start)
    stack = list(reached)
    while stack:
        for following in edges.get(stack.pop(), ()):
            if following not in reached:
                reached.add(following)
                stack.append(following)
    return reached


def _reach_problems(workflow: Workflow, by_name: Mapping[str, State]) -> list[WorkflowError]:
    """States no case can reach, and open states from which no case could close."""
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for source, target in workflow.transitions:
        if source in by_name and target in by_name:
            forward.setdefault(source, []).append(target)
            backward.setdefault(target, []).append(source)
    reachable = _closure([workflow.initial], forward)
    closed = [state.name for state in workflow.states if state.is_closed]
    can_close = _closure(closed, backward)
    problems = [
        WorkflowError(
            f"unreachable: no transition leads here from the initial state {workflow.initial!r}",
            state=state.name,
            keys=("states", state.name),
        )
        for state in workflow.states
        if state.name not in reachable
    ]
    if not closed:
        return [*problems, WorkflowError("a workflow needs at least one closed state", keys=("states",))]
    problems += [
        WorkflowError(
            "a case here could never close: no path leads from this state to a closed state",
            state=state.name,
            keys=("states", state.name, "to"),
        )
        for state in workflow.states
        if state.is_open and state.name in reachable and state.name not in can_close
    ]
    return problems


def _graph_problems(workflow: Workflow) -> list[WorkflowError]:
    """Every rule the workflow breaks as a whole."""
    if not workflow.states:
        return [WorkflowError("a workflow needs at least one state", keys=("states",))]
    by_name: dict[str, State] = {}
    problems: list[WorkflowError] = []
    for state in workflow.states:
        if state.name in by_name:
            problems.append(WorkflowError("the state is declared twice", state=state.name, keys=("states", state.name)))
        by_name[state.name] = state
    problems += _initial_problems(workflow.initial, by_name)
    problems += _edge_problems(workflow.transitions, by_name)
    if workflow.initial in by_name:
        problems += _reach_problems(workflow, by_name)
    return problems


@attrs.frozen(kw_only=True)
class Workflow:
    """Declared states, the transitions allowed between them, and where a case starts.

    Building one checks it: a problem raises ``WorkflowError`` listing every
    problem found. Transitions are kept in a canonical order (by source state,
    then target state, in declaration order), so two workflows with the same
    states and the same moves are equal however the moves were listed.

    Examples:
        >>> from georeport.lifecycle import State
        >>> workflow = Workflow(
        ...     name="tiny",
        ...     initial="new",
        ...     states=[State(name="new", status="open"), State(name="done", status="closed", closure_reason="resolved")],
        ...     transitions=[("new", "done")],
        ... )
        >>> workflow.allowed("new"), workflow.is_allowed("done", "new")
        (('done',), False)
        >>> Workflow(name="tiny", initial="new", states=workflow.states, transitions=[("new", "dome")])
        Traceback (most recent call last):
        ...
        georeport.errors.WorkflowError: invalid workflow: 2 problems
          - states.new.to[0]: unknown state 'dome'; did you mean 'done'? (state 'new')
          - states.done: unreachable: no transition leads here from the initial state 'new' (state 'done')
    """

    name: str = attrs.field(validator=_name)
    """What the workflow is called; stored with every serialized case."""
    initial: str
    """The state every case starts in."""
    states: tuple[State, ...] = attrs.field(converter=_states)
    """The states, in declaration order."""
    transitions: tuple[tuple[str, str], ...] = attrs.field(converter=_transitions)
    """The allowed moves as (from_state, to_state) pairs."""
    _by_name: dict[str, State] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _targets: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _graph_problems(self)
        if problems:
            raise WorkflowError.of(problems)
        order = {state.name: index for index, state in enumerate(self.states)}
        canonical = tuple(sorted(self.transitions, key=lambda pair: (order[pair[0]], order[pair[1]])))
        object.__setattr__(self, "transitions", canonical)
        object.__setattr__(self, "_by_name", {state.name: state for state in self.states})
        targets = {
            state.name: tuple(target for source, target in canonical if source == state.name) for state in self.states
        }
        object.__setattr__(self, "_targets", targets)

    def __contains__(self, name: object) -> bool:
        """Whether a state of that name is declared."""
        return name in self._by_name

    def state(self, name: str) -> State:
        """The state called ``name``.

        Raises:
            KeyError: no state has that name.
        """
        return self._by_name[name]

    @property
    def initial_state(self) -> State:
        """The state every case starts in."""
        return self._by_name[self.initial]

    def allowed(self, name: str) -> tuple[str, ...]:
        """The states a case in ``name`` may move to, in declaration order.

        Raises:
            KeyError: no state has that name.
        """
        return self._targets[name]

    def is_allowed(self, from_state: str, to_state: str) -> bool:
        """Whether the workflow allows the move (False for unknown states)."""
        return to_state in self._targets.get(from_state, ())

    def event_types(self, from_state: str, to_state: str) -> tuple[type[Event], ...]:
        """The kinds of event that may make this move, the plainest first (the move must be allowed too).

        A move into a referral or duplicate state needs ``Referred`` or
        ``MarkedDuplicate`` (they carry the pointer); a move from closed to
        open is a ``Reopened``; from open to closed, a ``Closed``. A move that
        keeps the projection is a ``StateChanged``, or an ``Acknowledged`` when
        it reaches an open response state, or a ``Closed`` between closed states.

        Raises:
            KeyError: a state is unknown.
        """
        source, target = self.state(from_state), self.state(to_state)
        if target.closure_reason is ClosureReason.REFERRED:
            return (Referred,)
        if target.closure_reason is ClosureReason.DUPLICATE:
            return (MarkedDuplicate,)
        if source.is_closed and target.is_open:
            return (Reopened,)
        if target.is_closed:
            return (Closed,) if source.is_open else (StateChanged, Closed)
        return (StateChanged, Acknowledged) if target.response else (StateChanged,)

    # --- declarations -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The declaration as plain values (what ``from_dict`` reads); defaults are left out."""
        return declare(self.states, self.transitions, name=self.name, initial=self.initial)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Workflow:
        """Build a workflow from its declaration (the shape ``to_dict`` gives).

        Raises:
            WorkflowError: every problem found, each naming its state and path.
        """
        return cls._declared(data, None, "dict")

    def to_json(self) -> str:
        """The declaration as JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Workflow:
        """Build a workflow from JSON text (the caller reads the file).

        Raises:
            WorkflowError: the text is not JSON, or every problem of the declaration, with lines.
        """
        text = _decode(text)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise WorkflowError(f"not valid JSON: {error.msg}", line=error.lineno) from None
        return cls._declared(data, text, "json")

    def to_toml(self) -> str:
        """The declaration as TOML text."""
        return to_toml(self.to_dict())

    @classmethod
    def from_toml(cls, text: str | bytes) -> Workflow:
        r"""Build a workflow from TOML text (the caller reads the file).

        Examples:
            >>> Workflow.from_toml('name = "x"\ninitial = "new"\n[states.new]\nstaus = "open"\n')
            Traceback (most recent call last):
            ...
            georeport.errors.WorkflowError: invalid workflow: 2 problems
              - states.new.staus: unknown key 'staus' (the keys are 'status', 'detailed_status', 'closure_reason', 'paused', 'response', 'resolution', 'to'); did you mean 'status'? (line 4, state 'new')
              - states.new: the state has no status: say whether it is 'open' or 'closed' (line 3, state 'new')

        Raises:
            WorkflowError: the text is not TOML, or every problem of the declaration, with lines.
        """
        text = _decode(text)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            where = _TOML_WHERE.search(str(error))
            reason = _TOML_WHERE.sub("", str(error)).strip()
            raise WorkflowError(f"not valid TOML: {reason}", line=int(where.group(1)) if where else None) from None
        return cls._declared(data, text, "toml")

    @classmethod
    def _declared(cls, data: object, text: str | None, fmt: str) -> Workflow:
        (name, initial, states, transitions), problems = parse(data)
        try:
            if problems:
                # Some states are wrong: still check names against the names declared.
                tables = data.get("states") if isinstance(data, Mapping) else None
                names = [str(name) for name in tables] if isinstance(tables, Mapping) else []
                if names:
                    problems += _unknown_initial(initial, names) if initial else []
                    problems += _edge_problems(transitions, names)
                raise WorkflowError.of(problems)
            return cls(name=name, initial=initial, states=states, transitions=transitions)
        except WorkflowError as error:
            if text is None:
                raise
            located = [problem.at_line(locate(text, problem.keys, fmt)) for problem in error.problems]
            raise WorkflowError.of(located) from None

    # --- diagrams -----------------------------------------------------------------------

    def to_mermaid(self) -> str:
        """The workflow as a Mermaid ``stateDiagram-v2`` (see ``georeport.lifecycle.diagram``)."""
        return diagram.to_mermaid(self)

    def to_dot(self) -> str:
        """The workflow as a Graphviz DOT digraph (see ``georeport.lifecycle.diagram``)."""
        return diagram.to_dot(self)


def _decode(text: str | bytes) -> str:
    if isinstance(text, bytes | bytearray):
        try:
            return bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise WorkflowError(f"not UTF-8 text: {error.reason} at byte {error.start}") from None
    return text
