"""Exports: GeoJSON, __geo_interface__ with real shapely and geopandas, Arrow and pandas frames."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import geopandas
import pandas as pd
import pyarrow as pa
import pytest
import shapely.geometry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from georeport import DialectWarning, ParseError, ServiceRequest, Status
from georeport.frames import COLUMNS, record_batches, schema, to_arrow, to_pandas
from georeport.models import JSONValue
from georeport.wire import iter_dump
from georeport.wire.bulk import iter_bulk
from georeport.wire.columns import SAN_FRANCISCO_311, iter_csv
from georeport.wire.geojson import from_geojson, to_feature, to_features, to_geojson
from tests.conftest import DATA
from tests.strategies import service_requests

AUTHORED = DATA / "authored"


def bulk_sample() -> list[ServiceRequest]:
    return list(iter_bulk(AUTHORED / "bulk_requests.csv"))


# --- __geo_interface__ and GeoJSON ---------------------------------------------------
def test_shapely_takes_a_request_as_it_is() -> None:
    first = bulk_sample()[0]
    point = shapely.geometry.shape(first)
    assert isinstance(point, shapely.geometry.Point)
    assert (point.x, point.y) == (first.long, first.lat)
    with pytest.raises(AttributeError, match="no lat/long"):
        _ = ServiceRequest("1").__geo_interface__


def test_geopandas_reads_the_feature_collection_as_it_is() -> None:
    records = bulk_sample()
    frame = geopandas.GeoDataFrame.from_features(json.loads(to_geojson(records)), crs="EPSG:4326")
    assert list(frame["service_request_id"]) == [r.service_request_id for r in records]
    assert list(frame["service_subtype"]) == ["Pothole", "Public Property", "Pothole"]
    assert [(p.x, p.y) for p in frame.geometry] == [(r.long, r.lat) for r in records]
    # And from the features' own __geo_interface__-style dicts.
    same = geopandas.GeoDataFrame.from_features(list(to_features(records)))
    assert same.geometry.equals(frame.geometry.set_crs(None, allow_override=True))


def test_a_request_without_a_location_is_a_null_geometry() -> None:
    document = json.loads(to_geojson([ServiceRequest("1", Status.OPEN)]))
    assert document["type"] == "FeatureCollection"
    [feature] = document["features"]
    assert feature == {
        "type": "Feature",
        "id": "1",
        "geometry": None,
        "properties": feature["properties"],
    }
    assert feature["properties"]["status"] == "open"


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(service_requests(), max_size=3))
def test_geojson_round_trips_and_to_features_is_to_feature_many(requests: list[ServiceRequest]) -> None:
    assert list(to_features(requests)) == [to_feature(r) for r in requests]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert from_geojson(to_geojson(requests)) == requests


def test_geojson_that_is_not_a_feature_collection_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="FeatureCollection"):
        from_geojson(b'{"type": "Feature"}')
    with pytest.raises(ParseError, match="not valid JSON"):
        from_geojson(b"{")


# --- frames --------------------------------------------------------------------------
def test_to_arrow_types_every_column_and_keeps_instants() -> None:
    records = bulk_sample()
    table = to_arrow(records, tz="America/Kentucky/Louisville")
    assert table.column_names == list(COLUMNS)
    assert table.schema == schema(tz="America/Kentucky/Louisville")
    assert table.schema.field("lat").type == pa.float64()
    assert table.schema.field("closed_datetime").type == pa.timestamp("us", tz="America/Kentucky/Louisville")
    first = table.slice(0, 1).to_pylist()[0]
    assert first["requested_datetime"] == records[0].requested_datetime
    assert first["requested_datetime"].utcoffset() == timedelta(hours=-4)
    assert first["closed_datetime"] == datetime(2016, 9, 13, 18, 40, 19, tzinfo=UTC)
    assert first["status"] == "closed"
    assert first["status_description"] == "Closed"
    assert first["extensions"] is None
    assert table.column("closed_datetime").null_count == 1


def test_other_extensions_are_kept_as_json_text() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DialectWarning)
        extensions: dict[str, JSONValue] = {"ward": "21", "notes": [{"type": "opened"}]}
        table = to_arrow([ServiceRequest("1", extensions=extensions)])
    assert json.loads(table.column("extensions")[0].as_py()) == {"ward": "21", "notes": [{"type": "opened"}]}


def test_to_pandas_gives_zone_aware_timestamps_across_dst() -> None:
    records = list(iter_csv(AUTHORED / "cities" / "sf_311.csv", SAN_FRANCISCO_311))
    frame = to_pandas(records, tz="America/Los_Angeles")
    assert str(frame["requested_datetime"].dtype) == "datetime64[us, America/Los_Angeles]"
    elapsed = frame["closed_datetime"] - frame["requested_datetime"]
    assert elapsed.iloc[0] == pd.Timedelta(seconds=2)
    assert pd.isna(elapsed.iloc[1])
    assert list(frame["status"]) == ["closed", "open"]


def test_an_empty_input_is_an_empty_typed_table() -> None:
    table = to_arrow([])
    assert table.num_rows == 0
    assert table.schema == schema()


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(service_requests(), max_size=5), st.integers(1, 3))
def test_record_batches_concatenate_to_to_arrow(requests: list[ServiceRequest], size: int) -> None:
    batches = list(record_batches(requests, batch_size=size))
    assert len(batches) == -(-len(requests) // size)
    table = pa.Table.from_batches(batches, schema=schema())
    assert table.equals(to_arrow(requests))
    fixed = timezone(timedelta(hours=5, minutes=30))
    for row, request in zip(table.to_pylist(), requests, strict=True):
        assert row["requested_datetime"] == request.requested_datetime
        assert row["service_request_id"] == request.service_request_id
        if request.requested_datetime is not None:
            assert row["requested_datetime"].astimezone(fixed) == request.requested_datetime.astimezone(fixed)


def test_a_geojson_file_reads_back_through_iter_dump(tmp_path: Path) -> None:
    records = bulk_sample()
    path = tmp_path / "louisville.geojson"
    path.write_bytes(to_geojson(records))
    assert list(iter_dump(path)) == records
