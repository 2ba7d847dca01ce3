"""The router's steps, its typed errors, and its explanations, on the shipped demo scenario and small cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import box

from georeport.errors import GeoReportError, ValidationError
from georeport.routing import (
    CandidateStatus,
    DecisionCode,
    InvalidPointError,
    Jurisdiction,
    NoJurisdictionError,
    OverlapError,
    Prefer,
    Router,
    RoutingConfigurationError,
    RoutingError,
    UnknownServiceError,
)

TOWN = (45.0, -120.02)  # Elk Falls, outside the park and the water district
PARK = (45.0, -120.1)  # the national park, in Aspen County
BORDER_TOWN_PARK = (45.0, -120.05)  # on the border the town shares with the park
ROAD = (44.98, -120.0)  # on US 99 inside the town
COUNTY_LINE = (45.0, -119.8)  # on the Aspen / Cedar county line, outside any town
WATER = (45.0, -119.97)  # the town and its water district
NOWHERE = (50.0, -120.0)


@pytest.mark.parametrize(
    ("point", "service", "winner", "code"),
    [
        (TOWN, "ST-214", "elk-falls", DecisionCode.LOCAL),
        (TOWN, "PK-101", "elk-falls", DecisionCode.LOCAL),
        (PARK, "PK-101", "nps-elk-falls", DecisionCode.RULE),
        (PARK, "ST-214", "aspen-county", DecisionCode.LOCAL),
        (BORDER_TOWN_PARK, "PK-101", "nps-elk-falls", DecisionCode.RULE),
        (BORDER_TOWN_PARK, "ST-214", "elk-falls", DecisionCode.LOCAL),
        (ROAD, "ST-214", "fhwa-us-99", DecisionCode.RULE),
        (ROAD, "PK-101", "elk-falls", DecisionCode.LOCAL),
        (COUNTY_LINE, "ST-214", "aspen-county", DecisionCode.BORDER),
        (WATER, "WA-330", "elk-falls-water", DecisionCode.LOCAL),
        (TOWN, "WA-330", "elk-falls", DecisionCode.LOCAL),
        (TOWN, "BEN-900", "benefits", DecisionCode.SERVICE),
        (NOWHERE, "ST-214", "usa-contact-centre", DecisionCode.FALLBACK),
        (NOWHERE, "BEN-900", "benefits", DecisionCode.SERVICE),
    ],
)
def test_demo_decisions(
    demo: Router, point: tuple[float, float], service: str, winner: str, code: DecisionCode
) -> None:
    decision = demo.route(*point, service)
    assert (decision.jurisdiction.id, decision.code) == (winner, code)
    assert decision.is_fallback is (code is DecisionCode.FALLBACK)
    assert decision.index == demo.index_of(winner)
    indices, codes = demo.route_many([point[0]], [point[1]], [service])
    assert (indices[0], codes[0]) == (decision.index, decision.code)


def test_explanations_say_why_in_one_line(demo: Router) -> None:
    lines = {
        "rule": demo.route(*PARK, "PK-101").explanation,
        "local": demo.route(*TOWN, "ST-214").explanation,
        "border": demo.route(*COUNTY_LINE, "ST-214").explanation,
        "service": demo.route(*TOWN, "BEN-900").explanation,
        "fallback": demo.route(*NOWHERE, "ST-214").explanation,
        "road": demo.route(*ROAD, "ST-214").explanation,
    }
    assert lines["rule"] == (
        "Elk Falls National Park (federal) takes 'PK-101' here by rule 'federal land: park services', over Aspen County."
    )
    assert lines["local"] == (
        "Town of Elk Falls (municipal) takes 'ST-214' here: of the 3 jurisdictions covering the point, "
        "Town of Elk Falls is the most local that handles it."
    )
    assert lines["border"] == (
        "Aspen County (county) takes 'ST-214' here: the point is on the shared border of Aspen County and "
        "Cedar County (same rank); the one declared first, Aspen County, wins."
    )
    assert "handles the service wherever the report comes from" in lines["service"]
    assert lines["fallback"] == (
        "Federal contact centre (USA.gov) (federal) takes 'ST-214' here: the point is outside every boundary, "
        "and no agency without a boundary handles it, so the fallback takes it."
    )
    assert (
        "by rule 'federal road: road services', over Town of Elk Falls, Aspen County, State of Westland"
        in lines["road"]
    )
    assert all("\n" not in line for line in lines.values())


def test_candidates_say_which_were_kept_and_why(demo: Router) -> None:
    decision = demo.route(*BORDER_TOWN_PARK, "PK-101")
    rows = [(c.jurisdiction.id, c.status, c.reason) for c in decision.candidates]
    assert rows[0] == ("nps-elk-falls", CandidateStatus.CHOSEN, "rule 'federal land: park services'")
    statuses = {identifier: status for identifier, status, _ in rows}
    assert statuses["elk-falls"] is CandidateStatus.OUTRANKED
    assert statuses["aspen-county"] is CandidateStatus.OUTRANKED
    assert statuses["westland"] is CandidateStatus.NO_SERVICE
    reasons = {identifier: reason for identifier, _, reason in rows}
    assert reasons["elk-falls"] == "rule 'federal land: park services' puts Elk Falls National Park first"
    assert [c.kept for c in decision.candidates].count(True) == 3
    outside = demo.route(44.96, -119.945, "ST-214").candidates
    assert any(c.status is CandidateStatus.OUTSIDE for c in outside)  # the town's bounding box, not its boundary
    fallback = demo.route(*NOWHERE, "PK-101")
    assert [(c.jurisdiction.id, c.status) for c in fallback.candidates] == [
        ("usa-contact-centre", CandidateStatus.CHOSEN)
    ]


def test_a_fallback_explanation_names_a_likely_swap_of_lat_and_long(demo: Router) -> None:
    decision = demo.route(45.0, 45.0, "PK-101")  # nowhere: no hint
    assert decision.is_fallback
    assert "swapped" not in decision.explanation
    # a point whose swapped twin is in the town: both in range, so only the explanation can tell
    router = Router(
        [Jurisdiction("t", "Twin Town", "municipal", boundary=box(10.0, 40.0, 11.0, 41.0), services=["ST-214"])],
        fallback=Jurisdiction("c", "Contact centre", "federal"),
    )
    decision = router.route(10.5, 40.5, "ST-214")
    assert decision.is_fallback
    assert decision.explanation.endswith("Were lat and long swapped? (40.5, 10.5) would go to Twin Town.")
    assert router.route(40.5, 10.5, "ST-214").jurisdiction.id == "t"


def test_a_router_says_what_it_holds(demo: Router) -> None:
    assert repr(demo) == "Router(9 jurisdictions, 2 rule(s), 4 service(s), fallback='usa-contact-centre')"


def test_decisions_compare_by_what_was_decided(demo: Router) -> None:
    assert demo.route(*TOWN, "ST-214") == demo.route(*TOWN, "ST-214")
    assert demo.route(*TOWN, "ST-214") != demo.route(*TOWN, "PK-101")
    assert len({demo.route(*TOWN, "ST-214"), demo.route(*TOWN, "ST-214")}) == 1
    assert demo.route(*TOWN, "ST-214").rule is None
    assert demo.route(*NOWHERE, "ST-214").rule is None


def test_routing_by_service_alone_without_a_location(demo: Router) -> None:
    benefits = demo.route_service("BEN-900")
    assert (benefits.jurisdiction.id, benefits.code, benefits.lat) == ("benefits", DecisionCode.SERVICE, None)
    assert benefits.explanation.endswith("(no location given): it handles the service wherever the report comes from.")
    pothole = demo.route_service("ST-214")
    assert pothole.is_fallback
    assert "no agency handles it without a location" in pothole.explanation


@pytest.mark.parametrize(
    ("lat", "long", "message"),
    [
        (math.nan, -120.0, "finite numbers"),
        (45.0, math.inf, "finite numbers"),
        (-120.0, 45.0, r"'lat' must be between -90 and 90 degrees \(lat and long swapped\?\)"),
        (91.0, 200.0, "'lat' must be between -90 and 90 degrees"),
        (45.0, 180.5, "'long' must be between -180 and 180 degrees"),
        ("north", 1.0, "two numbers"),
        (None, 1.0, "two numbers"),
    ],
)
def test_bad_points_raise_invalid_point_error(demo: Router, lat: object, long: object, message: str) -> None:
    with pytest.raises(InvalidPointError, match=message) as raised:
        demo.route(lat, long, "ST-214")  # type: ignore[arg-type]
    assert isinstance(raised.value, ValidationError)
    assert raised.value.index is None
    lats = np.array([45.0, 45.0, lat if isinstance(lat, float) else math.nan, 45.0])
    longs = np.array([-120.0, -120.0, long if isinstance(long, float) else 0.0, math.nan])
    with pytest.raises(InvalidPointError, match=r"at index 2 \(2 bad point\(s\) in all\)") as many:
        demo.route_many(lats, longs, "ST-214")
    assert (many.value.index, many.value.count) == (2, 2)


def test_unknown_service_codes_are_refused_or_go_to_the_fallback(demo: Router) -> None:
    with pytest.raises(
        UnknownServiceError, match=r"'service_code' must be one of the router's service codes \('BEN-900', 'PK-101'"
    ) as raised:
        demo.route(*TOWN, "PK-999")
    assert raised.value.status_hint == 404
    assert "ST-214" in raised.value.known
    with pytest.raises(UnknownServiceError, match="at index 1"):
        demo.route_many([45.0, 45.0], [-120.0, -120.0], ["ST-214", "PK-999"])
    with pytest.raises(UnknownServiceError):
        demo.route(*TOWN, None)  # type: ignore[arg-type]
    lenient = Router(demo.jurisdictions, rules=demo.rules, fallback="usa-contact-centre", unknown_services="fallback")
    decision = lenient.route(*TOWN, "PK-999")
    assert decision.is_fallback
    assert decision.explanation.endswith("no jurisdiction declares the service code, so the fallback takes it.")
    indices, codes = lenient.route_many([45.0, 45.0], [-120.02, -120.02], ["ST-214", "PK-999"])
    assert lenient.ids(indices).tolist() == ["elk-falls", "usa-contact-centre"]
    assert codes.tolist() == [DecisionCode.LOCAL, DecisionCode.FALLBACK]


def test_without_a_fallback_an_unhandled_report_raises_no_jurisdiction_error() -> None:
    town = Jurisdiction("town", "Town", "municipal", boundary=box(0, 0, 1, 1), services=["ST-214"])
    router = Router([town])
    with pytest.raises(
        NoJurisdictionError, match=r"no jurisdiction handles 'ST-214' at \(5.0, 5.0\), and the router has no fallback"
    ) as raised:
        router.route(5.0, 5.0, "ST-214")
    assert isinstance(raised.value, RoutingError)
    assert isinstance(raised.value, LookupError)
    assert raised.value.point == (5.0, 5.0)
    with pytest.raises(NoJurisdictionError, match="without a location"):
        router.route_service("ST-214")
    with pytest.raises(NoJurisdictionError):
        router.route_many([0.5, 5.0], [0.5, 5.0], "ST-214")
    assert router.route_many([0.5, 1.0], [0.5, 0.0], "ST-214").indices.tolist() == [0, 0]


def test_same_level_overlaps_with_no_rule_are_refused_or_decided_by_declaration_order() -> None:
    east = Jurisdiction("east", "East", "county", boundary=box(0, 0, 2, 2), services=["ST-214", "PK-101"])
    west = Jurisdiction("west", "West", "county", boundary=box(1, 0, 3, 2), services=["ST-214"])
    with pytest.raises(OverlapError, match="1 same-level overlap") as raised:
        Router([east, west])
    assert raised.value.pairs == (("east", "west", "ST-214"),)
    assert isinstance(raised.value, ValueError)
    first = Router([east, west], overlaps="first")
    decision = first.route(1.0, 1.5, "ST-214")
    assert (decision.jurisdiction.id, decision.code) == ("east", DecisionCode.BORDER)
    # a rule that separates them makes the overlap unambiguous
    ruled = Router([east, west], rules=[Prefer(services=["ST-214"], jurisdiction="west")])
    assert ruled.route(1.0, 1.5, "ST-214").jurisdiction.id == "west"
    assert ruled.route(1.0, 0.5, "ST-214").jurisdiction.id == "east"
    # touching is not overlapping
    south = Jurisdiction("south", "South", "county", boundary=box(2, 0, 4, 2), services=["ST-214"])
    assert Router([east, south]).ambiguities() == []
    # two agencies without a boundary at the same level, for the same service, always overlap
    a = Jurisdiction("a", "A", "federal", services=["BEN-900"])
    b = Jurisdiction("b", "B", "federal", services=["BEN-900"])
    with pytest.raises(OverlapError, match="'a' and 'b' for 'BEN-900'"):
        Router([a, b])
    assert Router([a, b], overlaps="first").route(0.0, 0.0, "BEN-900").code is DecisionCode.BORDER


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fallback": "nobody"}, "the fallback 'nobody' is not among the jurisdictions"),
        ({"fallback": 3}, "fallback must be a Jurisdiction, an id or None"),
        ({"rules": [Prefer(services=["ST-214"], jurisdiction="nobody")]}, "names the jurisdiction 'nobody'"),
        (
            {"rules": [Prefer(services=["XX-1"], level="state")]},
            r"names service codes no jurisdiction declares: \['XX-1'\]",
        ),
        ({"rules": ["federal first"]}, "rules must be Prefer values"),
        ({"overlaps": "last"}, "overlaps must be 'raise' or 'first'"),
        ({"unknown_services": "ignore"}, "unknown_services must be 'raise' or 'fallback'"),
        ({"unknown_services": "fallback"}, "unknown_services='fallback' needs a fallback"),
    ],
)
def test_bad_settings_raise_routing_configuration_error(kwargs: dict[str, object], message: str) -> None:
    town = Jurisdiction("town", "Town", "municipal", boundary=box(0, 0, 1, 1), services=["ST-214"])
    with pytest.raises(RoutingConfigurationError, match=message):
        Router([town], **kwargs)  # type: ignore[arg-type]


def test_duplicate_ids_and_non_jurisdictions_are_refused() -> None:
    town = Jurisdiction("town", "Town", "municipal", boundary=box(0, 0, 1, 1))
    with pytest.raises(RoutingConfigurationError, match="two jurisdictions have the id 'town' \\(positions 0 and 1\\)"):
        Router([town, town])
    with pytest.raises(RoutingConfigurationError, match="must be Jurisdiction values"):
        Router([town, "county"])  # type: ignore[list-item]
    other = Jurisdiction("town", "Another town", "municipal")
    with pytest.raises(RoutingConfigurationError, match="the fallback differs"):
        Router([town], fallback=other)
    assert Router([town], fallback=town).fallback_index == 0


def test_prefer_needs_one_target_and_some_services() -> None:
    with pytest.raises(ValidationError, match="given, or jurisdiction given, not both"):
        Prefer(services=["A"])
    with pytest.raises(ValidationError, match="given, or jurisdiction given, not both"):
        Prefer(services=["A"], level="federal", jurisdiction="x")
    with pytest.raises(ValidationError, match="at least one service code"):
        Prefer(services=[], level="federal")
    with pytest.raises(ValidationError, match="service code strings"):
        Prefer(services=["A", 3], level="federal")


def test_a_rule_for_every_service_and_rules_in_order() -> None:
    county = Jurisdiction("county", "County", "county", boundary=box(0, 0, 2, 2), services=["A", "B"])
    state = Jurisdiction("state", "State", "state", boundary=box(0, 0, 4, 4), services=["A", "B"])
    federal = Jurisdiction("federal", "Federal", "federal", boundary=box(0, 0, 4, 4), services=["A", "B"])
    rules = [Prefer(services=["A"], jurisdiction="federal"), Prefer(services=None, level="state")]
    router = Router([county, state, federal], rules=rules)
    assert router.route(1, 1, "A").jurisdiction.id == "federal"
    assert router.route(1, 1, "B").jurisdiction.id == "state"
    assert router.rule_for(router.index_of("state"), "B") is rules[1]
    assert router.rule_for(router.index_of("county"), "B") is None
    assert router.rule_for(0, "nothing") is None
    reasons = {c.jurisdiction.id: c.reason for c in router.route(1, 1, "A").candidates}
    assert reasons["state"] == "rule \"prefer 'federal' for A\" puts Federal first"


@pytest.mark.parametrize(("lat", "service"), [(math.nan, "ST-214"), (0.0, "nope")])
def test_every_error_is_a_georeport_error(demo: Router, lat: float, service: str) -> None:
    with pytest.raises(GeoReportError):
        demo.route(lat, 0.0, service)


def test_route_many_takes_any_shape_and_checks_lengths(demo: Router) -> None:
    lats = np.full((2, 2), 45.0)
    longs = np.array([[-120.02, -120.1], [-120.02, -119.97]])
    indices, codes = demo.route_many(lats, longs, "PK-101")
    assert demo.ids(indices).tolist() == ["elk-falls", "nps-elk-falls", "elk-falls", "elk-falls"]
    assert indices.dtype == np.intp
    assert codes.dtype == np.uint8
    with pytest.raises(ValueError, match="same length"):
        demo.route_many([1.0, 2.0], [1.0], "PK-101")
    with pytest.raises(ValueError, match="one code or one per point"):
        demo.route_many([1.0, 2.0], [1.0, 2.0], ["PK-101"])
    empty = demo.route_many([], [], [])
    assert empty.indices.shape == (0,)
