"""Inline SVG charts for the published statistics report, written by hand.

This file owns how a chart is drawn; what it shows (and in which language) is
decided by the caller (``georeport.stats.html``). Its rules:

- Every chart function takes plain sequences of numbers and labels and returns
  one ``<svg>`` element as text, well-formed XML as well as HTML.
- Deterministic: numbers are printed with fixed precision (``_num``), the
  output depends only on the arguments, so equal input gives equal bytes.
- Accessible: each chart has a ``<title>`` and a ``<desc>`` named by
  ``aria-labelledby``, labelled axes with round ticks (days: 7, 14, 30, 90...),
  the Okabe-Ito colour-blind-safe palette, and every series also told apart
  without colour (dash patterns, hatching) and labelled directly. The HTML
  report follows each chart with its data table.
- Element ids start with the caller's ``id_prefix``: several charts share one
  HTML document, hence one id namespace.
- Empty data gives a "no data" figure, never an exception; inconsistent data
  (sequences of different lengths, negative or non-finite values) raises
  ``georeport.errors.ValidationError`` naming the argument.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from html import escape

import attrs

from georeport.errors import ValidationError

__all__ = [
    "DASHES",
    "DAY_STEPS",
    "HOUR_STEPS",
    "PALETTE",
    "StepCurve",
    "age_chart",
    "backlog_chart",
    "clean_text",
    "no_data_chart",
    "survival_chart",
    "tick_text",
    "time_ticks",
]

#: Okabe & Ito (2008), ordered for contrast on white; yellow last.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: Dash patterns that tell series apart in grey print and for colour-blind readers.
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 3", "12 4 4 4", "6 2 2 2 2 2")

_WIDTH = 720
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_INK = "#1a1a1a"
_GRID = "#d9d9d9"
_TIME_TICKS = 6  # intervals on a time axis at most: its ticks are also the chart table's columns
_THIN_ABOVE = 1000  # steps in a curve beyond which steps within half a pixel are merged
_MAX_LABEL = 22  # characters of a direct label; the table beside the chart has the full name
#: Round steps for an axis in days (a week, a fortnight, a month, a quarter...), then powers of ten.
DAY_STEPS = (0.25, 0.5, 1.0, 2.0, 7.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0, 730.0, 1825.0, 3650.0)
#: Round steps for an axis in business hours (a working day of 8, a week of 40...).
HOUR_STEPS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 40.0, 80.0, 160.0, 400.0, 800.0, 2000.0)


@attrs.frozen
class StepCurve:
    """One group's Kaplan-Meier "still open" curve.

    ``survival[i]`` is the share still open just after ``times[i]`` days (the
    curve starts at 1 at day 0); ``lower``/``upper`` are the confidence band at
    the same times, empty when unknown; a non-finite bound leaves a gap.
    """

    label: str
    times: Sequence[float]
    survival: Sequence[float]
    lower: Sequence[float] = ()
    upper: Sequence[float] = ()


def _num(value: float) -> str:
    """A coordinate with at most two decimals and no ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def tick_text(value: float) -> str:
    """A tick label: integers plainly, fractions as short decimals.

    Examples:
        >>> tick_text(30.0), tick_text(0.25), tick_text(1e20)
        ('30', '0.25', '1e+20')
    """
    if value == int(value) and abs(value) < 1e15:  # noqa: PLR2004 - beyond this, ints print in full
        return f"{int(value)}"
    return f"{value:.6g}"


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1].rstrip() + "\u2026"


# Characters neither HTML nor XML may carry as text (C0/C1 controls but tab and newlines, lone surrogates,
# noncharacters): shown as U+FFFD so the page stays valid and always encodes as UTF-8.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane | 0xFFFE)}{chr(plane | 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def clean_text(value: str) -> str:
    r"""``value`` with characters no HTML or XML page may hold replaced by U+FFFD, then escaped.

    Examples:
        >>> clean_text('<b>"A&B"</b>')
        '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;'
        >>> clean_text("bell") == "bell�"
        True
    """
    return escape(_UNSAFE.sub("\ufffd", value), quote=True)


def _text(value: str) -> str:
    return clean_text(value)


