"""The published report: one self-contained HTML5 file made from a ``Report``.

This file owns the report's page; the charts are drawn by ``_svg``. Its rules:

- Self-contained: CSS inline (a screen and a print stylesheet), charts as
  inline SVG, no script, no external resource of any kind (the only ``href``
  values are ``#fragments`` and the empty ``data:`` icon that stops browsers
  asking for ``/favicon.ico``); a Content-Security-Policy ``<meta>`` makes
  browsers refuse any fetch and any script, should one ever be added.
- Byte-identical for the same report: no rendering time, ids numbered in
  document order, groups and indicators in the report's order, fixed number
  formats.
- Every text from the report is escaped (``html.escape``).
- Nothing misleads by omission: every figure shows its numerator,
  denominator, interval, size and flags in words; every indicator is named
  (the three on-time measures are three tables, never one percentage);
  groups are never sorted by value; the methods section prints every
  indicator's formula.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC
from typing import TypeVar

from georeport.errors import ValidationError
from georeport.stats import _svg
from georeport.stats._words import LABELS
from georeport.stats.report import (
    AgeBucket,
    BacklogPoint,
    Cell,
    Flag,
    Group,
    Indicator,
    IndicatorKind,
    Report,
    SurvivalCurve,
)

__all__ = ["LABELS", "render_html"]


_CURVES_PER_CHART = len(_svg.PALETTE)
_SMALL_WIDTH = 440  # the age charts are small multiples, two abreast on a wide screen
# The page needs nothing from anywhere: a browser refuses any fetch, even one a later edit might add.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_CSS = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --band: #f3f3f3; --warn: #8a4b00; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; line-height: 1.45; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
p, li { max-width: 48rem; }
.as-of { font-size: 1.05rem; margin: 0; }
.muted, caption .sub, th .sub { color: var(--muted); font-weight: normal; }
nav ol { columns: 2; padding-left: 1.2rem; }
.notes { border-left: 4px solid var(--warn); padding: .3rem 1rem; background: #fff8ef; }
.table-wrap { overflow-x: auto; margin: .4rem 0 1.2rem; }
table { border-collapse: collapse; font-size: .92rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
caption .sub { display: block; font-size: .85rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .6rem; vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
th .sub { display: block; font-size: .8rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--band); }
tr.too-few td, td.too-few { color: var(--muted); }
.dim-period { white-space: nowrap; }
tbody th[scope=row] { font-weight: 600; }
.flag { display: inline-block; margin: 0 .3rem .15rem 0; }
table.summary td .flag { display: block; margin: 0; font-size: .78rem; white-space: normal; }
table.summary th.num { max-width: 9rem; white-space: normal; vertical-align: bottom; }
table.headline { width: 100%; }
.flag-legend { font-size: .9rem; }
.flag-legend p { margin: .2rem 0; }
.flag-too-few-to-compare, .flag-provisional, .flag-proxy-close-time { color: var(--warn); font-weight: 600; }
figure { margin: 1rem 0 .3rem; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 0 2rem; }
.chart-grid figure svg { max-width: 28rem; }
caption .terms { font-size: .8rem; }
figure svg { width: 100%; max-width: 45rem; height: auto; display: block; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .2rem; }
dl.formula { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .3rem 0 1rem; }
dl.formula dt { font-weight: 600; }
dl.formula dd { margin: 0; }
code { font-size: .9em; }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--rule); }
@media print {
  @page { margin: 14mm; }
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  h3, caption { break-after: avoid; }
  figure, tr, dl.formula { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  tbody tr:nth-child(even) { background: none; }
  figure svg { max-width: 100%; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def _e(text: object) -> str:
    """Text for the page: escaped, and characters no page may hold shown as U+FFFD."""
    return _svg.clean_text(str(text))


def _count(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _plain(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _value_formatter(indicator: Indicator) -> Callable[[float], str]:
    """How the values of ``indicator`` are printed: percentages, durations, counts, rates."""
    if indicator.kind is IndicatorKind.PROPORTION:
        return lambda value: f"{value * 100:.1f}%"
    if indicator.kind is IndicatorKind.DURATION:
        return lambda value: _plain(value, 1)
    if indicator.kind is IndicatorKind.RATE:
        return lambda value: _plain(value, 2)
    return _count


class _Page:
    """The words of one report's page and the helpers that print its parts."""

    def __init__(self, report: Report, overrides: Mapping[str, str]) -> None:
        self.report = report
        self.words = dict(LABELS.get(report.language, LABELS["en"]))
        for source in (report.labels, overrides):
            self.words.update(_aliases(source))
            self.words.update(source)
        self.chart_count = 0

    def w(self, key: str, **values: str) -> str:
        """The word for ``key`` (escaped), with ``{placeholders}`` filled (escaped too)."""
        template = self.words.get(key, key)
        text = template.format(**values) if values else template
        return _e(text)

    def raw(self, key: str, **values: str) -> str:
        """The word for ``key``, not escaped (for SVG arguments, which escape themselves)."""
        template = self.words.get(key, key)
        return template.format(**values) if values else template

    def unit(self, unit: str) -> str:
        return self.words.get(f"unit.{unit}", unit)

    def dimension(self, name: str) -> str:
        return self.words.get(f"dimension.{name}", name)

    def value(self, dimension: str, value: str) -> str:
        """A group's value as shown: ``<dimension>:<value>`` from the words (``channel:phone``), else itself."""
        return self.words.get(f"{dimension}:{value}", value)

    def group_label(self, group: Group) -> str:
        if not group:
            return self.words.get("all", "all")
        return " / ".join(self.value(name, value) for name, value in group)

    def next_chart_id(self) -> str:
        self.chart_count += 1
        return f"chart-{self.chart_count}"

    def flags(self, flags: Sequence[Flag], *, separator: str = "; ") -> str:
        """The flags in words, each in a ``span.flag``; ``separator`` between them."""
        return separator.join(
            f'<span class="flag flag-{_e(flag.value)}">{self.w(f"flag.{flag.value}")}</span>' for flag in flags
        )

    def columns(self, groups: Iterable[Group]) -> tuple[str, ...]:
        """The group columns of a table: the report's dimensions, then any other its groups use."""
        names = dict.fromkeys(self.report.dimensions)
        for group in groups:
            names.update(dict.fromkeys(name for name, _ in group))
        return tuple(names) or ("group",)

    def group_cells(self, group: Group, columns: Sequence[str]) -> str:
        """One cell per column, the first a row header; the whole population reads "All"."""
        values = dict(group)
        texts = [self.value(name, values[name]) if name in values else "" for name in columns]
        if not group:
            texts[0] = self.words.get("all", "all")
        first, *rest = zip(columns, texts, strict=True)
        cells = [f'<th scope="row" class="dim-{_e(first[0])}">{_e(first[1])}</th>']
        cells += [f'<td class="dim-{_e(name)}">{_e(text)}</td>' for name, text in rest]
        return "".join(cells)

    def group_heads(self, columns: Sequence[str]) -> str:
        return "".join(f'<th scope="col">{_e(self.dimension(name))}</th>' for name in columns)


