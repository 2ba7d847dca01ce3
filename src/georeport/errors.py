"""Every exception and warning georeport raises, in one tree.

Who is at fault is part of the name: a ``ParseError`` means the bytes we were
given are bad; a ``ValidationError`` means a value breaks the standard; a bug in
georeport surfaces as anything else.

::

    GeoReportError
    ├── ParseError (ValueError)           .format .path .line .column  bad bytes
    │   ├── UnsafeDocumentError            DTDs, entities, size limits
    │   └── InvalidDocumentError           every problem strict mode found,
    │                                      also an ExceptionGroup of ParseError
    ├── ValidationError (ValueError)      .field .value .expected      bad value
    └── UnknownDocumentError (ValueError) the kind of document cannot be told

    GeoReportWarning (UserWarning)
    ├── DialectWarning                     a lenient parser repaired something
    └── LossyConversionWarning             a value could not be kept exactly

Every error has a ``status_hint``: the HTTP status a GeoReport server would
answer with when the error comes from a client's input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

__all__ = [
    "DialectWarning",
    "GeoReportError",
    "GeoReportWarning",
    "InvalidDocumentError",
    "LossyConversionWarning",
    "ParseError",
    "UnknownDocumentError",
    "UnsafeDocumentError",
    "ValidationError",
]


def _where(
    format: str | None,  # noqa: A002 - the wire format's name
    path: str | None,
    line: int | None,
    column: int | None,
) -> str:
    """Render a location such as ``xml, line 7, column 3, at $[2].lat``."""
    parts: list[str] = []
    if format:
        parts.append(format)
    if line is not None:
        parts.append(f"line {line}" + (f", column {column}" if column is not None else ""))
    if path:
        parts.append(f"at {path}")
    return ", ".join(parts)


class GeoReportError(Exception):
    """Root of every error georeport raises on purpose."""

    status_hint: int = 400


class ParseError(GeoReportError, ValueError):
    """A document could not be read.

    Attributes:
        reason: what is wrong, without the location.
        format: ``"xml"``, ``"json"``, ``"csv"``... or None when unknown.
        path: where in the document, as ``$[3].requested_datetime``.
        line: 1-based line number, when the parser knows it.
        column: 1-based column, when the parser knows it.
    """

    def __init__(
        self,
        reason: str,
        *,
        format: str | None = None,  # noqa: A002 - mirrors load(format=...)
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason
        self.format = format
        self.path = path
        self.line = line
        self.column = column
        where = _where(format, path, line, column)
        super().__init__(f"{reason} ({where})" if where else reason)

    @property
    def field(self) -> str | None:
        """The field name at the end of ``path``, if the path names one."""
        if not self.path:
            return None
        last = self.path.rsplit(".", 1)[-1]
        return None if last.startswith(("$", "[")) else last


class UnsafeDocumentError(ParseError):
    """A document uses a feature refused for safety (a DTD, entities, huge nodes)."""

    status_hint = 413


class InvalidDocumentError(ParseError, ExceptionGroup):
    """Strict mode found problems; ``exceptions`` holds one ``ParseError`` each.

    It is an ``ExceptionGroup``, so ``except* ParseError`` works, and a
    ``ParseError``, so ``except georeport.ParseError`` works too.
    """

    exceptions: tuple[ParseError, ...]

    def __new__(
        cls,
        reason: str,
        problems: Sequence[ParseError],
        *,
        format: str | None = None,  # noqa: A002
    ) -> Self:
        """Group ``problems`` (at least one) under ``reason``."""
        del format
        # ExceptionGroup's constructor, not ValueError's (which comes first in the MRO).
        return ExceptionGroup.__new__(cls, reason, list(problems))

    def __init__(
        self,
        reason: str,
        problems: Sequence[ParseError],
        *,
        format: str | None = None,  # noqa: A002
    ) -> None:
        first = problems[0]
        ParseError.__init__(self, f"{reason}: {len(problems)} problem(s), first: {first}")
        self.reason = reason
        self.format = format
        self.path = first.path
        self.line = first.line
        self.column = first.column

    def derive(self, excs: Sequence[ParseError]) -> InvalidDocumentError:  # type: ignore[override]
        """Keep the type when ``except*`` splits the group."""
        return InvalidDocumentError(self.reason, excs, format=self.format)

    def __str__(self) -> str:
        """List every problem, one a line."""
        lines = [ParseError.__str__(self)]
        lines += [f"  - {problem}" for problem in self.exceptions]
        return "\n".join(lines)


class ValidationError(GeoReportError, ValueError):
    """A value breaks the standard (or a model's constraint).

    Attributes:
        field: the field's name.
        value: the value given.
        expected: what would have been accepted.
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field!r} must be {expected} (got {value!r})")


class UnknownDocumentError(GeoReportError, ValueError):
    """The kind of a document (services, requests, ...) cannot be told; pass ``kind=``."""


class GeoReportWarning(UserWarning):
    """Root of every warning georeport issues."""


class DialectWarning(GeoReportWarning):
    """A lenient reader repaired something the standard does not allow.

    One warning stands for every repair of one kind in one field of a document.

    Attributes:
        code: a stable identifier of the repair, e.g. ``"datetime-without-zone"``.
        field: the field repaired.
        count: how many values were repaired.
        path: where the first one was, as ``$[3].requested_datetime``.
        example: the first value as it arrived.
        detail: what was done with it.
    """

    def __init__(  # noqa: PLR0913 - every attribute is part of the record
        self,
        code: str,
        field: str,
        detail: str,
        *,
        path: str | None = None,
        example: object = None,
        count: int = 1,
    ) -> None:
        self.code = code
        self.field = field
        self.detail = detail
        self.path = path
        self.example = example
        self.count = count
        super().__init__(code, field)

    def __str__(self) -> str:
        """Say what was repaired, how often and where first."""
        where = f", first at {self.path}" if self.path else ""
        return f"{self.field}: {self.detail} [{self.code}] ({self.count} value(s){where}; e.g. {self.example!r})"

    def __repr__(self) -> str:
        """Show the code, field and count."""
        return f"DialectWarning({self.code!r}, {self.field!r}, count={self.count})"


class LossyConversionWarning(GeoReportWarning):
    """A value could not be written exactly in the target format."""
