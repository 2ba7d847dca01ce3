"""Per-endpoint dialects as data: what one server needs that the standard does not say.

Real endpoints differ in ways a client must know before it sends anything:
the format they answer well in, the spelling of query dates, the most
requests one answer holds, whether ``page`` works, a jurisdiction_id they
insist on, an api_key they want on every GET, headers they choke without.
open311status's ``cities.yml`` and r311's ``endpoints.json`` record exactly
these; ``EndpointDialect.from_mapping`` reads either spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from georeport.errors import ValidationError
from georeport.wire.params import DEFAULT_LIMIT, STANDARD, Dialect

__all__ = ["EndpointDialect"]

Format = Literal["xml", "json"]


def _positive_or_none(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError(attribute.name, value, "a whole number of at least 1, or None")


def _headers(value: Mapping[str, str] | tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    pairs = tuple((str(name), str(text)) for name, text in items)
    for name, _ in pairs:
        if not name or any(c in name for c in ":\r\n ") or not name.isascii():
            raise ValidationError("headers", name, "HTTP header names (ASCII, no ':' or spaces)")
    return pairs


def _check_format(_instance: object, _attribute: object, value: object) -> None:
    if value not in ("xml", "json"):
        raise ValidationError("format", value, "'xml' or 'json'")


@attrs.frozen(kw_only=True)
class EndpointDialect:
    """How to talk to one endpoint: its format, limits, spellings and required parameters.

    Examples:
        >>> chicago = EndpointDialect.from_mapping({"requests_limit": 50, "requests_omit_timezone": True})
        >>> chicago.requests_limit, chicago.params.query_zone
        (50, False)
        >>> EndpointDialect(format="yaml")
        Traceback (most recent call last):
        ...
        georeport.errors.ValidationError: 'format' must be 'xml' or 'json' (got 'yaml')
    """

    format: Format = attrs.field(default="json", validator=_check_format)
    """The format to ask for: ``json``, or ``xml`` for servers whose JSON is broken or missing (all must speak XML)."""
    params: Dialect = attrs.field(default=STANDARD, validator=attrs.validators.instance_of(Dialect))
    """Query and form spellings: dates without a zone, repeated ``attribute[c]``, ``request/{id}``, api_key on GET."""
    requests_limit: int = attrs.field(default=DEFAULT_LIMIT, validator=_positive_or_none)
    """The most requests one ``GET requests`` answer holds (the standard's 1,000; Chicago and Boston 50)."""
    paginates: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    """Whether ``page``/``page_size`` work; a harvest pages through a full one-second window only then."""
    jurisdiction_id: str | None = attrs.field(default=None)
    """Sent on every call when set: servers hosting several jurisdictions require it."""
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_headers)
    """Extra headers on every call (``Accept-Encoding: identity`` for Alexandria's broken deflate)."""

    @jurisdiction_id.validator
    def _check_jurisdiction(self, _attribute: object, value: object) -> None:
        if value is not None and (not isinstance(value, str) or not value):
            raise ValidationError("jurisdiction_id", value, "a non-empty string or None")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> EndpointDialect:
        """Read a dialect from a declaration, in georeport's names or open311status's and r311's.

        georeport's names are the fields (``format``, ``requests_limit``,
        ``paginates``, ``jurisdiction_id``, ``headers``) and the wire
        spellings ``query_zone``, ``timezone`` (an IANA name),
        ``multivalue_brackets``, ``singular_request_path``, ``api_key_on_get``.
        Also read: ``requests_omit_timezone`` (open311status: no zone in
        query dates), ``jurisdiction``, ``limit``, ``pagination`` and
        ``json: false`` (r311: XML only), ``key: true`` is *not* read here
        (it says a key is needed, which the registry holds). Unknown keys
        are ignored, so a whole registry entry may be passed.

        Raises:
            ValidationError: a value of the wrong type, or an unknown time zone.
        """
        fmt = data.get("format")
        if fmt is None and data.get("json") is False:
            fmt = "xml"
        wire: dict[str, Any] = {}
        if data.get("requests_omit_timezone"):
            wire["query_zone"] = False
        for name in ("query_zone", "multivalue_brackets", "singular_request_path", "api_key_on_get"):
            if name in data:
                if not isinstance(data[name], bool):
                    raise ValidationError(name, data[name], "true or false")
                wire[name] = data[name]
        if "timezone" in data:
            try:
                wire["timezone"] = ZoneInfo(str(data["timezone"]))
            except (ZoneInfoNotFoundError, ValueError):
                raise ValidationError("timezone", data["timezone"], "an IANA time zone name") from None
        limit = data.get("requests_limit", data.get("limit", DEFAULT_LIMIT))
        paginates = data.get("paginates", data.get("pagination", False))
        if not isinstance(paginates, bool):
            raise ValidationError("paginates", paginates, "true or false")
        headers = data.get("headers", {})
        if not isinstance(headers, Mapping):
            raise ValidationError("headers", headers, "a mapping of header names to values")
        return cls(
            format=fmt or "json",
            params=Dialect(**wire),
            requests_limit=limit,
            paginates=paginates,
            jurisdiction_id=data.get("jurisdiction_id", data.get("jurisdiction")) or None,
            headers={_header_name(name): value for name, value in headers.items()},
        )


def _header_name(name: str) -> str:
    """``accept_encoding`` (Ruby's spelling in cities.yml) -> ``Accept-Encoding``."""
    return "-".join(part.capitalize() for part in str(name).replace("_", "-").split("-"))
