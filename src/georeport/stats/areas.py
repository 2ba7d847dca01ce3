"""Areas for the equity view: which polygon (ward, district, corregimiento) each request falls in.

An ``Areas`` is a set of named polygons, with residents when known, read from
a GeoJSON FeatureCollection. ``locate``/``locate_many`` place points (the many
form queries a shapely ``STRtree`` once for all points); an ``Areas`` is also a
function of a request, so it fills the ``area`` dimension of a case table:
``CaseTable.from_requests(requests, extra={"area": areas})``. A point on a
shared border goes to the area declared first; a request without a location,
or outside every area, has no area (counted as "unknown area" in the
data-quality table).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from georeport.errors import ValidationError
from georeport.models import ServiceRequest

__all__ = ["Areas"]


def _population(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValidationError("population", value, f"a non-negative number of residents (area {name!r})")
    return int(value)


@attrs.frozen(eq=False)
class Areas:
    """Named polygons, in declaration order, with residents where known.

    Examples:
        >>> from shapely.geometry import box
        >>> areas = Areas(("West", "East"), (box(-80, 8, -79.5, 9), box(-79.5, 8, -79, 9)), {"East": 1200})
        >>> areas.locate(8.5, -79.2), areas.locate(7.0, -79.2)
        ('East', None)
        >>> areas.locate_many([8.5, 8.5], [-79.7, -79.5]).tolist()
        ['West', 'West']
    """

    names: tuple[str, ...]
    geometries: tuple[BaseGeometry, ...]
    populations: dict[str, int] = attrs.field(factory=dict)
    _tree: shapely.STRtree = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if len(self.names) != len(self.geometries):
            raise ValidationError("geometries", len(self.geometries), f"one per name ({len(self.names)})")
        if len(set(self.names)) != len(self.names):
            raise ValidationError("names", self.names, "distinct area names")
        object.__setattr__(self, "_tree", shapely.STRtree(list(self.geometries)))

    @classmethod
    def from_geojson(
        cls, data: str | bytes | Mapping[str, Any], *, name: str = "name", population: str = "population"
    ) -> Areas:
        """Areas from a GeoJSON FeatureCollection of (multi)polygons; ``name`` and ``population`` are property keys.

        Raises:
            georeport.ValidationError: not a FeatureCollection, a feature without a name or a polygon,
                a bad population; the message names the feature.
        """
        document = json.loads(data) if isinstance(data, str | bytes) else data
        if not isinstance(document, Mapping) or document.get("type") != "FeatureCollection":
            raise ValidationError("areas", type(document).__name__, "a GeoJSON FeatureCollection")
        names: list[str] = []
        geometries: list[BaseGeometry] = []
        populations: dict[str, int] = {}
        for index, feature in enumerate(document.get("features") or []):
            properties = (feature or {}).get("properties") or {}
            label = properties.get(name)
            if not isinstance(label, str | int) or str(label) == "":
                raise ValidationError(f"features[{index}].properties.{name}", label, "the area's name")
            try:
                geometry = shapely.geometry.shape(feature["geometry"])
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ValidationError(f"features[{index}].geometry", None, f"a GeoJSON geometry ({error})") from None
            if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
                raise ValidationError(f"features[{index}].geometry", geometry.geom_type, "a Polygon or MultiPolygon")
            names.append(str(label))
            geometries.append(geometry)
            count = _population(properties.get(population), str(label))
            if count is not None:
                populations[str(label)] = count
        return cls(tuple(names), tuple(geometries), populations)

    def locate(self, lat: float, long: float) -> str | None:
        """The area holding ``(lat, long)``; None outside every area."""
        return self.locate_many([lat], [long])[0]  # type: ignore[no-any-return]

    def locate_many(self, lats: ArrayLike, longs: ArrayLike) -> NDArray[np.object_]:
        """The area of each point (None outside every area or where a coordinate is NaN)."""
        y = np.asarray(lats, dtype=np.float64).ravel()
        x = np.asarray(longs, dtype=np.float64).ravel()
        if y.shape != x.shape:
            raise ValidationError("longs", x.size, f"as many longitudes as latitudes ({y.size})")
        out = np.full(y.size, None, dtype=np.object_)
        valid = np.flatnonzero(np.isfinite(y) & np.isfinite(x))
        if valid.size == 0 or not self.names:
            return out
        points, areas = self._tree.query(shapely.points(x[valid], y[valid]), predicate="intersects")
        if points.size == 0:
            return out
        # The first declared area wins a shared border: keep the lowest area index per point.
        order = np.lexsort((areas, points))
        points, areas = points[order], areas[order]
        first = np.concatenate(([True], points[1:] != points[:-1]))
        names = np.array(self.names, dtype=np.object_)
        out[valid[points[first]]] = names[areas[first]]
        return out

    def __call__(self, request: ServiceRequest) -> str | None:
        """The area of a request's location (None without one): a dimension function for ``CaseTable``."""
        if request.lat is None or request.long is None:
            return None
        return self.locate(request.lat, request.long)
