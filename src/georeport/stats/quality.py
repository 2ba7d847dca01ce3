"""The data-quality table: what looks wrong in the data, how much of it, and what the statistics did with it.

Nothing is dropped silently: every request a figure leaves out is counted
here with the treatment it got. Same-day closes are counted as closes (fast
work is work); closes within a few minutes of creation are listed because
they are often bulk clean-ups, but they are kept.
"""

from __future__ import annotations

import numpy as np

from georeport.stats._timing import NAT, Timing, ints
from georeport.stats.cases import CLOSED_UNKNOWN_REASON, CaseTable
from georeport.stats.grouping import to_instant
from georeport.stats.options import StatsOptions
from georeport.stats.report import QualityRow

__all__ = ["quality_rows"]


def quality_rows(
    table: CaseTable, current: CaseTable, timing: Timing, options: StatsOptions, *, followed: int = 0
) -> list[QualityRow]:
    """The data-quality table for ``table`` (as given) and ``current`` (the same at the as-of time).

    ``followed`` is the number of open duplicate children closed with their original.

    Every check is always listed, with a count of 0 when nothing was found.
    """
    as_of = int(to_instant(options.as_of).astype(np.int64))
    requested = ints(table.requested)
    closed = ints(table.closed)
    later_events = (
        (ints(table.closed) > as_of)
        | (ints(table.first_response) > as_of)
        | (ints(table.reopened) > as_of)
        | (ints(table.first_closed) > as_of)
    ) & (requested <= as_of)
    quick = timing.closed != NAT
    quick &= (timing.closed >= timing.requested) & (
        timing.closed - timing.requested <= int(options.quick_close_minutes * 60e9)
    )
    closed_before = (timing.closed != NAT) & (timing.closed < timing.requested)
    channel = current.dimensions["channel"]
    area = current.dimensions["area"]
    no_target = np.zeros(len(current), dtype=np.bool_)
    if options.has_resolution_target:
        no_target = timing.timed & (timing.due == NAT)
    rows = [
        (
            "requested_after_as_of",
            "Received after the as-of time",
            int((requested > as_of).sum()),
            "left out of every figure: the report is as things stood at the as-of time",
        ),
        (
            "events_after_as_of",
            "Closed, answered or reopened after the as-of time",
            int(later_events.sum()),
            "kept; those later events are undone (an early close after the as-of time counts as open)",
        ),
        (
            "closed_before_created",
            "Closed before they were created",
            int(closed_before.sum()),
            "kept in volumes and closure counts; left out of timing and on-time figures",
        ),
        (
            "quick_close",
            f"Closed within {options.quick_close_minutes:g} minutes of creation",
            int(quick.sum()),
            "kept and timed as recorded (same-day closes count as closes)",
        ),
        (
            "closed_without_close_time",
            "Closed without any close time",
            int(current.close_unknown.sum()),
            "counted as closed; left out of timing and on-time figures",
        ),
        (
            "proxy_close_time",
            "Close time taken from updated_datetime (no close event)",
            int(current.proxy.sum()),
            "used as a proxy; every figure using it is flagged 'proxy-close-time'",
        ),
        (
            "closed_without_reason",
            "Closed without a known closure reason",
            int((current.reason == CLOSED_UNKNOWN_REASON).sum()),
            "counted as closed, never as resolved",
        ),
        (
            "duplicate_children",
            "Duplicate children",
            int(timing.duplicate.sum()),
            "counted in reports, not incidents; "
            + ("kept in" if options.include_duplicates else "left out of")
            + " timing and on-time denominators",
        ),
        (
            "duplicate_children_following",
            "Duplicate children left open in the data, original closed",
            followed,
            "closed with their original (they follow its state); never counted as overdue",
        ),
        (
            "open_duplicate_children",
            "Duplicate children still open",
            int((timing.duplicate & timing.is_open).sum()),
            "kept in the backlog; not counted as overdue"
            if not options.include_duplicates
            else "kept in the backlog and counted as overdue when past due",
        ),
        (
            "no_response_records",
            "No first-response records in the source",
            0 if table.responses_recorded else len(current),
            "response figures left out (they would read 0%)" if not table.responses_recorded else "none needed",
        ),
        (
            "unknown_channel",
            "Unknown intake channel",
            int((channel.codes < 0).sum()),
            "kept; shown as channel 'unknown'",
        ),
        (
            "unknown_area",
            "Unknown area",
            int((area.codes < 0).sum()) if area.labels else len(current),
            "kept; shown as area 'unknown'" if area.labels else "no areas given: no figure by area",
        ),
        (
            "no_resolution_target",
            "No resolution target for the service",
            int(no_target.sum()),
            "left out of on-time figures",
        ),
    ]
    del closed
    return [
        QualityRow(check=check, title=title, count=count, treatment=treatment)
        for check, title, count, treatment in rows
    ]
