"""Service requests: the record servers publish, what clients POST, and the replies.

Field names are the standard's (``lat``, ``long``, ``requested_datetime``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import Any

import attrs

from georeport.errors import ValidationError
from georeport.models._fields import (
    JSONValue,
    aware_datetime,
    extensions_dict,
    json_like,
    latitude,
    longitude,
    optional_str,
    required_str,
    to_enum,
    to_float,
)

__all__ = [
    "RequestSubmission",
    "ServiceRequest",
    "Status",
    "SubmissionReceipt",
    "TokenReceipt",
]


class Status(StrEnum):
    """The two statuses GeoReport v2 knows. Finer states live in the lifecycle."""

    OPEN = "open"
    CLOSED = "closed"


_optional_str_field = partial(attrs.field, default=None, validator=optional_str)
_datetime_field = partial(attrs.field, default=None, validator=aware_datetime)


def _status(value: Status | str | None) -> Status | None:
    """Convert to ``Status``, naming the field on error."""
    return None if value is None else to_enum(Status, value, "status")


@attrs.frozen
class ServiceRequest:
    """One ``<request>`` of ``GET requests`` / ``GET requests/{id}``.

    Every field but ``extensions`` is optional, because real servers leave any
    of them out (Chicago lists requests still waiting for an id); strict
    parsing checks what the standard requires.

    Examples:
        >>> from datetime import datetime, timezone
        >>> r = ServiceRequest("638344", Status.OPEN, lat=37.76, long=-122.46,
        ...     requested_datetime=datetime(2010, 4, 14, 6, 37, tzinfo=timezone.utc))
        >>> r.__geo_interface__
        {'type': 'Point', 'coordinates': (-122.46, 37.76)}
        >>> ServiceRequest("1", requested_datetime=datetime(2010, 4, 14))
        Traceback (most recent call last):
        ...
        georeport.errors.ValidationError: 'requested_datetime' must be a timezone-aware datetime (it has no zone) (got datetime.datetime(2010, 4, 14, 0, 0))
    """

    service_request_id: str | None = _optional_str_field()
    status: Status | None = attrs.field(default=None, converter=_status)
    status_notes: str | None = _optional_str_field()
    service_name: str | None = _optional_str_field()
    service_code: str | None = _optional_str_field()
    description: str | None = _optional_str_field()
    agency_responsible: str | None = _optional_str_field()
    service_notice: str | None = _optional_str_field()
    requested_datetime: datetime | None = _datetime_field()
    updated_datetime: datetime | None = _datetime_field()
    """Last change. Not the close time: a note added later moves it."""
    expected_datetime: datetime | None = _datetime_field()
    address: str | None = _optional_str_field()
    address_id: str | None = _optional_str_field()
    zipcode: str | None = _optional_str_field()
    lat: float | None = attrs.field(default=None, converter=to_float, validator=latitude)
    long: float | None = attrs.field(default=None, converter=to_float, validator=longitude)
    media_url: str | None = _optional_str_field()
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )
    """What the standard does not name (Chicago's ``extended_attributes``, ``notes``...)."""

    @property
    def is_open(self) -> bool:
        """Whether the status is ``open`` (False when closed or unknown)."""
        return self.status is Status.OPEN

    @property
    def has_location(self) -> bool:
        """Whether both ``lat`` and ``long`` are known."""
        return self.lat is not None and self.long is not None

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """A GeoJSON Point (long, lat), so shapely and geopandas take the record as it is.

        Raises:
            AttributeError: the request has no coordinates.
        """
        if self.lat is None or self.long is None:
            msg = "this service request has no lat/long"
            raise AttributeError(msg)
        return {"type": "Point", "coordinates": (self.long, self.lat)}


def _both_or_neither(instance: RequestSubmission, _attribute: Any, _value: object) -> None:
    if (instance.lat is None) != (instance.long is None):
        raise ValidationError("lat", (instance.lat, instance.long), "given together with long")


def _attribute_answers(
    value: Mapping[str, str | tuple[str, ...] | list[str]] | None,
) -> dict[str, str | tuple[str, ...]]:
    if value is None:
        return {}
    return {code: answer if isinstance(answer, str) else tuple(answer) for code, answer in value.items()}


@attrs.frozen
class RequestSubmission:
    """What a client POSTs to ``/requests``: a new report.

    The location is ``lat`` and ``long`` together, or ``address_string``, or
    ``address_id`` (any combination); the catalog checks that one is there.
    ``attributes`` maps an attribute code to its answer: a string, or a tuple
    of keys for a ``multivaluelist``.
    """

    service_code: str = attrs.field(validator=required_str)
    lat: float | None = attrs.field(default=None, converter=to_float, validator=[latitude, _both_or_neither])
    long: float | None = attrs.field(default=None, converter=to_float, validator=longitude)
    address_string: str | None = _optional_str_field()
    address_id: str | None = _optional_str_field()
    attributes: dict[str, str | tuple[str, ...]] = attrs.field(
        factory=dict,
        converter=_attribute_answers,
        hash=False,
    )
    email: str | None = _optional_str_field()
    device_id: str | None = _optional_str_field()
    account_id: str | None = _optional_str_field()
    first_name: str | None = _optional_str_field()
    last_name: str | None = _optional_str_field()
    phone: str | None = _optional_str_field()
    description: str | None = _optional_str_field()
    media_url: str | None = _optional_str_field()
    jurisdiction_id: str | None = _optional_str_field()
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )


@attrs.frozen
class SubmissionReceipt:
    """The reply to a POST: an id (realtime), a token (batch) or neither (blackbox)."""

    service_request_id: str | None = _optional_str_field()
    token: str | None = _optional_str_field()
    service_notice: str | None = _optional_str_field()
    account_id: str | None = _optional_str_field()
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )


@attrs.frozen
class TokenReceipt:
    """The reply to ``GET tokens/{token}``: the id the token turned into, once known."""

    service_request_id: str | None = _optional_str_field()
    token: str | None = _optional_str_field()
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )
