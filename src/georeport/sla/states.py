"""Where a case stands against one target: due time, elapsed, remaining, state.

The state, at an instant ``as_of``:

* a case completed (responded to, or resolved) is ``met`` when it completed
  no later than its due time, else ``missed``;
* an open case is ``breached`` once ``as_of`` is after its due time;
* otherwise it is ``at_risk`` when the time it has used is at least
  ``at_risk`` (a fraction, 0.8 by default) of the time it is allowed, both on
  the target's clock with pauses excluded, and ``on_track`` before that.

A pause still running at ``as_of`` (or at completion) is taken to end there.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from georeport.errors import ValidationError
from georeport.sla._instants import NAT, Int64Array, ns_array, pause_matrix, to_datetime64, to_ns, to_timedelta64
from georeport.sla._vector import elapsed_kernel
from georeport.sla.calendar import BusinessCalendar
from georeport.sla.targets import _IDENTITY, Target, TargetKind

__all__ = ["DEFAULT_AT_RISK", "SlaState", "TargetStatus", "TargetStatusArrays", "status", "status_many"]

DEFAULT_AT_RISK = 0.8
"""The share of the allowed time after which an open case is at risk."""


class SlaState(enum.StrEnum):
    """Where a case stands against a target."""

    ON_TRACK = "on_track"
    """Open, due later, less than the at-risk share of its time used."""
    AT_RISK = "at_risk"
    """Open, due later (or now), at least the at-risk share of its time used."""
    BREACHED = "breached"
    """Open, and past its due time."""
    MET = "met"
    """Completed no later than its due time."""
    MISSED = "missed"
    """Completed after its due time."""


def _check_share(value: float) -> float:
    candidate: object = value
    if isinstance(candidate, bool) or not isinstance(candidate, int | float) or not 0 < candidate <= 1:
        raise ValidationError("at_risk", value, "a share of the allowed time, above 0 and at most 1")
    return float(value)


@attrs.frozen(kw_only=True)
class TargetStatus:
    """One case against one target at one instant (see the module's rules).

    Attributes:
        target: the target.
        start: when its clock started.
        due: when the target is (or was) reached, pauses included, aware in the calendar's zone.
        completed: when the case completed (responded, resolved), or None while open.
        elapsed: time used on the target's clock, up to ``completed`` or ``as_of``, pauses excluded.
        allowed: time the target allows on its clock.
        state: the ``SlaState``.
    """

    target: Target
    start: datetime
    due: datetime
    completed: datetime | None
    elapsed: timedelta
    allowed: timedelta
    state: SlaState

    @property
    def remaining(self) -> timedelta:
        """``allowed - elapsed``: negative once more time was used than allowed."""
        return self.allowed - self.elapsed


def status(  # noqa: PLR0913 - the case's coordinates
    target: Target,
    start: datetime,
    calendar: BusinessCalendar,
    *,
    as_of: datetime,
    completed: datetime | None = None,
    pauses: Sequence[Any] = (),
    at_risk: float = DEFAULT_AT_RISK,
) -> TargetStatus:
    """Where a case started at ``start`` stands against ``target`` at ``as_of``.

    Args:
        target: the target.
        start: when the clock started.
        calendar: the business calendar.
        as_of: now (an aware datetime, no earlier than ``start``).
        completed: when the case completed, or None while it is open (no earlier than ``start``).
        pauses: ``Pause`` objects or ``(start, end)`` pairs; a running one ends at ``completed``/``as_of``.
        at_risk: the at-risk share (0 < share <= 1).

    Raises:
        georeport.ValidationError: naive datetimes, ``as_of`` or ``completed`` before ``start``, a bad share.
    """
    share = _check_share(at_risk)
    start_ns, as_of_ns = to_ns(start, "start"), to_ns(as_of, "as_of")
    if as_of_ns < start_ns:
        raise ValidationError("as_of", as_of, f"no earlier than the start {start.isoformat()}")
    end = as_of
    if completed is not None:
        if to_ns(completed, "completed") < start_ns:
            raise ValidationError("completed", completed, f"no earlier than the start {start.isoformat()}")
        end = completed
    closed: list[tuple[datetime, datetime]] = []
    for pause in pauses:
        begin, finish = (pause.start, pause.end) if hasattr(pause, "start") else pause
        if finish is None:  # still running: it ends at the completion or now, if it began by then
            finish = end if to_ns(end, "end") >= to_ns(begin, "pause start") else begin
        closed.append((begin, finish))
    due = target.due(start, calendar, pauses=closed)
    elapsed = target.elapsed(start, end, calendar, pauses=closed)
    allowed = target.allowance(start, calendar)
    if completed is not None:
        state = SlaState.MET if to_ns(completed, "completed") <= to_ns(due, "due") else SlaState.MISSED
    elif as_of_ns > to_ns(due, "due"):
        state = SlaState.BREACHED
    elif _at_risk(elapsed, allowed, share):
        state = SlaState.AT_RISK
    else:
        state = SlaState.ON_TRACK
    return TargetStatus(
        target=target, start=start, due=due, completed=completed, elapsed=elapsed, allowed=allowed, state=state
    )


def _at_risk(elapsed: timedelta, allowed: timedelta, share: float) -> bool:
    """``elapsed >= share * allowed``, compared in float64 nanoseconds as the array path does."""
    return (
        float(elapsed // timedelta(microseconds=1) * 1000) >= float(allowed // timedelta(microseconds=1) * 1000) * share
    )


@attrs.frozen(kw_only=True, eq=False)
class TargetStatusArrays:
    """``status`` over arrays: one entry per case (see ``status_many``).

    Attributes:
        due: ``datetime64[ns]`` UTC due times (NaT where the start is NaT).
        elapsed: ``timedelta64[ns]`` time used, pauses excluded.
        allowed: ``timedelta64[ns]`` time allowed.
        state: the ``SlaState`` values as a numpy string array (``""`` where the start is NaT).
    """

    due: npt.NDArray[np.datetime64]
    elapsed: npt.NDArray[np.timedelta64]
    allowed: npt.NDArray[np.timedelta64]
    state: npt.NDArray[np.str_]

    @property
    def remaining(self) -> npt.NDArray[np.timedelta64]:
        """``allowed - elapsed`` (NaT where unknown)."""
        return self.allowed - self.elapsed

    def __len__(self) -> int:
        return int(self.due.size)


def status_many(  # noqa: PLR0913 - the cases' coordinates
    target: Target,
    starts: npt.ArrayLike,
    calendar: BusinessCalendar,
    *,
    as_of: datetime | npt.ArrayLike,
    completed: npt.ArrayLike | None = None,
    pause_starts: npt.ArrayLike | None = None,
    pause_ends: npt.ArrayLike | None = None,
    at_risk: float = DEFAULT_AT_RISK,
) -> TargetStatusArrays:
    """``status`` for many cases: ``datetime64`` UTC arrays in, a ``TargetStatusArrays`` out.

    Args:
        target: the target.
        starts: when each clock started (NaT: the case is skipped, its entries NaT and ``""``).
        calendar: the business calendar.
        as_of: now, one aware datetime or an array.
        completed: when each case completed, NaT while open.
        pause_starts: pauses as in ``Target.due_many``; a running one ends at the completion or ``as_of``.
        pause_ends: their ends.
        at_risk: the at-risk share.

    Raises:
        georeport.ValidationError: bad arrays, ``as_of`` or a completion before its start.
    """
    share = _check_share(at_risk)
    start_ns = ns_array(starts, "starts").ravel()
    size = start_ns.size
    if isinstance(as_of, datetime):
        now = np.full(size, to_ns(as_of, "as_of"), np.int64)
    else:
        now = np.broadcast_to(ns_array(as_of, "as_of").ravel(), (size,)).copy()
    done = np.full(size, NAT, np.int64) if completed is None else ns_array(completed, "completed").ravel()
    if done.size != size:
        raise ValidationError("completed", f"<array of {done.size}>", f"an array of {size} instants")
    present = start_ns != NAT
    for name, values in (("as_of", now), ("completed", done)):
        wrong = present & (values != NAT) & (values < start_ns)
        if np.any(wrong):
            index = int(np.flatnonzero(wrong)[0])
            raise ValidationError(f"{name}[{index}]", str(to_datetime64(values)[index]), "no earlier than its start")
    end = np.where(done != NAT, done, now)
    if pause_starts is None or pause_ends is None:
        p_starts = p_ends = np.full((size, 0), NAT, np.int64)
    else:
        p_starts, p_ends = pause_matrix(pause_starts, pause_ends, size)
        p_ends = np.where((p_starts != NAT) & (p_ends == NAT), np.maximum(end[:, None], p_starts), p_ends)
    due = target._due(start_ns, calendar, p_starts, p_ends)
    if target.kind is TargetKind.CALENDAR:
        elapsed = elapsed_kernel(_IDENTITY, start_ns, end, p_starts, p_ends)
    else:
        elapsed = calendar._elapsed(start_ns, end, p_starts, p_ends)
    allowed = target._amounts(start_ns, calendar)
    state = _states(present & (end != NAT), done, now, due, elapsed, allowed, share)
    return TargetStatusArrays(
        due=to_datetime64(due), elapsed=to_timedelta64(elapsed), allowed=to_timedelta64(allowed), state=state
    )


def _states(  # noqa: PLR0913
    present: npt.NDArray[np.bool_],
    done: Int64Array,
    now: Int64Array,
    due: Int64Array,
    elapsed: Int64Array,
    allowed: Int64Array,
    share: float,
) -> npt.NDArray[np.str_]:
    state = np.full(present.shape, "", dtype="<U8")
    closed = present & (done != NAT)
    opened = present & (done == NAT)
    state[closed & (done <= due)] = SlaState.MET.value
    state[closed & (done > due)] = SlaState.MISSED.value
    breached = opened & (now > due)
    state[breached] = SlaState.BREACHED.value
    # float64, exactly as the scalar path compares
    risky = opened & ~breached & (elapsed.astype(np.float64) >= allowed.astype(np.float64) * share)
    state[risky] = SlaState.AT_RISK.value
    state[opened & ~breached & ~risky] = SlaState.ON_TRACK.value
    return state
