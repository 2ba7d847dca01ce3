"""The life of a service request: workflows, events and cases (a domain module).

A ``Workflow`` declares the states a request can be in, each with its Open311
projection, and the moves allowed between them; ``default_workflow()`` covers
what 311 programmes use, and a jurisdiction can declare its own in TOML or
JSON. A ``Case`` is a request plus its history of events; everything a
server publishes about the request's progress is derived from that history.
``to_json``/``from_json`` store cases and events; ``Workflow.to_mermaid`` and
``to_dot`` draw a workflow. See ``docs/lifecycle.md``.

This package imports only ``georeport.models`` and ``georeport.errors``.
"""

from georeport.lifecycle.case import Case, Pause
from georeport.lifecycle.channels import Channel
from georeport.lifecycle.default import default_workflow
from georeport.lifecycle.errors import TransitionError, WorkflowError
from georeport.lifecycle.events import (
    Acknowledged,
    Closed,
    Event,
    EventKind,
    MarkedDuplicate,
    NoteAdded,
    Referred,
    Reopened,
    StateChanged,
)
from georeport.lifecycle.serialize import from_json, structure, to_json, unstructure
from georeport.lifecycle.states import ClosureReason, State
from georeport.lifecycle.workflow import Workflow

__all__ = [
    "Acknowledged",
    "Case",
    "Channel",
    "Closed",
    "ClosureReason",
    "Event",
    "EventKind",
    "MarkedDuplicate",
    "NoteAdded",
    "Pause",
    "Referred",
    "Reopened",
    "State",
    "StateChanged",
    "TransitionError",
    "Workflow",
    "WorkflowError",
    "default_workflow",
    "from_json",
    "structure",
    "to_json",
    "unstructure",
]
