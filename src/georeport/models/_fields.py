"""Validators and converters shared by the models (layer 1: imports only ``georeport.errors``).

Messages follow one pattern: ``'field' must be EXPECTED (got VALUE)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeAlias, TypeVar

import attrs

from georeport.errors import ValidationError

__all__ = [
    "JSONValue",
    "aware_datetime",
    "extensions_dict",
    "flag",
    "json_like",
    "latitude",
    "longitude",
    "make_trusted",
    "optional_str",
    "required_str",
    "to_enum",
    "to_float",
    "to_tuple",
]

JSONValue: TypeAlias = str | int | float | bool | list["JSONValue"] | dict[str, "JSONValue"] | None
"""A value as JSON knows it; what ``extensions`` mappings hold."""

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


def _fail(attribute: attrs.Attribute[Any], value: object, expected: str) -> None:
    raise ValidationError(attribute.name, value, expected)


def optional_str(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept ``None`` or a ``str``."""
    if value is not None and type(value) is not str and not isinstance(value, str):
        _fail(attribute, value, "a string or None")


def aware_datetime(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept ``None`` or a timezone-aware ``datetime``."""
    if value is None:
        return
    if not isinstance(value, datetime):
        _fail(attribute, value, "a timezone-aware datetime or None")
    elif value.utcoffset() is None:
        _fail(attribute, value, "a timezone-aware datetime (it has no zone)")


def _coordinate(limit: float, what: str) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if not isinstance(value, float):
            _fail(attribute, value, f"a {what} in degrees (a float) or None")
        elif not -limit <= value <= limit:  # also false for NaN
            _fail(attribute, value, f"a {what} between {-limit:g} and {limit:g}")

    return check


latitude = _coordinate(90.0, "latitude")
longitude = _coordinate(180.0, "longitude")


def required_str(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept a ``str`` only."""
    if not isinstance(value, str):
        _fail(attribute, value, "a string")


def flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Accept ``True`` or ``False`` only."""
    if value is not True and value is not False:
        _fail(attribute, value, "True or False")


def to_enum(enum: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``enum``; the error names the field and the valid values."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)  # type: ignore[arg-type]
    except ValueError:
        expected = "one of " + ", ".join(repr(member.value) for member in enum)
        raise ValidationError(field, value, expected) from None


def json_like(_instance: object, attribute: attrs.Attribute[Any], value: dict[str, Any]) -> None:
    """Accept a mapping of JSON values (finite numbers) with string keys."""
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    _fail(attribute, key, "a mapping with string keys")
                stack.append(child)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            _fail(attribute, item, "JSON values (a finite number, not NaN or infinity)")
        elif not (item is None or isinstance(item, str | int | float | bool)):
            _fail(attribute, item, "JSON values (str, int, float, bool, None, list, dict)")


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Store any iterable given for a sequence field as a tuple (immutable, hashable)."""
    return value if type(value) is tuple else tuple(value)


def to_float(value: float | None) -> float | None:
    """Store ints given for coordinates as floats, so equality and output are stable."""
    if value is None or type(value) is float:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return value  # the validator refuses it with the field's name
    return value


def extensions_dict(value: Mapping[str, JSONValue] | Iterable[tuple[str, JSONValue]] | None) -> dict[str, JSONValue]:
    """Copy an extensions mapping (or pairs) into a fresh ``dict``, keeping order."""
    if value is None:
        return {}
    return dict(value)


def make_trusted(cls: type[T]) -> Callable[..., T]:
    """Build a constructor that sets every field positionally with no checks.

    Parsers use it for values they have already checked (the idea of h11's
    ``_parsed=True``): the hot loop must not validate twice.
    """
    names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    args = ", ".join(names)
    namespace: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls}
    lines = []
    for position, name in enumerate(names):
        slot = cls.__dict__.get(name)
        if slot is not None and hasattr(slot, "__set__"):  # a __slots__ member: call its setter directly
            namespace[f"_set{position}"] = slot.__set__
            lines.append(f"    _set{position}(self, {name})")
        else:
            lines.append(f"    _set(self, {name!r}, {name})")
    body = "\n".join(lines)
    source = f"def trusted({args}):\n    self = _new(_cls)\n{body}\n    return self\n"
    exec(source, namespace)  # noqa: S102 - source built from the class's own field names
    trusted: Callable[..., T] = namespace["trusted"]
    trusted.__qualname__ = f"{cls.__qualname__}._trusted"
    return trusted
