"""Calendars and policies as a jurisdiction declares them: dicts, TOML or JSON text (private).

This module owns the declarations' shape: which keys exist, what each value
is, and where a problem sits; every problem is reported at once. A calendar,
in TOML::

    zone = "America/Chicago"
    holidays = ["2024-12-25"]              # optional: explicit dates
    holidays_from = { country = "US", subdivision = "IL" }   # optional: the holidays extra

    [hours]                                # weekday names, "weekdays" (Mon-Fri) or "everyday"
    weekdays = ["09:00-12:00", "13:00-17:00"]
    saturday = "09:00-12:00"

    [half_days]                            # dates with their own hours
    "2024-12-24" = "09:00-12:00"
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from georeport.sla.calendar import BusinessCalendar, HolidaySource
from georeport.sla.errors import CalendarError
from georeport.sla.targets import Target

if TYPE_CHECKING:
    from georeport.sla.policy import PolicyBook, SlaPolicy

__all__ = [
    "CALENDAR_KEYS",
    "book_from_dict",
    "calendar_from_dict",
    "checked",
    "load_json",
    "load_toml",
    "policy_from_dict",
    "unknown_keys",
]

CALENDAR_KEYS = ("zone", "hours", "holidays", "holidays_from", "half_days")
_SOURCE_KEYS = ("country", "subdivision", "observed")

T = TypeVar("T")


def load_toml(text: str) -> Any:
    """Parse TOML text; a syntax error is a ``CalendarError``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CalendarError(f"not valid TOML: {error}") from error


