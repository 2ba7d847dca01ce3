"""A report as open data (CSV, JSON) and as a plain text table.

One row per group x indicator with the numerator, denominator, value, its 95%
interval, n and flags, ready to publish. Output is deterministic: rows in the
report's order, floats written with 12 significant digits (so the same input
and as-of time give byte-identical files on any machine), keys sorted in JSON.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Final

from georeport.stats.report import Cell, Flag, Indicator, IndicatorKind, Report, group_label

__all__ = ["format_value", "row_dimensions", "to_csv", "to_json", "to_records", "to_text"]

_DIGITS: Final = 12
_COLUMNS: Final = ("indicator", "unit", "numerator", "denominator", "value", "low", "high", "n", "flags")


def _float(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = float(f"{value:.{_DIGITS}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


def row_dimensions(report: Report) -> tuple[str, ...]:
    """The dimension columns of the output: the report's, then any a cell adds (``referred_to``)."""
    names = list(report.dimensions)
    for cell in report.cells:
        names.extend(name for name, _ in cell.group if name not in names)
    return tuple(names)


def to_records(report: Report) -> list[dict[str, Any]]:
    """One dict per cell: each dimension, then ``indicator``, ``unit``, the figures and ``flags`` (a list).

    Examples:
        >>> from datetime import datetime, UTC
        >>> from georeport.stats import Cell, Indicator, Report
        >>> report = Report(title="t", as_of=datetime(2024, 1, 1, tzinfo=UTC), language="en", dimensions=("agency",),
        ...     period="", indicators=(Indicator(id="received", title="Received", kind="count", unit="requests",
        ...     numerator="requests"),), cells=(Cell(group=(("agency", "Parks"),), indicator="received",
        ...     numerator=3.0, denominator=None, value=3.0, n=3),))
        >>> to_records(report)
        [{'agency': 'Parks', 'indicator': 'received', 'unit': 'requests', 'numerator': 3, 'denominator': None, 'value': 3, 'low': None, 'high': None, 'n': 3, 'flags': []}]
    """
    units = {indicator.id: indicator.unit for indicator in report.indicators}
    names = row_dimensions(report)
    records = []
    for cell in report.cells:
        values = dict(cell.group)
        record: dict[str, Any] = {name: values.get(name, "") for name in names}
        record.update(
            indicator=cell.indicator,
            unit=units.get(cell.indicator, ""),
            numerator=_float(cell.numerator),
            denominator=_float(cell.denominator),
            value=_float(cell.value),
            low=_float(cell.low),
            high=_float(cell.high),
            n=cell.n,
            flags=[flag.value for flag in cell.flags],
        )
        records.append(record)
    return records


def to_csv(report: Report) -> str:
    r"""The cells as CSV (RFC 4180, ``\r\n`` line ends): dimensions, then indicator and figures; flags joined by ``;``."""
    buffer = io.StringIO()
    names = row_dimensions(report)
    writer = csv.writer(buffer)
    writer.writerow([*names, *_COLUMNS])
    for record in to_records(report):
        row = [record[name] for name in names]
        for column in _COLUMNS:
            value = record[column]
            if column == "flags":
                value = ";".join(value)
            row.append("" if value is None else value)
        writer.writerow(row)
    return buffer.getvalue()


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "title": indicator.title,
        "kind": indicator.kind.value,
        "unit": indicator.unit,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "clock": indicator.clock,
        "calendar": indicator.calendar,
        "as_of": indicator.as_of,
        "exclusions": indicator.exclusions,
        "formula": indicator.formula,
    }


