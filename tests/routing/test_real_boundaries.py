"""Decisions over real public boundaries: Estes Park beside Rocky Mountain National Park, Boulder, Denver, DC."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from georeport.routing import BoundaryError, CandidateStatus, DecisionCode, Jurisdiction, Router
from tests.routing.conftest import CONTACT_CENTRE, PARK_RULE, PLACES, colorado_jurisdictions, geometry

ESTES_PARK_DOWNTOWN = (40.3772, -105.5217)
BEAR_LAKE = (40.3131, -105.6456)  # in the park, Larimer County
KAWUNEECHE_VALLEY = (40.35, -105.85)  # in the park, Grand County
BOULDER_DOWNTOWN = (40.0150, -105.2705)
DENVER_CIVIC_CENTER = (39.7392, -104.9903)
COLORADO_SPRINGS = (38.8339, -104.8214)  # in Colorado, in none of the counties loaded
KANSAS = (38.5, -98.0)


def chosen(router: Router, point: tuple[float, float], service: str) -> tuple[str, DecisionCode]:
    decision = router.route(*point, service)
    return decision.jurisdiction.id, decision.code


@pytest.mark.parametrize(
    ("point", "service", "expected"),
    [
        (ESTES_PARK_DOWNTOWN, "ST-214", ("estes-park", DecisionCode.LOCAL)),
        (ESTES_PARK_DOWNTOWN, "PK-101", ("estes-park", DecisionCode.LOCAL)),
        (BEAR_LAKE, "PK-101", ("rmnp", DecisionCode.RULE)),
        (BEAR_LAKE, "ST-214", ("larimer", DecisionCode.LOCAL)),
        (KAWUNEECHE_VALLEY, "PK-101", ("rmnp", DecisionCode.RULE)),
        (KAWUNEECHE_VALLEY, "ST-214", ("grand", DecisionCode.LOCAL)),
        (BOULDER_DOWNTOWN, "WA-330", ("boulder", DecisionCode.LOCAL)),
        (DENVER_CIVIC_CENTER, "PK-101", ("denver", DecisionCode.LOCAL)),
        (COLORADO_SPRINGS, "ST-214", ("colorado", DecisionCode.LOCAL)),
        (COLORADO_SPRINGS, "PK-101", ("usa-contact-centre", DecisionCode.FALLBACK)),
        (KANSAS, "ST-214", ("usa-contact-centre", DecisionCode.FALLBACK)),
        (KANSAS, "BEN-900", ("benefits", DecisionCode.SERVICE)),
        (BEAR_LAKE, "WA-330", ("usa-contact-centre", DecisionCode.FALLBACK)),
    ],
)
def test_colorado_decisions(
    colorado: Router, point: tuple[float, float], service: str, expected: tuple[str, DecisionCode]
) -> None:
    assert chosen(colorado, point, service) == expected


def test_estes_park_is_inside_larimer_county_in_colorado_beside_the_park(colorado: Router) -> None:
    decision = colorado.route(*ESTES_PARK_DOWNTOWN, "ST-214")
    covering = {colorado.jurisdictions[i].id for i in decision.covering}
    assert covering == {"colorado", "larimer", "estes-park"}
    statuses = {c.jurisdiction.id: c.status for c in decision.candidates}
    assert statuses["larimer"] is CandidateStatus.OUTRANKED
    assert statuses["colorado"] is CandidateStatus.OUTRANKED
    assert "benefits" not in statuses  # it does not handle ST-214
    assert decision.candidates[0].jurisdiction.id == "estes-park"
    assert "rmnp" not in covering


def test_where_the_town_overlaps_the_park_the_park_takes_park_services_and_the_town_the_streets(
    colorado: Router,
) -> None:
    town = colorado.jurisdictions[colorado.index_of("estes-park")].boundary
    park = colorado.jurisdictions[colorado.index_of("rmnp")].boundary
    assert town is not None
    assert park is not None
    shared = town.intersection(park)
    assert shared.area > 0  # the published boundaries overlap: Estes Park reaches into the park
    inside = shapely.get_coordinates(shared.representative_point())[0]
    lat, long = float(inside[1]), float(inside[0])
    park_decision = colorado.route(lat, long, "PK-101")
    assert (park_decision.jurisdiction.id, park_decision.code) == ("rmnp", DecisionCode.RULE)
    assert park_decision.rule is PARK_RULE
    assert "Town of Estes Park" in park_decision.explanation
    assert park_decision.explanation.startswith("Rocky Mountain National Park (federal) takes 'PK-101' here by rule")
    assert chosen(colorado, (lat, long), "ST-214") == ("estes-park", DecisionCode.LOCAL)


def test_a_point_on_the_larimer_boulder_county_line_goes_to_the_county_declared_first() -> None:
    larimer = geometry("census2010_20m_counties_larimer_grand_boulder_denver_co", "NAME", "Larimer")
    boulder = geometry("census2010_20m_counties_larimer_grand_boulder_denver_co", "NAME", "Boulder")
    line = larimer.boundary.intersection(boulder.boundary)
    assert line.length > 0
    # a vertex both published polygons share: exactly on both borders, outside any town
    shared = sorted(
        set(map(tuple, shapely.get_coordinates(larimer))) & set(map(tuple, shapely.get_coordinates(boulder)))
    )
    long, lat = shared[len(shared) // 2]
    members = colorado_jurisdictions()
    forward = Router(members, fallback=CONTACT_CENTRE)
    decision = forward.route(lat, long, "ST-214")
    assert (decision.jurisdiction.id, decision.code) == ("larimer", DecisionCode.BORDER)
    assert "shared border of Larimer County and Boulder County" in decision.explanation
    swapped = [members[2], members[1], *members[:1], *members[3:]]
    assert chosen(Router(swapped, fallback=CONTACT_CENTRE), (lat, long), "ST-214") == (
        "boulder-county",
        DecisionCode.BORDER,
    )


def test_denver_place_polygon_is_invalid_as_published_and_refused_with_the_reason() -> None:
    raw = geometry(PLACES, "name", "Denver, CO")
    with pytest.raises(BoundaryError, match=r"jurisdiction 'denver': boundary must be a valid polygon \(GEOS says: "):
        Jurisdiction("denver", "Denver", "municipal", boundary=raw)


def test_consolidated_city_county_takes_county_services_everywhere_in_it(colorado: Router) -> None:
    county = geometry("census2010_20m_counties_larimer_grand_boulder_denver_co", "NAME", "Denver")
    city = colorado.jurisdictions[colorado.index_of("denver")].boundary
    assert city is not None
    point = shapely.Point(DENVER_CIVIC_CENTER[1], DENVER_CIVIC_CENTER[0])
    assert county.contains(point)
    assert city.contains(point)
    # mixed resolutions: parts of the detailed city lie outside the generalised county line, and
    # modelling the consolidated government as one jurisdiction routes them to Denver all the same
    beyond = city.difference(county).representative_point()
    assert not county.covers(beyond)
    for service in ("ST-214", "PK-101"):
        assert chosen(colorado, (beyond.y, beyond.x), service) == ("denver", DecisionCode.LOCAL)
    for service in ("ST-214", "PK-101", "WA-330"):
        assert chosen(colorado, DENVER_CIVIC_CENTER, service) == ("denver", DecisionCode.LOCAL)


def test_real_routes_many_agree_with_route(colorado: Router) -> None:
    rng = np.random.default_rng(5)
    lats = rng.uniform(39.5, 41.0, 2000)
    longs = rng.uniform(-106.7, -104.5, 2000)
    services = rng.choice(np.array(["ST-214", "PK-101", "WA-330", "BEN-900"], dtype=object), 2000)
    indices, codes = colorado.route_many(lats, longs, services)
    for i in range(2000):
        decision = colorado.route(lats[i], longs[i], services[i])
        assert (decision.index, decision.code) == (indices[i], codes[i])
    assert set(np.unique(codes)) == {1, 2, 3, 5}


@pytest.mark.parametrize(
    ("point", "service", "expected"),
    [
        ((38.925, -77.04), "PK-101", ("nps-hacr", DecisionCode.RULE)),  # inside Harbor Creek Park
        ((38.925, -77.04), "ST-214", ("harborview", DecisionCode.LOCAL)),
        ((38.915, -77.04), "PK-101", ("nps-hacr", DecisionCode.RULE)),  # on the park's southern edge
        ((38.9145, -77.04), "PK-101", ("harborview", DecisionCode.LOCAL)),  # just outside it
        ((38.890, -77.011), "PK-101", ("nps-nama", DecisionCode.RULE)),  # a Mall reservation
        ((38.925, -77.04), "WA-330", ("dc-county", DecisionCode.LOCAL)),
        ((38.96, -77.02), "ST-214", ("dc-state", DecisionCode.LOCAL)),  # DC, outside the city
        ((38.96, -77.02), "PK-101", ("usa-contact-centre", DecisionCode.FALLBACK)),
    ],
)
def test_dc_with_federal_enclaves(
    dc: Router, point: tuple[float, float], service: str, expected: tuple[str, DecisionCode]
) -> None:
    assert chosen(dc, point, service) == expected
