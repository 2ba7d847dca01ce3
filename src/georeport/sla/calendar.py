"""Business calendars: when the clock of a service level agreement runs.

A ``BusinessCalendar`` is a time zone, working hours per weekday (several
intervals a day, e.g. around a lunch break), holidays (explicit dates, or a
country's from the ``holidays`` package) and half-days (dates with their own
hours). Hours are local wall-clock times; every computation converts them to
UTC instants day by day, so a 09:00-17:00 day is 8 hours on both DST change
days and a 24x7 day is 23 or 25 hours on them.

Working time is computed on a table of the calendar's working intervals over
the local years in use, built once per calendar and extended when an instant
falls outside it (see ``_vector.py``). Supported instants: years 1900-2100.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import numpy as np
import numpy.typing as npt

from georeport.errors import ValidationError
from georeport.sla._declared import Declared
from georeport.sla._instants import (
    FIRST_YEAR,
    LAST_YEAR,
    NAT,
    Int64Array,
    bounds,
    ns_array,
    pause_list,
    pause_matrix,
    to_ns,
    to_timedelta64,
)
from georeport.sla._scalar import elapsed_one
from georeport.sla._vector import WorkTable, elapsed_kernel
from georeport.sla.errors import CalendarError

__all__ = ["WEEKDAYS", "BusinessCalendar", "HolidaySource", "Interval"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Weekday names in ``date.weekday()`` order, as declarations spell them."""

_DAY = timedelta(days=1)
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_NS = 86_400 * 10**9


def _offset(text: str, what: str) -> timedelta:
    match = _TIME.match(text)
    if not match:
        raise CalendarError(f"the {what} must be a time as HH:MM or HH:MM:SS (got {text!r})")
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):  # noqa: PLR2004
        raise CalendarError(f"the {what} must be a time of day between 00:00 and 24:00 (got {text!r})")
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _as_offset(value: object, what: str) -> timedelta:
    if isinstance(value, timedelta):
        if value.microseconds:
            raise CalendarError(f"the {what} is a time of day in whole seconds (got {value!r})")
        return value
    if isinstance(value, time):
        if value.tzinfo is not None or value.microsecond:
            raise CalendarError(f"the {what} is a local time of day in whole seconds, without a zone (got {value!r})")
        return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    if isinstance(value, str):
        return _offset(value, what)
    raise CalendarError(f"the {what} must be a time of day, 'HH:MM' or a datetime.time (got {value!r})")


@attrs.frozen
class Interval:
    """Working hours within one local day: from ``start`` to ``end`` after midnight (``end`` may be 24:00).

    Examples:
        >>> Interval.parse("09:00-12:30")
        Interval(start=datetime.timedelta(seconds=32400), end=datetime.timedelta(seconds=45000))
        >>> str(Interval.parse("13:00-24:00"))
        '13:00-24:00'
        >>> Interval.parse("17:00-09:00")
        Traceback (most recent call last):
        ...
        georeport.sla.errors.CalendarError: an interval must end after it starts (got '17:00-09:00')
    """

    start: timedelta
    end: timedelta

    def __attrs_post_init__(self) -> None:
        if not timedelta(0) <= self.start < self.end <= _DAY:
            raise CalendarError(f"an interval must end after it starts (got {str(self)!r})")

    @classmethod
    def parse(cls, value: object) -> Interval:
        """An interval from ``"09:00-17:00"``, a ``(start, end)`` pair of times/strings, or an ``Interval``.

        Raises:
            CalendarError: not an interval, or one that ends before it starts.
        """
        if isinstance(value, Interval):
            return value
        if isinstance(value, str):
            parts = value.split("-")
            if len(parts) != 2:  # noqa: PLR2004
                raise CalendarError(f"an interval is written 'HH:MM-HH:MM' (got {value!r})")
            start, end = _offset(parts[0], "start"), _offset(parts[1], "end")
        elif isinstance(value, Sequence) and len(value) == 2:  # noqa: PLR2004
            start, end = _as_offset(value[0], "start"), _as_offset(value[1], "end")
        else:
            raise CalendarError(f"an interval is 'HH:MM-HH:MM' or a (start, end) pair (got {value!r})")
        if not timedelta(0) <= start < end <= _DAY:
            raise CalendarError(f"an interval must end after it starts (got {value!r})")
        return cls(start, end)

    def __str__(self) -> str:
        def clock(offset: timedelta) -> str:
            seconds = int(offset.total_seconds())
            text = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
            return text + (f":{seconds % 60:02d}" if seconds % 60 else "")

        return f"{clock(self.start)}-{clock(self.end)}"


