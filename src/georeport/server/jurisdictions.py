"""What the reference server knows of each jurisdiction it serves: services, workflow, zone, SLA.

A ``Jurisdiction`` is a plain value; ``to_dict``/``from_dict`` give the JSON the
store keeps in its ``jurisdictions`` table, so a database carries everything it
needs to answer after a restart. ``demo_jurisdictions()`` builds the ones the
server seeds a new database with, from the samples shipped in the package.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from shapely.geometry import mapping

import georeport
from georeport.catalog import Catalog
from georeport.errors import DialectWarning, ValidationError
from georeport.lifecycle import Workflow, default_workflow
from georeport.models import Datatype, Service, ServiceAttribute, ServiceDefinition, ServiceList
from georeport.routing import from_geojson

__all__ = ["DEMO_SLA", "DEMO_TIMEZONE", "Jurisdiction", "demo_jurisdictions", "sample_catalog"]

DEMO_TIMEZONE = "America/Los_Angeles"
"""The zone of the demo jurisdictions (the synthetic scenario lies in the Pacific Northwest)."""

DEMO_SLA: Mapping[str, Any] = {
    "calendars": {
        "office": {
            "zone": "America/Los_Angeles",
            "hours": {"weekdays": "08:00-17:00"},
            "holidays": ["2026-01-01", "2026-05-25", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"],
        },
        "always": {"zone": "America/Los_Angeles", "hours": {"everyday": "00:00-24:00"}},
    },
    "default": {"calendar": "office", "response": {"business_hours": 8}, "resolution": {"business_days": 10}},
    "policies": [
        {
            "service_code": "PK-101",
            "calendar": "office",
            "response": {"business_hours": 4},
            "resolution": {"business_days": 5},
        },
        {"service_code": "WA-330", "calendar": "always", "response": {"hours": 2}, "resolution": {"hours": 24}},
    ],
}
"""The demo jurisdictions' service levels: office hours in Pacific time, a hydrant leak round the clock."""


def _zone(_instance: object, _attribute: object, value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("timezone", value, "an IANA time zone name such as 'America/Chicago'") from None


@attrs.frozen
class Jurisdiction:
    """One jurisdiction the server answers for.

    Args:
        jurisdiction_id: its ``jurisdiction_id`` (a domain name by convention).
        name: a name people read.
        catalog: its services and their definitions.
        workflow: the lifecycle its requests follow.
        timezone: the IANA zone its times are published in.
        agency_responsible: written on each request it receives, when given.
        sla: the SLA policy declaration (``georeport.sla``), as plain values; None for none.
        boundary: its area as a GeoJSON geometry, when known (routing uses it).
    """

    jurisdiction_id: str
    name: str
    catalog: Catalog
    workflow: Workflow = attrs.field(factory=default_workflow, kw_only=True)
    timezone: str = attrs.field(default="UTC", kw_only=True, validator=_zone)
    agency_responsible: str | None = attrs.field(default=None, kw_only=True)
    sla: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True, eq=False)
    boundary: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True, eq=False)

    def __attrs_post_init__(self) -> None:
        for service in self.catalog:
            if service.metadata and self.catalog.definition(service.service_code) is None:
                raise ValidationError(
                    "catalog",
                    service.service_code,
                    "a definition for every service whose metadata is true (GET services/{code} must answer)",
                )

    @property
    def zone(self) -> ZoneInfo:
        """``timezone`` as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, what ``from_dict`` reads back."""
        return {
            "jurisdiction_id": self.jurisdiction_id,
            "name": self.name,
            "timezone": self.timezone,
            "agency_responsible": self.agency_responsible,
            "services": json.loads(georeport.dump(self.catalog.service_list(), "json")),
            "definitions": [json.loads(georeport.dump(found, "json")) for found in self.catalog.definitions.values()],
            "workflow": self.workflow.to_dict(),
            "sla": dict(self.sla) if self.sla is not None else None,
            "boundary": dict(self.boundary) if self.boundary is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Jurisdiction:
        """The jurisdiction ``to_dict`` described.

        Raises:
            georeport.ParseError: a catalog document cannot be read.
            georeport.ValidationError: a value is wrong (an unknown zone...).
            georeport.WorkflowError: the workflow declaration is wrong.
        """
        services = georeport.load(json.dumps(data["services"]), format="json", kind="services")
        definitions = [
            georeport.load(json.dumps(found), format="json", kind="service_definition")
            for found in data.get("definitions", ())
        ]
        catalog = Catalog(services, definitions, jurisdiction_id=data["jurisdiction_id"])
        return cls(
            data["jurisdiction_id"],
            data["name"],
            catalog,
            workflow=Workflow.from_dict(data["workflow"]) if data.get("workflow") else default_workflow(),
            timezone=data.get("timezone") or "UTC",
            agency_responsible=data.get("agency_responsible"),
            sla=data.get("sla"),
            boundary=data.get("boundary"),
        )


def sample_catalog() -> tuple[ServiceList, list[ServiceDefinition]]:
    """The sample service list and definitions shipped in ``georeport/samples``."""
    samples = resources.files("georeport") / "samples"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DialectWarning)  # the sample definition writes keys as JSON numbers
        services = georeport.load((samples / "services.xml").read_bytes(), kind="services")
        definition = georeport.load((samples / "service_definition.json").read_bytes(), kind="service_definition")
    # The hydrant service says it has a definition; the samples have none: an informational one.
    hydrant = ServiceDefinition(
        "WA-330",
        [
            ServiceAttribute(
                "SAFETY",
                Datatype.STRING,
                variable=False,
                order=1,
                description="If water is flooding the road, call 911 instead.",
            )
        ],
    )
    return services, [definition, hydrant]


