"""The events of a case's history: every change is one, named in the past tense.

An event says what happened (its class), when (``at``, an aware datetime), who
did it (``by``), through which channel, with which note, and the move it made
(``from_state`` to ``to_state``). Events are plain values and check only
themselves: whether one may happen to a case is the case's and the workflow's
business (``case.py``, ``workflow.py``).

Which class a move takes depends on the states it joins, so that the history
reads the way 311 staff speak and the special moves carry their data:

=====================  ==============================================================
event                  move
=====================  ==============================================================
``Referred``           into a state whose closure reason is ``referred``
``MarkedDuplicate``    into a state whose closure reason is ``duplicate``
``Reopened``           from a closed state to an open one
``Closed``             into any other closed state
``Acknowledged``       from an open state to an open state that counts as a response
``StateChanged``       any other move that keeps the projection (open to open, closed to closed)
``NoteAdded``          no move: a note, ``to_state`` equals ``from_state``
=====================  ==============================================================
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from georeport.errors import ValidationError
from georeport.lifecycle.channels import Channel
from georeport.models._fields import aware_datetime, optional_str, required_str, to_enum

__all__ = [
    "Acknowledged",
    "Closed",
    "Event",
    "EventKind",
    "MarkedDuplicate",
    "NoteAdded",
    "Referred",
    "Reopened",
    "StateChanged",
]


class EventKind(StrEnum):
    """The kinds of event; the values are the tags written in JSON."""

    STATE_CHANGED = "state_changed"
    ACKNOWLEDGED = "acknowledged"
    NOTE_ADDED = "note_added"
    CLOSED = "closed"
    REOPENED = "reopened"
    REFERRED = "referred"
    MARKED_DUPLICATE = "marked_duplicate"


def _required_datetime(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise ValidationError(attribute.name, value, "a timezone-aware datetime")
    aware_datetime(instance, attribute, value)


def _nonempty(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(attribute.name, value, "a non-empty string")


def _channel(value: Channel | str | None) -> Channel | None:
    return None if value is None else to_enum(Channel, value, "channel")


def _moves(instance: Event, _attribute: attrs.Attribute[Any], value: str) -> None:
    if value == instance.from_state:
        raise ValidationError(
            "to_state", value, f"a state other than from_state {instance.from_state!r} (a NoteAdded records a note)"
        )


def _stays(instance: Event, _attribute: attrs.Attribute[Any], value: str) -> None:
    if value != instance.from_state:
        raise ValidationError("to_state", value, f"equal to from_state {instance.from_state!r}: a note moves nothing")


@attrs.frozen(kw_only=True)
class Event:
    """What every event has. Build one of the subclasses, not this class.

    Raises:
        georeport.ValidationError: a field is of the wrong kind (a naive datetime, an empty state name).
        TypeError: the class built is ``Event`` itself.
    """

    kind: ClassVar[EventKind]

    at: datetime = attrs.field(validator=_required_datetime)
    """When it happened; timezone-aware."""
    from_state: str = attrs.field(validator=_nonempty)
    """The state the case was in."""
    to_state: str = attrs.field(validator=[required_str, _moves])
    """The state the case moved to."""
    by: str | None = attrs.field(default=None, validator=optional_str)
    """Who made the change: a person, a team, a system."""
    channel: Channel | None = attrs.field(default=None, converter=_channel)
    """How the change came in, when it came from outside (a citizen phoning to withdraw)."""
    note: str | None = attrs.field(default=None, validator=optional_str)
    """Text for the citizen; the latest note since the last move is the case's ``status_notes``."""

    def __attrs_pre_init__(self) -> None:
        if type(self) is Event:
            msg = "Event is the base class; build StateChanged, Acknowledged, Closed, Referred... instead"
            raise TypeError(msg)


@attrs.frozen(kw_only=True)
class StateChanged(Event):
    """A move between two states of the same projection that no other event names."""

    kind: ClassVar[EventKind] = EventKind.STATE_CHANGED


@attrs.frozen(kw_only=True)
class Acknowledged(Event):
    """The city acknowledged the request: a move to an open state that counts as a response."""

    kind: ClassVar[EventKind] = EventKind.ACKNOWLEDGED


@attrs.frozen(kw_only=True)
class Closed(Event):
    """The case closed (resolved, not actionable, withdrawn...) in the state it moved to."""

    kind: ClassVar[EventKind] = EventKind.CLOSED


@attrs.frozen(kw_only=True)
class Reopened(Event):
    """A closed case opened again."""

    kind: ClassVar[EventKind] = EventKind.REOPENED


@attrs.frozen(kw_only=True)
class Referred(Event):
    """The case went to another jurisdiction and is closed here, with a pointer to where it went."""

    kind: ClassVar[EventKind] = EventKind.REFERRED

    to_jurisdiction: str = attrs.field(validator=_nonempty)
    """Where it went: the other jurisdiction's ``jurisdiction_id`` or name."""
    reference: str | None = attrs.field(default=None, validator=optional_str)
    """The case's id over there, when known."""


@attrs.frozen(kw_only=True)
class MarkedDuplicate(Event):
    """The case duplicates another and is closed, linked to the original."""

    kind: ClassVar[EventKind] = EventKind.MARKED_DUPLICATE

    of: str = attrs.field(validator=_nonempty)
    """The ``service_request_id`` of the original request."""


@attrs.frozen(kw_only=True)
class NoteAdded(Event):
    """A note without a move; it becomes the case's ``status_notes``."""

    kind: ClassVar[EventKind] = EventKind.NOTE_ADDED

    to_state: str = attrs.field(
        default=attrs.Factory(lambda self: self.from_state, takes_self=True), validator=[required_str, _stays]
    )
    """Always equal to ``from_state``; filled in when left out."""
    note: str | None = attrs.field(default=None, validator=_nonempty)
    """The note; required."""


EVENT_TYPES: dict[EventKind, type[Event]] = {
    cls.kind: cls for cls in (StateChanged, Acknowledged, NoteAdded, Closed, Reopened, Referred, MarkedDuplicate)
}
"""Each kind's class."""
