"""The report's data model: what every renderer (text tables, CSV, JSON, HTML) reads.

Everything here is a plain frozen value with no behaviour beyond small
lookups; the computations live in the modules named for their concept
(``indicators.py``, ``survival.py``, ``backlog.py``...). A ``Report`` carries
every number together with how it was made: each ``Cell`` has its numerator,
denominator, interval, size and flags, and each ``Indicator`` its written
formula, so a renderer never has to know how a figure was computed to say so.

Rules a renderer relies on:

- Proportions are in ``[0, 1]`` (a renderer multiplies by 100 to print a
  percentage); durations are in the unit the ``Indicator`` names (``days`` or
  ``business hours``); counts are whole numbers held as floats.
- ``value`` is None when the figure is undefined (an empty denominator, a
  Kaplan-Meier median never reached); the flags say why.
- A cell flagged ``too-few-to-compare`` must be shown with that label and never
  ranked.
- Groups are tuples of ``(dimension, value)`` pairs in the order of
  ``Report.dimensions``; the whole population is the empty tuple ``()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias

import attrs

__all__ = [
    "AgeBucket",
    "BacklogPoint",
    "Cell",
    "EquityRow",
    "Flag",
    "Group",
    "Indicator",
    "IndicatorKind",
    "QualityRow",
    "Report",
    "SurvivalCurve",
    "group_label",
]

Group: TypeAlias = tuple[tuple[str, str], ...]
"""A group: ``(dimension, value)`` pairs, e.g. ``(("agency", "Parks"), ("period", "2024-03"))``; ``()`` is everyone."""


def group_label(group: Group, *, separator: str = " / ") -> str:
    """The group's values joined for display (``"Parks / 2024-03"``); ``"all"`` for the empty group.

    Examples:
        >>> group_label((("agency", "Parks"), ("period", "2024-03")))
        'Parks / 2024-03'
        >>> group_label(())
        'all'
    """
    return separator.join(value for _, value in group) if group else "all"


class Flag(StrEnum):
    """What a reader must know about a cell; the values are the strings written to CSV and JSON."""

    PROXY_CLOSE_TIME = "proxy-close-time"
    """Some close times in this figure are ``updated_datetime`` (no close event was known): a proxy."""
    TOO_FEW = "too-few-to-compare"
    """The group is smaller than the minimum size: show it, never rank or compare it."""
    PROVISIONAL = "provisional"
    """Some members are not yet past their due time: the figure can still change."""
    CHANGED = "changed"
    """The 95% interval does not overlap the previous period's: a change worth reporting."""
    NOT_REACHED = "not-reached"
    """A Kaplan-Meier quantile the data never reaches (too many cases still open): no value."""
    EMPTY = "empty"
    """The denominator is zero: the figure is undefined."""


def _flags(flags: Iterable[Flag | str]) -> tuple[Flag, ...]:
    """Flags as ``Flag`` values, each once, in ``Flag`` order."""
    wanted = {Flag(flag) for flag in flags}
    return tuple(flag for flag in Flag if flag in wanted)


class IndicatorKind(StrEnum):
    """How a cell's value is made from its numerator and denominator."""

    COUNT = "count"
    """A number of requests; ``value == numerator``, no denominator."""
    PROPORTION = "proportion"
    """``numerator / denominator`` in ``[0, 1]`` with a Wilson 95% interval."""
    DURATION = "duration"
    """A quantile of a time (Kaplan-Meier, open cases censored); numerator and denominator are the
    number of events observed and the number at risk."""
    RATE = "rate"
    """``numerator / denominator`` scaled (per 1,000 residents), no interval."""


