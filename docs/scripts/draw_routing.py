"""Draw ``docs/img/routing.svg``: the demo scenario's boundaries and where a lattice of reports goes.

    python docs/scripts/draw_routing.py [--out docs/img/routing.svg]

Two panels over the town of Elk Falls (``georeport.routing.demo_router()``):
reports of a park service (``PK-101``) and of a road service (``ST-214``) on
a regular lattice, each dot coloured by the jurisdiction it is routed to and
shaped by the step that decided (circle: most local; square: a rule;
diamond: the border rule; cross: the fallback). Boundaries are filled by
level. Hand-written SVG (no plotting library), in lon/lat scaled by
cos(latitude) so the picture is not stretched. The output depends only on
the scenario: running the script twice gives the same bytes (a test checks
that the committed picture is what the script draws).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from georeport.routing import DecisionCode, Level, Router, demo_router

WINDOW = (-120.34, 44.88, -119.72, 45.12)  # lon/lat: the park, the town, the road, the county line
PANEL_WIDTH = 460
MARGIN = 18
HEADER = 34
LEGEND = 150
COLUMNS, ROWS = 30, 12
FILL = {
    Level.FEDERAL: "#cfe8c8",
    Level.STATE: "#f4f1e8",
    Level.COUNTY: "#ece4d2",
    Level.MUNICIPAL: "#f7d9c4",
    Level.SPECIAL_DISTRICT: "#cfe1f2",
}
COLOURS = {
    "westland": "#8c8c8c",
    "aspen-county": "#a6761d",
    "cedar-county": "#7570b3",
    "elk-falls": "#d95f02",
    "elk-falls-water": "#1f78b4",
    "nps-elk-falls": "#1b9e77",
    "fhwa-us-99": "#e7298a",
    "benefits": "#666666",
    "usa-contact-centre": "#000000",
}


def _scale() -> tuple[float, float]:
    west, south, east, north = WINDOW
    squeeze = math.cos(math.radians((south + north) / 2))
    width = (east - west) * squeeze
    k = (PANEL_WIDTH - 2 * MARGIN) / width
    return k, squeeze


def _xy(lon: float, lat: float, left: float) -> tuple[float, float]:
    k, squeeze = _scale()
    west, _, _, north = WINDOW
    return left + MARGIN + (lon - west) * squeeze * k, HEADER + (north - lat) * k


def _path(geometry: Polygon | MultiPolygon, left: float) -> str:
    window = shapely.box(*WINDOW)
    clipped = geometry.intersection(window)
    parts = []
    polygons = clipped.geoms if hasattr(clipped, "geoms") else [clipped]
    for polygon in polygons:
        if not isinstance(polygon, Polygon) or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = [_xy(x, y, left) for x, y in ring.coords]
            parts.append("M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in points) + " Z")
    return " ".join(parts)


def _marker(code: DecisionCode, x: float, y: float, colour: str) -> str:
    if code is DecisionCode.RULE:
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if code is DecisionCode.BORDER:
        return f'<path d="M{x:.1f},{y - 4:.1f} L{x + 4:.1f},{y:.1f} L{x:.1f},{y + 4:.1f} L{x - 4:.1f},{y:.1f} Z" fill="{colour}"/>'
    if code is DecisionCode.FALLBACK:
        return f'<path d="M{x - 3:.1f},{y - 3:.1f} L{x + 3:.1f},{y + 3:.1f} M{x - 3:.1f},{y + 3:.1f} L{x + 3:.1f},{y - 3:.1f}" stroke="{colour}" stroke-width="1.5"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{colour}"/>'


def lattice() -> tuple[np.ndarray, np.ndarray]:
    """The report locations: a lattice over the window, plus points on the town/park border and the county line."""
    west, south, east, north = WINDOW
    longs, lats = np.meshgrid(
        np.linspace(west + 0.005, east - 0.005, COLUMNS), np.linspace(south + 0.005, north - 0.005, ROWS)
    )
    border_lats = np.linspace(44.98, 45.02, 3)
    road_lats = np.linspace(44.9, 44.985, 6)
    extra_lat = np.concatenate([border_lats, np.linspace(44.9, 45.1, 5), road_lats])
    extra_long = np.concatenate([np.full(3, -120.05), np.full(5, -119.8), np.full(6, -120.0)])
    return np.concatenate([lats.ravel(), extra_lat]), np.concatenate([longs.ravel(), extra_long])


def draw(router: Router) -> str:
    """The SVG text of the two panels and the legend."""
    k, _ = _scale()
    _, south, _, north = WINDOW
    panel_height = HEADER + (north - south) * k + MARGIN
    width = 2 * PANEL_WIDTH
    height = panel_height + LEGEND
    lats, longs = lattice()
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}" font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    order = [Level.STATE, Level.COUNTY, Level.FEDERAL, Level.MUNICIPAL, Level.SPECIAL_DISTRICT]  # painted in turn
    members = sorted(
        (order.index(m.level), m.id, m.level, m.boundary) for m in router.jurisdictions if m.boundary is not None
    )
    for panel, (service, title) in enumerate((("PK-101", "Park service PK-101"), ("ST-214", "Road service ST-214"))):
        left = panel * PANEL_WIDTH
        out.append(f'<text x="{left + MARGIN}" y="22" font-weight="bold">{title}: where {len(lats)} reports go</text>')
        for _, ident, level, boundary in members:
            d = _path(boundary, left)
            if d:
                thin = ident.startswith("fhwa")  # a 60 m wide corridor: drawn as a line to be seen
                stroke = f'stroke="{COLOURS[ident]}" stroke-width="2.5"' if thin else 'stroke="#555" stroke-width="0.8"'
                out.append(f'<path d="{d}" fill="{FILL[level]}" fill-opacity="0.75" {stroke}/>')
        indices, codes = router.route_many(lats, longs, service)
        for lat, long, index, code in zip(lats, longs, indices, codes, strict=True):
            x, y = _xy(float(long), float(lat), left)
            out.append(_marker(DecisionCode(int(code)), x, y, COLOURS.get(router.jurisdictions[int(index)].id, "#000")))
    top = panel_height + 8
    for i, member in enumerate(router.jurisdictions):
        x = MARGIN + (i % 2) * PANEL_WIDTH
        y = top + (i // 2) * 18
        out.append(f'<circle cx="{x + 4}" cy="{y - 4}" r="4" fill="{COLOURS.get(member.id, "#000")}"/>')
        out.append(
            f'<text x="{x + 12}" y="{y}">{member.name.replace("&", "&amp;")} ({member.level.wire.replace("_", " ")})</text>'
        )
    y = top + 98
    shapes = [
        (DecisionCode.LOCAL, "most local"),
        (DecisionCode.RULE, "a rule (federal land / federal road)"),
        (DecisionCode.BORDER, "border rule: first declared wins"),
        (DecisionCode.FALLBACK, "fallback"),
    ]
    for i, (code, label) in enumerate(shapes):
        x = MARGIN + i * 225
        out.append(_marker(code, x + 4, y - 4, "#333"))
        out.append(f'<text x="{x + 12}" y="{y}">{label}</text>')
    out.append(
        f'<text x="{MARGIN}" y="{y + 24}" fill="#555">Fill: green federal, peach municipal, blue special district, tan county. Synthetic scenario (georeport.routing.demo_router()).</text>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--out", default=str(Path(__file__).parents[1] / "img" / "routing.svg"), help="the SVG to write")
    args = cli.parse_args(argv)
    Path(args.out).write_text(draw(demo_router()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
