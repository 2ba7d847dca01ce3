"""Dump readers: records per second for every reader beside the raw limits, and peak memory on 1 GB.

    python -m benchmarks.readers [--n 100000] [--repeat 3] [--size-mb 1000] [--big xml,bulk-csv,nyc]

Part 1, in this process, on the same ``--n`` generated requests written in
every format (the records of ``benchmarks._data``, with the Bulk fields):
each reader's records/s, side by side with the raw limits measured in the
same run on the same bytes: ``pandas.read_csv`` for the CSV files (a parse
into columns of strings and floats, no datetimes, no models) and
``json.loads`` for the JSON files (dicts, no models). A ratio of 0.5x means
the typed, validated, streaming reader goes half as fast as the raw parse.

Part 2, in fresh processes: a generated dump of ``--size-mb`` MB per format
of ``--big`` (GeoReport v2 XML, Bulk CSV, an NYC 311 export read through its
column mapping) streamed by ``iter_dump``, with each process's peak RSS.
Target: < 200 MB for 1 GB. The directory needs 1.5x ``--size-mb`` free; one
big file exists at a time and is deleted afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks import _data
from benchmarks._harness import MB, Table, best_of, child_answer, machine, parser, run_child
from georeport.wire.bulk import BULK_FIELDS

RSS_LIMIT_MB = 200
SOURCES = ("Phone", "Mobile App", "Website", "Twitter", "Text/SMS")
STATUSES = {"open": ("Open", "In Progress", "Hold"), "closed": ("Closed",)}
NYC_HEADER = [
    "Unique Key",
    "Created Date",
    "Closed Date",
    "Agency",
    "Agency Name",
    "Complaint Type",
    "Descriptor",
    "Location Type",
    "Incident Zip",
    "Incident Address",
    "Street Name",
    "Cross Street 1",
    "Cross Street 2",
    "Intersection Street 1",
    "Intersection Street 2",
    "Address Type",
    "City",
    "Landmark",
    "Facility Type",
    "Status",
    "Due Date",
    "Resolution Description",
    "Resolution Action Updated Date",
    "Community Board",
    "BBL",
    "Borough",
    "X Coordinate (State Plane)",
    "Y Coordinate (State Plane)",
    "Open Data Channel Type",
    "Park Facility Name",
    "Park Borough",
    "Vehicle Type",
    "Taxi Company Borough",
    "Taxi Pick Up Location",
    "Bridge Highway Name",
    "Bridge Highway Direction",
    "Road Ramp",
    "Bridge Highway Segment",
    "Latitude",
    "Longitude",
    "Location",
]
_NEW_YORK = ZoneInfo("America/New_York")


def _cell(value: object) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


def bulk_row(record: dict[str, Any], index: int) -> list[str]:
    """A generated request as a Bulk CSV row (closed ones carry their close time)."""
    status = record["status"] or "open"
    described = STATUSES[status][index % len(STATUSES[status])]
    closed = record["updated_datetime"] if status == "closed" else None
    values = (
        record["service_request_id"],
        record["requested_datetime"],
        record["updated_datetime"],
        closed,
        described,
        record["status_notes"],
        SOURCES[index % len(SOURCES)],
        record["service_name"],
        record["service_code"],
        record["description"],
        record["agency_responsible"],
        record["address"],
        record["lat"],
        record["long"],
    )
    return [_cell(value) for value in values]


def _us(value: str | None) -> str:
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(_NEW_YORK).strftime("%m/%d/%Y %I:%M:%S %p")


def nyc_row(record: dict[str, Any], index: int) -> list[str]:
    """A generated request as a row of NYC's 311 export (naive New York times, 41 columns)."""
    row = [""] * len(NYC_HEADER)
    status = record["status"] or "open"
    lat, long = record["lat"], record["long"]
    values = {
        "Unique Key": str(50_000_000 + index),
        "Created Date": _us(record["requested_datetime"]),
        "Closed Date": _us(record["updated_datetime"]) if status == "closed" else "",
        "Agency": (record["agency_responsible"] or "")[:8],
        "Agency Name": record["agency_responsible"] or "",
        "Complaint Type": record["service_name"] or "",
        "Descriptor": record["service_code"] or "",
        "Incident Zip": record["zipcode"] or "",
        "Incident Address": record["address"] or "",
        "City": "NEW YORK",
        "Status": "Closed" if status == "closed" else "In Progress",
        "Resolution Description": record["status_notes"] or "",
        "Resolution Action Updated Date": _us(record["updated_datetime"]),
        "Borough": "MANHATTAN",
        "Open Data Channel Type": ("PHONE", "ONLINE", "MOBILE")[index % 3],
        "Latitude": _cell(lat),
        "Longitude": _cell(long),
        "Location": f"({lat}, {long})" if lat is not None and long is not None else "",
    }
    for position, name in enumerate(NYC_HEADER):
        row[position] = values.get(name, "")
    return row


