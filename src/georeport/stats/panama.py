"""The Panama preset: the monthly report each entity publishes, in Spanish and English.

Panama's 311 reform held every entity to answering within 30 days and made
each publish how it handles its cases. Per entity (``agency``) and month of
receipt: requests received, answered (a first response), closed, resolved,
closed within 30 calendar days, closed within the service's business-day
target, still open after more than 30 days, and requests received through each
intake channel (every ``georeport.lifecycle.Channel``, zeros included, so the
columns never move).

Every figure is one of the general indicators (``indicators.py``) with its
written formula; only the selection, the targets and the labels are Panama's.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final

import attrs
import numpy as np

from georeport.errors import ValidationError
from georeport.lifecycle import Channel
from georeport.sla import BusinessCalendar, PolicyBook, Target
from georeport.stats._timing import DAY, Timing
from georeport.stats.build import build_report
from georeport.stats.cases import CaseTable
from georeport.stats.grouping import Grouper, Period, to_instant
from georeport.stats.indicators import define
from georeport.stats.options import StatsOptions
from georeport.stats.report import Cell, Report

__all__ = ["LABELS", "PANAMA_INDICATORS", "TITLES", "panama_calendar", "panama_report"]

PANAMA_INDICATORS: Final = (
    "received",
    "response_rate",
    "closure_rate",
    "resolution_rate",
    "within_30_days",
    "within_target",
    "open_over_30_days",
    "received_by_channel",
)
"""The preset's indicators, in report order."""

TITLES: Final[Mapping[str, Mapping[str, str]]] = {
    "es": {
        "received": "Casos recibidos",
        "response_rate": "Casos atendidos (con primera respuesta)",
        "closure_rate": "Casos cerrados (cualquier motivo)",
        "resolution_rate": "Casos resueltos",
        "within_30_days": "Cerrados en 30 días calendario o menos",
        "within_target": "Cerrados dentro del plazo del servicio (días hábiles)",
        "open_over_30_days": "Abiertos con más de 30 días",
        "received_by_channel": "Casos recibidos por canal",
    },
    "en": {
        "received": "Requests received",
        "response_rate": "Answered (first response)",
        "closure_rate": "Closed (any reason)",
        "resolution_rate": "Resolved",
        "within_30_days": "Closed within 30 calendar days",
        "within_target": "Closed within the service's business-day target",
        "open_over_30_days": "Open more than 30 days",
        "received_by_channel": "Requests received by channel",
    },
}
"""Indicator titles by language."""

LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "es": {
        "title": "Informe de gestión de casos 311",
        "group": "Grupo",
        "as_of": "al",
        "agency": "Entidad",
        "period": "Mes",
        "channel": "Canal",
        "indicator": "Indicador",
        "value": "Valor",
        "interval": "IC 95%",
        "numerator": "Numerador",
        "denominator": "Denominador",
        "n": "n",
        "flags": "Notas",
        "too-few-to-compare": "muy pocos casos para comparar",
        "provisional": "provisional",
        "proxy-close-time": "fecha de cierre aproximada",
        "changed": "cambio significativo",
        "not-reached": "no alcanzado",
        "empty": "sin casos",
        "methods": "Métodos",
        "quality": "Calidad de los datos",
        "channel:phone": "Teléfono (311)",
        "channel:web": "Web",
        "channel:mobile_app": "Aplicación móvil",
        "channel:email": "Correo electrónico",
        "channel:mail": "Correo postal",
        "channel:social_media": "Redes sociales",
        "channel:walk_in": "Presencial",
        "channel:other": "Otro",
        "channel:unknown": "Desconocido",
    },
    "en": {
        "title": "311 case handling report",
        "group": "Group",
        "as_of": "as of",
        "agency": "Entity",
        "period": "Month",
        "channel": "Channel",
        "indicator": "Indicator",
        "value": "Value",
        "interval": "95% CI",
        "numerator": "Numerator",
        "denominator": "Denominator",
        "n": "n",
        "flags": "Notes",
        "too-few-to-compare": "too few to compare",
        "provisional": "provisional",
        "proxy-close-time": "proxy close time",
        "changed": "significant change",
        "not-reached": "not reached",
        "empty": "no requests",
        "methods": "Methods",
        "quality": "Data quality",
        "channel:phone": "Phone (311)",
        "channel:web": "Web",
        "channel:mobile_app": "Mobile app",
        "channel:email": "Email",
        "channel:mail": "Mail",
        "channel:social_media": "Social media",
        "channel:walk_in": "Walk-in",
        "channel:other": "Other",
        "channel:unknown": "Unknown",
    },
}
"""Fixed words by language (column heads, flags, channel names as ``channel:<value>``)."""


def panama_calendar() -> BusinessCalendar:
    """Panama's public-office calendar: weekdays 08:00-16:00, America/Panama.

    Panama's public holidays come from the ``holidays`` package when it is
    installed (the ``holidays`` extra); without it the calendar has none.
    """
    if importlib.util.find_spec("holidays") is not None:
        return BusinessCalendar(zone="America/Panama", hours={"weekdays": "08:00-16:00"}, holidays_from="PA")
    return BusinessCalendar(zone="America/Panama", hours={"weekdays": "08:00-16:00"})


def _language(value: str) -> str:
    if value not in TITLES:
        raise ValidationError("language", value, f"one of {', '.join(sorted(TITLES))}")
    return value


