"""Any dump: format by name, streaming readers, writers, de-duplication, partitions."""

from __future__ import annotations

import gzip
import io
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import georeport
from georeport import DialectWarning, ServiceRequest, Status
from georeport.wire import (
    Deduplicator,
    Partition,
    deduplicate,
    dump_format,
    iter_dump,
    iter_partition,
    partitions,
    write_dump,
)
from georeport.wire.bulk import bulk_record
from georeport.wire.columns import NYC_311
from georeport.wire.dumps import DUMP_FORMATS, WRITE_FORMATS
from tests.conftest import DATA
from tests.strategies import service_requests

AUTHORED = DATA / "authored"
V2_FORMATS = ("xml", "json", "jsonl")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.xml", "xml"),
        ("a.XML.gz", "xml"),
        ("pages.json", "json"),
        ("a.ndjson", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
        ("a.csv", "bulk-csv"),
        ("a.bulk.json", "bulk-json"),
        ("a.bulk.xml.gz", "bulk-xml"),
        ("a.geojson", "geojson"),
        ("a.txt", None),
    ],
)
def test_the_format_is_told_from_the_name(name: str, expected: str | None) -> None:
    assert dump_format(name) == expected


def test_iter_dump_reads_the_v2_documents_as_iter_requests_does() -> None:
    for name in ("spec_requests.xml", "spec_requests.json", "json_lines_requests.jsonl"):
        path = AUTHORED / name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DialectWarning)
            assert list(iter_dump(path)) == list(georeport.iter_requests(path))


def test_concatenated_pages_are_one_stream_and_the_repair_is_reported() -> None:
    reader = iter_dump(AUTHORED / "concatenated_pages.json")
    with pytest.warns(DialectWarning, match="concatenated"):
        ids = [r.service_request_id for r in reader]
    assert ids == ["PG-5501", "PG-5502", "PG-5503", "PG-5504"]
    assert reader.count == 4
    assert [w.code for w in reader.warnings] == ["concatenated-documents"]


def test_a_gzipped_city_export_reads_directly(tmp_path: Path) -> None:
    path = tmp_path / "311_Service_Requests.csv.gz"
    path.write_bytes(gzip.compress((AUTHORED / "cities" / "nyc_311.csv").read_bytes()))
    assert [r.service_request_id for r in iter_dump(path, mapping=NYC_311)] == ["59893145", "59893146", "59893147"]
    with pytest.raises(ValueError, match="needs a ColumnMapping"):
        iter_dump(path, format="csv")


def test_the_format_is_sniffed_when_nothing_names_it() -> None:
    assert iter_dump(b"<service_requests/>").format == "xml"
    assert iter_dump(b"[]").format == "json"
    assert iter_dump(b"service_request_id\n1\n").format == "bulk-csv"


# --- writing -----------------------------------------------------------------------
_settings = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(st.lists(service_requests(), max_size=3), st.sampled_from(V2_FORMATS))
def test_v2_formats_round_trip_through_write_dump(requests: list[ServiceRequest], fmt: str) -> None:
    buffer = io.BytesIO()
    assert write_dump(requests, buffer, format=fmt) == len(requests)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(iter_dump(buffer.getvalue(), format=fmt)) == requests  # type: ignore[arg-type]


@_settings
@given(st.lists(service_requests(), max_size=3))
def test_write_dump_json_equals_georeport_dump(requests: list[ServiceRequest]) -> None:
    buffer = io.BytesIO()
    write_dump(requests, buffer, format="json")
    document = georeport.ServiceRequestList(requests)
    assert georeport.load(buffer.getvalue(), kind="requests") == georeport.load(georeport.dump(document, "json"))


def test_a_city_csv_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="cannot write format 'csv'"):
        write_dump([], io.BytesIO(), format="csv")


def test_write_formats_are_exactly_what_write_dump_writes() -> None:
    assert set(DUMP_FORMATS) - set(WRITE_FORMATS) == {"csv"}
    for fmt in WRITE_FORMATS:
        assert write_dump([ServiceRequest("1")], io.BytesIO(), format=fmt) == 1  # type: ignore[arg-type]


# --- de-duplication ------------------------------------------------------------------
def test_deduplicating_harvested_pages_keeps_the_latest_update() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DialectWarning)
        kept, counts = deduplicate(iter_dump(AUTHORED / "harvest_overlapping_pages.json"))
    assert [(r.service_request_id, r.status_notes) for r in kept] == [
        ("24-000101", "same instant, later page"),  # equal instants in other offsets: the later page wins
        ("24-000102", "removed"),  # 12:30Z beats 08:00-04:00 and the stale 07:59:59-04:00
        ("24-000103", "acknowledged"),  # any update time beats none
    ]
    assert kept[1].status is Status.CLOSED
    assert (counts.read, counts.kept, counts.unique, counts.duplicates, counts.replaced, counts.without_id) == (
        7,
        3,
        3,
        4,
        3,
        0,
    )


