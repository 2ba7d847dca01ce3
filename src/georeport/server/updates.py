"""The reference server's update endpoint: lifecycle events POSTed by staff, read and applied.

``POST {base}/requests/{service_request_id}/events.{fmt}`` takes a form
(``application/x-www-form-urlencoded``) with ``api_key`` and ``action``, one of:

==============  ==============================================  =========================
action          what happens                                    more fields
==============  ==============================================  =========================
``acknowledge`` ``Case.acknowledge``                            ``to_state``
``move``        ``Case.move`` (work states, closing, reopening) ``to_state`` (required)
``close``       ``Case.close`` for a reason                     ``reason``, ``to_state``
``reopen``      ``Case.reopen``                                 ``to_state``
``note``        ``Case.add_note``                               (``note`` required)
``refer``       ``Case.refer``                                  ``to_jurisdiction`` (required), ``reference``
``duplicate``   ``Case.mark_duplicate``                         ``of`` (required)
==============  ==============================================  =========================

Every action also takes ``note`` (text for the citizen, the new
``status_notes``), ``by`` (who) and ``channel`` (how the change came in).
Unknown fields are refused, so a typo is not silently dropped.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TypeVar
from urllib.parse import parse_qsl

import attrs

from georeport.lifecycle import Case, Channel, ClosureReason
from georeport.models._fields import optional_str
from georeport.wire.params import InvalidParametersError, ParameterError

__all__ = ["Action", "Update", "apply_update", "parse_update"]

_MAX_BODY = 64 * 1024
_MAX_FIELDS = 32


class Action(StrEnum):
    """What an update does to a case."""

    ACKNOWLEDGE = "acknowledge"
    MOVE = "move"
    CLOSE = "close"
    REOPEN = "reopen"
    NOTE = "note"
    REFER = "refer"
    DUPLICATE = "duplicate"


E = TypeVar("E", bound=StrEnum)

_REQUIRED = {Action.MOVE: "to_state", Action.NOTE: "note", Action.REFER: "to_jurisdiction", Action.DUPLICATE: "of"}
_FIELDS = ("to_state", "reason", "note", "by", "channel", "to_jurisdiction", "reference", "of")


@attrs.frozen(kw_only=True)
class Update:
    """One change a member of staff asks for (see the module's table)."""

    action: Action
    to_state: str | None = attrs.field(default=None, validator=optional_str)
    reason: ClosureReason = ClosureReason.RESOLVED
    note: str | None = attrs.field(default=None, validator=optional_str)
    by: str | None = attrs.field(default=None, validator=optional_str)
    channel: Channel | None = None
    to_jurisdiction: str | None = attrs.field(default=None, validator=optional_str)
    reference: str | None = attrs.field(default=None, validator=optional_str)
    of: str | None = attrs.field(default=None, validator=optional_str)


def parse_update(  # noqa: C901 - one check per field, all reported together
    body: bytes, content_type: str | None = None, *, query: str = ""
) -> tuple[Update, str | None]:
    """The update a form asks for, and the ``api_key`` it carries.

    Raises:
        InvalidParametersError: every problem at once: a body over 64 KiB (413),
            a content type other than urlencoded (415), text that is not
            UTF-8, a missing or unknown ``action``, a required field missing,
            an unknown ``reason`` or ``channel``, an unknown or repeated field (400).
    """
    media_type = (content_type or "application/x-www-form-urlencoded").split(";", 1)[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        expected = "application/x-www-form-urlencoded"
        raise InvalidParametersError([ParameterError("Content-Type", content_type, expected, status_hint=415)])
    if len(body) > _MAX_BODY:
        size = f"{len(body)} bytes"
        raise InvalidParametersError([ParameterError("body", size, f"at most {_MAX_BODY} bytes", status_hint=413)])
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(query, max_num_fields=_MAX_FIELDS) + parse_qsl(text, max_num_fields=_MAX_FIELDS)
    except UnicodeDecodeError:
        raise InvalidParametersError([ParameterError("body", body[:40], "UTF-8 form text")]) from None
    except ValueError:
        problem = ParameterError("body", f"more than {_MAX_FIELDS} fields", f"at most {_MAX_FIELDS} fields")
        raise InvalidParametersError([problem]) from None
    fields: dict[str, str] = {}
    problems: list[ParameterError] = []
    for name, value in pairs:
        if name not in (*_FIELDS, "action", "api_key"):
            problems.append(ParameterError(name, value, f"a known field ({', '.join(('action', *_FIELDS))})"))
        elif fields.setdefault(name, value) != value:
            problems.append(ParameterError(name, value, f"given once (it was also given as {fields[name]!r})"))
    values: dict[str, object] = {name: fields[name] for name in _FIELDS if fields.get(name)}
    action = _choice(Action, "action", fields.get("action"), problems)
    if "reason" in values:
        values["reason"] = _choice(ClosureReason, "reason", fields["reason"], problems)
    if "channel" in values:
        values["channel"] = _choice(Channel, "channel", fields["channel"], problems)
    if action is not None and action in _REQUIRED and _REQUIRED[action] not in values:
        needed = _REQUIRED[action]
        problems.append(ParameterError(needed, None, f"given for action {action.value!r}"))
    if problems or action is None:
        raise InvalidParametersError(problems)
    return Update(action=action, **values), fields.get("api_key")  # type: ignore[arg-type]


def _choice(kind: type[E], field: str, value: str | None, problems: list[ParameterError]) -> E | None:
    try:
        return kind(value or "")
    except ValueError:
        choices = ", ".join(repr(member.value) for member in kind)
        problems.append(ParameterError(field, value, f"one of {choices}"))
        return None


def apply_update(case: Case, update: Update, *, at: datetime) -> Case:
    """The case after ``update``, made at ``at``.

    Raises:
        TransitionError: the workflow does not allow it from the case's state.
        InvalidParametersError: a field the action needs is missing (``parse_update`` checks this first).
    """
    by, channel, note, to_state = update.by, update.channel, update.note, update.to_state
    if update.action is Action.ACKNOWLEDGE:
        return case.acknowledge(at=at, to_state=to_state, by=by, channel=channel, note=note)
    if update.action is Action.MOVE and to_state is not None:
        return case.move(to_state, at=at, by=by, channel=channel, note=note)
    if update.action is Action.CLOSE:
        return case.close(at=at, reason=update.reason, to_state=to_state, by=by, channel=channel, note=note)
    if update.action is Action.REOPEN:
        return case.reopen(at=at, to_state=to_state, by=by, channel=channel, note=note)
    if update.action is Action.NOTE and note is not None:
        return case.add_note(note, at=at, by=by, channel=channel)
    if update.action is Action.REFER and update.to_jurisdiction is not None:
        return case.refer(
            update.to_jurisdiction,
            at=at,
            reference=update.reference,
            to_state=to_state,
            by=by,
            channel=channel,
            note=note,
        )
    if update.action is Action.DUPLICATE and update.of is not None:
        return case.mark_duplicate(of=update.of, at=at, to_state=to_state, by=by, channel=channel, note=note)
    missing = _REQUIRED[update.action]
    raise InvalidParametersError([ParameterError(missing, None, f"given for action {update.action.value!r}")])