def _finite_values(name: str, values: Iterable[float], *, allow_nan: bool = False) -> list[float]:
    out: list[float] = []
    for index, value in enumerate(values):
        number = float(value)
        if math.isnan(number) and allow_nan:
            out.append(number)
            continue
        if not math.isfinite(number) or number < 0:
            raise ValidationError(f"{name}[{index}]", value, "a finite number >= 0")
        out.append(number)
    return out


def _same_length(first: str, n: int, **others: Sequence[object]) -> None:
    for name, values in others.items():
        if len(values) != n:
            raise ValidationError(name, f"{len(values)} values", f"as many values as {first} ({n})")


def _nice_step(span: float, *, steps: Sequence[float] = (), max_ticks: int = 8) -> float:
    """The smallest round step giving at most ``max_ticks`` intervals over ``span``."""
    for step in steps:
        if span / step <= max_ticks:
            return step
    exponent = math.floor(math.log10(span / max_ticks)) if span / max_ticks > 0 else 0
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        step = mantissa * 10.0**exponent
        if span / step <= max_ticks:
            return step
    return 10.0 ** (exponent + 1)  # pragma: no cover - 10 * 10**e always fits


def _axis(
    top: float, *, steps: Sequence[float] = (), integer: bool = False, max_ticks: int = 8
) -> tuple[float, list[float]]:
    """Axis end and ticks from 0 to at least ``top``."""
    if top <= 0:
        top = 1.0
    step = _nice_step(top, steps=steps, max_ticks=max_ticks)
    if integer:
        step = max(1.0, math.ceil(step))
    count = max(1, math.ceil(top / step - 1e-9))
    end = step * count
    if not math.isfinite(end):  # the data is near the float limit: no round end exists
        end, count = top, math.floor(top / step)
    return end, [step * i for i in range(count + 1)]


