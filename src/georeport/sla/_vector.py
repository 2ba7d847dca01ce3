"""The working-time table and the array kernels every SLA computation runs on (private).

Rules of this file:

* A clock maps an instant ``t`` (int64 UTC nanoseconds) to its *position*
  ``P(t)``: the working time from the start of the clock's table to ``t``.
  ``P`` never decreases; elapsed working time between ``a <= b`` is
  ``P(b) - P(a)``, and the instant a working-time position ``p > P(a)`` is
  reached is ``I(p)``, the earliest ``t`` with ``P(t) >= p``.
* ``WorkTable`` holds a calendar's working intervals over whole local years
  as UTC nanoseconds (holidays, half-days and DST transitions expanded once),
  merged where they touch, with the cumulative working time before each. ``P``
  and ``I`` are each one ``searchsorted``: O(log n) per instant.
* ``IdentityClock`` is calendar time: ``P(t) = t``.
* Pauses are (cases, k) matrices sorted by start in each row (``NAT`` = no
  pause; a ``NAT`` end = still paused). The kernels walk the k columns once;
  overlapping pauses count once.
* The scalar API calls these kernels with one row, so scalar and array
  results cannot drift apart.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from georeport.sla._instants import NAT, Int64Array

__all__ = ["Clock", "IdentityClock", "WorkTable", "due_kernel", "elapsed_kernel"]

_MAX = np.iinfo(np.int64).max


class Clock(Protocol):
    """What the kernels need of a clock."""

    def position(self, t: Int64Array) -> Int64Array:
        """``P(t)``: working time before each instant (all inside the covered range)."""
        ...

    def instant(self, p: Int64Array) -> Int64Array:
        """``I(p)``: the earliest instant whose position reaches ``p``."""
        ...


class IdentityClock:
    """Calendar time: every nanosecond counts."""

    def position(self, t: Int64Array) -> Int64Array:
        """``P(t) = t``."""
        return t

    def instant(self, p: Int64Array) -> Int64Array:
        """``I(p) = p``."""
        return p


class WorkTable:
    """A calendar's working intervals and working days over a range of local dates.

    Attributes:
        starts, ends: merged working intervals, UTC ns, sorted, disjoint and not touching.
        cumulative: working time before each interval (length n + 1; the last is the total).
        day_starts: the UTC instant of each local midnight, one per day plus the next day's.
        closes: per day, the end of its last working interval (``NAT`` on a day off).
        workdays: the indexes of the days that have working time, ascending.
        first_ordinal: the proleptic ordinal of the first day.
    """

    __slots__ = (
        "_by_instant",
        "_by_position",
        "_lists",
        "closes",
        "cumulative",
        "day_starts",
        "ends",
        "first_ordinal",
        "lengths",
        "starts",
        "workdays",
    )

    def __init__(
        self,
        *,
        intervals: Int64Array,
        day_starts: Int64Array,
        closes: Int64Array,
        first_ordinal: int,
    ) -> None:
        starts, ends = _merge(intervals)
        self.starts = starts
        self.ends = ends
        self.lengths = ends - starts
        self.cumulative = np.concatenate(([0], np.cumsum(self.lengths))).astype(np.int64)
        self.day_starts = day_starts
        self.closes = closes
        self.workdays = np.flatnonzero(closes != NAT).astype(np.int64)
        self.first_ordinal = first_ordinal
        # P looks up the last interval starting at or before t; I the first whose cumulative end reaches p.
        self._by_instant = _Buckets(np.append(self.starts, _MAX), "right")
        self._by_position = _Buckets(np.append(self.cumulative[1:], _MAX), "left")
        self._lists: tuple[list[int], ...] | None = None

    def lists(self) -> tuple[list[int], ...]:
        """The table as Python lists for the scalar path (``_scalar.py``).

        In order: starts, lengths, cumulative, cumulative ends, day starts, closes, working days.
        """
        if self._lists is None:
            self._lists = (
                self.starts.tolist(),
                self.lengths.tolist(),
                self.cumulative.tolist(),
                self.cumulative[1:].tolist(),
                self.day_starts.tolist(),
                self.closes.tolist(),
                self.workdays.tolist(),
            )
        return self._lists

    @property
    def lowest(self) -> int:
        """The first instant covered."""
        return int(self.day_starts[0])

    @property
    def highest(self) -> int:
        """The first instant no longer covered."""
        return int(self.day_starts[-1])

    def position(self, t: Int64Array) -> Int64Array:
        """``P(t)`` for instants inside the table (clamped outside it)."""
        index = self._by_instant.find(t)
        before = index < 0
        index[before] = 0
        into = np.minimum(t - self.starts[index], self.lengths[index])
        np.maximum(into, 0, out=into)
        result: Int64Array = self.cumulative[index] + into
        result[before] = 0
        return result

    def instant(self, p: Int64Array) -> Int64Array:
        """``I(p)``; positions beyond the table's total give ``_MAX`` (the caller extends the table)."""
        index = self._by_position.find(p)
        beyond = index >= self.starts.size
        index[beyond] = 0
        result = self.starts[index] + (p - self.cumulative[index])
        result[beyond] = _MAX
        return result

    def day_index(self, t: Int64Array) -> Int64Array:
        """The local day each instant falls on, as an index into the table's days."""
        return (np.searchsorted(self.day_starts, t, side="right") - 1).astype(np.int64)

    def nth_close(self, t: Int64Array, n: int) -> Int64Array:
        """The close of the n-th working day after the local day of each instant (``_MAX`` beyond the table).

        The day of the instant is day 0 whether or not it is a working day.
        """
        day = self.day_index(t)
        # working days up to and including ``day``: the next one is rank ``done``.
        done = np.searchsorted(self.workdays, day, side="right")
        rank = done + n - 1
        beyond = rank >= self.workdays.size
        rank[beyond] = 0
        result = self.closes[self.workdays[rank]]
        result[beyond] = _MAX
        return result


