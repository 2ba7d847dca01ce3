"""Areas: point in polygon for the equity view; the many form agrees with the one-point form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import box, mapping

from georeport.errors import ValidationError
from georeport.models import ServiceRequest
from georeport.stats import CaseTable, StatsOptions, build_report
from georeport.stats.areas import Areas

WEST, EAST = box(-80.0, 8.0, -79.5, 9.0), box(-79.5, 8.0, -79.0, 9.0)


def _collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _feature(name: object, geometry, **properties) -> dict:
    return {"type": "Feature", "properties": {"name": name, **properties}, "geometry": mapping(geometry)}


AREAS = Areas.from_geojson(_collection(_feature("West", WEST, population=3000), _feature("East", EAST)))


class TestAreas:
    def test_from_geojson(self):
        assert AREAS.names == ("West", "East")
        assert AREAS.populations == {"West": 3000}

    @given(
        st.lists(st.tuples(st.floats(7.5, 9.5, allow_nan=False), st.floats(-80.5, -78.5, allow_nan=False)), max_size=30)
    )
    def test_locate_many_agrees_with_locate(self, points):
        lats = [lat for lat, _ in points]
        longs = [long for _, long in points]
        assert AREAS.locate_many(lats, longs).tolist() == [AREAS.locate(lat, long) for lat, long in points]

    def test_border_goes_to_the_first_declared(self):
        assert AREAS.locate(8.5, -79.5) == "West"

    def test_requests_without_location_have_no_area(self):
        request = ServiceRequest(service_request_id="1", requested_datetime=datetime(2024, 1, 1, tzinfo=UTC))
        assert AREAS(request) is None

    @pytest.mark.parametrize(
        ("document", "where"),
        [
            ({"type": "Feature"}, "areas"),
            (json.loads(_collection(_feature(None, WEST))), "properties.name"),
            (json.loads(_collection(_feature("A", WEST.exterior))), "geometry"),
            (json.loads(_collection(_feature("A", WEST, population=-3))), "population"),
        ],
    )
    def test_bad_documents(self, document, where):
        with pytest.raises(ValidationError, match=where):
            Areas.from_geojson(document)

    def test_area_dimension_and_populations_in_a_report(self):
        t0 = datetime(2024, 1, 1, tzinfo=UTC)
        requests = [
            ServiceRequest(
                service_request_id=str(n),
                service_code="bache",
                requested_datetime=t0,
                lat=8.5,
                long=-79.7 if n % 3 else -79.2,
            )
            for n in range(30)
        ]
        table = CaseTable.from_requests(requests, extra={"area": AREAS})
        report = build_report(
            table,
            StatsOptions(
                as_of=t0 + timedelta(days=1), by=("area",), populations=AREAS.populations, indicators=("received",)
            ),
        )
        rows = {row.area: row for row in report.equity}
        assert rows["West"].n == 20
        assert rows["West"].per_1000 == pytest.approx(20 / 3)
        assert rows["East"].per_1000 is None
