"""The ``georeport`` command line (layer 5: the edges; files are read here).

``georeport demo`` reads the sample documents shipped in the package and
prints what it found; later subcommands grow from here.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from importlib import resources
from typing import TextIO

import georeport
from georeport.models import Document, RecordList, ServiceDefinition, ServiceRequest

__all__ = ["main"]


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="georeport",
        description="Open311 GeoReport v2 documents: read, check and convert them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {georeport.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", help="read the sample documents shipped with georeport and show what they hold")
    arguments = parser.parse_args(argv)
    if arguments.command == "demo":
        return demo(sys.stdout)
    parser.print_help()
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
