"""``georeport stats FILE...``: transparency statistics from dumps or lifecycle cases, as a table, CSV, JSON or HTML."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from georeport.cli._base import Subcommands
from georeport.cli._progress import add_progress_option

if TYPE_CHECKING:
    from georeport.lifecycle import Case
    from georeport.models import ServiceRequest
    from georeport.stats import CaseTable, Report
    from georeport.stats.areas import Areas

__all__ = ["add_parser", "stats"]

_EPILOG = """\
Input: dumps in any format `georeport convert` reads (Bulk closed_datetime,
status_description and source are used), or with --cases lifecycle cases as
written by georeport.lifecycle.to_json (one per file, a JSON array of them, or
JSON Lines).

examples:
  georeport stats harvest.json --by agency,service --period month --as-of 2024-07-01T00:00:00-05:00
  georeport stats dump.bulk.csv --format csv --out stats.csv --target-days 30
  georeport stats dump.bulk.json --preset panama --lang es --html informe.html
"""


def add_parser(commands: Subcommands) -> None:
    """Register ``georeport stats``."""
    parser = commands.add_parser(
        "stats",
        help="transparency statistics (rates, Kaplan-Meier times, on-time measures, backlog) from dumps or cases",
        description="Compute the transparency statistics a department publishes, every figure with its "
        "numerator, denominator, 95% interval and flags.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="dumps (or lifecycle cases with --cases)")
    parser.add_argument("--cases", action="store_true", help="the files hold lifecycle cases (JSON)")
    parser.add_argument("--by", default="", help="grouping dimensions, comma-separated: agency,service,channel...")
    parser.add_argument(
        "--areas",
        default=None,
        metavar="GEOJSON",
        help="polygons for the area dimension and the equity view (properties: name, population)",
    )
    parser.add_argument(
        "--period",
        default=None,
        help="day, week, month, quarter, fiscal_year[-M], rolling7/30/90 (default: none)",
    )
    parser.add_argument("--basis", choices=("received", "closed"), default="received", help="which date places a case")
    parser.add_argument(
        "--timezone", default=None, help="IANA zone of day boundaries and of times sent without a zone (default UTC)"
    )
    parser.add_argument("--as-of", default=None, help="W3C datetime the figures are computed at (default: now)")
    parser.add_argument("--target-days", type=float, default=None, help="resolution target in calendar days")
    parser.add_argument("--response-days", type=float, default=None, help="response target in calendar days")
    parser.add_argument("--calendar", default=None, help="a business calendar declaration (TOML or JSON file)")
    parser.add_argument(
        "--policies", default=None, help="an SLA policy book (TOML or JSON file): each service's targets and calendar"
    )
    parser.add_argument("--min-group-size", type=int, default=20, help="smaller groups are 'too few to compare'")
    parser.add_argument("--reopen-days", type=float, default=30, help="reopen window in days (default 30)")
    parser.add_argument(
        "--age-buckets", default="7,30,90", help="upper bounds in days of the open-age buckets (default 7,30,90)"
    )
    parser.add_argument(
        "--quick-close-minutes",
        type=float,
        default=5,
        help="closes this soon after creation are listed in the data-quality table (default 5)",
    )
    parser.add_argument("--indicators", default=None, help="indicator ids, comma-separated (default: all)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    parser.add_argument("--out", default=None, help="write the output here instead of standard output")
    parser.add_argument("--html", default=None, metavar="FILE", help="also write the self-contained HTML report")
    parser.add_argument("--preset", choices=("panama",), default=None, help="a preset report")
    parser.add_argument("--lang", choices=("en", "es"), default=None, help="the report's language")
    parser.add_argument("--title", default=None, help="the report's title")
    add_progress_option(parser)
    parser.set_defaults(run=stats)


def _error(message: str) -> int:
    sys.stderr.write(f"georeport stats: {message}\n")
    return 2


def _cases(path: str) -> Iterator[Case]:
    from georeport.errors import ParseError  # noqa: PLC0415 - imported when run
    from georeport.lifecycle import Case, structure  # noqa: PLC0415

    text = Path(path).read_text(encoding="utf-8")
    try:
        values = json.loads(text)
        items = values if isinstance(values, list) else [values]
    except json.JSONDecodeError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise ParseError(f"not JSON or JSON Lines: {error}", format="json", path=path) from None
    for item in items:
        yield structure(item, Case)


def _requests(path: str, zone: tzinfo | None) -> Iterator[ServiceRequest]:
    import warnings  # noqa: PLC0415

    from georeport.errors import DialectWarning  # noqa: PLC0415
    from georeport.wire.dumps import iter_dump  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DialectWarning)
        reader = iter_dump(Path(path), default_timezone=zone)
        try:
            yield from reader
        finally:
            close = getattr(reader, "close", None)
            if close is not None:
                close()


def _areas(arguments: argparse.Namespace) -> Areas | None:
    from georeport.stats.areas import Areas  # noqa: PLC0415

    if not arguments.areas:
        return None
    return Areas.from_geojson(Path(arguments.areas).read_bytes())


def _table(arguments: argparse.Namespace, areas: Areas | None) -> CaseTable:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from georeport.cli._progress import Progress  # noqa: PLC0415
    from georeport.stats import CaseTable  # noqa: PLC0415

    extra = {} if areas is None else {"area": areas}
    if arguments.cases:
        return CaseTable.from_cases((case for path in arguments.files for case in _cases(path)), extra=extra)
    zone = ZoneInfo(arguments.timezone) if arguments.timezone else None
    with Progress("stats: reading", unit="requests", force=arguments.progress) as bar:

        def counted() -> Iterator[ServiceRequest]:
            for path in arguments.files:
                for request in _requests(path, zone):
                    bar.advance()
                    yield request

        return CaseTable.from_requests(counted(), extra=extra, timezone=zone or UTC)


def _as_of(text: str | None) -> datetime:
    from georeport.errors import ValidationError  # noqa: PLC0415

    if text is None:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError("--as-of", text, "a W3C datetime such as 2024-07-01T00:00:00-05:00") from None
    if value.utcoffset() is None:
        raise ValidationError("--as-of", text, "a datetime with a zone (Z or an offset)")
    return value


def _buckets(text: str) -> tuple[float, ...]:
    from georeport.errors import ValidationError  # noqa: PLC0415

    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValidationError("--age-buckets", text, "comma-separated numbers of days such as 7,30,90") from None


def _report(arguments: argparse.Namespace, table: CaseTable, areas: Areas | None) -> Report:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from georeport.sla import BusinessCalendar, PolicyBook  # noqa: PLC0415
    from georeport.stats import Period, StatsOptions, build_report, panama_report  # noqa: PLC0415
    from georeport.stats.indicators import DEFAULT_INDICATORS  # noqa: PLC0415

    as_of = _as_of(arguments.as_of)
    calendar = None
    if arguments.calendar:
        text = Path(arguments.calendar).read_text(encoding="utf-8")
        calendar = (
            BusinessCalendar.from_json(text) if text.lstrip().startswith("{") else BusinessCalendar.from_toml(text)
        )
    policies = None
    if arguments.policies:
        text = Path(arguments.policies).read_text(encoding="utf-8")
        policies = PolicyBook.from_json(text) if text.lstrip().startswith("{") else PolicyBook.from_toml(text)
    if arguments.preset == "panama":
        # The preset's business-day targets are the policy book's, by service in jurisdiction.
        if policies is not None and calendar is None and policies.default is not None:
            calendar = policies.default.calendar
        return panama_report(
            table,
            as_of=as_of,
            language=arguments.lang or "es",
            calendar=calendar,
            min_group_size=arguments.min_group_size,
            title=arguments.title,
            policies=policies,
        )
    zone = ZoneInfo(arguments.timezone) if arguments.timezone else (calendar.zone if calendar else UTC)
    period = Period.parse(arguments.period, timezone=zone, basis=arguments.basis) if arguments.period else None
    by = tuple(name.strip() for name in arguments.by.split(",") if name.strip())
    indicators: Sequence[str] = DEFAULT_INDICATORS
    if arguments.indicators:
        indicators = tuple(name.strip() for name in arguments.indicators.split(",") if name.strip())
    options = StatsOptions(
        as_of=as_of,
        by=by,
        period=period,
        indicators=indicators,
        resolution_target=None if arguments.target_days is None else timedelta(days=arguments.target_days),
        response_target=None if arguments.response_days is None else timedelta(days=arguments.response_days),
        calendar=calendar,
        policies=policies,
        min_group_size=arguments.min_group_size,
        reopen_days=arguments.reopen_days,
        age_buckets=_buckets(arguments.age_buckets),
        quick_close_minutes=arguments.quick_close_minutes,
        language=arguments.lang or "en",
        title=arguments.title or "Service request statistics",
        equity="resolution_rate" if "area" in by or areas is not None else None,
        populations={} if areas is None else areas.populations,
    )
    return build_report(table, options)


def stats(arguments: argparse.Namespace, out: TextIO) -> int:
    """Run ``georeport stats``: 0 on success, 2 for bad input (the message says what and where)."""
    from zoneinfo import ZoneInfoNotFoundError  # noqa: PLC0415

    from georeport.errors import GeoReportError  # noqa: PLC0415
    from georeport.stats import to_csv, to_json, to_text  # noqa: PLC0415

    try:
        areas = _areas(arguments)
        table = _table(arguments, areas)
        report = _report(arguments, table, areas)
    except (GeoReportError, ValueError, ZoneInfoNotFoundError) as error:
        return _error(str(error))
    except OSError as error:
        return _error(f"cannot read {error.filename}: {error.strerror}")
    text = {"table": to_text, "csv": to_csv, "json": to_json}[arguments.format](report)
    try:
        if arguments.out:
            Path(arguments.out).write_text(text, encoding="utf-8", newline="")
        else:
            out.write(text)
        if arguments.html:
            from georeport.stats.html import render_html  # noqa: PLC0415 - imported when asked for

            Path(arguments.html).write_text(render_html(report), encoding="utf-8", newline="")
    except OSError as error:
        return _error(f"cannot write {error.filename}: {error.strerror}")
    return 0
