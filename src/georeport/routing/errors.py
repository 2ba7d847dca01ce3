"""The errors routing raises; each is also the builtin a caller would naturally catch.

::

    GeoReportError
    ├── ValidationError (ValueError)
    │   ├── InvalidPointError            NaN, out of range or swapped lat/long
    │   ├── UnknownServiceError          a service code no jurisdiction declares
    │   └── BoundaryError                an empty, invalid or non-polygonal boundary
    ├── RoutingConfigurationError (ValueError)
    │   └── OverlapError                 same-level jurisdictions overlap with no rule to choose
    └── RoutingError (LookupError)       .point .service_code
        └── NoJurisdictionError          nothing handles the report and no fallback is declared

GeoJSON that cannot be read raises ``georeport.errors.ParseError`` with
``format="geojson"`` and the path of the bad member.
"""

from __future__ import annotations

from collections.abc import Sequence

from georeport.errors import GeoReportError, ValidationError

__all__ = [
    "BoundaryError",
    "InvalidPointError",
    "NoJurisdictionError",
    "OverlapError",
    "RoutingConfigurationError",
    "RoutingError",
    "UnknownServiceError",
]


class InvalidPointError(ValidationError):
    """A point cannot be routed: NaN or infinite, out of range, or lat and long swapped.

    Attributes:
        index: the position of the first bad point in ``route_many``'s arrays (None for ``route``).
        count: how many points of the batch are bad (1 for ``route``).
    """

    def __init__(self, field: str, value: object, expected: str, *, index: int | None = None, count: int = 1) -> None:
        super().__init__(field, value, expected)
        self.index = index
        self.count = count
        if index is not None:
            self.args = (f"{self.args[0]} at index {index} ({count} bad point(s) in all)",)


class UnknownServiceError(ValidationError):
    """A service code that no jurisdiction of the router (nor its fallback) declares.

    Attributes:
        index: the position of the first unknown code in ``route_many``'s array (None for ``route``).
        known: the service codes the router knows, sorted.
    """

    status_hint = 404

    def __init__(self, value: object, known: Sequence[str], *, index: int | None = None) -> None:
        shown = ", ".join(repr(code) for code in known[:12]) + (", ..." if len(known) > 12 else "")  # noqa: PLR2004
        super().__init__("service_code", value, f"one of the router's service codes ({shown})")
        self.index = index
        self.known = tuple(known)
        if index is not None:
            self.args = (f"{self.args[0]} at index {index}",)


class BoundaryError(ValidationError):
    """A jurisdiction's boundary is empty, invalid, not polygonal, or not in lon/lat degrees.

    Attributes:
        jurisdiction: the id of the jurisdiction.
        reason: what is wrong (GEOS's reason for invalid geometry).
    """

    def __init__(self, jurisdiction: str, value: object, reason: str) -> None:
        super().__init__("boundary", value, reason)
        self.jurisdiction = jurisdiction
        self.reason = reason
        self.args = (f"jurisdiction {jurisdiction!r}: boundary must be {reason}",)


class RoutingConfigurationError(GeoReportError, ValueError):
    """The jurisdictions and rules given to a ``Router`` do not make a routing: duplicate ids, unknown names."""


class OverlapError(RoutingConfigurationError):
    """Jurisdictions of the same level overlap and handle a common service, and no rule says which wins.

    Pass ``overlaps="first"`` to let the one declared first win, or add a rule.

    Attributes:
        pairs: ``(first id, second id, service code)`` for each ambiguity found.
    """

    def __init__(self, pairs: Sequence[tuple[str, str, str]]) -> None:
        self.pairs = tuple(pairs)
        shown = "; ".join(f"{a!r} and {b!r} for {s!r}" for a, b, s in self.pairs[:5])
        more = f" (and {len(self.pairs) - 5} more)" if len(self.pairs) > 5 else ""  # noqa: PLR2004
        super().__init__(
            f"{len(self.pairs)} same-level overlap(s) with no rule to choose: {shown}{more}; "
            "add a Prefer rule or pass overlaps='first'"
        )


class RoutingError(GeoReportError, LookupError):
    """A report could not be routed.

    Attributes:
        point: ``(lat, long)``, or None for a report without a location.
        service_code: the service asked for.
    """

    status_hint = 404

    def __init__(self, message: str, *, point: tuple[float, float] | None, service_code: str | None) -> None:
        super().__init__(message)
        self.point = point
        self.service_code = service_code


class NoJurisdictionError(RoutingError):
    """No jurisdiction handles the report and the router has no fallback."""
