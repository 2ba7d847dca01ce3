"""Adaptive harvesting windows: cover any date range exactly once, in windows a server can answer whole.

A ``GET requests`` answer holds at most the server's limit (1,000 by the
standard, 50 on some servers), so a long range must be asked in windows small
enough that no answer is full. The planner starts with a window, halves it
whenever an answer is full (the window is asked again, smaller), and grows
it after an answer that was not (open311status grows 1.1x and halves;
Open311Proxy's vacuum shrinks 0.75x). Rules held by this file:

* time is integer seconds since the epoch (UTC): no wall-clock arithmetic,
  so DST changes nothing, and query datetimes carry no fraction;
* windows are half-open ``[start, end)``; accepted windows tile the range,
  in order, with no gap and no overlap, whatever the answers were;
* a window never shrinks below ``min_size`` seconds nor grows above
  ``max_size`` (the standard's 90-day span).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import attrs

from georeport.errors import ValidationError
from georeport.wire.params import DEFAULT_WINDOW

__all__ = ["WindowPlanner"]


def _seconds(value: object, field: str) -> int:
    if not isinstance(value, timedelta):
        raise ValidationError(field, value, "a timedelta")
    seconds = math.ceil(value.total_seconds())
    if seconds < 1:
        raise ValidationError(field, value, "at least one second")
    return seconds


def _instant(value: object, field: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValidationError(field, value, "a timezone-aware datetime")
    return value


def _start(value: object) -> datetime:
    return _instant(value, "start")


def _end(value: object) -> datetime:
    return _instant(value, "end")


@attrs.define
class WindowPlanner:
    """Plans the windows of a harvest over ``[start, end)``; feed it whether each answer was full.

    ``start`` is rounded down and ``end`` up to whole seconds. Call
    ``current()`` for the window to ask, then ``answer(full=...)``: a full
    answer for a window larger than ``min_size`` rejects it (the next
    ``current()`` is its first half); any other answer accepts it, and a
    not-full one grows the next window by ``grow``.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> day = datetime(2024, 3, 1, tzinfo=timezone.utc)
        >>> planner = WindowPlanner(day, day + timedelta(days=4), initial=timedelta(days=2))
        >>> [w.day for w in planner.current()]
        [1, 3]
        >>> planner.answer(full=True)  # too many: ask half of it
        False
        >>> [w.day for w in planner.current()]
        [1, 2]
        >>> planner.answer(full=False), [w.day for w in planner.current()]
        (True, [2, 4])
    """

    start: datetime = attrs.field(converter=_start)
    end: datetime = attrs.field(converter=_end)
    initial: timedelta = attrs.field(default=timedelta(days=1), kw_only=True)
    min_size: timedelta = attrs.field(default=timedelta(seconds=1), kw_only=True)
    max_size: timedelta = attrs.field(default=DEFAULT_WINDOW, kw_only=True)
    grow: float = attrs.field(default=2.0, kw_only=True)
    _cursor: int = attrs.field(init=False)
    _stop: int = attrs.field(init=False)
    _size: int = attrs.field(init=False)
    _min: int = attrs.field(init=False)
    _max: int = attrs.field(init=False)
    accepted: list[tuple[datetime, datetime]] = attrs.field(init=False, factory=list)
    """Every window accepted so far, in order."""
    rejected: int = attrs.field(init=False, default=0)
    """How many full answers made a window smaller."""

    def __attrs_post_init__(self) -> None:
        self._cursor = math.floor(self.start.timestamp())
        self._stop = math.ceil(self.end.timestamp())
        if self._stop < self._cursor:
            raise ValidationError("end", self.end, f"not before start ({self.start.isoformat()})")
        self._min = _seconds(self.min_size, "min_size")
        self._max = _seconds(self.max_size, "max_size")
        if self._max < self._min:
            raise ValidationError("max_size", self.max_size, "at least min_size")
        grow: object = self.grow
        if isinstance(grow, bool) or not isinstance(grow, int | float) or not (math.isfinite(grow) and grow >= 1.0):
            raise ValidationError("grow", self.grow, "a finite number of at least 1")
        self._size = min(self._max, max(self._min, _seconds(self.initial, "initial")))

    @property
    def done(self) -> bool:
        """Whether the whole range is covered."""
        return self._cursor >= self._stop

    def _bounds(self) -> tuple[int, int]:
        return self._cursor, min(self._stop, self._cursor + self._size)

    def current(self) -> tuple[datetime, datetime]:
        """The window to ask for now, ``(start, end)`` with ``end`` exclusive, in UTC.

        Raises:
            ValidationError: the range is already covered (check ``done``).
        """
        if self.done:
            raise ValidationError("planner", "done", "a range not yet covered")
        low, high = self._bounds()
        return datetime.fromtimestamp(low, UTC), datetime.fromtimestamp(high, UTC)

    @property
    def minimal(self) -> bool:
        """Whether the current window cannot be made smaller."""
        low, high = self._bounds()
        return high - low <= self._min

    def answer(self, *, full: bool) -> bool:
        """Record whether the answer for ``current()`` was full; True when the window is accepted."""
        window = self.current()
        low, high = self._bounds()
        if full and high - low > self._min:
            self._size = max(self._min, (high - low) // 2)
            self.rejected += 1
            return False
        self.accepted.append(window)
        self._cursor = high
        if not full:
            self._size = min(self._max, max(self._size, math.ceil(self._size * self.grow)))
        return True
