"""Service Discovery: where a jurisdiction's endpoints are and what they speak."""

from __future__ import annotations

from enum import StrEnum

import attrs

from georeport.models._fields import JSONValue, extensions_dict, json_like, optional_str, to_enum, to_tuple

__all__ = ["Discovery", "Endpoint", "EndpointType"]

GEOREPORT_V2 = "http://wiki.open311.org/GeoReport_v2"


class EndpointType(StrEnum):
    """Whether reports sent to an endpoint are acted upon."""

    PRODUCTION = "production"
    TEST = "test"


def _endpoint_type(value: EndpointType | str | None) -> EndpointType | None:
    """Convert to ``EndpointType``, naming the field on error."""
    return None if value is None else to_enum(EndpointType, value, "type")


@attrs.frozen
class Endpoint:
    """One ``<endpoint>``: a base URL, the specification it speaks and its formats.

    ``changeset`` is kept as the opaque string sent: the standard's own
    examples are not W3C datetimes.
    """

    specification: str | None = attrs.field(default=None, validator=optional_str)
    url: str | None = attrs.field(default=None, validator=optional_str)
    changeset: str | None = attrs.field(default=None, validator=optional_str)
    type: EndpointType | None = attrs.field(default=None, converter=_endpoint_type)
    formats: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    """MIME types such as ``text/xml`` and ``application/json``."""
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )

    @property
    def is_georeport_v2(self) -> bool:
        """Whether the endpoint speaks GeoReport v2 (the specification URL names it)."""
        return bool(self.specification) and self.specification.rstrip("/").endswith("GeoReport_v2")  # type: ignore[union-attr]

    def speaks(self, media_type: str) -> bool:
        """Whether ``formats`` lists the media type (parameters such as charset ignored)."""
        wanted = media_type.split(";", 1)[0].strip().lower()
        return any(fmt.split(";", 1)[0].strip().lower() == wanted for fmt in self.formats)


@attrs.frozen
class Discovery:
    """The ``<discovery>`` document of a jurisdiction."""

    changeset: str | None = attrs.field(default=None, validator=optional_str)
    contact: str | None = attrs.field(default=None, validator=optional_str)
    key_service: str | None = attrs.field(default=None, validator=optional_str)
    endpoints: tuple[Endpoint, ...] = attrs.field(default=(), converter=to_tuple)
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )
    warnings: tuple[Warning, ...] = attrs.field(default=(), converter=to_tuple, eq=False, hash=False, repr=False)
    """Repairs the lenient reader made (empty when built in code)."""

    def georeport_endpoints(self, *, production_only: bool = False) -> tuple[Endpoint, ...]:
        """The endpoints that speak GeoReport v2, production ones first."""
        found = [
            endpoint
            for endpoint in self.endpoints
            if endpoint.is_georeport_v2 and (not production_only or endpoint.type is EndpointType.PRODUCTION)
        ]
        found.sort(key=lambda endpoint: endpoint.type is not EndpointType.PRODUCTION)
        return tuple(found)
