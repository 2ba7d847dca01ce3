"""SLA due dates: ``Target.due_many`` beside pandas, businesstimedelta and numpy.busday_offset.

    python -m benchmarks.sla [--n 1000000] [--repeat 5] [--subset 5000]

Cases: ``--n`` request times (seeded, to the second, uniform over 2024-2025,
UTC ``datetime64[ns]``) on a calendar of 09:00-17:00 weekdays in
America/Chicago (two DST changes a year) with the US federal holidays
(observed) of the ``holidays`` package.

Business hours (8 hours after each request):

* pandas ``Timestamp + CustomBusinessHour(8)`` on naive local times, timed on
  ``--subset`` cases and reported as a rate (pandas has no vectorised path:
  ``DatetimeIndex + CustomBusinessHour`` loops per element and warns);
* businesstimedelta ``datetime + BusinessTimeDelta(rules, hours=8)`` on a
  fifth of the subset, likewise;
* ``Target.business_hours(8).due_many(starts, calendar)`` on all ``--n``
  cases (the calendar's table built beforehand, as in a long-running
  program), and once more with the table built inside the timed run;
  targets: at least 1,000,000 due dates/s and at least 100x pandas;
* the same with one pause per case, ``elapsed_many`` and the scalar ``due``
  on the subset for scale.

Business days (the close of the 5th working day): ``numpy.busday_offset``
on the cases' local dates (``datetime64[D]``: day arithmetic only, no zone,
no time of day, no close time) beside ``Target.business_days(5).due_many``
(UTC instants in, UTC close times out).

Nothing is asserted: the results agree with each other in tests/sla/test_peers.py.
"""

from __future__ import annotations

import sys
import time
import warnings
from datetime import date
from datetime import time as clock
from typing import Any

import numpy as np

from benchmarks._harness import Table, best_of, machine, parser
from georeport.sla import BusinessCalendar, Target

ZONE = "America/Chicago"
RATE_TARGET = 1_000_000
PANDAS = "pandas Timestamp + CustomBusinessHour(8) (per case)"
BTD = "businesstimedelta + BusinessTimeDelta(hours=8) (per case)"
BUSDAY = "numpy.busday_offset(local dates, 5) (days only)"
OURS = "Target.business_hours(8).due_many (warm table)"


class RateTable(Table):
    """A table whose rows may also carry an absolute rate target (records/s)."""

    rate_targets: dict[str, float]

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.rate_targets = {}

    def verdicts(self) -> list[str]:
        lines = super().verdicts()
        for row in self.rows:
            wanted = self.rate_targets.get(row.case)
            if wanted is not None:
                got = row.records_per_s or 0.0
                verdict = "target met" if got >= wanted else "target NOT met"
                lines.append(f"{verdict}: {row.case} = {got:,.0f} cases/s (target >= {wanted:,.0f}/s on one core)")
        return lines


def holidays(first: int, last: int) -> list[date]:
    import holidays as package

    return sorted(package.country_holidays("US", years=range(first, last + 1)))


