"""Properties of the wire formats: round trips, stability, streaming, robustness.

Each test's name is the claim it checks. The strategies live in
``tests/strategies.py``; the limits they respect are listed there.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import warnings
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, cast
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

import georeport
from georeport import (
    DialectWarning,
    Discovery,
    Error,
    ErrorList,
    GeoReportError,
    InvalidDocumentError,
    ParseError,
    ReceiptList,
    RecordList,
    Service,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    TokenList,
    UnknownDocumentError,
    ValidationError,
)
from georeport.wire import Format
from tests.strategies import (
    aware_datetimes,
    discoveries,
    documents,
    error_lists,
    json_values,
    kind_of,
    receipt_lists,
    request_lists,
    service_definitions,
    service_lists,
    texts,
    token_lists,
    whole_minute_offset,
)

FORMATS: tuple[Format, ...] = ("xml", "json")
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# --- helpers ---------------------------------------------------------------------------------
def typed(value: Any) -> Any:
    """A comparable form that also tells apart what ``==`` equates.

    ``True == 1 == 1.0``, a list equals an ``ElementList``, and aware
    datetimes are equal by instant; this keeps types, key order and UTC
    offsets so a round trip must keep them too.
    """
    if attrs.has(type(value)):
        return (
            type(value).__name__,
            [(field.name, typed(getattr(value, field.name))) for field in attrs.fields(type(value)) if field.eq],
        )
    if isinstance(value, datetime):
        return ("datetime", value.astimezone(UTC), value.utcoffset())
    if isinstance(value, bool | int | float | str) or value is None:
        return (type(value).__name__, repr(value))
    if isinstance(value, list | tuple):
        return ("list", [typed(item) for item in value])
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    msg = f"no typed form for {value!r}"
    raise TypeError(msg)


def assert_same(expected: Any, actual: Any) -> None:
    """Equal, and equal with types, key order and UTC offsets."""
    assert expected == actual
    assert typed(expected) == typed(actual)


def repairs_issued(caught: list[warnings.WarningMessage]) -> list[str]:
    """The codes of the ``DialectWarning``s caught; any other warning fails the test."""
    assert [w for w in caught if not isinstance(w.message, DialectWarning)] == []
    return [w.message.code for w in caught]  # type: ignore[union-attr]


def load_own(data: bytes, **options: Any) -> Any:
    """``load`` georeport's own output: it must need no repair (not even the wrapper of root extensions)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = georeport.load(data, **options)
    assert repairs_issued(caught) == []
    assert loaded.warnings == ()
    return loaded