def to_json(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON: its definitions, every cell as a row, the data-quality table and the notes.

    The curves, backlog series and age buckets are included too, so the JSON holds every number the
    HTML report shows.
    """
    document = {
        "title": report.title,
        "as_of": report.as_of.isoformat(),
        "language": report.language,
        "dimensions": list(report.dimensions),
        "period": report.period,
        "indicators": [_indicator(indicator) for indicator in report.indicators],
        "rows": to_records(report),
        "quality": [
            {"check": row.check, "title": row.title, "count": row.count, "treatment": row.treatment}
            for row in report.quality
        ],
        "notes": list(report.notes),
        "methods": list(report.methods),
        "survival": [
            {
                "group": dict(curve.group),
                "clock": curve.clock,
                "unit": curve.unit,
                "n": curve.n,
                "events": curve.events,
                "censored": curve.censored,
                "median": _float(curve.median),
                "target": _float(curve.target),
                "times": [_float(value) for value in curve.times],
                "survival": [_float(value) for value in curve.survival],
                "low": [_float(value) for value in curve.low],
                "high": [_float(value) for value in curve.high],
            }
            for curve in report.survival
        ],
        "backlog": [
            {
                "group": dict(point.group),
                "period": point.period,
                "start": point.start.isoformat(),
                "end": point.end.isoformat(),
                "opened": point.opened,
                "closed": point.closed,
                "backlog": point.backlog,
            }
            for point in report.backlog
        ],
        "ages": [{"group": dict(bucket.group), "label": bucket.label, "count": bucket.count} for bucket in report.ages],
        "equity": [
            {
                "area": row.area,
                "indicator": row.indicator,
                "raw": _float(row.raw),
                "standardised": _float(row.standardised),
                "n": row.n,
                "population": row.population,
                "per_1000": _float(row.per_1000),
                "flags": [flag.value for flag in row.flags],
            }
            for row in report.equity
        ],
    }
    return json.dumps(document, indent=indent, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def format_value(cell: Cell, indicator: Indicator) -> str:
    """A cell's value for people: ``83.3%``, ``4.5 days``, ``120``; ``not reached``, ``-`` when undefined.

    Examples:
        >>> indicator = Indicator(id="r", title="R", kind="proportion", unit="share", numerator="x")
        >>> format_value(Cell(group=(), indicator="r", numerator=5.0, denominator=6.0, value=5 / 6, n=6), indicator)
        '83.3%'
    """
    if cell.value is None:
        return "not reached" if Flag.NOT_REACHED in cell.flags else "-"
    if indicator.kind is IndicatorKind.PROPORTION:
        return f"{cell.value:.1%}"
    if indicator.kind is IndicatorKind.COUNT:
        return f"{cell.value:,.0f}"
    return f"{cell.value:,.1f} {indicator.unit}"


def _interval(cell: Cell, indicator: Indicator) -> str:
    if cell.low is None and cell.high is None:
        return ""
    if indicator.kind is IndicatorKind.PROPORTION:
        return f"{cell.low or 0:.1%}-{cell.high or 0:.1%}"
    low = "?" if cell.low is None else f"{cell.low:,.1f}"
    high = "not reached" if cell.high is None else f"{cell.high:,.1f}"
    return f"{low}-{high}"


_WORDS: Final = {
    "group": "group",
    "indicator": "indicator",
    "value": "value",
    "interval": "95% CI",
    "n": "n",
    "flags": "flags",
    "as_of": "as of",
    "quality": "Data quality",
    Flag.TOO_FEW.value: "too few to compare",
}


def to_text(report: Report) -> str:
    """The report as a plain text table: group, indicator, value, 95% interval, numerator/denominator, n, flags.

    A cell too small to compare says so in its flags column, beside its value.
    """
    indicators = {indicator.id: indicator for indicator in report.indicators}
    words = {**_WORDS, **report.labels}
    header = (
        words["group"],
        words["indicator"],
        words["value"],
        words["interval"],
        "num/den",
        words["n"],
        words["flags"],
    )
    rows = [header]
    for cell in report.cells:
        indicator = indicators[cell.indicator]
        fraction = ""
        if cell.numerator is not None and cell.denominator is not None:
            fraction = f"{cell.numerator:,.0f}/{cell.denominator:,.0f}"
        flags = ", ".join(words.get(flag.value, flag.value) for flag in cell.flags)
        rows.append(
            (
                group_label(cell.group),
                indicator.title,
                format_value(cell, indicator),
                _interval(cell, indicator),
                fraction,
                str(cell.n),
                flags,
            )
        )
    widths = [max(len(row[index]) for row in rows) for index in range(len(header))]
    lines = [f"{report.title} ({words['as_of']} {report.as_of.isoformat()})", ""]
    for number, row in enumerate(rows):
        lines.append("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    if report.notes:
        lines += ["", *report.notes]
    if report.quality:
        lines += ["", f"{words['quality']}:"]
        lines += [f"  {row.title}: {row.count:,} ({row.treatment})" for row in report.quality]
    return "\n".join(lines) + "\n"
