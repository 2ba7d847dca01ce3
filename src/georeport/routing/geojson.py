"""Jurisdictions (and a router's rules) to and from a GeoJSON FeatureCollection.

One Feature per jurisdiction. Its ``properties`` carry ``id``, ``name``,
``level`` (``"federal"``, ``"state"``, ``"county"``, ``"municipal"``,
``"special_district"``), ``services`` (a list of codes, or one
comma-separated string) and ``endpoint`` (an Open311 URL, or null); its
``geometry`` is the boundary, lon/lat WGS 84: a ``Polygon`` or
``MultiPolygon``, ``null`` for an agency that answers anywhere, or a
``LineString``/``MultiLineString`` with a ``buffer_m`` property (a road's
right of way: the land within that many metres of the line, see
``corridor``). A router's settings ride in a foreign member of the collection::

    "routing": {"fallback": "usa-contact-centre", "overlaps": "raise", "unknown_services": "raise",
                "rules": [{"level": "federal", "services": ["PK-101"], "name": "federal land: park services"},
                          {"jurisdiction": "fhwa-us-36", "services": ["ST-214"]}]}

``from_geojson(to_geojson(x)) == x``: coordinates are written with
``repr`` precision, so boundaries come back identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from shapely.geometry import LineString, MultiLineString, shape

from georeport.errors import ParseError, ValidationError
from georeport.routing._metric import corridor
from georeport.routing.jurisdictions import Jurisdiction
from georeport.routing.router import Router
from georeport.routing.rules import Prefer

__all__ = ["from_geojson", "router_from_geojson", "to_geojson"]

_FORMAT = "geojson"


def _collection(source: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    if isinstance(source, str | bytes | bytearray):
        try:
            source = json.loads(source)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ParseError(f"not valid JSON: {error}", format=_FORMAT, path="$") from None
    if not isinstance(source, Mapping) or source.get("type") != "FeatureCollection":
        raise ParseError("a GeoJSON FeatureCollection is expected", format=_FORMAT, path="$.type")
    features = source.get("features")
    if not isinstance(features, list):
        raise ParseError("'features' must be an array", format=_FORMAT, path="$.features")
    return source


def _geometry(value: Any, properties: Mapping[str, Any], path: str) -> Any:
    if value is None:
        return None
    if not isinstance(value, Mapping) or "type" not in value:
        raise ParseError("a GeoJSON geometry object or null is expected", format=_FORMAT, path=path)
    try:
        geometry = shape(dict(value))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise ParseError(f"not a GeoJSON geometry: {error}", format=_FORMAT, path=path) from None
    if isinstance(geometry, LineString | MultiLineString):
        width = properties.get("buffer_m")
        if isinstance(width, bool) or not isinstance(width, int | float):
            raise ParseError(
                "a line needs a 'buffer_m' property: the metres on each side it covers",
                format=_FORMAT,
                path=path.replace(".geometry", ".properties.buffer_m"),
            )
        try:
            return corridor(geometry, float(width))
        except ValueError as error:
            raise ParseError(
                str(error), format=_FORMAT, path=path.replace(".geometry", ".properties.buffer_m")
            ) from None
    return geometry  # any other kind: Jurisdiction's validator names it


def _feature(feature: Any, index: int) -> Jurisdiction:
    path = f"$.features[{index}]"
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise ParseError("a GeoJSON Feature is expected", format=_FORMAT, path=path)
    properties = feature.get("properties") or {}
    if not isinstance(properties, Mapping):
        raise ParseError("'properties' must be an object", format=_FORMAT, path=f"{path}.properties")
    ident = properties.get("id", feature.get("id"))
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    for name in ("level",):
        if name not in properties:
            raise ParseError(f"the property {name!r} is required", format=_FORMAT, path=f"{path}.properties.{name}")
    boundary = _geometry(feature.get("geometry"), properties, f"{path}.geometry")
    try:
        return Jurisdiction(
            ident,  # the validator names a bad id
            properties.get("name", ident),
            properties["level"],
            boundary=boundary,
            services=properties.get("services"),
            endpoint=properties.get("endpoint"),
        )
    except ValidationError as error:
        error.add_note(f"in the GeoJSON at {path}")
        raise


def from_geojson(source: Mapping[str, Any] | str | bytes) -> tuple[Jurisdiction, ...]:
    """The jurisdictions of a GeoJSON FeatureCollection (parsed, or its JSON text).

    Raises:
        ParseError: not a FeatureCollection, a feature without ``level``, a
            bad geometry object (``format="geojson"``, ``path`` names it).
        ValidationError: a bad property value; ``BoundaryError`` for an empty,
            invalid or non-polygonal boundary (a note gives the feature's path).

    Examples:
        >>> collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None,
        ...     "properties": {"id": "ssa", "name": "Social Security", "level": "federal", "services": ["BEN-1"]}}]}
        >>> from_geojson(collection)
        (Jurisdiction('ssa', 'Social Security', federal, anywhere, services=['BEN-1']),)
        >>> from_geojson('{"type": "Feature"}')
        Traceback (most recent call last):
        ...
        georeport.errors.ParseError: a GeoJSON FeatureCollection is expected (geojson, at $.type)
    """
    collection = _collection(source)
    return tuple(_feature(feature, index) for index, feature in enumerate(collection["features"]))


def to_geojson(jurisdictions: Iterable[Jurisdiction] | Router) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the jurisdictions; of a router, with its settings in ``routing``.

    ``json.dumps`` the result to write it; coordinates survive exactly.
    """
    if isinstance(jurisdictions, Router):
        router = jurisdictions
        collection = to_geojson(router.jurisdictions)
        routing: dict[str, Any] = {
            "rules": [rule.to_dict() for rule in router.rules],
            "fallback": router.fallback.id if router.fallback is not None else None,
            "overlaps": router.overlaps,
            "unknown_services": router.unknown_services,
        }
        collection["routing"] = routing
        return collection
    return {"type": "FeatureCollection", "features": [member.__geo_interface__ for member in jurisdictions]}