def time_ticks(latest: float, *, steps: Sequence[float] = DAY_STEPS) -> list[float]:
    """The ticks of a time axis reaching ``latest``: what ``survival_chart`` draws, for its table too.

    Examples:
        >>> time_ticks(40)
        [0.0, 7.0, 14.0, 21.0, 28.0, 35.0, 42.0]
        >>> time_ticks(0)
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    return _axis(latest, steps=steps, max_ticks=_TIME_TICKS)[1]


def _open_svg(  # noqa: PLR0913 - the header of every chart: id, size, texts, kind
    id_prefix: str, height: int, title: str, description: str, kind: str, *, width: int = _WIDTH
) -> list[str]:
    ident = _text(id_prefix)
    return [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}" role="img" aria-labelledby="{ident}-title {ident}-desc"'
            f' font-family="{_text(_FONT)}" font-size="12" fill="{_INK}">'
        ),
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(description)}</desc>',
    ]


def no_data_chart(
    *, id_prefix: str, title: str, description: str, message: str = "No data", width: int = _WIDTH
) -> str:
    """A framed figure saying ``message``: what a chart shows when it has nothing to draw."""
    height = 120
    parts = _open_svg(id_prefix, height, title, description, "no-data", width=width)
    parts.append(
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" fill="none" stroke="{_GRID}"'
        ' stroke-dasharray="6 4"/>'
    )
    parts.append(
        f'<text class="no-data-message" x="{width // 2}" y="{height // 2 + 5}" text-anchor="middle"'
        f' font-size="16">{_text(message)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


class _Frame:
    """A plot area with linear scales, and the axis drawing they need."""

    def __init__(self, box: tuple[float, float, float, float], x_end: float, y_end: float) -> None:
        self.left, self.top, self.right, self.bottom = box
        self.x_end, self.y_end = x_end, y_end

    def x(self, value: float) -> float:
        return self.left + (self.right - self.left) * (value / self.x_end)

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * (value / self.y_end)

    def y_axis(self, ticks: Sequence[float], label: str, *, percent: bool = False) -> list[str]:
        parts = ['<g class="axis y-axis">']
        for tick in ticks:
            y = _num(self.y(tick))
            text = tick_text(round(tick * 100, 6)) if percent else tick_text(tick)
            parts.append(
                f'<line x1="{_num(self.left)}" x2="{_num(self.right)}" y1="{y}" y2="{y}" stroke="{_GRID}"/>'
                f'<text x="{_num(self.left - 6)}" y="{y}" dy="4" text-anchor="end">{text}</text>'
            )
        middle = _num((self.top + self.bottom) / 2)
        parts.append(
            f'<text class="axis-label" x="14" y="{middle}" text-anchor="middle"'
            f' transform="rotate(-90 14 {middle})">{_text(label)}</text>'
        )
        parts.append("</g>")
        return parts

    def x_axis_numeric(self, ticks: Sequence[float], label: str) -> list[str]:
        parts = ['<g class="axis x-axis">']
        bottom = _num(self.bottom)
        parts.append(
            f'<line x1="{_num(self.left)}" x2="{_num(self.right)}" y1="{bottom}" y2="{bottom}" stroke="{_INK}"/>'
        )
        for tick in ticks:
            x = _num(self.x(tick))
            parts.append(
                f'<line x1="{x}" x2="{x}" y1="{bottom}" y2="{_num(self.bottom + 5)}" stroke="{_INK}"/>'
                f'<text x="{x}" y="{_num(self.bottom + 18)}" text-anchor="middle">{tick_text(tick)}</text>'
            )
        parts.append(
            f'<text class="axis-label" x="{_num((self.left + self.right) / 2)}" y="{_num(self.bottom + 36)}"'
            f' text-anchor="middle">{_text(label)}</text>'
        )
        parts.append("</g>")
        return parts

    def x_axis_bands(self, labels: Sequence[str], label: str, *, max_labels: int = 12) -> list[str]:
        """Category labels under equal bands; every k-th label when there are many."""
        parts = ['<g class="axis x-axis">']
        bottom = _num(self.bottom)
        parts.append(
            f'<line x1="{_num(self.left)}" x2="{_num(self.right)}" y1="{bottom}" y2="{bottom}" stroke="{_INK}"/>'
        )
        every = max(1, math.ceil(len(labels) / max_labels))
        band = (self.right - self.left) / max(1, len(labels))
        for index in range(0, len(labels), every):
            x = _num(self.left + band * (index + 0.5))
            parts.append(
                f'<text x="{x}" y="{_num(self.bottom + 18)}" text-anchor="middle">{_text(_short(labels[index]))}</text>'
            )
        parts.append(
            f'<text class="axis-label" x="{_num((self.left + self.right) / 2)}" y="{_num(self.bottom + 36)}"'
            f' text-anchor="middle">{_text(label)}</text>'
        )
        parts.append("</g>")
        return parts


def _spread(wanted: list[float], *, gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart by at least ``gap``, keeping their order, within [low, high]."""
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    placed = [0.0] * len(wanted)
    previous = low - gap
    for i in order:
        placed[i] = max(wanted[i], previous + gap)
        previous = placed[i]
    overflow = previous - high
    if overflow > 0:  # pushed past the bottom: slide the whole stack up, as far as the top allows
        for i in order:
            placed[i] -= overflow
        floor = low - gap
        for i in order:
            placed[i] = max(placed[i], floor + gap)
            floor = placed[i]
    return placed


def _step_points(times: Sequence[float], values: Sequence[float], end: float) -> list[tuple[float, float]]:
    """Corners of a right-continuous step line through (times[i], values[i]) up to ``end``."""
    points: list[tuple[float, float]] = []
    for index, (time, value) in enumerate(zip(times, values, strict=True)):
        following = times[index + 1] if index + 1 < len(times) else end
        points.append((time, value))
        points.append((following, value))
    return points


def _band_path(frame: _Frame, times: Sequence[float], lower: Sequence[float], upper: Sequence[float]) -> str:
    """Closed sub-paths between the upper and lower step lines, one per run of finite bounds."""
    pieces: list[str] = []
    run: list[int] = []
    for index in [*range(len(times)), -1]:
        if index >= 0 and math.isfinite(lower[index]) and math.isfinite(upper[index]):
            run.append(index)
            continue
        if run:
            last = run[-1]
            end = times[last + 1] if last + 1 < len(times) else times[last]
            chosen = [times[i] for i in run]
            top = _step_points(chosen, [min(1.0, upper[i]) for i in run], end)
            bottom = _step_points(chosen, [max(0.0, lower[i]) for i in run], end)
            corners = [*top, *reversed(bottom)]
            pieces.append(
                "M" + " L".join(f"{_num(frame.x(time))} {_num(frame.y(value))}" for time, value in corners) + " Z"
            )
            run = []
    return " ".join(pieces)