def test_records_without_an_id_are_all_kept_and_counted() -> None:
    kept, counts = deduplicate([ServiceRequest(None), ServiceRequest("1"), ServiceRequest(None)])
    assert len(kept) == 3
    assert (counts.without_id, counts.duplicates) == (2, 0)


_ids = st.sampled_from(["1", "2", "3", None])
_updates = st.none() | st.integers(0, 5).map(lambda day: datetime(2024, 1, 1 + day, tzinfo=UTC))
_versions = st.lists(
    st.builds(
        lambda i, u, n: ServiceRequest(i, updated_datetime=u, status_notes=str(n)), _ids, _updates, st.integers()
    ),
    max_size=12,
)


@settings(max_examples=60)
@given(_versions)
def test_add_many_is_add_and_the_kept_version_is_the_latest(requests: list[ServiceRequest]) -> None:
    one, many = Deduplicator(), Deduplicator()
    for request in requests:
        one.add(request)
    many.add_many(requests)
    assert one.records() == many.records()
    assert one.counts == many.counts
    kept = many.records()
    assert many.counts.read == len(requests) == many.counts.kept + many.counts.duplicates
    for record in kept:
        if record.service_request_id is None:
            continue
        versions = [r for r in requests if r.service_request_id == record.service_request_id]
        dated = [r.updated_datetime for r in versions if r.updated_datetime is not None]
        if dated:
            assert record.updated_datetime == max(dated)
            # Among the latest, the one read last.
            assert record is [r for r in versions if r.updated_datetime == max(dated)][-1]
        else:
            assert record is versions[-1]


