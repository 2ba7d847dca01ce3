"""Render the demo transparency report and take the screenshot the docs show.

Usage (from the repository root)::

    python docs/scripts/report_screenshot.py                 # docs/img/stats-report.png
    python docs/scripts/report_screenshot.py --language es --html /tmp/informe.html
    python docs/scripts/report_screenshot.py --output /tmp/report.png --width 1100 --height 2600

It builds ``demo_report()`` (a fictional department, four services, seeded
synthetic requests, Kaplan-Meier curves computed with ``scipy.stats.ecdf``),
renders it with ``georeport.stats.html.render_html``, and asks Debian's
headless Chromium (``/usr/bin/chromium``, or ``--chromium PATH``) for a PNG of
the top of the page. Chromium reads the file from disk; the page fetches
nothing. The same arguments give the same HTML; the PNG depends on the
Chromium version and the fonts installed.

Importing this file does nothing but define ``demo_report`` and ``main``.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from scipy import stats as scipy_stats

from georeport.stats import (
    AgeBucket,
    BacklogPoint,
    Cell,
    Flag,
    Indicator,
    QualityRow,
    Report,
    SurvivalCurve,
)
from georeport.stats.html import render_html

ROOT = Path(__file__).resolve().parents[2]
PANAMA = timezone(timedelta(hours=-5), "America/Panama")
AS_OF = datetime(2024, 7, 1, tzinfo=PANAMA)
TARGET_DAYS = 30.0
MIN_SIZE = 20
RESPONDED_OPEN = 0.6  # share of still-open requests that had a first response
RESOLVED_CLOSED = 0.85  # share of closed requests closed as resolved
HALF = 0.5

# (service, requests, mean days to close, share never closed by the as-of time)
_SERVICES = (
    ("Potholes", 240, 18.0, 0.10),
    ("Street lights", 160, 9.0, 0.05),
    ("Rubbish collection", 320, 4.0, 0.02),
    ("Trees", 14, 40.0, 0.20),
)

_WORDS = {
    "en": {
        "title": "Request handling, demo department",
        "period": "January to June 2024 by received date, America/Panama days",
        "received": ("Requests received", "requests received in the period"),
        "response_rate": ("Response rate", "requests with a first response", "requests received"),
        "closure_rate": ("Closure rate", "requests closed for any reason", "requests received"),
        "resolution_rate": ("Resolution rate", "requests closed as resolved", "requests received"),
        "median_close": ("Median days to close", "Kaplan-Meier median, open requests censored"),
        "on_time_closed": (
            "On time among requests closed in the period",
            "requests closed within 30 days",
            "requests closed in the period",
        ),
        "on_time_attainment": (
            "On-time attainment including overdue",
            "requests closed within 30 days",
            "requests closed + requests open past 30 days",
        ),
        "on_time_cohort": (
            "Cohort attainment within 30 days",
            "Kaplan-Meier share closed within 30 days",
            "requests received in the period",
        ),
        "clock": "from requested_datetime to the close event",
        "calendar": "calendar days, America/Panama",
        "as_of": "open requests censored at the as-of time; requests received after it left out",
        "exclusions": "duplicate children left out (counted in the data-quality table)",
        "quality": (
            ("closed_before_created", "Closed before created", "excluded from times; counted here"),
            ("closed_within_minutes", "Closed within 5 minutes of creation", "kept; counted here"),
            ("after_as_of", "Dates after the as-of time", "left out; counted here"),
            ("proxy_close", "Closed without a close time", "updated_datetime used, figures marked proxy"),
            ("unknown_channel", "Unknown channel", "kept under 'unknown'"),
        ),
        "methods": (
            (
                "Times are Kaplan-Meier estimates: a request still open at the as-of time counts as open until then "
                "(censored), so a growing backlog cannot make the department look faster."
            ),
            (
                "Proportions carry Wilson 95% intervals. Groups under 20 requests are shown as too few to compare "
                "and never ranked."
            ),
        ),
        "notes": ("Duplicate reports (12) are left out of on-time denominators and follow their original.",),
    },
    "es": {
        "title": "Atención de solicitudes, departamento de demostración",
        "period": "Enero a junio de 2024 por fecha de recepción, días de America/Panama",
        "received": ("Solicitudes recibidas", "solicitudes recibidas en el período"),
        "response_rate": ("Tasa de respuesta", "solicitudes con una primera respuesta", "solicitudes recibidas"),
        "closure_rate": ("Tasa de cierre", "solicitudes cerradas por cualquier motivo", "solicitudes recibidas"),
        "resolution_rate": ("Tasa de resolución", "solicitudes cerradas como resueltas", "solicitudes recibidas"),
        "median_close": ("Mediana de días hasta el cierre", "mediana de Kaplan-Meier, abiertas censuradas"),
        "on_time_closed": (
            "A tiempo entre las cerradas en el período",
            "solicitudes cerradas en 30 días",
            "solicitudes cerradas en el período",
        ),
        "on_time_attainment": (
            "Cumplimiento incluyendo las vencidas",
            "solicitudes cerradas en 30 días",
            "cerradas + abiertas con más de 30 días",
        ),
        "on_time_cohort": (
            "Cumplimiento de la cohorte en 30 días",
            "proporción de Kaplan-Meier cerrada en 30 días",
            "solicitudes recibidas en el período",
        ),
        "clock": "desde requested_datetime hasta el evento de cierre",
        "calendar": "días calendario, America/Panama",
        "as_of": "abiertas censuradas a la fecha de corte; las recibidas después se excluyen",
        "exclusions": "duplicados excluidos (contados en la tabla de calidad)",
        "quality": (
            ("closed_before_created", "Cerrada antes de creada", "excluida de los tiempos; contada aquí"),
            ("closed_within_minutes", "Cerrada a menos de 5 minutos", "se mantiene; contada aquí"),
            ("after_as_of", "Fechas posteriores a la fecha de corte", "excluida; contada aquí"),
            ("proxy_close", "Cerrada sin hora de cierre", "se usó updated_datetime; cifras marcadas"),
            ("unknown_channel", "Canal desconocido", "se mantiene como 'desconocido'"),
        ),
        "methods": (
            (
                "Los tiempos son estimaciones de Kaplan-Meier: una solicitud aún abierta a la fecha de corte cuenta "
                "como abierta hasta entonces (censurada)."
            ),
            (
                "Las proporciones llevan intervalos de Wilson de 95%. Los grupos con menos de 20 solicitudes se "
                "muestran como muy pocos para comparar y nunca se ordenan."
            ),
        ),
        "notes": ("Los reportes duplicados (12) se excluyen de los denominadores de puntualidad.",),
    },
}


def _wilson(successes: int, total: int) -> tuple[float, float]:
    """The Wilson score 95% interval of ``successes / total``."""
    z = 1.959963984540054
    share = successes / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def _proportion(group: tuple[tuple[str, str], ...], indicator: str, successes: int, total: int) -> Cell:
    low, high = _wilson(successes, total)
    flags = [Flag.TOO_FEW] if total < MIN_SIZE else []
    return Cell(
        group=group,
        indicator=indicator,
        numerator=float(successes),
        denominator=float(total),
        value=successes / total,
        low=low,
        high=high,
        n=total,
        flags=flags,
    )


def demo_report(language: str = "en") -> Report:  # noqa: PLR0915 - one fictional department, start to end
    """A fictional department's half-year: four services, seeded synthetic requests.

    Every figure is computed from the synthetic requests (Kaplan-Meier with
    ``scipy.stats.ecdf``, Wilson intervals), so the tables and the charts agree.
    """
    words = _WORDS[language]
    rng = np.random.default_rng(311)
    start = datetime(2024, 1, 1, tzinfo=PANAMA)
    horizon = (AS_OF - start).total_seconds() / 86400
    indicators = [
        Indicator(
            id="received", title=words["received"][0], kind="count", unit="requests", numerator=words["received"][1]
        )
    ]
    for key in ("response_rate", "closure_rate", "resolution_rate"):
        title, numerator, denominator = words[key]
        indicators.append(
            Indicator(
                id=key,
                title=title,
                kind="proportion",
                unit="share",
                numerator=numerator,
                denominator=denominator,
                formula=f"{numerator} / {denominator}",
                as_of=words["as_of"],
                exclusions=words["exclusions"],
            )
        )
    title, numerator = words["median_close"]
    indicators.append(
        Indicator(
            id="median_days_to_close",
            title=title,
            kind="duration",
            unit="days",
            numerator=numerator,
            denominator="requests at risk",
            clock=words["clock"],
            calendar=words["calendar"],
            as_of=words["as_of"],
            exclusions=words["exclusions"],
            formula="median of the Kaplan-Meier time to close",
        )
    )
    for key in ("on_time_closed", "on_time_attainment", "on_time_cohort"):
        title, numerator, denominator = words[key]
        indicators.append(
            Indicator(
                id=key,
                title=title,
                kind="proportion",
                unit="share",
                numerator=numerator,
                denominator=denominator,
                clock=words["clock"],
                calendar=words["calendar"],
                as_of=words["as_of"],
                exclusions=words["exclusions"],
                formula=f"{numerator} / ({denominator})",
            )
        )

    cells: list[Cell] = []
    curves: list[SurvivalCurve] = []
    backlog: list[BacklogPoint] = []
    ages: list[AgeBucket] = []
    for service, count, mean_days, never in _SERVICES:
        group = (("service", service),)
        received_days = np.sort(rng.uniform(0, horizon, count))
        close_days = rng.exponential(mean_days, count)
        close_days[rng.random(count) < never] = np.inf
        age_at_as_of = horizon - received_days
        closed = close_days <= age_at_as_of
        observed = np.where(closed, close_days, age_at_as_of)
        responded = int(np.count_nonzero(closed | (rng.random(count) < RESPONDED_OPEN)))
        resolved = int(np.count_nonzero(closed & (rng.random(count) < RESOLVED_CLOSED)))
        n_closed = int(np.count_nonzero(closed))
        on_time = int(np.count_nonzero(closed & (close_days <= TARGET_DAYS)))
        overdue = int(np.count_nonzero(~closed & (age_at_as_of > TARGET_DAYS)))

        data = scipy_stats.CensoredData(uncensored=observed[closed], right=observed[~closed])
        sf = scipy_stats.ecdf(data).sf
        band = sf.confidence_interval(0.95)
        times = tuple(float(t) for t in sf.quantiles)
        survival = tuple(float(p) for p in sf.probabilities)
        median_index = np.flatnonzero(sf.probabilities <= HALF)
        median = float(sf.quantiles[median_index[0]]) if median_index.size else None
        curves.append(
            SurvivalCurve(
                group=group,
                clock="close",
                unit="days",
                times=times,
                survival=survival,
                low=tuple(float(v) for v in band.low.probabilities),
                high=tuple(float(v) for v in band.high.probabilities),
                n=count,
                events=n_closed,
                censored=count - n_closed,
                target=TARGET_DAYS,
                median=median,
            )
        )
        cohort_share = 1.0 - float(sf.evaluate(TARGET_DAYS))
        too_few = [Flag.TOO_FEW] if count < MIN_SIZE else []
        cells.append(
            Cell(
                group=group,
                indicator="received",
                numerator=float(count),
                denominator=None,
                value=float(count),
                n=count,
                flags=too_few,
            )
        )
        cells.append(_proportion(group, "response_rate", responded, count))
        cells.append(_proportion(group, "closure_rate", n_closed, count))
        cells.append(_proportion(group, "resolution_rate", resolved, count))
        cells.append(
            Cell(
                group=group,
                indicator="median_days_to_close",
                numerator=float(n_closed),
                denominator=float(count),
                value=median,
                n=count,
                flags=[*too_few, *([] if median is not None else [Flag.NOT_REACHED])],
            )
        )
        cells.append(_proportion(group, "on_time_closed", on_time, n_closed))
        cells.append(_proportion(group, "on_time_attainment", on_time, n_closed + overdue))
        low, high = _wilson(round(cohort_share * count), count)
        cells.append(
            Cell(
                group=group,
                indicator="on_time_cohort",
                numerator=round(cohort_share * count, 1),
                denominator=float(count),
                value=cohort_share,
                low=low,
                high=high,
                n=count,
                flags=[*too_few, Flag.PROVISIONAL],
            )
        )

        if service == "Potholes":
            for month in range(1, 7):
                begin = (datetime(2024, month, 1, tzinfo=PANAMA) - start).total_seconds() / 86400
                end = (datetime(2024, month + 1, 1, tzinfo=PANAMA) - start).total_seconds() / 86400
                closed_at = received_days + close_days
                backlog.append(
                    BacklogPoint(
                        group=group,
                        period=f"2024-{month:02d}",
                        start=datetime(2024, month, 1, tzinfo=PANAMA),
                        end=datetime(2024, month + 1, 1, tzinfo=PANAMA),
                        opened=int(np.count_nonzero((received_days >= begin) & (received_days < end))),
                        closed=int(np.count_nonzero((closed_at >= begin) & (closed_at < end))),
                        backlog=int(np.count_nonzero((received_days < end) & (closed_at >= end))),
                    )
                )
            open_ages = age_at_as_of[~closed]
            for label, low_age, high_age in (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), (">90", 91, None)):
                upper = np.inf if high_age is None else high_age + 1
                ages.append(
                    AgeBucket(
                        group=group,
                        label=label,
                        low=float(low_age),
                        high=None if high_age is None else float(high_age),
                        count=int(np.count_nonzero((open_ages >= low_age) & (open_ages < upper))),
                    )
                )

    quality_counts = (2, 9, 0, 4, 17)
    quality = tuple(
        QualityRow(check=check, title=title, count=count, treatment=treatment)
        for (check, title, treatment), count in zip(words["quality"], quality_counts, strict=True)
    )
    return Report(
        title=words["title"],
        as_of=AS_OF,
        language=language,
        dimensions=("service",),
        period=words["period"],
        indicators=tuple(indicators),
        cells=tuple(cells),
        methods=words["methods"],
        quality=quality,
        survival=tuple(curves),
        backlog=tuple(backlog),
        ages=tuple(ages),
        notes=words["notes"],
        labels={"dimension.service": "Service" if language == "en" else "Servicio"},
    )


def main(argv: list[str] | None = None) -> int:
    """Write the demo report's HTML (optionally) and its screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", choices=("en", "es"), default="en")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "img" / "stats-report.png")
    parser.add_argument("--html", type=Path, help="also keep the rendered page here")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=1700)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    arguments = parser.parse_args(argv)

    page = render_html(demo_report(arguments.language))
    with tempfile.TemporaryDirectory() as work:
        source = Path(arguments.html) if arguments.html else Path(work) / "report.html"
        source.write_text(page, encoding="utf-8")
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        command = [
            arguments.chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--window-size={arguments.width},{arguments.height}",
            f"--screenshot={arguments.output.resolve()}",
            source.resolve().as_uri(),
        ]
        result = subprocess.run(  # noqa: S603 - a fixed command line built here; the browser path is the user's own
            command, capture_output=True, text=True, timeout=120, check=False, cwd=work
        )
    if result.returncode != 0 or not arguments.output.exists():
        print(result.stderr[-2000:], file=sys.stderr)
        return 1
    print(f"wrote {arguments.output} ({arguments.output.stat().st_size:,} bytes) at {datetime.now(UTC):%H:%M} UTC")
    return 0


if __name__ == "__main__":
    sys.exit(main())
