"""The published HTML report: self-contained, complete, escaped, byte-stable, in English and Spanish."""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from georeport.errors import ValidationError
from georeport.stats import (
    AgeBucket,
    BacklogPoint,
    Cell,
    EquityRow,
    Flag,
    Indicator,
    QualityRow,
    Report,
    SurvivalCurve,
)
from georeport.stats.html import LABELS, render_html

PANAMA = timezone(timedelta(hours=-5), "America/Panama")
AS_OF = datetime(2024, 7, 1, tzinfo=PANAMA)
SCRIPT = Path(__file__).parents[2] / "docs" / "scripts" / "report_screenshot.py"
ON_TIME = ("on_time_closed", "on_time_attainment", "on_time_cohort")
HOSTILE = "<script>alert('x')</script> \"onload=alert(1) & <img src=http://evil.invalid/x.png>"


def indicator(identifier: str, title: str, kind: str = "proportion", unit: str = "share") -> Indicator:
    return Indicator(
        id=identifier,
        title=title,
        kind=kind,
        unit=unit,
        numerator=f"numerator of {identifier}",
        denominator="" if kind == "count" else f"denominator of {identifier}",
        clock=f"clock of {identifier}",
        calendar=f"calendar of {identifier}",
        as_of=f"as-of rule of {identifier}",
        exclusions=f"exclusions of {identifier}",
        formula=f"formula of {identifier}",
    )


INDICATORS = (
    indicator("received", "Requests received", "count", "requests"),
    indicator("response_rate", "Response rate"),
    indicator("median_days_to_close", "Median days to close", "duration", "days"),
    indicator("on_time_closed", "On time among requests closed"),
    indicator("on_time_attainment", "On-time attainment including overdue"),
    indicator("on_time_cohort", "Cohort attainment within 30 days"),
)

ROADS = (("agency", "Roads"),)
PARKS = (("agency", "Parks"),)


def cells() -> tuple[Cell, ...]:
    out = []
    for group, n in ((ROADS, 120), (PARKS, 12)):
        few = [Flag.TOO_FEW] if n < 20 else []
        out.append(
            Cell(group=group, indicator="received", numerator=n, denominator=None, value=float(n), n=n, flags=few)
        )
        out.append(
            Cell(
                group=group,
                indicator="response_rate",
                numerator=n - 6,
                denominator=n,
                value=(n - 6) / n,
                low=0.4,
                high=0.99,
                n=n,
                flags=few,
            )
        )
        out.append(
            Cell(
                group=group,
                indicator="median_days_to_close",
                numerator=n - 20 if n > 20 else 4,
                denominator=n,
                value=12.0 if n > 20 else None,
                low=9.5 if n > 20 else None,
                high=15.25 if n > 20 else None,
                n=n,
                flags=[*few, *([Flag.PROXY_CLOSE_TIME] if n > 20 else [Flag.NOT_REACHED])],
            )
        )
        for offset, name in enumerate(ON_TIME):
            flags = [*few, Flag.PROVISIONAL] if name == "on_time_cohort" else few
            out.append(
                Cell(
                    group=group,
                    indicator=name,
                    numerator=30 + offset,
                    denominator=40 + offset,
                    value=(30 + offset) / (40 + offset),
                    low=0.6,
                    high=0.85,
                    n=n,
                    flags=flags,
                )
            )
    return tuple(out)


def curve(group: Any, times: tuple[float, ...], survival: tuple[float, ...], **extra: Any) -> SurvivalCurve:
    return SurvivalCurve(
        group=group,
        clock="close",
        unit="days",
        times=times,
        survival=survival,
        low=tuple(max(0.0, s - 0.1) for s in survival),
        high=tuple(min(1.0, s + 0.1) for s in survival),
        n=extra.pop("n", 120),
        events=extra.pop("events", len(times)),
        censored=extra.pop("censored", 3),
        target=extra.pop("target", 30.0),
        median=extra.pop("median", 12.0),
        **extra,
    )


