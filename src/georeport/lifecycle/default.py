"""The default workflow: the states and moves most 311 programmes use.

A jurisdiction with its own states declares its own workflow (TOML, JSON or a
dict, see ``Workflow.from_toml``); ``default_workflow().to_toml()`` is a good
start. The rules of this one:

- work goes from ``submitted`` through ``acknowledged``, ``in_progress``,
  ``scheduled`` and ``waiting_on_citizen`` (where the clock is paused) in any
  order; only a new or reopened case can be acknowledged;
- any open state can close: ``resolved``, ``duplicate``, ``referred``,
  ``rejected`` (not actionable) or ``withdrawn``;
- ``resolved`` can be confirmed as ``closed``, which is final; every other
  closed state can be ``reopened``;
- every state past ``submitted`` counts as a response to the citizen except
  ``withdrawn`` (the citizen left first) and ``reopened`` (the response came
  earlier); ``resolved`` and ``closed`` are resolutions.
"""

from __future__ import annotations

from functools import cache

from georeport.lifecycle.states import ClosureReason, State
from georeport.lifecycle.workflow import Workflow
from georeport.models import Status

__all__ = ["default_workflow"]

_OPEN, _CLOSED = Status.OPEN, Status.CLOSED
_WORK = ("in_progress", "waiting_on_citizen", "scheduled")
_CLOSING = ("resolved", "duplicate", "referred", "rejected", "withdrawn")

_STATES = (
    State(name="submitted", status=_OPEN),
    State(name="acknowledged", status=_OPEN, response=True),
    State(name="in_progress", status=_OPEN, response=True),
    State(name="waiting_on_citizen", status=_OPEN, paused=True, response=True),
    State(name="scheduled", status=_OPEN, response=True),
    State(name="resolved", status=_CLOSED, closure_reason=ClosureReason.RESOLVED, response=True),
    State(name="closed", status=_CLOSED, closure_reason=ClosureReason.RESOLVED, response=True),
    State(name="duplicate", status=_CLOSED, closure_reason=ClosureReason.DUPLICATE, response=True),
    State(name="referred", status=_CLOSED, closure_reason=ClosureReason.REFERRED, response=True),
    State(name="rejected", status=_CLOSED, closure_reason=ClosureReason.NOT_ACTIONABLE, response=True),
    State(name="withdrawn", status=_CLOSED, closure_reason=ClosureReason.WITHDRAWN),
    State(name="reopened", status=_OPEN),
)

_MOVES: dict[str, tuple[str, ...]] = {
    "submitted": ("acknowledged", *_WORK, *_CLOSING),
    "acknowledged": (*_WORK, *_CLOSING),
    **{state: (*(other for other in _WORK if other != state), *_CLOSING) for state in _WORK},
    "resolved": ("closed", "reopened"),
    **{state: ("reopened",) for state in _CLOSING if state != "resolved"},
    "reopened": ("acknowledged", *_WORK, *_CLOSING),
}


@cache
def default_workflow() -> Workflow:
    """The default workflow (one shared immutable value).

    Examples:
        >>> workflow = default_workflow()
        >>> [state.name for state in workflow.states]
        ['submitted', 'acknowledged', 'in_progress', 'waiting_on_citizen', 'scheduled', 'resolved', 'closed', 'duplicate', 'referred', 'rejected', 'withdrawn', 'reopened']
        >>> workflow.allowed("resolved"), workflow.allowed("closed")
        (('closed', 'reopened'), ())
    """
    transitions = [(source, target) for source, targets in _MOVES.items() for target in targets]
    return Workflow(name="default", initial="submitted", states=_STATES, transitions=transitions)
