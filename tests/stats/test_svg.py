"""The report's SVG charts: well-formed for any finite data, one mark per datum, a "no data" figure when empty."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from georeport.errors import ValidationError
from georeport.stats._svg import (
    DASHES,
    HOUR_STEPS,
    PALETTE,
    StepCurve,
    age_chart,
    backlog_chart,
    no_data_chart,
    survival_chart,
    tick_text,
    time_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
TEXTS = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
COUNTS = st.integers(min_value=0, max_value=10**9)
SHARES = st.floats(min_value=0, max_value=1)
TIMES = st.floats(min_value=0, max_value=1e12, allow_nan=False)
COMMON: dict[str, Any] = {"title": "A title", "description": "What it shows", "x_label": "x", "y_label": "y"}


def parse(svg: str) -> etree._Element:
    """The chart as XML; fails the test when it is not well-formed."""
    root = etree.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    return root


def get(element: etree._Element, name: str) -> str:
    """An attribute that must be there."""
    value = element.get(name)
    assert value is not None, f"{element.tag} has no {name}"
    return str(value)


def child_text(root: etree._Element, tag: str) -> str | None:
    element = root.find(f"{SVG}{tag}")
    assert element is not None
    return element.text


def marks(root: etree._Element, tag: str, klass: str) -> list[etree._Element]:
    return [element for element in root.iter(f"{SVG}{tag}") if klass in str(element.get("class") or "").split()]


def _num_x(root: etree._Element, day: float) -> str:
    """The x coordinate the chart gives ``day``, read from its axis ticks (0 and the last tick)."""
    ticks = [
        (float(text.text or "nan"), float(get(text, "x")))
        for axis in marks(root, "g", "x-axis")
        for text in axis.iter(f"{SVG}text")
        if text.get("class") != "axis-label"
    ]
    (day0, x0), (day1, x1) = ticks[0], ticks[-1]
    value = x0 + (x1 - x0) * (day - day0) / (day1 - day0)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def accessible(root: etree._Element, prefix: str, title: str, description: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    assert child_text(root, "title") == title
    title_element = root.find(f"{SVG}title")
    assert title_element is not None
    assert get(title_element, "id") == f"{prefix}-title"
    assert child_text(root, "desc") == description


@st.composite
def step_curves(draw: st.DrawFn) -> StepCurve:
    size = draw(st.integers(min_value=0, max_value=12))
    times = draw(st.lists(TIMES, min_size=size, max_size=size))
    survival = sorted(draw(st.lists(SHARES, min_size=size, max_size=size)), reverse=True)
    band = draw(st.booleans())
    bound = st.one_of(SHARES, st.just(math.nan))
    lower = draw(st.lists(bound, min_size=size, max_size=size)) if band else []
    upper = draw(st.lists(bound, min_size=size, max_size=size)) if band else []
    return StepCurve(draw(TEXTS), sorted(times), survival, lower, upper)


class TestSurvivalChart:
    @given(st.lists(step_curves(), max_size=5), st.one_of(st.none(), TIMES), TEXTS)
    def test_any_finite_curves_give_stable_well_formed_svg_with_a_line_per_curve(
        self, curves: list[StepCurve], target: float | None, label: str
    ) -> None:
        svg = survival_chart(curves, id_prefix="km", target_days=target, target_label=label, **COMMON)
        assert svg == survival_chart(list(curves), id_prefix="km", target_days=target, target_label=label, **COMMON)
        root = parse(svg)
        accessible(root, "km", "A title", "What it shows")
        drawn = [curve for curve in curves if curve.times]
        if not drawn:
            assert marks(root, "text", "no-data-message")
            return
        assert len(marks(root, "path", "km-curve")) == len(drawn)
        assert len(marks(root, "text", "series-label")) == len(drawn)
        with_band = [
            curve
            for curve in drawn
            if any(
                math.isfinite(low) and math.isfinite(high) for low, high in zip(curve.lower, curve.upper, strict=True)
            )
        ]
        assert len(marks(root, "path", "km-band")) == len(with_band)
        assert len(marks(root, "g", "target")) == (target is not None)
        assert "nan" not in svg
        assert "inf" not in svg

    def test_a_step_curve_stays_at_one_until_its_first_time_then_drops(self) -> None:
        root = parse(survival_chart([StepCurve("a", [10.0], [0.5])], id_prefix="k", **COMMON))
        (path,) = marks(root, "path", "km-curve")
        corners = [tuple(map(float, point.split())) for point in get(path, "d")[1:].split(" L")]
        assert corners[0][1] == corners[1][1]  # flat at 100% from day 0 to day 10
        assert corners[1][0] == corners[2][0]  # then straight down at day 10
        assert corners[2][1] > corners[1][1]

    def test_the_target_stretches_the_axis_and_is_labelled(self) -> None:
        svg = survival_chart(
            [StepCurve("a", [1.0, 2.0], [0.5, 0.1])],
            id_prefix="k",
            target_days=30,
            target_label="Target: 30 days",
            **COMMON,
        )
        root = parse(svg)
        ticks = [text.text for axis in marks(root, "g", "x-axis") for text in axis.iter(f"{SVG}text")]
        assert ticks[:-1] == ["0", "7", "14", "21", "28", "35"]
        assert "Target: 30 days" in "".join(str(piece) for piece in marks(root, "g", "target")[0].itertext())

    def test_a_curve_with_many_steps_is_drawn_with_a_bounded_path_ending_where_it_ends(self) -> None:
        size = 200_000
        times = [i / 1000 for i in range(1, size + 1)]
        survival = [1 - i / size for i in range(1, size + 1)]
        svg = survival_chart([StepCurve("many", times, survival, survival, survival)], id_prefix="k", **COMMON)
        assert len(svg) < 100_000
        root = parse(svg)
        (path,) = marks(root, "path", "km-curve")
        corners = get(path, "d")[1:].split(" L")
        assert len(corners) < 2_000
        assert corners[-1] == f"{_num_x(root, 200)} 324"  # the last step, at day 200, down to 0%
        few = survival_chart([StepCurve("few", times[:1000], survival[:1000])], id_prefix="k", **COMMON)
        assert len(get(marks(parse(few), "path", "km-curve")[0], "d").split(" L")) == 2 + 2 * 1000

    def test_series_differ_by_dash_as_well_as_colour(self) -> None:
        curves = [StepCurve(f"group {i}", [1.0], [0.5]) for i in range(len(PALETTE) + 2)]
        root = parse(survival_chart(curves, id_prefix="k", **COMMON))
        styles = [(path.get("stroke"), path.get("stroke-dasharray")) for path in marks(root, "path", "km-curve")]
        assert len(set(styles)) == len(styles)
        assert {dash for _, dash in styles[: len(DASHES)]} == {dash or None for dash in DASHES}

    def test_hostile_labels_are_escaped(self) -> None:
        evil = '</svg><script>alert("x")</script>&'
        svg = survival_chart([StepCurve(evil, [1.0], [0.5])], id_prefix="k", **{**COMMON, "title": evil})
        root = parse(svg)
        assert not list(root.iter("script", f"{SVG}script"))
        assert child_text(root, "title") == evil
        assert "<script>" not in svg

    def test_long_labels_are_shortened_on_the_chart(self) -> None:
        root = parse(survival_chart([StepCurve("x" * 100, [1.0], [0.5])], id_prefix="k", **COMMON))
        (label,) = marks(root, "text", "series-label")
        assert label.text == "x" * 21 + "\u2026"

    def test_hours_use_working_day_steps(self) -> None:
        assert time_ticks(40, steps=HOUR_STEPS) == [0.0, 8.0, 16.0, 24.0, 32.0, 40.0]

    @pytest.mark.parametrize(
        ("curve", "field"),
        [
            (StepCurve("a", [1.0, 2.0], [0.5]), "survival"),
            (StepCurve("a", [1.0], [0.5], [0.1, 0.2], [0.9]), "lower"),
            (StepCurve("a", [math.nan], [0.5]), "times[0]"),
            (StepCurve("a", [-1.0], [0.5]), "times[0]"),
            (StepCurve("a", [1.0], [1.5]), "survival"),
            (StepCurve("a", [1.0], [0.5], [-0.1], [0.9]), "lower[0]"),
        ],
    )
    def test_inconsistent_curves_are_refused_naming_the_argument(self, curve: StepCurve, field: str) -> None:
        with pytest.raises(ValidationError) as caught:
            survival_chart([curve], id_prefix="k", **COMMON)
        assert caught.value.field == field

    def test_a_negative_target_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="target_days"):
            survival_chart([StepCurve("a", [1.0], [0.5])], id_prefix="k", target_days=-1, **COMMON)


class TestBacklogChart:
    @given(st.lists(st.tuples(TEXTS, COUNTS, COUNTS, COUNTS), max_size=30))
    def test_any_counts_give_well_formed_svg_with_a_mark_per_period(
        self, rows: list[tuple[str, int, int, int]]
    ) -> None:
        periods = [row[0] for row in rows]
        svg = backlog_chart(
            periods,
            [row[1] for row in rows],
            [row[2] for row in rows],
            [row[3] for row in rows],
            id_prefix="bl",
            backlog_label="open at end",
            **COMMON,
        )
        root = parse(svg)
        accessible(root, "bl", "A title", "What it shows")
        if not rows:
            assert marks(root, "text", "no-data-message")
            return
        assert len(marks(root, "rect", "opened")) == len(rows)
        assert len(marks(root, "rect", "closed")) == len(rows)
        assert len(marks(root, "circle", "backlog-point")) == len(rows)
        assert len(marks(root, "path", "backlog-line")) == 1
        heights = [float(get(rect, "height")) for rect in marks(root, "rect", "bar")]
        assert all(height >= 0 for height in heights)

    def test_closed_bars_are_hatched_and_the_pattern_id_is_prefixed(self) -> None:
        root = parse(backlog_chart(["2024-01"], [3], [2], [1], id_prefix="flow-7", backlog_label="open", **COMMON))
        pattern = next(root.iter(f"{SVG}pattern"))
        assert get(pattern, "id") == "flow-7-hatch"
        assert get(marks(root, "rect", "closed")[0], "fill") == "url(#flow-7-hatch)"

    def test_many_periods_show_every_kth_label(self) -> None:
        periods = [f"day {i}" for i in range(365)]
        root = parse(
            backlog_chart(periods, [1] * 365, [1] * 365, [0] * 365, id_prefix="b", backlog_label="o", **COMMON)
        )
        shown = [text.text for axis in marks(root, "g", "x-axis") for text in axis.iter(f"{SVG}text")][:-1]
        assert len(shown) <= 12
        assert shown[0] == "day 0"

    def test_lengths_must_agree(self) -> None:
        with pytest.raises(ValidationError, match="closed"):
            backlog_chart(["a", "b"], [1, 2], [1], [0, 0], id_prefix="b", backlog_label="o", **COMMON)

    def test_negative_counts_are_refused(self) -> None:
        with pytest.raises(ValidationError, match=r"opened\[0\]"):
            backlog_chart(["a"], [-1], [1], [0], id_prefix="b", backlog_label="o", **COMMON)


class TestAgeChart:
    @given(st.lists(st.tuples(TEXTS, COUNTS), max_size=20))
    def test_any_counts_give_a_labelled_bar_per_bucket(self, rows: list[tuple[str, int]]) -> None:
        svg = age_chart([row[0] for row in rows], [row[1] for row in rows], id_prefix="age", **COMMON)
        root = parse(svg)
        accessible(root, "age", "A title", "What it shows")
        if not rows:
            assert marks(root, "text", "no-data-message")
            return
        assert len(marks(root, "rect", "bar")) == len(rows)
        assert [text.text for text in marks(root, "text", "value")] == [str(row[1]) for row in rows]

    def test_the_tallest_bar_fills_the_axis(self) -> None:
        root = parse(age_chart(["0-7", "8-30"], [10, 5], id_prefix="a", **COMMON))
        heights = [float(get(rect, "height")) for rect in marks(root, "rect", "bar")]
        assert heights[0] == pytest.approx(2 * heights[1])
        assert [text.text for axis in marks(root, "g", "y-axis") for text in axis.iter(f"{SVG}text")][:-1] == [
            "0",
            "2",
            "4",
            "6",
            "8",
            "10",
        ]


def test_no_data_figure_says_so() -> None:
    root = parse(no_data_chart(id_prefix="n", title="t", description="d", message="Sin datos"))
    assert marks(root, "text", "no-data-message")[0].text == "Sin datos"
    assert "no-data" in get(root, "class")


@pytest.mark.parametrize(("value", "text"), [(0.0, "0"), (7.0, "7"), (0.5, "0.5"), (1e300, "1e+300")])
def test_tick_text(value: float, text: str) -> None:
    assert tick_text(value) == text
