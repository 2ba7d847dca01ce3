"""The one place lenient repairs and strict problems are recorded (private).

Every reader routes each departure from the standard through ``Repairs``:
in lenient mode it becomes one aggregated ``DialectWarning`` per (code, field);
in strict mode it becomes a ``ParseError`` and the document is refused with
all of them at once (an ``InvalidDocumentError``).
"""

from __future__ import annotations

import warnings

from georeport.errors import DialectWarning, InvalidDocumentError, ParseError

__all__ = ["MAX_PROBLEMS", "Repairs", "record_path"]

MAX_PROBLEMS = 200
"""Strict mode stops collecting after this many problems (the count goes on)."""


def record_path(index: int | None, field: str | None = None) -> str:
    """``$[3].lat`` for record 3's ``lat``; ``$.field`` for a root field."""
    base = "$" if index is None else f"$[{index}]"
    return f"{base}.{field}" if field else base


class Repairs:
    """Collects repairs (lenient) or problems (strict) for one document or stream."""

    __slots__ = ("_warnings", "format", "problem_count", "problems", "strict")

    def __init__(self, *, strict: bool, format: str) -> None:  # noqa: A002 - the wire format
        self.strict = strict
        self.format = format
        self._warnings: dict[tuple[str, str], DialectWarning] = {}
        self.problems: list[ParseError] = []
        self.problem_count = 0

    def repair(  # noqa: PLR0913 - each argument is part of the report
        self,
        code: str,
        field: str,
        detail: str,
        *,
        path: str | None,
        example: object,
        line: int | None = None,
    ) -> None:
        """Record one departure: a warning (lenient) or a problem (strict)."""
        if self.strict:
            self.problem(f"{field}: {detail} (got {example!r})", path=path, line=line)
            return
        key = (code, field)
        found = self._warnings.get(key)
        if found is None:
            self._warnings[key] = DialectWarning(code, field, detail, path=path, example=example)
        else:
            found.count += 1

    def problem(self, reason: str, *, path: str | None, line: int | None = None) -> None:
        """Record something no mode can accept; raised together by ``finish``."""
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(ParseError(reason, format=self.format, path=path, line=line))

    @property
    def warnings(self) -> tuple[DialectWarning, ...]:
        """The warnings so far, in the order first seen."""
        return tuple(self._warnings.values())

    def finish(self, *, emit: bool = True, stacklevel: int = 3) -> tuple[DialectWarning, ...]:
        """Raise every problem at once, or issue and return the warnings.

        Raises:
            InvalidDocumentError: strict mode found at least one problem.
        """
        if self.problems:
            reason = "document breaks the GeoReport v2 standard"
            if self.problem_count > len(self.problems):
                reason += f" ({self.problem_count} problems, the first {len(self.problems)} listed)"
            raise InvalidDocumentError(reason, self.problems, format=self.format)
        found = self.warnings
        if emit:
            for warning in found:
                warnings.warn(warning, stacklevel=stacklevel)
        return found