def load_json(text: str | bytes) -> Any:
    """Parse JSON text; a syntax error is a ``CalendarError``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CalendarError(f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from error


def unknown_keys(data: Mapping[Any, Any], valid: tuple[str, ...], keys: tuple[str | int, ...]) -> list[CalendarError]:
    """A problem for every key of ``data`` not in ``valid``."""
    listed = ", ".join(repr(name) for name in valid)
    return [
        CalendarError(f"unknown key {key!r} (the keys are {listed})", keys=(*keys, str(key)))
        for key in data
        if key not in valid
    ]


def checked(build: Callable[[], T], keys: tuple[str | int, ...], problems: list[CalendarError]) -> T | None:
    """``build()``, or None with its ``CalendarError`` (placed at ``keys``) appended to ``problems``."""
    try:
        return build()
    except CalendarError as error:
        problems.extend(CalendarError(problem.reason, keys=(*keys, *problem.keys)) for problem in error.problems)
        return None
    except ValueError as error:  # a ValidationError from a target or a date
        problems.append(CalendarError(str(error), keys=keys))
        return None


def _source(value: object) -> HolidaySource | str:
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        raise CalendarError(f"holidays_from is a country code or a table with 'country' (got {value!r})")
    problems = unknown_keys(value, _SOURCE_KEYS, ())
    if not isinstance(value.get("country"), str):
        problems.append(CalendarError(f"a country code is required (got {value.get('country')!r})", keys=("country",)))
    if not isinstance(value.get("subdivision", ""), str):
        problems.append(
            CalendarError(f"the subdivision is a code (got {value['subdivision']!r})", keys=("subdivision",))
        )
    if not isinstance(value.get("observed", True), bool):
        problems.append(CalendarError(f"observed is true or false (got {value['observed']!r})", keys=("observed",)))
    if problems:
        raise CalendarError.of(problems)
    return HolidaySource(
        country=value["country"], subdivision=value.get("subdivision"), observed=value.get("observed", True)
    )


def calendar_from_dict(data: object, keys: tuple[str | int, ...] = ()) -> BusinessCalendar:
    """A calendar from its declaration; every problem at once.

    Raises:
        CalendarError: with ``problems`` listing each problem and its ``path``.
    """
    if not isinstance(data, Mapping):
        raise CalendarError(f"a calendar is a table with 'zone' and 'hours' (got {data!r})", keys=keys)
    problems = unknown_keys(data, CALENDAR_KEYS, keys)
    problems += [
        CalendarError(f"the calendar has no {key!r}", keys=(*keys, key)) for key in ("zone", "hours") if key not in data
    ]
    arguments: dict[str, Any] = {}
    for key in ("zone", "hours", "holidays", "half_days", "holidays_from"):
        if key not in data:
            continue
        value = data[key]
        if key == "holidays_from":
            value = checked(partial(_source, value), (*keys, key), problems)
        if value is not None:
            arguments[key] = value
    # Check each field on its own so every problem is found, then build the whole.
    for key, value in arguments.items():
        probe: dict[str, Any] = {"zone": "UTC", "hours": {"everyday": "00:00-24:00"}} | {key: value}
        checked(partial(BusinessCalendar, **probe), (*keys, key), problems)
    if problems:
        raise CalendarError.of(problems)
    calendar = checked(partial(BusinessCalendar, **arguments), keys, problems)
    if calendar is None:
        raise CalendarError.of(problems)
    return calendar


POLICY_KEYS = ("name", "calendar", "response", "resolution", "at_risk")
ENTRY_KEYS = ("service_code", "jurisdiction", *POLICY_KEYS)
BOOK_KEYS = ("calendars", "default", "policies")


def policy_from_dict(
    data: object, calendars: Mapping[str, BusinessCalendar], keys: tuple[str | int, ...], *, extra: tuple[str, ...] = ()
) -> SlaPolicy:
    """A policy from its declaration; ``calendar`` names one of ``calendars`` or is a calendar table.

    Raises:
        CalendarError: every problem found, with its place.
    """
    from georeport.sla.policy import SlaPolicy  # noqa: PLC0415 - policy imports this module lazily too

    if not isinstance(data, Mapping):
        raise CalendarError(f"a policy is a table with calendar, response and resolution (got {data!r})", keys=keys)
    problems = unknown_keys(data, (*POLICY_KEYS, *extra), keys)
    calendar: BusinessCalendar | None = None
    named = data.get("calendar")
    if named is None:
        problems.append(CalendarError("the policy has no 'calendar'", keys=(*keys, "calendar")))
    elif isinstance(named, str):
        calendar = calendars.get(named)
        if calendar is None:
            known = ", ".join(repr(name) for name in calendars) or "none"
            problems.append(CalendarError(f"unknown calendar {named!r} (declared: {known})", keys=(*keys, "calendar")))
    else:
        calendar = checked(partial(calendar_from_dict, named), (*keys, "calendar"), problems)
    targets: dict[str, Any] = {
        which: checked(partial(Target.parse, data[which]), (*keys, which), problems)
        for which in ("response", "resolution")
        if which in data
    }
    if not isinstance(data.get("name", ""), str):
        problems.append(CalendarError(f"the name is a string (got {data['name']!r})", keys=(*keys, "name")))
    if problems or calendar is None:
        raise CalendarError.of(problems)
    arguments: dict[str, Any] = {key: data[key] for key in ("name", "at_risk") if key in data}
    policy = checked(partial(SlaPolicy, calendar=calendar, **targets, **arguments), keys, problems)
    if policy is None:
        raise CalendarError.of(problems)
    return policy


def book_from_dict(data: object) -> PolicyBook:
    """A policy book from its declaration; every problem at once.

    Raises:
        CalendarError: with ``problems`` listing each problem and its ``path``.
    """
    from georeport.sla.policy import PolicyBook  # noqa: PLC0415

    if not isinstance(data, Mapping):
        raise CalendarError(f"a policy book is a table with calendars, default and policies (got {data!r})")
    problems = unknown_keys(data, BOOK_KEYS, ())
    calendars: dict[str, BusinessCalendar] = {}
    tables = data.get("calendars", {})
    if not isinstance(tables, Mapping):
        problems.append(
            CalendarError(f"'calendars' is a table of named calendars (got {tables!r})", keys=("calendars",))
        )
        tables = {}
    for name, table in tables.items():
        calendar = checked(partial(calendar_from_dict, table), ("calendars", str(name)), problems)
        if calendar is not None:
            calendars[str(name)] = calendar
    default = None
    if "default" in data:
        default = checked(partial(policy_from_dict, data["default"], calendars, ("default",)), (), problems)
    entries = data.get("policies", [])
    if not isinstance(entries, list):
        problems.append(CalendarError(f"'policies' is a list of tables (got {entries!r})", keys=("policies",)))
        entries = []
    policies = _entries(entries, calendars, problems)
    if problems:
        raise CalendarError.of(problems)
    return PolicyBook(default=default, policies=policies)


def _entries(
    entries: list[Any], calendars: Mapping[str, BusinessCalendar], problems: list[CalendarError]
) -> dict[tuple[str | None, str | None], SlaPolicy]:
    """The ``[[policies]]`` entries by (jurisdiction, service_code); problems appended."""
    policies: dict[tuple[str | None, str | None], SlaPolicy] = {}
    for index, entry in enumerate(entries):
        place: tuple[str | int, ...] = ("policies", index)
        policy = checked(partial(policy_from_dict, entry, calendars, place, extra=ENTRY_KEYS), (), problems)
        if policy is None or not isinstance(entry, Mapping):
            continue
        key = (entry.get("jurisdiction"), entry.get("service_code"))
        if not all(part is None or isinstance(part, str) for part in key) or key == (None, None):
            reason = "an entry names a service_code, a jurisdiction or both, as strings (the default has neither)"
            problems.append(CalendarError(reason, keys=place))
        elif key in policies:
            problems.append(CalendarError(f"a second policy for {key}", keys=place))
        else:
            policies[key] = policy
    return policies
