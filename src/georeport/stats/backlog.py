"""The backlog reproduced from history: a series of opened, closed and open per period, and open ages.

A request is open during each of its open intervals (from receipt to a close,
and again from a reopening to the next close), so the backlog at any past
date is the number of intervals covering it: the series is exact for any
past date, not the current backlog carried back.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from georeport.stats._timing import DAY, NAT, Timing, ints
from georeport.stats.cases import CaseTable
from georeport.stats.grouping import Grouper, Period, PeriodKind, to_instant
from georeport.stats.options import StatsOptions
from georeport.stats.report import AgeBucket, BacklogPoint

__all__ = ["age_buckets", "backlog_series", "bucket_labels"]


def backlog_series(table: CaseTable, grouper: Grouper, options: StatsOptions) -> list[BacklogPoint]:
    """Per base group (the dimensions without the period) and period: opened, closed, open at the end.

    The periods are the report's, or months in the report's zone when it has none.
    ``closed`` counts close events (a request closed, reopened and closed again counts twice).
    """
    period = grouper.period or Period(kind=PeriodKind.MONTH, timezone=options.as_of.tzinfo or UTC)
    first = options.as_of
    if len(table):
        first = datetime.fromtimestamp(int(table.requested.min().astype(np.int64)) / 1e9, tz=UTC)
    starts, labels = period.boundaries(first, options.as_of)
    edges = np.array([to_instant(start) for start in starts], dtype="datetime64[ns]").view(np.int64)
    nbase, nperiods = len(grouper.base_groups), len(labels)
    base = grouper.base
    span_rows = table.span_case
    span_start, span_end = ints(table.span_start), ints(table.span_end)
    # A close recorded before its request (bad data, listed in the data-quality table) ends the
    # interval where it began: it never makes the backlog negative.
    backwards = (span_end != NAT) & (span_end < span_start)
    span_end = np.where(backwards, span_start, span_end)

    def per_period(instants: np.ndarray, rows: np.ndarray) -> np.ndarray:
        index = np.searchsorted(edges, instants, side="right") - 1
        ok = (instants != NAT) & (index >= 0) & (index < nperiods)
        return np.bincount(base[rows[ok]] * nperiods + index[ok], minlength=nbase * nperiods)

    simple = span_rows.size == len(table) and bool(np.all(span_rows == np.arange(len(table)))) and not backwards.any()
    if grouper.period is not None and simple:
        # One open interval per case, from receipt to close: the grouper already placed both ends
        # (its codes are base * periods + period, the same cells as here).
        size = nbase * nperiods
        opened = np.bincount(grouper.received[grouper.received >= 0], minlength=size)
        closed = np.bincount(grouper.closed[grouper.closed >= 0], minlength=size)
        begun_counts = opened
    else:
        opened = per_period(ints(table.requested), np.arange(len(table)))
        closed = per_period(span_end, span_rows)
        begun_counts = per_period(span_start, span_rows)
    points: list[BacklogPoint] = []
    # Open at a period's end = intervals begun by then - intervals ended by then (an interval ends after it begins).
    begun = begun_counts.reshape(nbase, nperiods).cumsum(axis=1)
    open_at = begun - closed.reshape(nbase, nperiods).cumsum(axis=1)
    for group in range(nbase):
        for index, label in enumerate(labels):
            code = group * nperiods + index
            points.append(
                BacklogPoint(
                    group=grouper.base_groups[group],
                    period=label,
                    start=starts[index],
                    end=starts[index + 1],
                    opened=int(opened[code]),
                    closed=int(closed[code]),
                    backlog=int(open_at[group, index]),
                )
            )
    return points


def bucket_labels(bounds: tuple[float, ...]) -> list[tuple[str, float, float | None]]:
    """Labels and ranges of the open-age buckets for upper ``bounds`` in days.

    Examples:
        >>> [label for label, _, _ in bucket_labels((7, 30, 90))]
        ['0-7', '8-30', '31-90', '>90']
    """
    out: list[tuple[str, float, float | None]] = []
    low = 0.0
    for bound in bounds:
        out.append((f"{low:g}-{bound:g}", low, float(bound)))
        low = float(bound) + 1
    out.append((f">{bounds[-1]:g}" if bounds else ">0", low, None))
    return out


def age_buckets(table: CaseTable, timing: Timing, grouper: Grouper, options: StatsOptions) -> list[AgeBucket]:
    """How many requests open at the as-of time fall in each age bucket, per base group.

    Ages are whole days since receipt (``floor((as_of - requested) / 24 h)``), so a
    request received 7.5 days ago is 7 days old and falls in ``0-7``.
    """
    nbase = len(grouper.base_groups)
    counted = timing.is_open & (~timing.duplicate | options.include_duplicates)
    ages = np.floor((timing.as_of - timing.requested) / DAY)
    bounds = np.array(options.age_buckets, dtype=np.float64)
    bucket = np.searchsorted(bounds, ages, side="left")
    nbuckets = bounds.size + 1
    counts = np.bincount(grouper.base[counted] * nbuckets + bucket[counted], minlength=nbase * nbuckets).reshape(
        nbase, nbuckets
    )
    labels = bucket_labels(options.age_buckets)
    del table
    return [
        AgeBucket(group=grouper.base_groups[group], label=label, low=low, high=high, count=int(counts[group, index]))
        for group in range(nbase)
        for index, (label, low, high) in enumerate(labels)
    ]