def starts(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    low = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    high = np.datetime64("2026-01-01T00:00:00", "s").astype(np.int64)
    return rng.integers(low, high, size=n).astype("datetime64[s]").astype("datetime64[ns]")


def run(n: int, repeat: int, warmup: int = 1, seed: int = 311, subset: int = 5000) -> list[Table]:
    import businesstimedelta as btd
    import pandas as pd

    print(
        f"sla: {n:,} cases (seed {seed}), peers on {subset:,} (pandas) and {subset // 5:,} (businesstimedelta)...",
        flush=True,
    )
    days = holidays(2023, 2027)
    calendar = BusinessCalendar(zone=ZONE, hours={"weekdays": "09:00-17:00"}, holidays=days)
    values = starts(n, seed)
    local = pd.DatetimeIndex(values[:subset]).tz_localize("UTC").tz_convert(ZONE).tz_localize(None)
    local_py = list(local.to_pydatetime())
    few = local_py[: max(1, subset // 5)]
    hours = Target.business_hours(8)

    def time_it(fn: Any, times: int = repeat) -> float:
        return best_of(fn, repeat=times, warmup=warmup).best

    offset = pd.offsets.CustomBusinessHour(n=8, start="09:00", end="17:00", holidays=days)
    rules = btd.Rules(
        [btd.WorkDayRule(start_time=clock(9), end_time=clock(17), working_days=[0, 1, 2, 3, 4]), btd.HolidayRule(days)]
    )
    delta = btd.BusinessTimeDelta(rules, hours=8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = RateTable(f"Business-hour due dates: {n:,} cases, 09:00-17:00 weekdays, US holidays, {ZONE}")
        table.add(
            PANDAS,
            time_it(lambda: [start + offset for start in local], 1),
            records=subset,
            note=f"{subset:,} cases, scaled",
        )
        table.add(
            BTD,
            time_it(lambda: [start + delta for start in few], 1),
            records=len(few),
            note=f"{len(few):,} cases, scaled",
            vs=PANDAS,
        )
    hours.due_many(values[:1000], calendar)  # builds the calendar's table
    table.add(OURS, time_it(lambda: hours.due_many(values, calendar)), records=n, vs=(PANDAS, BTD), target=100.0)
    table.rate_targets[OURS] = RATE_TARGET

    def cold() -> object:
        fresh = BusinessCalendar(zone=ZONE, hours={"weekdays": "09:00-17:00"}, holidays=days)
        return hours.due_many(values, fresh)

    table.add("due_many, table built in the run (cold calendar)", time_it(cold), records=n, vs=PANDAS)
    rng = np.random.default_rng(seed + 1)
    pause_starts = values + rng.integers(0, 3 * 86_400, size=n).astype("timedelta64[s]")
    pause_ends = pause_starts + rng.integers(0, 2 * 86_400, size=n).astype("timedelta64[s]")
    table.add(
        "due_many with one pause per case",
        time_it(lambda: hours.due_many(values, calendar, pause_starts=pause_starts, pause_ends=pause_ends)),
        records=n,
        vs=PANDAS,
    )
    ends = values + rng.integers(0, 20 * 86_400, size=n).astype("timedelta64[s]")
    table.add(
        "BusinessCalendar.elapsed_many (start to a later instant)",
        time_it(lambda: calendar.elapsed_many(values, ends)),
        records=n,
    )
    aware = [start.replace(tzinfo=calendar.zone) for start in local_py]
    table.add(
        "Target.due (scalar, per case)",
        time_it(lambda: [hours.due(start, calendar) for start in aware], 1),
        records=subset,
        vs=PANDAS,
        note=f"{subset:,} cases, scaled",
    )

    days_table = RateTable(f"Business-day due dates (close of the 5th working day): {n:,} cases")
    local_days = (
        pd.DatetimeIndex(values)
        .tz_localize("UTC")
        .tz_convert(ZONE)
        .tz_localize(None)
        .normalize()
        .to_numpy("datetime64[D]")
    )
    holiday_days = np.array(days, "datetime64[D]")
    days_table.add(
        BUSDAY,
        time_it(lambda: np.busday_offset(local_days, 5, roll="backward", holidays=holiday_days)),
        records=n,
    )
    five = Target.business_days(5)
    days_table.add(
        "Target.business_days(5).due_many (instants, zone, close time)",
        time_it(lambda: five.due_many(values, calendar)),
        records=n,
        vs=BUSDAY,
    )
    return [table, days_table]


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0], n=1_000_000)
    cli.add_argument("--subset", type=int, default=5000, help="cases timed for the per-case peers (default 5,000)")
    args = cli.parse_args(argv)
    print(machine())
    start = time.perf_counter()
    for table in run(args.n, args.repeat, args.warmup, args.seed, args.subset):
        table.print()
    print(f"({time.perf_counter() - start:,.1f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
