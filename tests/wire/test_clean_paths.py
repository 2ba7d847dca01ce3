"""The readers' fast paths for clean documents agree with the general paths.

XML documents in the standard's plain shape are read without an lxml tree
(``xml._clean_requests``); any other document, and any record that needs a
repair, is read by lxml. A comment after the root's start tag sends a document
down the lxml path without changing what it says, so each test reads the same
text both ways and compares documents, warnings and strict-mode problems.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import georeport
from georeport import DialectWarning, InvalidDocumentError, ServiceRequestList
from georeport.wire import xml as wire_xml
from georeport.wire._records import REQUEST_FIELDS
from georeport.wire._tree import escape_text
from tests.strategies import service_requests

_ROOT = "<service_requests>"


def _lxml_twin(data: bytes) -> bytes:
    """The same document with a comment the fast path does not take (lxml drops comments)."""
    return data.replace(_ROOT.encode(), (_ROOT + "<!-- read by lxml -->").encode(), 1)


def _outcome(data: bytes, *, strict: bool) -> tuple[Any, ...]:
    """What reading gives: the document and its warnings, or the strict problems."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = georeport.load(data, format="xml", strict=strict)
    except InvalidDocumentError as error:
        return ("refused", [(str(problem), problem.path, problem.line) for problem in error.exceptions])
    found = [
        (w.code, w.field, w.detail, w.path, repr(w.example), w.count)
        for w in document.warnings
        if isinstance(w, DialectWarning)
    ]
    return ("read", document, found)


def _document(
    records: list[dict[str, str | None]], *, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n'
) -> bytes:
    parts = [declaration, _ROOT, "\n"]
    for record in records:
        parts.append("  <request>\n")
        for name in REQUEST_FIELDS:
            value = record.get(name)
            parts.append(f"    <{name}/>\n" if value is None else f"    <{name}>{value}</{name}>\n")
        parts.append("  </request>\n")
    parts.append("</service_requests>\n")
    return "".join(parts).encode("utf-8")


def _outcome_or_error(data: bytes, *, strict: bool) -> tuple[Any, ...]:
    try:
        return _outcome(data, strict=strict)
    except georeport.ParseError as error:
        return ("error", type(error), str(error), error.line)


_CLEAN = {
    "service_request_id": "0638",
    "status": "open",
    "status_notes": None,
    "service_name": "Pothole &amp; Sidewalk",
    "service_code": "006",
    "description": "Depth &lt; 5cm &gt; 2cm, &quot;deep&quot; &apos;n&apos; wide \u2013 Köln ☃",
    "agency_responsible": "Straßen &amp; Wege",
    "service_notice": "   ",
    "requested_datetime": "2010-04-14T06:37:38-08:00",
    "updated_datetime": "2010-04-14T06:37:38Z",
    "expected_datetime": "2010-04-15T06:37:38.250+05:30",
    "address": "8TH AVE and JUDAH ST\n  San Francisco",
    "address_id": "545483",
    "zipcode": "94122",
    "lat": "37.762221815",
    "long": "-122.4651145",
    "media_url": "http://example.org/a.jpg?x=1&amp;y=2",
}


