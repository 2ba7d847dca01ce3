"""Targets: how long a service level agreement gives, and when that time is up.

Three kinds, each a clock and an amount:

* ``Target.calendar(timedelta(days=30))``: real elapsed time; every
  nanosecond counts, nights and holidays included (the calendar only names
  the zone the result is shown in).
* ``Target.business_hours(8)``: working time on the calendar. The due time is
  the earliest instant by which that much working time has passed since the
  start; it ends on a working instant (a target reached at 17:00 sharp is due
  at 17:00, not at 09:00 the next day).
* ``Target.business_days(5)``: the end of the N-th working day after the
  local day of the start. The day of the start is day 0 whether or not it is a
  working day or the request came before opening; day 1 is the next working
  day. The due time is the close of that day's last working interval.

Paused time never counts: a pause pushes the due time by the working time
(calendar time, for a calendar target) it covers. For a business-days target
the amount is the working time from the start to its unpaused due time.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from georeport.errors import ValidationError
from georeport.sla._instants import (
    NAT,
    Int64Array,
    bounds,
    check_range,
    from_ns,
    ns_array,
    ns_duration,
    pause_list,
    pause_matrix,
    to_datetime64,
    to_ns,
    to_timedelta64,
)
from georeport.sla._scalar import due_one, elapsed_one, nth_close_one
from georeport.sla._vector import Clock, IdentityClock, due_kernel
from georeport.sla.calendar import BusinessCalendar
from georeport.sla.errors import CalendarError, PausedClockError

__all__ = ["Target", "TargetKind"]

_MAX = np.iinfo(np.int64).max
_IDENTITY = IdentityClock()


class TargetKind(enum.StrEnum):
    """What a target's amount measures."""

    CALENDAR = "calendar"
    """Real elapsed time (``timedelta``)."""
    BUSINESS_HOURS = "business_hours"
    """Working time on the calendar (``timedelta``)."""
    BUSINESS_DAYS = "business_days"
    """The close of the N-th working day after the start's day (``int``)."""


LONGEST = timedelta(days=50 * 365)
"""The longest target: fifty years (instants are int64 nanoseconds; no SLA runs longer)."""


def _amount(instance: Target, attribute: attrs.Attribute[Any], value: object) -> None:
    del attribute
    if instance.kind is TargetKind.BUSINESS_DAYS:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= LONGEST.days:
            raise ValidationError("days", value, f"a whole number of business days, from 1 to {LONGEST.days}")
    elif not isinstance(value, timedelta) or not timedelta(0) <= value <= LONGEST:
        raise ValidationError("amount", value, "a duration (timedelta) from zero to fifty years")


