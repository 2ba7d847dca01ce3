"""Catalogs the catalog tests share: the project's authored example, a real city's, one with every datatype."""

from __future__ import annotations

from pathlib import Path

import pytest

import georeport
from georeport import AttributeValue, Datatype, Service, ServiceAttribute, ServiceDefinition, ServiceType
from georeport.catalog import Catalog
from georeport.wire.params import BoundingBox

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="session")
def harborview() -> Catalog:
    """``spec_services.xml`` (PK-101, ST-214, WA-330) with PK-101's definition; WA-330's is missing."""
    services = georeport.load(DATA / "authored" / "spec_services.xml", kind="services")
    definition = georeport.load(DATA / "authored" / "spec_service_definition.xml", kind="service_definition")
    return Catalog(services, [definition], jurisdiction_id="harborview.example")


@pytest.fixture(scope="session")
def washington() -> Catalog:
    """Washington DC's 86 services (node-open311 fixture) with the pothole definition S0301."""
    services = georeport.load(DATA / "corpus" / "node-open311" / "dc_services.xml", kind="services")
    pothole = georeport.load(
        DATA / "corpus" / "node-open311" / "dc_service_definition_S0301.xml", kind="service_definition"
    )
    return Catalog(services, {"S0301": pothole})


EVERY_DATATYPE = ServiceDefinition(
    "ALL",
    [
        ServiceAttribute("NAME", Datatype.STRING, required=True, order=1, description="Whose is it?"),
        ServiceAttribute("COUNT", Datatype.NUMBER, order=2),
        ServiceAttribute("WHEN", Datatype.DATETIME, order=3),
        ServiceAttribute("NOTES", Datatype.TEXT, order=4),
        ServiceAttribute(
            "KIND",
            Datatype.SINGLEVALUELIST,
            required=True,
            order=5,
            values=[AttributeValue("1", "Car"), AttributeValue("2", "Bike")],
        ),
        ServiceAttribute(
            "HAZ", Datatype.MULTIVALUELIST, order=6, values=[AttributeValue("A", "Sharp"), AttributeValue("B", "Loose")]
        ),
        ServiceAttribute("ANY", Datatype.SINGLEVALUELIST, order=7),
        ServiceAttribute(
            "INFO", Datatype.TEXT, variable=False, required=True, order=0, description="Crews come within 3 days."
        ),
    ],
)
TURKU = BoundingBox(22.0, 60.3, 22.6, 60.6)


@pytest.fixture(scope="session")
def every_datatype() -> Catalog:
    """One service whose definition has an attribute of every datatype, in Turku (a box where lat and long can swap)."""
    service = Service("ALL", "Everything", metadata=True, type=ServiceType.REALTIME, group="test")
    return Catalog([service], [EVERY_DATATYPE], jurisdiction_id="turku.fi", bbox=TURKU)
