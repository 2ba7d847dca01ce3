"""``georeport demo``: the README's main job, the whole pipeline on the samples shipped in the package.

It reads and round-trips every sample document, routes reports across the
shipped jurisdictions, says when each is due under a service-level policy,
and prints a department's transparency figures for a made-up year.
"""

from __future__ import annotations

import time
import warnings
from datetime import datetime, timedelta
from importlib import resources
from typing import TextIO
from zoneinfo import ZoneInfo

import numpy as np

import georeport
from georeport.cli._base import Subcommands
from georeport.models import Document, RecordList, ServiceDefinition, ServiceRequest

__all__ = ["add_parser", "demo"]


def _describe(document: Document) -> str:
    if isinstance(document, RecordList):
        return f"{type(document).__name__} of {len(document)}"
    if isinstance(document, ServiceDefinition):
        return f"ServiceDefinition of {document.service_code!r} with {len(document.attributes)} attribute(s)"
    return f"Discovery with {len(document.endpoints)} endpoint(s)"


def _first_record(document: Document) -> str:
    if isinstance(document, RecordList) and len(document):
        record = document[0]
        if isinstance(record, ServiceRequest):
            when = record.requested_datetime.isoformat() if record.requested_datetime else "?"
            where = f"({record.lat:.5f}, {record.long:.5f})" if record.has_location else "(no location)"
            status = record.status.value if record.status else "?"
            extras = f", extensions: {', '.join(record.extensions)}" if record.extensions else ""
            return f"request {record.service_request_id} [{status}] {record.service_name!r} at {where}, requested {when}{extras}"
        return repr(record)[:110]
    if isinstance(document, ServiceDefinition) and document.attributes:
        attribute = document.ordered()[0]
        return f"first question: {attribute.description!r} ({attribute.datatype.value}, keys {list(attribute.keys)})"
    return ""


_DEMO_REPORTS: tuple[tuple[str, float, float, str], ...] = (
    ("a broken swing in the national park", 45.0, -120.1, "PK-101"),
    ("the same swing in a town park", 45.0, -120.02, "PK-101"),
    ("a faded sign on US 99", 44.98, -120.0, "ST-214"),
    ("a benefits complaint", 45.0, -120.02, "BEN-900"),
    ("a pothole far from anywhere", 50.0, -120.0, "ST-214"),
)

_DEMO_POLICIES = """
[calendars.elk-falls]
zone = "America/Los_Angeles"
hours = { weekdays = ["08:00-12:00", "13:00-17:00"] }
holidays = ["2024-05-27", "2024-07-04"]

[default]
calendar = "elk-falls"
response = { business_days = 2 }
resolution = { days = 30 }

[[policies]]
service_code = "ST-214"
calendar = "elk-falls"
response = { business_hours = 8 }
resolution = { business_days = 5 }
"""


def _samples(out: TextIO) -> int:
    """Step 1: read every shipped sample and round-trip it through both formats; returns the failures."""
    samples = resources.files("georeport") / "samples"
    names = sorted(entry.name for entry in samples.iterdir() if entry.name.endswith((".xml", ".json")))
    out.write(f"1. Documents: reading {len(names)} sample documents\n\n")
    failures = 0
    for name in names:
        data = (samples / name).read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", georeport.DialectWarning)
            document = georeport.load(data)
        out.write(f"{name}\n  {_describe(document)}\n")
        first = _first_record(document)
        if first:
            out.write(f"  {first}\n")
        out.writelines(f"  repaired: {warning}\n" for warning in document.warnings)
        for fmt in ("xml", "json"):
            again = georeport.load(
                georeport.dump(document, fmt),
                format=fmt,
                kind=document.kind if isinstance(document, RecordList) else None,
            )
            same = again == document
            failures += not same
            out.write(f"  round trip through {fmt}: {'identical' if same else 'DIFFERENT'}\n")
        out.write("\n")
    out.write("all samples read and round-tripped\n\n" if not failures else f"{failures} round trip(s) differed\n\n")
    return failures


