"""City CSV exports through column mappings: the four shipped cities, a user's own, bad cells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from georeport import DialectWarning, InvalidDocumentError, ParseError, ServiceRequest, Status, ValidationError
from georeport.wire.bulk import BULK_EXTENSIONS, iter_bulk, to_bulk
from georeport.wire.columns import (
    BOSTON_311,
    CHICAGO_311,
    MAPPINGS,
    NYC_311,
    SAN_FRANCISCO_311,
    Column,
    ColumnMapping,
    iso_datetime,
    iter_csv,
    us_datetime,
)
from tests.conftest import DATA

CITIES = DATA / "authored" / "cities"


def read(path: Path, mapping: ColumnMapping, **options: object) -> list[ServiceRequest]:
    with iter_csv(path, mapping, **options) as reader:  # type: ignore[arg-type]
        return list(reader)


def utc(request_time: datetime | None) -> datetime:
    assert request_time is not None
    return request_time.astimezone(UTC)


def closed_at(request: ServiceRequest) -> datetime:
    value = request.extensions["closed_datetime"]
    assert isinstance(value, str)
    return datetime.fromisoformat(value)


def test_nyc() -> None:
    first, second, third = read(CITIES / "nyc_311.csv", NYC_311)
    assert first.service_request_id == "59893145"
    assert (first.service_name, first.agency_responsible, first.zipcode) == ("Noise - Residential", "NYPD", "11226")
    assert first.extensions["service_subtype"] == "Loud Music/Party"
    assert first.extensions["source"] == "PHONE"
    assert first.extensions["borough"] == "BROOKLYN"
    # 01:45 EST, closed 03:20 EDT on the night clocks went forward: 35 minutes, not 95.
    assert first.requested_datetime is not None
    assert first.requested_datetime.isoformat() == "2024-03-10T01:45:12-05:00"
    assert closed_at(first) - first.requested_datetime == timedelta(minutes=35, seconds=29)
    assert first.status is Status.CLOSED
    # "In Progress" is open; the due date is read; 01:30 on the night clocks go back is the first 01:30.
    assert second.status is Status.OPEN
    assert second.extensions["closed_datetime"] is None
    assert second.requested_datetime is not None
    assert second.requested_datetime.isoformat() == "2024-11-03T01:30:00-04:00"
    assert second.expected_datetime is not None
    assert second.expected_datetime.isoformat() == "2024-11-13T01:30:00-05:00"
    # A quoted resolution with commas and doubled quotes; no coordinates.
    assert third.status_notes is not None
    assert third.status_notes.endswith('at the location, "as reported".')
    assert (third.lat, third.long, third.has_location) == (None, None, False)


def test_chicago() -> None:
    first, second, third = read(CITIES / "chicago_311.csv", CHICAGO_311)
    assert (first.service_request_id, first.service_code, first.service_name) == (
        "SR24-00512345",
        "PHF",
        "Pothole in Street Complaint",
    )
    assert first.status is Status.CLOSED  # "Completed"
    assert second.status is Status.OPEN
    assert third.status is Status.CLOSED  # "Canceled"
    assert third.extensions["parent_sr_number"] == "SR24-00512345"
    assert second.requested_datetime is not None
    assert utc(second.requested_datetime) == datetime(2024, 3, 15, 4, 58, 40, tzinfo=UTC)
    assert (first.lat, first.long) == (41.90323, -87.68026)


def test_boston() -> None:
    first, second = read(CITIES / "boston_311.csv", BOSTON_311)
    assert first.service_request_id == "101005123401"
    assert first.service_name == "Request for Pothole Repair"
    assert first.agency_responsible == "Public Works Department"
    assert first.extensions["reason"] == "Highway Maintenance"
    assert first.requested_datetime is not None
    assert closed_at(first) - first.requested_datetime == timedelta(hours=2, minutes=25, seconds=45)
    assert second.status_notes is None  # a lone space is empty
    assert second.status is Status.OPEN


def test_san_francisco() -> None:
    first, second = read(CITIES / "sf_311.csv", SAN_FRANCISCO_311)
    # 01:59:59 PST to 03:00:01 PDT is two seconds.
    assert first.requested_datetime is not None
    assert closed_at(first) - first.requested_datetime == timedelta(seconds=2)
    assert first.media_url == "https://mobile311.sfgov.org/reports/17833455/photos"
    assert first.extensions["service_subtype"] == "Bulky Items"
    assert second.media_url is None
    assert second.status is Status.OPEN


@pytest.mark.parametrize("name", sorted(MAPPINGS))
def test_every_city_gives_the_bulk_keys_and_converts_to_bulk(name: str) -> None:
    file = {"nyc": "nyc_311.csv", "chicago": "chicago_311.csv", "boston": "boston_311.csv", "sf": "sf_311.csv"}[name]
    records = read(CITIES / file, MAPPINGS[name], strict=True)
    assert records
    for record in records:
        assert tuple(record.extensions)[:4] == BULK_EXTENSIONS
        assert record.requested_datetime is not None
        assert record.requested_datetime.tzinfo is not None
    # Through the Bulk format and back: the same instants and Bulk fields.
    again = list(iter_bulk(to_bulk(records)))
    assert [r.requested_datetime for r in again] == [r.requested_datetime for r in records]
    assert [r.extensions["closed_datetime"] for r in again] == [r.extensions["closed_datetime"] for r in records]
    assert [r.status for r in again] == [r.status for r in records]


def test_a_user_declares_a_city_in_a_few_lines() -> None:
    denver = ColumnMapping(
        service_request_id="Case Number",
        requested_datetime=Column("Case Created Date", parse=us_datetime),
        closed_datetime=Column("Case Closed Date", parse=us_datetime),
        status_description="Case Status",
        service_name="Case Summary",
        lat=Column("Latitude", parse=float),
        zone="America/Denver",
        extensions={"council_district": "Council District"},
    )
    data = (
        b"Case Number,Case Created Date,Case Closed Date,Case Status,Case Summary,Latitude,Council District\r\n"
        b"D-1,07/04/2024 09:30:00 PM,07/05/2024 08:00:00 AM,Closed,Pothole,39.74,10\r\n"
    )
    [record] = iter_csv(data, denver)
    assert record.requested_datetime is not None
    assert record.requested_datetime.isoformat() == "2024-07-04T21:30:00-06:00"
    assert record.extensions["closed_datetime"] == "2024-07-05T08:00:00-06:00"
    assert record.extensions["council_district"] == "10"
    assert (record.status, record.lat, record.long) == (Status.CLOSED, 39.74, None)


def test_a_missing_column_names_every_missing_one() -> None:
    older = attrs.evolve(BOSTON_311, expected_datetime=Column("target_dt", parse=iso_datetime))
    with pytest.raises(ParseError, match=r"lacks the declared column\(s\) \['target_dt'\]") as caught:
        iter_csv(CITIES / "boston_311.csv", older)
    assert caught.value.line == 1


def test_bad_cells_are_read_as_empty_and_reported_or_refused_in_strict_mode() -> None:
    mapping = ColumnMapping(
        service_request_id="id", requested_datetime="opened", lat="lat", long="long", zone="America/Chicago"
    )
    data = b"id,opened,lat,long\n1,yesterday,91.5,-87.6\n2,2024-01-02 03:04:05,41.9,-87.6\n"
    with pytest.warns(DialectWarning, match="column-unparsable") as issued:
        first, second = iter_csv(data, mapping)
    assert (first.requested_datetime, first.lat, first.long) == (None, None, -87.6)
    assert {w.message.field for w in issued.list if isinstance(w.message, DialectWarning)} == {
        "requested_datetime",
        "lat",
    }
    assert second.requested_datetime == datetime.fromisoformat("2024-01-02T03:04:05-06:00")
    with pytest.raises(InvalidDocumentError) as caught:
        list(iter_csv(data, mapping, strict=True))
    assert [(p.line, p.path) for p in caught.value.exceptions] == [
        (2, "$[0].requested_datetime"),
        (2, "$[0].lat"),
    ]


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="zone"):
        ColumnMapping(zone="America/Atlantis")


@settings(max_examples=50)
@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    )
)
def test_us_datetime_reads_what_socrata_writes(moment: datetime) -> None:
    assert us_datetime(moment.strftime("%m/%d/%Y %I:%M:%S %p")) == moment
    assert us_datetime(moment.strftime("%m/%d/%Y %H:%M:%S")) == moment
    assert iso_datetime(moment.isoformat(sep=" ")) == moment


def test_us_datetime_refuses_other_shapes() -> None:
    with pytest.raises(ValueError, match="MM/DD/YYYY"):
        us_datetime("2024-01-02 03:04:05")
    with pytest.raises(ValueError, match="AM/PM"):
        us_datetime("01/02/2024 03:04:05 XM")