def panama_report(  # noqa: PLR0913 - the preset's few choices
    table: CaseTable,
    *,
    as_of: datetime,
    language: str = "es",
    targets: Mapping[str, int | Target] | None = None,
    calendar: BusinessCalendar | None = None,
    min_group_size: int = 20,
    title: str | None = None,
    policies: PolicyBook | None = None,
) -> Report:
    """The Panama preset's report: per entity and month of receipt, in ``language`` (``es`` or ``en``).

    Args:
        table: the cases.
        as_of: when the figures are computed.
        language: ``es`` (default) or ``en``.
        targets: each service's resolution target, a number of business days or a ``Target``;
            without targets the ``within_target`` row is left out.
        calendar: the business calendar (``panama_calendar()`` by default).
        min_group_size: groups smaller than this are "too few to compare".
        title: the report's title (the language's default otherwise).
        policies: an SLA policy book: the ``within_target`` row takes each request's resolution
            target and calendar from it, by service in jurisdiction (``PolicyBook.policy_for``),
            instead of ``targets``.

    Raises:
        georeport.ValidationError: an unknown language or a naive ``as_of``.
    """
    language = _language(language)
    calendar = calendar or panama_calendar()
    period = Period.parse("month", timezone=calendar.zone)
    titles = dict(TITLES[language])
    base = StatsOptions(
        as_of=as_of,
        by=("agency",),
        period=period,
        indicators=("received", "response_rate", "closure_rate", "resolution_rate", "cohort_attainment"),
        resolution_target=timedelta(days=30),
        calendar=calendar,
        min_group_size=min_group_size,
        equity=None,
        title=title or LABELS[language]["title"],
        language=language,
        titles=titles,
        labels=dict(LABELS[language]),
    )
    report = build_report(table, base)
    cells = [
        attrs.evolve(cell, indicator="within_30_days") if cell.indicator == "cohort_attainment" else cell
        for cell in report.cells
    ]
    indicators = [indicator for indicator in report.indicators if indicator.id != "cohort_attainment"]
    context = {"as_of": as_of.isoformat(), "duplicates": "duplicate children are left out"}
    indicators.append(define("within_30_days", context, title=titles["within_30_days"]))
    if policies is not None:
        within = build_report(
            table, attrs.evolve(base, indicators=("cohort_attainment",), resolution_target=None, policies=policies)
        )
        cells += [attrs.evolve(cell, indicator="within_target") for cell in within.cells]
        target_text = within.indicator("cohort_attainment").calendar
        indicators.append(define("within_target", {**context, "target": target_text}, title=titles["within_target"]))
    elif targets:
        by_service = {
            service: target if isinstance(target, Target) else Target.business_days(int(target))
            for service, target in targets.items()
        }
        within = build_report(
            table,
            attrs.evolve(
                base, indicators=("cohort_attainment",), resolution_target=None, resolution_targets=by_service
            ),
        )
        cells += [attrs.evolve(cell, indicator="within_target") for cell in within.cells]
        target_text = "; ".join(f"{service}: {target}" for service, target in sorted(by_service.items()))
        indicators.append(define("within_target", {**context, "target": target_text}, title=titles["within_target"]))
    current = table.at(to_instant(as_of))
    grouper = Grouper.of(current, by=("agency",), period=period, as_of=as_of)
    timing = Timing.of(current, base, int(to_instant(as_of).astype(np.int64)))
    cohort = grouper.cohort()
    old = timing.is_open & (timing.as_of - timing.requested > 30 * DAY) & (cohort >= 0)
    counts = np.bincount(cohort[old], minlength=grouper.size)
    for code, group in enumerate(grouper.groups):
        count = float(counts[code])
        cells.append(
            Cell(
                group=group, indicator="open_over_30_days", numerator=count, denominator=None, value=count, n=int(count)
            )
        )
    indicators.append(define("open_over_30_days", context, title=titles["open_over_30_days"]))
    channel = current.dimensions["channel"]
    width = len(channel.labels) + 1
    combined = np.bincount(
        cohort[cohort >= 0] * width + channel.codes[cohort >= 0] + 1, minlength=grouper.size * width
    ).reshape(grouper.size, width)
    names = [member.value for member in Channel]
    if np.any(channel.codes < 0):
        names.append("unknown")
    column = {label: index + 1 for index, label in enumerate(channel.labels)} | {"unknown": 0}
    for code, group in enumerate(grouper.groups):
        for name in names:
            count = float(combined[code, column[name]]) if name in column else 0.0
            cells.append(
                Cell(
                    group=(*group, ("channel", name)),
                    indicator="received_by_channel",
                    numerator=count,
                    denominator=None,
                    value=count,
                    n=int(count),
                )
            )
    indicators.append(define("received_by_channel", context, title=titles["received_by_channel"]))
    order = {name: index for index, name in enumerate(PANAMA_INDICATORS)}
    rank = {name: index for index, name in enumerate(names)}
    cells.sort(
        key=lambda cell: (cell.group[:2], order[cell.indicator], rank.get(dict(cell.group).get("channel", ""), -1))
    )
    indicators.sort(key=lambda indicator: order[indicator.id])
    return attrs.evolve(report, cells=tuple(cells), indicators=tuple(indicators))