def _day_hours(value: object) -> tuple[Interval, ...]:
    """One day's intervals, sorted; overlapping intervals raise ``CalendarError`` (touching ones are fine)."""
    if value is None:
        return ()
    items: Iterable[object] = [value] if isinstance(value, str | Interval) else value  # type: ignore[assignment]
    if not isinstance(items, Iterable):
        raise CalendarError(f"a day's hours are a list of intervals (got {value!r})")
    intervals = sorted((Interval.parse(item) for item in items), key=lambda interval: interval.start)
    for before, after in itertools.pairwise(intervals):
        if after.start < before.end:
            raise CalendarError(f"working hours overlap: {before} and {after}")
    return tuple(intervals)


def _week(value: Mapping[str | int, object] | Sequence[object]) -> tuple[tuple[Interval, ...], ...]:
    """Seven days of hours from a sequence of 7, or a mapping of weekday names (or numbers) to hours."""
    if isinstance(value, Mapping):
        week: list[tuple[Interval, ...]] = [() for _ in WEEKDAYS]
        for key, hours in value.items():
            if key == "weekdays":
                days = range(5)
            elif key == "everyday":
                days = range(7)
            elif isinstance(key, int) and 0 <= key < 7:  # noqa: PLR2004
                days = range(key, key + 1)
            elif isinstance(key, str) and key.lower() in WEEKDAYS:
                days = range(WEEKDAYS.index(key.lower()), WEEKDAYS.index(key.lower()) + 1)
            else:
                names = ", ".join(repr(name) for name in (*WEEKDAYS, "weekdays", "everyday"))
                raise CalendarError(f"unknown weekday {key!r} (the days are {names})")
            for day in days:
                week[day] = _day_hours(hours)
        return tuple(week)
    candidate: object = value
    if isinstance(candidate, Sequence) and not isinstance(candidate, str) and len(candidate) == len(WEEKDAYS):
        return tuple(_day_hours(hours) for hours in candidate)
    raise CalendarError(f"the hours are a mapping of weekday names to intervals, or 7 lists (got {value!r})")


def _zone(value: str | ZoneInfo | tzinfo) -> ZoneInfo:
    if isinstance(value, ZoneInfo):
        return value
    if value is UTC:
        return ZoneInfo("UTC")
    if isinstance(value, str):
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise CalendarError(f"unknown time zone {value!r} (an IANA name such as 'America/Chicago')") from error
    raise CalendarError(f"the zone must be an IANA name, a zoneinfo.ZoneInfo or datetime.UTC (got {value!r})")


def _date(value: object, what: str) -> date:
    if isinstance(value, datetime):
        raise CalendarError(f"{what} must be a date, not a datetime (got {value!r})")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CalendarError(f"{what} must be a date as YYYY-MM-DD (got {value!r})") from error
    raise CalendarError(f"{what} must be a date (got {value!r})")


def _holidays(value: Iterable[object]) -> frozenset[date]:
    if isinstance(value, str | date):
        raise CalendarError(f"holidays are a list of dates (got {value!r})")
    return frozenset(_date(item, "a holiday") for item in value)


def _half_days(
    value: Mapping[Any, object] | tuple[tuple[date, tuple[Interval, ...]], ...],
) -> tuple[tuple[date, tuple[Interval, ...]], ...]:
    if isinstance(value, tuple):
        value = dict(value)
    if not isinstance(value, Mapping):
        raise CalendarError(f"half-days are a mapping of dates to intervals (got {value!r})")
    return tuple(sorted((_date(day, "a half-day"), _day_hours(hours)) for day, hours in value.items()))


