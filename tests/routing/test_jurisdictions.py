"""Jurisdiction values and levels: what they accept, and the typed errors for what they refuse."""

from __future__ import annotations

import warnings

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from georeport.errors import ValidationError
from georeport.routing import BoundaryError, Jurisdiction, Level


def test_levels_are_ordered_from_widest_to_most_local() -> None:
    assert max(Level) is Level.SPECIAL_DISTRICT
    assert Level.FEDERAL < Level.STATE < Level.COUNTY < Level.MUNICIPAL < Level.SPECIAL_DISTRICT
    assert [level.wire for level in Level] == ["federal", "state", "county", "municipal", "special_district"]


@pytest.mark.parametrize("text", ["special_district", "Special District", "special-district", " SPECIAL district ", 5])
def test_level_names_are_read_leniently(text: str | int) -> None:
    assert Level.parse(text) is Level.SPECIAL_DISTRICT


@pytest.mark.parametrize("bad", ["city", "", 0, 6, True, None, 4.0])
def test_a_bad_level_lists_the_valid_ones(bad: object) -> None:
    with pytest.raises(ValidationError, match="must be one of federal, state, county, municipal, special_district"):
        Level.parse(bad)  # type: ignore[arg-type]


def test_services_are_a_set_of_stripped_codes_from_a_list_or_a_comma_string() -> None:
    town = Jurisdiction("t", "Town", "municipal", boundary=box(0, 0, 1, 1), services=" PK-101, ST-214 ")
    assert town.services == frozenset({"PK-101", "ST-214"})
    assert town.handles("PK-101")
    assert not town.handles("WA-330")
    with pytest.raises(ValidationError, match="'services' must be non-empty service code strings"):
        Jurisdiction("t", "Town", "municipal", services=["PK-101", ""])


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        (Polygon(), "a non-empty polygon"),
        (Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), r"a valid polygon \(GEOS says: Self-intersection"),
        (LineString([(0, 0), (1, 1)]), "a shapely Polygon or MultiPolygon"),
        (Point(0, 0), "a shapely Polygon or MultiPolygon"),
        ("POLYGON ((0 0, 1 0, 1 1, 0 0))", "a shapely Polygon or MultiPolygon"),
        (box(500_000, 4_000_000, 510_000, 4_010_000), "in lon/lat degrees"),
        (box(40, -106, 41, -105), r"lat/long swapped\?"),
        (MultiPolygon([box(0, 0, 2, 2), box(1, 1, 3, 3)]), "a valid polygon"),
    ],
)
def test_bad_boundaries_raise_boundary_error_naming_the_jurisdiction(boundary: object, message: str) -> None:
    with pytest.raises(BoundaryError, match=message) as raised:
        Jurisdiction("here", "Here", "county", boundary=boundary)  # type: ignore[arg-type]
    assert raised.value.jurisdiction == "here"
    assert raised.value.field == "boundary"
    assert isinstance(raised.value, ValueError)


def test_nan_coordinates_in_a_boundary_are_refused() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        polygon = shapely.from_wkt("POLYGON ((0 0, NaN 0, 1 1, 0 0))")
    with pytest.raises(BoundaryError, match=r"a valid polygon \(GEOS says: Invalid Coordinate"):
        Jurisdiction("here", "Here", "county", boundary=polygon)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "  ", None, 7])
def test_ids_must_be_non_empty_strings(bad: object) -> None:
    with pytest.raises(ValidationError, match="'id' must be a non-empty string"):
        Jurisdiction(bad, "Name", "county")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["ftp://x.example", "311.example/v2", "https://", 3])
def test_endpoints_must_be_http_urls(bad: object) -> None:
    with pytest.raises(ValidationError, match="'endpoint' must be an http"):
        Jurisdiction("j", "J", "county", endpoint=bad)  # type: ignore[arg-type]


def test_a_jurisdiction_is_a_geojson_feature_and_a_short_repr() -> None:
    park = Jurisdiction(
        "nps", "Park", "federal", boundary=box(0, 0, 1, 1), services=["PK-101"], endpoint="https://nps.example/v2"
    )
    feature = park.__geo_interface__
    assert feature["properties"] == {
        "id": "nps",
        "name": "Park",
        "level": "federal",
        "services": ["PK-101"],
        "endpoint": "https://nps.example/v2",
    }
    assert feature["geometry"]["type"] == "Polygon"
    assert repr(park) == "Jurisdiction('nps', 'Park', federal, Polygon (0.0, 0.0, 1.0, 1.0), services=['PK-101'])"
    agency = Jurisdiction("ssa", "Benefits", "federal")
    assert agency.is_location_independent
    assert agency.__geo_interface__["geometry"] is None
    assert agency.describe() == "Benefits (federal)"


def test_jurisdictions_are_hashable_values() -> None:
    a = Jurisdiction("a", "A", "county", boundary=box(0, 0, 1, 1), services="X")
    b = Jurisdiction("a", "A", Level.COUNTY, boundary=box(0, 0, 1, 1), services=["X"])
    assert a == b
    assert len({a, b}) == 1
    assert a != Jurisdiction("a", "A", "county", boundary=box(0, 0, 1, 2), services="X")
