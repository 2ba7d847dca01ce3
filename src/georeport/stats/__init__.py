"""Transparency statistics a department publishes, made so they cannot mislead (a domain module).

From lifecycle cases or parsed dumps (``CaseTable``): volume, response,
closure and resolution rates, Kaplan-Meier times to respond and to close with
open cases censored, three named on-time measures, reopenings, backlog and
open ages, data quality, an equity view; grouped by agency, service, channel,
area and period; every figure with its numerator, denominator, 95% interval and
flags (``report.py``), exportable as CSV and JSON (``export.py``). The Panama
preset (``panama.py``) is the monthly report in Spanish and English. See
``docs/stats.md``.

This package imports ``georeport.sla``, ``georeport.lifecycle``,
``georeport.models`` and ``georeport.errors``; scipy for the Kaplan-Meier
estimator.
"""

from georeport.stats.areas import Areas
from georeport.stats.build import build_report
from georeport.stats.cases import CaseTable, Categories, channel_of, closure_reason_of
from georeport.stats.export import to_csv, to_json, to_records, to_text
from georeport.stats.grouping import Basis, Period, PeriodKind
from georeport.stats.indicators import DEFAULT_INDICATORS, INDICATORS, ISSUE_6_INDICATORS
from georeport.stats.options import StatsOptions
from georeport.stats.panama import panama_report
from georeport.stats.proportions import wilson, wilson_many
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
from georeport.stats.survival import KaplanMeier, Quantile, kaplan_meier

__all__ = [
    "DEFAULT_INDICATORS",
    "INDICATORS",
    "ISSUE_6_INDICATORS",
    "AgeBucket",
    "Areas",
    "BacklogPoint",
    "Basis",
    "CaseTable",
    "Categories",
    "Cell",
    "EquityRow",
    "Flag",
    "Group",
    "Indicator",
    "IndicatorKind",
    "KaplanMeier",
    "Period",
    "PeriodKind",
    "QualityRow",
    "Quantile",
    "Report",
    "StatsOptions",
    "SurvivalCurve",
    "build_report",
    "channel_of",
    "closure_reason_of",
    "group_label",
    "kaplan_meier",
    "panama_report",
    "to_csv",
    "to_json",
    "to_records",
    "to_text",
    "wilson",
    "wilson_many",
]
