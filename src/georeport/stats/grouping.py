"""Periods and groups: which group each case falls in.

A ``Period`` cuts time into days, ISO weeks, months, quarters, fiscal years
starting in any month, or trailing windows of 7/30/90 days ending with the
as-of day. Boundaries are local midnights in the period's time zone (a
department's day ends at its own midnight, DST included): they are computed
once per boundary with ``zoneinfo`` and every instant is placed by a binary
search on UTC nanoseconds, so a million cases take milliseconds.

A ``Grouper`` combines dimensions (agency, service...) and a period into one
integer group code per case, and gives each code its ``Group`` tuple.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Final

import attrs
import numpy as np
from numpy.typing import NDArray

from georeport.errors import ValidationError
from georeport.stats.cases import CaseTable, Instants
from georeport.stats.report import Group

__all__ = ["Basis", "Grouper", "Period", "PeriodKind", "to_instant"]

_MAX_PERIODS: Final = 100_000


class PeriodKind(StrEnum):
    """How a period cuts time."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    FISCAL_YEAR = "fiscal_year"
    ROLLING = "rolling"


class Basis(StrEnum):
    """Which date places a case in a period."""

    RECEIVED = "received"
    """``requested_datetime``: the period's intake (a cohort)."""
    CLOSED = "closed"
    """The close time; cases open at the as-of time go in the period ``open``."""


def to_instant(value: datetime) -> np.datetime64:
    """An aware datetime as a ``datetime64[ns]`` UTC instant.

    Raises:
        georeport.ValidationError: the datetime is naive.
    """
    if value.utcoffset() is None:
        raise ValidationError("as_of", value, "a timezone-aware datetime")
    return np.datetime64(value.astimezone(UTC).replace(tzinfo=None), "ns")