def _csv_text(header: list[str] | tuple[str, ...] | None, rows: Iterator[list[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def documents(n: int, seed: int) -> dict[str, bytes]:
    """The same ``n`` requests in every format the readers take."""
    import georeport
    from georeport.wire import write_dump
    from georeport.wire.bulk import iter_bulk

    records = _data.records(n, seed=seed)
    docs = {
        "xml": _data.to_xml(records),
        "json": _data.to_json(records),
        "bulk-csv": _csv_text(BULK_FIELDS, (bulk_row(r, i) for i, r in enumerate(records))).encode(),
        "nyc": _csv_text(NYC_HEADER, (nyc_row(r, i) for i, r in enumerate(records))).encode(),
    }
    docs["jsonl"] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    bulk = list(iter_bulk(docs["bulk-csv"]))
    for fmt in ("bulk-json", "bulk-xml"):
        buffer = io.BytesIO()
        write_dump(bulk, buffer, format=fmt)
        docs[fmt] = buffer.getvalue()
    del georeport
    return docs


def _count(fmt: str, data: bytes) -> int:
    from georeport.wire import iter_dump
    from georeport.wire.columns import NYC_311

    if fmt == "nyc":
        return sum(1 for _ in iter_dump(io.BytesIO(data), mapping=NYC_311))
    return sum(1 for _ in iter_dump(io.BytesIO(data), format=fmt))  # type: ignore[arg-type, misc]


def throughput(n: int, repeat: int, warmup: int, seed: int) -> Table:
    """Part 1: every reader and its raw limit on the same bytes."""
    import pandas as pd

    print(f"readers: generating {n:,} requests in every format...", flush=True)
    docs = documents(n, seed)
    table = Table(f"Dump readers: {n:,} requests in memory, typed records/s beside the raw parse of the same bytes")

    def add(case: str, fn: Any, data: bytes, vs: str | None = None, note: str = "") -> None:
        timing = best_of(fn, repeat=repeat, warmup=warmup)
        table.add(case, timing.best, records=n, nbytes=len(data), vs=vs, note=note)

    for fmt, name in (("bulk-csv", "Bulk CSV"), ("nyc", "NYC 311 export CSV")):
        data = docs[fmt]
        base = f"[{fmt}] pandas.read_csv (raw limit)"
        add(base, lambda data=data: pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False), data)
        reader = "iter_csv(NYC_311)" if fmt == "nyc" else "iter_bulk"
        add(f"[{fmt}] {reader}: {name} -> ServiceRequest", lambda fmt=fmt, data=data: _count(fmt, data), data, vs=base)
    for fmt in ("json", "bulk-json"):
        data = docs[fmt]
        base = f"[{fmt}] json.loads (raw limit)"
        add(base, lambda data=data: json.loads(data), data)
        reader = "iter_bulk" if fmt == "bulk-json" else "iter_dump"
        add(f"[{fmt}] {reader} -> ServiceRequest", lambda fmt=fmt, data=data: _count(fmt, data), data, vs=base)
    data = docs["jsonl"]
    base = "[jsonl] json.loads per line (raw limit)"
    add(base, lambda: [json.loads(line) for line in data.splitlines()], data)
    add("[jsonl] iter_dump -> ServiceRequest", lambda: _count("jsonl", data), data, vs=base)
    json_base = "[json] json.loads (raw limit)"
    for fmt in ("xml", "bulk-xml"):
        data = docs[fmt]
        add(
            f"[{fmt}] {'iter_bulk' if fmt == 'bulk-xml' else 'iter_dump'} -> ServiceRequest",
            lambda fmt=fmt, data=data: _count(fmt, data),
            data,
            vs=json_base,
            note="vs json.loads of the same records as JSON",
        )
    return table


# --- part 2: 1 GB streams in fresh processes -----------------------------------------------
def write_big(path: Path, fmt: str, size: int, seed: int) -> tuple[int, int]:
    """Write a dump of at least ``size`` bytes, a batch at a time; (records, bytes)."""
    if fmt == "xml":
        return _data.write_file(path, "xml", size, seed=seed)
    header = BULK_FIELDS if fmt == "bulk-csv" else NYC_HEADER
    make = bulk_row if fmt == "bulk-csv" else nyc_row
    count = written = 0
    with path.open("wb") as handle:
        head = True
        for batch in _data.iter_records(seed=seed):
            chunk = _csv_text(header if head else None, (make(r, count + i) for i, r in enumerate(batch))).encode()
            head = False
            handle.write(chunk)
            written += len(chunk)
            count += len(batch)
            if written >= size:
                break
    return count, written


def child(path: str, fmt: str) -> int:
    """In a fresh process: stream ``path``, count, report the peak RSS."""
    from georeport.wire import iter_dump
    from georeport.wire.columns import NYC_311

    start = time.perf_counter()
    options: dict[str, Any] = {"mapping": NYC_311} if fmt == "nyc" else {"format": fmt}
    with iter_dump(Path(path), **options) as reader:
        count = sum(1 for _ in reader)
        warnings = len(reader.warnings)
    child_answer(records=count, seconds=time.perf_counter() - start, bytes=Path(path).stat().st_size, warnings=warnings)
    return 0


def memory(size_mb: float, formats: list[str], seed: int, directory: str | None) -> Table | None:
    """Part 2: each format's big dump streamed in a fresh process."""
    size = int(size_mb * MB)
    parent = Path(directory or tempfile.gettempdir())
    free = shutil.disk_usage(parent).free
    if free < 1.5 * size:
        print(f"readers: refused: {parent} has {free / MB:,.0f} MB free, needs {1.5 * size / MB:,.0f} MB", flush=True)
        return None
    table = Table(f"Dump readers: iter_dump streaming a {size_mb:,g} MB dump in a fresh process")
    idle = run_child("benchmarks._child", "idle")
    table.add("fresh interpreter, import georeport only", None, peak_rss=idle["peak_rss"], note="RSS floor")
    work = Path(tempfile.mkdtemp(prefix="georeport-readers-", dir=parent))
    try:
        for fmt in formats:
            big = work / {"xml": "dump.xml", "bulk-csv": "dump.csv", "nyc": "nyc.csv"}[fmt]
            start = time.perf_counter()
            count, written = write_big(big, fmt, size, seed)
            print(
                f"readers [{fmt}]: wrote {count:,} requests, {written / MB:,.0f} MB in {time.perf_counter() - start:.0f} s; streaming...",
                flush=True,
            )
            answer = run_child("benchmarks.readers", "child", str(big), fmt)
            if answer["records"] != count:
                print(f"WARNING: streamed {answer['records']:,} of {count:,} requests", flush=True)
            table.add(
                f"[{fmt}] iter_dump(path{', mapping=NYC_311' if fmt == 'nyc' else ''}), {written / MB:,.0f} MB file",
                answer["seconds"],
                records=answer["records"],
                nbytes=answer["bytes"],
                peak_rss=answer["peak_rss"],
                rss_limit=RSS_LIMIT_MB * MB if size_mb >= 1000 else None,
                note=f"{count:,} requests, {answer['warnings']} warnings",
            )
            big.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return table


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["child"]:
        return child(argv[1], argv[2])
    cli = parser(__doc__.splitlines()[0], repeat=3)
    cli.add_argument("--size-mb", type=float, default=1000, help="size of each big dump in MB (default 1000: 1 GB)")
    cli.add_argument("--big", default="xml,bulk-csv,nyc", help="big dumps to stream: xml, bulk-csv, nyc (or none)")
    cli.add_argument("--dir", default=None, help="where to write the big dumps (default: the system temp dir)")
    args = cli.parse_args(argv)
    formats = [name.strip() for name in args.big.split(",") if name.strip() and name.strip() != "none"]
    if any(name not in ("xml", "bulk-csv", "nyc") for name in formats):
        cli.error(f"--big takes xml, bulk-csv and/or nyc, got {args.big!r}")
    print(machine(), flush=True)
    started = time.perf_counter()
    tables = [throughput(args.n, args.repeat, args.warmup, args.seed)]
    if formats:
        big = memory(args.size_mb, formats, args.seed, args.dir)
        if big is None:
            return 1
        tables.append(big)
    for table in tables:
        table.print()
    print(f"(the whole run took {time.perf_counter() - started:,.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