def stream_own(source: Any, **options: Any) -> list[ServiceRequest]:
    """``iter_requests`` over georeport's own output, which must need no repair either (not even its JSON
    carrier of root extensions)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reader = georeport.iter_requests(source, **options)
        records = list(reader)
    assert repairs_issued(caught) == []
    assert reader.warnings == ()
    return records


class ShortReads(io.RawIOBase):
    """A binary stream whose ``read(n)`` returns at most the next of ``sizes`` bytes (cycled).

    Short reads are legal for any raw stream (pipes, sockets); a reader must
    not assume ``read(n)`` fills ``n`` bytes.
    """

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data = memoryview(data)
        self._position = 0
        self._sizes = itertools.cycle(sizes)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), next(self._sizes), len(self._data) - self._position)
        buffer[:size] = self._data[self._position : self._position + size]
        self._position += size
        return size


def short_reads(data: bytes, sizes: list[int]) -> IO[bytes]:
    """``data`` as a ``ShortReads`` stream, typed as the binary file it is."""
    return cast("IO[bytes]", ShortReads(data, sizes))


read_sizes = st.lists(st.integers(1, 300), min_size=1, max_size=12)


# --- 1. round trips --------------------------------------------------------------------------
class TestRoundTrip:
    @SLOW
    @given(document=documents())
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_round_trip_is_identity_within_and_across_formats(self, fmt: Format, document: Any) -> None:
        """``load(dump(x, fmt)) == x`` for every document kind, extensions and non-ASCII text included;
        and across formats: ``fmt`` -> model -> the other format -> model gives ``x`` back too."""
        kind = kind_of(document)
        loaded = load_own(georeport.dump(document, fmt), kind=kind)
        assert_same(document, loaded)
        other: Format = "json" if fmt == "xml" else "xml"
        assert_same(document, load_own(georeport.dump(loaded, other), kind=kind))

    @SLOW
    @given(document=documents(root_extras=False))
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_kind_is_detected_when_the_shape_is_unambiguous(self, fmt: Format, document: Any) -> None:
        """Without ``kind=``, a document whose shape tells its kind loads as that kind.

        Ambiguous shapes are left out: an empty JSON list, a ``<service_requests>``
        with no record, token replies that never carry both id and token, and
        records whose extensions use another kind's field names.
        """
        document = without_extensions(document)
        if isinstance(document, TokenList):
            assume(any(t.service_request_id is not None and t.token is not None for t in document))
        elif isinstance(document, ReceiptList) or (fmt == "json" and isinstance(document, RecordList)):
            assume(len(document) > 0)
        loaded = load_own(georeport.dump(document, fmt))
        assert type(document) is type(loaded)
        assert_same(document, loaded)


def without_extensions(value: Any) -> Any:
    """The value with every ``extensions`` mapping emptied, at any depth."""
    if isinstance(value, list | tuple):
        return type(value)(without_extensions(item) for item in value)
    if not attrs.has(type(value)):
        return value
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        if field.name == "extensions":
            changes["extensions"] = {}
        elif field.name in ("items", "attributes", "values", "endpoints"):
            changes[field.name] = without_extensions(getattr(value, field.name))
    return attrs.evolve(value, **changes)


SOURCE_TYPES = ("bytes", "str", "bytearray", "memoryview", "BytesIO", "StringIO", "path", "BOM")


class TestWhatReadersAccept:
    """The same document given another way reads the same: other sources, namespaces, indentation."""

    @SLOW
    @given(document=documents(), fmt=st.sampled_from(FORMATS), source=st.sampled_from(SOURCE_TYPES))
    def test_every_kind_of_source_reads_the_same(
        self, document: Any, fmt: Format, source: str, tmp_path_factory: Any
    ) -> None:
        data = georeport.dump(document, fmt)
        path = tmp_path_factory.mktemp("source") / f"document.{fmt}"
        assert_same(document, load_own(as_source(data, source, path), kind=kind_of(document)))

    @SLOW
    @given(document=documents(), namespace=st.sampled_from(["http://wiki.open311.org/GeoReport_v2", "urn:x-city:311"]))
    def test_a_default_namespace_changes_nothing(self, document: Any, namespace: str) -> None:
        declaration, _, body = georeport.dump(document, "xml").partition(b"\n")
        root = re.match(rb"<[A-Za-z_]+", body)
        assert root is not None
        namespaced = declaration + b"\n" + body[: root.end()] + f' xmlns="{namespace}"'.encode() + body[root.end() :]
        assert_same(document, load_own(namespaced, kind=kind_of(document)))
        if isinstance(document, ServiceRequestList):
            assert_same(list(document), stream_own(namespaced))

    @SLOW
    @given(document=documents(), fmt=st.sampled_from(FORMATS))
    def test_indented_documents_read_the_same(self, document: Any, fmt: Format) -> None:
        """Servers pretty-print: indentation between elements (XML) or tokens (JSON, with ASCII escapes) is no data."""
        data = georeport.dump(document, fmt)
        if fmt == "xml":
            root = etree.fromstring(data)
            indented = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        else:
            indented = json.dumps(json.loads(data), indent=2, ensure_ascii=True).encode()
        assert_same(document, load_own(indented, kind=kind_of(document)))
        if isinstance(document, ServiceRequestList):
            assert_same(list(document), stream_own(indented))


def as_source(data: bytes, source: str, path: Path) -> Any:
    """``data`` as one of the sources ``load`` takes."""
    text = data.decode("utf-8")
    sources: dict[str, Any] = {
        "bytes": data,
        "str": text,
        "bytearray": bytearray(data),
        "memoryview": memoryview(data),
        "BytesIO": io.BytesIO(data),
        "StringIO": io.StringIO(text),
        "BOM": b"\xef\xbb\xbf" + data,
        "path": path,
    }
    path.write_bytes(data)
    return sources[source]


# --- 2. stable output ------------------------------------------------------------------------------
class TestStableOutput:
    @SLOW
    @given(document=documents())
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_dumping_what_was_loaded_is_byte_for_byte_stable(self, fmt: Format, document: Any) -> None:
        """``dump(load(dump(x)))`` equals ``dump(x)`` byte for byte, in the same format and in the other one."""
        first = georeport.dump(document, fmt)
        loaded = load_own(first, kind=kind_of(document))
        assert first == georeport.dump(loaded, fmt)
        other: Format = "json" if fmt == "xml" else "xml"
        assert georeport.dump(document, other) == georeport.dump(loaded, other)


# --- 3. datetimes ----------------------------------------------------------------------------------
W3C_SHAPE = r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})\Z"


def one_record(record: dict[str, str], fmt: Format) -> bytes:
    """A requests document holding one record of text fields."""
    if fmt == "json":
        return json.dumps([record]).encode()
    fields = "".join(f"<{key}>{value}</{key}>" for key, value in record.items())
    return f"<service_requests><request>{fields}</request></service_requests>".encode()


class TestDatetimes:
    @given(
        requested=aware_datetimes(unambiguous=False),
        updated=aware_datetimes(unambiguous=False),
        expected=aware_datetimes(unambiguous=False),
    )
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_w3c_datetimes_keep_instant_and_offset_across_zones(
        self, fmt: Format, requested: datetime, updated: datetime, expected: datetime
    ) -> None:
        """Any aware datetime (DST zones, folds and gaps too) comes back as the same instant and offset."""
        request = ServiceRequest(
            "1", requested_datetime=requested, updated_datetime=updated, expected_datetime=expected
        )
        document = ServiceRequestList([request])
        (loaded,) = load_own(georeport.dump(document, fmt), kind="requests")
        for sent, got in [
            (requested, loaded.requested_datetime),
            (updated, loaded.updated_datetime),
            (expected, loaded.expected_datetime),
        ]:
            assert sent.astimezone(UTC) == got.astimezone(UTC)
            assert sent.utcoffset() == got.utcoffset()

    @given(
        value=st.one_of(
            st.datetimes(
                datetime(1900, 1, 1),
                datetime(1909, 12, 31),
                timezones=st.sampled_from(
                    [ZoneInfo(name) for name in ("Asia/Kathmandu", "Asia/Kolkata", "Europe/Dublin", "Europe/Amsterdam")]
                ),
            ).filter(lambda value: not whole_minute_offset(value)),
            st.datetimes(
                datetime(1900, 1, 1),
                datetime(2100, 1, 1),
                timezones=st.integers(-86399, 86399)
                .filter(lambda seconds: seconds % 60 != 0)
                .map(lambda seconds: timezone(timedelta(seconds=seconds))),
            ),
        )
    )
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_offsets_that_are_not_whole_minutes_keep_the_instant_in_utc(self, fmt: Format, value: datetime) -> None:
        """W3C offsets are whole minutes: other offsets (local mean time) are written in UTC, same instant."""
        document = ServiceRequestList([ServiceRequest("1", requested_datetime=value)])
        (loaded,) = load_own(georeport.dump(document, fmt), kind="requests")
        assert value.astimezone(UTC) == loaded.requested_datetime
        assert timedelta(0) == loaded.requested_datetime.utcoffset()

    @given(value=aware_datetimes(unambiguous=False), data=st.data())
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_every_w3c_form_of_a_datetime_is_read_strictly_as_that_datetime(
        self, fmt: Format, value: datetime, data: Any
    ) -> None:
        """``hh:mm``, ``hh:mm:ss``, 1-6 fraction digits, ``Z`` or ``+00:00``: all read exactly, in strict mode."""
        text = data.draw(w3c_forms(value))
        record = {"service_request_id": "1", "status": "open", "service_code": "001", "requested_datetime": text}
        (loaded,) = georeport.load(one_record(record, fmt), kind="requests", strict=True)
        assert loaded.requested_datetime is not None
        assert value.astimezone(UTC) == loaded.requested_datetime.astimezone(UTC)
        assert value.utcoffset() == loaded.requested_datetime.utcoffset()

    @given(
        text=st.from_regex(W3C_SHAPE),
        fmt=st.sampled_from(FORMATS),
        strict=st.booleans(),
    )
    def test_w3c_shaped_text_reads_as_fromisoformat_reads_it_or_is_refused(
        self, text: str, fmt: Format, *, strict: bool
    ) -> None:
        """Oracle: ``datetime.fromisoformat``. A possible date is read exactly; an impossible one
        (month 13, Feb 30, hour 24, offset 25:00) is a ``datetime-invalid`` repair, or refused in strict mode."""
        try:
            expected: datetime | None = datetime.fromisoformat(text)
        except ValueError:
            expected = None
        record = {"service_request_id": "1", "status": "open", "service_code": "1", "requested_datetime": text}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                (loaded,) = georeport.load(one_record(record, fmt), kind="requests", strict=strict)
            except ParseError:
                assert expected is None
                assert strict
                return
        if expected is None:
            assert repairs_issued(caught) == ["datetime-invalid"]
            assert loaded.requested_datetime is None
        else:
            assert repairs_issued(caught) == []
            assert_same(expected, loaded.requested_datetime)


@st.composite
def w3c_forms(draw: st.DrawFn, value: datetime) -> str:
    """One of the W3C (ISO 8601 profile) spellings of ``value``."""
    text = value.strftime("%Y-%m-%dT%H:%M")
    microseconds = f"{value.microsecond:06d}"
    if value.second or value.microsecond or draw(st.booleans()):
        text += f":{value.second:02d}"
        digits = [n for n in range(1, 7) if not microseconds[n:].strip("0")]
        if value.microsecond or draw(st.booleans()):
            text += "." + microseconds[: draw(st.sampled_from(digits))]
    offset = value.utcoffset()
    assert offset is not None
    if not offset and draw(st.booleans()):
        return text + "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


# --- 4. streaming ------------------------------------------------------------------------------------
class TestStreaming:
    @SLOW
    @given(document=request_lists())
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_streaming_equals_whole_document_parsing(self, fmt: Format, document: ServiceRequestList) -> None:
        """``list(iter_requests(dump(x)))`` is ``list(x)``."""
        streamed = stream_own(georeport.dump(document, fmt))
        assert_same(list(document), streamed)

    @SLOW
    @given(document=request_lists(max_size=3), sizes=read_sizes)
    def test_json_streaming_does_not_depend_on_read_sizes(self, document: ServiceRequestList, sizes: list[int]) -> None:
        """JSON split into chunks of any sizes (short reads) streams the same records."""
        data = georeport.dump(document, "json")
        streamed = stream_own(short_reads(data, sizes))
        assert_same(list(document), streamed)

    @SLOW
    @given(document=request_lists(max_size=3), sizes=read_sizes)
    def test_xml_streaming_does_not_depend_on_read_sizes(self, document: ServiceRequestList, sizes: list[int]) -> None:
        """XML split into chunks of any sizes (short reads) streams the same records."""
        data = georeport.dump(document, "xml")
        streamed = stream_own(short_reads(data, sizes))
        assert_same(list(document), streamed)


# --- 5. arbitrary input ----------------------------------------------------------------------------
def load_or_refuse(data: bytes, *, strict: bool = False) -> Any:
    """``load`` answers a document or raises ``ParseError``/``UnknownDocumentError``: nothing else."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return georeport.load(data, strict=strict)
        except (ParseError, UnknownDocumentError):
            return None


