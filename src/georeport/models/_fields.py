"""Validators and converters shared by the models (layer 1: imports only ``georeport.errors``).

Messages follow one pattern: ``'field' must be EXPECTED (got VALUE)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeAlias, TypeVar

import attrs

from georeport.errors import ValidationError

__all__ = [
    "JSONValue",
    "aware_datetime",
    "extensions_dict",
    "latitude",
    "longitude",
    "make_trusted",
    "optional_str",
    "to_float",
    "to_tuple",
]

JSONValue: TypeAlias = str | int | float | bool | list["JSONValue"] | dict[str, "JSONValue"] | None
"""A value as JSON knows it; what ``extensions`` mappings hold."""

T = TypeVar("T")


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
        if type(value) is not float and (not isinstance(value, float | int) or isinstance(value, bool)):
            _fail(attribute, value, f"a {what} in degrees (a float) or None")
        elif math.isnan(value) or not -limit <= value <= limit:
            _fail(attribute, value, f"a {what} between {-limit:g} and {limit:g}")

    return check


latitude = _coordinate(90.0, "latitude")
longitude = _coordinate(180.0, "longitude")


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Store any iterable given for a sequence field as a tuple (immutable, hashable)."""
    return value if type(value) is tuple else tuple(value)


def to_float(value: float | None) -> float | None:
    """Store ints given for coordinates as floats, so equality and output are stable."""
    if value is None or type(value) is float:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
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
    body = "\n".join(f"    _set(self, {name!r}, {name})" for name in names)
    source = f"def trusted({args}):\n    self = _new(_cls)\n{body}\n    return self\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls}
    exec(source, namespace)  # noqa: S102 - source built from the class's own field names
    trusted: Callable[..., T] = namespace["trusted"]
    trusted.__qualname__ = f"{cls.__qualname__}._trusted"
    return trusted
