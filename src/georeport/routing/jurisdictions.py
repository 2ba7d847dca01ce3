"""Jurisdictions: who answers for a place (or for a service anywhere), and at what level of government.

A ``Jurisdiction`` is a value: an id, a name, a ``Level``, the boundary it
answers for (a shapely ``Polygon`` or ``MultiPolygon`` in lon/lat degrees,
WGS 84; None for an agency that answers wherever the report comes from), the
service codes it handles and, optionally, its Open311 endpoint. Boundaries
are checked when the value is made: empty, invalid (self-intersecting...),
non-polygonal or not-degrees geometry raises ``BoundaryError`` naming the
jurisdiction and GEOS's reason; ``shapely.make_valid`` repairs most.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

import attrs
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from georeport.errors import ValidationError
from georeport.routing.errors import BoundaryError

__all__ = ["Boundary", "Jurisdiction", "Level"]

Boundary = Polygon | MultiPolygon
"""The polygonal geometries a jurisdiction's boundary may be."""


class Level(IntEnum):
    """A level of government, ordered from the widest (federal) to the most local (special district).

    ``Level.parse`` reads the names GeoJSON properties use (``"federal"``,
    ``"special_district"``, ``"Special district"``...); ``wire`` is the name written.

    Examples:
        >>> Level.parse("special district") > Level.COUNTY
        True
        >>> Level.parse("city")
        Traceback (most recent call last):
        ...
        georeport.errors.ValidationError: 'level' must be one of federal, state, county, municipal, special_district (got 'city')
    """

    FEDERAL = 1
    STATE = 2
    COUNTY = 3
    MUNICIPAL = 4
    SPECIAL_DISTRICT = 5

    @property
    def wire(self) -> str:
        """The name written to GeoJSON: ``"federal"`` ... ``"special_district"``."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: Level | str | int) -> Level:
        """The level named by ``value`` (a Level, its number, or its name in any case, with spaces or dashes).

        Raises:
            ValidationError: ``value`` names no level; the message lists the valid names.
        """
        if isinstance(value, Level):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and value in cls._value2member_map_:
            return cls(value)
        if isinstance(value, str):
            key = value.strip().upper().replace(" ", "_").replace("-", "_")
            if key in cls.__members__:
                return cls.__members__[key]
        raise ValidationError("level", value, "one of " + ", ".join(level.wire for level in cls))


def _to_level(value: Level | str | int) -> Level:
    return Level.parse(value)


def _check_id(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("id", value, "a non-empty string")


def _check_name(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str):
        raise ValidationError("name", value, "a string")


def _check_boundary(instance: Jurisdiction, _attribute: object, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Polygon | MultiPolygon):
        kind = getattr(value, "geom_type", type(value).__name__)
        raise BoundaryError(
            instance.id, kind, "a shapely Polygon or MultiPolygon (None for a location-independent agency)"
        )
    if value.is_empty:
        raise BoundaryError(instance.id, value.wkt, "a non-empty polygon (use None for a location-independent agency)")
    minx, miny, maxx, maxy = value.bounds
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise BoundaryError(instance.id, value.bounds, "made of finite coordinates")
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:  # noqa: PLR2004
        raise BoundaryError(
            instance.id,
            value.bounds,
            "in lon/lat degrees, WGS 84 (its bounds are outside -180..180, -90..90: projected, or lat/long swapped?)",
        )
    if not value.is_valid:
        reason = shapely.is_valid_reason(value)
        raise BoundaryError(
            instance.id, reason, f"a valid polygon (GEOS says: {reason}; shapely.make_valid repairs it)"
        )


def _services(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable) or isinstance(value, bytes | Mapping):
        raise ValidationError("services", value, "a list of service codes, or one comma-separated string")
    codes = []
    for code in value:
        if not isinstance(code, str) or not code.strip():
            raise ValidationError("services", code, "non-empty service code strings")
        codes.append(code.strip())
    return frozenset(codes)


def _check_endpoint(_instance: object, _attribute: object, value: Any) -> None:
    if value is None:
        return
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationError("endpoint", value, "an http(s) URL of an Open311 endpoint, or None")


@attrs.frozen(repr=False)
class Jurisdiction:
    """A government body that answers for service requests in a place, or for some services anywhere.

    Args:
        id: a stable identifier, unique within a router (``"larimer-county"``).
        name: what people call it.
        level: a ``Level`` (or its name or number).
        boundary: where it answers (lon/lat degrees), or None for an agency
            that answers wherever the report comes from.
        services: the service codes it handles (an iterable, or one
            comma-separated string).
        endpoint: its Open311 endpoint, an http(s) URL, or None.

    Raises:
        ValidationError: a bad id, level, service code or endpoint.
        BoundaryError: a boundary that is empty, invalid, not polygonal or not in degrees.

    Examples:
        >>> from shapely.geometry import box
        >>> town = Jurisdiction("town", "Town", "municipal", boundary=box(0, 0, 1, 1), services="PK-101,ST-214")
        >>> town.level, sorted(town.services), town.is_location_independent
        (<Level.MUNICIPAL: 4>, ['PK-101', 'ST-214'], False)
        >>> Jurisdiction("bad", "Bowtie", "county", boundary=Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]))
        Traceback (most recent call last):
        ...
        georeport.routing.errors.BoundaryError: jurisdiction 'bad': boundary must be a valid polygon (GEOS says: Self-intersection[0.5 0.5]; shapely.make_valid repairs it)
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_name)
    level: Level = attrs.field(converter=_to_level)
    boundary: Boundary | None = attrs.field(default=None, validator=_check_boundary, kw_only=True)
    services: frozenset[str] = attrs.field(default=frozenset(), converter=_services, kw_only=True)
    endpoint: str | None = attrs.field(default=None, validator=_check_endpoint, kw_only=True)

    @property
    def is_location_independent(self) -> bool:
        """Whether it answers wherever a report comes from (it has no boundary)."""
        return self.boundary is None

    def handles(self, service_code: str) -> bool:
        """Whether it handles ``service_code``."""
        return service_code in self.services

    def describe(self) -> str:
        """``Name (level)``, as explanations write it."""
        return f"{self.name} ({self.level.wire.replace('_', ' ')})"

    def __repr__(self) -> str:
        """Show the id, level and the kind of boundary, not every coordinate."""
        where = "anywhere" if self.boundary is None else f"{self.boundary.geom_type} {self.boundary.bounds}"
        return f"Jurisdiction({self.id!r}, {self.name!r}, {self.level.wire}, {where}, services={sorted(self.services)})"

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """A GeoJSON Feature: the boundary (null geometry when location-independent) and the properties."""
        return {
            "type": "Feature",
            "id": self.id,
            "properties": {
                "id": self.id,
                "name": self.name,
                "level": self.level.wire,
                "services": sorted(self.services),
                "endpoint": self.endpoint,
            },
            "geometry": None if self.boundary is None else mapping(self.boundary),
        }