def make_report(**changes: Any) -> Report:
    fields: dict[str, Any] = {
        "title": "Request handling, Example City",
        "as_of": AS_OF,
        "language": "en",
        "dimensions": ("agency",),
        "period": "January to June 2024 by received date",
        "indicators": INDICATORS,
        "cells": cells(),
        "methods": ("Times are Kaplan-Meier estimates.", "Proportions carry Wilson intervals."),
        "quality": (
            QualityRow(check="closed_before_created", title="Closed before created", count=2, treatment="excluded"),
            QualityRow(check="proxy_close", title="Closed without a close time", count=4, treatment="proxy"),
        ),
        "survival": (
            curve(ROADS, (1.0, 5.0, 12.0, 40.0), (0.9, 0.7, 0.5, 0.2)),
            curve(PARKS, (3.0, 20.0), (0.8, 0.6), n=12, median=None),
        ),
        "backlog": tuple(
            BacklogPoint(
                group=ROADS,
                period=f"2024-0{month}",
                start=datetime(2024, month, 1, tzinfo=PANAMA),
                end=datetime(2024, month + 1, 1, tzinfo=PANAMA),
                opened=10 * month,
                closed=8 * month,
                backlog=2 * month,
            )
            for month in (1, 2, 3)
        ),
        "ages": tuple(
            AgeBucket(group=ROADS, label=label, low=low, high=high, count=count)
            for label, low, high, count in (
                ("0-7", 0, 7, 5),
                ("8-30", 8, 30, 3),
                ("31-90", 31, 90, 0),
                (">90", 91, None, 1),
            )
        ),
        "equity": (
            EquityRow(
                area="North",
                indicator="on_time_closed",
                raw=0.8,
                standardised=0.7,
                n=90,
                population=12000,
                per_1000=7.5,
            ),
            EquityRow(
                area="South", indicator="on_time_closed", raw=0.75, standardised=0.78, n=15, flags=[Flag.TOO_FEW]
            ),
        ),
        "notes": ("Duplicate reports (3) are left out of on-time denominators.",),
    }
    fields.update(changes)
    return Report(**fields)


def parse(page: str) -> Any:
    return lxml_html.document_fromstring(page)


def text_of(element: Any) -> str:
    """The element's text, its pieces joined by one space."""
    return " ".join(" ".join(element.itertext()).split())


def table_after(figure: Any) -> Any:
    following = figure.getnext()
    assert following is not None
    tables = following.xpath("self::table | self::div/table")
    assert len(tables) == 1, f"the element after figure {figure.get('id')} is not a table"
    return tables[0]


def detail_table(document: Any, title: str) -> Any:
    (table,) = [
        t for t in document.xpath("//section[@id='headline']//table") if text_of(t.find("caption")).startswith(title)
    ]
    return table


def rows_of(table: Any) -> list[list[str]]:
    return [[text_of(cell) for cell in row.xpath("th|td")] for row in table.xpath("tbody/tr")]


class TestSelfContained:
    def test_nothing_external_and_no_script(self) -> None:
        page = render_html(make_report())
        document = parse(page)
        assert document.xpath("//script | //iframe | //object | //embed | //img | //base | //link[@rel!='icon']") == []
        assert document.xpath("//@src") == []
        for href in document.xpath("//@href"):
            assert href.startswith("#") or href == "data:,"
        anchors = set(document.xpath("//@id"))
        for href in document.xpath("//a/@href"):
            assert href[1:] in anchors
        for url in re.findall(r"url\(([^)]*)\)", page):
            assert url.startswith("#")
            assert url[1:] in anchors
        assert "@import" not in page
        (policy,) = document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert "default-src 'none'" in policy
        assert "script-src" not in policy
        assert not re.search(r"\bon[a-z]+=", page)  # no inline event handlers
        assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in page

    def test_ids_are_unique_across_charts(self) -> None:
        ids = parse(render_html(make_report())).xpath("//@id")
        assert len(ids) == len(set(ids))

    def test_every_chart_is_followed_by_its_data_table(self) -> None:
        document = parse(render_html(make_report()))
        figures = document.xpath("//figure")
        assert len(figures) == 3  # one survival chart (one target), one backlog, one age chart
        for figure in figures:
            svg = figure.xpath("*[local-name()='svg']")
            assert len(svg) == 1
            assert svg[0].get("role") == "img"
            table = table_after(figure)
            assert table.get("class") == "chart-data"
            assert table.xpath("tbody/tr")

    def test_print_stylesheet_is_inline(self) -> None:
        document = parse(render_html(make_report()))
        (style,) = document.xpath("//style")
        assert "@media print" in style.text
        assert document.xpath("//html/@lang") == ["en"]
        assert document.xpath("//meta/@charset") == ["utf-8"]