_SHIFT = 42
"""Lookup buckets span 2**42 ns (about 73 minutes) of time or of working time."""
_WIDTH = 1 << _SHIFT
_MAX_STEPS = 8


class _Buckets:
    """``np.searchsorted`` on a sorted array, sped up by a table of answers at bucket starts.

    ``find(x)`` equals ``np.searchsorted(values, x, side) - (side == "right")``
    for ``side="right"`` (the last index with ``values[i] <= x``, -1 if none)
    and ``np.searchsorted(values, x, "left")`` for ``side="left"`` (the first
    index with ``values[i] >= x``). The bucket of ``x`` gives an answer that is
    at most a few entries short, and a few vectorised steps finish it: a
    bucket is narrower than any working interval of a real calendar. When a
    bucket holds more than ``_MAX_STEPS`` entries, ``find`` falls back to
    ``np.searchsorted``. Queries must lie within 2**62 ns of the values (any
    instant of the supported years does).
    """

    __slots__ = ("_count", "_origin", "_side", "_steps", "_table", "_values")

    def __init__(self, values: Int64Array, side: str) -> None:
        self._values = values  # ends with _MAX
        origin = int(values[0]) - _WIDTH if values.size > 1 else 0  # bucket 0 starts before every value
        self._origin = origin
        self._side = side
        last = int(values[-2]) if values.size > 1 else origin
        self._count = max(1, ((last - origin) >> _SHIFT) + 2)
        edges = origin + (np.arange(self._count, dtype=np.int64) << _SHIFT)
        if side == "right":
            table = np.searchsorted(values, edges, side="right").astype(np.int64) - 1
        else:
            table = np.searchsorted(values, edges, side="left").astype(np.int64)
        self._table = table
        self._steps = int(np.max(np.diff(table), initial=0)) + 1
        if self._count > 1 << 26:  # never on supported years; keep memory bounded anyway
            self._steps = _MAX_STEPS + 1

    def find(self, x: Int64Array) -> Int64Array:
        """The index for each of ``x`` (see the class)."""
        if self._steps > _MAX_STEPS:
            if self._side == "right":
                return np.searchsorted(self._values, x, side="right").astype(np.int64) - 1
            return np.searchsorted(self._values, x, side="left").astype(np.int64)
        bucket = (x - self._origin) >> _SHIFT
        np.clip(bucket, 0, self._count - 1, out=bucket)
        index: Int64Array = self._table[bucket]
        values = self._values
        for _ in range(self._steps):
            if self._side == "right":
                index += values[index + 1] <= x
            else:
                index += values[index] < x
        return index


