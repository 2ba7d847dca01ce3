"""A workflow as a jurisdiction declares it: a dict, TOML or JSON text (private).

This module owns the declaration's shape and nothing else: which keys exist,
what type each value has, and where in the text a problem sits. Whether the
declared states make a sound workflow is ``workflow.py``'s business. The
shape, in TOML::

    name = "springfield"
    initial = "submitted"

    [states.submitted]
    status = "open"                 # the Open311 projection: "open" or "closed"
    to = ["in_progress", "resolved"]

    [states.resolved]
    status = "closed"
    closure_reason = "resolved"     # required on closed states
    detailed_status = "PROCESSED"   # optional; the state's name by default
    response = true                 # optional flags: paused, response, resolution
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from georeport.lifecycle.errors import WorkflowError
from georeport.lifecycle.states import ClosureReason, State
from georeport.models import Status

__all__ = ["Declared", "declare", "locate", "parse", "to_toml"]

TOP_KEYS = ("name", "initial", "states")
STATE_KEYS = ("status", "detailed_status", "closure_reason", "paused", "response", "resolution", "to")
FLAGS = ("paused", "response", "resolution")

Declared = tuple[str, str, list[State], list[tuple[str, str]]]
"""What a sound declaration holds: name, initial state, states, transitions."""


def _unknown_key(key: object, valid: Sequence[str], keys: tuple[str | int, ...], state: str | None) -> WorkflowError:
    close = difflib.get_close_matches(str(key), valid, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(repr(name) for name in valid)
    return WorkflowError(f"unknown key {key!r} (the keys are {listed}){hint}", state=state, keys=(*keys, str(key)))


def _choice(value: object, enum: type[Status | ClosureReason], what: str) -> str | None:
    """The problem with ``value`` as a member of ``enum``, or None."""
    if isinstance(value, str) and value in {member.value for member in enum}:
        return None
    valid = ", ".join(repr(member.value) for member in enum)
    return f"the {what} must be one of {valid} (got {value!r})"


def _value_problems(name: str, table: Mapping[str, Any]) -> list[WorkflowError]:
    """Problems with the keys and value types of one state's table."""
    base: tuple[str | int, ...] = ("states", name)

    def problem(reason: str, *keys: str) -> WorkflowError:
        return WorkflowError(reason, state=name, keys=(*base, *keys))

    problems = [_unknown_key(key, STATE_KEYS, base, name) for key in table if key not in STATE_KEYS]
    if "status" not in table:
        problems.append(problem("the state has no status: say whether it is 'open' or 'closed'"))
    elif reason := _choice(table["status"], Status, "status"):
        problems.append(problem(reason, "status"))
    if table.get("closure_reason") is not None and (
        reason := _choice(table["closure_reason"], ClosureReason, "closure_reason")
    ):
        problems.append(problem(reason, "closure_reason"))
    problems += [
        problem(f"{flag} must be true or false (got {table[flag]!r})", flag)
        for flag in FLAGS
        if flag in table and not isinstance(table[flag], bool)
    ]
    if not isinstance(table.get("detailed_status", name), str):
        problems.append(
            problem(f"the detailed_status must be a string (got {table['detailed_status']!r})", "detailed_status")
        )
    if not isinstance(table.get("to", []), list):
        problems.append(problem(f"'to' must be a list of state names (got {table['to']!r})", "to"))
    return problems


def _state(name: str, table: object, problems: list[WorkflowError]) -> tuple[State | None, list[object]]:
    """The state declared by ``table`` and its raw ``to`` list; problems appended."""
    if not isinstance(table, Mapping):
        problems.append(WorkflowError(f"a state is a table of keys (got {table!r})", state=name, keys=("states", name)))
        return None, []
    found = _value_problems(name, table)
    problems += found
    targets = table.get("to", [])
    targets = targets if isinstance(targets, list) else []
    if found:
        return None, targets
    options = {key: table[key] for key in ("detailed_status", "closure_reason", *FLAGS) if key in table}
    try:
        return State(name=name, status=table["status"], **options), targets
    except WorkflowError as error:
        problems += error.problems
        return None, targets


def _top_problems(data: Mapping[str, Any]) -> list[WorkflowError]:
    """Problems with the top-level keys of a declaration."""
    problems = [_unknown_key(key, TOP_KEYS, (), None) for key in data if key not in TOP_KEYS]
    problems += [WorkflowError(f"the workflow has no {key!r}", keys=(key,)) for key in TOP_KEYS if key not in data]
    problems += [
        WorkflowError(f"{key!r} must be a string (got {data[key]!r})", keys=(key,))
        for key in ("name", "initial")
        if key in data and not isinstance(data[key], str)
    ]
    if not isinstance(data.get("states", {}), Mapping):
        problems.append(WorkflowError(f"'states' must be a table of states (got {data['states']!r})", keys=("states",)))
    return problems


