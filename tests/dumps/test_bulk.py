"""The GeoReport Bulk format: the spec's samples in three encodings, its errata, strictness, writing."""

from __future__ import annotations

import gzip
import io
import warnings
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from georeport import DialectWarning, InvalidDocumentError, ParseError, ServiceRequest, Status
from georeport.wire.bulk import (
    BULK_EXTENSIONS,
    BULK_FIELDS,
    DEFAULT_STATUSES,
    StatusMapping,
    bulk_record,
    bulk_records,
    iter_bulk,
    to_bulk,
    write_bulk,
)
from tests.conftest import DATA
from tests.strategies import aware_datetimes, identifiers, optional, service_requests, texts

AUTHORED = DATA / "authored"
ENCODINGS = ("csv", "json", "xml")


def read(path: Path, **options: object) -> list[ServiceRequest]:
    with iter_bulk(path, **options) as reader:  # type: ignore[arg-type]
        return list(reader)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_three_encodings_of_the_sample_read_alike(encoding: str) -> None:
    records = read(AUTHORED / f"bulk_requests.{encoding}")
    assert records == read(AUTHORED / "bulk_requests.csv")
    first, second, third = records
    assert [r.service_request_id for r in records] == ["2016-0041187", "2016-0041203", "2016-0041250"]
    # closed_date (CSV) and closed_datetime (JSON, XML) both land on the canonical key.
    assert first.extensions == {
        "closed_datetime": "2016-09-13T14:40:19-04:00",
        "status_description": "Closed",
        "source": "Phone",
        "service_subtype": "Pothole",
    }
    assert list(second.extensions) == list(BULK_EXTENSIONS)
    assert second.extensions["closed_datetime"] is None
    assert (first.status, second.status, third.status) == (Status.CLOSED, Status.OPEN, Status.CLOSED)
    assert first.requested_datetime == datetime(2016, 9, 12, 8, 15, 2, tzinfo=timezone(timedelta(hours=-4)))
    assert (first.lat, first.long) == (38.2224851, -85.7034466)
    assert third.description is None


def test_the_bulk_examples_errata() -> None:
    # The CSV example lacks an opening quote: read leniently, the bad value kept as sent and reported.
    with warnings.catch_warnings(record=True) as issued:
        warnings.simplefilter("always")
        [record] = read(AUTHORED / "bulk_example_malformed.csv")
    assert record.updated_datetime is None
    assert record.extensions["updated_datetime_original"] == '2015-02-05T16:20:11-05:00"'
    assert record.extensions["closed_datetime"] == "2015-02-05T16:20:11-05:00"
    assert record.status is Status.CLOSED  # lower-case "closed", as the example writes it
    assert [w.message.code for w in issued if isinstance(w.message, DialectWarning)] == ["datetime-invalid"]
    # The JSON example uses a comma for a colon, the XML one mismatches tags: refused with the line.
    with pytest.raises(ParseError) as json_error:
        read(AUTHORED / "bulk_example_malformed.json")
    assert json_error.value.line == 2
    with pytest.raises(ParseError) as xml_error:
        read(AUTHORED / "bulk_example_malformed.xml")
    assert xml_error.value.line == 7


def test_strict_mode_lists_every_problem_with_its_line() -> None:
    with pytest.raises(InvalidDocumentError) as caught:
        read(AUTHORED / "bulk_example_malformed.csv", strict=True)
    problems = caught.value.exceptions
    assert [(p.line, p.path) for p in problems] == [(2, "$[0].updated_datetime"), (2, "$[0].updated_datetime")]
    assert "required by the Bulk field table" in str(problems[1])


def test_strict_mode_reports_a_header_without_the_bulk_columns_once() -> None:
    data = b"ticket,opened\n1,2024-01-01T00:00:00Z\n2,2024-01-01T00:00:00Z\n"
    with pytest.raises(InvalidDocumentError) as caught:
        list(iter_bulk(data, strict=True))
    [problem] = caught.value.exceptions
    assert problem.line == 1
    assert "service_request_id" in problem.reason


def test_the_spec_samples_are_valid_in_strict_mode() -> None:
    for encoding in ENCODINGS:
        assert len(read(AUTHORED / f"bulk_requests.{encoding}", strict=True)) == 3


def test_status_mapping_is_configurable() -> None:
    data = b"service_request_id,status_description,closed_date\n1,Work Order Created,\n2,Mystery,2024-01-01T00:00:00Z\n3,Mystery,\n"
    default = [r.status for r in iter_bulk(data)]
    assert default == [None, Status.CLOSED, None]  # unknown: closed when dated, else unknown
    mine = DEFAULT_STATUSES.with_terms(closed=["work order created"], open=["MYSTERY"])
    assert [r.status for r in iter_bulk(data, statuses=mine)] == [Status.CLOSED, Status.OPEN, Status.OPEN]
    undated = StatusMapping(open=["open"], closed=["closed"], closed_when_dated=False)
    assert [r.status for r in iter_bulk(data, statuses=undated)] == [None, None, None]


def test_a_zone_less_closed_date_is_read_in_the_default_zone_and_written_with_its_offset() -> None:
    data = b"service_request_id,closed_date\n1,2024-07-01 10:00:00\n"
    with pytest.warns(DialectWarning, match="closed_datetime"):
        [record] = iter_bulk(data, default_timezone="America/Chicago")
    assert record.extensions["closed_datetime"] == "2024-07-01T10:00:00-05:00"