def _month_start(day: date, months: int = 1, offset: int = 1) -> date:
    """The first day of the block of ``months`` months (blocks start in month ``offset``) holding ``day``."""
    index = (day.year * 12 + day.month - offset) // months * months + offset - 1
    return date(index // 12, index % 12 + 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


_SPEC: Final = re.compile(r"(?P<kind>[a-z_]+?)(?:[-_ ]?(?P<number>\d+))?")


@attrs.frozen(kw_only=True)
class Period:
    """How to cut time into periods, in a time zone.

    Args:
        kind: day, week (ISO, Monday first), month, quarter, fiscal_year, rolling.
        timezone: where days begin and end (local midnight).
        fiscal_start: the month a fiscal year starts in (1-12); the year is named for
            the calendar year it ends in (a year starting October 2023 is ``FY2024``).
        days: a rolling window's length (7, 30, 90...); windows end with the as-of day.
        basis: which date places a case in a period.

    Examples:
        >>> Period.parse("fiscal_year-10").label(datetime(2023, 10, 1, tzinfo=UTC))
        'FY2024'
        >>> Period.parse("rolling30").days
        30
    """

    kind: PeriodKind = attrs.field(converter=PeriodKind)
    timezone: tzinfo = UTC
    fiscal_start: int = 1
    days: int = 30
    basis: Basis = attrs.field(default=Basis.RECEIVED, converter=Basis)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.fiscal_start <= 12:  # noqa: PLR2004 - months
            raise ValidationError("fiscal_start", self.fiscal_start, "a month number from 1 to 12")
        if self.days < 1:
            raise ValidationError("days", self.days, "a positive number of days")

    @classmethod
    def parse(cls, text: str, *, timezone: tzinfo = UTC, basis: Basis | str = Basis.RECEIVED) -> Period:
        """A period from its name.

        Names: ``day``, ``week``, ``month``, ``quarter``, ``fiscal_year`` (starting in January),
        ``fiscal_year-7`` or ``fy7`` (starting in July), ``rolling7``, ``rolling30``, ``rolling90``.

        Raises:
            georeport.ValidationError: the name is not one of those.
        """
        match = _SPEC.fullmatch(text.strip().lower().replace("fy", "fiscal_year"))
        kinds = ", ".join(kind.value for kind in PeriodKind)
        if match is None or match["kind"] not in {kind.value for kind in PeriodKind}:
            raise ValidationError("period", text, f"one of {kinds} (fiscal_year-7, rolling30)")
        kind, number = PeriodKind(match["kind"]), match["number"]
        if number is not None and kind not in {PeriodKind.FISCAL_YEAR, PeriodKind.ROLLING}:
            raise ValidationError("period", text, f"{kind.value} without a number")
        if kind is PeriodKind.FISCAL_YEAR:
            return cls(kind=kind, timezone=timezone, fiscal_start=int(number or 1), basis=basis)
        if kind is PeriodKind.ROLLING:
            return cls(kind=kind, timezone=timezone, days=int(number or 30), basis=basis)
        return cls(kind=kind, timezone=timezone, basis=basis)

    def describe(self, language: str = "en") -> str:
        """The period in words, with its basis and zone (printed in the report), in ``en`` or ``es``."""
        zone = getattr(self.timezone, "key", None) or str(self.timezone)
        if language == "es":
            what = {
                PeriodKind.DAY: "día",
                PeriodKind.WEEK: "semana ISO (lunes a domingo)",
                PeriodKind.MONTH: "mes",
                PeriodKind.QUARTER: "trimestre",
                PeriodKind.FISCAL_YEAR: f"año fiscal que empieza en el mes {self.fiscal_start}",
                PeriodKind.ROLLING: f"ventanas móviles de {self.days} días que terminan el día de corte",
            }[self.kind]
            basis = "recepción" if self.basis is Basis.RECEIVED else "cierre"
            tail = (
                "; las solicitudes abiertas a la fecha de corte no pertenecen a ningún período"
                if self.basis is Basis.CLOSED
                else ""
            )
            return f"{what} por fecha de {basis}; los días van de medianoche a medianoche, hora de {zone}{tail}"
        what = {
            PeriodKind.FISCAL_YEAR: f"fiscal year starting in month {self.fiscal_start}",
            PeriodKind.ROLLING: f"trailing {self.days}-day windows ending with the as-of day",
            PeriodKind.WEEK: "ISO week (Monday to Sunday)",
        }.get(self.kind, self.kind.value)
        tail = "; requests open at the as-of time belong to no period" if self.basis is Basis.CLOSED else ""
        return f"{what} by {self.basis.value} date; days run midnight to midnight, {zone} time{tail}"

    def _local_day(self, value: datetime) -> date:
        return value.astimezone(self.timezone).date()

    def _floor(self, day: date) -> date:
        if self.kind is PeriodKind.DAY:
            return day
        if self.kind is PeriodKind.WEEK:
            return day - timedelta(days=day.weekday())
        if self.kind is PeriodKind.MONTH:
            return day.replace(day=1)
        if self.kind is PeriodKind.QUARTER:
            return _month_start(day, 3)
        return _month_start(day, 12, self.fiscal_start)

    def _next(self, day: date) -> date:
        if self.kind is PeriodKind.DAY:
            return day + timedelta(days=1)
        if self.kind is PeriodKind.WEEK:
            return day + timedelta(days=7)
        step = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}.get(self.kind, 12)
        return _add_months(day, step)

    def _label_day(self, day: date, end: date) -> str:
        if self.kind is PeriodKind.DAY:
            return day.isoformat()
        if self.kind is PeriodKind.WEEK:
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{day:%Y-%m}"
        if self.kind is PeriodKind.QUARTER:
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.FISCAL_YEAR:
            return f"FY{day.year + (1 if self.fiscal_start > 1 else 0)}"
        return f"{day.isoformat()}..{(end - timedelta(days=1)).isoformat()}"

    def label(self, value: datetime) -> str:
        """The label of the (calendar) period holding ``value``; rolling windows need ``boundaries``."""
        start = self._floor(self._local_day(value))
        return self._label_day(start, self._next(start))

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.timezone)

    def boundaries(self, first: datetime, as_of: datetime) -> tuple[list[datetime], list[str]]:
        """The periods from the one holding ``first`` to the one holding ``as_of``.

        Returns:
            ``starts`` (one more than the labels: the last is the end of the last period),
            as aware datetimes at local midnight, and the labels.

        Raises:
            georeport.ValidationError: more than 100,000 periods would be needed.
        """
        # The period holding as_of counts only if some instant of it is not after as_of: an as-of time
        # at midnight closes the day before, it does not open an empty one.
        first_day, last_day = self._local_day(first), self._local_day(as_of - timedelta(microseconds=1))
        first_day = min(first_day, last_day)
        days: list[date] = []
        if self.kind is PeriodKind.ROLLING:
            end = last_day + timedelta(days=1)
            days.append(end)
            while days[-1] > first_day:
                days.append(days[-1] - timedelta(days=self.days))
                if len(days) > _MAX_PERIODS:
                    break
            days.reverse()
        else:
            day = self._floor(first_day)
            days.append(day)
            while days[-1] <= last_day:
                days.append(self._next(days[-1]))
                if len(days) > _MAX_PERIODS:
                    break
        if len(days) > _MAX_PERIODS:
            raise ValidationError("period", self.kind.value, f"at most {_MAX_PERIODS:,} periods between the dates")
        labels = [self._label_day(start, end) for start, end in itertools.pairwise(days)]
        return [self._midnight(day) for day in days], labels


