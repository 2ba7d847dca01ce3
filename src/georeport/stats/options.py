"""What a report computes and how: the options, each printed in the methods section."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TypeAlias

import attrs

from georeport.errors import ValidationError
from georeport.sla import BusinessCalendar, PolicyBook, Target
from georeport.stats.grouping import Period
from georeport.stats.indicators import DEFAULT_INDICATORS, INDICATORS

__all__ = ["StatsOptions", "TargetSpec"]

TargetSpec: TypeAlias = Target | timedelta
"""A target: a ``georeport.sla.Target``, or a ``timedelta`` of calendar time."""


def _target(value: TargetSpec | None) -> Target | None:
    if value is None or isinstance(value, Target):
        return value
    if isinstance(value, timedelta):
        return Target.calendar(value)
    raise ValidationError("target", value, "a georeport.sla.Target or a timedelta")


def _targets(value: Mapping[str, TargetSpec] | None) -> dict[str, Target]:
    return {str(key): target for key, spec in (value or {}).items() if (target := _target(spec)) is not None}


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _words(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


def _counts(value: Mapping[str, int]) -> dict[str, int]:
    return dict(value)


def _days(value: Iterable[float]) -> tuple[float, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class StatsOptions:
    """What to compute and how; every option is printed in the methods section.

    Args:
        as_of: the instant the figures are computed at (aware); later events are ignored.
        by: grouping dimensions (``agency``, ``service``, ``service_group``, ``channel``, ``area``...).
        period: how to cut time, or None for one period up to ``as_of``.
        indicators: the indicator ids, in report order (``indicators.DEFAULT_INDICATORS``).
        resolution_target: the default resolution target (on-time figures need one).
        resolution_targets: per ``service`` code (wins over the default).
        response_target: the default response target.
        response_targets: per ``service`` code.
        calendar: the business calendar for business-time figures and business targets.
        policies: a ``georeport.sla.PolicyBook``: the response and resolution targets and the
            calendar of each request, by its service in its jurisdiction (the ``jurisdiction``
            dimension), instead of the targets and calendar above.
        min_group_size: groups with fewer requests are "too few to compare".
        reopen_days: the reopen window, in days after the first close.
        quick_close_minutes: closes this soon after creation are counted in the data-quality table.
        age_buckets: upper bounds (days, inclusive) of the open-age buckets; the last is open-ended.
        include_duplicates: keep duplicate children in timing and on-time denominators.
        populations: residents per area, for requests per 1,000 residents.
        equity: the indicator of the equity view (a proportion), or None for no equity view.
        curves: compute the Kaplan-Meier curves the HTML report draws.
        title: the report's title.
        language: ``en`` or ``es``.
        titles: indicator titles in the report's language, by id.
        labels: fixed words in the report's language.

    Raises:
        georeport.ValidationError: a naive ``as_of``, an unknown indicator, a bad size or bucket.
    """

    as_of: datetime
    by: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    period: Period | None = None
    indicators: tuple[str, ...] = attrs.field(default=DEFAULT_INDICATORS, converter=_strings)
    resolution_target: Target | None = attrs.field(default=None, converter=_target)
    resolution_targets: dict[str, Target] = attrs.field(factory=dict, converter=_targets)
    response_target: Target | None = attrs.field(default=None, converter=_target)
    response_targets: dict[str, Target] = attrs.field(factory=dict, converter=_targets)
    calendar: BusinessCalendar | None = None
    policies: PolicyBook | None = None
    min_group_size: int = 20
    reopen_days: float = 30
    quick_close_minutes: float = 5
    age_buckets: tuple[float, ...] = attrs.field(default=(7, 30, 90), converter=_days)
    include_duplicates: bool = False
    populations: dict[str, int] = attrs.field(factory=dict, converter=_counts)
    equity: str | None = "resolution_rate"
    curves: bool = True
    title: str = "Service request statistics"
    language: str = "en"
    titles: dict[str, str] = attrs.field(factory=dict, converter=_words)
    labels: dict[str, str] = attrs.field(factory=dict, converter=_words)

    def __attrs_post_init__(self) -> None:
        if self.as_of.utcoffset() is None:
            raise ValidationError("as_of", self.as_of, "a timezone-aware datetime")
        unknown = [name for name in self.indicators if name not in INDICATORS]
        if unknown:
            raise ValidationError("indicators", unknown[0], f"one of {', '.join(sorted(INDICATORS))}")
        if self.min_group_size < 1:
            raise ValidationError("min_group_size", self.min_group_size, "at least 1")
        if self.reopen_days < 0 or self.quick_close_minutes < 0:
            raise ValidationError("reopen_days", self.reopen_days, "a non-negative number of days")
        buckets = list(self.age_buckets)
        if buckets != sorted(set(buckets)) or any(bound <= 0 for bound in buckets):
            raise ValidationError("age_buckets", self.age_buckets, "increasing positive numbers of days")

    @property
    def has_resolution_target(self) -> bool:
        """Whether some request can have a resolution target."""
        return self.resolution_target is not None or bool(self.resolution_targets) or self.policies is not None

    @property
    def has_response_target(self) -> bool:
        """Whether some request can have a response target."""
        return self.response_target is not None or bool(self.response_targets) or self.policies is not None

    @property
    def has_business_time(self) -> bool:
        """Whether business-time figures can be computed (a calendar, or policies with calendars)."""
        return self.calendar is not None or self.policies is not None
