"""Building a ``Report``: every indicator for every group, vectorised over the case table.

The rules this file holds (each stated in the indicator's written definition,
``indicators.py``, and in the methods section):

- Figures are as they stood at the as-of time: later requests are left out and
  later events undone (``CaseTable.at``).
- Counts and proportions are ``numpy.bincount`` over integer group codes;
  proportions carry Wilson 95% intervals (``proportions.py``).
- Times are Kaplan-Meier estimates with open cases censored at the as-of time
  (``survival.py``), in calendar days and, with a calendar, in business hours;
  clock pauses are subtracted.
- Duplicate children are out of timing and on-time denominators unless
  ``include_duplicates``; the ``duplicate_children`` line counts them.
- Groups smaller than ``min_group_size`` are flagged ``too-few-to-compare``; a
  proportion or a time is flagged ``changed`` only when its interval does not
  overlap the previous period's.
- Backlog cells hold the backlog at each period's end; the other snapshot
  figures (open past due, open ages) live in the last period's cells only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Final

import attrs
import numpy as np
from numpy.typing import NDArray

from georeport.lifecycle import ClosureReason
from georeport.sla import BusinessCalendar, Target
from georeport.stats import backlog as backlog_module
from georeport.stats import equity as equity_module
from georeport.stats._timing import DAY, HOUR, NAT, Timing, ints, pause_matrix, paused_ns
from georeport.stats._words import INDICATOR_TITLES, NOTES
from georeport.stats.cases import CLOSED_UNKNOWN_REASON, REASONS, CaseTable
from georeport.stats.grouping import Grouper, to_instant
from georeport.stats.indicators import INDICATORS, define
from georeport.stats.options import StatsOptions
from georeport.stats.proportions import intervals_overlap, wilson_many
from georeport.stats.quality import quality_rows
from georeport.stats.report import (
    BacklogPoint,
    Cell,
    EquityRow,
    Flag,
    Group,
    Indicator,
    IndicatorKind,
    Report,
    SurvivalCurve,
)
from georeport.stats.survival import kaplan_meier

__all__ = ["build_report"]

_CURVE_POINTS: Final = 200


# --- the figures ----------------------------------------------------------------------------------


@attrs.define
class _Column:
    """One indicator's figures for every group, before they become cells."""

    numerator: NDArray[np.float64]
    denominator: NDArray[np.float64]
    value: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    n: NDArray[np.int64]
    flags: list[set[Flag]]
    present: NDArray[np.bool_] | None = None
    """Where the figure exists (snapshot figures exist in the last period only); None for everywhere."""


def _column(size: int) -> _Column:
    nan = np.full(size, np.nan)
    return _Column(
        nan.copy(),
        nan.copy(),
        nan.copy(),
        nan.copy(),
        nan.copy(),
        np.zeros(size, np.int64),
        [set() for _ in range(size)],
    )


def _count(codes: NDArray[np.int64], mask: NDArray[np.bool_], size: int) -> NDArray[np.float64]:
    chosen = codes[mask & (codes >= 0)]
    return np.bincount(chosen, minlength=size).astype(np.float64)[:size]


def _any(codes: NDArray[np.int64], mask: NDArray[np.bool_], size: int) -> NDArray[np.bool_]:
    return _count(codes, mask, size) > 0