def test_both_closed_names_keep_the_non_empty_one() -> None:
    data = b'[{"service_request_id": "1", "closed_date": "2024-01-01T00:00:00Z", "closed_datetime": ""}]'
    [record] = iter_bulk(data)
    assert record.extensions["closed_datetime"] == "2024-01-01T00:00:00Z"
    assert "closed_date" not in record.extensions


def test_rows_of_the_wrong_length_are_repaired_or_refused() -> None:
    data = b"service_request_id,source,service_subtype\n1,Phone\n2,Web,Pothole,extra\n"
    with pytest.warns(DialectWarning, match="row-length"):
        first, second = iter_bulk(data)
    assert first.extensions["source"] == "Phone"
    assert first.extensions["service_subtype"] is None
    assert second.extensions["service_subtype"] == "Pothole"


@pytest.mark.parametrize("wrap", ["gzip", "zip"])
def test_compressed_dumps_read_directly(tmp_path: Path, wrap: str) -> None:
    data = (AUTHORED / "bulk_requests.xml").read_bytes()
    if wrap == "gzip":
        path = tmp_path / "dump.xml.gz"
        path.write_bytes(gzip.compress(data))
    else:
        path = tmp_path / "dump.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("louisville/requests.xml", data)
    assert read(path) == read(AUTHORED / "bulk_requests.xml")
    with path.open("rb") as handle:  # a file object works too, and stays open
        assert list(iter_bulk(handle)) == read(AUTHORED / "bulk_requests.xml")
        assert not handle.closed


def test_a_zip_with_several_files_needs_a_member(tmp_path: Path) -> None:
    path = tmp_path / "dumps.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", (AUTHORED / "bulk_requests.csv").read_bytes())
        archive.writestr("b.json", (AUTHORED / "bulk_requests.json").read_bytes())
    with pytest.raises(ParseError, match=r"holds 2 files.*a\.csv"):
        iter_bulk(path)
    assert len(read(path, member="b.json")) == 3


def test_a_damaged_gzip_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv.gz"
    path.write_bytes(gzip.compress((AUTHORED / "bulk_requests.csv").read_bytes())[:-12])
    with pytest.raises(ParseError, match="gzip"):
        read(path)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_writing_the_sample_reads_back_the_same_records(encoding: str) -> None:
    records = read(AUTHORED / "bulk_requests.csv")
    written = to_bulk(records, encoding=encoding)  # type: ignore[arg-type]
    assert list(iter_bulk(written, encoding=encoding, strict=True)) == records  # type: ignore[arg-type]


def test_csv_is_written_as_the_bulk_table_says() -> None:
    text = to_bulk(read(AUTHORED / "bulk_requests.json")).decode()
    header, first = text.split("\r\n")[:2]
    assert header == ",".join(BULK_FIELDS)
    assert first.startswith(
        "2016-0041187,2016-09-12T08:15:02-04:00,2016-09-13T14:40:19-04:00,2016-09-13T14:40:19-04:00,Closed,"
    )


# --- properties --------------------------------------------------------------------
def _bulk_ready(
    request: ServiceRequest, closed: datetime | None, description: str | None, source: str | None, subtype: str | None
) -> ServiceRequest:
    extensions = {
        "closed_datetime": None if closed is None else closed.isoformat().replace("+00:00", "Z"),
        "status_description": description,
        "source": source,
        "service_subtype": subtype,
    }
    status = DEFAULT_STATUSES.status(description, closed=closed is not None)
    return attrs.evolve(
        request, status=status, service_code=None, service_notice=None, expected_datetime=None,
        address_id=None, zipcode=None, media_url=None, extensions=extensions,
    )  # fmt: skip


bulk_requests = st.builds(
    _bulk_ready,
    service_requests(),
    optional(aware_datetimes().map(lambda value: value.replace(microsecond=0).astimezone(UTC))),
    optional(st.sampled_from(["Open", "Closed", "Hold", "In Progress"]) | identifiers()),
    optional(texts()),
    optional(texts()),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(bulk_requests, max_size=3), st.sampled_from(ENCODINGS))
def test_bulk_round_trip_keeps_every_bulk_field(requests: list[ServiceRequest], encoding: str) -> None:
    written = to_bulk(requests, encoding=encoding)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = list(iter_bulk(written, encoding=encoding))  # type: ignore[arg-type]
    assert [bulk_record(r) for r in back] == [bulk_record(r) for r in requests]
    assert [r.status for r in back] == [r.status for r in requests]
    # Writing twice is stable, byte for byte.
    assert to_bulk(back, encoding=encoding) == written  # type: ignore[arg-type]


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(service_requests(), max_size=3))
def test_bulk_records_is_bulk_record_many(requests: list[ServiceRequest]) -> None:
    columns = (*BULK_FIELDS, "service_code", "status")
    assert list(bulk_records(requests, columns=columns)) == [bulk_record(r, columns=columns) for r in requests]


def test_write_bulk_streams_to_a_binary_file_and_counts() -> None:
    buffer = io.BytesIO()
    many = [ServiceRequest(str(i), Status.OPEN) for i in range(2500)]
    assert write_bulk(many, buffer, encoding="xml") == 2500
    assert [r.service_request_id for r in iter_bulk(buffer.getvalue())] == [str(i) for i in range(2500)]
