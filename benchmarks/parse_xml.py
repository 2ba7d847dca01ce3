"""XML: typed ``georeport.load`` / ``georeport.dump`` beside xmltodict and lxml.

    python -m benchmarks.parse_xml [--n 100000] [--repeat 5]

Parse, on one generated ``<service_requests>`` document of ``--n`` requests:

* ``xmltodict.parse(data)["service_requests"]["request"]``: the core of the
  PyPI ``georeport`` 0.3.1 client (dicts of strings, no types). The baseline;
* lxml to dicts: ``etree.fromstring`` + ``{c.tag: c.text for c in el}`` per
  record (strings, no types): the fastest hand-written reader;
* ``etree.fromstring`` alone: libxml2's tree, the raw limit of any
  lxml-based reader;
* ``georeport.load(data, format="xml")`` -> ``ServiceRequestList``.
  Target: at least 4x the rate of ``xmltodict.parse``.

Serialize the same records: ``georeport.dump(doc, "xml")`` beside
``xmltodict.unparse`` and an lxml tree built from the dicts.
"""

from __future__ import annotations

import sys
from typing import Any

import orjson
import xmltodict
from lxml import etree

import georeport
from benchmarks import _data
from benchmarks._harness import Table, best_of, run_cli

TARGET = 4.0
XMLTODICT = 'xmltodict.parse()["service_requests"]["request"]'
LXML_DICTS = "lxml to dicts (fromstring + {c.tag: c.text})"
FROMSTRING = "etree.fromstring (tree only, raw limit)"


def xmltodict_requests(data: bytes) -> Any:
    """What PyPI georeport 0.3.1 does with a response body."""
    return xmltodict.parse(data)["service_requests"]["request"]


def lxml_dicts(data: bytes) -> list[dict[str, Any]]:
    root = etree.fromstring(data)
    return [{child.tag: child.text for child in element} for element in root]


def lxml_build(plain: list[dict[str, Any]]) -> bytes:
    """Build an lxml tree from the dicts and serialize it."""
    root = etree.Element("service_requests")
    sub = etree.SubElement
    for record in plain:
        element = sub(root, "request")
        for key, value in record.items():
            child = sub(element, key)
            if value is not None:
                child.text = value if value.__class__ is str else repr(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def run(n: int, repeat: int, warmup: int = 1, seed: int = 311) -> list[Table]:
    print(f"parse_xml: generating {n:,} requests (seed {seed})...", flush=True)
    records = _data.records(n, seed=seed)
    data = _data.to_xml(records)
    document = _data.check_clean(data, "xml", n)
    plain: list[dict[str, Any]] = orjson.loads(_data.to_json(records))
    del records
    size = len(data)

    def time_it(fn: Any) -> float:
        return best_of(fn, repeat=repeat, warmup=warmup).best

    parse = Table(f"XML parse: {n:,} requests, {size / 1e6:.1f} MB")
    parse.add(
        XMLTODICT, time_it(lambda: xmltodict_requests(data)), records=n, nbytes=size, note="PyPI georeport 0.3.1 core"
    )
    parse.add(LXML_DICTS, time_it(lambda: lxml_dicts(data)), records=n, nbytes=size, vs=XMLTODICT)
    parse.add(FROMSTRING, time_it(lambda: etree.fromstring(data)), records=n, nbytes=size, vs=XMLTODICT)
    parse.add(
        'georeport.load(format="xml") (typed)',
        time_it(lambda: georeport.load(data, format="xml")),
        records=n,
        nbytes=size,
        vs=(XMLTODICT, LXML_DICTS, FROMSTRING),
        target=TARGET,
    )

    out_xml = georeport.dump(document, "xml")
    out_size = len(out_xml)
    unparse = 'xmltodict.unparse({"service_requests": {"request": dicts}})'
    serialize = Table(f"XML serialize: {n:,} requests, {out_size / 1e6:.1f} MB out")
    serialize.add(
        unparse,
        time_it(lambda: xmltodict.unparse({"service_requests": {"request": plain}}).encode()),
        records=n,
        nbytes=len(xmltodict.unparse({"service_requests": {"request": plain}}).encode()),
    )
    serialize.add(
        "lxml tree from dicts + tostring",
        time_it(lambda: lxml_build(plain)),
        records=n,
        nbytes=len(lxml_build(plain)),
        vs=unparse,
    )
    serialize.add(
        'georeport.dump(doc, "xml")',
        time_it(lambda: georeport.dump(document, "xml")),
        records=n,
        nbytes=out_size,
        vs=(unparse, "lxml tree from dicts + tostring"),
    )
    if georeport.load(out_xml, format="xml") != document:
        print("WARNING: georeport.dump -> load did not round-trip the generated records", flush=True)
    return [parse, serialize]


def main(argv: list[str] | None = None) -> int:
    return run_cli(__doc__.splitlines()[0], run, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
