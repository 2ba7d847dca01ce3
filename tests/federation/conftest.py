"""Two loopback upstreams, a real router over shapely boxes, a registry and a crosswalk, and the front door over them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shapely.geometry import box

from georeport.client import RetryPolicy, UrllibTransport
from georeport.federation import Crosswalk, FrontDoor, IdCodec, Registry
from georeport.routing import Jurisdiction, Router
from tests.client.loopback import Loopback, serving

CROSSWALK = """
[services.pothole]
name = "Pothole or road damage"
group = "Streets"

[services.graffiti]
name = "Graffiti"

[codes.town]
"PK-101" = "pothole"
"GR-1" = "graffiti"

[codes.fhwa]
"RD-7" = "pothole"
"""


@pytest.fixture
def town() -> Iterator[Loopback]:
    with serving() as server:
        yield server


@pytest.fixture
def fhwa() -> Iterator[Loopback]:
    with serving() as server:
        yield server


@pytest.fixture
def router() -> Router:
    """The town inside the highway agency's area; a contact centre no upstream serves takes the rest."""
    town = Jurisdiction("town", "Smallville", "municipal", boundary=box(0, 0, 1, 1), services="pothole,graffiti")
    fhwa = Jurisdiction("fhwa", "Highway agency", "federal", boundary=box(-1, -1, 2, 2), services="pothole")
    centre = Jurisdiction("usa-contact-centre", "Contact centre", "federal")
    return Router([town, fhwa], fallback=centre)


@pytest.fixture
def registry(town: Loopback, fhwa: Loopback) -> Registry:
    return Registry.loads(
        f"""
        [[upstreams]]
        id = "town"
        base_url = "{town.url}/open311/v2"
        api_key = "town-key"
        timeout = 2.0
        dialect = {{ format = "xml" }}

        [[upstreams]]
        id = "fhwa"
        name = "Federal Highway Administration"
        base_url = "{fhwa.url}/georeport/v2/"
        jurisdictions = ["fhwa"]
        jurisdiction_id = "fhwa.gov"
        requests_limit = 50
        timeout = 0.5
        """
    )


@pytest.fixture
def door(registry: Registry, router: Router) -> Iterator[FrontDoor]:
    transport = UrllibTransport(retry=RetryPolicy(attempts=1), proxies={})
    with FrontDoor(
        registry, Crosswalk.loads(CROSSWALK), router, codec=IdCodec(b"test-secret"), transport=transport
    ) as door:
        yield door
