"""Routers the routing tests share: real Colorado and DC boundaries, and the shipped demo scenario."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from georeport.routing import Jurisdiction, Prefer, Router, demo_router

DATA = Path(__file__).parents[1] / "data"
BOUNDARIES = DATA / "corpus" / "boundaries"

CONTACT_CENTRE = Jurisdiction("usa-contact-centre", "Federal contact centre", "federal")
BENEFITS = Jurisdiction("benefits", "Federal Benefits Agency", "federal", services=["BEN-900"])
PARK_RULE = Prefer(services=["PK-101"], level="federal", name="federal land: park services")


def features(name: str) -> list[dict[str, Any]]:
    """The features of a boundary file in ``tests/data/corpus/boundaries``."""
    features: list[dict[str, Any]] = json.loads((BOUNDARIES / f"{name}.geojson").read_text(encoding="utf-8"))[
        "features"
    ]
    return features


def polygonal(value: object) -> Polygon | MultiPolygon:
    """``value``, checked to be a polygon or multipolygon (for the type checker)."""
    assert isinstance(value, Polygon | MultiPolygon)
    return value


def geometry(name: str, key: str, value: str) -> Any:
    """The geometry of the one feature whose property ``key`` is ``value``."""
    (found,) = [f for f in features(name) if f["properties"].get(key) == value]
    return shape(found["geometry"])


COUNTIES = "census2010_20m_counties_larimer_grand_boulder_denver_co"
PLACES = "census_places_estes_park_boulder_denver_co"


def colorado_jurisdictions() -> list[Jurisdiction]:
    """Colorado: the state, three counties, Estes Park, Boulder, Denver (a consolidated city-county) and RMNP.

    Denver is one government: one municipal jurisdiction that also handles the
    county's services, on the detailed Census place polygon (which is invalid
    as published, so repaired with ``shapely.make_valid``).
    """
    park = polygonal(shape(features("nps_rocky_mountain_national_park")[0]["geometry"]))
    return [
        Jurisdiction(
            "colorado",
            "State of Colorado",
            "state",
            boundary=geometry("census2010_20m_state_colorado", "NAME", "Colorado"),
            services=["ST-214"],
        ),
        Jurisdiction(
            "larimer",
            "Larimer County",
            "county",
            boundary=geometry(COUNTIES, "NAME", "Larimer"),
            services=["ST-214", "PK-101"],
        ),
        Jurisdiction(
            "boulder-county",
            "Boulder County",
            "county",
            boundary=geometry(COUNTIES, "NAME", "Boulder"),
            services=["ST-214", "PK-101"],
        ),
        Jurisdiction(
            "grand",
            "Grand County",
            "county",
            boundary=geometry(COUNTIES, "NAME", "Grand"),
            services=["ST-214", "PK-101"],
        ),
        Jurisdiction(
            "estes-park",
            "Town of Estes Park",
            "municipal",
            boundary=geometry(PLACES, "name", "Estes Park, CO"),
            services=["ST-214", "PK-101", "WA-330"],
        ),
        Jurisdiction(
            "boulder",
            "City of Boulder",
            "municipal",
            boundary=geometry(PLACES, "name", "Boulder, CO"),
            services=["ST-214", "PK-101", "WA-330"],
        ),
        Jurisdiction(
            "denver",
            "City and County of Denver",
            "municipal",
            boundary=polygonal(shapely.make_valid(geometry(PLACES, "name", "Denver, CO"))),
            services=["ST-214", "PK-101", "WA-330"],
        ),
        Jurisdiction("rmnp", "Rocky Mountain National Park", "federal", boundary=park, services=["PK-101", "ST-214"]),
        BENEFITS,
    ]


@pytest.fixture(scope="session")
def colorado() -> Router:
    return Router(colorado_jurisdictions(), rules=[PARK_RULE], fallback=CONTACT_CENTRE)


def dc_jurisdictions() -> list[Jurisdiction]:
    """DC (Census state-equivalent and county-equivalent), the authored city and its federal enclaves."""
    authored = json.loads(
        (DATA / "authored" / "boundary_city_with_federal_enclaves.geojson").read_text(encoding="utf-8")
    )
    city, creek, *mall = (polygonal(shape(f["geometry"])) for f in authored["features"])
    return [
        Jurisdiction(
            "dc-state",
            "District of Columbia (state-equivalent)",
            "state",
            boundary=geometry("census2010_20m_state_district_of_columbia", "NAME", "District of Columbia"),
            services=["ST-214"],
        ),
        Jurisdiction(
            "dc-county",
            "District of Columbia (county-equivalent)",
            "county",
            boundary=geometry("census2010_20m_county_district_of_columbia", "NAME", "District of Columbia"),
            services=["WA-330"],
        ),
        Jurisdiction("harborview", "Harborview", "municipal", boundary=city, services=["PK-101", "ST-214"]),
        Jurisdiction("nps-hacr", "Harbor Creek Park", "federal", boundary=creek, services=["PK-101"]),
        Jurisdiction(
            "nps-nama",
            "National Mall and Memorial Parks",
            "federal",
            boundary=polygonal(shapely.union_all(mall)),
            services=["PK-101"],
        ),
    ]


@pytest.fixture(scope="session")
def dc() -> Router:
    return Router(dc_jurisdictions(), rules=[PARK_RULE], fallback=CONTACT_CENTRE)


@pytest.fixture(scope="session")
def demo() -> Router:
    return demo_router()