@attrs.frozen
class Target:
    """How long a case may take, on a clock; build one with ``calendar``, ``business_hours`` or ``business_days``.

    Examples:
        >>> from zoneinfo import ZoneInfo
        >>> chicago = ZoneInfo("America/Chicago")
        >>> hours = BusinessCalendar(zone=chicago, hours={"weekdays": "09:00-17:00"})
        >>> Target.business_hours(8).due(datetime(2024, 3, 8, 13, tzinfo=chicago), hours).isoformat()
        '2024-03-11T13:00:00-05:00'
        >>> Target.business_days(1).due(datetime(2024, 3, 9, 10, tzinfo=chicago), hours).isoformat()
        '2024-03-11T17:00:00-05:00'
        >>> Target.business_hours(-1)
        Traceback (most recent call last):
        ...
        georeport.errors.ValidationError: 'amount' must be a duration (timedelta) no shorter than zero (got datetime.timedelta(days=-1, seconds=82800))
    """

    kind: TargetKind = attrs.field(converter=TargetKind)
    amount: timedelta | int = attrs.field(validator=_amount)

    @classmethod
    def calendar(cls, duration: timedelta) -> Target:
        """Real elapsed time, nights, weekends and holidays included."""
        return cls(TargetKind.CALENDAR, duration)

    @classmethod
    def business_hours(cls, hours: float | timedelta) -> Target:
        """Working time: a number of hours (rounded to the microsecond) or a ``timedelta``."""
        if isinstance(hours, bool) or not isinstance(hours, int | float | timedelta):
            raise ValidationError("hours", hours, "a number of hours or a timedelta")
        if not isinstance(hours, timedelta):
            if not math.isfinite(hours):
                raise ValidationError("hours", hours, "a finite number of hours")
            hours = timedelta(hours=hours)
        return cls(TargetKind.BUSINESS_HOURS, hours)

    @classmethod
    def business_days(cls, days: int) -> Target:
        """The end of the N-th working day after the day of the start (N >= 1)."""
        return cls(TargetKind.BUSINESS_DAYS, days)

    @classmethod
    def parse(cls, value: object) -> Target:
        """A target from its declaration: ``{"business_hours": 8}``, ``{"business_days": 5}``, ``{"days": 30}``, ``{"hours": 48}``.

        ``days``/``hours`` are calendar time. See ``docs/sla.md``.

        Raises:
            CalendarError: not one of these shapes.
        """
        if isinstance(value, Target):
            return value
        if not isinstance(value, dict) or len(value) != 1:
            raise CalendarError(
                "a target is one of {business_hours = H}, {business_days = N}, {days = D}, {hours = H} "
                f"(got {value!r})"
            )
        ((key, amount),) = value.items()
        try:
            if key == "business_hours":
                return cls.business_hours(amount)
            if key == "business_days":
                return cls.business_days(amount)
            if key in {"days", "hours"} and isinstance(amount, int | float) and not isinstance(amount, bool):
                return cls.calendar(timedelta(**{key: amount}))
        except ValidationError as error:
            raise CalendarError(str(error), keys=(str(key),)) from error
        raise CalendarError(
            f"unknown target {key!r} = {amount!r} (business_hours, business_days, days or hours)", keys=(str(key),)
        )

    def to_dict(self) -> dict[str, float | int]:
        """The declaration ``parse`` reads back."""
        if isinstance(self.amount, int):
            return {"business_days": self.amount}
        hours = self.amount / timedelta(hours=1)
        number: float | int = int(hours) if hours == int(hours) else hours
        if self.kind is TargetKind.BUSINESS_HOURS:
            return {"business_hours": number}
        days = self.amount / timedelta(days=1)
        return {"days": int(days)} if days == int(days) else {"hours": number}

    def __str__(self) -> str:
        if isinstance(self.amount, int):
            return f"{self.amount} business day{'s' if self.amount != 1 else ''}"
        hours = self.amount / timedelta(hours=1)
        if self.kind is TargetKind.BUSINESS_HOURS:
            return f"{hours:g} business hours"
        return f"{self.amount.days} days" if self.amount == timedelta(days=self.amount.days) else f"{hours:g} hours"

    # --- the computations -------------------------------------------------------------------

    def due(
        self,
        start: datetime,
        calendar: BusinessCalendar,
        *,
        pauses: Sequence[Any] = (),
        as_of: datetime | None = None,
    ) -> datetime:
        """When the target is reached for a case that started at ``start``: an aware datetime in the calendar's zone.

        Args:
            start: when the clock started (an aware datetime).
            calendar: the business calendar (for a calendar target, only its zone is used).
            pauses: ``georeport.lifecycle.Pause`` objects or ``(start, end)`` pairs; paused time
                does not count and pushes the due time.
            as_of: the instant a pause still running (end None) is taken to end at.

        Raises:
            georeport.ValidationError: a naive datetime, a pause ending before it starts.
            PausedClockError: a pause is still running before the target is reached and no ``as_of`` was given.
            CalendarError: the due time falls outside the years 1900-2100.
        """
        start_ns = to_ns(start, "start")
        as_of_ns = None if as_of is None else to_ns(as_of, "as_of")
        result = self._due_one(start_ns, calendar, pause_list(pauses, as_of=as_of_ns))
        if result is None:
            raise PausedClockError("the clock is paused and the target not yet reached: pass as_of= (now)")
        check_range(result, "a due time")
        return from_ns(result, calendar.zone)

    def _due_one(self, start: int, calendar: BusinessCalendar, pauses: list[tuple[int, int | None]]) -> int | None:
        """The scalar kernel's due time (None: still paused), the table extended as needed."""
        if isinstance(self.amount, timedelta) and self.kind is TargetKind.CALENDAR:
            return due_one(None, start, ns_duration(self.amount), pauses)
        highest = max([start, *(begin for begin, _ in pauses), *(end for _, end in pauses if end is not None)])
        table = calendar._table(start, highest)
        while True:
            if isinstance(self.amount, int):
                close = nth_close_one(table, start, self.amount)
                if close == _MAX:
                    table = calendar._extended(table)
                    continue
                if not pauses:
                    return close
                amount = elapsed_one(table, start, close, ())
            else:
                amount = ns_duration(self.amount)
            result = due_one(table, start, amount, pauses)
            if result != _MAX:
                return result
            table = calendar._extended(table)

    def due_many(
        self,
        starts: npt.ArrayLike,
        calendar: BusinessCalendar,
        *,
        pause_starts: npt.ArrayLike | None = None,
        pause_ends: npt.ArrayLike | None = None,
    ) -> npt.NDArray[np.datetime64]:
        """``due`` over an array: ``datetime64`` UTC instants in, ``datetime64[ns]`` UTC due times out.

        Args:
            starts: instants (NaT gives NaT).
            calendar: the business calendar.
            pause_starts: optional pauses, shape (n,) or (n, k) (NaT where a case has fewer).
            pause_ends: their ends; a NaT end is a pause still running: the case's due time is NaT
                unless the target is reached before that pause starts.

        Raises:
            georeport.ValidationError: not a datetime64 array, pauses of the wrong shape or backwards.
            CalendarError: an instant outside the years 1900-2100.
        """
        ints = ns_array(starts, "starts")
        shape = ints.shape
        ints = ints.ravel()
        if pause_starts is None or pause_ends is None:
            starts_matrix = ends_matrix = np.full((ints.size, 0), NAT, np.int64)
        else:
            starts_matrix, ends_matrix = pause_matrix(pause_starts, pause_ends, ints.size)
        return to_datetime64(self._due(ints, calendar, starts_matrix, ends_matrix).reshape(shape))

    def elapsed(
        self,
        start: datetime,
        end: datetime,
        calendar: BusinessCalendar,
        *,
        pauses: Sequence[Any] = (),
    ) -> timedelta:
        """Time counted by this target's clock from ``start`` to ``end``, pauses excluded.

        Calendar targets count real time; the others count the calendar's working time.

        Raises:
            georeport.ValidationError: a naive datetime, or ``end`` before ``start``.
        """
        if self.kind is not TargetKind.CALENDAR:
            return calendar.elapsed(start, end, pauses=pauses)
        a, b = to_ns(start, "start"), to_ns(end, "end")
        if b < a:
            raise ValidationError("end", end, f"no earlier than the start {start.isoformat()}")
        return timedelta(microseconds=elapsed_one(None, a, b, pause_list(pauses, as_of=None)) // 1000)

    def allowance(self, start: datetime, calendar: BusinessCalendar) -> timedelta:
        """The time this target allows a case started at ``start``, on its clock (see ``elapsed``).

        For business days it depends on the start: the working time from the start to its due time.
        """
        if isinstance(self.amount, timedelta):
            return self.amount
        return calendar.elapsed(start, self.due(start, calendar))

    def allowance_many(self, starts: npt.ArrayLike, calendar: BusinessCalendar) -> npt.NDArray[np.timedelta64]:
        """``allowance`` over an array of ``datetime64`` instants (NaT gives NaT)."""
        ints = ns_array(starts, "starts")
        if isinstance(self.amount, timedelta):
            return to_timedelta64(np.where(ints == NAT, NAT, ns_duration(self.amount)).astype(np.int64))
        return to_timedelta64(self._amounts(ints.ravel(), calendar).reshape(ints.shape))

    def _clock_for(self, calendar: BusinessCalendar, lowest: int, highest: int) -> Clock:
        return _IDENTITY if self.kind is TargetKind.CALENDAR else calendar._table(lowest, highest)

    def _amounts(self, starts: Int64Array, calendar: BusinessCalendar) -> Int64Array:
        """The working time allowed each start (NAT for NaT)."""
        if isinstance(self.amount, timedelta):
            return np.where(starts == NAT, NAT, ns_duration(self.amount)).astype(np.int64)
        low, high = bounds(starts)
        if low is None or high is None:
            return np.full(starts.shape, NAT, np.int64)
        table = calendar._table(low, high)
        while True:
            safe = np.where(starts == NAT, low, starts)
            closes = table.nth_close(safe, self.amount)
            if not np.any(closes == _MAX):
                break
            table = calendar._extended(table)
        result = table.position(closes) - table.position(safe)
        return np.where(starts == NAT, NAT, result)

    def _due(
        self, starts: Int64Array, calendar: BusinessCalendar, pause_starts: Int64Array, pause_ends: Int64Array
    ) -> Int64Array:
        low, high = bounds(starts)
        if low is None or high is None:
            return np.full(starts.shape, NAT, np.int64)
        lowest, highest = low, high
        for matrix in (pause_starts, pause_ends):
            latest = bounds(matrix)[1]
            highest = highest if latest is None else max(highest, latest)
        if self.kind is TargetKind.BUSINESS_DAYS and pause_starts.shape[1] == 0:
            return self._business_days_due(starts, calendar, lowest, highest)
        amounts = self._amounts(starts, calendar)
        clock = self._clock_for(calendar, lowest, highest)
        while True:
            result = due_kernel(clock, starts, amounts, pause_starts, pause_ends)
            if not np.any(result == _MAX):
                break
            clock = calendar._extended(calendar._table(lowest, highest))
        latest = bounds(result)[1]
        if latest is not None:
            check_range(latest, "a due time")
        return result

    def _business_days_due(
        self, starts: Int64Array, calendar: BusinessCalendar, lowest: int, highest: int
    ) -> Int64Array:
        """The fast path without pauses: the close of the N-th working day, one ``searchsorted``."""
        assert isinstance(self.amount, int)  # noqa: S101 - the kind says so
        table = calendar._table(lowest, highest)
        safe = np.where(starts == NAT, lowest, starts)
        while True:
            closes = table.nth_close(safe, self.amount)
            if not np.any(closes == _MAX):
                return np.where(starts == NAT, NAT, closes)
            table = calendar._extended(table)