def _proportion(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> _Column:
    value, low, high = wilson_many(numerator, denominator)
    column = _Column(
        numerator,
        denominator,
        value,
        low,
        high,
        np.nan_to_num(denominator).astype(np.int64),
        [set() for _ in numerator],
    )
    for index in np.flatnonzero(denominator == 0).tolist():
        column.flags[index].add(Flag.EMPTY)
    return column


def _count_column(values: NDArray[np.float64]) -> _Column:
    nan = np.full(values.shape, np.nan)
    return _Column(
        values,
        nan,
        values.copy(),
        nan.copy(),
        nan.copy(),
        np.nan_to_num(values).astype(np.int64),
        [set() for _ in values],
    )


def _split(codes: NDArray[np.int64], mask: NDArray[np.bool_], size: int) -> list[NDArray[np.intp]]:
    """For each group code, the rows in it where ``mask`` holds (in row order)."""
    rows = np.flatnonzero(mask & (codes >= 0))
    keys = codes[rows]
    if size < np.iinfo(np.int16).max:
        keys = keys.astype(np.int16)  # numpy sorts 16-bit integers by radix sort: linear time
    order = rows[np.argsort(keys, kind="stable")]
    bounds = np.concatenate(([0], np.cumsum(np.bincount(keys, minlength=size)[:size])))
    return [order[bounds[index] : bounds[index + 1]] for index in range(size)]


def _km_columns(
    durations: NDArray[np.float64],
    observed: NDArray[np.bool_],
    parts: Sequence[NDArray[np.intp]],
    quantiles: Sequence[float],
) -> list[_Column]:
    size = len(parts)
    columns = [_column(size) for _ in quantiles]
    # One gather for every group, then each group's durations are a contiguous view (no copy per group).
    bounds = np.cumsum([0, *(rows.size for rows in parts)]).tolist()
    rows = np.concatenate([np.zeros(0, np.intp), *parts])
    gathered, seen = durations[rows], observed[rows]
    for group in range(size):
        fit = kaplan_meier(gathered[bounds[group] : bounds[group + 1]], seen[bounds[group] : bounds[group + 1]])
        for column, q in zip(columns, quantiles, strict=True):
            column.numerator[group] = fit.events
            column.denominator[group] = fit.n
            column.n[group] = fit.n
            if fit.n == 0:
                column.flags[group].add(Flag.EMPTY)
                continue
            estimate = fit.quantile(q)
            if estimate.value is None:
                column.flags[group].add(Flag.NOT_REACHED)
            column.value[group] = np.nan if estimate.value is None else estimate.value
            column.low[group] = np.nan if estimate.low is None else estimate.low
            column.high[group] = np.nan if estimate.high is None else estimate.high
    return columns


@attrs.frozen(eq=False)
class _Context:
    table: CaseTable
    timing: Timing
    grouper: Grouper
    options: StatsOptions
    cohort: NDArray[np.int64]
    series: list[BacklogPoint]
    durations: dict[str, tuple[NDArray[np.float64], NDArray[np.bool_]]] = attrs.field(factory=dict)
    """Calendar-day durations and whether the stop was seen, by clock, computed once (``_days``)."""
    orders: dict[str, NDArray[np.intp]] = attrs.field(factory=dict)
    """The rows sorted by ``cohort`` or ``base`` group code, computed once (``_parts``)."""

    def parts(self, by: str, mask: NDArray[np.bool_]) -> list[NDArray[np.intp]]:
        """``_split`` of the ``cohort`` or ``base`` codes, sorting the rows by code once per report."""
        codes = self.cohort if by == "cohort" else self.grouper.base
        size = self.size if by == "cohort" else len(self.grouper.base_groups)
        if by not in self.orders:
            self.orders[by] = np.concatenate([np.zeros(0, np.intp), *_split(codes, codes >= 0, size)])
        order = self.orders[by]
        chosen = order[mask[order]]  # still sorted by code, rows increasing within a code
        bounds = np.concatenate(([0], np.cumsum(np.bincount(codes[chosen], minlength=size)[:size])))
        return [chosen[bounds[index] : bounds[index + 1]] for index in range(size)]

    @property
    def size(self) -> int:
        return self.grouper.size


def _ends(timing: Timing, stops: NDArray[np.int64], censor_at: NDArray[np.int64]) -> NDArray[np.int64]:
    """Where each case's clock stops: at ``stops`` when seen, else at ``censor_at`` (if set), else at as-of."""
    censored = np.where(censor_at != NAT, np.minimum(censor_at, timing.as_of), timing.as_of)
    return np.maximum(np.where(stops != NAT, stops, censored), timing.requested)


def _elapsed_days(
    timing: Timing, stops: NDArray[np.int64], censor_at: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Calendar days from request to ``stops`` less pauses, and whether the stop was seen (else censored)."""
    end = _ends(timing, stops, censor_at)
    paused = paused_ns(timing.table, end, timing.as_of)
    days = np.maximum(end - timing.requested - paused, 0) / DAY
    return days, stops != NAT


def _days(ctx: _Context, clock: str) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``_elapsed_days`` of ``clock``, computed once per report (the indicators and the curves share it)."""
    if clock not in ctx.durations:
        stops, censor_at = _clock(ctx.timing, clock)
        ctx.durations[clock] = _elapsed_days(ctx.timing, stops, censor_at)
    return ctx.durations[clock]


def _elapsed_business(
    ctx: _Context, stops: NDArray[np.int64], censor_at: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Business hours from request to ``stops`` under each request's calendar, pauses excluded (georeport.sla).

    A request without a calendar (a policy book without a policy for its service in its jurisdiction)
    gets NaN and is left out of the business-time figures.
    """
    timing = ctx.timing
    end = _ends(timing, stops, censor_at).view("datetime64[ns]")
    pause_starts, pause_ends = pause_matrix(timing.table, timing.as_of)
    late = pause_starts > end[:, None]
    pause_starts = np.where(late, np.datetime64("NaT"), pause_starts)
    pause_ends = np.where(late, np.datetime64("NaT"), np.minimum(pause_ends, end[:, None]))
    hours = np.full(len(timing.table), np.nan)
    calendars: dict[int, tuple[BusinessCalendar, list[NDArray[np.intp]]]] = {}
    for rule in timing.rules:
        if rule.calendar is not None:
            calendars.setdefault(id(rule.calendar), (rule.calendar, []))[1].append(rule.rows)
    for calendar, parts in calendars.values():
        rows = np.concatenate(parts)
        elapsed = calendar.elapsed_many(
            timing.table.requested[rows], end[rows], pause_starts=pause_starts[rows], pause_ends=pause_ends[rows]
        )
        hours[rows] = elapsed.view(np.int64) / HOUR
    return hours, stops != NAT


def _clock(timing: Timing, clock: str) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The stop times of ``clock`` and where an unseen stop is censored.

    A request closed without a response will not be answered: its response clock is censored at the close.
    """
    never = np.full(timing.requested.shape, NAT, dtype=np.int64)
    if clock == "first_response":
        return timing.responded, timing.closed
    if clock == "first_close":
        return timing.first_closed, never
    return timing.closed, never


def _timing_columns(ctx: _Context, wanted: Sequence[str]) -> dict[str, _Column]:
    out: dict[str, _Column] = {}
    parts = ctx.parts("cohort", ctx.timing.timed)
    for clock in ("first_response", "close", "first_close"):
        for business in (False, True):
            suffix = "_business" if business else ""
            ids = [f"time_to_{clock}_{stat}{suffix}" for stat in ("median", "p90")]
            if not any(name in wanted for name in ids) or (business and not ctx.options.has_business_time):
                continue
            stops, censor_at = _clock(ctx.timing, clock)
            if business:
                durations, observed = _elapsed_business(ctx, stops, censor_at)
                known = ~np.isnan(durations)
                chosen = [rows[known[rows]] for rows in parts]
                columns = _km_columns(np.nan_to_num(durations), observed, chosen, (0.5, 0.9))
            else:
                durations, observed = _days(ctx, clock)
                columns = _km_columns(durations, observed, parts, (0.5, 0.9))
            out.update(zip(ids, columns, strict=True))
    return out


def _cohort_attainment(ctx: _Context, due: NDArray[np.int64], stops: NDArray[np.int64]) -> _Column:
    timing = ctx.timing
    eligible = timing.timed & (due != NAT)
    observed = stops != NAT
    on_time = observed & (stops <= due)
    not_due = eligible & (due > timing.as_of)
    sizes = _count(ctx.cohort, eligible, ctx.size)
    # Where no request of a group can still become on time or late before its due time, nothing is
    # censored before 1 and the Kaplan-Meier estimate at 1 is exactly the plain proportion (Wilson's interval).
    column = _proportion(_count(ctx.cohort, eligible & on_time, ctx.size), sizes)
    provisional = np.flatnonzero(_any(ctx.cohort, not_due, ctx.size))
    if provisional.size == 0:
        return column
    # The others are fitted: Kaplan-Meier of the share of the allowed time used, censored at the as-of time.
    # Past the due time the outcome is known (late): censoring beyond 1 changes nothing at 1.
    in_provisional = np.zeros(ctx.size + 1, dtype=np.bool_)
    in_provisional[provisional] = True
    chosen = eligible & in_provisional[ctx.cohort]
    parts = ctx.parts("cohort", chosen)
    for group in provisional.tolist():
        rows = parts[group]
        allowed = (due[rows] - timing.requested[rows]).astype(np.float64)
        end = np.where(observed[rows], stops[rows], timing.as_of) - timing.requested[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(allowed > 0, end / allowed, np.where(end > 0, np.inf, 0.0))
        ratio = np.maximum(ratio, 0.0)
        finite = np.isfinite(ratio)
        fit = kaplan_meier(np.where(finite, ratio, 1e9), observed[rows] & finite)
        value, low, high = fit.closed_by(1.0)
        known = rows.size - int(not_due[rows].sum() - (observed[rows] & not_due[rows]).sum())
        if low == high:
            # The band is degenerate at 0 or 1: Wilson's interval on the outcomes known so far is the honest one.
            _, low_w, high_w = wilson_many([column.numerator[group]], [max(known, 1)])
            low, high = float(low_w[0]), float(high_w[0])
        column.value[group], column.low[group], column.high[group] = value, low, high
        column.flags[group].add(Flag.PROVISIONAL)
    return column


def _flow_on_time(ctx: _Context, *, with_overdue: bool) -> _Column:
    """Closed-in-period on time, or attainment including overdue: by close period."""
    timing, grouper = ctx.timing, ctx.grouper
    eligible = timing.timed & (timing.due != NAT)
    closed = eligible & (timing.closed != NAT)
    on_time = closed & (timing.closed <= timing.due)
    numerator = _count(grouper.closed, on_time, ctx.size)
    denominator = _count(grouper.closed, closed, ctx.size)
    if with_overdue:
        denominator += _open_past_due_at_ends(ctx, eligible)
    return _proportion(numerator, denominator)


def _open_past_due_at_ends(ctx: _Context, eligible: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Per group code: requests open and past due at the end of the group's period (or the as-of time)."""
    timing, grouper, table = ctx.timing, ctx.grouper, ctx.table
    size = ctx.size
    out = np.zeros(size)
    if grouper.period is None:
        mask = eligible & timing.is_open & (timing.due < timing.as_of)
        return _count(grouper.base, mask, size)
    nperiods = len(grouper.period_labels)
    span_rows = table.span_case
    starts = ints(table.span_start)
    ends = ints(table.span_end)
    for period, end_time in enumerate(grouper.period_ends):
        moment = min(int(to_instant(end_time).astype(np.int64)), timing.as_of)
        covering = (starts <= moment) & ((ends == NAT) | (ends > moment))
        rows = span_rows[covering]
        rows = rows[eligible[rows] & (timing.due[rows] < moment) & (timing.requested[rows] <= moment)]
        counts = np.bincount(grouper.base[rows], minlength=len(grouper.base_groups))
        out[np.arange(len(grouper.base_groups)) * nperiods + period] += counts
    return out


def _reopen_rate(ctx: _Context) -> _Column:
    timing = ctx.timing
    window = int(ctx.options.reopen_days * DAY)
    closed_once = timing.first_closed != NAT
    reopened = ints(ctx.table.reopened)
    within = closed_once & (reopened != NAT) & (reopened - timing.first_closed <= window)
    column = _proportion(_count(ctx.cohort, within, ctx.size), _count(ctx.cohort, closed_once, ctx.size))
    recent = closed_once & (timing.first_closed > timing.as_of - window)
    for group in np.flatnonzero(_any(ctx.cohort, recent, ctx.size)).tolist():
        column.flags[group].add(Flag.PROVISIONAL)
    return column


def _last_period(grouper: Grouper) -> NDArray[np.bool_]:
    """The group codes of the last period (every code without a period)."""
    if grouper.period is None:
        return np.ones(grouper.size, dtype=np.bool_)
    last: NDArray[np.bool_] = grouper.period_of == len(grouper.period_labels) - 1
    return last


def _base_to_codes(grouper: Grouper, values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Figures of base groups (no period) spread over the group codes of the last period."""
    out = np.full(grouper.size, np.nan)
    if grouper.period is None:
        return values.astype(np.float64)
    last = len(grouper.period_labels) - 1
    out[np.arange(len(grouper.base_groups)) * len(grouper.period_labels) + last] = values
    return out


def _snapshot_columns(ctx: _Context) -> dict[str, _Column]:
    """Backlog, open past due and open ages at the as-of time, in the last period's cells."""
    timing, grouper = ctx.timing, ctx.grouper
    nbase = len(grouper.base_groups)
    open_cases = timing.is_open
    counted = open_cases & (~timing.duplicate | ctx.options.include_duplicates)
    out: dict[str, _Column] = {}
    backlog = _count(grouper.base, open_cases, nbase)
    if grouper.period is None:
        out["backlog"] = _count_column(backlog)
    else:
        out["backlog"] = _count_column(_backlog_at_period_ends(ctx))
    with_target = counted & (timing.due != NAT)
    past_due = _count(grouper.base, with_target & (timing.due < timing.as_of), nbase)
    column = _proportion(
        _base_to_codes(grouper, past_due), _base_to_codes(grouper, _count(grouper.base, with_target, nbase))
    )
    out["open_past_due"] = column
    ages = (timing.as_of - timing.requested) / DAY
    median, oldest = _count_column(np.full(nbase, np.nan)), _count_column(np.full(nbase, np.nan))
    for group, rows in enumerate(ctx.parts("base", counted)):
        median.n[group] = oldest.n[group] = rows.size
        median.denominator[group] = oldest.denominator[group] = rows.size
        if rows.size:
            median.value[group] = float(np.median(ages[rows]))
            oldest.value[group] = float(ages[rows].max())
    for name, base_column in (("open_age_median", median), ("open_age_oldest", oldest)):
        spread = _count_column(_base_to_codes(grouper, base_column.value))
        spread.numerator[:] = np.nan
        spread.denominator = _base_to_codes(grouper, base_column.denominator)
        spread.n = np.nan_to_num(spread.denominator).astype(np.int64)
        out[name] = spread
    for name, column in out.items():
        if name != "backlog":
            column.present = _last_period(grouper)
    return out


def _backlog_at_period_ends(ctx: _Context) -> NDArray[np.float64]:
    """Per group code: requests open at the end of its period (the as-of time for the current one).

    These are the backlog series' values (``backlog.backlog_series``), whose points run group by
    group and period by period, in group-code order.
    """
    return np.array([point.backlog for point in ctx.series], dtype=np.float64)


def _mark_size_and_change(ctx: _Context, name: str, column: _Column) -> None:
    kind = INDICATORS[name].kind
    if kind is IndicatorKind.COUNT:
        return
    minimum = ctx.options.min_group_size
    for group in np.flatnonzero((column.n < minimum) & (column.n > 0)).tolist():
        column.flags[group].add(Flag.TOO_FEW)
    grouper = ctx.grouper
    if kind not in {IndicatorKind.PROPORTION, IndicatorKind.DURATION} or grouper.period is None:
        return
    codes = np.arange(ctx.size)
    later = grouper.period_of > 0
    previous = codes - 1
    eligible = later & (column.n >= minimum) & (column.n[np.maximum(previous, 0)] >= minimum)
    overlap = intervals_overlap(
        column.low, column.high, column.low[np.maximum(previous, 0)], column.high[np.maximum(previous, 0)]
    )
    for group in np.flatnonzero(eligible & ~overlap).tolist():
        column.flags[group].add(Flag.CHANGED)


_CLOSE_BASED: Final = frozenset(
    {
        "closure_rate",
        "resolution_rate",
        "on_time_closed",
        "attainment_with_overdue",
        "cohort_attainment",
        "reopen_rate",
        "open_past_due",
        *(
            f"closed_{reason}"
            for reason in ("resolved", "duplicate", "referred", "not_actionable", "withdrawn", "unknown")
        ),
        *(f"time_to_close_{stat}{suffix}" for stat in ("median", "p90") for suffix in ("", "_business")),
        *(f"time_to_first_close_{stat}{suffix}" for stat in ("median", "p90") for suffix in ("", "_business")),
    }
)


def _compute(ctx: _Context) -> dict[str, _Column]:  # noqa: C901, PLR0912 - one branch per indicator family
    wanted = set(ctx.options.indicators)
    timing, size, cohort = ctx.timing, ctx.size, ctx.cohort
    everyone = np.ones(len(ctx.table), dtype=np.bool_)
    received = _count(cohort, everyone, size)
    closed_mask = ~timing.is_open
    closed = _count(cohort, closed_mask, size)
    out: dict[str, _Column] = {}
    if "received" in wanted:
        out["received"] = _count_column(received)
    if "incidents" in wanted:
        out["incidents"] = _count_column(_count(cohort, ~timing.duplicate, size))
    if "duplicate_children" in wanted:
        out["duplicate_children"] = _count_column(_count(cohort, timing.duplicate, size))
    if "response_rate" in wanted:
        out["response_rate"] = _proportion(_count(cohort, timing.responded != NAT, size), received)
    if "closure_rate" in wanted:
        out["closure_rate"] = _proportion(closed, received)
    resolved_code = REASONS.index(ClosureReason.RESOLVED)
    if "resolution_rate" in wanted:
        out["resolution_rate"] = _proportion(_count(cohort, ctx.table.reason == resolved_code, size), received)
    for code, reason in [*enumerate(REASONS), (CLOSED_UNKNOWN_REASON, "unknown")]:
        name = f"closed_{reason}"
        if name in wanted:
            out[name] = _proportion(_count(cohort, ctx.table.reason == code, size), closed)
    timing_columns = _timing_columns(ctx, [name for name in wanted if name.startswith("time_to_")])
    out.update({name: column for name, column in timing_columns.items() if name in wanted})
    if ctx.options.has_resolution_target:
        if "on_time_closed" in wanted:
            out["on_time_closed"] = _flow_on_time(ctx, with_overdue=False)
        if "attainment_with_overdue" in wanted:
            out["attainment_with_overdue"] = _flow_on_time(ctx, with_overdue=True)
        if "cohort_attainment" in wanted:
            out["cohort_attainment"] = _cohort_attainment(ctx, timing.due, timing.closed)
    if ctx.options.has_response_target and "response_on_time" in wanted:
        out["response_on_time"] = _cohort_attainment(ctx, timing.response_due, timing.responded)
    if "reopen_rate" in wanted:
        out["reopen_rate"] = _reopen_rate(ctx)
    snapshot = _snapshot_columns(ctx)
    out.update(
        {
            name: column
            for name, column in snapshot.items()
            if name in wanted and (name != "open_past_due" or ctx.options.has_resolution_target)
        }
    )
    # Proxy close times: flag every close-based figure of a group holding one.
    proxied = _any(cohort, ctx.table.proxy, size)
    proxied_by_close = _any(ctx.grouper.closed, ctx.table.proxy, size)
    for name, column in out.items():
        if name in _CLOSE_BASED:
            marks = proxied | proxied_by_close if name.startswith(("on_time", "attainment")) else proxied
            for group in np.flatnonzero(marks).tolist():
                column.flags[group].add(Flag.PROXY_CLOSE_TIME)
        _mark_size_and_change(ctx, name, column)
    return out


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _cells(ctx: _Context, columns: Mapping[str, _Column], order: Sequence[str]) -> list[Cell]:
    cells: list[Cell] = []
    for group_index, group in enumerate(ctx.grouper.groups):
        for name in order:
            column = columns.get(name)
            if column is None or name == "referrals":
                continue
            if column.present is not None and not column.present[group_index]:
                continue  # snapshot figures live in the last period's cells only
            cells.append(
                Cell(
                    group=group,
                    indicator=name,
                    numerator=_number(column.numerator[group_index]),
                    denominator=_number(column.denominator[group_index]),
                    value=_number(column.value[group_index]),
                    low=_number(column.low[group_index]),
                    high=_number(column.high[group_index]),
                    n=int(column.n[group_index]),
                    flags=tuple(column.flags[group_index]),
                )
            )
    return cells


def _referral_cells(ctx: _Context) -> list[Cell]:
    referred = ctx.table.dimensions["referred_to"]
    mask = (ctx.table.reason == REASONS.index(ClosureReason.REFERRED)) & (ctx.cohort >= 0)
    cells = []
    width = len(referred.labels) + 1
    combined = ctx.cohort[mask] * width + (referred.codes[mask] + 1)
    values, counts = np.unique(combined, return_counts=True)
    for value, count in zip(values.tolist(), counts.tolist(), strict=True):
        group: Group = (*ctx.grouper.groups[value // width], ("referred_to", referred.label(value % width - 1)))
        cells.append(
            Cell(
                group=group,
                indicator="referrals",
                numerator=float(count),
                denominator=None,
                value=float(count),
                n=count,
            )
        )
    return cells


def _curve_target(options: StatsOptions, clock: str) -> float | None:
    """The target line of a clock's charts, in days: only one calendar-time target for every request."""
    default = options.resolution_target if clock == "close" else options.response_target
    by_service = options.resolution_targets if clock == "close" else options.response_targets
    if (
        default is not None
        and not by_service
        and options.policies is None
        and isinstance(default.amount, timedelta)
        and default.kind.value == "calendar"
    ):
        return default.amount / timedelta(days=1)
    return None


def _curves(ctx: _Context) -> list[SurvivalCurve]:
    """Kaplan-Meier curves per base group (all periods together), thinned to about 200 steps.

    Time to close for every table; time to first response (a request closed without a response
    censored at its close) when the table records responses.
    """
    timing, grouper = ctx.timing, ctx.grouper
    clocks = ("close", "first_response") if ctx.table.responses_recorded else ("close",)
    parts = ctx.parts("base", timing.timed)
    curves = []
    for clock in clocks:
        days, observed = _days(ctx, clock)
        line = _curve_target(ctx.options, clock)
        for group, rows in enumerate(parts):
            fit = kaplan_meier(days[rows], observed[rows])
            if fit.n == 0:
                continue
            keep = np.unique(np.round(fit.survival * _CURVE_POINTS), return_index=True)[1]
            keep = np.unique(np.concatenate((keep, [fit.times.size - 1])))
            curves.append(
                SurvivalCurve(
                    group=grouper.base_groups[group],
                    clock=clock,
                    unit="days",
                    times=tuple(fit.times[keep].tolist()),
                    survival=tuple(fit.survival[keep].tolist()),
                    low=tuple(fit.low[keep].tolist()),
                    high=tuple(fit.high[keep].tolist()),
                    n=fit.n,
                    events=fit.events,
                    censored=fit.censored,
                    target=line,
                    median=fit.quantile(0.5).value,
                )
            )
    return curves


def _policy_text(options: StatsOptions, which: str) -> str:
    """The policy book's targets in words, service by service."""
    assert options.policies is not None  # noqa: S101 - the callers check
    parts = []
    book = options.policies
    entries = ([("default", book.default)] if book.default is not None else []) + [
        (f"{service or '*'}" + (f" in {place}" if place else ""), policy) for (place, service), policy in book.policies
    ]
    for name, policy in entries:
        target = policy.resolution if which == "resolution" else policy.response
        parts.append(f"{name}: {target if target is not None else 'none'} ({policy.calendar.zone.key})")
    return "per service and jurisdiction from the SLA policy book: " + "; ".join(parts)


def _calendar_text(options: StatsOptions) -> str:
    calendar = options.calendar
    if options.policies is not None:
        return (
            "business time of the calendar of each request's policy in the SLA policy book (by service and "
            "jurisdiction; working hours, holidays, half-days)"
        )
    if calendar is None:
        return "no business calendar given"
    return f"business time of the calendar in {calendar.zone.key} (working hours, holidays, half-days)"


def _target_text(default: Target | None, by_service: Mapping[str, Target], calendar: BusinessCalendar | None) -> str:
    if default is None and not by_service:
        return "no target given"
    parts = [f"default {default}"] if default is not None else []
    parts += [f"{service}: {target}" for service, target in sorted(by_service.items())]
    where = "" if calendar is None else f", business time counted in {calendar.zone.key}"
    return "; ".join(parts) + where


def _targets_text(options: StatsOptions, which: str) -> str:
    if options.policies is not None:
        return _policy_text(options, which)
    if which == "resolution":
        return _target_text(options.resolution_target, options.resolution_targets, options.calendar)
    return _target_text(options.response_target, options.response_targets, options.calendar)


def _methods(options: StatsOptions, grouper: Grouper, table: CaseTable) -> tuple[str, ...]:
    period = grouper.period.describe() if grouper.period is not None else "one period: everything up to the as-of time"
    duplicates = "included in" if options.include_duplicates else "left out of"
    return (
        (
            f"Figures are as they stood at {options.as_of.isoformat()}: requests received later are left out, "
            "and events after it (closes, responses, reopenings) are undone."
        ),
        (
            f"Groups: {', '.join(grouper.dimensions) or 'none'}; periods: {period}. Counts, rates and cohort "
            "figures place a request by its received date; closed-in-period figures by its close date."
        ),
        (
            "Proportions carry Wilson 95% score intervals. A change between periods is flagged only when the two "
            f"intervals do not overlap. Groups with fewer than {options.min_group_size} requests are shown as "
            "'too few to compare' and are never ranked."
        ),
        (
            "Times to respond and to close are Kaplan-Meier estimates (scipy.stats.ecdf) in which requests still "
            "open at the as-of time are censored there, so a growing backlog cannot make a department look faster; "
            "95% intervals come from the log-log pointwise band. Paused clock time (waiting on the citizen) is "
            "subtracted. A quantile the curve never reaches is printed as 'not reached'."
        ),
        (
            "Close times come from the close event (lifecycle history, or Bulk closed_datetime); updated_datetime "
            "is used only when nothing else exists, and every figure using it is flagged 'proxy-close-time'."
        ),
        (
            "Closure is not resolution: requests closed as duplicates, referred, not actionable or withdrawn "
            "count as closed but not as resolved; a closed request whose reason is unknown is not counted as resolved."
        ),
        (
            f"Duplicate children are {duplicates} timing and on-time denominators; they are counted on the "
            "'duplicate children' line."
        ),
        (
            f"Resolution target: {_targets_text(options, 'resolution')}. "
            f"Response target: {_targets_text(options, 'response')}. "
            "On time is reported as three named measures: closed-in-period on time, attainment including overdue, "
            "and cohort attainment (provisional until every request of the cohort is past its due time)."
        ),
        f"{len(table):,} requests at the as-of time. No composite score is computed.",
    )


_RESPONSE_INDICATORS: Final = frozenset(
    {
        "response_rate",
        "response_on_time",
        *(f"time_to_first_response_{stat}{suffix}" for stat in ("median", "p90") for suffix in ("", "_business")),
    }
)


def build_report(table: CaseTable, options: StatsOptions) -> Report:
    """Every indicator of ``options`` for every group of ``table``, as of ``options.as_of``.

    Raises:
        georeport.ValidationError: a grouping dimension the table does not have, or a business
            target without a calendar.
    """
    left_out: list[str] = []
    if not table.responses_recorded:
        left_out = [name for name in options.indicators if name in _RESPONSE_INDICATORS]
        options = attrs.evolve(
            options, indicators=tuple(name for name in options.indicators if name not in _RESPONSE_INDICATORS)
        )
    as_of = int(to_instant(options.as_of).astype(np.int64))
    current, followed = table.at(np.datetime64(as_of, "ns")).follow_originals()
    grouper = Grouper.of(current, by=options.by, period=options.period, as_of=options.as_of)
    timing = Timing.of(current, options, as_of)
    series = backlog_module.backlog_series(current, grouper, options)
    ctx = _Context(current, timing, grouper, options, grouper.cohort(), series)
    columns = _compute(ctx)
    order = [name for name in options.indicators if name in columns or name == "referrals"]
    cells = _cells(ctx, columns, order)
    if "referrals" in options.indicators:
        cells += _referral_cells(ctx)
        cells.sort(key=lambda cell: (cell.group, order.index(cell.indicator)))
    context = {
        "as_of": options.as_of.isoformat(),
        "calendar": _calendar_text(options),
        "target": _targets_text(options, "resolution"),
        "response_target": _targets_text(options, "response"),
        "reopen_days": f"{options.reopen_days:g}",
        "duplicates": "duplicate children are included"
        if options.include_duplicates
        else "duplicate children are left out (counted on the 'duplicate children' line)",
    }
    used = set(columns) | ({"referrals"} if "referrals" in options.indicators else set())
    # Titles: the caller's, else the report language's, else the English definitions.
    titles = {**INDICATOR_TITLES.get(options.language, {}), **options.titles}
    indicators: list[Indicator] = [
        define(name, context, title=titles.get(name)) for name in options.indicators if name in used
    ]
    words = NOTES.get(options.language, NOTES["en"])
    duplicates = int(timing.duplicate.sum())
    where = words["duplicates.included" if options.include_duplicates else "duplicates.left_out"]
    notes = [words["duplicates"].format(count=f"{duplicates:,}", where=where)]
    if left_out:
        notes.append(words["no_responses"].format(names=", ".join(left_out)))
    if followed:
        notes.append(words["followed"].format(count=f"{followed:,}"))
    proxies = int(current.proxy.sum())
    if proxies:
        notes.append(words["proxies"].format(count=f"{proxies:,}"))
    equity_rows: tuple[EquityRow, ...] = ()
    if options.equity is not None and ("area" in options.by or options.populations):
        equity_rows = tuple(equity_module.equity_rows(current, timing, options))
    if equity_rows and options.populations:
        indicators.append(define("per_1000_residents", context, title=titles.get("per_1000_residents")))
    return Report(
        title=options.title,
        as_of=options.as_of,
        language=options.language,
        dimensions=(*grouper.dimensions, *(("period",) if grouper.period is not None else ())),
        period=grouper.period.describe(options.language) if grouper.period is not None else "",
        indicators=tuple(indicators),
        cells=tuple(cells),
        methods=_methods(options, grouper, current),
        quality=tuple(quality_rows(table, current, timing, options, followed=followed)),
        survival=tuple(_curves(ctx)) if options.curves else (),
        backlog=tuple(series),
        ages=tuple(backlog_module.age_buckets(current, timing, grouper, options)),
        equity=equity_rows,
        notes=tuple(notes),
        labels=dict(options.labels),
    )