# --- partitions ------------------------------------------------------------------------
def _many(count: int) -> list[ServiceRequest]:
    return [
        ServiceRequest(
            f"r-{i}",
            Status.OPEN if i % 2 else Status.CLOSED,
            description='two lines,\n"quoted"' if i % 3 == 0 else f"plain {i}",
            requested_datetime=datetime(2024, 1, 1 + i % 28, tzinfo=UTC),
            extensions={"closed_datetime": None, "status_description": "Open", "source": None, "service_subtype": None},
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("fmt", ["xml", "jsonl", "bulk-csv", "bulk-xml"])
@pytest.mark.parametrize("size", [1, 700, 5000, 10**9])
def test_partitions_together_read_the_whole_file_in_order(tmp_path: Path, fmt: str, size: int) -> None:
    records = _many(200)
    path = tmp_path / {"xml": "a.xml", "jsonl": "a.jsonl", "bulk-csv": "a.csv", "bulk-xml": "a.bulk.xml"}[fmt]
    with path.open("wb") as handle:
        write_dump(records, handle, format=fmt)  # type: ignore[arg-type]
    parts = partitions([path], size=size)
    assert (len(parts) == 1) == (size == 10**9)
    assert all(part.format == fmt for part in parts)
    read = [r for part in parts for r in iter_partition(part)]
    whole = list(iter_dump(path))
    assert [bulk_record(r) for r in read] == [bulk_record(r) for r in whole]
    assert read == whole
    if size == 1:  # one record a partition
        assert len(parts) == len(records)


def test_csv_partitions_never_split_a_quoted_newline(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    rows = ["service_request_id,description"] + [f'{i},"line one\nline two, ""{i}""\n"' for i in range(300)]
    path.write_text("\r\n".join(rows) + "\r\n")
    for size in (3, 17, 64, 1000):
        parts = partitions([path], size=size)
        read = [(r.service_request_id, r.description) for part in parts for r in iter_partition(part)]
        assert read == [(str(i), f'line one\nline two, "{i}"') for i in range(300)]


def test_files_that_cannot_be_split_are_one_partition_each(tmp_path: Path) -> None:
    json_path = tmp_path / "pages.json"
    json_path.write_bytes((AUTHORED / "spec_requests.json").read_bytes())
    gz_path = tmp_path / "a.xml.gz"
    gz_path.write_bytes(gzip.compress((AUTHORED / "spec_requests.xml").read_bytes()))
    parts = partitions([json_path, gz_path], size=1)
    assert parts == [Partition(str(json_path), "json"), Partition(str(gz_path), "xml")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DialectWarning)  # the spec's example writes ids as numbers
        assert [len(list(iter_partition(part))) for part in parts] == [2, 2]


def test_a_name_without_a_format_needs_one(tmp_path: Path) -> None:
    path = tmp_path / "dump.dat"
    path.write_bytes(b"[]")
    with pytest.raises(georeport.ParseError, match="pass format="):
        partitions([path])
    assert partitions([path], format="json") == [Partition(str(path), "json")]


def test_xml_partitions_skip_a_request_element_nested_in_extensions(tmp_path: Path) -> None:
    records = "".join(
        f"<request><service_request_id>{i}</service_request_id>"
        f"<related><request><service_request_id>parent-{i}</service_request_id></request></related></request>\n"
        for i in range(50)
    )
    path = tmp_path / "nested.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>\n{records}</service_requests>\n')
    parts = partitions([path], size=1)
    assert len(parts) == 50
    read = [r for part in parts for r in iter_partition(part)]
    assert read == list(iter_dump(path))
    assert [r.service_request_id for r in read] == [str(i) for i in range(50)]


@pytest.mark.parametrize("fmt", ["bulk-csv", "csv"])
def test_a_file_object_given_stays_open_after_csv_reading(fmt: str) -> None:
    name = "bulk_requests.csv" if fmt == "bulk-csv" else "cities/nyc_311.csv"
    with (AUTHORED / name).open("rb") as handle:
        reader = iter_dump(handle, mapping=NYC_311 if fmt == "csv" else None)
        assert len(list(reader)) == 3
        del reader
        assert not handle.closed
        handle.seek(0)
        assert handle.read(1)


def test_xml_pages_appended_by_a_harvester_read_as_one_stream() -> None:
    page = (AUTHORED / "spec_requests.xml").read_bytes()
    namespaced = (AUTHORED / "requests_default_namespace.xml").read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DialectWarning)
        one = list(georeport.iter_requests(page))
        other = list(georeport.iter_requests(namespaced))
        reader = georeport.iter_requests(page + b"\n\n" + namespaced + page + b"\n")
        assert list(reader) == one + other + one
        assert list(iter_dump(page + page, format="xml")) == one + one
    assert "concatenated-documents" in [w.code for w in reader.warnings]


@settings(max_examples=30)
@given(st.integers(1, 400), st.integers(1, 3))
def test_xml_pages_are_found_across_any_chunk_boundary(chunk: int, count: int) -> None:
    from georeport.wire import _xml_pages
    from georeport.wire._records import RecordBuilder
    from georeport.wire._repairs import Repairs

    page = (AUTHORED / "bulk_requests.xml").read_bytes()
    original = _xml_pages._CHUNK
    _xml_pages._CHUNK = chunk
    try:
        builder = RecordBuilder(Repairs(strict=False, format="xml"), textual=True, default_timezone=None)
        ids = [r.service_request_id for r in _xml_pages.iter_xml_pages(io.BytesIO(page * count), builder)]
    finally:
        _xml_pages._CHUNK = original
    assert ids == ["2016-0041187", "2016-0041203", "2016-0041250"] * count


def test_a_truncated_second_page_is_a_parse_error_after_the_first_pages_records() -> None:
    page = (AUTHORED / "bulk_requests.xml").read_bytes()
    reader = iter_dump(page + page[: len(page) // 2], format="bulk-xml")
    got: list[ServiceRequest] = []
    with pytest.raises(georeport.ParseError):
        got.extend(reader)
    assert len(got) >= 3


def test_a_json_lines_record_with_a_list_extension_named_like_a_wrapper_is_a_record() -> None:
    lines = b'{"service_request_id": "1", "data": [1, 2]}\n{"service_request_id": "2", "request": [null]}\n'
    records = list(iter_dump(lines, format="jsonl"))
    assert [(r.service_request_id, r.extensions) for r in records] == [
        ("1", {"data": [1, 2]}),
        ("2", {"request": [None]}),
    ]
    # A real wrapper (no request fields of its own) is still unwrapped.
    with pytest.warns(DialectWarning, match="vendor-wrapper"):
        wrapped = list(iter_dump(b'{"page": 2, "data": [{"service_request_id": "3"}]}', format="json"))
    assert [r.service_request_id for r in wrapped] == ["3"]


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_default_timezone_is_a_typed_error_naming_the_option(name: str) -> None:
    data = b'[{"service_request_id": "1", "requested_datetime": "2024-01-05T10:00:00"}]'
    with pytest.raises(georeport.ValidationError, match="default_timezone"):
        georeport.load(data, default_timezone=name)
    with pytest.raises(georeport.ValidationError, match="default_timezone"):
        list(georeport.iter_dump(io.BytesIO(data), format="json", default_timezone=name))