@attrs.frozen(kw_only=True)
class HolidaySource:
    """A country's public holidays (and a subdivision's) from the ``holidays`` package (the ``holidays`` extra).

    ``observed`` keeps the days a holiday is observed on when it falls on a weekend.
    """

    country: str
    subdivision: str | None = None
    observed: bool = True

    def dates(self, first_year: int, last_year: int) -> frozenset[date]:
        """The holidays of these years.

        Raises:
            ImportError: the ``holidays`` package is not installed.
            CalendarError: the package does not know the country or subdivision.
        """
        try:
            import holidays  # noqa: PLC0415 - an optional extra
        except ImportError as error:  # pragma: no cover - installed in the test environment
            msg = "holidays from a country need the 'holidays' package: pip install 'open311-georeport[holidays]'"
            raise ImportError(msg) from error
        try:
            found = holidays.country_holidays(
                self.country, subdiv=self.subdivision, years=range(first_year, last_year + 1), observed=self.observed
            )
        except NotImplementedError as error:
            raise CalendarError(f"the holidays package does not know country {self.country!r}") from error
        return frozenset(found.keys())


def _offset_ns(zone: ZoneInfo, ordinal: int) -> int:
    """The UTC offset of local midnight of a date (fold=0), in ns."""
    offset = datetime.fromordinal(ordinal).replace(tzinfo=zone).utcoffset()
    assert offset is not None  # noqa: S101 - a ZoneInfo always answers
    return offset // _US * 1000


def _midnight_offsets(zone: ZoneInfo, ordinals: Int64Array) -> Int64Array:
    """The UTC offset of each local midnight, asking the zone weekly and daily only in weeks with a change.

    Offsets change at most a few times a year and never twice within a week.
    """
    weekly = ordinals[::7]
    if weekly[-1] != ordinals[-1]:
        weekly = np.append(weekly, ordinals[-1])
    sampled = np.array([_offset_ns(zone, int(o)) for o in weekly], np.int64)
    positions = np.searchsorted(weekly, ordinals, side="right") - 1
    offsets = sampled[positions]
    for week in np.flatnonzero(sampled[:-1] != sampled[1:]).tolist():
        low, high = int(weekly[week]) - int(ordinals[0]), int(weekly[week + 1]) - int(ordinals[0])
        offsets[low : high + 1] = [_offset_ns(zone, int(o)) for o in ordinals[low : high + 1]]
    return offsets


class _TableCache:
    """What a calendar computed once: its ``WorkTable``, the years it covers, package holidays by year.

    The table is replaced when it grows, never mutated.
    """

    __slots__ = ("holidays", "table", "years")

    def __init__(self) -> None:
        self.holidays: dict[int, frozenset[date]] = {}
        self.table: WorkTable | None = None
        self.years = (0, -1)


def _holiday_source(value: object) -> HolidaySource | None:
    if value is None or isinstance(value, HolidaySource):
        return value
    if isinstance(value, str):
        return HolidaySource(country=value)
    raise CalendarError(f"holidays_from is a country code or a HolidaySource (got {value!r})")