def _merge(intervals: Int64Array) -> tuple[Int64Array, Int64Array]:
    """Merge sorted (n, 2) intervals that touch or overlap; drop empty ones."""
    if intervals.size == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty
    keep = intervals[:, 1] > intervals[:, 0]
    intervals = intervals[keep]
    order = np.argsort(intervals[:, 0], kind="stable")
    starts, ends = intervals[order, 0], intervals[order, 1]
    running = np.maximum.accumulate(ends)
    new = np.ones(starts.size, dtype=bool)
    new[1:] = starts[1:] > running[:-1]
    group = np.cumsum(new) - 1
    merged_starts = starts[new]
    merged_ends = np.zeros(merged_starts.size, np.int64)
    np.maximum.at(merged_ends, group, ends)
    return merged_starts.astype(np.int64), merged_ends


def elapsed_kernel(
    clock: Clock, a: Int64Array, b: Int64Array, pause_starts: Int64Array, pause_ends: Int64Array
) -> Int64Array:
    """Working time in ``[a, b]`` outside the pauses; rows with a NaT give ``NAT``.

    ``a <= b`` where both are present (checked by the caller). A pause still
    running counts until ``b``.
    """
    if pause_starts.shape[1] == 0:
        missing = (a == NAT) | (b == NAT)
        if not missing.any():
            return clock.position(b) - clock.position(a)
        total = clock.position(np.where(missing, 0, b)) - clock.position(np.where(missing, 0, a))
        total[missing] = NAT
        return total
    present = (a != NAT) & (b != NAT)
    a = np.where(present, a, 0)
    b = np.where(present, b, 0)
    cursor = a.copy()
    total = np.zeros(a.shape, np.int64)
    for column in range(pause_starts.shape[1]):
        start = pause_starts[:, column]
        end = pause_ends[:, column]
        real = start != NAT
        end = np.where(end == NAT, b, np.minimum(end, b))
        start = np.minimum(np.maximum(start, cursor), b)
        active = real & (end > cursor)
        if not np.any(active):
            continue
        gained = clock.position(start) - clock.position(cursor)
        total += np.where(active, gained, 0)
        cursor = np.where(active, np.maximum(cursor, end), cursor)
    total += clock.position(b) - clock.position(cursor)
    return np.where(present, total, NAT)


def due_kernel(
    clock: Clock, starts: Int64Array, amounts: Int64Array, pause_starts: Int64Array, pause_ends: Int64Array
) -> Int64Array:
    """The earliest instant by which ``amounts`` of working time outside the pauses have passed since ``starts``.

    A row with a NaT start or amount gives ``NAT``; so does a row whose pause
    is still running before the time is reached (the due time is unknown).
    A result of ``_MAX`` means the clock's table is too short: the caller
    extends it and asks again.
    """
    if pause_starts.shape[1] == 0:
        return _due_without_pauses(clock, starts, amounts)
    present = (starts != NAT) & (amounts != NAT)
    cursor = np.where(present, starts, 0)
    remaining = np.where(present, amounts, 0)
    result = np.full(cursor.shape, NAT, np.int64)
    done = ~present
    for column in range(pause_starts.shape[1]):
        start = pause_starts[:, column]
        end = pause_ends[:, column]
        running = end == NAT
        end = np.where(running, _MAX, end)
        active = ~done & (start != NAT) & (end > cursor)
        if not np.any(active):
            continue
        start = np.maximum(start, cursor)
        here = clock.position(cursor)
        available = clock.position(start) - here
        finish = active & (available >= remaining)
        if np.any(finish):
            reached = np.maximum(cursor, clock.instant(here + remaining))
            result = np.where(finish, reached, result)
            done |= finish
        carry = active & ~finish
        remaining = np.where(carry, remaining - available, remaining)
        unknown = carry & running
        done |= unknown  # the result stays NAT: still paused, time left
        cursor = np.where(carry & ~running, end, cursor)
    if not np.all(done):
        rest = ~done
        reached = np.maximum(cursor, clock.instant(clock.position(cursor) + remaining))
        result = np.where(rest, reached, result)
    return result


def _due_without_pauses(clock: Clock, starts: Int64Array, amounts: Int64Array) -> Int64Array:
    """``due_kernel`` without pauses: ``I(P(start) + amount)``, the start itself for a zero amount."""
    missing = (starts == NAT) | (amounts == NAT)
    any_missing = bool(missing.any())
    if any_missing:
        starts = np.where(missing, 0, starts)
        amounts = np.where(missing, 0, amounts)
    result = clock.instant(clock.position(starts) + amounts)
    if not bool(amounts.all()):
        np.maximum(result, starts, out=result)
    if any_missing:
        result[missing] = NAT
    return result
