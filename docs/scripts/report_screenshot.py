"""Render the demo transparency report and take the screenshot the docs show.

Usage (from the repository root)::

    python docs/scripts/report_screenshot.py                 # docs/img/stats-report.png
    python docs/scripts/report_screenshot.py --language es --html /tmp/informe.html --output /tmp/informe.png
    python docs/scripts/report_screenshot.py --preset panama --output /tmp/panama.png --height 2600

It computes ``demo_report()`` with the library itself: the seeded, made-up
year of ``georeport.stats.demo.demo_requests`` (six entities, eight services,
a few close times only known as ``updated_datetime``) read into a
``CaseTable`` and summarised by ``build_report`` per entity (or by the Panama
preset, per entity and month). It renders the report with
``georeport.stats.html.render_html`` and asks Debian's headless Chromium
(``chromium`` on PATH, or ``--chromium PATH``) for a PNG of the top of the
page. Chromium reads the file from disk; the page fetches nothing. The same
arguments give the same HTML; the PNG depends on the Chromium version and the
fonts installed.

Importing this file does nothing but define ``demo_report`` and ``main``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from georeport.stats import CaseTable, Report, StatsOptions, build_report, panama_report
from georeport.stats.demo import DEMO_AS_OF, demo_requests
from georeport.stats.html import render_html

ROOT = Path(__file__).resolve().parents[2]

#: The general report's indicators: volume, the three rates, time to close, and the three on-time measures.
INDICATORS = (
    "received",
    "response_rate",
    "closure_rate",
    "resolution_rate",
    "time_to_close_median",
    "on_time_closed",
    "attainment_with_overdue",
    "cohort_attainment",
)
TITLES = {
    "en": {"title": "Request handling, demo programme"},
    "es": {
        "title": "Atención de solicitudes, programa de demostración",
        "received": "Solicitudes recibidas (reportes)",
        "response_rate": "Tasa de respuesta",
        "closure_rate": "Tasa de cierre (cualquier motivo)",
        "resolution_rate": "Tasa de resolución (problema resuelto)",
        "time_to_close_median": "Mediana del tiempo hasta el cierre",
        "on_time_closed": "A tiempo entre las cerradas en el período",
        "attainment_with_overdue": "Cumplimiento incluyendo las vencidas",
        "cohort_attainment": "Cumplimiento de la cohorte",
    },
}


def demo_report(language: str = "en", *, preset: str = "general", n: int = 3000) -> Report:
    """The demo programme's report at ``DEMO_AS_OF``, computed by the library from its seeded demo requests.

    ``preset="general"`` is one row per entity with ``INDICATORS`` and a
    30-day resolution target; ``preset="panama"`` is the Panama preset (per
    entity and month).
    """
    table = CaseTable.from_requests(demo_requests(n=n))
    if preset == "panama":
        return panama_report(table, as_of=DEMO_AS_OF, language=language)
    words = TITLES[language]
    options = StatsOptions(
        as_of=DEMO_AS_OF,
        by=("agency",),
        indicators=INDICATORS,
        resolution_target=timedelta(days=30),
        title=words["title"],
        language=language,
        titles={key: text for key, text in words.items() if key != "title"},
    )
    return build_report(table, options)


def main(argv: list[str] | None = None) -> int:
    """Write the demo report's HTML (optionally) and its screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", choices=("en", "es"), default="en")
    parser.add_argument("--preset", choices=("general", "panama"), default="general")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "img" / "stats-report.png")
    parser.add_argument("--html", type=Path, help="also keep the rendered page here")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=1700)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    arguments = parser.parse_args(argv)

    page = render_html(demo_report(arguments.language, preset=arguments.preset))
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
    print(f"wrote {arguments.output} ({arguments.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
