"""Cases and events to JSON and back, losslessly, so a server can store them.

One cattrs converter does the work; this module owns the JSON shape:

- an event is an object tagged with its kind, ``{"event": "referred", "at": ..., ...}``;
- a case is ``{"workflow": name, "channel": ..., "request": {...}, "events": [...]}``,
  its request holding only the fields that are set;
- a datetime is a W3C string with its offset (``2024-03-10T01:30:00-06:00``).

Reading a case replays its history through the workflow, so a stored case is
checked exactly like a new one. What is kept is the instant and the offset of
every datetime; the IANA zone name (``America/Chicago``) has no place in a W3C
string and comes back as a fixed offset (``astimezone`` your zone to show it).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, overload

import attrs
import cattrs
import cattrs.v

from georeport.errors import ParseError, ValidationError
from georeport.lifecycle.case import Case
from georeport.lifecycle.channels import Channel
from georeport.lifecycle.default import default_workflow
from georeport.lifecycle.errors import TransitionError
from georeport.lifecycle.events import EVENT_TYPES, Event, EventKind
from georeport.lifecycle.workflow import Workflow
from georeport.models import ServiceRequest
from georeport.models._fields import to_enum

__all__ = ["from_json", "structure", "to_json", "unstructure"]

E = TypeVar("E", bound=Event)

_W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})")
_CASE_KEYS = ("workflow", "channel", "request", "events")
_REQUEST_FIELDS = {field.name: field for field in attrs.fields(ServiceRequest)}


def format_datetime(value: datetime) -> str:
    """A W3C datetime with the value's own offset (in UTC when the offset is not whole minutes)."""
    offset = value.utcoffset()
    if offset is not None and offset % timedelta(minutes=1):
        value = value.astimezone(UTC)
    return value.isoformat()


def parse_datetime(value: object, _type: object = None) -> datetime:
    """A W3C datetime string with an offset, as an aware datetime with that fixed offset.

    Raises:
        georeport.ValidationError: not a string in that form.
    """
    if not isinstance(value, str) or not _W3C.fullmatch(value):
        raise ValidationError("datetime", value, "a W3C datetime with an offset, like '2024-03-10T01:30:00-06:00'")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError("datetime", value, "a valid date and time") from None


def _unstructure_request(request: ServiceRequest) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _REQUEST_FIELDS:
        value = getattr(request, name)
        if value is None or (name == "extensions" and not value):
            continue
        out[name] = format_datetime(value) if isinstance(value, datetime) else copy.deepcopy(value)
    return out


def _structure_request(data: object, _type: object = None) -> ServiceRequest:
    if not isinstance(data, Mapping):
        raise ValidationError("request", data, "a JSON object")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        field = _REQUEST_FIELDS.get(name)
        if field is None:
            raise ValidationError(str(name), value, f"a field of ServiceRequest ({', '.join(_REQUEST_FIELDS)})")
        is_datetime = name.endswith("_datetime") and value is not None
        kwargs[name] = parse_datetime(value) if is_datetime else value
    return ServiceRequest(**kwargs)


def _string(value: object, _type: object = None) -> str:
    """A string as it is: cattrs would turn ``3`` into ``"3"``, which is not what was stored."""
    if not isinstance(value, str):
        raise ValidationError("string", value, "a string")
    return value


def _channel(value: object, _type: object = None) -> Channel:
    return to_enum(Channel, value, "channel")


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _string)
    converter.register_structure_hook(Channel, _channel)
    converter.register_unstructure_hook(datetime, format_datetime)
    converter.register_structure_hook(datetime, parse_datetime)
    converter.register_unstructure_hook(ServiceRequest, _unstructure_request)
    converter.register_structure_hook(ServiceRequest, _structure_request)
    return converter


_converter = _make_converter()


def _unstructure_event(event: Event) -> dict[str, Any]:
    return {"event": event.kind.value, **_converter.unstructure(event)}


def _describe(error: BaseException, type_: Any) -> str:
    """What was wrong with one value (the path says where)."""
    if isinstance(error, ValidationError):
        # A value hook does not know its field (the path names it); a model's validator does.
        generic = error.field in {"datetime", "string"}
        return f"must be {error.expected} (got {error.value!r})" if generic else str(error)
    return cattrs.v.format_exception(error, type_)


def _problem(error: Exception, path: str) -> ParseError:
    """A ``ParseError`` at ``path`` for whatever cattrs or a model raised."""
    if isinstance(error, cattrs.BaseValidationError):
        first = cattrs.transform_error(error, path=path, format_exception=_describe)[0]
        reason, _, where = first.rpartition(" @ ")
        return ParseError(reason or first, format="json", path=where or path)
    if isinstance(error, ValidationError):
        where = path if error.field in {"datetime", "string"} else f"{path}.{error.field}"
        return ParseError(f"must be {error.expected} (got {error.value!r})", format="json", path=where)
    return ParseError(str(error), format="json", path=path)