_Prepared = tuple[StepCurve, list[float], list[float], list[float], list[float]]


def _prepare(curve: StepCurve) -> _Prepared:
    """Check a curve and sort its steps by time: (curve, times, survival, lower, upper)."""
    times = _finite_values("times", curve.times)
    _same_length("times", len(times), survival=curve.survival)
    survival = _finite_values("survival", curve.survival)
    if any(value > 1 for value in survival):
        raise ValidationError("survival", max(survival), "a share between 0 and 1")
    lower = _finite_values("lower", curve.lower, allow_nan=True) if curve.lower else [math.nan] * len(times)
    upper = _finite_values("upper", curve.upper, allow_nan=True) if curve.upper else [math.nan] * len(times)
    _same_length("times", len(times), lower=lower, upper=upper)
    order = sorted(range(len(times)), key=lambda i: (times[i], i))
    return (
        curve,
        [times[i] for i in order],
        [survival[i] for i in order],
        [lower[i] for i in order],
        [upper[i] for i in order],
    )


def _thin(prepared: _Prepared, frame: _Frame) -> _Prepared:
    """At most one step per half pixel: of steps closer than that, the last one (what the eye sees anyway).

    A million requests can have a hundred thousand distinct close times; the
    drawn curve needs about a thousand. Curves with few steps are unchanged.
    """
    curve, times, survival, lower, upper = prepared
    if len(times) <= _THIN_ABOVE:
        return prepared
    keep: list[int] = []
    last_bucket = None
    for index, time in enumerate(times):
        bucket = round(frame.x(time) * 2)
        if keep and bucket == last_bucket:
            keep[-1] = index
        else:
            keep.append(index)
        last_bucket = bucket
    return (
        curve,
        [times[i] for i in keep],
        [survival[i] for i in keep],
        [lower[i] for i in keep],
        [upper[i] for i in keep],
    )