def demo_jurisdictions(names: Sequence[str] | None = None) -> list[Jurisdiction]:
    """The jurisdictions a new database is seeded with: the routing demo's, with the sample catalog.

    Each jurisdiction of ``georeport/samples/jurisdictions.geojson`` (the
    synthetic Elk Falls scenario of ``georeport.routing.demo_router``) keeps
    its id, name and boundary, and offers the sample services it lists; a
    code the samples do not define becomes a plain service named after both, and
    the fallback (which lists none) offers them all. Times are Pacific; the
    service levels are ``DEMO_SLA``.

    Args:
        names: keep only these ids, in this order.

    Raises:
        georeport.ValidationError: a name is not one of the demo jurisdictions.

    Examples:
        >>> [jurisdiction.jurisdiction_id for jurisdiction in demo_jurisdictions()][:3]
        ['westland', 'aspen-county', 'cedar-county']
        >>> [service.service_code for service in demo_jurisdictions(["elk-falls"])[0].catalog]
        ['PK-101', 'ST-214', 'WA-330']
    """
    services, definitions = sample_catalog()
    geojson = (resources.files("georeport") / "samples" / "jurisdictions.geojson").read_bytes()
    found: list[Jurisdiction] = []
    for place in from_geojson(geojson):
        offered = [service for service in services if not place.services or service.service_code in place.services]
        known = {service.service_code for service in offered}
        offered += [Service(code, f"{place.name}: {code}", metadata=False) for code in sorted(place.services - known)]
        codes = {service.service_code for service in offered}
        catalog = Catalog(
            offered,
            [definition for definition in definitions if definition.service_code in codes],
            jurisdiction_id=place.id,
        )
        boundary = None if place.boundary is None else dict(mapping(place.boundary))
        found.append(
            Jurisdiction(
                place.id,
                place.name,
                catalog,
                timezone=DEMO_TIMEZONE,
                agency_responsible=place.name,
                boundary=boundary,
                sla=DEMO_SLA,
            )
        )
    if names is None:
        return found
    by_id = {jurisdiction.jurisdiction_id: jurisdiction for jurisdiction in found}
    unknown = [name for name in names if name not in by_id]
    if unknown:
        raise ValidationError("jurisdiction", unknown[0], f"one of {', '.join(map(repr, by_id))}")
    return [by_id[name] for name in names]
