"""``georeport route FILE --jurisdictions boundaries.geojson``: who answers each request, written into it.

Every request of a GeoReport v2 requests document (XML or JSON, streamed in
constant memory) gets three extensions, and the document is written back:

* ``routed_jurisdiction_id``: the id of the jurisdiction that answers it;
* ``routing_decision``: which step decided (``local``, ``service``, ``rule``,
  ``border``, ``fallback``; see ``georeport.routing.DecisionCode``);
* ``routing_rule``: the name of the ``Prefer`` rule that decided, when one did;

and, with ``--explain``, ``routing_explanation``: the decision in one line.

The jurisdictions file is a GeoJSON FeatureCollection (see
``georeport.routing.geojson``), with its rules and fallback in its ``routing``
member. A request without ``lat``/``long`` is routed by its service alone; one
whose service code no jurisdiction declares (or that has none) goes to the
fallback when the file declares one, and stops the command otherwise.
Requests are routed in batches with ``Router.route_many`` and written batch by
batch, so memory stays flat; keys of a vendor wrapper object around the
records are not kept (convert such a dump first).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from georeport.cli._base import Subcommands, output_file
from georeport.cli._progress import add_progress_option

if TYPE_CHECKING:
    from georeport.models import ServiceRequest
    from georeport.routing import Router

__all__ = ["add_parser", "route"]

BATCH = 10_000


def _route_batch(router: Router, records: list[ServiceRequest], *, explain: bool) -> list[ServiceRequest]:
    """The records with their routing extensions."""
    import attrs  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    from georeport.routing import DecisionCode  # noqa: PLC0415

    located = [i for i, r in enumerate(records) if r.lat is not None and r.long is not None]
    indices = np.empty(len(records), dtype=np.intp)
    codes = np.empty(len(records), dtype=np.uint8)
    services = [r.service_code or "" for r in records]
    if located:
        lats = np.array([records[i].lat for i in located], dtype=np.float64)
        longs = np.array([records[i].long for i in located], dtype=np.float64)
        found = router.route_many(lats, longs, np.array([services[i] for i in located], dtype=object))
        indices[located], codes[located] = found.indices, found.codes
    for i, record in enumerate(records):
        if record.lat is None or record.long is None:
            decision = router.route_service(services[i])
            indices[i], codes[i] = decision.index, decision.code
    routed = []
    for i, record in enumerate(records):
        code = DecisionCode(int(codes[i]))
        index = int(indices[i])
        extensions: dict[str, Any] = {
            **record.extensions,
            "routed_jurisdiction_id": router.jurisdictions[index].id,
            "routing_decision": code.wire,
        }
        rule = None if code is DecisionCode.FALLBACK else router.rule_for(index, services[i])
        if rule is not None:
            extensions["routing_rule"] = rule.label
        if explain:
            decision = (
                router.route(record.lat, record.long, services[i])
                if record.lat is not None and record.long is not None
                else router.route_service(services[i])
            )
            extensions["routing_explanation"] = decision.explanation
        routed.append(attrs.evolve(record, extensions=extensions))
    return routed


def _body(chunk: bytes, fmt: str) -> bytes:
    """A dumped list document without its envelope: the records only."""
    if fmt == "json":
        return chunk[1:-1]
    head = chunk.index(b"<service_requests>") + len(b"<service_requests>")
    return chunk[head : chunk.rindex(b"</service_requests>")]


def route(arguments: argparse.Namespace, out: TextIO) -> int:
    """Run ``georeport route``: 0 when every request was routed, 1 on unreadable input or an unroutable request."""
    import warnings  # noqa: PLC0415

    import georeport  # noqa: PLC0415
    from georeport.cli._progress import Progress  # noqa: PLC0415
    from georeport.errors import GeoReportError  # noqa: PLC0415
    from georeport.models import ServiceRequestList  # noqa: PLC0415
    from georeport.routing import router_from_geojson  # noqa: PLC0415
    from georeport.wire._common import batched  # noqa: PLC0415

    try:
        data = Path(arguments.jurisdictions).read_bytes()
        router = router_from_geojson(data)
        if router.fallback is not None and router.unknown_services == "raise":
            router = router_from_geojson(data, unknown_services="fallback")
    except (OSError, GeoReportError) as error:
        sys.stderr.write(f"georeport route: --jurisdictions {arguments.jurisdictions}: {error}\n")
        return 1
    count = 0
    try:
        with (
            Path(arguments.file).open("rb") as handle,
            Progress("route", total=os.fstat(handle.fileno()).st_size, unit="bytes", force=arguments.progress) as bar,
            warnings.catch_warnings(),
            georeport.iter_requests(bar.reading(handle)) as reader,
        ):
            warnings.simplefilter("ignore", georeport.DialectWarning)
            fmt = arguments.format or reader.format
            with output_file(arguments.out) as sink:
                sink.write(b"[" if fmt == "json" else b'<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>')
                for batch in batched(reader, BATCH):
                    routed = ServiceRequestList(_route_batch(router, batch, explain=arguments.explain))
                    if fmt == "json" and count:
                        sink.write(b",")
                    sink.write(_body(georeport.dump(routed, fmt), fmt))
                    count += len(batch)
                sink.write(b"]\n" if fmt == "json" else b"</service_requests>\n")
    except (OSError, GeoReportError) as error:
        sys.stderr.write(f"georeport route: {arguments.file}: {error}\n")
        return 1
    if arguments.out not in {None, "-"}:
        out.write(f"routed {count:,} request(s) over {len(router.jurisdictions)} jurisdiction(s) to {arguments.out}\n")
    return 0


def add_parser(commands: Subcommands) -> None:
    """Register ``georeport route``."""
    parser = commands.add_parser(
        "route",
        help="add to every request the jurisdiction that answers it, by boundary, service and rules",
        description=(
            "Route every request of a GeoReport v2 requests document (XML or JSON) to a jurisdiction of a "
            "GeoJSON file, and write the document back with routed_jurisdiction_id, routing_decision and "
            "routing_rule extensions."
        ),
    )
    parser.add_argument("file", help="a GeoReport v2 requests document, XML or JSON")
    parser.add_argument(
        "--jurisdictions", required=True, help="a GeoJSON FeatureCollection of jurisdictions (with its routing rules)"
    )
    parser.add_argument("--out", help="where to write the routed document (default: standard output)")
    parser.add_argument("--format", choices=("xml", "json"), help="the output format (default: the input's)")
    parser.add_argument("--explain", action="store_true", help="add routing_explanation, one line per request")
    add_progress_option(parser)
    parser.set_defaults(run=route)
