"""Transparency statistics: ``georeport.stats`` on a million cases, beside a naive pandas groupby and a 2 s budget.

    python -m benchmarks.stats [--n 1000000] [--repeat 3]

On ``--n`` seeded cases made directly as numpy columns (``georeport.stats.demo.demo_arrays``:
six entities, eight services, a year of intake, about 1% still open), grouped by entity and
month (America/Panama days), with a 30-day resolution target, a 2-day response target and
a weekday 08:00-16:00 business calendar:

* ``budget``: the issue's target, 1,000,000 cases in 2 s, as a row to compare with;
* ``pandas groupby (naive)``: what a dashboard computes, in pandas: counts, the response
  and resolution shares, and median and 90th percentile times over *closed* cases only
  (no censoring, no intervals, no flags): the floor of a vectorised group-by;
* ``georeport.stats, issue 6 set``: ``build_report`` with ``ISSUE_6_INDICATORS`` (volume,
  response and resolution rates with Wilson intervals, Kaplan-Meier median and P90 times to
  respond and to close with open cases censored and their intervals, cohort share within the
  response and the resolution target, backlog, open age, reopen rate). Target: under 2 s
  (a ratio of at least 1 to the budget row);
* ``georeport.stats, every issue 10 indicator``: ``DEFAULT_INDICATORS`` (the above, plus
  incidents, closure reasons, business-time medians and P90s, the three on-time measures,
  open past due, oldest age, referrals), with the Kaplan-Meier curves (time to close and to first
  response), the backlog series,
  the age buckets and the data-quality table: the time beside it, no target;
* ``CaseTable.from_arrays`` and ``CaseTable.at``: the columnar table and its as-of view.

Times are wall-clock (the best run); the note also gives the best run's CPU time
(``time.process_time``), which other work on a shared machine inflates much less.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, timedelta

import numpy as np

from benchmarks._harness import Table, best_of, machine, parser
from georeport.sla import BusinessCalendar
from georeport.stats import DEFAULT_INDICATORS, ISSUE_6_INDICATORS, Period, StatsOptions, build_report
from georeport.stats.demo import DEMO_AS_OF, demo_arrays

BUDGET_SECONDS = 2.0
BUDGET = "budget: 1,000,000 cases in 2 s"


def naive_pandas(table: object, as_of: np.datetime64) -> object:
    """The dashboard way, in pandas: counts, shares and closed-only medians per entity and month."""
    import pandas as pd

    from georeport.stats import CaseTable

    assert isinstance(table, CaseTable)
    frame = pd.DataFrame(
        {
            "agency": table.dimensions["agency"].codes,
            "requested": table.requested,
            "closed": table.closed,
            "responded": table.first_response,
            "resolved": table.reason == 0,
        }
    )
    frame = frame[frame["requested"] <= as_of]
    local = frame["requested"].dt.tz_localize("UTC").dt.tz_convert("America/Panama")
    frame["month"] = local.dt.strftime("%Y-%m")
    frame["close_days"] = (frame["closed"] - frame["requested"]) / pd.Timedelta(days=1)
    frame["response_days"] = (frame["responded"] - frame["requested"]) / pd.Timedelta(days=1)
    frame["answered"] = frame["responded"].notna()
    grouped = frame.groupby(["agency", "month"])
    return grouped.agg(
        received=("requested", "size"),
        answered=("answered", "mean"),
        resolved=("resolved", "mean"),
        close_median=("close_days", "median"),
        close_p90=("close_days", lambda values: values.quantile(0.9)),
        response_median=("response_days", "median"),
        response_p90=("response_days", lambda values: values.quantile(0.9)),
    )


def run(n: int, repeat: int, warmup: int = 1, seed: int = 311) -> list[Table]:
    """Time every row; one table."""
    calendar = BusinessCalendar(zone="America/Panama", hours={"weekdays": "08:00-16:00"})
    period = Period.parse("month", timezone=calendar.zone)
    start = time.perf_counter()
    table = demo_arrays(n=n, seed=seed)
    made = time.perf_counter() - start
    as_of = np.datetime64(DEMO_AS_OF.astimezone(UTC).replace(tzinfo=None), "ns")
    common = {
        "as_of": DEMO_AS_OF,
        "by": ("agency",),
        "period": period,
        "resolution_target": timedelta(days=30),
        "response_target": timedelta(days=2),
        "calendar": calendar,
    }
    issue_6 = StatsOptions(indicators=ISSUE_6_INDICATORS, curves=False, **common)  # type: ignore[arg-type]
    issue_10 = StatsOptions(indicators=DEFAULT_INDICATORS, **common)  # type: ignore[arg-type]

    cpu: dict[str, float] = {}

    def time_it(fn: Callable[[], object], name: str = "") -> float:
        def counted() -> object:
            started = time.process_time()
            result = fn()
            spent = time.process_time() - started
            cpu[name] = min(cpu.get(name, spent), spent)
            return result

        return best_of(counted, repeat=repeat, warmup=warmup).best

    report = build_report(table, issue_6)
    groups = len(report.groups())
    result = Table(
        f"Transparency statistics: {n:,} cases, {groups} groups (entity x month), "
        f"{len(issue_6.indicators)} issue-6 / {len(issue_10.indicators)} issue-10 indicators"
    )
    result.add(BUDGET, BUDGET_SECONDS, records=1_000_000, note="the issue's target, as a rate")
    pandas_seconds = time_it(lambda: naive_pandas(table, as_of), "pandas")
    result.add(
        "pandas groupby (naive: closed-only medians, no intervals)",
        pandas_seconds,
        records=n,
        note=f"CPU {cpu['pandas']:.2f} s",
    )
    result.add(
        "georeport.stats, issue 6 set (build_report, ISSUE_6_INDICATORS)",
        time_it(lambda: build_report(table, issue_6), "issue 6"),
        records=n,
        vs=(BUDGET, "pandas groupby (naive: closed-only medians, no intervals)"),
        target=1.0,
        note=f"{len(report.cells):,} cells; Kaplan-Meier by scipy.stats.ecdf; CPU {cpu['issue 6']:.2f} s",
    )
    full = build_report(table, issue_10)
    result.add(
        "georeport.stats, every issue 10 indicator (DEFAULT_INDICATORS, curves, backlog, quality)",
        time_it(lambda: build_report(table, issue_10), "issue 10"),
        records=n,
        vs=(BUDGET, "pandas groupby (naive: closed-only medians, no intervals)"),
        note=f"{len(full.cells):,} cells, {len(full.survival)} curves; CPU {cpu['issue 10']:.2f} s",
    )
    result.add("demo_arrays (generate the columns)", made, records=n, note="one run")
    result.add("CaseTable.at(as_of)", time_it(lambda: table.at(as_of)), records=n)
    return [result]


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0], n=1_000_000, repeat=3).parse_args(argv)
    print(machine())
    for table in run(args.n, args.repeat, args.warmup, args.seed):
        table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
