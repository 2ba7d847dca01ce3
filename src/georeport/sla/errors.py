"""The SLA engine's errors.

``CalendarError`` is raised for a calendar or policy that cannot be built (an
unknown time zone, overlapping hours, a malformed declaration) and for
instants outside the range a calendar supports. ``PausedClockError`` is raised
when a due time is asked of a clock that is paused now without saying until
when (``as_of=``). Bad instants (naive datetimes, an end before its start)
raise ``georeport.ValidationError`` naming the argument.
"""

from __future__ import annotations

from collections.abc import Sequence

from georeport.errors import GeoReportError, ValidationError

__all__ = ["CalendarError", "PausedClockError", "ValidationError"]


def _render(keys: Sequence[str | int]) -> str:
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


class CalendarError(GeoReportError, ValueError):
    """A business calendar, target or policy is wrong, or an instant is outside its range.

    Attributes:
        reason: what is wrong, without the location.
        path: where in a declaration, as ``hours.monday[1]`` (None when not from one).
        problems: every problem found in a declaration, each a ``CalendarError``.
    """

    def __init__(self, reason: str, *, keys: Sequence[str | int] = ()) -> None:
        self.reason = reason
        self.keys = tuple(keys)
        self.path = _render(self.keys) or None
        self.problems: tuple[CalendarError, ...] = (self,)
        super().__init__(f"{self.path}: {reason}" if self.path else reason)

    @classmethod
    def of(cls, problems: Sequence[CalendarError]) -> CalendarError:
        """One error standing for ``problems`` (at least one), listing them all."""
        if len(problems) == 1:
            return problems[0]
        error = cls(problems[0].reason, keys=problems[0].keys)
        error.problems = tuple(problems)
        error.args = ("\n".join([f"invalid declaration: {len(problems)} problems", *(f"  - {p}" for p in problems)]),)
        return error


class PausedClockError(GeoReportError, ValueError):
    """The clock is paused now, so the due time depends on when it restarts: pass ``as_of=``."""

    status_hint = 409
