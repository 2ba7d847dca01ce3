"""Jurisdiction sets and router settings to GeoJSON and back."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from georeport.errors import GeoReportError, ParseError, ValidationError
from georeport.routing import (
    BoundaryError,
    Jurisdiction,
    Prefer,
    Router,
    RoutingConfigurationError,
    from_geojson,
    router_from_geojson,
    to_geojson,
)
from tests.routing.strategies import jurisdiction_sets


@settings(max_examples=max(10, settings().max_examples // 2))  # drawing polygons is the slow part
@given(jurisdiction_sets)
def test_to_geojson_then_from_geojson_gives_the_same_jurisdictions_and_writing_twice_is_stable(
    members: tuple[Jurisdiction, ...],
) -> None:
    collection = to_geojson(members)
    assert from_geojson(collection) == members
    text = json.dumps(collection)
    again = from_geojson(text.encode())
    assert again == members
    assert json.dumps(to_geojson(again)) == text


def test_a_router_round_trips_with_its_rules_and_fallback(demo: Router) -> None:
    collection = to_geojson(demo)
    assert collection["routing"]["fallback"] == "usa-contact-centre"
    assert collection["routing"]["rules"][0] == {
        "services": ["PK-101"],
        "level": "federal",
        "name": "federal land: park services",
    }
    again = router_from_geojson(json.dumps(collection))
    assert again.jurisdictions == demo.jurisdictions
    assert again.rules == demo.rules
    assert again.fallback == demo.fallback
    assert (again.overlaps, again.unknown_services) == (demo.overlaps, demo.unknown_services)


def test_options_override_the_files_settings(demo: Router) -> None:
    collection = to_geojson(demo)
    plain = router_from_geojson(collection, rules=[])
    assert plain.rules == ()
    assert plain.route(45.0, -120.1, "PK-101").jurisdiction.id == "aspen-county"  # no federal-land rule: most local
    assert demo.route(45.0, -120.1, "PK-101").jurisdiction.id == "nps-elk-falls"


def test_a_line_with_buffer_m_becomes_a_corridor_polygon() -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "road", "name": "Road", "level": "federal", "services": "ST-214", "buffer_m": 25},
                "geometry": {"type": "LineString", "coordinates": [[-120.0, 45.0], [-120.0, 45.1]]},
            }
        ],
    }
    (road,) = from_geojson(collection)
    assert isinstance(road.boundary, Polygon)
    minx, _, maxx, _ = road.boundary.bounds
    assert maxx - minx == pytest.approx(2 * 25 / (111_320 * 0.7071), rel=0.01)


def feature(**properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"id": "x", "name": "X", "level": "county", **properties},
        "geometry": None,
    }


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        ("{", "$", "not valid JSON"),
        ({"type": "Feature"}, "$.type", "FeatureCollection is expected"),
        ({"type": "FeatureCollection"}, "$.features", "'features' must be an array"),
        ({"type": "FeatureCollection", "features": [1]}, "$.features[0]", "a GeoJSON Feature is expected"),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a"}}]},
            "$.features[0].properties.level",
            "'level' is required",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [{**feature(), "geometry": {"type": "Polygon", "coordinates": "no"}}],
            },
            "$.features[0].geometry",
            "not a GeoJSON geometry",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [{**feature(), "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}],
            },
            "$.features[0].properties.buffer_m",
            "needs a 'buffer_m'",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {**feature(buffer_m=-3), "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
                ],
            },
            "$.features[0].properties.buffer_m",
            "positive number of metres",
        ),
        ({"type": "FeatureCollection", "features": [], "routing": []}, "$.routing", "'routing' must be an object"),
        (
            {"type": "FeatureCollection", "features": [], "routing": {"fallbak": "x"}},
            "$.routing",
            "unknown routing keys",
        ),
        (
            {"type": "FeatureCollection", "features": [], "routing": {"rules": [{"level": "federal", "service": "X"}]}},
            "$.routing.rules[0]",
            "unknown rule keys",
        ),
    ],
)
def test_bad_geojson_raises_parse_error_with_the_path(document: Any, path: str, message: str) -> None:
    source = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(ParseError, match=message) as raised:
        router_from_geojson(source)
    assert raised.value.path == path
    assert raised.value.format == "geojson"


def test_bad_values_keep_their_type_with_a_note_on_where() -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    document = {"type": "FeatureCollection", "features": [feature(), {**feature(id="bow"), "geometry": bowtie}]}
    with pytest.raises(BoundaryError, match="Self-intersection") as raised:
        from_geojson(document)
    assert raised.value.__notes__ == ["in the GeoJSON at $.features[1]"]
    with pytest.raises(ValidationError, match="'level' must be one of") as level:
        from_geojson({"type": "FeatureCollection", "features": [feature(level="city")]})
    assert level.value.__notes__ == ["in the GeoJSON at $.features[0]"]


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"services": 5}, "'services' must be a list of service codes"),
        ({"services": {"PK-101": True}}, "'services' must be a list of service codes"),
        ({"services": ["PK-101", 7]}, "'services' must be non-empty service code strings"),
        ({"name": 3}, "'name' must be a string"),
        ({"id": ""}, "'id' must be a non-empty string"),
        ({"endpoint": "mailto:311@example.org"}, "'endpoint' must be an http"),
        ({"level": None}, "'level' must be one of"),
    ],
)
def test_bad_property_values_are_validation_errors(properties: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        from_geojson({"type": "FeatureCollection", "features": [feature(**properties)]})


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"level": "federal", "services": 5}, "'services' must be a list of service codes"),
        ({"jurisdiction": 5, "services": ["A"]}, "'jurisdiction' must be a string"),
        ({"level": "federal", "services": ["A"], "name": ["x"]}, "'name' must be a string"),
        ({"level": "galactic", "services": ["A"]}, "'level' must be one of"),
    ],
)
def test_bad_rules_in_geojson_are_validation_errors_with_the_rule_path(rule: dict[str, Any], message: str) -> None:
    document = {"type": "FeatureCollection", "features": [feature(services=["A"])], "routing": {"rules": [rule]}}
    with pytest.raises(ValidationError, match=message) as raised:
        router_from_geojson(document)
    assert raised.value.__notes__ == ["in the GeoJSON at $.routing.rules[0]"]


def test_settings_that_do_not_make_a_router_say_why() -> None:
    document = {"type": "FeatureCollection", "features": [feature(services=["A"])], "routing": {"fallback": "nobody"}}
    with pytest.raises(RoutingConfigurationError, match="the fallback 'nobody' is not among the jurisdictions"):
        router_from_geojson(document)


def test_integer_ids_and_feature_ids_are_read_as_text() -> None:
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": 7,
                "properties": {"level": "state"},
                "geometry": box(0, 0, 1, 1).__geo_interface__,
            }
        ],
    }
    (member,) = from_geojson(document)
    assert (member.id, member.name, member.level.wire) == ("7", "7", "state")


def test_rules_write_their_fields() -> None:
    assert Prefer(services=None, jurisdiction="nps").to_dict() == {"services": None, "jurisdiction": "nps"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)
members = st.sampled_from(["id", "name", "level", "services", "endpoint", "buffer_m"])
geometries = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Polygon", "MultiPolygon", "LineString", "Point"]), "coordinates": json_values}
    ),
)


@settings(max_examples=max(10, settings().max_examples // 2))
@given(
    st.dictionaries(members, json_values, max_size=6),
    geometries,
    st.one_of(
        st.none(), st.dictionaries(st.sampled_from(["fallback", "rules", "overlaps", "unknown_services"]), json_values)
    ),
)
def test_any_geojson_gives_a_router_or_a_typed_error(properties: dict[str, Any], geometry: Any, routing: Any) -> None:
    document = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": properties, "geometry": geometry}],
        "routing": routing,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely on NaN-free but degenerate input
        try:
            result: object = router_from_geojson(json.dumps(document))
        except (ParseError, ValidationError, RoutingConfigurationError) as error:
            result = error
    assert isinstance(result, Router | GeoReportError)
