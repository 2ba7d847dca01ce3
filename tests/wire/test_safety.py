"""Hostile XML and JSON get a clear error in bounded time and memory, and nothing is fetched."""

from __future__ import annotations

import resource
import time
import warnings

import pytest

import georeport
from tests.conftest import DATA

AUTHORED = DATA / "authored"


class TestHostileXml:
    @pytest.mark.parametrize("name", ["xxe_external_entity.xml", "billion_laughs.xml", "external_dtd.xml"])
    def test_doctype_documents_are_refused(self, name: str) -> None:
        started = time.perf_counter()
        with pytest.raises(georeport.UnsafeDocumentError) as caught:
            georeport.load(AUTHORED / name)
        assert time.perf_counter() - started < 5
        assert "DOCTYPE" in str(caught.value)
        assert caught.value.format == "xml"

    def test_doctype_after_a_comment_is_still_refused(self) -> None:
        document = b'<?xml version="1.0"?><!-- a < b --><!DOCTYPE r [<!ENTITY x "y">]><service_requests/>'
        with pytest.raises(georeport.UnsafeDocumentError):
            georeport.load(document)

    def test_streaming_refuses_a_doctype_too(self) -> None:
        with pytest.raises(georeport.UnsafeDocumentError):
            list(georeport.iter_requests(AUTHORED / "xxe_external_entity.xml"))

    def test_undeclared_entity_is_a_parse_error_not_an_expansion(self) -> None:
        with pytest.raises(georeport.ParseError):
            georeport.load(b"<service_requests><request><description>&xxe;</description></request></service_requests>")

    def test_a_100_mb_text_node_is_refused_in_bounded_memory(self) -> None:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        big = (
            b"<service_requests><request><description>"
            + b"a" * (100 * 1024 * 1024)
            + b"</description></request></service_requests>"
        )
        started = time.perf_counter()
        with pytest.raises(georeport.UnsafeDocumentError):
            georeport.load(big, format="xml")
        assert time.perf_counter() - started < 20
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert grown_mb < 400, f"peak memory grew by {grown_mb:.0f} MB for a 100 MB input"


class TestMalformedInput:
    def test_xml_error_names_format_and_line(self) -> None:
        with pytest.raises(georeport.ParseError) as caught:
            georeport.load(AUTHORED / "truncated_requests.xml")
        error = caught.value
        assert error.format == "xml"
        assert error.line is not None
        assert error.line >= 1
        assert "line" in str(error)

    def test_json_error_names_line_and_column(self) -> None:
        with pytest.raises(georeport.ParseError) as caught:
            georeport.load(b'[{"service_request_id": "1",\n "status": }]')
        assert (caught.value.format, caught.value.line) == ("json", 2)
        assert caught.value.column is not None

    def test_html_error_page_is_named_as_such(self) -> None:
        with pytest.raises(georeport.ParseError, match="HTML"):
            georeport.load(AUTHORED / "html_error_page.html")

    def test_parse_errors_are_value_errors(self) -> None:
        with pytest.raises(ValueError, match="not well-formed"):
            georeport.load(b"<services><service></services>")

    def test_unknown_root_is_its_own_error(self) -> None:
        with pytest.raises(georeport.UnknownDocumentError, match="<feed>"):
            georeport.load(b"<feed><entry/></feed>")

    def test_strict_mode_reports_every_problem_with_its_place(self) -> None:
        document = (
            b'[{"service_request_id": 1, "status": "Open", "service_code": "A", "requested_datetime": "2010-01-01 10:00"},'
            b' {"service_request_id": "2", "status": "closed", "service_code": "B", "requested_datetime": "2010-01-01T10:00:00Z", "lat": "91"}]'
        )
        with pytest.raises(georeport.InvalidDocumentError) as caught:
            georeport.load(document, strict=True)
        paths = sorted(problem.path or "" for problem in caught.value.exceptions)
        assert paths == [
            "$[0].requested_datetime",
            "$[0].requested_datetime",
            "$[0].service_request_id",
            "$[0].status",
            "$[1].lat",
            "$[1].lat",
        ]
        assert isinstance(caught.value, ExceptionGroup)
        assert {problem.field for problem in caught.value.exceptions} == {
            "requested_datetime",
            "service_request_id",
            "status",
            "lat",
        }

    def test_strict_xml_problems_carry_the_line(self) -> None:
        document = b"<service_requests>\n<request>\n<service_request_id>1</service_request_id>\n<status>Open</status>\n</request>\n</service_requests>"
        with pytest.raises(georeport.InvalidDocumentError) as caught:
            georeport.load(document, strict=True)
        lines = {problem.line for problem in caught.value.exceptions}
        assert lines == {2}

    def test_lenient_mode_keeps_what_it_could_not_read(self) -> None:
        with warnings.catch_warnings(record=True) as issued:
            warnings.simplefilter("always")
            document = georeport.load(
                b'[{"service_request_id": "1", "requested_datetime": "next tuesday", "status": "fixed"}]'
            )
        request = document.one()
        assert request.requested_datetime is None
        assert request.extensions == {"requested_datetime_original": "next tuesday", "status_original": "fixed"}
        assert request.status is georeport.Status.CLOSED
        assert {w.message.code for w in issued if isinstance(w.message, georeport.DialectWarning)} == {
            "datetime-invalid",
            "choice-alias",
        }  # type: ignore[union-attr]
        assert [w.code for w in document.warnings] == ["choice-alias", "datetime-invalid"]

    def test_streaming_reports_the_line_of_a_bad_record(self) -> None:
        lines = b'{"service_request_id": "1"}\n{"service_request_id": "2"}\n{"service_request_id": \n'
        reader = georeport.iter_requests(lines)
        assert next(reader).service_request_id == "1"
        assert next(reader).service_request_id == "2"
        with pytest.raises(georeport.ParseError) as caught:
            next(reader)
        assert caught.value.line == 3

    def test_oversized_json_record_is_refused_when_streaming(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from georeport.wire import _json_stream

        monkeypatch.setattr(_json_stream, "MAX_RECORD", 1 << 20)
        monkeypatch.setattr(_json_stream, "CHUNK", 1 << 16)
        document = b'[{"description": "' + b"x" * (3 << 20) + b'"}]'
        with pytest.raises(georeport.UnsafeDocumentError, match="larger than"):
            list(georeport.iter_requests(document))
