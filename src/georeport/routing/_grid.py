"""A grid over the boundaries, built once with the STRtree, that lets ``route_many`` skip most exact tests.

Each cell (a box, widened by ``EPSILON`` degrees so rounding never moves a
point out of its cell) lists the boundaries whose bounding box meets it
(``STRtree.query(cells)``) and which of them cover the whole cell
(a second STRtree over the cells, queried with each boundary, ``predicate="covers"``). A point inside a covered
cell is inside that boundary with no point-in-polygon test; the other
candidates are tested exactly with ``shapely.intersects_xy``, which counts the
boundary line as inside, as ``Router.route`` does. Finding a point's cell is
arithmetic, so no point geometries are made at all.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from numpy.typing import NDArray

__all__ = ["EPSILON", "Grid"]

EPSILON = 1e-9
"""Degrees each cell is widened by: far below any surveyed boundary's precision, far above rounding."""


class Grid:
    """Cells over the extent of ``geometries``, each with its candidates and which of them cover it."""

    def __init__(self, geometries: NDArray[np.object_], tree: shapely.STRtree, *, cells_per_geometry: int = 16) -> None:
        bounds = shapely.bounds(geometries)
        self.x0, self.y0 = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        self.x1, self.y1 = float(bounds[:, 2].max()), float(bounds[:, 3].max())
        width, height = self.x1 - self.x0, self.y1 - self.y0
        wanted = min(max(cells_per_geometry * len(geometries), 1024), 1 << 18)
        aspect = width / height
        self.nx = max(1, min(4096, round(math.sqrt(wanted * aspect))))
        self.ny = max(1, min(4096, round(wanted / self.nx)))
        self.dx, self.dy = width / self.nx, height / self.ny
        ix = np.tile(np.arange(self.nx), self.ny)  # cell id = iy * nx + ix
        iy = np.repeat(np.arange(self.ny), self.nx)
        cells = shapely.box(
            self.x0 + ix * self.dx - EPSILON,
            self.y0 + iy * self.dy - EPSILON,
            self.x0 + (ix + 1) * self.dx + EPSILON,
            self.y0 + (iy + 1) * self.dy + EPSILON,
        )
        cell, candidate = tree.query(cells)
        # the other way round, so each boundary is prepared once and tested against its cells
        whole_candidate, whole_cell = shapely.STRtree(cells).query(geometries, predicate="covers")
        size = len(geometries)
        covered = np.isin(cell * size + candidate, whole_cell * size + whole_candidate)
        self.starts = np.zeros(self.nx * self.ny + 1, dtype=np.intp)
        np.cumsum(np.bincount(cell, minlength=self.nx * self.ny), out=self.starts[1:])
        order = np.argsort(cell, kind="stable")
        self.candidates = candidate[order]
        self.covered = covered[order]
        self.bounds = bounds

    def pairs(
        self, x: NDArray[np.float64], y: NDArray[np.float64]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_]]:
        """``(point, geometry, covered)`` for every point and every candidate of its cell, in point order."""
        inside = (x >= self.x0) & (x <= self.x1) & (y >= self.y0) & (y <= self.y1)
        points = np.flatnonzero(inside)
        ix = np.minimum(((x[points] - self.x0) / self.dx).astype(np.intp), self.nx - 1)
        iy = np.minimum(((y[points] - self.y0) / self.dy).astype(np.intp), self.ny - 1)
        cells = iy * self.nx + ix
        first = self.starts[cells]
        counts = self.starts[cells + 1] - first
        total = int(counts.sum())
        ends = np.cumsum(counts)
        offsets = np.arange(total, dtype=np.intp) + np.repeat(first - (ends - counts), counts)
        return np.repeat(points, counts), self.candidates[offsets], self.covered[offsets]
