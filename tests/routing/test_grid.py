"""The grid behind route/route_many: every covering boundary is a candidate; a covered cell needs no test."""

from __future__ import annotations

import numpy as np
import shapely

from georeport.routing import Router
from georeport.routing._grid import Grid


def check(router: Router, x: np.ndarray, y: np.ndarray) -> None:
    grid = Grid(router._geoms, router._tree)
    point, candidate, covered = grid.pairs(x, y)
    assert np.all(np.diff(point) >= 0)  # in point order
    found = set(zip(point.tolist(), candidate.tolist(), strict=True))
    truth_point, truth_candidate = router._tree.query(shapely.points(x, y), predicate="intersects")
    assert set(zip(truth_point.tolist(), truth_candidate.tolist(), strict=True)) <= found
    assert shapely.intersects_xy(router._geoms[candidate[covered]], x[point[covered]], y[point[covered]]).all()


def test_candidates_hold_every_covering_boundary_on_cell_edges_and_inside(colorado: Router) -> None:
    grid = Grid(colorado._geoms, colorado._tree)
    rng = np.random.default_rng(3)
    # points exactly on cell edges and corners, as the grid computes them, and random ones
    ix = rng.integers(0, grid.nx + 1, 3000)
    iy = rng.integers(0, grid.ny + 1, 3000)
    x = np.concatenate([grid.x0 + ix * grid.dx, rng.uniform(grid.x0 - 1, grid.x1 + 1, 3000)])
    y = np.concatenate([grid.y0 + iy * grid.dy, rng.uniform(grid.y0 - 1, grid.y1 + 1, 3000)])
    check(colorado, x, y)
    assert grid.covered.any()


def test_vertices_of_every_boundary_are_candidates(demo: Router, dc: Router) -> None:
    for router in (demo, dc):
        xy = shapely.get_coordinates(router._geoms)
        check(router, xy[:, 0].copy(), xy[:, 1].copy())