class TestFigures:
    def test_each_indicator_has_its_own_named_table_with_numerator_and_denominator(self) -> None:
        document = parse(render_html(make_report()))
        captions = [text_of(c) for c in document.xpath("//section[@id='headline']//caption")]
        assert len(captions) == len(INDICATORS)
        for caption, item in zip(captions, INDICATORS, strict=True):
            assert caption.startswith(item.title)
        rows = rows_of(detail_table(document, "Response rate"))
        assert rows[0] == ["Roads", "95.0%", "40.0% \u2013 99.0%", "114", "120", "120", ""]
        assert rows[1] == ["Parks", "50.0%", "40.0% \u2013 99.0%", "6", "12", "12", "too few to compare"]

    def test_the_three_on_time_measures_are_three_named_tables(self) -> None:
        document = parse(render_html(make_report()))
        for item in INDICATORS[3:]:
            table = detail_table(document, item.title)
            caption = text_of(table.find("caption"))
            assert f"Numerator: numerator of {item.id}. Denominator: denominator of {item.id}." in caption
            assert text_of(table.find("thead")) == "Agency Value 95% interval Numerator Denominator n Notes"
        summary_heads = [text_of(th) for th in document.xpath("//table[@class='summary']/tbody/tr/th")]
        assert [head for head in summary_heads if head.startswith(("On", "Cohort"))] == [
            "On time among requests closed share",
            "On-time attainment including overdue share",
            "Cohort attainment within 30 days share",
        ]

    def test_flags_are_shown_in_words(self) -> None:
        document = parse(render_html(make_report()))
        median = rows_of(detail_table(document, "Median days to close"))
        assert median[0] == ["Roads", "12.0", "9.5 \u2013 15.2", "100", "120", "120", "proxy close time"]
        assert median[1] == ["Parks", "\u2014", "\u2014", "4", "12", "12", "too few to compare ; not reached"]
        cohort = rows_of(detail_table(document, "Cohort attainment within 30 days"))
        assert cohort[0][-1] == "provisional"
        legend = text_of(document.xpath("//section[@id='summary']//div[@class='flag-legend']")[0])
        assert "too few to compare the group is below the minimum size" in legend
        assert "provisional some requests are not yet past their due time" in legend

    def test_groups_keep_the_report_order_and_are_never_ranked(self) -> None:
        document = parse(render_html(make_report()))
        for table in document.xpath("//section[@id='headline']//table"):
            assert [row[0] for row in rows_of(table)] == ["Roads", "Parks"]
        summary = document.xpath("//table[@class='summary']")[0]
        assert [text_of(th) for th in summary.xpath("thead//th")] == ["Indicator", "Roads", "Parks"]
        assert {td.get("class") for td in summary.xpath("tbody/tr/td[1]")} == {"num"}
        assert {td.get("class") for td in summary.xpath("tbody/tr/td[2]")} == {"num too-few"}

    def test_the_summary_runs_the_longer_list_down_the_page(self) -> None:
        many = tuple((("agency", f"Agency {i:02d}"),) for i in range(len(INDICATORS) + 1))
        report = make_report(
            cells=tuple(
                Cell(group=group, indicator=item.id, numerator=1, denominator=2, value=0.5, n=2)
                for group in many
                for item in INDICATORS
            )
        )
        summary = parse(render_html(report)).xpath("//table[@class='summary']")[0]
        heads = [text_of(th) for th in summary.xpath("thead//th")]
        assert heads[0] == "Agency"
        assert heads[1:] == [f"{item.title} {'requests' if item.kind == 'count' else item.unit}" for item in INDICATORS]
        assert [row[0] for row in rows_of(summary)] == [f"Agency {i:02d}" for i in range(len(many))]

    def test_survival_table_reads_the_curve_at_the_chart_ticks_and_the_target(self) -> None:
        document = parse(render_html(make_report()))
        figure = document.xpath("//section[@id='survival']//figure")[0]
        table = table_after(figure)
        heads = [text_of(th) for th in table.xpath("thead//th")]
        assert heads[5:] == [
            "Open at 7 days",
            "Open at 14 days",
            "Open at 21 days",
            "Open at 28 days",
            "Open at 30 days",
            "Open at 35 days",
            "Open at 42 days",
        ]
        assert rows_of(table)[0] == [
            "Roads",
            "120",
            "4",
            "3",
            "12.0",
            "70.0%",
            "50.0%",
            "50.0%",
            "50.0%",
            "50.0%",
            "50.0%",
            "20.0%",
        ]
        assert rows_of(table)[1][4] == "not reached"
        target = figure.xpath(".//*[local-name()='g'][@class='target']")
        assert "Target: 30 days" in text_of(target[0])

    def test_curves_with_different_targets_get_different_charts(self) -> None:
        report = make_report(
            survival=(
                curve(ROADS, (1.0,), (0.5,), target=30.0),
                curve(PARKS, (2.0,), (0.5,), target=10.0),
            )
        )
        figures = parse(render_html(report)).xpath("//section[@id='survival']//figure")
        assert len(figures) == 2

    def test_business_hours_to_first_response_get_their_own_chart_with_working_day_ticks(self) -> None:
        hours = attrs.evolve(
            curve(ROADS, (2.0, 9.0, 30.0), (0.6, 0.3, 0.1), target=16.0),
            clock="first_response",
            unit="business hours",
        )
        document = parse(render_html(make_report(survival=(*make_report().survival, hours))))
        figures = document.xpath("//section[@id='survival']//figure")
        assert len(figures) == 2
        assert text_of(figures[1].find("figcaption")) == (
            "Share of requests not yet answered, time to first response (business hours)"
        )
        heads = [text_of(th) for th in table_after(figures[1]).xpath("thead//th")]
        assert heads[2:4] == ["Answered", "Unanswered (censored)"]
        assert heads[5:] == [f"Unanswered at {hours} business hours" for hours in (8, 16, 24, 32)]
        axis = figures[1].xpath(".//*[local-name()='g'][contains(@class, 'x-axis')]/*[local-name()='text']")
        assert [text_of(tick) for tick in axis] == ["0", "8", "16", "24", "32", "Time since received (business hours)"]

    def test_backlog_and_age_tables_hold_the_charted_numbers(self) -> None:
        document = parse(render_html(make_report()))
        backlog = table_after(document.xpath("//section[@id='backlog']//figure")[0])
        assert rows_of(backlog) == [
            ["2024-01", "10", "8", "2"],
            ["2024-02", "20", "16", "4"],
            ["2024-03", "30", "24", "6"],
        ]
        ages = table_after(document.xpath("//section[@id='ages']//figure")[0])
        assert rows_of(ages) == [["0-7", "5"], ["8-30", "3"], ["31-90", "0"], [">90", "1"]]

    def test_data_quality_equity_and_notes(self) -> None:
        document = parse(render_html(make_report()))
        quality = document.xpath("//section[@id='quality']//table")[0]
        assert rows_of(quality) == [
            ["Closed before created closed_before_created", "2", "excluded"],
            ["Closed without a close time proxy_close", "4", "proxy"],
        ]
        equity = rows_of(document.xpath("//section[@id='equity']//table")[0])
        assert equity[0] == ["North", "On time among requests closed", "80.0%", "70.0%", "90", "12,000", "7.5", ""]
        assert equity[1][-1] == "too few to compare"
        assert "Duplicate reports (3)" in text_of(document.xpath("//section[@class='notes']")[0])

    def test_methods_print_every_formula(self) -> None:
        document = parse(render_html(make_report()))
        methods = document.xpath("//section[@id='methods']")[0]
        headings = [text_of(h) for h in methods.xpath("h3")]
        assert headings == [item.title for item in INDICATORS]
        for heading, item in zip(methods.xpath("h3"), INDICATORS, strict=True):
            terms = heading.getnext()
            assert terms.tag == "dl"
            text = text_of(terms)
            for field in ("formula", "numerator", "clock", "calendar", "as-of rule", "exclusions"):
                assert f"{field} of {item.id}" in text
            if item.kind == "count":
                assert "Denominator \u2014" in text
            else:
                assert f"denominator of {item.id}" in text
        assert "2024-07-01T00:00:00-05:00 (2024-07-01T05:00:00Z)" in text_of(methods)
        assert "Times are Kaplan-Meier estimates." in text_of(methods)

    def test_a_report_with_nothing_in_it_still_renders(self) -> None:
        report = make_report(cells=(), indicators=(), survival=(), backlog=(), ages=(), quality=(), equity=(), notes=())
        document = parse(render_html(report))
        assert document.xpath("//figure") == []
        assert "No data" in text_of(document.xpath("//section[@id='quality']")[0])

    def test_a_curve_without_steps_draws_the_no_data_figure(self) -> None:
        report = make_report(survival=(curve(ROADS, (), (), median=None),))
        figure = parse(render_html(report)).xpath("//section[@id='survival']//figure")[0]
        assert "No data" in text_of(figure)
        assert table_after(figure) is not None