def survival_chart(  # noqa: PLR0913 - every text of the chart is the caller's, in the report's language
    curves: Sequence[StepCurve],
    *,
    id_prefix: str,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    target_days: float | None = None,
    target_label: str = "target",
    no_data: str = "No data",
    tick_steps: Sequence[float] = DAY_STEPS,
) -> str:
    """Kaplan-Meier "still open" step curves, their confidence bands, and the target as a vertical line.

    Args:
        curves: one per group; a curve without times is left out (and when
            all are, the chart is the "no data" figure).
        id_prefix: unique within the page; prefixes every element id.
        title: the accessible title (``<title>``).
        description: what the chart shows, for screen readers (``<desc>``).
        x_label: the x axis (days since the request was received).
        y_label: the y axis (share still open, in percent).
        target_days: the target, drawn as a labelled vertical line.
        target_label: the text beside the target line.
        no_data: the message when there is nothing to draw.
        tick_steps: round steps for the time axis (``DAY_STEPS``, ``HOUR_STEPS``).

    Returns:
        One ``<svg>`` element.

    Raises:
        ValidationError: a curve's sequences differ in length, or hold a
            negative or non-finite time, or a survival outside [0, 1].
    """
    drawn = [prepared for prepared in map(_prepare, curves) if prepared[1]]
    if target_days is not None and not (math.isfinite(target_days) and target_days >= 0):
        raise ValidationError("target_days", target_days, "a finite number of days >= 0")
    if not drawn:
        return no_data_chart(id_prefix=id_prefix, title=title, description=description, message=no_data)

    height = 380
    latest = max(times[-1] for _, times, _, _, _ in drawn)
    if target_days is not None:
        latest = max(latest, target_days)
    x_end, x_ticks = _axis(latest, steps=tick_steps, max_ticks=_TIME_TICKS)
    frame = _Frame((60, 28, _WIDTH - 190, height - 56), x_end, 1.0)
    parts = _open_svg(id_prefix, height, title, description, "survival")
    parts += frame.y_axis([0.0, 0.25, 0.5, 0.75, 1.0], y_label, percent=True)
    parts += frame.x_axis_numeric(x_ticks, x_label)

    label_wanted: list[float] = []
    series: list[str] = []
    for index, prepared in enumerate(drawn):
        _curve, times, survival, lower, upper = _thin(prepared, frame)
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[(index + index // len(PALETTE)) % len(DASHES)]
        band = _band_path(frame, times, lower, upper)
        if band:
            parts.append(f'<path class="km-band" d="{band}" fill="{colour}" fill-opacity="0.15" stroke="none"/>')
        corners = [(0.0, 1.0), (times[0], 1.0), *_step_points(times, survival, times[-1])]
        line = "M" + " L".join(f"{_num(frame.x(time))} {_num(frame.y(value))}" for time, value in corners)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        series.append(
            f'<path class="km-curve" d="{line}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        label_wanted.append(frame.y(survival[-1]))
    parts += series

    if target_days is not None:
        x = _num(frame.x(target_days))
        parts.append(
            f'<g class="target"><line x1="{x}" x2="{x}" y1="{_num(frame.top - 6)}" y2="{_num(frame.bottom)}"'
            f' stroke="{_INK}" stroke-width="1.5" stroke-dasharray="3 3"/>'
            f'<text x="{x}" y="{_num(frame.top - 10)}" text-anchor="middle" font-weight="bold">'
            f"{_text(target_label)}</text></g>"
        )

    placed = _spread(label_wanted, gap=15, low=frame.top + 4, high=frame.bottom)
    parts.append('<g class="direct-labels">')
    for index, ((curve, *_), y) in enumerate(zip(drawn, placed, strict=True)):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[(index + index // len(PALETTE)) % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        left = frame.right + 10
        parts.append(
            f'<line x1="{_num(left)}" x2="{_num(left + 26)}" y1="{_num(y)}" y2="{_num(y)}" stroke="{colour}"'
            f' stroke-width="2.5"{dash_attr}/>'
            f'<text class="series-label" x="{_num(left + 32)}" y="{_num(y)}" dy="4">{_text(_short(curve.label))}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _hatch(id_prefix: str, colour: str) -> str:
    return (
        f'<defs><pattern id="{_text(id_prefix)}-hatch" patternUnits="userSpaceOnUse" width="6" height="6"'
        f' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="3"/></pattern></defs>'
    )


def _legend(items: Sequence[tuple[str, str]], *, x: float, y: float) -> list[str]:
    """A row of (swatch markup at the origin, label) pairs."""
    parts = ['<g class="legend">']
    offset = x
    for swatch, label in items:
        parts.append(f'<g transform="translate({_num(offset)} {_num(y)})">{swatch}')
        parts.append(f'<text x="22" y="0" dy="4">{_text(label)}</text></g>')
        offset += 40 + 7 * len(label)
    parts.append("</g>")
    return parts


def backlog_chart(  # noqa: PLR0913 - every text of the chart is the caller's, in the report's language
    periods: Sequence[str],
    opened: Sequence[float],
    closed: Sequence[float],
    backlog: Sequence[float],
    *,
    id_prefix: str,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    backlog_label: str,
    opened_label: str = "opened",
    closed_label: str = "closed",
    no_data: str = "No data",
) -> str:
    """Backlog flow: the open backlog at each period end (top), opened vs closed per period (bottom).

    The two panels share the periods but not the scale, so a large backlog
    does not flatten the monthly flow; each has its own labelled axis.
    Opened bars are solid, closed bars hatched; the backlog is a line with a
    marker per period.

    Raises:
        ValidationError: the sequences differ in length, or a count is
            negative or not finite.
    """
    n = len(periods)
    _same_length("periods", n, opened=opened, closed=closed, backlog=backlog)
    opened_v = _finite_values("opened", opened)
    closed_v = _finite_values("closed", closed)
    backlog_v = _finite_values("backlog", backlog)
    if n == 0:
        return no_data_chart(id_prefix=id_prefix, title=title, description=description, message=no_data)

    height = 440
    top_end, top_ticks = _axis(max(backlog_v), integer=True, max_ticks=4)
    flow_end, flow_ticks = _axis(max(*opened_v, *closed_v), integer=True)
    upper = _Frame((70, 40, _WIDTH - 20, 160), float(n), top_end)
    lower = _Frame((70, 200, _WIDTH - 20, height - 56), float(n), flow_end)
    opened_colour, closed_colour = PALETTE[0], PALETTE[4]
    parts = _open_svg(id_prefix, height, title, description, "backlog")
    parts.append(_hatch(id_prefix, closed_colour))
    hatch = f"url(#{_text(id_prefix)}-hatch)"
    parts += _legend(
        [
            (
                (
                    f'<line x1="0" x2="18" y1="0" y2="0" stroke="{_INK}" stroke-width="2"/>'
                    f'<circle cx="9" cy="0" r="3" fill="{_INK}"/>'
                ),
                backlog_label,
            ),
            (f'<rect x="0" y="-6" width="18" height="12" fill="{opened_colour}"/>', opened_label),
            (
                f'<rect x="0" y="-6" width="18" height="12" fill="{hatch}" stroke="{closed_colour}"/>',
                closed_label,
            ),
        ],
        x=upper.left,
        y=14,
    )
    parts += upper.y_axis(top_ticks, backlog_label)
    parts += lower.y_axis(flow_ticks, y_label)
    parts += lower.x_axis_bands(periods, x_label)

    band = (lower.right - lower.left) / n
    width = band * 0.38
    parts.append('<g class="bars">')
    for index in range(n):
        start = lower.left + band * index + band * 0.1
        for kind, value, fill, x in (
            ("opened", opened_v[index], opened_colour, start),
            ("closed", closed_v[index], hatch, start + width + band * 0.04),
        ):
            y = lower.y(value)
            stroke = f' stroke="{closed_colour}"' if kind == "closed" else ""
            parts.append(
                f'<rect class="bar {kind}" x="{_num(x)}" y="{_num(y)}" width="{_num(width)}"'
                f' height="{_num(lower.bottom - y)}" fill="{fill}"{stroke}/>'
            )
    parts.append("</g>")

    centres = [upper.left + band * (index + 0.5) for index in range(n)]
    line = "M" + " L".join(f"{_num(x)} {_num(upper.y(value))}" for x, value in zip(centres, backlog_v, strict=True))
    parts.append(f'<path class="backlog-line" d="{line}" fill="none" stroke="{_INK}" stroke-width="2"/>')
    parts.extend(
        f'<circle class="backlog-point" cx="{_num(x)}" cy="{_num(upper.y(value))}" r="3" fill="{_INK}"/>'
        for x, value in zip(centres, backlog_v, strict=True)
    )
    parts.append("</svg>")
    return "".join(parts)


def age_chart(  # noqa: PLR0913 - every text of the chart is the caller's, in the report's language
    labels: Sequence[str],
    counts: Sequence[float],
    *,
    id_prefix: str,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    no_data: str = "No data",
    width: int = _WIDTH,
) -> str:
    """Bars of open cases per age bucket, each labelled with its count; ``width`` for small multiples.

    Raises:
        ValidationError: ``labels`` and ``counts`` differ in length, or a
            count is negative or not finite.
    """
    n = len(labels)
    _same_length("labels", n, counts=counts)
    values = _finite_values("counts", counts)
    if n == 0:
        return no_data_chart(id_prefix=id_prefix, title=title, description=description, message=no_data, width=width)

    height = 300
    y_end, y_ticks = _axis(max(values), integer=True, max_ticks=6)
    frame = _Frame((60, 28, width - 20, height - 56), float(n), y_end)
    parts = _open_svg(id_prefix, height, title, description, "age", width=width)
    parts += frame.y_axis(y_ticks, y_label)
    parts += frame.x_axis_bands(labels, x_label)
    band = (frame.right - frame.left) / n
    parts.append('<g class="bars">')
    for index, value in enumerate(values):
        x = frame.left + band * index + band * 0.15
        y = frame.y(value)
        parts.append(
            f'<rect class="bar" x="{_num(x)}" y="{_num(y)}" width="{_num(band * 0.7)}"'
            f' height="{_num(frame.bottom - y)}" fill="{PALETTE[0]}"/>'
            f'<text class="value" x="{_num(x + band * 0.35)}" y="{_num(y - 5)}" text-anchor="middle">'
            f"{tick_text(value)}</text>"
        )
    parts.append("</g></svg>")
    return "".join(parts)
