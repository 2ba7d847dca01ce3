"""Hypothesis strategies for routing: jurisdictions, whole routers on a grid of touching boxes, points."""

from __future__ import annotations

from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box

from georeport.routing import Jurisdiction, Level, Prefer, Router

SERVICES = ("PK-101", "ST-214", "WA-330", "BEN-900")

coordinates = st.floats(min_value=-179.0, max_value=170.0, allow_nan=False, allow_infinity=False)
latitudes = st.floats(min_value=-89.0, max_value=85.0, allow_nan=False, allow_infinity=False)
sizes = st.floats(min_value=1e-6, max_value=1.0, allow_nan=False, allow_infinity=False)


@st.composite
def boxes(draw: st.DrawFn) -> Polygon:
    x, y = draw(coordinates), draw(latitudes)
    return box(x, y, x + draw(sizes), y + draw(sizes))


@st.composite
def boundaries(draw: st.DrawFn) -> Polygon | MultiPolygon | None:
    kind = draw(st.sampled_from(["none", "box", "holed", "multi"]))
    if kind == "none":
        return None
    outer = draw(boxes())
    if kind == "box":
        return outer
    minx, miny, maxx, maxy = outer.bounds
    if kind == "holed":
        dx, dy = (maxx - minx) / 4, (maxy - miny) / 4
        return Polygon(outer.exterior.coords, [box(minx + dx, miny + dy, maxx - dx, maxy - dy).exterior.coords])
    return MultiPolygon([outer, box(maxx + 0.5, miny, maxx + 0.5 + (maxx - minx), maxy)])


service_sets = st.frozensets(
    st.sampled_from(SERVICES) | st.text("ABCXYZ-0123456789", min_size=1, max_size=8), max_size=4
)


@st.composite
def jurisdictions(draw: st.DrawFn, ident: str | None = None) -> Jurisdiction:
    return Jurisdiction(
        ident or draw(st.text(min_size=1, max_size=12).filter(str.strip)),
        draw(st.text(max_size=20)),
        draw(st.sampled_from(Level)),
        boundary=draw(boundaries()),
        services=draw(service_sets),
        endpoint=draw(st.none() | st.sampled_from(["https://311.example/v2", "http://open311.example.org/dev/v2"])),
    )


jurisdiction_sets = st.lists(st.integers(0, 10**6), unique=True, max_size=4).flatmap(
    lambda keys: st.tuples(*(jurisdictions(f"j{key}") for key in keys))
)

GRID = 4  # cells of 1 degree from (0, 0); neighbouring boxes share borders exactly


@st.composite
def grid_routers(draw: st.DrawFn) -> Router:
    """A router over boxes on a small grid (shared borders everywhere), free agencies, rules and a fallback."""
    count = draw(st.integers(1, 8))
    members = []
    for index in range(count):
        x0, y0 = draw(st.integers(0, GRID - 1)), draw(st.integers(0, GRID - 1))
        w, h = draw(st.integers(1, GRID - x0)), draw(st.integers(1, GRID - y0))
        members.append(
            Jurisdiction(
                f"g{index}",
                f"Grid {index}",
                draw(st.sampled_from(Level)),
                boundary=box(x0, y0, x0 + w, y0 + h),
                services=draw(st.frozensets(st.sampled_from(SERVICES[:3]), max_size=3)),
            )
        )
    members.extend(
        Jurisdiction(
            f"free{index}",
            f"Free {index}",
            draw(st.sampled_from(Level)),
            services=draw(st.frozensets(st.sampled_from(SERVICES), max_size=2)),
        )
        for index in range(draw(st.integers(0, 2)))
    )
    rules = []
    for _ in range(draw(st.integers(0, 2))):
        services = draw(st.none() | st.frozensets(st.sampled_from(SERVICES[:3]), min_size=1))
        if draw(st.booleans()):
            rules.append(Prefer(services=services, level=draw(st.sampled_from(Level))))
        else:
            rules.append(Prefer(services=services, jurisdiction=draw(st.sampled_from([m.id for m in members]))))
    known = set().union(*(m.services for m in members))
    rules = [rule for rule in rules if rule.services is None or rule.services <= known]
    fallback = Jurisdiction("fallback", "Contact centre", "federal")
    return Router(members, rules=rules, fallback=fallback, overlaps="first", unknown_services="fallback")


grid_values = st.integers(-1, GRID + 1).map(float) | st.floats(-1.0, GRID + 1.0, allow_nan=False)
grid_points = st.tuples(grid_values, grid_values)
"""(lat, long) on the grid: on cell borders and corners, inside cells and outside everything."""