class TestDeterminism:
    def test_the_same_report_gives_the_same_bytes(self) -> None:
        first = render_html(make_report())
        assert first == render_html(make_report())
        assert first.encode() == render_html(attrs.evolve(make_report())).encode()

    def test_the_as_of_time_is_in_the_file_but_no_rendering_time(self) -> None:
        first = render_html(make_report())
        later = render_html(make_report(as_of=AS_OF + timedelta(days=1)))
        assert first != later
        assert str(datetime.now(UTC).year) not in first.replace("2024", "")

    def test_the_as_of_time_must_be_aware(self) -> None:
        with pytest.raises(ValidationError, match="as_of"):
            render_html(make_report(as_of=datetime(2024, 7, 1)))

    def test_a_cell_of_an_unknown_indicator_is_refused_not_dropped(self) -> None:
        stray = Cell(group=ROADS, indicator="nowhere", numerator=1, denominator=None, value=1.0, n=1)
        with pytest.raises(ValidationError, match=r"cells\[9\]\.indicator.*nowhere"):
            render_html(make_report(cells=(*cells()[:9], stray)))

    def test_a_repeated_cell_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="one cell per group and indicator"):
            render_html(make_report(cells=(*cells(), cells()[0])))

    @pytest.mark.parametrize("bad", [math.nan, math.inf])
    def test_non_finite_figures_are_refused(self, bad: float) -> None:
        broken = (Cell(group=ROADS, indicator="response_rate", numerator=1, denominator=2, value=bad, n=2),)
        with pytest.raises(ValidationError, match="response_rate"):
            render_html(make_report(cells=broken))


