"""Scalar values on the wire: W3C datetimes, booleans, numbers, identifiers (private).

``Coercer`` turns what a document carried into the model's type. The fast
path (the form the standard prescribes) costs one type check; everything else
goes through ``Repairs`` so lenient mode warns and strict mode refuses.
When a repair would lose information, the value as sent is kept in the
record's ``extensions`` under ``<field>_original``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from dateutil import parser as dateutil_parser

from georeport.models import JSONValue
from georeport.wire._repairs import Repairs, record_path

__all__ = ["Coercer", "format_datetime", "format_float", "original_key"]

E = TypeVar("E", bound=StrEnum)

_W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})")
_LOOSE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:(?P<sep>[T ])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_TRUE = frozenset({"true", "1", "y", "yes", "t", "on"})
_FALSE = frozenset({"false", "0", "n", "no", "f", "off"})
_MIN_SANE_YEAR = 1000

fromisoformat = datetime.fromisoformat


def original_key(field: str) -> str:
    """The extensions key that keeps a repaired field's value as sent."""
    return f"{field}_original"


def format_datetime(value: datetime) -> str:
    """W3C form: seconds, fraction only when non-zero, the value's own offset (``Z`` for UTC).

    An offset that is not a whole minute (historic local mean time) cannot be
    written in W3C form, so such a value is written in UTC (the same instant).

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> format_datetime(datetime(2010, 4, 14, 6, 37, 38, tzinfo=timezone(timedelta(hours=-8))))
        '2010-04-14T06:37:38-08:00'
        >>> format_datetime(datetime(2017, 2, 21, 22, 18, 27, 500000, tzinfo=timezone.utc))
        '2017-02-21T22:18:27.5Z'
    """
    text = value.isoformat()
    if len(text) == 25:  # noqa: PLR2004 - YYYY-MM-DDThh:mm:ss+hh:mm, the common case
        return text[:19] + "Z" if text.endswith("+00:00") else text
    offset = value.utcoffset()
    if offset is not None and offset % timedelta(minutes=1):
        return format_datetime(value.astimezone(UTC))
    if value.microsecond:
        head, _, rest = text.partition(".")
        digits, zone = rest[:6].rstrip("0"), rest[6:]
        text = f"{head}.{digits}{zone}"
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def format_float(value: float) -> str:
    """Decimal text for XML: the shortest exact form, never scientific notation.

    Examples:
        >>> format_float(37.762221815), format_float(1e-7)
        ('37.762221815', '0.0000001')
    """
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


