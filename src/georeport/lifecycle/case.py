"""A case: one service request and the history of events that happened to it.

The history is the only truth. Everything a server publishes about the
request's progress (its state, Open311 ``status``, ``status_notes``,
``updated_datetime``) and everything statistics need (first response,
resolution and closing times, reopenings, the pauses of the clock) is derived
from it, never stored beside it.

Cases are immutable values: ``case.apply(event)`` returns a new case, and a
refused event raises ``TransitionError`` before anything is built, so the case
you hold can never be half-changed. Histories are short (tens of events), so
copying the tuple costs nothing worth a mutable design.

Datetimes keep the zone they were given in, but every comparison and every
duration is computed in UTC: Python compares and subtracts two datetimes that
share one ``tzinfo`` in wall-clock time, which is an hour off across a DST change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from georeport.errors import ValidationError
from georeport.lifecycle.channels import Channel
from georeport.lifecycle.default import default_workflow
from georeport.lifecycle.errors import TransitionError
from georeport.lifecycle.events import (
    Acknowledged,
    Closed,
    Event,
    MarkedDuplicate,
    NoteAdded,
    Referred,
    Reopened,
    StateChanged,
)
from georeport.lifecycle.states import ClosureReason, State
from georeport.lifecycle.workflow import Workflow
from georeport.models import ServiceRequest, Status
from georeport.models._fields import JSONValue, aware_datetime, to_enum, to_tuple

__all__ = ["Case", "Pause"]

_DERIVED = ("status", "status_notes", "updated_datetime")


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _required_datetime(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise ValidationError(attribute.name, value, "a timezone-aware datetime")
    aware_datetime(instance, attribute, value)


def _ends_after_start(instance: Pause, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    aware_datetime(instance, attribute, value)
    if value is not None and _utc(value) < _utc(instance.start):
        raise ValidationError("end", value, f"no earlier than the start {instance.start.isoformat()}")


@attrs.frozen(kw_only=True)
class Pause:
    """An interval during which the clock was paused; ``end`` is None while it still is.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> chicago = ZoneInfo("America/Chicago")
        >>> Pause(start=datetime(2024, 3, 9, 12, tzinfo=chicago), end=datetime(2024, 3, 10, 12, tzinfo=chicago)).duration()
        datetime.timedelta(seconds=82800)
    """

    start: datetime = attrs.field(validator=_required_datetime)
    """When the case entered a paused state."""
    end: datetime | None = attrs.field(default=None, validator=_ends_after_start)
    """When it left the paused states, or None if it is still in one."""

    def duration(self, *, until: datetime | None = None) -> timedelta:
        """The elapsed (UTC) time paused, counted up to ``until`` when given.

        Raises:
            ValueError: the pause has not ended and no ``until`` was given.
        """
        end = self.end
        if until is not None:
            end = until if end is None or _utc(until) < _utc(end) else end
        if end is None:
            msg = "the pause has not ended: pass until="
            raise ValueError(msg)
        return max(_utc(end) - _utc(self.start), timedelta(0))


@attrs.frozen
class _Progress:
    """What the history says so far; one value per case, advanced event by event."""

    state: State
    last: datetime
    updated: datetime | None = None
    notes: str | None = None
    responded: datetime | None = None
    resolved: datetime | None = None
    closed: datetime | None = None
    reopenings: int = 0
    pauses: tuple[Pause, ...] = ()
    paused_since: datetime | None = None
    referral: Referred | None = None
    duplicate_of: str | None = None


def _start(workflow: Workflow, requested: datetime) -> _Progress:
    state = workflow.initial_state
    return _Progress(state, requested, paused_since=requested if state.paused else None)


def _refusal(progress: _Progress, event: Event, workflow: Workflow, own_id: str | None) -> str | None:
    """Why ``event`` cannot happen to a case at ``progress``, or None when it can."""
    current, name = progress.state.name, type(event).__name__
    if _utc(event.at) < _utc(progress.last):
        what = "the case's last change" if progress.updated is not None else "the request was made"
        return f"{name} at {event.at.isoformat()} is earlier than {what}, {progress.last.isoformat()}"
    if event.from_state != current:
        return f"{name} starts from {event.from_state!r} but the case is in {current!r}"
    if isinstance(event, NoteAdded):
        return None
    if event.to_state not in workflow:
        return f"{event.to_state!r} is not a state of the {workflow.name!r} workflow"
    if not workflow.is_allowed(current, event.to_state):
        return f"cannot move from {current!r} to {event.to_state!r}"
    kinds = workflow.event_types(current, event.to_state)
    if type(event) not in kinds:
        names = " or ".join(kind.__name__ for kind in kinds)
        return f"the move from {current!r} to {event.to_state!r} is a {names}, not a {name}"
    if isinstance(event, MarkedDuplicate) and event.of == own_id:
        return f"request {own_id!r} cannot duplicate itself"
    return None


def _advance(progress: _Progress, event: Event, workflow: Workflow, own_id: str | None) -> _Progress:
    """The progress after ``event``; raises ``TransitionError`` (and changes nothing) if it cannot happen."""
    if not isinstance(event, Event):
        msg = f"a case applies Event values (got {event!r})"
        raise TypeError(msg)
    reason = _refusal(progress, event, workflow, own_id)
    if reason is not None:
        current = progress.state.name
        raise TransitionError(
            reason, event=event, state=current, to_state=event.to_state, allowed=workflow.allowed(current)
        )
    if isinstance(event, NoteAdded):
        return attrs.evolve(progress, last=event.at, updated=event.at, notes=event.note)
    source, target = progress.state, workflow.state(event.to_state)
    pauses, paused_since = progress.pauses, progress.paused_since
    if target.paused and paused_since is None:
        paused_since = event.at
    elif not target.paused and paused_since is not None:
        pauses, paused_since = (*pauses, Pause(start=paused_since, end=event.at)), None
    return _Progress(
        state=target,
        last=event.at,
        updated=event.at,
        notes=event.note,
        responded=progress.responded or (event.at if target.response else None),
        resolved=(progress.resolved if source.resolution else event.at) if target.resolution else None,
        closed=(progress.closed if source.is_closed else event.at) if target.is_closed else None,
        reopenings=progress.reopenings + int(source.is_closed and target.is_open),
        pauses=pauses,
        paused_since=paused_since,
        referral=event if isinstance(event, Referred) else None,
        duplicate_of=event.of if isinstance(event, MarkedDuplicate) else None,
    )


def _channel(value: Channel | str) -> Channel:
    return to_enum(Channel, value, "channel")


def _case_request(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, ServiceRequest):
        raise ValidationError("request", value, "a ServiceRequest")
    if value.requested_datetime is None:
        raise ValidationError(
            "requested_datetime", None, "a timezone-aware datetime: a case starts when it was requested"
        )
    for field in _DERIVED:
        if getattr(value, field) is not None:
            raise ValidationError(
                field, getattr(value, field), "None in a case's request: the case derives it from its events"
            )
    extended = value.extensions.get("extended_attributes")
    if extended is not None and not isinstance(extended, dict):
        raise ValidationError("extensions", extended, "a mapping under 'extended_attributes'")
    if extended is not None and "detailed_status" in extended:
        raise ValidationError(
            "extensions",
            extended["detailed_status"],
            "without extended_attributes.detailed_status: the case derives it",
        )


@attrs.frozen
class Case:
    """A service request and its history of events, under a workflow.

    Args:
        request: the request as received: ``requested_datetime`` set (the case
            starts then), and none of what the history derives (``status``,
            ``status_notes``, ``updated_datetime``).
        channel: how the request came in.
        events: the history, oldest first; it is replayed and checked.
        workflow: the rules; the default workflow when left out.

    Raises:
        georeport.ValidationError: the request or channel is not acceptable.
        TransitionError: an event of the history cannot happen where it is.
    """

    request: ServiceRequest = attrs.field(validator=_case_request)
    """The request as received."""
    channel: Channel = attrs.field(converter=_channel)
    """The intake channel."""
    events: tuple[Event, ...] = attrs.field(default=(), converter=to_tuple, kw_only=True)
    """Every change, oldest first."""
    workflow: Workflow = attrs.field(factory=default_workflow, kw_only=True, repr=lambda workflow: repr(workflow.name))
    """The rules the history follows."""
    _progress: _Progress = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.workflow, Workflow):
            raise ValidationError("workflow", self.workflow, "a Workflow")
        progress = _start(self.workflow, self.request.requested_datetime)  # type: ignore[arg-type]
        for index, event in enumerate(self.events):
            try:
                progress = _advance(progress, event, self.workflow, self.request.service_request_id)
            except TransitionError as error:
                error.add_note(f"(event {index} of the history)")
                raise
        object.__setattr__(self, "_progress", progress)

    # --- changing: every method returns a new case ----------------------------------------

    def apply(self, event: Event) -> Case:
        """The case after ``event``; this case is not changed.

        Raises:
            TransitionError: the event cannot happen now: a move the workflow
                does not allow (the error names both states and the allowed
                ones), an event of the wrong kind for its move, an event that
                does not start where the case is, or one earlier than the last.
        """
        progress = _advance(self._progress, event, self.workflow, self.request.service_request_id)
        case: Case = object.__new__(Case)
        for name, value in (
            ("request", self.request),
            ("channel", self.channel),
            ("events", (*self.events, event)),
            ("workflow", self.workflow),
            ("_progress", progress),
        ):
            object.__setattr__(case, name, value)
        return case

    def apply_many(self, events: Iterable[Event]) -> Case:
        """The case after every event in turn; all or nothing.

        Raises:
            TransitionError: one of the events cannot happen where it is.
        """
        case = self
        for event in events:
            case = case.apply(event)
        return case

    def _target(self, to_state: str | None, wanted: Callable[[State], bool], what: str, *, named: str = "") -> str:
        """``to_state``, or the one allowed move that reaches a state ``wanted`` (``named`` wins a tie)."""
        if to_state is not None:
            return to_state
        current = self.state.name
        allowed = self.workflow.allowed(current)
        found = [name for name in allowed if wanted(self.workflow.state(name))]
        if len(found) == 1:
            return found[0]
        if named in found:
            return named
        problem = "no move" if not found else f"{len(found)} moves ({', '.join(map(repr, found))})"
        reason = f"{problem} from {current!r} to {what}" + ("; pass to_state=" if found else "")
        raise TransitionError(reason, event=None, state=current, to_state=None, allowed=allowed)

    def move(
        self,
        to_state: str,
        *,
        at: datetime,
        by: str | None = None,
        channel: Channel | str | None = None,
        note: str | None = None,
    ) -> Case:
        """Move to ``to_state`` with the plainest event for that move (``StateChanged``, ``Closed``, ``Reopened``).

        Referral and duplicate states need ``refer`` and ``mark_duplicate``, which carry the pointer.

        Raises:
            TransitionError: the move is not allowed, or needs ``refer``/``mark_duplicate``.
        """
        current = self.state.name
        kind: type[Event] = StateChanged
        if self.workflow.is_allowed(current, to_state):
            kind = self.workflow.event_types(current, to_state)[0]
        if kind in {Referred, MarkedDuplicate}:
            helper = "refer()" if kind is Referred else "mark_duplicate()"
            reason = f"a move to {to_state!r} is a {kind.__name__}: use {helper}, which records where the case went"
            raise TransitionError(
                reason, event=None, state=current, to_state=to_state, allowed=self.workflow.allowed(current)
            )
        return self.apply(kind(at=at, from_state=current, to_state=to_state, by=by, channel=channel, note=note))

    def acknowledge(
        self,
        *,
        at: datetime,
        to_state: str | None = None,
        by: str | None = None,
        channel: Channel | str | None = None,
        note: str | None = None,
    ) -> Case:
        """Record an ``Acknowledged``: to ``to_state``, or the open response state allowed from here.

        When several are allowed, the one named ``acknowledged`` is chosen; otherwise pass ``to_state``.

        Raises:
            TransitionError: the move is not allowed, or the target is ambiguous.
        """
        target = self._target(
            to_state, lambda state: state.is_open and state.response, "an open response state", named="acknowledged"
        )
        return self.apply(
            Acknowledged(at=at, from_state=self.state.name, to_state=target, by=by, channel=channel, note=note)
        )

    def close(  # noqa: PLR0913 - the event's fields, plus how to choose the state
        self,
        *,
        at: datetime,
        reason: ClosureReason = ClosureReason.RESOLVED,
        to_state: str | None = None,
        by: str | None = None,
        channel: Channel | str | None = None,
        note: str | None = None,
    ) -> Case:
        """Record a ``Closed``: to ``to_state``, or the one state allowed from here that closes for ``reason``.

        Raises:
            TransitionError: the move is not allowed, the target is ambiguous,
                or ``reason`` is ``referred``/``duplicate`` (use ``refer``/``mark_duplicate``).
        """
        target = self._target(
            to_state, lambda state: state.closure_reason is reason, f"a state closed as {reason.value!r}"
        )
        return self.apply(Closed(at=at, from_state=self.state.name, to_state=target, by=by, channel=channel, note=note))

    def reopen(
        self,
        *,
        at: datetime,
        to_state: str | None = None,
        by: str | None = None,
        channel: Channel | str | None = None,
        note: str | None = None,
    ) -> Case:
        """Record a ``Reopened``: to ``to_state``, or the open state allowed from here.

        When several are allowed, the one named ``reopened`` is chosen; otherwise pass ``to_state``.

        Raises:
            TransitionError: the case is open, the move is not allowed, or the target is ambiguous.
        """
        if self.state.is_open:
            current = self.state.name
            reason = f"the case is open (in {current!r}): only a closed case can be reopened"
            raise TransitionError(
                reason, event=None, state=current, to_state=to_state, allowed=self.workflow.allowed(current)
            )
        target = self._target(to_state, lambda state: state.is_open, "an open state", named="reopened")
        return self.apply(
            Reopened(at=at, from_state=self.state.name, to_state=target, by=by, channel=channel, note=note)
        )

    def refer(  # noqa: PLR0913 - the event's fields, plus how to choose the state
        self,
        to_jurisdiction: str,
        *,
        at: datetime,
        reference: str | None = None,
        to_state: str | None = None,
        by: str | None = None,
        channel: Channel | str | None = None,
        note: str | None = None,
    ) -> Case:
        """Refer the case to another jurisdiction: it closes here, pointing to where it went.

        Args:
            to_jurisdiction: where it went (a ``jurisdiction_id`` or a name).
            at: when.
            reference: the case's id over there, when known.
            to_state: the referral state, when the workflow has several.
            by: who referred it.
            channel: how the referral came in, if from outside.
            note: text for the citizen.

        Raises:
            TransitionError: no referral is allowed from here, or the target is ambiguous.
        """
        target = self._target(
            to_state, lambda state: state.closure_reason is ClosureReason.REFERRED, "a referral state"
        )
        event = Referred(
            at=at,
            from_state=self.state.name,
            to_state=target,
            to_jurisdiction=to_jurisdiction,
            reference=reference,
            by=by,
            channel=channel,
            note=note,
        )
        return self.apply(event)

    def mark_duplicate(  # noqa: PLR0913 - the event's fields, plus how to choose the state
        self,
        *,
        of: str | Case,
        at: datetime,
        to_state: str | None = None,
        by: str | None = None,
        channel: Channel | str | None = None,
        note: str | None = None,
    ) -> Case:
        """Close the case as a duplicate of another request (its id, or its case).

        Raises:
            TransitionError: no duplicate state is allowed from here, the target is ambiguous,
                or the case would duplicate itself.
            georeport.ValidationError: ``of`` is a case whose request has no id.
        """
        original = of.request.service_request_id if isinstance(of, Case) else of
        if original is None:
            raise ValidationError("of", of, "a request id, or a case whose request has one")
        target = self._target(
            to_state, lambda state: state.closure_reason is ClosureReason.DUPLICATE, "a duplicate state"
        )
        event = MarkedDuplicate(
            at=at, from_state=self.state.name, to_state=target, of=original, by=by, channel=channel, note=note
        )
        return self.apply(event)

    def add_note(self, note: str, *, at: datetime, by: str | None = None, channel: Channel | str | None = None) -> Case:
        """Record a ``NoteAdded``: the note becomes ``status_notes``, ``updated_datetime`` moves.

        Raises:
            TransitionError: ``at`` is earlier than the last change.
        """
        state = self.state.name
        return self.apply(NoteAdded(at=at, from_state=state, to_state=state, by=by, channel=channel, note=note))

    # --- derived: computed from the history, never stored ------------------------------------

    @property
    def state(self) -> State:
        """The state the case is in."""
        return self._progress.state

    @property
    def status(self) -> Status:
        """The Open311 status: the current state's projection."""
        return self._progress.state.status

    @property
    def status_notes(self) -> str | None:
        """The latest note given since the case entered its current state (a move without a note clears it)."""
        return self._progress.notes

    @property
    def updated_datetime(self) -> datetime | None:
        """When the last event happened; None while nothing has happened."""
        return self._progress.updated

    @property
    def first_response_datetime(self) -> datetime | None:
        """When the case first reached a response state; a reopening does not reset it."""
        return self._progress.responded

    @property
    def resolved_datetime(self) -> datetime | None:
        """When the case reached the resolution states it is in; None when it is not resolved."""
        return self._progress.resolved

    @property
    def closed_datetime(self) -> datetime | None:
        """When the case reached the closed states it is in; None when it is open."""
        return self._progress.closed

    @property
    def closure_reason(self) -> ClosureReason | None:
        """Why the case is closed; None when it is open."""
        return self._progress.state.closure_reason

    @property
    def reopenings(self) -> int:
        """How many times the case moved from a closed state to an open one."""
        return self._progress.reopenings

    @property
    def pauses(self) -> tuple[Pause, ...]:
        """The intervals the clock was paused, oldest first; the last has no end while it still is."""
        since = self._progress.paused_since
        return self._progress.pauses if since is None else (*self._progress.pauses, Pause(start=since))

    @property
    def is_paused(self) -> bool:
        """Whether the clock is paused now."""
        return self._progress.paused_since is not None

    def paused_time(self, *, until: datetime | None = None) -> timedelta:
        """The total time the clock was paused (in UTC), counted up to ``until`` when given.

        Raises:
            ValueError: the clock is paused now and no ``until`` was given.
        """
        return sum((pause.duration(until=until) for pause in self.pauses), timedelta(0))

    @property
    def referral(self) -> Referred | None:
        """The ``Referred`` event that closed the case, while it stays in that referral state."""
        return self._progress.referral

    @property
    def duplicate_of(self) -> str | None:
        """The id of the original request, while the case is closed as its duplicate."""
        return self._progress.duplicate_of

    def as_service_request(self) -> ServiceRequest:
        """The request as a server publishes it, with the fields the history derives.

        ``status``, ``status_notes`` and ``updated_datetime`` come from the
        history; the state's ``detailed_status`` goes in
        ``extensions["extended_attributes"]["detailed_status"]``, as CitySDK
        servers publish it.
        """
        extensions: dict[str, JSONValue] = dict(self.request.extensions)
        extended = dict(extensions.get("extended_attributes") or {})  # type: ignore[arg-type]
        extended["detailed_status"] = self.state.detailed_status
        extensions["extended_attributes"] = extended
        return attrs.evolve(
            self.request,
            status=self.status,
            status_notes=self.status_notes,
            updated_datetime=self.updated_datetime,
            extensions=extensions,
        )
