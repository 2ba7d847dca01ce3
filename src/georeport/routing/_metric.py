"""Real metres on the WGS 84 ellipsoid: a local projection computed with numpy, and corridors.

``LocalProjection`` is an azimuthal equidistant projection centred on a point,
computed on the unit sphere and stretched east-west by the ellipsoid's prime
vertical radius N and north-south by its meridional radius M at the centre.
At the centre the metric is the ellipsoid's exactly; 50 km away distances are
within about 0.01% of the geodesic ones (tests check this against Vincenty's
formulae and, when installed, pyproj). That is all routing needs: a road
buffered by some tens of metres. No PROJ is required.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

__all__ = ["WGS84_A", "WGS84_F", "LocalProjection", "corridor"]

WGS84_A = 6_378_137.0
"""Semi-major axis of WGS 84, metres."""
WGS84_F = 1 / 298.257223563
"""Flattening of WGS 84."""
_E2 = WGS84_F * (2 - WGS84_F)

FloatArray = NDArray[np.float64]


class LocalProjection:
    """Lon/lat degrees to metres east/north of a centre, and back.

    Examples:
        >>> p = LocalProjection(-105.0, 40.0)
        >>> x, y = p.forward([-105.0], [40.001])
        >>> round(float(y[0]), 2), round(float(x[0]), 6)
        (111.03, 0.0)
    """

    __slots__ = ("_cos0", "_sin0", "lat0", "lon0", "m0", "n0")

    def __init__(self, lon0: float, lat0: float) -> None:
        self.lon0 = float(lon0)
        self.lat0 = float(lat0)
        phi = math.radians(self.lat0)
        w = 1 - _E2 * math.sin(phi) ** 2
        self.n0 = WGS84_A / math.sqrt(w)
        self.m0 = WGS84_A * (1 - _E2) / w**1.5
        self._sin0 = math.sin(phi)
        self._cos0 = math.cos(phi)

    def forward(self, lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Metres east and north of the centre for points in degrees."""
        phi = np.radians(np.asarray(lat, dtype=np.float64))
        dlam = np.radians(np.asarray(lon, dtype=np.float64) - self.lon0)
        sin_phi, cos_phi = np.sin(phi), np.cos(phi)
        cos_c = np.clip(self._sin0 * sin_phi + self._cos0 * cos_phi * np.cos(dlam), -1.0, 1.0)
        c = np.arccos(cos_c)
        sin_c = np.sin(c)
        k = np.where(c < 1e-12, 1.0, c / np.where(sin_c == 0, 1.0, sin_c))  # noqa: PLR2004
        x = k * cos_phi * np.sin(dlam)
        y = k * (self._cos0 * sin_phi - self._sin0 * cos_phi * np.cos(dlam))
        return x * self.n0, y * self.m0

    def inverse(self, x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Degrees (lon, lat) of points given in metres east and north of the centre."""
        u = np.asarray(x, dtype=np.float64) / self.n0
        v = np.asarray(y, dtype=np.float64) / self.m0
        c = np.hypot(u, v)
        sin_c, cos_c = np.sin(c), np.cos(c)
        safe = np.where(c == 0, 1.0, c)
        phi = np.arcsin(np.clip(cos_c * self._sin0 + v * sin_c * self._cos0 / safe, -1.0, 1.0))
        lam = np.arctan2(u * sin_c, c * self._cos0 * cos_c - v * self._sin0 * sin_c)
        phi = np.where(c == 0, math.radians(self.lat0), phi)
        lam = np.where(c == 0, 0.0, lam)
        lon = (np.degrees(lam) + self.lon0 + 180.0) % 360.0 - 180.0
        return lon, np.degrees(phi)

    def project(self, geometry: shapely.Geometry) -> shapely.Geometry:
        """The geometry with its coordinates in metres."""
        return shapely.transform(geometry, lambda xy: np.column_stack(self.forward(xy[:, 0], xy[:, 1])))

    def unproject(self, geometry: shapely.Geometry) -> shapely.Geometry:
        """The geometry with its coordinates back in degrees."""
        return shapely.transform(geometry, lambda xy: np.column_stack(self.inverse(xy[:, 0], xy[:, 1])))


def corridor(line: LineString | MultiLineString, metres: float, *, quad_segs: int = 8) -> Polygon | MultiPolygon:
    """The land within ``metres`` of a line given in lon/lat degrees: a road's right of way.

    The line is projected to a ``LocalProjection`` centred on its bounding
    box, buffered in metres, its edges cut to at most ``max(metres, 50)``
    metres so they stay straight after the trip back, and returned in degrees.

    Args:
        line: the centre line, lon/lat degrees (WGS 84).
        metres: the half-width, metres; more than 0.
        quad_segs: segments per quarter circle at the ends and bends.

    Raises:
        ValueError: ``metres`` is not a positive finite number, or the line is empty.

    Examples:
        >>> from shapely.geometry import LineString
        >>> road = corridor(LineString([(-105.0, 40.0), (-105.0, 40.01)]), 30)
        >>> road.geom_type, road.contains(shapely.Point(-105.0003, 40.005)), road.contains(shapely.Point(-105.0004, 40.005))
        ('Polygon', True, False)
    """
    if not (math.isfinite(metres) and metres > 0):
        msg = f"a corridor's width must be a positive number of metres (got {metres!r})"
        raise ValueError(msg)
    if line.is_empty:
        msg = "a corridor needs a non-empty line"
        raise ValueError(msg)
    minx, miny, maxx, maxy = line.bounds
    projection = LocalProjection((minx + maxx) / 2, (miny + maxy) / 2)
    area = shapely.buffer(projection.project(line), metres, quad_segs=quad_segs)
    area = shapely.segmentize(area, max(metres, 50.0))
    result = projection.unproject(area)
    if not isinstance(result, Polygon | MultiPolygon):  # pragma: no cover - buffers are polygonal
        msg = f"buffering gave {result!r}"
        raise TypeError(msg)
    return result
