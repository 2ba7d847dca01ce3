"""One state of a workflow, and the rules a single state must follow on its own.

A state owns its Open311 projection (``open`` or ``closed``), the
``detailed_status`` a server publishes for it, and its roles: whether the clock
is paused there, whether reaching it is a response to the citizen, whether it
is a resolution. Every closed state says why a case closed (``closure_reason``),
so statistics never confuse "closed" with "resolved". Rules that involve more
than one state (transitions, reachability) belong to ``workflow.py``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

import attrs

from georeport.lifecycle.errors import WorkflowError
from georeport.models import Status

__all__ = ["ClosureReason", "State", "is_state_name"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_state_name(value: object) -> bool:
    """Whether ``value`` can name a state: letters, digits and ``_``, not starting with a digit.

    Names are used as TOML keys and as Mermaid and Graphviz identifiers, so
    they stay that plain.
    """
    return isinstance(value, str) and _NAME.fullmatch(value) is not None


class ClosureReason(StrEnum):
    """Why a case closed; every closed state carries one.

    Only ``resolved`` means the problem was fixed: a duplicate, a referral, a
    request that could not be acted on and one the citizen withdrew are closed,
    not resolved.
    """

    RESOLVED = "resolved"
    DUPLICATE = "duplicate"
    REFERRED = "referred"
    NOT_ACTIONABLE = "not_actionable"
    WITHDRAWN = "withdrawn"


def state_problems(state: State) -> list[WorkflowError]:
    """Every rule ``state`` breaks on its own (an empty list when it is sound)."""
    name = state.name
    problems: list[WorkflowError] = []

    def problem(field: str, reason: str) -> None:
        problems.append(WorkflowError(reason, state=name, keys=("states", name, field)))

    if not is_state_name(name):
        problems.append(
            WorkflowError(
                f"a state name must be letters, digits and '_', not starting with a digit (got {name!r})",
                state=name,
                keys=("states", name),
            )
        )
    if not state.detailed_status.strip():
        problem("detailed_status", "the detailed_status must not be empty")
    closed = state.status is Status.CLOSED
    if closed and state.closure_reason is None:
        valid = ", ".join(repr(reason.value) for reason in ClosureReason)
        problem("closure_reason", f"a closed state needs a closure_reason, one of {valid}")
    if not closed and state.closure_reason is not None:
        problem("closure_reason", f"an open state has no closure_reason (got {state.closure_reason.value!r})")
    if closed and state.paused:
        problem("paused", "only an open state can pause the clock; a closed case's clock has stopped")
    if closed and state.resolution != (state.closure_reason is ClosureReason.RESOLVED):
        expected = state.closure_reason is ClosureReason.RESOLVED
        reason = state.closure_reason.value if state.closure_reason else None
        problem(
            "resolution",
            f"a closed state is a resolution exactly when its closure_reason is 'resolved' "
            f"(closure_reason {reason!r}, so resolution must be {str(expected).lower()})",
        )
    return problems


def _status(value: Status | str) -> Status:
    if isinstance(value, Status):
        return value
    try:
        return Status(value)
    except ValueError:
        valid = ", ".join(repr(member.value) for member in Status)
        raise WorkflowError(f"the status must be one of {valid} (got {value!r})", keys=("status",)) from None


def _closure_reason(value: ClosureReason | str | None) -> ClosureReason | None:
    if value is None or isinstance(value, ClosureReason):
        return value
    try:
        return ClosureReason(value)
    except ValueError:
        valid = ", ".join(repr(member.value) for member in ClosureReason)
        raise WorkflowError(
            f"the closure_reason must be one of {valid} (got {value!r})", keys=("closure_reason",)
        ) from None


def _default_detailed_status(state: Any) -> str:
    return str(state.name)


def _default_resolution(state: Any) -> bool:
    return state.closure_reason is ClosureReason.RESOLVED


@attrs.frozen(kw_only=True)
class State:
    """A state a case can be in, with its Open311 projection and its roles.

    Examples:
        >>> State(name="resolved", status="closed", closure_reason="resolved", response=True)
        State(name='resolved', status=<Status.CLOSED: 'closed'>, detailed_status='resolved', closure_reason=<ClosureReason.RESOLVED: 'resolved'>, paused=False, response=True, resolution=True)
        >>> State(name="referred", status="closed")
        Traceback (most recent call last):
        ...
        georeport.errors.WorkflowError: states.referred.closure_reason: a closed state needs a closure_reason, one of 'resolved', 'duplicate', 'referred', 'not_actionable', 'withdrawn' (state 'referred')
    """

    name: str
    """The state's name in the workflow (``in_progress``)."""
    status: Status = attrs.field(converter=_status)
    """The Open311 projection: what ``status`` a server publishes in this state."""
    detailed_status: str = attrs.field(default=attrs.Factory(_default_detailed_status, takes_self=True))
    """The finer status published in ``extended_attributes`` (CitySDK's ``detailed_status``); the name by default."""
    closure_reason: ClosureReason | None = attrs.field(default=None, converter=_closure_reason)
    """Why a case in this state is closed; set exactly on closed states."""
    paused: bool = False
    """Whether the clock stops while a case is here (waiting on the citizen)."""
    response: bool = False
    """Whether reaching this state counts as a response to the citizen."""
    resolution: bool = attrs.field(default=attrs.Factory(_default_resolution, takes_self=True))
    """Whether reaching this state counts as resolving the problem; on a closed state, exactly when
    ``closure_reason`` is ``resolved`` (the default)."""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise WorkflowError(f"a state name must be a string (got {self.name!r})", keys=("states",))
        for flag in ("paused", "response", "resolution"):
            if not isinstance(getattr(self, flag), bool):
                raise WorkflowError(
                    f"{flag} must be true or false (got {getattr(self, flag)!r})",
                    state=self.name,
                    keys=("states", self.name, flag),
                )
        if not isinstance(self.detailed_status, str):
            raise WorkflowError(
                f"the detailed_status must be a string (got {self.detailed_status!r})",
                state=self.name,
                keys=("states", self.name, "detailed_status"),
            )
        problems = state_problems(self)
        if problems:
            raise WorkflowError.of(problems)

    @property
    def is_open(self) -> bool:
        """Whether the state projects to Open311 ``open``."""
        return self.status is Status.OPEN

    @property
    def is_closed(self) -> bool:
        """Whether the state projects to Open311 ``closed``."""
        return self.status is Status.CLOSED