class TestEscaping:
    def test_hostile_names_are_text_everywhere(self) -> None:
        group = (("agency", HOSTILE),)
        report = make_report(
            title=HOSTILE,
            period=HOSTILE,
            indicators=(*INDICATORS, indicator("evil", HOSTILE)),
            cells=(*cells(), Cell(group=group, indicator="evil", numerator=1, denominator=2, value=0.5, n=2)),
            methods=(HOSTILE,),
            notes=(HOSTILE,),
            quality=(QualityRow(check=HOSTILE, title=HOSTILE, count=1, treatment=HOSTILE),),
            survival=(curve(group, (1.0,), (0.5,)),),
            backlog=(attrs.evolve(make_report().backlog[0], group=group, period=HOSTILE),),
            ages=(AgeBucket(group=group, label=HOSTILE, low=0, high=None, count=1),),
            equity=(EquityRow(area=HOSTILE, indicator=HOSTILE, raw=None, standardised=None, n=1),),
            labels={"summary": HOSTILE, "dimension.agency": HOSTILE},
        )
        page = render_html(report)
        document = parse(page)
        assert document.xpath("//script | //img") == []
        assert document.xpath("//@src | //@onload") == []
        assert "<script>" not in page
        assert document.xpath("//title")[0].text.startswith(HOSTILE)
        assert text_of(document.xpath("//h1")[0]) == " ".join(HOSTILE.split())
        assert document.xpath("//section[@id='summary']/h2")[0].text == HOSTILE
        assert page.count("&lt;script&gt;") >= 10

    @given(st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30))
    def test_any_group_name_round_trips_as_text(self, name: str) -> None:
        group = (("agency", name),)
        report = make_report(
            cells=(Cell(group=group, indicator="received", numerator=1, denominator=None, value=1.0, n=1),),
            survival=(curve(group, (1.0,), (0.5,)),),
            backlog=(),
            ages=(),
        )
        document = parse(render_html(report))
        assert document.xpath("//script") == []
        first_cell = document.xpath("//table[@class='summary']/tbody/tr/th")[0]
        assert first_cell.text_content() == name
        assert document.xpath("//section[@id='survival']//table/tbody/tr/th")[0].text_content() == name


