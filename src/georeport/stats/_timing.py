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

__all__ = ["DAY", "HOUR", "NAT", "Rule", "Timing", "ints", "pause_matrix", "paused_ns", "rules", "service_rules"]

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
    rules: list[Rule]
    """The cases grouped by their targets and calendar (``rules``)."""

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
        groups = rules(table, options)
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
            _due(table, groups, "resolution", pauses),
            _due(table, groups, "response", pauses),
            groups,
        )


@attrs.frozen(eq=False)
class Rule:
    """The rows that share one set of targets and one calendar (one ``SlaPolicy``, or the plain options)."""

    rows: NDArray[np.intp]
    resolution: Target | None
    response: Target | None
    calendar: BusinessCalendar | None

    def target(self, which: str) -> Target | None:
        """The ``resolution`` or ``response`` target."""
        return self.resolution if which == "resolution" else self.response


def _rows_by_key(keys: NDArray[np.int64], count: int) -> list[tuple[int, NDArray[np.intp]]]:
    """For each key present (``0 <= key < count``), its rows."""
    small = keys.astype(np.int16) if count < np.iinfo(np.int16).max else keys
    order = np.argsort(small, kind="stable")  # numpy sorts 16-bit integers by radix sort: linear time
    bounds = np.concatenate(([0], np.cumsum(np.bincount(keys, minlength=count))))
    return [(key, order[bounds[key] : bounds[key + 1]]) for key in range(count) if bounds[key + 1] > bounds[key]]


def rules(table: CaseTable, options: StatsOptions) -> list[Rule]:
    """The cases grouped by the targets and calendar that apply to them.

    With ``options.policies`` each case takes the ``SlaPolicy`` of its service in its
    jurisdiction (``PolicyBook.policy_for``: service in jurisdiction, service anywhere,
    jurisdiction, default), the jurisdiction being the table's ``jurisdiction`` dimension
    (``jurisdiction_id`` or ``routed_jurisdiction_id``); cases under one policy form one
    rule, so each policy's due times take one ``due_many``. Without a book: the
    per-service targets, then the defaults, on ``options.calendar``.
    """
    service = table.dimensions["service"]
    services = len(service.labels) + 1
    place = table.dimensions.get("jurisdiction")
    places = 1 if place is None or options.policies is None else len(place.labels) + 1
    keys = service.codes.astype(np.int64) + 1
    if place is not None and places > 1:
        keys = keys * places + place.codes + 1
    merged: dict[tuple[int, int, int], tuple[Rule, list[NDArray[np.intp]]]] = {}
    for key, rows in _rows_by_key(keys, services * places):
        code, where = divmod(key, places)
        label = service.label(code - 1) if code > 0 else None
        if options.policies is not None:
            jurisdiction = place.label(where - 1) if place is not None and where > 0 else None
            policy = options.policies.policy_for(label, jurisdiction=jurisdiction)
            if policy is None:
                rule = Rule(rows=rows, resolution=None, response=None, calendar=None)
            else:
                rule = Rule(rows=rows, resolution=policy.resolution, response=policy.response, calendar=policy.calendar)
        else:
            resolution = options.resolution_targets.get(label, options.resolution_target) if label else None
            response = options.response_targets.get(label, options.response_target) if label else None
            rule = Rule(
                rows=rows,
                resolution=options.resolution_target if label is None else resolution,
                response=options.response_target if label is None else response,
                calendar=options.calendar,
            )
        identity = (id(rule.resolution), id(rule.response), id(rule.calendar))
        merged.setdefault(identity, (rule, []))[1].append(rows)
    return [
        attrs.evolve(rule, rows=parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts)))
        for rule, parts in merged.values()
    ]


def service_rules(
    table: CaseTable, options: StatsOptions, which: str
) -> list[tuple[NDArray[np.intp], Target | None, BusinessCalendar | None]]:
    """The rows of each rule with their ``which`` (``resolution``/``response``) target and calendar (see ``rules``)."""
    return [(rule.rows, rule.target(which), rule.calendar) for rule in rules(table, options)]


def _due(
    table: CaseTable,
    groups: list[Rule],
    which: str,
    pauses: tuple[NDArray[np.datetime64], NDArray[np.datetime64]],
) -> NDArray[np.int64]:
    size = len(table)
    due = np.full(size, NAT, dtype=np.int64)
    for rule in groups:
        rows, target, calendar = rule.rows, rule.target(which), rule.calendar
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