@attrs.frozen(kw_only=True)
class Indicator:
    """An indicator and its written formula, printed in the report's methods section.

    Examples:
        >>> indicator = Indicator(id="response_rate", title="Response rate", kind="proportion",
        ...     unit="share", numerator="requests with a first response", denominator="requests received")
        >>> indicator.kind
        <IndicatorKind.PROPORTION: 'proportion'>
    """

    id: str
    """A stable identifier, the ``indicator`` column of CSV and JSON (``response_rate``)."""
    title: str
    """The indicator's name in the report's language."""
    kind: IndicatorKind = attrs.field(converter=IndicatorKind)
    """How the value is made."""
    unit: str
    """``requests``, ``share``, ``days``, ``business hours``, ``per 1,000 residents``."""
    numerator: str
    """What is counted above the line (or, for a duration, what time is measured)."""
    denominator: str = ""
    """What is counted below the line; empty for a count."""
    clock: str = ""
    """When the clock starts and stops (``from requested_datetime to the close event``)."""
    calendar: str = ""
    """Calendar days, or the business calendar the time is counted in."""
    as_of: str = ""
    """How the as-of time enters (open cases censored at it; cases received after it left out)."""
    exclusions: str = ""
    """What is left out, and where it is counted instead."""
    formula: str = ""
    """The formula in one line, e.g. ``closed on time / (closed + open past due)``."""


@attrs.frozen(kw_only=True)
class Cell:
    """One group's value of one indicator: a row of the CSV and JSON output.

    Examples:
        >>> cell = Cell(group=(("agency", "Parks"),), indicator="response_rate", numerator=18.0,
        ...     denominator=20.0, value=0.9, low=0.699, high=0.972, n=20)
        >>> cell.flags, cell.has(Flag.TOO_FEW)
        ((), False)
    """

    group: Group
    """The group, ``(dimension, value)`` pairs."""
    indicator: str
    """The ``Indicator.id``."""
    numerator: float | None
    """The count above the line (events observed, for a duration)."""
    denominator: float | None
    """The count below the line (cases at risk, for a duration); None for a count."""
    value: float | None
    """The figure, None when undefined (see ``flags``)."""
    low: float | None = None
    """The 95% interval's lower end, when there is one."""
    high: float | None = None
    """The 95% interval's upper end."""
    n: int = 0
    """The number of requests the figure is about (the group's size for this indicator)."""
    flags: tuple[Flag, ...] = attrs.field(default=(), converter=_flags)
    """What a reader must know, in ``Flag`` order."""

    def has(self, flag: Flag | str) -> bool:
        """Whether the cell carries ``flag``."""
        return Flag(flag) in self.flags


@attrs.frozen(kw_only=True)
class QualityRow:
    """One data-quality check: what was found, how many, and what the statistics did with them."""

    check: str
    """A stable identifier (``closed_before_created``)."""
    title: str
    """The check in words, in the report's language."""
    count: int
    """How many requests it found."""
    treatment: str
    """What the statistics did with them (kept, flagged, excluded from X and counted here)."""


@attrs.frozen(kw_only=True)
class SurvivalCurve:
    """A Kaplan-Meier "still open" curve for one group: the share of requests not yet closed over time.

    ``times`` are the distinct event times in ``unit``; ``survival[i]`` holds
    from ``times[i]`` until the next time (a step function starting at 1 at 0).
    """

    group: Group
    """The group the curve describes."""
    clock: str
    """``close`` (time to close) or ``first_response``."""
    unit: str
    """``days`` or ``business hours``."""
    times: tuple[float, ...]
    """The step times, increasing."""
    survival: tuple[float, ...]
    """The share still open just after each time."""
    low: tuple[float, ...]
    """The 95% pointwise confidence interval's lower end at each time."""
    high: tuple[float, ...]
    """Its upper end."""
    n: int
    """Requests in the group."""
    events: int
    """How many of them closed (observed events)."""
    censored: int
    """How many were still open at the as-of time (censored)."""
    target: float | None = None
    """The target, in ``unit``, drawn as a line; None when the group has no single target."""
    median: float | None = None
    """The Kaplan-Meier median, None when not reached."""


@attrs.frozen(kw_only=True)
class BacklogPoint:
    """One period of the backlog flow for one group."""

    group: Group
    """The group (without the period dimension)."""
    period: str
    """The period's label (``2024-03``)."""
    start: datetime
    """The period's first instant (local day boundary, as an aware datetime)."""
    end: datetime
    """The instant after the period's last (exclusive)."""
    opened: int
    """Requests received in the period."""
    closed: int
    """Close events in the period (a request closed twice after a reopening counts twice)."""
    backlog: int
    """Requests open at the period's end, reproduced from history."""