def _rules(value: Any) -> list[Prefer]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError("'rules' must be an array", format=_FORMAT, path="$.routing.rules")
    rules = []
    for index, item in enumerate(value):
        path = f"$.routing.rules[{index}]"
        if not isinstance(item, Mapping):
            raise ParseError("a rule must be an object", format=_FORMAT, path=path)
        unknown = sorted(set(item) - {"services", "level", "jurisdiction", "name"})
        if unknown:
            raise ParseError(f"unknown rule keys {unknown}", format=_FORMAT, path=path)
        try:
            rules.append(
                Prefer(
                    services=item.get("services"),
                    level=item.get("level"),
                    jurisdiction=item.get("jurisdiction"),
                    name=item.get("name") or "",
                )
            )
        except ValidationError as error:
            error.add_note(f"in the GeoJSON at {path}")
            raise
    return rules


def router_from_geojson(source: Mapping[str, Any] | str | bytes, **options: Any) -> Router:
    """A ``Router`` over the jurisdictions of a FeatureCollection, with the settings in its ``routing`` member.

    Keyword ``options`` (``rules``, ``fallback``, ``overlaps``,
    ``unknown_services``) override the file's.

    Raises:
        ParseError: as ``from_geojson``, and for a malformed ``routing`` member.
        RoutingConfigurationError: the settings do not make a router (see ``Router``).
    """
    collection = _collection(source)
    jurisdictions = from_geojson(collection)
    routing = collection.get("routing")
    routing = {} if routing is None else routing
    if not isinstance(routing, Mapping):
        raise ParseError("'routing' must be an object", format=_FORMAT, path="$.routing")
    unknown = sorted(set(routing) - {"rules", "fallback", "overlaps", "unknown_services"})
    if unknown:
        raise ParseError(f"unknown routing keys {unknown}", format=_FORMAT, path="$.routing")
    settings: dict[str, Any] = {"rules": _rules(routing.get("rules"))}
    for key in ("fallback", "overlaps", "unknown_services"):
        if routing.get(key) is not None:
            settings[key] = routing[key]
    settings.update(options)
    return Router(jurisdictions, **settings)