class TestLanguage:
    def test_spanish_labels(self) -> None:
        document = parse(render_html(make_report(language="es", labels={"dimension.agency": "Entidad"})))
        assert document.xpath("//html/@lang") == ["es"]
        headings = [text_of(h) for h in document.xpath("//h2")]
        assert headings == [
            "Lea esto primero",
            "Resumen",
            "Gráficos",
            "Cifras en detalle",
            "Calidad de los datos",
            "Equidad por zona",
            "Métodos",
        ]
        assert text_of(document.xpath("//table[@class='summary']/thead//th")[0]) == "Indicador"
        assert text_of(detail_table(document, "Response rate").xpath("thead//th")[0]) == "Entidad"
        parks = rows_of(detail_table(document, "Response rate"))[1]
        assert parks[-1] == "muy pocas para comparar"
        text = text_of(document.xpath("//body")[0])
        assert "Methods" not in text
        assert "too few" not in text
        assert "Cifras al: 2024-07-01T00:00:00-05:00" in text
        assert "Tiempo desde la recepción (días)" in text

    def test_every_language_has_every_word(self) -> None:
        assert set(LABELS["es"]) == set(LABELS["en"])
        for flag in Flag:
            assert f"flag.{flag.value}" in LABELS["en"]
            assert f"flag_help.{flag.value}" in LABELS["en"]

    def test_labels_argument_overrides_report_labels(self) -> None:
        report = make_report(labels={"summary": "Overview"})
        assert parse(render_html(report)).xpath("//section[@id='summary']/h2")[0].text == "Overview"
        page = render_html(report, labels={"summary": "At a glance"})
        assert parse(page).xpath("//section[@id='summary']/h2")[0].text == "At a glance"

    def test_an_unknown_language_falls_back_to_english_words(self) -> None:
        document = parse(render_html(make_report(language="fr")))
        assert document.xpath("//html/@lang") == ["fr"]
        assert document.xpath("//section[@id='methods']/h2")[0].text == "Methods"


class TestDemoScript:
    """The screenshot script (docs/scripts/report_screenshot.py) renders the library's demo report."""

    @pytest.mark.parametrize(("language", "preset"), [("en", "general"), ("es", "panama")])
    def test_demo_report_renders(self, language: str, preset: str) -> None:
        spec = importlib.util.spec_from_file_location("report_screenshot", SCRIPT)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        report = module.demo_report(language, preset=preset, n=300)
        document = parse(render_html(report))
        assert document.xpath("//html/@lang") == [language]
        assert text_of(document.xpath("//h1")[0]) == report.title
        figures = document.xpath("//figure")
        assert figures
        for figure in figures:
            assert table_after(figure).xpath("tbody/tr")
        captions = [text_of(c) for c in document.xpath("//section[@id='headline']//caption")]
        assert len(captions) == len(report.indicators)

    @pytest.mark.parametrize("language", ["en", "es"])
    def test_demo_report_draws_the_time_to_first_response_curves(self, language: str) -> None:
        spec = importlib.util.spec_from_file_location("report_screenshot", SCRIPT)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        report = module.demo_report(language, preset="general", n=300)
        responses = report.curves("first_response")
        assert responses
        assert len(report.curves("close")) == len(responses)
        words = LABELS[language]
        title = words["survival_title.first_response"].format(
            clock=words["clock.first_response"], unit=words["unit.days"]
        )
        page = render_html(report)
        assert page == render_html(report)  # byte-deterministic with the new charts too
        document = parse(page)
        figures = [
            figure
            for figure in document.xpath("//section[@id='survival']//figure")
            if text_of(figure.find("figcaption")) == title
        ]
        assert figures
        assert words["survival_y.first_response"] in text_of(figures[0])
        rows = [row for figure in figures for row in rows_of(table_after(figure))]
        assert [(row[1], row[2], row[3]) for row in rows] == [
            (f"{curve.n:,}", f"{curve.events:,}", f"{curve.censored:,}") for curve in responses
        ]
        heads = [text_of(th) for th in table_after(figures[0]).xpath("thead//th")]
        assert heads[2:4] == [words["events.first_response"], words["censored.first_response"]]