@attrs.frozen(kw_only=True)
class BusinessCalendar(Declared):
    """When the clock runs: a zone, weekly hours, holidays and half-days.

    Args:
        zone: an IANA name or ``ZoneInfo`` (``datetime.UTC`` for UTC); the hours are local times there.
        hours: a mapping of weekday names (``"monday"``...; ``"weekdays"`` for Monday
            to Friday, ``"everyday"``) or numbers (0 = Monday) to intervals
            (``"09:00-17:00"``, a list of them, or ``Interval``s), or 7 lists, Monday first.
            A day not named has no working time.
        holidays: dates with no working time.
        holidays_from: a country code (``"US"``) or ``HolidaySource`` whose holidays are added.
        half_days: dates with their own hours instead of the weekday's (these win over holidays
            from ``holidays_from``; a date both here and in ``holidays`` is refused).

    Raises:
        CalendarError: an unknown zone, overlapping hours, a malformed date, a
            calendar with no working time at all.

    Examples:
        >>> calendar = BusinessCalendar(zone="America/Chicago", hours={"weekdays": ["09:00-12:00", "13:00-17:00"]})
        >>> calendar.working_time(date(2024, 3, 11))
        datetime.timedelta(seconds=25200)
        >>> BusinessCalendar(zone="Mars/Olympus", hours={"weekdays": "09:00-17:00"})
        Traceback (most recent call last):
        ...
        georeport.sla.errors.CalendarError: unknown time zone 'Mars/Olympus' (an IANA name such as 'America/Chicago')
    """

    zone: ZoneInfo = attrs.field(converter=_zone)
    hours: tuple[tuple[Interval, ...], ...] = attrs.field(converter=_week)
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_holidays)
    holidays_from: HolidaySource | None = attrs.field(default=None, converter=_holiday_source)
    half_days: tuple[tuple[date, tuple[Interval, ...]], ...] = attrs.field(default=(), converter=_half_days)
    _cache: _TableCache = attrs.field(init=False, factory=_TableCache, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        both = sorted(self.holidays & {day for day, _ in self.half_days})
        if both:
            raise CalendarError(f"{both[0].isoformat()} is both a holiday and a half-day")
        if not any(self.hours) and not any(hours for _, hours in self.half_days):
            raise CalendarError("the calendar has no working time: give hours for at least one weekday")

    @classmethod
    def always(cls, zone: str | ZoneInfo = "UTC") -> BusinessCalendar:
        """A 24x7 calendar: every instant is working time (the zone names days and shows results).

        Examples:
            >>> BusinessCalendar.always("Europe/Paris").working_time(date(2024, 3, 31))
            datetime.timedelta(seconds=82800)
        """
        return cls(zone=zone, hours={"everyday": "00:00-24:00"})

    @classmethod
    def from_dict(cls, data: object) -> BusinessCalendar:
        """A calendar from its declaration (a dict as read from TOML or JSON); see ``docs/sla.md``.

        Raises:
            CalendarError: every problem found, with its place (``problems`` lists them).
        """
        from georeport.sla._declaration import calendar_from_dict  # noqa: PLC0415 - a cycle otherwise

        return calendar_from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The calendar's declaration: ``from_dict(calendar.to_dict()) == calendar``."""
        data: dict[str, Any] = {
            "zone": self.zone.key,
            "hours": {name: [str(i) for i in hours] for name, hours in zip(WEEKDAYS, self.hours, strict=True) if hours},
        }
        if self.holidays:
            data["holidays"] = sorted(day.isoformat() for day in self.holidays)
        if self.holidays_from is not None:
            source: dict[str, Any] = {"country": self.holidays_from.country}
            if self.holidays_from.subdivision is not None:
                source["subdivision"] = self.holidays_from.subdivision
            if not self.holidays_from.observed:
                source["observed"] = False
            data["holidays_from"] = source
        if self.half_days:
            data["half_days"] = {day.isoformat(): [str(i) for i in hours] for day, hours in self.half_days}
        return data

    # --- days ---------------------------------------------------------------------------

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The working intervals of a local date (empty on a day off)."""
        for special, hours in self.half_days:
            if special == day:
                return hours
        if day in self.holidays or day in self._package_holidays(day.year, day.year):
            return ()
        return self.hours[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        """Whether a local date has any working time."""
        return bool(self.hours_on(day))

    def working_time(self, day: date) -> timedelta:
        """The working time of a local date, in real (UTC) time: DST days included."""
        start = datetime.combine(day, time(), self.zone)
        return self.elapsed(start, datetime.combine(day + _DAY, time(), self.zone))

    def _package_holidays(self, first_year: int, last_year: int) -> frozenset[date]:
        """The holidays from ``holidays_from`` in these years, each year asked of the package once."""
        if self.holidays_from is None:
            return frozenset()
        known = self._cache.holidays
        missing = [year for year in range(first_year, last_year + 1) if year not in known]
        if missing:
            found = self.holidays_from.dates(missing[0], missing[-1])
            for year in range(missing[0], missing[-1] + 1):
                known[year] = frozenset(day for day in found if day.year == year)
        return frozenset().union(*(known[year] for year in range(first_year, last_year + 1)))

    # --- the table ------------------------------------------------------------------------

    def _build(self, first_year: int, last_year: int, *, exact: bool = False) -> WorkTable:
        """The table of the local years ``first_year`` to ``last_year``.

        Hours are local wall-clock times: on a day whose UTC offset is the same
        at its midnight and the next, an interval is the day's UTC midnight plus
        the interval's offsets (numpy, by weekday). Days with an offset change,
        half-days (and every day when ``exact``) convert each wall time through
        the zone one by one (``fold=0`` in a gap or an overlap).
        """
        special = dict(self.half_days)
        closed = self.holidays | self._package_holidays(first_year, last_year)
        first, last = date(first_year, 1, 1), date(last_year, 12, 31)
        ordinals = np.arange(first.toordinal(), last.toordinal() + 2, dtype=np.int64)
        days = ordinals.size - 1
        zone = self.zone
        offsets = _midnight_offsets(zone, ordinals)
        day_starts = (ordinals - _EPOCH_ORDINAL) * _DAY_NS - offsets
        pattern = (ordinals[:-1] - 1) % 7  # date.weekday(): ordinal 1 is a Monday
        closed_ordinals = [day.toordinal() for day in closed if first <= day <= last]
        pattern[np.asarray(closed_ordinals, np.int64) - ordinals[0]] = 7
        by_hand = np.zeros(days, dtype=bool) if not exact else np.ones(days, dtype=bool)
        by_hand |= offsets[:-1] != offsets[1:]
        by_hand[np.asarray([d.toordinal() for d in special if first <= d <= last], np.int64) - ordinals[0]] = True
        closes = np.full(days, NAT, np.int64)
        pieces: list[Int64Array] = []
        for weekday, hours in enumerate(self.hours):
            chosen = np.flatnonzero((pattern == weekday) & ~by_hand)
            if not hours or chosen.size == 0:
                continue
            base = day_starts[chosen]
            pieces += [
                np.stack((base + interval.start // _US * 1000, base + interval.end // _US * 1000), axis=1)
                for interval in hours
            ]
            closes[chosen] = base + hours[-1].end // _US * 1000
        bounds: list[int] = []
        for index in np.flatnonzero(by_hand).tolist():
            day = date.fromordinal(int(ordinals[index]))
            found = special.get(day)
            hours = found if found is not None else () if day in closed else self.hours[day.weekday()]
            local = datetime.combine(day, time())
            for interval in hours:
                begin = ((local + interval.start).replace(tzinfo=zone) - _EPOCH) // _US * 1000
                end = ((local + interval.end).replace(tzinfo=zone) - _EPOCH) // _US * 1000
                if end > begin:
                    bounds += (begin, end)
                    closes[index] = end
        pieces.append(np.array(bounds, np.int64).reshape(-1, 2))
        intervals = np.concatenate(pieces)
        return WorkTable(intervals=intervals, day_starts=day_starts, closes=closes, first_ordinal=first.toordinal())

    def _table(self, lowest: int, highest: int) -> WorkTable:
        """A table covering the instants ``lowest`` to ``highest`` (UTC ns), with a day to spare on each side."""
        cache = self._cache
        table = cache.table
        if table is not None and table.lowest < lowest and highest < table.highest - 86_400 * 10**9:
            return table
        low_year = (_EPOCH + timedelta(microseconds=lowest // 1000)).year - 1
        high_year = (_EPOCH + timedelta(microseconds=highest // 1000)).year + 1
        if table is not None:
            low_year, high_year = min(low_year, cache.years[0]), max(high_year, cache.years[1])
        low_year, high_year = max(low_year, FIRST_YEAR - 1), min(high_year, LAST_YEAR + 1)
        table = self._build(low_year, high_year)
        if table.starts.size == 0:
            raise CalendarError(f"the calendar has no working time in the years {low_year}-{high_year}")
        cache.table, cache.years = table, (low_year, high_year)
        return table

    def _extended(self, table: WorkTable) -> WorkTable:
        """A table covering twice as many years after the current one.

        Raises:
            CalendarError: the extension would pass the last supported year.
        """
        first, last = self._cache.years
        if last >= LAST_YEAR + 1:
            raise CalendarError(f"a due time falls after the last supported year {LAST_YEAR}")
        span = last - first + 1
        del table
        return self._table(
            (datetime(first + 1, 1, 1, tzinfo=UTC) - _EPOCH) // _US * 1000,
            (datetime(min(last + span, LAST_YEAR + 1), 1, 1, tzinfo=UTC) - _EPOCH) // _US * 1000,
        )

    # --- elapsed --------------------------------------------------------------------------

    def elapsed(self, start: datetime, end: datetime, *, pauses: Sequence[Any] = ()) -> timedelta:
        """The working time between two instants, outside the clock's pauses.

        Args:
            start: an aware datetime.
            end: an aware datetime, no earlier than ``start``.
            pauses: ``georeport.lifecycle.Pause`` objects (or ``(start, end)`` pairs);
                a pause still running (end None) counts until ``end``.

        Raises:
            georeport.ValidationError: a naive datetime, or ``end`` before ``start``.
            CalendarError: an instant outside the years 1900-2100.

        Examples:
            >>> chicago = ZoneInfo("America/Chicago")
            >>> calendar = BusinessCalendar(zone=chicago, hours={"weekdays": "09:00-17:00"})
            >>> calendar.elapsed(datetime(2024, 3, 8, 16, tzinfo=chicago), datetime(2024, 3, 11, 10, tzinfo=chicago))
            datetime.timedelta(seconds=7200)
        """
        a, b = to_ns(start, "start"), to_ns(end, "end")
        if b < a:
            raise ValidationError("end", end, f"no earlier than the start {start.isoformat()}")
        result = elapsed_one(self._table(a, b), a, b, pause_list(pauses, as_of=None))
        return timedelta(microseconds=result // 1000)

    def elapsed_many(
        self,
        starts: npt.ArrayLike,
        ends: npt.ArrayLike,
        *,
        pause_starts: npt.ArrayLike | None = None,
        pause_ends: npt.ArrayLike | None = None,
    ) -> npt.NDArray[np.timedelta64]:
        """``elapsed`` over arrays: ``datetime64`` arrays of UTC instants in, ``timedelta64[ns]`` out.

        Args:
            starts: instants (``datetime64``, UTC); NaT gives NaT.
            ends: instants of the same shape; NaT gives NaT.
            pause_starts: optional pauses, shape (n,) or (n, k), NaT where a case has fewer pauses.
            pause_ends: their ends, NaT for a pause still running (it counts until the end).

        Raises:
            georeport.ValidationError: not datetime64 arrays, shapes disagree, or an end before its start
                (the message names the first such index).
            CalendarError: an instant outside the years 1900-2100.
        """
        a, b = ns_array(starts, "starts"), ns_array(ends, "ends")
        if a.shape != b.shape:
            raise ValidationError("ends", f"<array of shape {b.shape}>", f"an array of the starts' shape {a.shape}")
        shape = a.shape
        a, b = a.ravel(), b.ravel()
        backwards = (a != NAT) & (b != NAT) & (b < a)
        if np.any(backwards):
            index = int(np.flatnonzero(backwards)[0])
            raise ValidationError(f"ends[{index}]", str(b.view("datetime64[ns]")[index]), "no earlier than its start")
        if pause_starts is None or pause_ends is None:
            starts_matrix = ends_matrix = np.full((a.size, 0), NAT, np.int64)
        else:
            starts_matrix, ends_matrix = pause_matrix(pause_starts, pause_ends, a.size)
        return to_timedelta64(self._elapsed(a, b, starts_matrix, ends_matrix).reshape(shape))

    def _elapsed(self, a: Int64Array, b: Int64Array, pause_starts: Int64Array, pause_ends: Int64Array) -> Int64Array:
        low, high = bounds(a)[0], bounds(b)[1]
        if low is None or high is None:
            return np.full(a.shape, NAT, np.int64)
        table = self._table(low, high)
        return elapsed_kernel(table, a, b, pause_starts, pause_ends)