def _routing_and_sla(out: TextIO) -> None:
    """Steps 2 and 3: route reports in the shipped scenario, then say when each is due."""
    from georeport.routing import demo_router  # noqa: PLC0415 - numpy and shapely load only for this step
    from georeport.sla import PolicyBook  # noqa: PLC0415

    router = demo_router()
    book = PolicyBook.from_toml(_DEMO_POLICIES)
    requested = datetime(2024, 7, 3, 16, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    out.write("2. Routing: who answers each report (samples/jurisdictions.geojson, the town of Elk Falls)\n\n")
    routed = []
    for what, lat, long, code in _DEMO_REPORTS:
        decision = router.route(lat, long, code)
        routed.append((what, code, decision.jurisdiction.id))
        out.write(f"{what} ({code} at {lat}, {long})\n  {decision.explanation}\n")
    rng = np.random.default_rng(311)
    lats, longs = rng.uniform(44.9, 45.1, 100_000), rng.uniform(-120.2, -119.8, 100_000)
    codes = rng.choice(np.array(router.services), 100_000)
    started = time.perf_counter()
    indices = router.route_many(lats, longs, codes).indices
    took = time.perf_counter() - started
    counts = np.bincount(indices, minlength=len(router.jurisdictions))
    share = ", ".join(
        f"{jurisdiction.id} {count:,}"
        for jurisdiction, count in zip(router.jurisdictions, counts, strict=True)
        if count
    )
    out.write(f"\n100,000 random reports routed at once in {took * 1000:.0f} ms: {share}\n\n")

    out.write(f"3. Service levels: when each report is due, if made on {requested:%a %d %b %Y at %H:%M} (Pacific)\n\n")
    for what, code, jurisdiction in routed:
        policy = book.policy_for(code, jurisdiction=jurisdiction)
        if policy is None:  # the book declares a default, so every service has a policy
            continue
        response = "-" if policy.response is None else policy.response.due(requested, policy.calendar)
        resolution = "-" if policy.resolution is None else policy.resolution.due(requested, policy.calendar)
        out.write(
            f"{what}: respond within {policy.response} (by {_when(response)}), "
            f"resolve within {policy.resolution} (expected {_when(resolution)})\n"
        )
    out.write("\n")


def _when(moment: datetime | str) -> str:
    return moment if isinstance(moment, str) else f"{moment:%a %d %b %H:%M}"


def _statistics(out: TextIO) -> None:
    """Step 4: the transparency figures of a made-up year of a Panama-style programme."""
    from georeport.stats import CaseTable, StatsOptions, build_report  # noqa: PLC0415 - scipy loads only here
    from georeport.stats.demo import DEMO_AS_OF, demo_requests  # noqa: PLC0415

    table = CaseTable.from_requests(demo_requests(n=3000))
    options = StatsOptions(
        as_of=DEMO_AS_OF,
        by=("agency",),
        indicators=("received", "response_rate", "time_to_close_median", "cohort_attainment"),
        resolution_target=timedelta(days=30),
    )
    report = build_report(table, options)
    out.write(
        f"4. Transparency: a made-up year of {len(table):,} requests to six entities, as of {DEMO_AS_OF:%Y-%m-%d}\n"
        "   (open cases are counted: times to close are Kaplan-Meier medians with open cases censored)\n\n"
    )
    out.write(
        f"{'entity':8} {'received':>8}  {'answered':>18}  {'median days to close':>22}  {'closed in 30 days':>22}\n"
    )
    cells = {(dict(cell.group)["agency"], cell.indicator): cell for cell in report.cells}
    for agency in sorted({agency for agency, _ in cells}):
        received = cells[agency, "received"]
        answered = cells[agency, "response_rate"]
        median = cells[agency, "time_to_close_median"]
        within = cells[agency, "cohort_attainment"]
        out.write(
            f"{agency:8} {received.value:8.0f}  {answered.value:6.1%} [{answered.low:.0%}-{answered.high:.0%}]"
            f"  {median.value:10.1f} [{median.low:.1f}-{median.high:.1f}]"
            f"  {within.value:10.1%} [{within.low:.0%}-{within.high:.0%}]\n"
        )
    out.write(
        "\nEach figure has its 95% interval; every formula is printed by `georeport stats --html report.html`.\n\n"
    )


def demo(out: TextIO) -> int:
    """Run the whole pipeline on the shipped samples: read, route, service levels, statistics."""
    out.write(f"georeport {georeport.__version__}: the whole pipeline on the samples shipped with it\n\n")
    failures = _samples(out)
    _routing_and_sla(out)
    _statistics(out)
    out.write("demo finished: documents, routing, service levels and statistics\n" if not failures else "")
    return 1 if failures else 0


def add_parser(commands: Subcommands) -> None:
    """Register ``georeport demo``."""
    parser = commands.add_parser(
        "demo",
        help="run georeport on the sample documents shipped with it and show what they hold",
        description="Read every sample document shipped with georeport, show it, and round-trip it through XML and JSON.",
    )
    parser.set_defaults(run=lambda _arguments, out: demo(out))
