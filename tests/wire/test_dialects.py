"""Lenient reading of real servers' dialects, each repair reported; strict refuses them."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import georeport
from georeport import ServiceRequestList, Status
from tests.conftest import DATA

AUTHORED = DATA / "authored"


def quietly(source: object, **options: object) -> georeport.Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", georeport.DialectWarning)
        return georeport.load(source, **options)  # type: ignore[arg-type, call-overload, no-any-return]


class TestDatetimes:
    def test_zoneless_datetimes_take_the_callers_zone(self) -> None:
        document = quietly(
            b'[{"service_request_id": "1", "requested_datetime": "2010-11-17 01:00:56.743"}]',
            default_timezone="America/Los_Angeles",
        )
        value = document.one().requested_datetime  # type: ignore[union-attr]
        assert value == datetime(2010, 11, 17, 1, 0, 56, 743000, tzinfo=ZoneInfo("America/Los_Angeles"))
        assert value.utcoffset() == timedelta(hours=-8)

    def test_zoneless_datetimes_default_to_utc(self) -> None:
        value = (
            quietly(
                b"<service_requests><request><requested_datetime>2010-11-17T01:00:56</requested_datetime></request></service_requests>"
            )
            .one()
            .requested_datetime
        )  # type: ignore[union-attr]
        assert value == datetime(2010, 11, 17, 1, 0, 56, tzinfo=UTC)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2012-09-18T15:37-05", datetime(2012, 9, 18, 15, 37, tzinfo=timezone(timedelta(hours=-5)))),
            ("2017-02-21T22:18:27.000Z", datetime(2017, 2, 21, 22, 18, 27, tzinfo=UTC)),
            ("2011-09-1 17:35", datetime(2011, 9, 1, 17, 35, tzinfo=UTC)),
            ("2011-03-10", datetime(2011, 3, 10, tzinfo=UTC)),
        ],
    )
    def test_real_world_forms_are_read(self, text: str, expected: datetime) -> None:
        document = quietly(f'[{{"service_request_id": "1", "updated_datetime": "{text}"}}]'.encode())
        assert document.one().updated_datetime == expected  # type: ignore[union-attr]


class TestValues:
    def test_numbers_booleans_and_statuses_as_strings(self) -> None:
        services = quietly(AUTHORED / "booleans_as_strings_services.json")
        assert all(isinstance(service.metadata, bool) for service in services)  # type: ignore[union-attr]
        assert {w.code for w in services.warnings} >= {"boolean-as-text"}

    def test_numeric_ids_become_strings_with_a_warning(self) -> None:
        with pytest.warns(georeport.DialectWarning, match="leading zeros"):
            document = georeport.load(b'[{"service_request_id": 293944, "service_notice": "ok"}]')
        assert document.one().service_request_id == "293944"  # type: ignore[union-attr]

    def test_leading_zero_literals_keep_their_zeros(self) -> None:
        document = quietly(AUTHORED / "json_leading_zero_numbers.json")
        assert any(w.code == "number-leading-zeros" for w in document.warnings)
        codes = {record.service_code for record in document}  # type: ignore[union-attr]
        assert any(code and code.startswith("0") for code in codes)

    def test_extended_status_is_projected_and_kept(self) -> None:
        request = quietly(b'[{"service_request_id": "1", "status": "in_progress"}]').one()  # type: ignore[union-attr]
        assert (request.status, request.extensions["status_original"]) == (Status.OPEN, "in_progress")

    def test_duplicate_keys_lose_no_value(self) -> None:
        document = quietly(
            b'[{"service_request_id": "1", "updated_datetime": "2010-01-01T00:00:00Z", "updated_datetime": "null"}]'
        )
        assert document.one().updated_datetime == datetime(2010, 1, 1, tzinfo=UTC)  # type: ignore[union-attr]
        assert [w.code for w in document.warnings] == ["duplicate-key"]

    def test_duplicate_keys_with_two_values_keep_both(self) -> None:
        definition = quietly(AUTHORED / "parker_duplicate_attribute_keys.json")
        assert isinstance(definition, georeport.ServiceDefinition)
        assert len(definition.attributes) == 2


class TestShapes:
    def test_lone_object_is_a_list_of_one(self) -> None:
        document = quietly(AUTHORED / "single_object_request.json")
        assert isinstance(document, ServiceRequestList)
        assert len(document) == 1
        assert "lone-object" in {w.code for w in document.warnings}

    def test_vendor_wrapper_keeps_its_other_keys(self) -> None:
        document = quietly(b'{"service_requests": [{"service_request_id": "1", "status": "open"}], "page": 2}')
        assert document.extensions == {"page": 2}
        assert (
            georeport.dump(document, "json")
            == b'{"service_requests":['
            + georeport.dump(ServiceRequestList(document.items), "json")[1:-1]
            + b'],"page":2}'
        )  # type: ignore[arg-type]

    def test_concatenated_pages_are_one_list(self) -> None:
        document = quietly(AUTHORED / "concatenated_pages.json")
        assert len(document) == 4  # type: ignore[arg-type]

    def test_namespaced_xml_is_read_and_written_without_namespace(self) -> None:
        document = quietly(AUTHORED / "requests_default_namespace.xml")
        assert len(document) >= 1  # type: ignore[arg-type]
        assert b"xmlns" not in georeport.dump(document, "xml")

    def test_receipt_and_token_shapes(self) -> None:
        receipt = quietly(b"<service_requests><request><token>12345</token></request></service_requests>")
        assert isinstance(receipt, georeport.ReceiptList)
        token = quietly(
            b"<service_requests><request><service_request_id>1</service_request_id><token>12345</token></request></service_requests>"
        )
        assert isinstance(token, georeport.TokenList)
        told = quietly(
            b"<service_requests><request><service_request_id>1</service_request_id></request></service_requests>",
            kind="tokens",
        )
        assert isinstance(told, georeport.TokenList)

    def test_empty_documents(self) -> None:
        assert len(quietly(b"<service_requests/>")) == 0  # type: ignore[arg-type]
        assert len(quietly(b"[]")) == 0  # type: ignore[arg-type]


class TestStreaming:
    @pytest.mark.parametrize(
        "name",
        [
            "json_lines_requests.jsonl",
            "concatenated_pages.json",
            "vendor_wrapped_requests.json",
            "spec_requests.xml",
            "spec_requests.json",
        ],
    )
    def test_streaming_equals_loading(self, name: str) -> None:
        path = AUTHORED / name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", georeport.DialectWarning)
            streamed = list(georeport.iter_requests(path, format="xml" if name.endswith(".xml") else "json"))
            if name.endswith(".jsonl"):
                loaded = [
                    record for line in path.read_bytes().splitlines() if line.strip() for record in georeport.load(line)
                ]  # type: ignore[union-attr]
            else:
                loaded = list(georeport.load(path))  # type: ignore[call-overload]
        assert streamed == loaded
        assert streamed

    def test_reader_reports_count_and_warnings(self) -> None:
        reader = georeport.iter_requests(b'[{"service_request_id": 5}, {"service_request_id": 6}]')
        with pytest.warns(georeport.DialectWarning):
            ids = [request.service_request_id for request in reader]
        assert ids == ["5", "6"]
        assert reader.count == 2
        assert reader.warnings[0].count == 2