class TestPresetLabels:
    """Words as the statistics' presets give them: plain keys for dimensions and flags, ``channel:<value>``."""

    def report(self) -> Report:
        by_channel = indicator("received_by_channel", "Requests received by channel", "count", "requests")
        channel_cells = tuple(
            Cell(
                group=(*ROADS, ("channel", name)), indicator=by_channel.id, numerator=n, denominator=None, value=n, n=n
            )
            for name, n in (("phone", 70), ("web", 50))
        )
        return make_report(
            indicators=(*INDICATORS, by_channel),
            cells=(*cells(), *channel_cells),
            labels={
                "agency": "Entidad",
                "channel": "Canal",
                "period": "Mes",
                "too-few-to-compare": "muy pocos casos para comparar",
                "channel:phone": "Teléfono (311)",
            },
            language="es",
        )

    def test_a_further_split_gets_its_own_column_in_its_own_table_only(self) -> None:
        document = parse(render_html(self.report()))
        table = detail_table(document, "Requests received by channel")
        assert [text_of(th) for th in table.xpath("thead//th")][:2] == ["Entidad", "Canal"]
        assert [row[:3] for row in rows_of(table)] == [["Roads", "Teléfono (311)", "70"], ["Roads", "web", "50"]]
        summary = document.xpath("//table[@class='summary']")[0]
        assert [text_of(th) for th in summary.xpath("thead//th")] == ["Indicador", "Roads", "Parks"]
        assert "Requests received by channel" not in text_of(summary)

    def test_plain_keys_name_dimensions_and_flags(self) -> None:
        document = parse(render_html(self.report()))
        assert text_of(detail_table(document, "Response rate").xpath("thead//th")[0]) == "Entidad"
        parks = rows_of(detail_table(document, "Response rate"))[1]
        assert parks[-1] == "muy pocos casos para comparar"
        assert "Períodos: January to June 2024" in text_of(document.xpath("//header")[0])


def test_another_process_with_another_hash_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    """Nothing in the page depends on set or dict iteration that varies between runs."""
    program = (
        "import hashlib, sys\n"
        "from georeport.stats.html import render_html\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_html import make_report\n"
        "print(hashlib.sha256(render_html(make_report()).encode()).hexdigest())\n"
    )
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    result = subprocess.run(
        [sys.executable, "-c", program, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
        cwd=tmp_path,
    )
    assert result.stdout.strip() == hashlib.sha256(render_html(make_report()).encode()).hexdigest()


UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
FLAGS = st.lists(st.sampled_from(list(Flag)), max_size=3)
NUMBERS = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9))


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """Small reports of any shape: groups, indicators of every kind, missing values, any flags."""
    names = draw(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=3, unique=True))
    kinds = draw(st.lists(st.sampled_from(["count", "proportion", "duration", "rate"]), min_size=1, max_size=3))
    items = tuple(indicator(f"i{number}", f"Indicator {number}", kind) for number, kind in enumerate(kinds))
    groups = [(("agency", name),) for name in names]
    chosen = draw(st.lists(st.tuples(st.sampled_from(groups), st.sampled_from(items)), max_size=8, unique=True))
    report_cells = tuple(
        Cell(
            group=group,
            indicator=item.id,
            numerator=draw(NUMBERS),
            denominator=draw(NUMBERS),
            value=draw(NUMBERS),
            low=draw(NUMBERS),
            high=draw(NUMBERS),
            n=draw(st.integers(min_value=0, max_value=10**6)),
            flags=draw(FLAGS),
        )
        for group, item in chosen
    )
    language = draw(st.sampled_from(["en", "es", "fr"]))
    return Report(
        title="t",
        as_of=AS_OF,
        language=language,
        dimensions=("agency",),
        period="",
        indicators=items,
        cells=report_cells,
    )


@given(reports())
def test_any_report_renders_every_cell_once_in_its_table(report: Report) -> None:
    page = render_html(report)
    document = parse(page)
    assert document.xpath("//script") == []
    tables = document.xpath("//section[@id='headline']//table")
    assert len(tables) == len(report.indicators)
    for table, item in zip(tables, report.indicators, strict=True):
        own = [cell for cell in report.cells if cell.indicator == item.id]
        shown = [" ".join(UNSAFE.sub("\ufffd", cell.group[0][1]).split()) for cell in own]
        assert [row[0] for row in rows_of(table)] == shown
    flagged = sum(len(cell.flags) for cell in report.cells)
    assert len(document.xpath("//section[@id='headline']//td/span[starts-with(@class, 'flag ')]")) == flagged