def _structure_event(data: object, cls: type[E], path: str) -> E:
    if not isinstance(data, Mapping):
        raise ParseError(f"an event is a JSON object (got {data!r})", format="json", path=path)
    tag = data.get("event")
    try:
        kind = EventKind(tag if isinstance(tag, str) else "")
    except ValueError:
        valid = ", ".join(repr(member.value) for member in EventKind)
        raise ParseError(f"'event' must be one of {valid} (got {tag!r})", format="json", path=f"{path}.event") from None
    event_type = EVENT_TYPES[kind]
    if not issubclass(event_type, cls):
        raise ParseError(f"expected a {cls.__name__}, got {tag!r}", format="json", path=f"{path}.event")
    body = {key: value for key, value in data.items() if key != "event"}
    try:
        event: E = _converter.structure(body, event_type)
    except (cattrs.BaseValidationError, ValidationError, ValueError, TypeError) as error:
        raise _problem(error, path) from error
    return event


def _case_shape(data: object, workflow: Workflow) -> Mapping[str, Any]:
    """``data`` when it has a case's keys and names ``workflow``; a ``ParseError`` otherwise."""
    if not isinstance(data, Mapping):
        raise ParseError(f"a case is a JSON object (got {data!r})", format="json", path="$")
    for key in data:
        if key not in _CASE_KEYS:
            reason = f"unknown key {key!r} (a case has {', '.join(_CASE_KEYS)})"
            raise ParseError(reason, format="json", path=f"$.{key}")
    for key in _CASE_KEYS:
        if key not in data:
            raise ParseError(f"the case has no {key!r}", format="json", path="$")
    if data["workflow"] != workflow.name:
        reason = f"the case follows the {data['workflow']!r} workflow, not {workflow.name!r}: pass workflow="
        raise ParseError(reason, format="json", path="$.workflow")
    if not isinstance(data["events"], list):
        raise ParseError(f"'events' is a list (got {data['events']!r})", format="json", path="$.events")
    return data


def _structure_case(data: object, workflow: Workflow) -> Case:
    data = _case_shape(data, workflow)
    try:
        channel = to_enum(Channel, data["channel"], "channel")
    except ValidationError as error:
        raise _problem(error, "$") from error
    try:
        case = Case(_structure_request(data["request"]), channel, workflow=workflow)
    except (ValidationError, TypeError) as error:
        raise _problem(error, "$.request") from error
    for index, raw in enumerate(data["events"]):
        event = _structure_event(raw, Event, f"$.events[{index}]")
        try:
            case = case.apply(event)
        except TransitionError as error:
            error.add_note(f"(at $.events[{index}] of the stored case)")
            raise
    return case


def unstructure(value: Case | Event) -> dict[str, Any]:
    """A case or an event as JSON-ready values (dicts, lists, strings, numbers, None)."""
    if isinstance(value, Event):
        return _unstructure_event(value)
    if isinstance(value, Case):
        return {
            "workflow": value.workflow.name,
            "channel": value.channel.value,
            "request": _unstructure_request(value.request),
            "events": [_unstructure_event(event) for event in value.events],
        }
    msg = f"unstructure takes a Case or an Event (got {value!r})"
    raise TypeError(msg)


@overload
def structure(data: object, cls: type[Case], *, workflow: Workflow | None = None) -> Case: ...
@overload
def structure(data: object, cls: type[E], *, workflow: None = None) -> E: ...
def structure(data: object, cls: type[Case | E], *, workflow: Workflow | None = None) -> Case | E:
    """The case or event that ``unstructure`` gave ``data`` for.

    Args:
        data: the values, as ``json.loads`` returns them.
        cls: ``Case``, ``Event`` (any kind) or one event class (that kind only).
        workflow: the case's workflow (the default workflow when left out);
            the name stored with the case must match.

    Raises:
        georeport.ParseError: the data has the wrong shape or values, with the path.
        TransitionError: a case's history breaks its workflow.
    """
    if cls is Case:
        return _structure_case(data, workflow or default_workflow())
    if issubclass(cls, Event):
        return _structure_event(data, cls, "$")
    msg = f"structure builds a Case or an Event (got {cls!r})"
    raise TypeError(msg)


def to_json(value: Case | Event) -> str:
    """A case or an event as JSON text (ASCII; the same value always gives the same text).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from georeport.lifecycle import Acknowledged
        >>> to_json(Acknowledged(at=datetime(2024, 3, 10, 9, tzinfo=timezone.utc), from_state="submitted", to_state="acknowledged"))
        '{"event": "acknowledged", "at": "2024-03-10T09:00:00+00:00", "from_state": "submitted", "to_state": "acknowledged", "by": null, "channel": null, "note": null}'
    """
    return json.dumps(unstructure(value))


@overload
def from_json(data: str | bytes, cls: type[Case], *, workflow: Workflow | None = None) -> Case: ...
@overload
def from_json(data: str | bytes, cls: type[E], *, workflow: None = None) -> E: ...
def from_json(data: str | bytes, cls: type[Case | E], *, workflow: Workflow | None = None) -> Case | E:
    """The case or event that ``to_json`` wrote.

    Raises:
        georeport.ParseError: not JSON, or the wrong shape or values, with the path.
        TransitionError: a case's history breaks its workflow.
    """
    try:
        values = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = error.lineno if isinstance(error, json.JSONDecodeError) else None
        raise ParseError(f"not valid JSON: {error}", format="json", line=line) from None
    return structure(values, cls, workflow=workflow)  # type: ignore[arg-type]
