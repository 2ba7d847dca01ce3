"""``georeport demo``: the README's main job, on the samples shipped in the package."""

from __future__ import annotations

import warnings
from importlib import resources
from typing import TextIO

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


def demo(out: TextIO) -> int:
    """Read every shipped sample, show it, and check it survives a round trip in both formats."""
    samples = resources.files("georeport") / "samples"
    names = sorted(entry.name for entry in samples.iterdir() if entry.name.endswith((".xml", ".json")))
    out.write(f"georeport {georeport.__version__}: reading {len(names)} sample documents\n\n")
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
    out.write("all samples read and round-tripped\n" if not failures else f"{failures} round trip(s) differed\n")
    return 1 if failures else 0


def add_parser(commands: Subcommands) -> None:
    """Register ``georeport demo``."""
    parser = commands.add_parser(
        "demo",
        help="run georeport on the sample documents shipped with it and show what they hold",
        description="Read every sample document shipped with georeport, show it, and round-trip it through XML and JSON.",
    )
    parser.set_defaults(run=lambda _arguments, out: demo(out))
