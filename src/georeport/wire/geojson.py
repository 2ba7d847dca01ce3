"""Service requests as a GeoJSON FeatureCollection (RFC 7946), written as a stream and read back.

Each request is a ``Feature``: its ``id`` is ``service_request_id``, its
geometry a ``Point`` at ``[long, lat]`` (``null`` without a location), and
its ``properties`` the request's fields exactly as GeoReport JSON writes them
(W3C datetimes, ``status`` as ``open``/``closed``), the extensions beside
them. So GIS tools get one flat column per field, and
``geopandas.GeoDataFrame.from_features`` takes the file as it is.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from georeport.errors import ParseError
from georeport.models import ServiceRequest, ServiceRequestList
from georeport.wire._common import WRITE_BATCH, batched, write_json_array
from georeport.wire._records import RecordBuilder
from georeport.wire._repairs import Repairs
from georeport.wire.json import plain

__all__ = ["from_geojson", "to_feature", "to_features", "to_geojson", "write_geojson"]


def _features(batch: list[ServiceRequest]) -> Iterator[dict[str, Any]]:
    for request, properties in zip(batch, plain(ServiceRequestList(batch)), strict=True):
        geometry = None
        if request.lat is not None and request.long is not None:
            geometry = {"type": "Point", "coordinates": [request.long, request.lat]}
        yield {"type": "Feature", "id": request.service_request_id, "geometry": geometry, "properties": properties}


def to_feature(request: ServiceRequest) -> dict[str, Any]:
    """One request as a GeoJSON ``Feature`` (a dict ready for ``json.dumps``).

    Examples:
        >>> from georeport import ServiceRequest
        >>> feature = to_feature(ServiceRequest("638344", lat=37.76, long=-122.46))
        >>> feature["id"], feature["geometry"]
        ('638344', {'type': 'Point', 'coordinates': [-122.46, 37.76]})
        >>> to_feature(ServiceRequest("9"))["geometry"] is None
        True
    """
    return next(_features([request]))


def to_features(requests: Iterable[ServiceRequest]) -> Iterator[dict[str, Any]]:
    """``to_feature`` over many requests, lazily, a batch at a time (the twin of ``to_feature``)."""
    for batch in batched(requests, WRITE_BATCH):
        yield from _features(batch)


def write_geojson(requests: Iterable[ServiceRequest], stream: IO[bytes]) -> int:
    """Write requests to ``stream`` as a FeatureCollection, one feature a line; returns the count.

    Memory stays constant: features are written as they come. ``stream`` is
    a binary file and stays open.

    Raises:
        ValidationError: never for a model's values (they are JSON-safe);
            ``ValueError`` for a NaN coordinate that bypassed the model.
    """
    texts = (json.dumps(feature, ensure_ascii=False, allow_nan=False) for feature in to_features(requests))
    return write_json_array(stream, texts, opening='{"type":"FeatureCollection","features":[', closing="]}")


def to_geojson(requests: Iterable[ServiceRequest]) -> bytes:
    """The FeatureCollection of ``requests`` as UTF-8 bytes (``write_geojson`` into memory)."""
    buffer = io.BytesIO()
    write_geojson(requests, buffer)
    return buffer.getvalue()


def from_geojson(data: bytes | str, *, strict: bool = False) -> list[ServiceRequest]:
    """Read back a FeatureCollection of requests (as ``write_geojson`` writes it).

    The whole document is read at once (GeoJSON keeps its features inside an
    object, which cannot be streamed in general). ``lat``/``long`` come from
    a ``Point`` geometry when the properties lack them; the properties go
    through the same rules as GeoReport JSON.

    Raises:
        ParseError: not JSON, or not a FeatureCollection of Features
            (``InvalidDocumentError`` in strict mode for what the standard forbids).
    """
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        msg = f"not valid JSON: {error}"
        raise ParseError(msg, format="geojson") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        msg = "not a GeoJSON FeatureCollection"
        raise ParseError(msg, format="geojson", path="$.type")
    features = document.get("features")
    if not isinstance(features, list):
        msg = "a FeatureCollection without a features list"
        raise ParseError(msg, format="geojson", path="$.features")
    repairs = Repairs(strict=strict, format="geojson")
    builder = RecordBuilder(repairs, textual=False, default_timezone=None)
    requests = []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties", {}), dict | None):
            msg = "not a GeoJSON Feature with properties"
            raise ParseError(msg, format="geojson", path=f"$.features[{index}]")
        properties = dict(feature.get("properties") or {})
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) >= 2:  # noqa: PLR2004 - [long, lat]
                properties.setdefault("long", coordinates[0])
                properties.setdefault("lat", coordinates[1])
        if feature.get("id") is not None:
            properties.setdefault("service_request_id", feature["id"])
        requests.append(builder.service_request(properties, index))
    repairs.finish(stacklevel=2)
    return requests