def _base_groups(table: CaseTable, by: tuple[str, ...]) -> tuple[NDArray[np.int64], tuple[Group, ...]]:
    """Each case's group of the dimensions ``by``, numbered densely in label order, and the groups."""
    size = len(table)
    # Base groups: the dimensions' codes combined, then renumbered densely in label order.
    combined = np.zeros(size, dtype=np.int64)
    for name in by:
        column = table.dimensions[name]
        combined = combined * (len(column.labels) + 1) + (column.codes.astype(np.int64) + 1)
    present, base = np.unique(combined, return_inverse=True)
    if not by:
        # Everyone is one group, even when there is no one: an empty table still has its (zero) figures.
        present, base = np.zeros(1, dtype=np.int64), np.zeros(size, dtype=np.int64)
    base_groups = []
    for value in present.tolist():
        parts = []
        for name in reversed(by):
            column = table.dimensions[name]
            radix = len(column.labels) + 1
            parts.append((name, column.label(value % radix - 1)))
            value //= radix
        base_groups.append(tuple(reversed(parts)))
    order = sorted(range(len(base_groups)), key=lambda index: base_groups[index])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    base = rank[base] if size else base.astype(np.int64)
    base_groups_sorted = tuple(base_groups[index] for index in order)
    return base.astype(np.int64), base_groups_sorted


@attrs.frozen(eq=False)
class Grouper:
    """Group codes for a case table: dimensions crossed with an optional period.

    ``received`` and ``closed`` give every case its group code by received and
    by close date (``-1`` where a case has no such date or it falls outside the
    periods); ``groups[code]`` is the code's ``Group``. Without a period both
    are the same. ``period_starts[i]`` and ``period_ends[i]`` bound period ``i``.
    """

    dimensions: tuple[str, ...]
    period: Period | None
    groups: tuple[Group, ...]
    """Every group code's tuple, in sorted order (codes are positions)."""
    received: NDArray[np.int64]
    """Each case's group by received date."""
    closed: NDArray[np.int64]
    """Each case's group by close date (-1 when open)."""
    base: NDArray[np.int64]
    """Each case's group without the period (an index into ``base_groups``)."""
    base_groups: tuple[Group, ...]
    """The groups of the dimensions alone."""
    period_of: NDArray[np.int64]
    """Each group code's period index (-1 without a period)."""
    base_of: NDArray[np.int64]
    """Each group code's base group index."""
    period_labels: tuple[str, ...] = ()
    period_starts: tuple[datetime, ...] = ()
    period_ends: tuple[datetime, ...] = ()

    @classmethod
    def of(
        cls,
        table: CaseTable,
        *,
        by: Sequence[str] = (),
        period: Period | None = None,
        as_of: datetime,
    ) -> Grouper:
        """Group ``table`` (already at ``as_of``) by the dimensions ``by`` and ``period``.

        Raises:
            georeport.ValidationError: a dimension the table does not have.
        """
        by = tuple(by)
        for name in by:
            if name not in table.dimensions:
                known = ", ".join(sorted(table.dimensions))
                raise ValidationError("by", name, f"one of the table's dimensions: {known}")
        size = len(table)
        base, base_groups_sorted = _base_groups(table, by)
        if period is None:
            codes = base.astype(np.int64)
            closed = np.where(np.isnat(table.closed), -1, codes)
            return cls(
                by,
                None,
                base_groups_sorted,
                codes,
                closed,
                codes,
                base_groups_sorted,
                np.full(len(base_groups_sorted), -1, dtype=np.int64),
                np.arange(len(base_groups_sorted), dtype=np.int64),
            )
        first = as_of
        if size:
            earliest = table.requested.min()
            first = datetime.fromtimestamp(int(earliest.astype(np.int64)) / 1e9, tz=UTC)
        starts, labels = period.boundaries(first, as_of)
        edges = np.array([to_instant(start) for start in starts], dtype="datetime64[ns]")
        count = len(labels)

        def place(instants: Instants) -> NDArray[np.int64]:
            index = np.searchsorted(edges, instants, side="right").astype(np.int64) - 1
            index[(index >= count) | np.isnat(instants)] = -1
            return index

        received_period = place(table.requested)
        closed_period = place(table.closed)
        # Group codes: base-major, period-minor; groups sort by dimensions, then period.
        nbase = len(base_groups_sorted)
        groups = tuple((*base_groups_sorted[b], ("period", labels[p])) for b in range(nbase) for p in range(count))

        def code(periods: NDArray[np.int64]) -> NDArray[np.int64]:
            return np.where(periods >= 0, base * count + periods, -1)

        return cls(
            by,
            period,
            groups,
            code(received_period),
            code(closed_period),
            base.astype(np.int64),
            base_groups_sorted,
            np.tile(np.arange(count, dtype=np.int64), nbase),
            np.repeat(np.arange(nbase, dtype=np.int64), count),
            tuple(labels),
            tuple(starts[:-1]),
            tuple(starts[1:]),
        )

    @property
    def size(self) -> int:
        """The number of groups."""
        return len(self.groups)

    def cohort(self) -> NDArray[np.int64]:
        """Each case's group on the period's basis (received, unless the period says closed)."""
        if self.period is not None and self.period.basis is Basis.CLOSED:
            return self.closed
        return self.received
