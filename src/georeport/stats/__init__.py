"""Transparency statistics a department publishes, made so they cannot mislead (a domain module).

From lifecycle cases or parsed dumps: volume, response, closure and resolution
rates, Kaplan-Meier times to respond and to close with open cases censored,
three named on-time measures, reopenings, backlog, data quality, equity;
grouped by agency, service, channel, area and period; every figure with its
numerator, denominator, interval and flags (``report.py``). See ``docs/stats.md``.
"""

from georeport.stats.report import (
    AgeBucket,
    BacklogPoint,
    Cell,
    EquityRow,
    Flag,
    Group,
    Indicator,
    IndicatorKind,
    QualityRow,
    Report,
    SurvivalCurve,
    group_label,
)

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