def test_a_plain_document_takes_the_fast_path_and_reads_as_lxml_reads_it() -> None:
    data = _document([_CLEAN, {**_CLEAN, "status": "closed", "lat": None, "long": None}])
    fast = wire_xml._clean_requests(data, strict=False, default_timezone=None, emit=True)
    assert isinstance(fast, ServiceRequestList)
    assert fast.items[0].description == "Depth < 5cm > 2cm, \"deep\" 'n' wide \u2013 Köln ☃"
    assert fast.items[0].media_url == "http://example.org/a.jpg?x=1&y=2"
    assert fast.items[0].service_notice is None
    assert _outcome(data, strict=False) == ("read", fast, [])
    assert _outcome(_lxml_twin(data), strict=False) == ("read", fast, [])
    assert _outcome(data, strict=True) == _outcome(_lxml_twin(data), strict=True)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda d: d.replace(b"&amp; Wege", b"&#38; Wege"), id="character-reference"),
        pytest.param(lambda d: d.replace(b"<zipcode>94122", b"<zipcode><![CDATA[94122]]>"), id="cdata"),
        pytest.param(lambda d: d.replace(b"<status>open", b'<status x="1">open'), id="attribute"),
        pytest.param(
            lambda d: d.replace(
                b"<service_requests>", b'<service_requests xmlns="http://wiki.open311.org/GeoReport_v2">'
            ),
            id="namespace",
        ),
        pytest.param(lambda d: d.replace(b"<media_url/>", b"<media_url/><x>1</x>"), id="extension"),
        pytest.param(lambda d: d.replace(b"<media_url/>\n", b""), id="missing-field"),
        pytest.param(
            lambda d: d.replace(
                b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0" encoding="ISO-8859-1"?>'
            ),
            id="latin-1",
        ),
        pytest.param(lambda d: b"  " + d, id="space-before-declaration"),
        pytest.param(lambda d: d.replace(b"-08:00", b""), id="naive-datetime"),
        pytest.param(lambda d: d.replace(b"<lat>37.76", b"<lat>137.76"), id="latitude-out-of-range"),
        pytest.param(lambda d: d.replace(b"<status>open", b"<status>Open"), id="status-case"),
        pytest.param(lambda d: d.replace(b"<status>open</status>", b"<status/>"), id="missing-status"),
        pytest.param(lambda d: d.replace(b"</service_requests>", b"</service_requests><x/>"), id="not-well-formed"),
    ],
)
def test_documents_off_the_fast_path_read_as_before(change: Any) -> None:
    data = change(_document([_CLEAN, {**_CLEAN, "media_url": None}]))
    for strict in (False, True):
        assert _outcome_or_error(data, strict=strict) == _outcome_or_error(_lxml_twin(data), strict=strict)


def test_a_repair_in_a_late_record_is_reported_with_its_line() -> None:
    data = _document([_CLEAN] * 3 + [{**_CLEAN, "requested_datetime": "2010-04-14 06:37:38"}])
    assert wire_xml._clean_requests(data, strict=False, default_timezone=None, emit=True) is None
    _, _, found = _outcome(data, strict=False)
    assert [(code, path, count) for code, _, _, path, _, count in found] == [
        ("datetime-space-separator", "$[3].requested_datetime", 1),
        ("datetime-without-zone", "$[3].requested_datetime", 1),
    ]
    refused = _outcome(data, strict=True)
    assert refused[0] == "refused"
    fourth = data.replace(b"<request>", b"<Request>", 3).index(b"<request>")
    assert {line for _, _, line in refused[1]} == {data[:fourth].count(b"\n") + 1}


_TEXT = st.lists(
    st.sampled_from([*"aZ09 \t\n.:-+T&<>\"'öé☃_", "null", "open", "2010-04-14T06:37:38Z", "-08:00", "37.5"]),
    max_size=6,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({name: st.none() | _TEXT for name in REQUEST_FIELDS}), min_size=1, max_size=3))
def test_any_field_text_reads_the_same_on_both_paths(records: list[dict[str, str | None]]) -> None:
    escaped = [{k: None if v is None else escape_text(v) for k, v in record.items()} for record in records]
    data = _document(escaped)
    for strict in (False, True):
        assert _outcome(data, strict=strict) == _outcome(_lxml_twin(data), strict=strict)


@settings(max_examples=60, deadline=None)
@given(st.lists(service_requests(), min_size=1, max_size=4))
def test_written_requests_read_back_the_same_on_both_paths(requests: list[georeport.ServiceRequest]) -> None:
    data = georeport.dump(ServiceRequestList(tuple(requests)), "xml")
    assert _outcome(data, strict=False) == _outcome(_lxml_twin(data), strict=False)
