"""Routing: ``Router.route_many`` and ``Router.route`` beside a raw STRtree query, a naive loop and geopandas.

    python -m benchmarks.routing [--n 1000000] [--repeat 3] [--counties 3300] [--naive 300]

One seeded synthetic country: state-like boxes tiling it, ``--counties``
county-like polygons of 64 vertices (non-overlapping, one per grid cell),
federal parcels (one per 16 cells), a benefits agency without a boundary and a
contact centre as fallback; a rule gives federal land the park service.
``--n`` random points over the country with a random service code each.

Bulk, per point:

* ``STRtree.query(points, predicate="intersects")`` over every boundary, on
  point geometries made beforehand: the raw spatial join, the baseline;
* ``Router.route_many(lats, longs, service_codes)``: from float arrays and a
  string array to winners and decision codes (it makes the points, checks
  them, maps the codes, queries, and applies every rule).
  Target: at least 0.8x the raw query's rate (the rules cost under 25%);
* a naive loop: for each point, every polygon's ``intersects_xy``, then the
  same rules in Python, on ``--naive`` points (its rate is per point);
* ``geopandas.sjoin(points, boundaries, predicate="intersects")`` on
  GeoDataFrames made beforehand (the join only, no rules).

One report at a time: ``Router.route(lat, long, code)`` beside one raw
``STRtree.query(shapely.points(long, lat), predicate="intersects")``.
Target: at least 0.5x the raw query's rate (a route costs under 2 queries).
The decision's ``candidates`` and ``explanation`` are worked out only when
read, so they are not in this time.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon, box

from benchmarks._harness import Table, best_of, machine, parser
from georeport.routing import Jurisdiction, Prefer, Router

SERVICES = np.array(["PK-101", "ST-214", "WA-330", "BEN-900"], dtype=object)
WEST, SOUTH, EAST, NORTH = -124.0, 25.0, -67.0, 49.0
RAW = 'STRtree.query(points, predicate="intersects") (raw, points made beforehand)'
RAW_ONE = 'STRtree.query(shapely.points(long, lat), predicate="intersects") (one raw query)'


def country(counties: int, seed: int) -> list[Jurisdiction]:
    """States, counties of 64 vertices, federal parcels, a benefits agency: a synthetic federation."""
    rng = np.random.default_rng(seed)
    columns = round((counties * (EAST - WEST) / (NORTH - SOUTH)) ** 0.5)
    rows = -(-counties // columns)
    width, height = (EAST - WEST) / columns, (NORTH - SOUTH) / rows
    members: list[Jurisdiction] = []
    state_columns, state_rows = 8, 6
    for i in range(state_columns):
        for j in range(state_rows):
            x0 = WEST + i * (EAST - WEST) / state_columns
            y0 = SOUTH + j * (NORTH - SOUTH) / state_rows
            members.append(
                Jurisdiction(
                    f"state-{i}-{j}",
                    f"State {i}-{j}",
                    "state",
                    boundary=box(x0, y0, x0 + (EAST - WEST) / state_columns, y0 + (NORTH - SOUTH) / state_rows),
                    services=["ST-214"],
                )
            )
    angles = np.linspace(0, 2 * np.pi, 65)[:-1]
    for k in range(counties):
        i, j = k % columns, k // columns
        cx, cy = WEST + (i + 0.5) * width, SOUTH + (j + 0.5) * height
        radius = 0.48 * (1 - 0.15 * rng.random(64))
        ring = np.column_stack([cx + radius * width * np.cos(angles), cy + radius * height * np.sin(angles)])
        members.append(
            Jurisdiction(
                f"county-{k}", f"County {k}", "county", boundary=Polygon(ring), services=["ST-214", "PK-101", "WA-330"]
            )
        )
        if k % 16 == 0:
            parcel = box(cx - 0.2 * width, cy - 0.2 * height, cx + 0.1 * width, cy + 0.15 * height)
            members.append(
                Jurisdiction(f"federal-{k}", f"Federal land {k}", "federal", boundary=parcel, services=["PK-101"])
            )
    members.append(Jurisdiction("benefits", "Benefits agency", "federal", services=["BEN-900"]))
    return members


def naive_route(
    router: Router, polygons: list[Any], lats: np.ndarray, longs: np.ndarray, codes: np.ndarray
) -> list[int]:
    """Every polygon tested for every point, then the rules, in plain Python."""
    members = router.jurisdictions
    rules = router.rules
    winners = []
    for lat, long, code in zip(lats.tolist(), longs.tolist(), codes.tolist(), strict=True):
        best: tuple[int, bool, int, int] | None = None
        for index, member in enumerate(members):
            if code not in member.services:
                continue
            polygon = polygons[index]
            if polygon is not None and not shapely.intersects_xy(polygon, long, lat):
                continue
            rank = next((r for r, rule in enumerate(rules) if rule.applies(member, code)), len(rules))
            key = (rank, polygon is None, -member.level, index)
            best = key if best is None or key < best else best
        winners.append(router.fallback_index if best is None else best[3])
    return winners


def run(n: int, repeat: int, warmup: int = 1, seed: int = 311, counties: int = 3300, naive: int = 300) -> list[Table]:
    print(f"routing: building {counties:,} counties and their states and parcels (seed {seed})...", flush=True)
    start = time.perf_counter()
    members = country(counties, seed)
    fallback = Jurisdiction("usa", "Contact centre", "federal")
    router = Router(
        members, rules=[Prefer(services=["PK-101"], level="federal", name="federal land")], fallback=fallback
    )
    placed = [m.boundary for m in router.jurisdictions if m.boundary is not None]
    print(
        f"routing: {len(router.jurisdictions):,} jurisdictions ({len(placed):,} with a boundary) in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    rng = np.random.default_rng(seed)
    lats = rng.uniform(SOUTH, NORTH, n)
    longs = rng.uniform(WEST, EAST, n)
    codes = SERVICES[rng.integers(0, len(SERVICES), n)]
    geometries = np.asarray(placed, dtype=object)
    tree = shapely.STRtree(geometries)
    points = shapely.points(longs, lats)

    def time_it(fn: Any, repeats: int = repeat) -> float:
        return best_of(fn, repeat=repeats, warmup=warmup).best

    bulk = Table(f"Routing {n:,} points over {len(router.jurisdictions):,} jurisdictions (64-vertex counties)")
    bulk.add(RAW, time_it(lambda: tree.query(points, predicate="intersects")), records=n)
    routed = router.route_many(lats, longs, codes)
    bulk.add(
        "Router.route_many(lats, longs, codes)",
        time_it(lambda: router.route_many(lats, longs, codes)),
        records=n,
        vs=RAW,
        target=0.8,
    )
    single = router.route_many(lats, longs, "ST-214")
    bulk.add(
        'Router.route_many(lats, longs, "ST-214") (one code)',
        time_it(lambda: router.route_many(lats, longs, "ST-214")),
        records=n,
        vs=RAW,
    )
    del single
    polygons = [m.boundary for m in router.jurisdictions]
    subset = slice(0, naive)
    expected = naive_route(router, polygons, lats[subset], longs[subset], codes[subset])
    if expected != routed.indices[subset].tolist():
        print("WARNING: the naive loop and route_many disagree", flush=True)
    bulk.add(
        f"naive loop: every polygon per point, rules in Python ({naive:,} points)",
        time_it(lambda: naive_route(router, polygons, lats[subset], longs[subset], codes[subset]), 1),
        records=naive,
        vs=RAW,
    )
    bulk.rows[-1].note = "rate from a subset"
    bulk.rows[1].vs = (RAW, bulk.rows[-1].case)
    try:
        import geopandas as gpd
    except ImportError:
        print("routing: geopandas not installed; no sjoin row", flush=True)
    else:
        left = gpd.GeoDataFrame({"code": codes}, geometry=points, crs="EPSG:4326")
        right = gpd.GeoDataFrame({"index": np.arange(len(placed))}, geometry=geometries, crs="EPSG:4326")
        case = 'geopandas.sjoin(points, boundaries, predicate="intersects") (join only, no rules)'
        bulk.add(case, time_it(lambda: gpd.sjoin(left, right, predicate="intersects")), records=n, vs=RAW)
        bulk.rows[1].vs = (*bulk.rows[1].baselines, case)

    calls = min(n, 20_000)
    one = Table(f"One report at a time: {calls:,} calls")
    xs, ys, cs = longs[:calls].tolist(), lats[:calls].tolist(), codes[:calls].tolist()

    def raw_one() -> None:
        query = tree.query
        make = shapely.points
        for x, y in zip(xs, ys, strict=True):
            query(make(x, y), predicate="intersects")

    def route_one() -> None:
        route = router.route
        for y, x, c in zip(ys, xs, cs, strict=True):
            route(y, x, c)

    one.add(RAW_ONE, time_it(raw_one), records=calls)
    one.add("Router.route(lat, long, code)", time_it(route_one), records=calls, vs=RAW_ONE, target=0.5)
    agree = all(
        router.route(y, x, c).index == i
        for y, x, c, i in zip(ys[:2000], xs[:2000], cs[:2000], routed.indices[:2000], strict=True)
    )
    if not agree:
        print("WARNING: route and route_many disagree", flush=True)
    return [bulk, one]


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0], n=1_000_000, repeat=3)
    cli.add_argument("--counties", type=int, default=3300, help="county-like polygons (default 3,300)")
    cli.add_argument("--naive", type=int, default=300, help="points for the naive loop (default 300)")
    args = cli.parse_args(argv)
    print(machine())
    for table in run(args.n, args.repeat, args.warmup, args.seed, args.counties, args.naive):
        table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