def stream_or_refuse(data: bytes, *, strict: bool = False) -> None:
    """``iter_requests`` yields requests or raises ``ParseError``: nothing else."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for request in georeport.iter_requests(data, strict=strict):
                assert isinstance(request, ServiceRequest)
        except ParseError:
            pass


HOSTILE_TOKENS = (
    b"1e999",
    b"NaN",
    b"-Infinity",
    b'"2010-13-14T06:37:38Z"',
    b"2010-02-30T25:61:00+25:00",
    b"[" * 1200,
    b'{"a":' * 1200,
    b"<a>" * 300,
    b"&#0;",
    b"&amp;",
    b"&unknown;",
    b"<!DOCTYPE x>",
    b'<x type="float">inf</x>',
    b'<x type="integer">1e5</x>',
    b'<x nil="true"/>',
    b'<_ key="">',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b'"\\ud800"',
    b"null",
)
HOSTILE_NUMBERS = (
    *(b"1e999", b"-1e999", b"1e-999", b"99999999999999999999999", b"0.1e400", b"-0", b"01", b"1.5e3"),
    b"1" + b"0" * 400,  # an integer no float can hold
)


@st.composite
def mutated(draw: st.DrawFn, documents_strategy: st.SearchStrategy[Any] | None = None) -> bytes:
    """A dumped document with one to three mutations: truncation, insertion, deletion, swap, digit change."""
    document = draw(documents() if documents_strategy is None else documents_strategy)
    data = bytearray(georeport.dump(document, draw(st.sampled_from(FORMATS))))
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        mutation = draw(
            st.sampled_from(["truncate", "insert", "delete", "swap", "digit", "replace", "token", "number"])
        )
        position = draw(st.integers(0, len(data) - 1))
        if mutation == "truncate":
            del data[position:]
        elif mutation == "insert":
            data.insert(position, draw(st.integers(0, 255) | st.sampled_from(b'<>/"{}[],:\\&;-+')))
        elif mutation == "delete":
            del data[position]
        elif mutation == "swap":
            other = draw(st.integers(0, len(data) - 1))
            data[position], data[other] = data[other], data[position]
        elif mutation == "replace":
            data[position] = draw(st.integers(0, 255))
        elif mutation == "token":
            data[position:position] = draw(st.sampled_from(HOSTILE_TOKENS))
        elif mutation == "number":
            numbers = [match.span() for match in re.finditer(rb"-?\d+(?:\.\d+)?", data)]
            if numbers:
                start, end = draw(st.sampled_from(numbers))
                data[start:end] = draw(st.sampled_from(HOSTILE_NUMBERS))
        else:
            digits = [index for index, byte in enumerate(data) if 0x30 <= byte <= 0x39]
            if digits:
                data[draw(st.sampled_from(digits))] = draw(st.integers(0x30, 0x39))
    return bytes(data)


class TestArbitraryInput:
    def test_the_refusals_share_the_root_error(self) -> None:
        assert issubclass(ParseError, GeoReportError)
        assert issubclass(UnknownDocumentError, GeoReportError)

    @SLOW
    @given(data=st.binary(max_size=400), strict=st.booleans())
    def test_arbitrary_bytes_load_or_raise_a_georeport_error(self, data: bytes, *, strict: bool) -> None:
        load_or_refuse(data, strict=strict)

    @SLOW
    @given(
        data=st.one_of(
            st.binary(max_size=200).map(lambda tail: b"<?xml version='1.0'?><service_requests>" + tail),
            st.binary(max_size=200).map(lambda tail: b'[{"service_request_id":' + tail),
            st.binary(max_size=200).map(lambda tail: b"<services><service>" + tail),
            st.binary(max_size=200).map(lambda tail: b'{"service_code":"1","attributes":[' + tail),
        )
    )
    def test_arbitrary_bytes_after_a_valid_start_load_or_raise_a_georeport_error(self, data: bytes) -> None:
        load_or_refuse(data)
        load_or_refuse(data, strict=True)

    @SLOW
    @given(data=st.binary(max_size=400) | mutated(request_lists(max_size=3)), strict=st.booleans())
    def test_arbitrary_bytes_stream_or_raise_a_parse_error(self, data: bytes, *, strict: bool) -> None:
        stream_or_refuse(data, strict=strict)

    @SLOW
    @given(data=mutated(), strict=st.booleans())
    def test_mutated_documents_load_as_valid_models_or_raise_a_georeport_error(
        self, data: bytes, *, strict: bool
    ) -> None:
        """Truncated, spliced, swapped: ``load`` refuses with a ``GeoReportError`` or answers models that
        pass their own validators (the readers' fast constructors skip them) and can be written again."""
        document = load_or_refuse(data, strict=strict)
        if document is None:
            return
        revalidate(document)
        for fmt in FORMATS:
            with contextlib.suppress(ValidationError):  # text XML cannot carry (a control character)
                georeport.dump(document, fmt)

    @pytest.mark.parametrize("strict", [False, True])
    @pytest.mark.parametrize(
        "value", ["2010-13-14T06:37:38Z", "2010-04-14T25:37:38Z", "2010-02-30T06:37:38Z", "2010-04-14T06:37:38+25:00"]
    )
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_impossible_w3c_datetimes_are_a_parse_error_or_a_repair(
        self, fmt: Format, value: str, strict: bool
    ) -> None:
        """Regression: was a bare ValueError from ``datetime.fromisoformat`` (fixed in src)."""
        record = {"service_request_id": "1", "status": "open", "service_code": "1", "requested_datetime": value}
        data = one_record(record, fmt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DialectWarning)
            try:
                (loaded,) = georeport.load(data, kind="requests", strict=strict)
            except ParseError:
                assert strict
                return
        assert loaded.requested_datetime is None
        assert value == loaded.extensions["requested_datetime_original"]

    @pytest.mark.parametrize("shape", ["array", "object"])
    def test_deeply_nested_json_is_a_parse_error(self, shape: str) -> None:
        """Regression: was a RecursionError (fixed in src)."""
        data = b"[" * 5000 + b"]" * 5000 if shape == "array" else b'{"a":' * 5000 + b"1" + b"}" * 5000
        with pytest.raises(ParseError):
            georeport.load(data)


def revalidate(value: Any) -> None:
    """Run every attrs validator again over ``value`` and what it holds (``attrs.validate``)."""
    if isinstance(value, list | tuple):
        for item in value:
            revalidate(item)
    elif attrs.has(type(value)):
        attrs.validate(value)
        for field in attrs.fields(type(value)):
            if field.name != "warnings":
                revalidate(getattr(value, field.name))


# --- duplicate keys ----------------------------------------------------------------------------------
non_empty_json = json_values().filter(lambda value: value not in (None, "", "null"))


class TestDuplicateKeys:
    @SLOW
    @given(first=non_empty_json, second=non_empty_json, stream=st.booleans())
    def test_a_duplicated_json_key_keeps_every_different_value_in_order(
        self, first: Any, second: Any, *, stream: bool
    ) -> None:
        """docs/dialects.md ``duplicate-key``: an equal repeat is dropped, two different values are both kept."""
        same = typed(first) == typed(second)  # as JSON: true is not 1, 1 is not 1.0, [1] is not [true]
        value_a, value_b = json.dumps(first), json.dumps(second)
        data = f'[{{"service_request_id": "1", "ward": {value_a}, "note": "a\\":b", "ward": {value_b}}}]'.encode()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            (loaded,) = list(georeport.iter_requests(data)) if stream else georeport.load(data, kind="requests")
        assert repairs_issued(caught) == ["duplicate-key"]
        expected = first if same else [first, second]
        assert_same({"ward": expected, "note": 'a":b'}, loaded.extensions)


# --- 6. lenient equals strict ----------------------------------------------------------------------
def complete_documents() -> st.SearchStrategy[Any]:
    """Documents with everything the standard requires (root extensions included: their JSON wrapper is no repair)."""
    return st.one_of(
        service_lists(complete=True),
        service_definitions(complete=True),
        request_lists(complete=True),
        receipt_lists(),
        token_lists(),
        error_lists(),
        discoveries(),
    )


class TestLenientEqualsStrict:
    @SLOW
    @given(document=complete_documents())
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_lenient_parsing_of_a_valid_document_equals_strict_parsing(self, fmt: Format, document: Any) -> None:
        data = georeport.dump(document, fmt)
        strict = georeport.load(data, kind=kind_of(document), strict=True)
        lenient = load_own(data, kind=kind_of(document))
        assert_same(strict, lenient)
        assert_same(document, strict)
        assert lenient.warnings == ()


# --- what dump refuses -----------------------------------------------------------------------------
class TestDumpRefuses:
    @given(
        text=st.tuples(
            texts(10), st.sampled_from([chr(c) for c in [*range(9), 11, 12, *range(14, 32)]] + ["\ufffe", "\uffff"])
        ).map("".join)
    )
    def test_xml_refuses_text_it_cannot_carry(self, text: str) -> None:
        document = ServiceRequestList([ServiceRequest("1", description=text)])
        with pytest.raises(ValidationError):
            georeport.dump(document, "xml")


# --- regressions -----------------------------------------------------------------------------------
COMPLETE_REQUEST = (
    '"service_request_id": "1", "status": "open", "service_code": "001", "requested_datetime": "2010-04-14T06:37:38Z"'
)
"""The JSON members strict mode requires of a request: a record with them is refused for nothing else."""
COMPLETE_SERVICE = '"service_code": "001", "service_name": "Potholes", "metadata": false, "type": "realtime"'


def strict_problems(read: Any) -> list[str | None]:
    """The fields named by the problems strict mode finds (``read`` must raise ``InvalidDocumentError``)."""
    with pytest.raises(InvalidDocumentError) as info:
        read()
    return [problem.field for problem in info.value.exceptions]


def repairs_while(action: Any) -> tuple[Any, list[str]]:
    """What ``action()`` answers, and the codes of the repairs it reported."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
    return result, repairs_issued(caught)


class TestRegressions:
    """One minimal case per src bug the properties found (fixed since), numbered as in the bug reports.

    1. XML ``<errors>`` root extensions were read back as more errors.
    2. An XML root extension written ``<_ key="a b">`` was read back under the key ``"_"``.
    3. XML records other than ``<request>`` lost the type of extensions named like request fields.
    4. The JSON wrapper object carrying root extensions was not unwrapped when another key looked like a
       discovery key, ``attributes`` or another wrapper's list.
    5. JSON ``1e999`` became infinity: a ``ValidationError`` escaping ``load``, or ``inf`` in extensions.
    6. XML streaming assumed ``read(65536)`` returns 65536 bytes.
    9. A datetime read by dateutil could carry an offset of 24 hours or more.
    10. ``iter_requests`` reported georeport's own JSON carrier of root extensions as a ``vendor-wrapper`` repair.
    11. Duplicate JSON keys: a different value Python equates with the first (``1`` after ``true``) was dropped.
    13. A JSON integer beyond float range in lat/long raised ``OverflowError`` from the readers.
    14. With orjson, ``load`` read JSON integers beyond 64 bits as floats.

    Bug 12 (the models' side of 13) is guarded in ``tests/models/test_properties.py``.
    """

    def test_1_xml_error_list_keeps_root_extensions(self) -> None:
        document = ErrorList([Error("404", "not found")], {"page": 2})
        assert_same(document, load_own(georeport.dump(document, "xml"), kind="errors"))

    def test_2_xml_root_extension_keys_that_are_not_names_survive(self) -> None:
        document = ServiceList([], {"a b": 1})
        assert_same(document, load_own(georeport.dump(document, "xml"), kind="services"))

    @pytest.mark.parametrize(
        "document",
        [
            ServiceList([Service("001", extensions={"lat": 1})]),
            ErrorList([Error("400", extensions={"status": True})]),
            Discovery(extensions={"lat": []}),
            ServiceDefinition("001", extensions={"zipcode": ""}),
        ],
        ids=["service-int", "error-bool", "discovery-empty-list", "definition-empty-string"],
    )
    def test_3_xml_typed_extensions_named_like_request_fields_survive(self, document: Any) -> None:
        assert_same(document, load_own(georeport.dump(document, "xml"), kind=kind_of(document)))

    @pytest.mark.parametrize(
        "extensions",
        [{"changeset": None}, {"attributes": 1}, {"service": []}],
        ids=["discovery-key", "attributes", "second-wrapper-list"],
    )
    def test_4_json_root_extensions_are_unwrapped_without_a_repair_whatever_their_keys(
        self, extensions: dict[str, Any]
    ) -> None:
        document = ServiceRequestList([ServiceRequest("1")], extensions)
        data = georeport.dump(document, "json")
        assert_same(document, load_own(data, kind="requests"))
        assert_same(list(document), stream_own(data))

    @pytest.mark.parametrize(
        ("data", "kind", "path", "text"),
        [
            (f'[{{{COMPLETE_SERVICE}, "ward": 1e999}}]', "services", (0, "ward"), "1e999"),
            ('{"service_requests": [], "total": -1e999}', "requests", ("total",), "-1e999"),
            (f'[{{{COMPLETE_REQUEST}, "ward": 1e999}}]', "requests", (0, "ward"), "1e999"),
            (f'[{{{COMPLETE_SERVICE}}}] [{{{COMPLETE_SERVICE}, "x": 1e999}}]', "services", (1, "x"), "1e999"),
        ],
        ids=["service", "root", "request", "concatenated"],
    )
    def test_5_json_numbers_too_large_for_a_float_are_kept_as_text_or_refused(
        self, data: str, kind: str, path: tuple[Any, ...], text: str
    ) -> None:
        """A ``number-overflow`` repair keeping the text (lenient) or a refusal (strict); never infinity."""
        document, repairs = repairs_while(lambda: georeport.load(data.encode(), kind=kind))
        assert "number-overflow" in repairs
        revalidate(document)
        holder = document.extensions if isinstance(path[0], str) else document[path[0]].extensions
        assert_same(text, holder[path[-1]])
        with pytest.raises(ParseError):
            georeport.load(data.encode(), kind=kind, strict=True)

    def test_5_streamed_json_numbers_too_large_for_a_float_are_kept_as_text_or_refused(self) -> None:
        data = f'[{{{COMPLETE_REQUEST}, "ward": 1e999}}]'.encode()
        (request,), repairs = repairs_while(lambda: list(georeport.iter_requests(data)))
        assert repairs == ["number-overflow"]
        assert_same({"ward": "1e999"}, request.extensions)
        with pytest.raises(ParseError):
            list(georeport.iter_requests(data, strict=True))

    def test_6_xml_streaming_from_a_stream_with_short_reads(self) -> None:
        """Every first read size up to past the root's name (the sizes the bug broke were 41 to 55)."""
        data = georeport.dump(ServiceRequestList([ServiceRequest("1")]), "xml")
        for size in range(1, 80):
            assert [ServiceRequest("1")] == stream_own(short_reads(data, [size, 65536]))

    @pytest.mark.parametrize("stream", [False, True])
    def test_9_datetime_offsets_of_24_hours_or_more_are_a_repair_or_refused(self, *, stream: bool) -> None:
        text = "2010/04/14 06:37:38 +2500"
        data = f'[{{{COMPLETE_REQUEST}, "updated_datetime": "{text}"}}]'.encode()

        def read(*, strict: bool = False) -> list[ServiceRequest]:
            return list(georeport.iter_requests(data, strict=strict) if stream else georeport.load(data, strict=strict))

        (loaded,), repairs = repairs_while(read)
        assert repairs == ["datetime-invalid"]
        assert loaded.updated_datetime is None
        assert_same({"updated_datetime_original": text}, loaded.extensions)
        georeport.dump(ServiceRequestList([loaded]), "json")
        assert strict_problems(lambda: read(strict=True)) == ["updated_datetime"]

    def test_10_streaming_reads_the_carrier_of_root_extensions_without_a_repair(self) -> None:
        request = ServiceRequest("1", "open", service_code="001", requested_datetime=datetime(2010, 4, 14, tzinfo=UTC))
        data = georeport.dump(ServiceRequestList([request], {"page": 2}), "json")
        assert_same([request], stream_own(data))
        assert_same([request], stream_own(data, strict=True))

    @pytest.mark.parametrize(("first", "second"), [("true", "1"), ("0", "false"), ("[1]", "[true]"), ("1", "1.0")])
    @pytest.mark.parametrize("stream", [False, True])
    def test_11_a_duplicated_json_key_keeps_values_python_equates(
        self, first: str, second: str, *, stream: bool
    ) -> None:
        data = f'[{{"service_request_id": "1", "ward": {first}, "ward": {second}}}]'.encode()
        (loaded,), repairs = repairs_while(
            lambda: list(georeport.iter_requests(data)) if stream else georeport.load(data, kind="requests")
        )
        assert repairs == ["duplicate-key"]
        assert_same([json.loads(first), json.loads(second)], loaded.extensions["ward"])

    @pytest.mark.parametrize("field", ["lat", "long"])
    @pytest.mark.parametrize("stream", [False, True])
    def test_13_json_coordinates_beyond_float_range_are_a_repair_or_refused(self, field: str, *, stream: bool) -> None:
        data = f'[{{{COMPLETE_REQUEST}, "{field}": 1{"0" * 400}}}]'.encode()

        def read(*, strict: bool = False) -> list[ServiceRequest]:
            if stream:
                return list(georeport.iter_requests(data, strict=strict))
            return list(georeport.load(data, kind="requests", strict=strict))

        (loaded,), repairs = repairs_while(read)
        assert repairs == ["number-out-of-range"]
        assert getattr(loaded, field) is None
        assert_same({f"{field}_original": 10**400}, loaded.extensions)
        assert field in strict_problems(lambda: read(strict=True))

    @pytest.mark.parametrize("number", [2**64 + 1, -(2**63) - 1, 10**30])
    def test_14_json_integers_beyond_64_bits_are_kept_exactly(self, number: int) -> None:
        data = f'[{{"service_request_id": "1", "ward": {number}}}]'.encode()
        (streamed,) = georeport.iter_requests(data)
        (loaded,) = georeport.load(data, kind="requests")
        assert_same(number, streamed.extensions["ward"])
        assert_same(number, loaded.extensions["ward"])
