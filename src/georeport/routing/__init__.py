"""Jurisdiction routing: which government answers a report, by boundary, service and declared precedence.

``Jurisdiction`` (id, name, ``Level``, boundary, services, endpoint) is a
value; ``Router`` applies the rules in order (boundary, service, precedence
with ``Prefer`` rules, service alone, fallback) to one report with ``route``
(a ``Decision`` that says why) or to arrays of them with ``route_many``.
``from_geojson``/``to_geojson`` read and write sets of jurisdictions;
``router_from_geojson`` a whole routing set-up; ``demo_router`` the synthetic
scenario shipped in ``georeport/samples/jurisdictions.geojson``. Distances
are real metres (``corridor``, ``LocalProjection``). See ``docs/routing.md``.
"""

from __future__ import annotations

from importlib import resources

from georeport.routing._metric import LocalProjection, corridor
from georeport.routing.decisions import Candidate, CandidateStatus, Decision, DecisionCode
from georeport.routing.errors import (
    BoundaryError,
    InvalidPointError,
    NoJurisdictionError,
    OverlapError,
    RoutingConfigurationError,
    RoutingError,
    UnknownServiceError,
)
from georeport.routing.geojson import from_geojson, router_from_geojson, to_geojson
from georeport.routing.jurisdictions import Boundary, Jurisdiction, Level
from georeport.routing.router import RoutedMany, Router
from georeport.routing.rules import Prefer

__all__ = [
    "Boundary",
    "BoundaryError",
    "Candidate",
    "CandidateStatus",
    "Decision",
    "DecisionCode",
    "InvalidPointError",
    "Jurisdiction",
    "Level",
    "LocalProjection",
    "NoJurisdictionError",
    "OverlapError",
    "Prefer",
    "RoutedMany",
    "Router",
    "RoutingConfigurationError",
    "RoutingError",
    "UnknownServiceError",
    "corridor",
    "demo_router",
    "from_geojson",
    "router_from_geojson",
    "to_geojson",
]


def demo_router() -> Router:
    """The synthetic scenario shipped with georeport (``georeport/samples/jurisdictions.geojson``).

    A town inside a county inside a state, a national park touching the town,
    a federal highway's right of way, a benefits agency without a boundary and
    a federal contact centre as the fallback. Reads a file shipped inside the
    package (no user files).

    Examples:
        >>> router = demo_router()
        >>> router.fallback.id
        'usa-contact-centre'
    """
    data = (resources.files("georeport") / "samples" / "jurisdictions.geojson").read_bytes()
    return router_from_geojson(data)