@attrs.frozen(kw_only=True)
class AgeBucket:
    """How many requests open at the as-of time fall in one age range."""

    group: Group
    """The group."""
    label: str
    """``0-7``, ``8-30``, ``31-90``, ``>90`` (days)."""
    low: float
    """The lowest age in days, inclusive."""
    high: float | None
    """The highest age in days, inclusive; None for the open-ended last bucket."""
    count: int
    """Open requests of that age."""


@attrs.frozen(kw_only=True)
class EquityRow:
    """One area's figure raw and standardised for service mix (direct standardisation on service)."""

    area: str
    """The area (a routed polygon's name or id)."""
    indicator: str
    """The ``Indicator.id`` (a proportion such as ``on_time_closed``)."""
    raw: float | None
    """The area's own figure."""
    standardised: float | None
    """What the area's figure would be with the reference service mix (every area's mix together)."""
    n: int
    """Requests in the area (the raw figure's denominator)."""
    population: int | None = None
    """Residents, when supplied."""
    per_1000: float | None = None
    """Requests per 1,000 residents: responsiveness to reports, not a measure of need."""
    flags: tuple[Flag, ...] = attrs.field(default=(), converter=_flags)
    """``too-few-to-compare`` and the like."""


@attrs.frozen(kw_only=True)
class Report:
    """Everything a department publishes, with how each number was made.

    ``cells`` hold every figure; the other tuples hold what charts need
    (curves, backlog flow, age buckets), the data-quality table and the
    equity view. ``labels`` maps fixed words (column heads, section titles)
    to the report's language.
    """

    title: str
    """The report's title."""
    as_of: datetime
    """The instant the figures are computed at (aware)."""
    language: str
    """``en`` or ``es``."""
    dimensions: tuple[str, ...]
    """The grouping dimensions, in group order (``("agency", "period")``)."""
    period: str
    """How periods are formed, in words (``month by received date, America/Panama days``), or ``""``."""
    indicators: tuple[Indicator, ...]
    """Every indicator the cells refer to, in report order."""
    cells: tuple[Cell, ...]
    """Every figure: group x indicator, groups in sorted order, indicators in report order."""
    methods: tuple[str, ...] = ()
    """The methods section, one paragraph each."""
    quality: tuple[QualityRow, ...] = ()
    """The data-quality table."""
    survival: tuple[SurvivalCurve, ...] = ()
    """Kaplan-Meier curves per group: time to close, then time to first response (``SurvivalCurve.clock``)."""
    backlog: tuple[BacklogPoint, ...] = ()
    """The backlog flow per group and period."""
    ages: tuple[AgeBucket, ...] = ()
    """Open-age buckets per group at the as-of time."""
    equity: tuple[EquityRow, ...] = ()
    """The equity view by area (empty unless requested)."""
    notes: tuple[str, ...] = ()
    """Visible lines a reader must see (duplicate children left out of on-time denominators...)."""
    labels: dict[str, str] = attrs.field(factory=dict)
    """Fixed words in the report's language (``{"group": "Grupo", ...}``)."""

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator named ``indicator_id``.

        Raises:
            KeyError: no such indicator in the report.
        """
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def curves(self, clock: str = "close") -> tuple[SurvivalCurve, ...]:
        """The Kaplan-Meier curves of one clock (``close`` or ``first_response``), one per group."""
        return tuple(curve for curve in self.survival if curve.clock == clock)

    def groups(self) -> tuple[Group, ...]:
        """The distinct groups of ``cells``, in order of first appearance."""
        return tuple(dict.fromkeys(cell.group for cell in self.cells))

    def cell(self, group: Group, indicator_id: str) -> Cell:
        """The cell of ``group`` and ``indicator_id``.

        Raises:
            KeyError: no such cell.
        """
        for cell in self.cells:
            if cell.group == group and cell.indicator == indicator_id:
                return cell
        raise KeyError((group, indicator_id))
