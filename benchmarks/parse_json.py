"""JSON: typed ``georeport.load`` / ``georeport.dump`` beside orjson and the standard library.

    python -m benchmarks.parse_json [--n 100000] [--repeat 5]

Parse, on one generated array of ``--n`` requests:

* ``orjson.loads`` -> dicts of strings: the raw limit (no types, no checks);
* ``json.loads`` -> dicts: the standard library;
* hand-written typed: ``orjson.loads`` + ``datetime.fromisoformat`` +
  ``ServiceRequest(**d)`` (the public, validating constructor; no repairs,
  no duplicate-key check): what a user would write without the library;
* cattrs: ``orjson.loads`` + ``cattrs.preconf.orjson`` structuring into
  ``list[ServiceRequest]`` (cattrs is a dependency already);
* msgspec, when installed: ``msgspec.json.decode`` into a ``list`` of a
  ``msgspec.Struct`` with the 17 fields typed (datetimes parsed in C); typed,
  but not our models: the limit of a typed decoder;
* ``georeport.load(data, format="json")`` -> ``ServiceRequestList``.
  Target: at least 0.4x the rate of ``orjson.loads``.

Serialize the same records: ``georeport.dump(doc, "json")`` beside
``orjson.dumps`` and ``json.dumps`` of the plain dicts.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import orjson
from cattrs.preconf.orjson import make_converter

import georeport
from benchmarks import _data
from benchmarks._harness import Table, best_of, run_cli

TARGET = 0.4
_DATETIMES = ("requested_datetime", "updated_datetime", "expected_datetime")


def hand_written_typed(data: bytes) -> list[georeport.ServiceRequest]:
    """The straightforward typed reader a user would write: trusts the shape, repairs nothing."""
    fromisoformat = datetime.fromisoformat
    request = georeport.ServiceRequest
    out = []
    for record in orjson.loads(data):
        for name in _DATETIMES:
            value = record[name]
            record[name] = fromisoformat(value) if value else None
        out.append(request(**record))
    return out


def msgspec_decoder() -> Any:
    """A decoder of ``list[Request]`` with the standard's 17 fields typed, or None without msgspec."""
    try:
        import msgspec
    except ImportError:
        return None

    class Request(msgspec.Struct):
        service_request_id: str | None = None
        status: str | None = None
        status_notes: str | None = None
        service_name: str | None = None
        service_code: str | None = None
        description: str | None = None
        agency_responsible: str | None = None
        service_notice: str | None = None
        requested_datetime: datetime | None = None
        updated_datetime: datetime | None = None
        expected_datetime: datetime | None = None
        address: str | None = None
        address_id: str | None = None
        zipcode: str | None = None
        lat: float | None = None
        long: float | None = None
        media_url: str | None = None

    return msgspec.json.Decoder(list[Request])


def run(n: int, repeat: int, warmup: int = 1, seed: int = 311) -> list[Table]:
    print(f"parse_json: generating {n:,} requests (seed {seed})...", flush=True)
    records = _data.records(n, seed=seed)
    data = _data.to_json(records)
    document = _data.check_clean(data, "json", n)
    plain: list[dict[str, Any]] = orjson.loads(data)
    size = len(data)

    def time_it(fn: Any) -> float:
        return best_of(fn, repeat=repeat, warmup=warmup).best

    parse = Table(f"JSON parse: {n:,} requests, {size / 1e6:.1f} MB")
    parse.add("orjson.loads (dicts, raw limit)", time_it(lambda: orjson.loads(data)), records=n, nbytes=size)
    parse.add(
        "json.loads (dicts)",
        time_it(lambda: json.loads(data)),
        records=n,
        nbytes=size,
        vs="orjson.loads (dicts, raw limit)",
    )
    parse.add(
        "hand-written typed (orjson + fromisoformat + ServiceRequest(**d))",
        time_it(lambda: hand_written_typed(data)),
        records=n,
        nbytes=size,
        vs="orjson.loads (dicts, raw limit)",
    )
    converter = make_converter()
    parse.add(
        "cattrs (orjson + preconf converter -> list[ServiceRequest])",
        time_it(lambda: converter.structure(orjson.loads(data), list[georeport.ServiceRequest])),
        records=n,
        nbytes=size,
        vs="orjson.loads (dicts, raw limit)",
    )
    decoder = msgspec_decoder()
    if decoder is not None:
        parse.add(
            "msgspec.json.decode(list[Struct]) (typed structs, not our models)",
            time_it(lambda: decoder.decode(data)),
            records=n,
            nbytes=size,
            vs="orjson.loads (dicts, raw limit)",
        )
    else:
        print("parse_json: msgspec not installed: its row is skipped (python -m pip install msgspec)", flush=True)
    parse.add(
        'georeport.load(format="json") (typed)',
        time_it(lambda: georeport.load(data, format="json")),
        records=n,
        nbytes=size,
        vs=(
            "orjson.loads (dicts, raw limit)",
            "json.loads (dicts)",
            "hand-written typed (orjson + fromisoformat + ServiceRequest(**d))",
            "cattrs (orjson + preconf converter -> list[ServiceRequest])",
        ),
        target=TARGET,
    )

    out_json = georeport.dump(document, "json")
    out_size = len(out_json)
    serialize = Table(f"JSON serialize: {n:,} requests, {out_size / 1e6:.1f} MB out")
    serialize.add(
        "orjson.dumps(list of dicts)", time_it(lambda: orjson.dumps(plain)), records=n, nbytes=len(orjson.dumps(plain))
    )
    serialize.add(
        "json.dumps(list of dicts)",
        time_it(lambda: json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()),
        records=n,
        nbytes=size,
        vs="orjson.dumps(list of dicts)",
    )
    serialize.add(
        'georeport.dump(doc, "json")',
        time_it(lambda: georeport.dump(document, "json")),
        records=n,
        nbytes=out_size,
        vs=("orjson.dumps(list of dicts)", "json.dumps(list of dicts)"),
    )
    if georeport.load(out_json, format="json") != document:
        print("WARNING: georeport.dump -> load did not round-trip the generated records", flush=True)
    return [parse, serialize]


def main(argv: list[str] | None = None) -> int:
    return run_cli(__doc__.splitlines()[0], run, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