class Coercer:
    """Turns wire values into model values, reporting every departure.

    ``textual`` is True for XML, where every scalar arrives as text, so a
    number or boolean written as text is normal there and a repair in JSON.
    """

    __slots__ = ("default_timezone", "format", "repairs", "textual")

    def __init__(self, repairs: Repairs, *, textual: bool, default_timezone: tzinfo | None) -> None:
        self.repairs = repairs
        self.format = repairs.format
        self.textual = textual
        self.default_timezone: tzinfo = default_timezone or UTC

    # --- shared reporting -------------------------------------------------
    def _repair(  # noqa: PLR0913 - each argument is part of the report
        self,
        code: str,
        field: str,
        detail: str,
        value: object,
        index: int | None,
        line: int | None,
    ) -> None:
        self.repairs.repair(code, field, detail, path=record_path(index, field), example=value, line=line)

    def _lost(  # noqa: PLR0913
        self,
        code: str,
        field: str,
        detail: str,
        value: JSONValue,
        index: int | None,
        line: int | None,
        extensions: dict[str, JSONValue],
    ) -> None:
        """A value that cannot be kept in its field: report it and keep it as sent."""
        if self.repairs.strict:
            self._repair(code, field, detail, value, index, line)
            return
        self._repair(code, field, detail + f"; kept as sent in extensions[{original_key(field)!r}]", value, index, line)
        extensions[original_key(field)] = value

    def unwrap(self, value: object, field: str, index: int | None, line: int | None) -> object:
        """A one-item list holding a scalar, as the scalar (Zürich's dialect, §9 S6)."""
        if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], list | dict):
            self._repair("scalar-as-list", field, "a value wrapped in a one-item list, unwrapped", value, index, line)
            return value[0]
        return value

    # --- text and identifiers ----------------------------------------------
    def text(
        self, value: object, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> str | None:
        """A string field (slow path: the caller handled ``str`` and ``None``)."""
        value = self.unwrap(value, field, index, line)
        markup = getattr(value, "markup", None)
        if markup is not None:
            self._lost(
                "markup-in-text", field, "markup inside a text, read as its plain text", markup, index, line, ext
            )
            return str(value).strip() or None
        if isinstance(value, bool):
            self._repair("boolean-as-text", field, "a boolean where text belongs, read as text", value, index, line)
            return "true" if value else "false"
        if isinstance(value, int | float):
            self._repair("number-as-text", field, "a number where text belongs, read as text", value, index, line)
            return format_float(value) if isinstance(value, float) else str(value)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
            joined = ", ".join(item.strip() for item in value if item.strip())
            self._lost(
                "list-as-text", field, "a list where one text belongs, joined with ', '", value, index, line, ext
            )
            return joined or None
        self._lost("structure-as-text", field, "a structure where text belongs", value, index, line, ext)  # type: ignore[arg-type]
        return None

    def identifier(
        self, value: object, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> str | None:
        """An id or code: always a string; a JSON number is repaired (zeros may be lost)."""
        value = self.unwrap(value, field, index, line)
        if isinstance(value, str):
            value = value.strip()
            if not self.textual and value.lower() == "null":
                self._repair("null-as-text", field, "the string 'null' read as absent", value, index, line)
                return None
            return value or None
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if whole and not isinstance(value, bool):
            detail = "a number where an id belongs, read as text (leading zeros, if any, were lost)"
            self._repair("number-as-id", field, detail, value, index, line)
            return str(int(value))  # type: ignore[call-overload]
        return self.text(value, field, index, line, ext)

    # --- datetimes -------------------------------------------------------------
    def timestamp(
        self, value: object, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> datetime | None:
        """A W3C datetime; other forms repaired (zone-less ones in ``default_timezone``)."""
        if value is None:
            return None
        if value.__class__ is str and _W3C.fullmatch(value):
            try:
                return fromisoformat(value)
            except ValueError:
                self._lost("datetime-invalid", field, "not a valid datetime", value, index, line, ext)
                return None
        value = self.unwrap(value, field, index, line)
        if not isinstance(value, str):
            self._lost("datetime-not-text", field, "not a datetime string", value, index, line, ext)  # type: ignore[arg-type]
            return None
        text = value.strip()
        if not text or (not self.textual and text.lower() == "null"):
            if text:
                self._repair("null-as-text", field, "the string 'null' read as absent", value, index, line)
            return None
        if _W3C.fullmatch(text):
            try:
                return fromisoformat(text)
            except ValueError:
                self._lost("datetime-invalid", field, "not a valid datetime", value, index, line, ext)
                return None
        return self._loose_datetime(text, value, field, index, line, ext)

    def _loose_datetime(  # noqa: PLR0913
        self, text: str, value: str, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> datetime | None:
        match = _LOOSE.fullmatch(text)
        if match is None:
            return self._unusual_datetime(text, value, field, index, line, ext)
        parts = match.groupdict()
        fraction = parts["f"] or ""
        if len(fraction) > 6:  # noqa: PLR2004 - Python keeps microseconds
            self._repair(
                "datetime-fraction-truncated",
                field,
                "fractional seconds beyond microseconds dropped",
                value,
                index,
                line,
            )
        zone = parts["z"]
        iso = f"{parts['y']}-{int(parts['mo']):02d}-{int(parts['d']):02d}"
        if parts["h"] is not None:
            iso += f"T{int(parts['h']):02d}:{parts['mi']}:{parts['s'] or '00'}"
            if fraction:
                iso += "." + fraction[:6].ljust(6, "0")
        else:
            iso += "T00:00:00"
        if zone and zone.upper() != "Z":
            digits = zone[1:].replace(":", "")
            iso += f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"
        elif zone:
            iso += "+00:00"
        try:
            parsed = fromisoformat(iso)
        except ValueError:
            self._lost("datetime-invalid", field, "not a valid datetime", value, index, line, ext)
            return None
        if parts["h"] is None:
            self._repair("date-only", field, "a date without a time, read as midnight", value, index, line)
        elif parts["sep"] == " ":
            self._repair(
                "datetime-space-separator", field, "a space instead of 'T' between date and time", value, index, line
            )
        if zone is None:
            self._repair(
                "datetime-without-zone",
                field,
                f"a datetime without a zone, read in {self.default_timezone}",
                value,
                index,
                line,
            )
            return parsed.replace(tzinfo=self.default_timezone)
        if len(zone) != 6 and zone.upper() != "Z":  # noqa: PLR2004 - ±hh:mm
            self._repair("datetime-offset-form", field, "an offset not written as ±hh:mm", value, index, line)
        return parsed

    def _unusual_datetime(  # noqa: PLR0913
        self, text: str, value: str, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> datetime | None:
        parsed: datetime | None = None
        if sum(ch.isdigit() for ch in text) >= 6:  # noqa: PLR2004 - a year and more, not a stray number
            try:
                parsed = dateutil_parser.parse(text, default=datetime(1, 1, 1))  # noqa: DTZ001 - zone added below
            except (ValueError, OverflowError):
                parsed = None
        if parsed is None or parsed.year < _MIN_SANE_YEAR:
            self._lost("datetime-invalid", field, "not a datetime in any known form", value, index, line, ext)
            return None
        try:
            offset = parsed.utcoffset()
        except ValueError:
            offset = timedelta(days=1)
        if offset is not None and abs(offset) >= timedelta(hours=24):
            self._lost("datetime-invalid", field, "a datetime with an impossible offset", value, index, line, ext)
            return None
        self._repair("datetime-unusual-form", field, "a datetime in a non-ISO form", value, index, line)
        if parsed.tzinfo is None:
            self._repair(
                "datetime-without-zone",
                field,
                f"a datetime without a zone, read in {self.default_timezone}",
                value,
                index,
                line,
            )
            parsed = parsed.replace(tzinfo=self.default_timezone)
        return parsed

    # --- booleans and numbers ----------------------------------------------------
    def boolean(
        self, value: object, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> bool | None:
        """``true``/``false``; other tokens (``"Y"``, ``"1"``, ``1``) repaired."""
        if value is True or value is False:
            return value
        value = self.unwrap(value, field, index, line)
        if isinstance(value, str):
            word = value.strip().lower()
            if not word or (not self.textual and word == "null"):
                return None
            if word in _TRUE or word in _FALSE:
                if not (self.textual and value.strip() in ("true", "false")):
                    code = "boolean-as-text" if word in ("true", "false") else "boolean-token"
                    self._repair(code, field, "a boolean written as text or a token", value, index, line)
                return word in _TRUE
        elif isinstance(value, int) and value in (0, 1):
            self._repair("boolean-as-number", field, "a boolean written as 0 or 1", value, index, line)
            return bool(value)
        elif value is None:
            return None
        self._lost("boolean-invalid", field, "not a boolean", value, index, line, ext)  # type: ignore[arg-type]
        return None

    def number(  # noqa: PLR0913
        self,
        value: object,
        field: str,
        index: int | None,
        line: int | None,
        ext: dict[str, JSONValue],
        *,
        limit: float,
    ) -> float | None:
        """A coordinate: a finite float within ``[-limit, limit]``."""
        number: float | None
        value = self.unwrap(value, field, index, line)
        if isinstance(value, bool) or value is None:
            number = None if value is None else float("nan")
        elif isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:
                number = float("nan")
        elif isinstance(value, str):
            text = value.strip()
            if not text or (not self.textual and text.lower() == "null"):
                return None
            try:
                number = float(text)
            except ValueError:
                number = float("nan")
            else:
                if not self.textual:
                    self._repair("number-as-text", field, "a number written as a string", value, index, line)
        else:
            number = float("nan")
        if number is None:
            return None
        if not -limit <= number <= limit:  # also false for NaN
            self._lost(
                "number-out-of-range",
                field,
                f"not a number between {-limit:g} and {limit:g}",
                value,  # type: ignore[arg-type]
                index,
                line,
                ext,
            )
            return None
        return number

    def integer(
        self, value: object, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> int | None:
        """A whole number (``order``)."""
        if type(value) is int or value is None:
            return value
        value = self.unwrap(value, field, index, line)
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                number = int(text)
            except ValueError:
                pass
            else:
                if not self.textual:
                    self._repair("number-as-text", field, "a number written as a string", value, index, line)
                return number
        if isinstance(value, float) and value.is_integer():
            self._repair("integer-as-float", field, "a whole number written with a fraction", value, index, line)
            return int(value)
        self._lost("integer-invalid", field, "not a whole number", value, index, line, ext)  # type: ignore[arg-type]
        return None

    # --- closed sets -------------------------------------------------------------
    def choice(  # noqa: PLR0913
        self,
        value: object,
        enum: type[E],
        field: str,
        index: int | None,
        line: int | None,
        ext: dict[str, JSONValue],
        *,
        aliases: dict[str, E] | None = None,
    ) -> E | None:
        """A member of a closed set; other case repaired, aliases mapped, unknowns kept as sent."""
        if value is None:
            return None
        value = self.unwrap(value, field, index, line)
        if not isinstance(value, str):
            self._lost("choice-invalid", field, f"not one of {', '.join(enum)}", value, index, line, ext)  # type: ignore[arg-type]
            return None
        text = value.strip()
        try:
            return enum(text)
        except ValueError:
            pass
        folded = text.lower()
        if not folded or (not self.textual and folded == "null"):
            return None
        try:
            member = enum(folded)
        except ValueError:
            pass
        else:
            self._repair("choice-case", field, f"{enum.__name__} in other letter case", value, index, line)
            return member
        mapped = (aliases or {}).get(folded.replace(" ", "_").replace("-", "_"))
        if mapped is not None:
            self._lost("choice-alias", field, f"a dialect's value, read as {mapped.value!r}", value, index, line, ext)
            return mapped
        self._lost("choice-unknown", field, f"not one of {', '.join(enum)}", value, index, line, ext)
        return None
