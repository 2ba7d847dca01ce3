"""The scalar twins of ``_vector``'s kernels, in plain Python on the same table (private).

One case at a time, numpy's per-call overhead would dominate, so the scalar
API runs these: ``bisect`` on the table's lists instead of bucketed
``searchsorted``, the same formulas otherwise (``_vector.py`` states them).
They are written apart from the array kernels on purpose: the property tests
that ``due == due_many`` compare two implementations, not one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from georeport.sla._vector import _MAX, WorkTable

__all__ = ["Pauses", "due_one", "elapsed_one", "nth_close_one"]

Pauses = Sequence[tuple[int, int | None]]
"""Pauses as (start, end) UTC nanoseconds sorted by start; end None while still paused."""


class _Clock:
    """``P`` and ``I`` of one table (or of calendar time when ``table`` is None)."""

    __slots__ = ("_cumulative", "_ends", "_lengths", "_starts")

    def __init__(self, table: WorkTable | None) -> None:
        if table is None:
            self._starts: list[int] | None = None
            return
        self._starts, self._lengths, self._cumulative, self._ends, *_ = table.lists()

    def position(self, t: int) -> int:
        starts = self._starts
        if starts is None:
            return t
        index = bisect_right(starts, t) - 1
        if index < 0:
            return 0
        return self._cumulative[index] + max(0, min(t - starts[index], self._lengths[index]))

    def instant(self, p: int) -> int:
        starts = self._starts
        if starts is None:
            return p
        index = bisect_left(self._ends, p)
        if index >= len(starts):
            return _MAX
        return starts[index] + (p - self._cumulative[index])


def elapsed_one(table: WorkTable | None, a: int, b: int, pauses: Pauses) -> int:
    """Counting time in ``[a, b]`` outside the pauses (a running pause counts until ``b``)."""
    clock = _Clock(table)
    cursor, total = a, 0
    for start, end in pauses:
        stop = b if end is None else min(end, b)
        begin = min(max(start, cursor), b)
        if stop > cursor:
            total += clock.position(begin) - clock.position(cursor)
            cursor = max(cursor, stop)
    return total + clock.position(b) - clock.position(cursor)


def due_one(table: WorkTable | None, start: int, amount: int, pauses: Pauses) -> int | None:
    """The earliest instant by which ``amount`` of counting time outside the pauses has passed.

    None when a running pause begins before the time is reached; ``_MAX`` when the table is too short.
    """
    clock = _Clock(table)
    cursor, remaining = start, amount
    for pause_start, pause_end in pauses:
        end = _MAX if pause_end is None else pause_end
        if end <= cursor:
            continue
        begin = max(pause_start, cursor)
        here = clock.position(cursor)
        available = clock.position(begin) - here
        if available >= remaining:
            return max(cursor, clock.instant(here + remaining))
        remaining -= available
        if pause_end is None:
            return None
        cursor = end
    return max(cursor, clock.instant(clock.position(cursor) + remaining))


def nth_close_one(table: WorkTable, t: int, n: int) -> int:
    """The close of the n-th working day after the local day of ``t`` (``_MAX`` beyond the table)."""
    *_, day_starts, closes, workdays = table.lists()
    day = bisect_right(day_starts, t) - 1
    rank = bisect_right(workdays, day) + n - 1
    if rank >= len(workdays):
        return _MAX
    return closes[workdays[rank]]
