"""Run every benchmark suite: ``python -m benchmarks`` (from the repository root).

    python -m benchmarks [--n 100000] [--repeat 5] [--size-mb 1000] [--only parse_json,parse_xml,...]

Runs the suites that return tables (parsing, streaming, routing, SLA due
dates, statistics), then prints every target's verdict together. The suites
that start servers or clusters run on their own: ``python -m
benchmarks.readers``, ``benchmarks.federation``, ``benchmarks.server_load``.
Timings are never asserted: the exit status is 0 whatever they are.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from benchmarks import parse_json, parse_xml, routing, sla, stats, streaming
from benchmarks._harness import Table, machine, parser

SUITES = ("parse_json", "parse_xml", "streaming", "routing", "sla", "stats")
MILLION = 1_000_000  # the routing, SLA and statistics targets are stated for a million reports or cases


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument(
        "--size-mb", type=float, default=1000, help="streaming: size of each dump in MB (default 1000: 1 GB)"
    )
    cli.add_argument(
        "--stream-repeat", type=int, default=3, help="streaming: in-process runs of the subset (default 3)"
    )
    cli.add_argument(
        "--only", default=",".join(SUITES), help=f"comma-separated suites (default all: {','.join(SUITES)})"
    )
    args = cli.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(SUITES))
    if unknown:
        cli.error(f"unknown suites {unknown}; choose from {', '.join(SUITES)}")
    print(f"georeport benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(machine())
    print(flush=True)
    tables: list[Table] = []
    start = time.perf_counter()
    for name in chosen:
        if name == "parse_json":
            found = parse_json.run(args.n, args.repeat, args.warmup, args.seed)
        elif name == "parse_xml":
            found = parse_xml.run(args.n, args.repeat, args.warmup, args.seed)
        elif name == "routing":
            found = routing.run(MILLION, args.repeat, args.warmup, args.seed)
        elif name == "sla":
            found = sla.run(MILLION, args.repeat, args.warmup, args.seed)
        elif name == "stats":
            found = stats.run(MILLION, args.repeat, args.warmup, args.seed)
        else:
            found = (
                streaming.run(args.size_mb, ["xml", "json"], args.n, args.stream_repeat, args.warmup, args.seed) or []
            )
            if not found:
                print("streaming: skipped", flush=True)
        for table in found:
            table.print()
        tables.extend(found)
    print(f"## Targets ({time.perf_counter() - start:,.1f} s in all)")
    for table in tables:
        for line in table.verdicts():
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