def _aliases(words: Mapping[str, str]) -> dict[str, str]:
    """Plain keys standing for prefixed ones: a flag's value (``provisional``), a dimension's name (``agency``)."""
    flags = {flag.value for flag in Flag}
    out: dict[str, str] = {}
    for key, text in words.items():
        if key in flags:
            out[f"flag.{key}"] = text
        elif "." not in key and ":" not in key:
            out[f"dimension.{key}"] = text
    return out


def _format_as_of(report: Report) -> str:
    as_of = report.as_of
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValidationError("as_of", as_of, "an aware datetime")
    local = as_of.isoformat(timespec="seconds")
    utc = as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return local if local.endswith("+00:00") else f"{local} ({utc})"


def _table(caption: str, heads: str, rows: Sequence[str], *, class_: str = "") -> str:
    """A wrapped table; ``caption`` and ``heads`` are markup already."""
    klass = f' class="{class_}"' if class_ else ""
    body = "".join(rows)
    return (
        f'<div class="table-wrap"><table{klass}><caption>{caption}</caption><thead><tr>{heads}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _check_cells(report: Report) -> None:
    """Every cell names a known indicator, once per group: a figure the page would drop or hide is an error."""
    known = {indicator.id for indicator in report.indicators}
    seen: set[tuple[Group, str]] = set()
    for index, cell in enumerate(report.cells):
        if cell.indicator not in known:
            raise ValidationError(f"cells[{index}].indicator", cell.indicator, "the id of one of report.indicators")
        key = (cell.group, cell.indicator)
        if key in seen:
            raise ValidationError(f"cells[{index}]", key, "one cell per group and indicator")
        seen.add(key)


def _check_cell(cell: Cell) -> None:
    for name in ("numerator", "denominator", "value", "low", "high"):
        number = getattr(cell, name)
        if number is not None and not math.isfinite(number):
            raise ValidationError(f"{name} of {cell.indicator!r} for {cell.group!r}", number, "a finite number or None")


def _used_flags(report: Report) -> list[Flag]:
    used = {flag for cell in report.cells for flag in cell.flags} | {
        flag for row in report.equity for flag in row.flags
    }
    return [flag for flag in Flag if flag in used]


def _flag_legend(page: _Page) -> str:
    """What each note used in the report means, once, before the tables that use them."""
    flags = _used_flags(page.report)
    if not flags:
        return ""
    items = "".join(
        f'<dt><span class="flag flag-{_e(flag.value)}">{page.w(f"flag.{flag.value}")}</span></dt>'
        f"<dd>{page.w(f'flag_help.{flag.value}')}</dd>"
        for flag in flags
    )
    return f'<div class="flag-legend"><p>{page.w("flag_legend")}:</p><dl class="formula">{items}</dl></div>'


def _summary(page: _Page) -> str:
    """Groups by indicators, values and notes only: the page's first table.

    Rows are the groups made of the report's own dimensions; an indicator
    whose cells split groups further (requests by channel) is left to its
    table in "Figures in detail".
    """
    report = page.report
    declared = set(report.dimensions)
    groups = [group for group in report.groups() if all(name in declared for name, _ in group)]
    wanted = set(groups)
    index = {(cell.group, cell.indicator): cell for cell in report.cells if cell.group in wanted}
    shown = {indicator for _, indicator in index}
    indicators = [indicator for indicator in report.indicators if indicator.id in shown]
    formatters = {indicator.id: _value_formatter(indicator) for indicator in indicators}
    missing = page.w("not_available")

    def entry(group: Group, indicator: Indicator) -> str:
        cell = index.get((group, indicator.id))
        if cell is None:
            return f'<td class="num">{missing}</td>'
        _check_cell(cell)
        value = _e(formatters[indicator.id](cell.value)) if cell.value is not None else missing
        klass = "num too-few" if Flag.TOO_FEW in cell.flags else "num"
        return f'<td class="{klass}">{value}{page.flags(cell.flags, separator="")}</td>'

    def indicator_head(indicator: Indicator, scope: str) -> str:
        unit = _e(page.unit(indicator.unit))
        return f'<th scope="{scope}">{_e(indicator.title)}<span class="sub">{unit}</span></th>'

    rows = []
    if len(indicators) > len(groups):  # the longer list runs down the page: indicators as rows
        heads = f'<th scope="col">{page.w("indicator")}</th>' + "".join(
            f'<th scope="col" class="num">{_e(page.group_label(group))}</th>' for group in groups
        )
        for indicator in indicators:
            entries = "".join(entry(group, indicator) for group in groups)
            rows.append(f"<tr>{indicator_head(indicator, 'row')}{entries}</tr>")
    else:
        columns = page.columns(groups)
        heads = page.group_heads(columns) + "".join(
            indicator_head(indicator, "col").replace("<th ", '<th class="num" ', 1) for indicator in indicators
        )
        for group in groups:
            entries = "".join(entry(group, indicator) for indicator in indicators)
            rows.append(f"<tr>{page.group_cells(group, columns)}{entries}</tr>")
    return (
        f'<section id="summary"><h2>{page.w("summary")}</h2>'
        + _table(page.w("summary_caption"), heads, rows, class_="summary")
        + _flag_legend(page)
        + "</section>"
    )


def _headline(page: _Page) -> str:
    report = page.report
    cells_by_indicator: dict[str, list[Cell]] = {}
    for cell in report.cells:
        cells_by_indicator.setdefault(cell.indicator, []).append(cell)
    parts = [
        f'<section id="headline"><h2>{page.w("headline")}</h2><p>{page.w("headline_intro")}</p>',
        _flag_legend(page),
    ]
    for number, indicator in enumerate(report.indicators, start=1):
        value_of = _value_formatter(indicator)
        unit = page.unit(indicator.unit)
        sub = _e(indicator.formula or indicator.numerator)
        terms = f"{page.w('numerator')}: {_e(indicator.numerator)}"
        if indicator.denominator:
            terms += f". {page.w('denominator')}: {_e(indicator.denominator)}"
        caption = (
            f'{_e(indicator.title)} <span class="sub">{sub} ({_e(unit)})</span><span class="sub terms">{terms}.</span>'
        )
        own = cells_by_indicator.get(indicator.id, [])
        columns = page.columns(cell.group for cell in own)
        heads = (
            page.group_heads(columns)
            + f'<th scope="col" class="num">{page.w("value")}</th>'
            + f'<th scope="col" class="num">{page.w("interval")}</th>'
            + f'<th scope="col" class="num">{page.w("numerator")}</th>'
            + f'<th scope="col" class="num">{page.w("denominator")}</th>'
            + f'<th scope="col" class="num">{page.w("n")}</th>'
            + f'<th scope="col">{page.w("flags")}</th>'
        )
        rows = []
        missing = page.raw("not_available")
        for cell in own:
            _check_cell(cell)
            value = value_of(cell.value) if cell.value is not None else missing
            if cell.low is not None and cell.high is not None:
                interval = f"{value_of(cell.low)} \u2013 {value_of(cell.high)}"
            else:
                interval = missing
            numerator = _count(cell.numerator) if cell.numerator is not None else missing
            denominator = _count(cell.denominator) if cell.denominator is not None else missing
            klass = ' class="too-few"' if Flag.TOO_FEW in cell.flags else ""
            rows.append(
                f"<tr{klass}>{page.group_cells(cell.group, columns)}"
                f'<td class="num">{_e(value)}</td><td class="num">{_e(interval)}</td>'
                f'<td class="num">{_e(numerator)}</td><td class="num">{_e(denominator)}</td>'
                f'<td class="num">{_e(_count(cell.n))}</td><td>{page.flags(cell.flags)}</td></tr>'
            )
        parts.append(f'<section id="indicator-{number}">')
        parts.append(_table(caption, heads, rows, class_="headline"))
        parts.append("</section>")
    parts.append("</section>")
    return "".join(parts)


def _survival_at(curve: SurvivalCurve, time: float) -> float:
    """The curve's share still open at ``time`` (1 before the first step; its times increase)."""
    index = bisect.bisect_right(curve.times, time) - 1
    return 1.0 if index < 0 else curve.survival[index]


def _survival_section(page: _Page) -> str:
    report = page.report
    if not report.survival:
        return ""
    keyed: dict[tuple[str, str, float | None], list[SurvivalCurve]] = {}
    for curve in report.survival:
        keyed.setdefault((curve.clock, curve.unit, curve.target), []).append(curve)
    parts = [f'<section id="survival"><h3>{page.w("survival")}</h3>']
    for (clock, unit_key, target), curves in keyed.items():
        unit = page.unit(unit_key)
        steps = _svg.HOUR_STEPS if "hour" in unit_key else _svg.DAY_STEPS
        for start in range(0, len(curves), _CURVES_PER_CHART):
            chunk = curves[start : start + _CURVES_PER_CHART]
            parts.append(_survival_chart(page, chunk, clock, unit, target, steps))
    parts.append("</section>")
    return "".join(parts)


def _survival_chart(  # noqa: PLR0913 - one chart's coordinates
    page: _Page,
    curves: Sequence[SurvivalCurve],
    clock: str,
    unit: str,
    target: float | None,
    steps: Sequence[float],
) -> str:
    clock_words = page.raw(f"clock.{clock}") if f"clock.{clock}" in page.words else clock

    def key(word: str) -> str:
        # A clock may word the chart its own way (``survival_y.first_response``: not yet answered).
        return f"{word}.{clock}" if f"{word}.{clock}" in page.words else word

    names = [page.group_label(curve.group) for curve in curves]
    chart_id = page.next_chart_id()
    target_text = _svg.tick_text(target) if target is not None else ""
    svg = _svg.survival_chart(
        [
            _svg.StepCurve(name, curve.times, curve.survival, curve.low, curve.high)
            for name, curve in zip(names, curves, strict=True)
        ],
        id_prefix=chart_id,
        title=page.raw(key("survival_title"), clock=clock_words, unit=unit),
        description=page.raw(key("survival_desc"), unit=unit, groups="; ".join(names)),
        x_label=page.raw("survival_x", unit=unit),
        y_label=page.raw(key("survival_y")),
        target_days=target,
        target_label=page.raw("target_line", time=target_text, unit=unit),
        no_data=page.raw("no_data"),
        tick_steps=steps,
    )
    latest = max([*(curve.times[-1] for curve in curves if curve.times), target or 0.0])
    checkpoints = [tick for tick in _svg.time_ticks(latest, steps=steps) if tick > 0]
    if target is not None and target not in checkpoints:
        checkpoints = sorted([*checkpoints, target])
    heads = (
        f'<th scope="col">{page.w("group")}</th><th scope="col" class="num">{page.w("n")}</th>'
        f'<th scope="col" class="num">{page.w(key("events"))}</th>'
        f'<th scope="col" class="num">{page.w(key("censored"))}</th>'
        f'<th scope="col" class="num">{page.w("median")}</th>'
    )
    heads += "".join(
        f'<th scope="col" class="num">{page.w(key("still_open_at"), time=_svg.tick_text(time), unit=unit)}</th>'
        for time in checkpoints
    )
    rows = []
    for name, curve in zip(names, curves, strict=True):
        median = _plain(curve.median, 1) if curve.median is not None else page.raw("flag.not-reached")
        shares = "".join(
            f'<td class="num">{_survival_at(curve, time) * 100:.1f}%</td>' if curve.times else "<td></td>"
            for time in checkpoints
        )
        rows.append(
            f'<tr><th scope="row">{_e(name)}</th><td class="num">{_count(curve.n)}</td>'
            f'<td class="num">{_count(curve.events)}</td><td class="num">{_count(curve.censored)}</td>'
            f'<td class="num">{_e(median)}</td>{shares}</tr>'
        )
    title = page.w(key("survival_title"), clock=clock_words, unit=unit)
    caption = page.w("chart_data", title=page.raw(key("survival_title"), clock=clock_words, unit=unit))
    return f'<figure id="{chart_id}">{svg}<figcaption>{title}</figcaption></figure>' + _table(
        caption, heads, rows, class_="chart-data"
    )


_Grouped = TypeVar("_Grouped", BacklogPoint, AgeBucket)


def _by_group(items: Iterable[_Grouped]) -> dict[Group, list[_Grouped]]:
    """The items of each group, groups in first-seen order (the report's order)."""
    by_group: dict[Group, list[_Grouped]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    return by_group


def _backlog_section(page: _Page) -> str:
    by_group = _by_group(page.report.backlog)
    if not by_group:
        return ""
    parts = [f'<section id="backlog"><h3>{page.w("backlog")}</h3>']
    for group, points in by_group.items():
        name = page.group_label(group)
        chart_id = page.next_chart_id()
        svg = _svg.backlog_chart(
            [point.period for point in points],
            [point.opened for point in points],
            [point.closed for point in points],
            [point.backlog for point in points],
            id_prefix=chart_id,
            title=page.raw("backlog_title", group=name),
            description=page.raw("backlog_desc"),
            x_label=page.raw("backlog_x"),
            y_label=page.raw("backlog_y"),
            backlog_label=page.raw("backlog_end"),
            opened_label=page.raw("opened"),
            closed_label=page.raw("closed"),
            no_data=page.raw("no_data"),
        )
        title = page.w("backlog_title", group=name)
        heads = (
            f'<th scope="col">{page.w("period_col")}</th><th scope="col" class="num">{page.w("opened")}</th>'
            f'<th scope="col" class="num">{page.w("closed")}</th>'
            f'<th scope="col" class="num">{page.w("backlog_end")}</th>'
        )
        rows = [
            f'<tr><th scope="row">{_e(point.period)}</th><td class="num">{_count(point.opened)}</td>'
            f'<td class="num">{_count(point.closed)}</td><td class="num">{_count(point.backlog)}</td></tr>'
            for point in points
        ]
        parts.append(f'<figure id="{chart_id}">{svg}<figcaption>{title}</figcaption></figure>')
        parts.append(
            _table(page.w("chart_data", title=page.raw("backlog_title", group=name)), heads, rows, class_="chart-data")
        )
    parts.append("</section>")
    return "".join(parts)


def _ages_section(page: _Page) -> str:
    by_group = _by_group(page.report.ages)
    if not by_group:
        return ""
    parts = [f'<section id="ages"><h3>{page.w("ages")}</h3><div class="chart-grid">']
    for group, buckets in by_group.items():
        name = page.group_label(group)
        chart_id = page.next_chart_id()
        svg = _svg.age_chart(
            [bucket.label for bucket in buckets],
            [bucket.count for bucket in buckets],
            id_prefix=chart_id,
            title=page.raw("ages_title", group=name),
            description=page.raw("ages_desc"),
            x_label=page.raw("ages_x"),
            y_label=page.raw("ages_y"),
            no_data=page.raw("no_data"),
            width=_SMALL_WIDTH,
        )
        title = page.w("ages_title", group=name)
        heads = f'<th scope="col">{page.w("bucket")}</th><th scope="col" class="num">{page.w("count")}</th>'
        rows = [
            f'<tr><th scope="row">{_e(bucket.label)}</th><td class="num">{_count(bucket.count)}</td></tr>'
            for bucket in buckets
        ]
        parts.append(f'<div class="chart-block"><figure id="{chart_id}">{svg}<figcaption>{title}</figcaption></figure>')
        parts.append(
            _table(page.w("chart_data", title=page.raw("ages_title", group=name)), heads, rows, class_="chart-data")
        )
        parts.append("</div>")
    parts.append("</div></section>")
    return "".join(parts)


def _quality_section(page: _Page) -> str:
    heads = (
        f'<th scope="col">{page.w("check")}</th><th scope="col" class="num">{page.w("count")}</th>'
        f'<th scope="col">{page.w("treatment")}</th>'
    )
    rows = [
        f'<tr><th scope="row">{_e(row.title)} <code class="muted">{_e(row.check)}</code></th>'
        f'<td class="num">{_count(row.count)}</td><td>{_e(row.treatment)}</td></tr>'
        for row in page.report.quality
    ]
    if not rows:
        rows = [f'<tr><td colspan="3">{page.w("no_data")}</td></tr>']
    return (
        f'<section id="quality"><h2>{page.w("quality")}</h2><p>{page.w("quality_intro")}</p>'
        + _table(page.w("quality"), heads, rows)
        + "</section>"
    )


def _equity_section(page: _Page) -> str:
    report = page.report
    if not report.equity:
        return ""
    titles = {indicator.id: indicator.title for indicator in report.indicators}
    heads = (
        f'<th scope="col">{page.w("area")}</th><th scope="col">{page.w("indicator")}</th>'
        f'<th scope="col" class="num">{page.w("raw")}</th><th scope="col" class="num">{page.w("standardised")}</th>'
        f'<th scope="col" class="num">{page.w("n")}</th><th scope="col" class="num">{page.w("population")}</th>'
        f'<th scope="col" class="num">{page.w("per_1000")}</th><th scope="col">{page.w("flags")}</th>'
    )
    missing = page.raw("not_available")
    rows = []
    for row in report.equity:
        try:
            value_of = _value_formatter(report.indicator(row.indicator))
        except KeyError:
            value_of = _count
        raw = value_of(row.raw) if row.raw is not None else missing
        standardised = value_of(row.standardised) if row.standardised is not None else missing
        population = _count(row.population) if row.population is not None else missing
        per_1000 = _plain(row.per_1000, 1) if row.per_1000 is not None else missing
        klass = ' class="too-few"' if Flag.TOO_FEW in row.flags else ""
        rows.append(
            f'<tr{klass}><th scope="row">{_e(row.area)}</th><td>{_e(titles.get(row.indicator, row.indicator))}</td>'
            f'<td class="num">{_e(raw)}</td><td class="num">{_e(standardised)}</td>'
            f'<td class="num">{_count(row.n)}</td><td class="num">{_e(population)}</td>'
            f'<td class="num">{_e(per_1000)}</td><td>{page.flags(row.flags)}</td></tr>'
        )
    return (
        f'<section id="equity"><h2>{page.w("equity")}</h2><p>{page.w("equity_intro")}</p>'
        + _table(page.w("equity"), heads, rows)
        + "</section>"
    )


def _methods_section(page: _Page, as_of: str) -> str:
    report = page.report
    parts = [f'<section id="methods"><h2>{page.w("methods")}</h2>']
    stamp = _e(report.as_of.isoformat())
    parts.append(f'<p>{page.w("as_of")}: <time datetime="{stamp}">{_e(as_of)}</time>.')
    if report.period:
        parts.append(f" {page.w('period_rule')}: {_e(report.period)}.")
    parts.append("</p>")
    parts.extend(f"<p>{_e(paragraph)}</p>" for paragraph in report.methods)
    for indicator in report.indicators:
        kind = page.words.get(f"kind.{indicator.kind.value}", indicator.kind.value)
        fields = [
            ("identifier", f"<code>{_e(indicator.id)}</code>"),
            ("formula", _e(indicator.formula)),
            ("kind", _e(kind)),
            ("unit", _e(page.unit(indicator.unit))),
            ("numerator", _e(indicator.numerator)),
            ("denominator", _e(indicator.denominator)),
            ("clock", _e(indicator.clock)),
            ("calendar", _e(indicator.calendar)),
            ("as_of_rule", _e(indicator.as_of)),
            ("exclusions", _e(indicator.exclusions)),
        ]
        rows = "".join(f"<dt>{page.w(key)}</dt><dd>{value or page.w('not_available')}</dd>" for key, value in fields)
        parts.append(f'<h3>{_e(indicator.title)}</h3><dl class="formula">{rows}</dl>')
    parts.append("</section>")
    return "".join(parts)


def render_html(report: Report, *, labels: Mapping[str, str] | None = None) -> str:
    """The report as one self-contained HTML5 page, ready to publish.

    The page holds the title and as-of time, the notes to read first, a
    summary (indicators by groups, values and flags), the charts
    (Kaplan-Meier "still open" curves with the target as a line, backlog
    flow, ages of open requests) each followed by its data table, a table
    per indicator (value, 95% interval, numerator, denominator, n and flags
    in words for every group), the data-quality table, the equity view when
    the report has one, and the methods: every indicator's formula. Inline
    CSS (screen and print), inline SVG, no script, nothing fetched from
    anywhere (a Content-Security-Policy says so to browsers).

    Words come from ``LABELS[report.language]`` (English when the language is
    unknown), overridden by ``report.labels`` and then by ``labels``. Keys
    are those of ``LABELS["en"]`` (section titles, column heads,
    ``unit.<unit>``, ``clock.<clock>``, ``flag.<value>``,
    ``flag_help.<value>``), ``dimension.<name>`` for a grouping column's head,
    and ``<dimension>:<value>`` for how a group's value is shown
    (``channel:phone``); as the presets write them, a plain ``<name>`` also
    sets ``dimension.<name>`` and a plain flag value sets ``flag.<value>``.

    Args:
        report: the figures and how they were made.
        labels: words overriding the language's defaults, key by key.

    Returns:
        The page as text; encode it as UTF-8 (the page declares it). The
        same report always gives the same text, byte for byte.

    Raises:
        ValidationError: ``report.as_of`` is naive; a cell names an
            indicator the report does not define, repeats a group and
            indicator, or holds a non-finite number; or chart data is
            inconsistent (a curve's sequences of different lengths).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from georeport.stats import Cell, Indicator, Report
        >>> report = Report(
        ...     title="Parks <311>", as_of=datetime(2024, 4, 1, tzinfo=timezone.utc), language="en",
        ...     dimensions=("agency",), period="",
        ...     indicators=(Indicator(id="received", title="Requests received", kind="count",
        ...                           unit="requests", numerator="requests received"),),
        ...     cells=(Cell(group=(("agency", "Parks"),), indicator="received", numerator=3.0,
        ...                 denominator=None, value=3.0, n=3),),
        ... )
        >>> page = render_html(report)
        >>> page.startswith("<!DOCTYPE html>"), "<title>Parks &lt;311&gt;" in page, "<script" in page
        (True, True, False)
        >>> page == render_html(report)
        True
    """
    _check_cells(report)
    page = _Page(report, labels or {})
    as_of = _format_as_of(report)
    charts = _survival_section(page) + _backlog_section(page) + _ages_section(page)
    equity = _equity_section(page)
    toc = [("summary", page.w("summary"))]
    if charts:
        toc.append(("charts", page.w("charts")))
    toc.append(("headline", page.w("headline")))
    toc.append(("quality", page.w("quality")))
    if equity:
        toc.append(("equity", page.w("equity")))
    toc.append(("methods", page.w("methods")))
    notes = ""
    if report.notes:
        items = "".join(f"<li>{_e(note)}</li>" for note in report.notes)
        notes = f'<section class="notes" aria-labelledby="notes-title"><h2 id="notes-title">{page.w("notes")}</h2><ul>{items}</ul></section>'
    period = f'<p class="muted">{page.w("period_rule")}: {_e(report.period)}</p>' if report.period else ""
    body = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(report.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{_e(report.title)} \u2014 {_e(as_of)}</title>",
        '<link rel="icon" href="data:,">',
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        (
            f'<header><h1>{_e(report.title)}</h1><p class="as-of">{page.w("as_of")}: '
            f'<time datetime="{_e(report.as_of.isoformat())}">{_e(as_of)}</time></p>'
            f"{period}</header>"
        ),
        f'<nav aria-label="{page.w("contents")}"><ol>'
        + "".join(f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in toc)
        + "</ol></nav>",
        "<main>",
        notes,
        _summary(page),
        f'<section id="charts"><h2>{page.w("charts")}</h2>{charts}</section>' if charts else "",
        _headline(page),
        _quality_section(page),
        equity,
        _methods_section(page, as_of),
        "</main>",
        f"<footer><p>{page.w('generated', as_of=as_of)}</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in body if part) + "\n"
