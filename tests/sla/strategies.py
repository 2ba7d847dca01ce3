"""Hypothesis strategies for the SLA engine: calendars in DST zones, instants near DST changes, pauses.

Instants are drawn as whole-minute or whole-microsecond UTC times in 2023-2025
and, half the time, within a day of a DST change of the calendar's zone.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from georeport.sla import BusinessCalendar, Interval, Target

ZONES = ("America/Chicago", "Europe/Paris", "Australia/Sydney", "America/Santiago", "Asia/Kolkata", "UTC")
"""DST zones of both hemispheres (Santiago changes at midnight), one without DST, and UTC."""

LOW = datetime(2023, 1, 1, tzinfo=UTC)
HIGH = datetime(2025, 12, 31, tzinfo=UTC)


def dst_changes(zone: ZoneInfo) -> list[datetime]:
    """The UTC instants where ``zone``'s offset changes between LOW and HIGH (to the hour)."""
    changes = []
    moment = LOW
    offset = moment.astimezone(zone).utcoffset()
    while moment < HIGH:
        following = moment + timedelta(hours=1)
        now = following.astimezone(zone).utcoffset()
        if now != offset:
            changes.append(following)
            offset = now
        moment = following
    return changes


_CHANGES = {name: dst_changes(ZoneInfo(name)) for name in ZONES}


_QUARTER = timedelta(minutes=15)
_DAY_SHAPES = st.one_of(
    st.just(()),
    st.just(((0, 96),)),
    st.tuples(st.integers(0, 95), st.integers(1, 96)).filter(lambda p: p[0] < p[1]).map(lambda p: (p,)),
    st.lists(st.integers(0, 96), min_size=4, max_size=4, unique=True)
    .map(sorted)
    .map(lambda m: ((m[0], m[1]), (m[2], m[3]))),
)


def intervals() -> st.SearchStrategy[tuple[Interval, ...]]:
    """One day's hours: none, 00:00-24:00, one or two intervals on quarter hours."""
    return _DAY_SHAPES.map(lambda pairs: tuple(Interval(a * _QUARTER, b * _QUARTER) for a, b in pairs))


@st.composite
def calendars(draw: st.DrawFn, *, zones: tuple[str, ...] = ZONES) -> BusinessCalendar:
    """A calendar with random weekly hours (at least one working weekday), holidays and half-days in 2023-2025."""
    zone = draw(st.sampled_from(zones))
    week = draw(st.lists(intervals(), min_size=7, max_size=7))
    if not any(week):
        week[draw(st.integers(0, 6))] = (Interval(timedelta(hours=9), timedelta(hours=17)),)
    first = date(2023, 1, 1).toordinal()
    days = st.integers(0, 3 * 365).map(lambda offset: date.fromordinal(first + offset))
    holidays = draw(st.sets(days, max_size=8))
    half = draw(st.dictionaries(days, intervals(), max_size=4))
    return BusinessCalendar(
        zone=zone, hours=week, holidays=holidays, half_days={d: h for d, h in half.items() if d not in holidays}
    )


def _instants(zone: str) -> st.SearchStrategy[datetime]:
    anywhere = st.datetimes(LOW.replace(tzinfo=None), HIGH.replace(tzinfo=None), timezones=st.just(UTC))
    changes = _CHANGES[zone]
    if not changes:
        return anywhere
    near = st.builds(
        lambda change, minutes: change + timedelta(minutes=minutes),
        st.sampled_from(changes),
        st.integers(-24 * 60, 24 * 60),
    )
    return st.one_of(anywhere, near)


_INSTANTS = {zone: _instants(zone) for zone in ZONES}


def instants(zone: str) -> st.SearchStrategy[datetime]:
    """UTC instants in 2023-2025, half of them within a day of one of ``zone``'s DST changes."""
    return _INSTANTS[zone]


_TARGETS = st.one_of(
    st.builds(Target.calendar, st.timedeltas(timedelta(0), timedelta(days=40))),
    st.builds(Target.business_hours, st.integers(0, 4 * 60).map(lambda q: timedelta(minutes=15 * q))),
    st.builds(Target.business_days, st.integers(1, 12)),
)


def targets() -> st.SearchStrategy[Target]:
    """Targets of each kind, from zero to a few weeks."""
    return _TARGETS


def _pool(size: int, seed: int) -> list[BusinessCalendar]:
    """Seeded random calendars, built once so their tables are reused across examples."""
    rng = random.Random(seed)

    def day() -> tuple[Interval, ...]:
        shape = rng.choice(["none", "none", "all", "one", "two", "two"])
        if shape == "none":
            return ()
        if shape == "all":
            return (Interval(timedelta(0), timedelta(days=1)),)
        marks = sorted(rng.sample(range(97), 2 if shape == "one" else 4))
        return tuple(Interval(a * _QUARTER, b * _QUARTER) for a, b in zip(marks[::2], marks[1::2], strict=True))

    pool = []
    first = date(2023, 1, 1).toordinal()
    for index in range(size):
        week = [day() for _ in range(7)]
        if not any(week):
            week[0] = (Interval(timedelta(hours=9), timedelta(hours=17)),)
        holidays = {date.fromordinal(first + rng.randrange(3 * 365)) for _ in range(rng.randrange(12))}
        half = {date.fromordinal(first + rng.randrange(3 * 365)): day() for _ in range(rng.randrange(5))}
        pool.append(
            BusinessCalendar(
                zone=ZONES[index % len(ZONES)],
                hours=week,
                holidays=holidays,
                half_days={d: h for d, h in half.items() if d not in holidays},
            )
        )
    pool.append(BusinessCalendar(zone="America/Chicago", hours={"weekdays": "09:00-17:00"}))
    pool.append(BusinessCalendar.always("Europe/Paris"))
    return pool


POOL = _pool(40, 311)
"""Seeded calendars of every shape in every zone of ZONES, plus 9-17 weekdays and 24x7."""


_POOLED = st.sampled_from(POOL)


def pooled_calendars() -> st.SearchStrategy[BusinessCalendar]:
    """A calendar from POOL: varied, and cheap because each table is built once per test run."""
    return _POOLED
