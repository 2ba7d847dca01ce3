"""Per-case arrays every indicator reads: integer instants, due times (through georeport.sla), pauses.

Instants are int64 nanoseconds since the epoch (UTC); ``NAT`` (the smallest
int64) marks what did not happen. Due times come from ``georeport.sla``
(``Target.due_many``) with the lifecycle's clock pauses, a pause still running
at the as-of time taken to end there.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

import attrs
import numpy as np
from numpy.typing import NDArray

from georeport.errors import ValidationError
from georeport.sla import BusinessCalendar, Target
from georeport.stats.cases import OPEN, CaseTable
from georeport.stats.options import StatsOptions

__all__ = ["DAY", "HOUR", "NAT", "Timing", "ints", "pause_matrix", "paused_ns", "service_rules"]

DAY: Final = 86_400e9
"""Nanoseconds in a day (24 hours)."""
HOUR: Final = 3_600e9
"""Nanoseconds in an hour."""
NAT: Final = np.iinfo(np.int64).min
"""The integer of ``NaT``."""


def ints(instants: NDArray[np.datetime64]) -> NDArray[np.int64]:
    return instants.astype("datetime64[ns]").view(np.int64)


def pause_matrix(table: CaseTable, as_of: int) -> tuple[NDArray[np.datetime64], NDArray[np.datetime64]]:
    """Pauses as (cases, k) arrays for georeport.sla; a pause still running ends at ``as_of``."""
    size = len(table)
    rows = table.pause_case
    if rows.size == 0:
        empty = np.zeros((size, 0), dtype="datetime64[ns]")
        return empty, empty
    order = np.lexsort((ints(table.pause_start), rows))
    rows = rows[order]
    counts = np.bincount(rows, minlength=size)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    column = np.arange(rows.size) - first[rows]
    starts = np.full((size, int(counts.max())), NAT, dtype=np.int64)
    ends = starts.copy()
    starts[rows, column] = ints(table.pause_start)[order]
    pause_ends = ints(table.pause_end)[order]
    ends[rows, column] = np.where(pause_ends == NAT, as_of, pause_ends)
    return starts.view("datetime64[ns]"), ends.view("datetime64[ns]")


def paused_ns(table: CaseTable, stops: NDArray[np.int64], as_of: int) -> NDArray[np.int64]:
    """Calendar time each case was paused between its request and ``stops`` (``as_of`` where NaT)."""
    size = len(table)
    if table.pause_case.size == 0:
        return np.zeros(size, dtype=np.int64)
    rows = table.pause_case
    stop = np.where(stops[rows] == NAT, as_of, stops[rows])
    start = np.maximum(ints(table.pause_start), ints(table.requested)[rows])
    end = ints(table.pause_end)
    end = np.minimum(np.where(end == NAT, as_of, end), stop)
    overlap = np.maximum(end - start, 0)
    return np.bincount(rows, weights=overlap.astype(np.float64), minlength=size).astype(np.int64)


@attrs.frozen(eq=False)
class Timing:
    """The per-case arrays every indicator reads, for a table at its as-of time."""

    table: CaseTable
    as_of: int
    requested: NDArray[np.int64]
    closed: NDArray[np.int64]
    first_closed: NDArray[np.int64]
    responded: NDArray[np.int64]
    is_open: NDArray[np.bool_]
    duplicate: NDArray[np.bool_]
    timed: NDArray[np.bool_]
    """Usable in timing figures: not closed before created, a close time known, and (by default) not a duplicate."""
    due: NDArray[np.int64]
    """The resolution due time (NaT without a target)."""
    response_due: NDArray[np.int64]
    """The response due time (NaT without a target)."""

    @classmethod
    def of(cls, table: CaseTable, options: StatsOptions, as_of: int) -> Timing:
        """Derive the arrays (due times through georeport.sla, with pauses)."""
        requested = ints(table.requested)
        closed = ints(table.closed)
        duplicate = table.is_duplicate
        closed_before = (closed != NAT) & (closed < requested)
        timed = ~closed_before & ~table.close_unknown
        if not options.include_duplicates:
            timed &= ~duplicate
        pauses = pause_matrix(table, as_of)
        return cls(
            table,
            as_of,
            requested,
            closed,
            ints(table.first_closed),
            ints(table.first_response),
            table.reason == OPEN,
            duplicate,
            timed,
            _due(table, options, "resolution", pauses),
            _due(table, options, "response", pauses),
        )


def service_rules(
    table: CaseTable, options: StatsOptions, which: str
) -> list[tuple[NDArray[np.intp], Target | None, BusinessCalendar | None]]:
    """The rows of each service with their ``which`` (``resolution``/``response``) target and calendar.

    With ``options.policies`` each service takes its ``SlaPolicy`` (target and calendar);
    otherwise the per-service targets, then the default, on ``options.calendar``.
    """
    service = table.dimensions["service"]
    codes = service.codes
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(-1, len(service.labels) + 1))
    out: list[tuple[NDArray[np.intp], Target | None, BusinessCalendar | None]] = []
    default = options.resolution_target if which == "resolution" else options.response_target
    by_service = options.resolution_targets if which == "resolution" else options.response_targets
    for code in range(-1, len(service.labels)):
        rows = order[bounds[code + 1] : bounds[code + 2]]
        if rows.size == 0:
            continue
        label = service.label(code) if code >= 0 else None
        if options.policies is not None:
            policy = options.policies.policy_for(label)
            if policy is None:
                out.append((rows, None, None))
                continue
            out.append((rows, policy.resolution if which == "resolution" else policy.response, policy.calendar))
            continue
        target = by_service.get(label, default) if label is not None else default
        out.append((rows, target, options.calendar))
    return out


def _due(
    table: CaseTable,
    options: StatsOptions,
    which: str,
    pauses: tuple[NDArray[np.datetime64], NDArray[np.datetime64]],
) -> NDArray[np.int64]:
    size = len(table)
    due = np.full(size, NAT, dtype=np.int64)
    for rows, target, calendar in service_rules(table, options, which):
        if target is None:
            continue
        if target.kind.value == "calendar" and pauses[0].shape[1] == 0 and isinstance(target.amount, timedelta):
            # Calendar time without pauses: the due time is the start plus the amount, exactly.
            due[rows] = ints(table.requested[rows]) + target.amount // timedelta(microseconds=1) * 1000
            continue
        clock = calendar
        if clock is None:
            if target.kind.value != "calendar":
                raise ValidationError("calendar", None, f"a BusinessCalendar for the target {target}")
            clock = BusinessCalendar.always("UTC")
        due[rows] = ints(
            target.due_many(table.requested[rows], clock, pause_starts=pauses[0][rows], pause_ends=pauses[1][rows])
        )
    return due