def parse(data: object) -> tuple[Declared, list[WorkflowError]]:
    """Read a declaration's shape: the parts of a workflow, and the problems found.

    When there are problems, the parts hold what could be read (states that
    passed, every transition whose ends are names), so that the caller can
    still check names against names.
    """
    if not isinstance(data, Mapping):
        return ("", "", [], []), [WorkflowError(f"a workflow is a table with {', '.join(TOP_KEYS)} (got {data!r})")]
    problems = _top_problems(data)
    tables = data.get("states", {})
    states: list[State] = []
    transitions: list[tuple[str, str]] = []
    for state_name, table in (tables if isinstance(tables, Mapping) else {}).items():
        state, targets = _state(str(state_name), table, problems)
        if state is not None:
            states.append(state)
        transitions += [(str(state_name), target) for target in targets if isinstance(target, str)]
        problems += [
            WorkflowError(
                f"'to' lists state names (got {target!r})",
                state=str(state_name),
                keys=("states", str(state_name), "to", index),
            )
            for index, target in enumerate(targets)
            if not isinstance(target, str)
        ]
    name, initial = data.get("name"), data.get("initial")
    name, initial = (name if isinstance(name, str) else ""), (initial if isinstance(initial, str) else "")
    return (name, initial, states, transitions), problems


def declare(
    states: Sequence[State], transitions: Sequence[tuple[str, str]], *, name: str, initial: str
) -> dict[str, Any]:
    """The declaration (a dict of plain values) of a workflow's parts; what ``parse`` reads."""
    tables: dict[str, Any] = {}
    for state in states:
        table: dict[str, Any] = {"status": state.status.value}
        if state.closure_reason is not None:
            table["closure_reason"] = state.closure_reason.value
        if state.detailed_status != state.name:
            table["detailed_status"] = state.detailed_status
        for flag in FLAGS:
            default = flag == "resolution" and state.closure_reason is ClosureReason.RESOLVED
            if getattr(state, flag) != default:
                table[flag] = getattr(state, flag)
        table["to"] = [target for source, target in transitions if source == state.name]
        tables[state.name] = table
    return {"name": name, "initial": initial, "states": tables}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    # A JSON string is a TOML basic string once DEL, which TOML forbids raw, is escaped.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def to_toml(declaration: Mapping[str, Any]) -> str:
    """TOML text for a declaration made by ``declare``."""
    lines = [f"name = {_toml_value(declaration['name'])}", f"initial = {_toml_value(declaration['initial'])}"]
    for state, table in declaration["states"].items():
        lines += ["", f"[states.{state}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def suggest(name: str, known: Sequence[str]) -> str:
    """``; did you mean 'x'?`` when a known name is close to ``name``, else ``""``."""
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- where a problem sits in the text ---------------------------------------------------


def _key_patterns(key: str, fmt: str, *, first: bool) -> list[re.Pattern[str]]:
    if fmt == "json":
        return [re.compile(rf"\"{re.escape(key)}\"\s*:")]
    quoted = rf"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
    if first:  # a top-level key, a table header, or a dotted key at the start of a line
        patterns = [rf"^[ \t]*\[+[ \t]*{quoted}[ \t]*[.\]]", rf"^[ \t]*{quoted}[ \t]*[=.]"]
    else:  # a key inside a table header ([states.NAME]), on its own line, or in an inline table
        patterns = [rf"\.[ \t]*{quoted}[ \t]*[.\]]", rf"(?:^|[{{,])[ \t]*{quoted}[ \t]*[=.]"]
    return [re.compile(pattern, re.MULTILINE) for pattern in patterns]


_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'")


def _value_end(text: str, start: int, limit: int) -> int:
    """Where the value starting at ``start`` ends: its closing bracket, or its line's end."""
    position = start
    while position < limit and text[position] in " \t":
        position += 1
    if position >= limit or text[position] not in "[{":
        end = text.find("\n", position, limit)
        return limit if end < 0 else end
    depth = 0
    while position < limit:
        char = text[position]
        if char in "\"'":
            match = _STRING.match(text, position)
            position = match.end() if match else position + 1
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return limit


def locate(text: str, keys: Sequence[str | int], fmt: str) -> int | None:
    """The 1-based line where ``keys`` (``states``, ``closed``, ``to``, 1) are declared, best effort.

    Follows the keys one after another, each searched inside the value of the
    one before (a table's region, a bracketed value); an index finds the list's
    item (a quoted string). Returns the line of the deepest key found, or None
    when not even the first one is.
    """
    position, limit, line = 0, len(text), None
    for depth, key in enumerate(keys):
        if isinstance(key, int):
            items = list(_STRING.finditer(text, position, limit))
            if key >= len(items):
                break
            position = items[key].start()
            line = text.count("\n", 0, position) + 1
            break
        matches = [
            match
            for pattern in _key_patterns(key, fmt, first=depth == 0)
            if (match := pattern.search(text, position, limit))
        ]
        if not matches:
            break
        match = min(matches, key=lambda found: found.start())
        line = text.count("\n", 0, match.start()) + 1
        position = match.end()
        if match.group().endswith("."):  # a dotted key: the next part starts at the dot
            position -= 1
        elif match.group().endswith("]"):  # a table header closes here: the table runs to the next header
            following = _HEADER.search(text, position, limit)
            limit = following.start() if following else limit
        else:  # key = value, or "key": value
            limit = _value_end(text, position, limit)
    return line
