"""Due times against independent implementations: pandas CustomBusinessHour, businesstimedelta, numpy.busday_offset.

Seeded random cases in 2023-2025, a third of them within three days of a DST
change, many on weekends and public holidays. Each peer works on naive local
wall-clock times, so the starts are converted to the calendar's zone first and
the peers' results localised back (the working hours never contain a DST
change, so wall-clock business hours are real hours there).

Conventions: a business-hours target reached exactly at a closing time is due
then for georeport and businesstimedelta, and at the next opening for pandas
(the same instant of working time); the test accepts either form of pandas'
answer only when it is an opening time.
"""

from __future__ import annotations

import warnings
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from georeport.sla import BusinessCalendar, Target
from tests.sla.strategies import dst_changes

pd = pytest.importorskip("pandas", reason="the pandas reference needs pandas (the test extra)")
holidays_package = pytest.importorskip("holidays", reason="the public holidays come from the holidays package")

CONFIGS = {
    "chicago": ("America/Chicago", ["09:00", "13:00"], ["12:00", "17:00"], "US", None),
    "paris": ("Europe/Paris", ["08:30"], ["17:00"], "FR", None),
    "sydney": ("Australia/Sydney", ["09:00"], ["17:00"], "AU", "NSW"),
}
CASES = 10_200
"""Pandas cases in all, a third per calendar (about 3 s on an idle core); businesstimedelta checks 300."""


def setup(name: str) -> tuple[BusinessCalendar, list[date], ZoneInfo]:
    zone, starts, ends, country, subdivision = CONFIGS[name]
    days = sorted(holidays_package.country_holidays(country, subdiv=subdivision, years=range(2022, 2028)))
    hours = [f"{a}-{b}" for a, b in zip(starts, ends, strict=True)]
    calendar = BusinessCalendar(zone=zone, hours={"weekdays": hours}, holidays=days)
    return calendar, days, ZoneInfo(zone)


def random_starts(zone: ZoneInfo, count: int, seed: int) -> np.ndarray:
    """UTC datetime64[ns] instants to the second: uniform over 2023-2025, a third near DST changes."""
    rng = np.random.default_rng(seed)
    low = np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64)
    high = np.datetime64("2025-12-01T00:00:00", "s").astype(np.int64)
    uniform = rng.integers(low, high, size=count)
    changes = np.array([int(change.timestamp()) for change in dst_changes(zone)], np.int64)
    near = rng.choice(changes, size=count) + rng.integers(-3 * 86_400, 3 * 86_400, size=count)
    chosen = np.where(rng.random(count) < 1 / 3, near, uniform)
    return chosen.astype("datetime64[s]").astype("datetime64[ns]")


def to_local_naive(values: np.ndarray, zone: ZoneInfo) -> Any:
    return pd.DatetimeIndex(values).tz_localize("UTC").tz_convert(zone.key).tz_localize(None)


def to_utc(local: Any, zone: ZoneInfo) -> Any:
    return local.tz_localize(zone.key).tz_convert("UTC").tz_localize(None).to_numpy("datetime64[ns]")


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_business_hours_equal_pandas_custom_business_hour(name: str) -> None:
    calendar, days, zone = setup(name)
    _, opens, closes, _, _ = CONFIGS[name]
    count = CASES // len(CONFIGS)
    starts = random_starts(zone, count, seed=len(name))
    hours = np.random.default_rng(7).integers(1, 41, size=count)
    local_starts = to_local_naive(starts, zone)
    offsets = {
        n: pd.offsets.CustomBusinessHour(n=n, start=opens, end=closes, holidays=days, weekmask="Mon Tue Wed Thu Fri")
        for n in range(1, 41)
    }
    one_back = pd.offsets.CustomBusinessHour(
        n=-1, start=opens, end=closes, holidays=days, weekmask="Mon Tue Wed Thu Fri"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        expected = pd.DatetimeIndex([start + offsets[int(n)] for start, n in zip(local_starts, hours, strict=True)])
    ours = np.empty(count, "datetime64[ns]")
    for n in range(1, 41):
        chosen = hours == n
        ours[chosen] = Target.business_hours(n).due_many(starts[chosen], calendar)
    local_ours = to_local_naive(ours, zone)
    same = local_ours == expected
    at_opening = np.isin(expected.strftime("%H:%M"), opens)
    # pandas' next opening stands for the closing before it: one working hour back, one wall hour on
    closing = pd.DatetimeIndex([value + one_back + pd.Timedelta(hours=1) for value in expected[~same]])
    assert np.all(at_opening[~same]), expected[~same & ~at_opening][:5]
    assert list(local_ours[~same]) == list(closing)
    assert count == len(expected)
    assert np.sum(same) > count / 2  # most cases are plain equalities


def test_business_hours_equal_businesstimedelta() -> None:
    btd = pytest.importorskip("businesstimedelta", reason="the businesstimedelta reference is not installed")
    calendar, days, zone = setup("chicago")
    rules = btd.Rules(
        [
            btd.WorkDayRule(start_time=time(9), end_time=time(12), working_days=[0, 1, 2, 3, 4]),
            btd.WorkDayRule(start_time=time(13), end_time=time(17), working_days=[0, 1, 2, 3, 4]),
            btd.HolidayRule(days),
        ]
    )
    count = 300
    starts = random_starts(zone, count, seed=11)
    hours = np.random.default_rng(5).integers(1, 30, size=count)
    local_starts = to_local_naive(starts, zone)
    expected = [
        (start.to_pydatetime() + btd.BusinessTimeDelta(rules, hours=int(n))).replace(tzinfo=None)
        for start, n in zip(local_starts, hours, strict=True)
    ]
    ours = [Target.business_hours(int(n)).due_many(starts[i : i + 1], calendar)[0] for i, n in enumerate(hours)]
    assert list(to_local_naive(np.array(ours), zone).to_pydatetime()) == expected


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_business_days_equal_numpy_busday_offset(name: str) -> None:
    calendar, days, zone = setup(name)
    _, _, closes, _, _ = CONFIGS[name]
    count = 20_000
    starts = random_starts(zone, count, seed=100 + len(name))
    n = np.random.default_rng(3).integers(1, 25, size=count)
    local_days = to_local_naive(starts, zone).normalize().to_numpy("datetime64[D]")
    due_days = np.busday_offset(local_days, n, roll="backward", weekmask="1111100", holidays=days)
    close = pd.Timedelta(closes[-1] + ":00")
    expected = to_utc(pd.DatetimeIndex(due_days) + close, zone)
    ours = np.empty(count, "datetime64[ns]")
    for value in np.unique(n):
        ours[n == value] = Target.business_days(int(value)).due_many(starts[n == value], calendar)
    assert np.array_equal(ours, expected)


def test_the_random_cases_cross_dst_changes_weekends_and_holidays() -> None:
    _calendar, days, zone = setup("chicago")
    starts = to_local_naive(random_starts(zone, CASES // len(CONFIGS), seed=len("chicago")), zone)
    on_days = {value.date() for value in starts}
    changes = {change.astimezone(zone).date() for change in dst_changes(zone)}
    assert on_days & set(days)
    assert on_days & changes
    assert any(day.weekday() >= 5 for day in on_days)
