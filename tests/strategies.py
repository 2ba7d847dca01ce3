"""Hypothesis strategies: one per model, and one per document kind.

Every strategy generates values the wire formats promise to carry exactly, so
a property that fails on them is a bug, not a limitation. The documented
limits they respect (see the brief in ``docs/`` and the readers' docstrings):

* text is stripped of surrounding whitespace when read and an empty string is
  read as None, so text fields are non-empty, stripped strings (or None);
* XML 1.0 cannot carry control characters other than tab, newline and
  carriage return, lone surrogates, U+FFFE or U+FFFF;
* datetimes are aware, with offsets in whole minutes, years 1900..2100;
* ``extensions`` hold JSON-like values; their keys are not the model's
  standard field names, not a dialect alias the lenient reader would map onto
  a standard field, and do not end with ``_original`` (kept for repairs);
  inside extensions ``""`` is allowed (XML writes it ``type="string"``);
* a list document's root extensions hold no list under another root's key
  (``service_requests``, ``services``, ``errors``): JSON writes them beside
  the records' list, and a wrapper object with two of those lists is no
  longer one document's carrier, so it is not unwrapped.

Curated real-world values are mixed with generated ones, as packaging's
property strategies do, so that shrunk failures read like real documents.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from georeport import (
    AttributeValue,
    Datatype,
    Discovery,
    DocumentKind,
    Endpoint,
    EndpointType,
    Error,
    ErrorList,
    ReceiptList,
    RequestSubmission,
    Service,
    ServiceAttribute,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    ServiceType,
    Status,
    SubmissionReceipt,
    TokenList,
    TokenReceipt,
)
from georeport.wire._records import ERROR_DESCRIPTION_ALIASES, REQUEST_ALIASES

# Hypothesis imports libcst to suggest a patch when a property fails; an old
# libcst with a new mypy_extensions warns on import, and under ``-W error``
# that turns every failing property into a pytest INTERNALERROR that hides
# the falsifying example. Import it once here with that warning silenced.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401

__all__ = [
    "DST_ZONES",
    "KIND_OF",
    "attribute_values",
    "aware_datetimes",
    "discoveries",
    "documents",
    "endpoints",
    "error_lists",
    "errors",
    "extension_keys",
    "extensions",
    "identifiers",
    "json_values",
    "kind_of",
    "receipt_lists",
    "request_lists",
    "request_submissions",
    "service_attributes",
    "service_definitions",
    "service_lists",
    "service_requests",
    "services",
    "submission_receipts",
    "texts",
    "token_lists",
    "token_receipts",
    "whole_minute_offset",
]

# --- text ---------------------------------------------------------------------------------
_CONTROLS = [chr(code) for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\t\n\r"]
_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
XML_SAFE_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=_SURROGATES, exclude_characters=[*_CONTROLS, "\ufffe", "\uffff"]
)
"""Any character XML 1.0 can carry: no controls but tab/LF/CR, no surrogates, no U+FFFE/U+FFFF."""

CURATED_TEXTS = (
    "Pothole on Market St",
    "null",  # only ids read the string "null" as absent; text keeps it
    "Cans left out 24x7",
    "Straßenlaterne defekt \u2013 Höhe Nr. 5",
    "Ordures ménagères non ramassées",
    "街灯が壊れています",
    "坑洼",
    "حفرة في الطريق",
    "😀 emoji outside the BMP 𝄞",
    "a & b < c > d \"e\" 'f'",
    "]]> and <![CDATA[ not markup",
    "line one\nline two",
    "tab\tinside",
    "carriage\r\nreturn",
    "lone\rcarriage",
    "true",
    "0",
    "007",
    "1e5",
    "NaN",
    "2010-04-14T06:37:38-08:00",
    "<b>bold</b>",
    "&amp;",
    "x",
    # longer than the JSON stream reader's 64-character look-back, with escapes JSON writes
    (
        "Large pothole in the right-hand lane, about 2 ft across and 6 in deep; "
        'cars swerve into the bike lane to avoid it. Reported before ("#638344") \\ still there.\n'
        "Nearest address: 418 Harbor St, between the bus stop and the hydrant. Ünïcödé ✓ 🚧 " * 2
    ).strip(),
)


def _stripped_non_empty(alphabet: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size).map(str.strip).filter(bool)


@functools.cache
def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-empty text without surrounding whitespace that XML 1.0 can carry."""
    return st.one_of(st.sampled_from(CURATED_TEXTS), _stripped_non_empty(XML_SAFE_CHARACTERS, max_size))


CURATED_IDENTIFIERS = ("638344", "007", "0", "001", "req-1", "Ü-12", "a b", "10-0412-01", "汉字", "NULL-1")


@functools.cache
def identifiers() -> st.SearchStrategy[str]:
    """Ids, codes, keys, tokens, zip codes: non-empty stripped strings.

    Not the string ``"null"`` in any letter case: JSON readers take it for an
    absent id (the documented ``null-as-text`` repair, docs/dialects.md).
    """
    return st.one_of(
        st.sampled_from(CURATED_IDENTIFIERS),
        _stripped_non_empty(st.sampled_from("0123456789abcXYZ-_ .:/nulNUL"), 12),
        _stripped_non_empty(XML_SAFE_CHARACTERS, 12),
    ).filter(lambda value: value.lower() != "null")


@functools.cache
def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy`` or None."""
    return st.none() | strategy


# --- datetimes ---------------------------------------------------------------------------
DST_ZONES = tuple(
    ZoneInfo(name)
    for name in (
        "America/New_York",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Australia/Lord_Howe",  # a 30-minute DST shift
        "Pacific/Chatham",  # +12:45 / +13:45
        "America/St_Johns",  # -03:30 / -02:30
        "Europe/London",
    )
)
"""Zones with daylight saving time, odd offsets and (before ~1945) non-minute offsets."""

_MIN_DATETIME = datetime(1900, 1, 1)
_MAX_DATETIME = datetime(2100, 12, 31, 23, 59, 59, 999999)

fixed_offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
zones: st.SearchStrategy[tzinfo] = st.one_of(st.just(UTC), fixed_offsets, st.sampled_from(DST_ZONES))


def whole_minute_offset(value: datetime) -> bool:
    offset = value.utcoffset()
    return offset is not None and offset % timedelta(minutes=1) == timedelta(0)


def _unambiguous(value: datetime) -> bool:
    """Not in a DST fold or gap: Python compares such times across zones as unequal."""
    return value.replace(fold=1 - value.fold).utcoffset() == value.utcoffset()


@functools.cache
def aware_datetimes(*, whole_minutes: bool = True, unambiguous: bool = True) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes, 1900..2100, in fixed offsets and DST zones.

    ``unambiguous`` leaves out times in a fold or gap, which ``==`` never
    equates with the same instant in another zone (PEP 495); the datetime
    property compares instants and offsets itself and takes them too.
    """
    strategy = st.datetimes(_MIN_DATETIME, _MAX_DATETIME, timezones=zones, allow_imaginary=not unambiguous)
    if whole_minutes:
        strategy = strategy.filter(whole_minute_offset)
    if unambiguous:
        strategy = strategy.filter(_unambiguous)
    return strategy


# --- extensions ------------------------------------------------------------------------------
CURATED_KEYS = (
    "extended_attributes",  # Chicago
    "notes",
    "groups",  # mySociety
    "detailed_status",  # CitySDK
    "media_urls",
    "lat",  # other models' standard names, legal as extensions here
    "status",
    "service_request_id",
    "token",
    "code",
    "type",
    "metadata",
    "description",
    "changeset",
    "values",
    "request",
    "service",
    "error",
    "endpoint",
    "format",
    "attribute",
    "key",
    "name",
    "_",
    "",
    "a b",  # not XML names: written <_ key="...">
    "1st",
    "xmlish",
    "a:b",
    "städte",
    "with\nnewline",
    " padded ",
    "items",
    "categories",
)


def extension_keys(excluded: Iterable[str] = ()) -> st.SearchStrategy[str]:
    """Keys for an ``extensions`` mapping, leaving out ``excluded`` and ``*_original``."""
    return _extension_keys(frozenset(excluded))


@functools.cache
def _extension_keys(banned: frozenset[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(CURATED_KEYS),
        st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz_"), min_size=1, max_size=8),
        st.text(XML_SAFE_CHARACTERS, max_size=8),
    ).filter(lambda key: key not in banned and not key.endswith("_original"))


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    texts(20),
    st.just(""),
)


@functools.cache
def json_values(max_leaves: int = 5) -> st.SearchStrategy[Any]:
    """JSON-like values: what ``extensions`` hold (finite floats, 64-bit integers)."""
    return st.recursive(
        json_scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(extension_keys(), children, max_size=3),
        ),
        max_leaves=max_leaves,
    )


def extensions(excluded: Iterable[str] = (), max_size: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    """An ``extensions`` mapping whose keys avoid ``excluded``."""
    return _extensions(frozenset(excluded), max_size)


@functools.cache
def _extensions(excluded: frozenset[str], max_size: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(extension_keys(excluded), json_values(), max_size=max_size)


def _field_names(cls: type) -> frozenset[str]:
    return frozenset(field.name for field in attrs.fields(cls))


REQUEST_RESERVED = _field_names(ServiceRequest) | frozenset(REQUEST_ALIASES)
SERVICE_RESERVED = _field_names(Service)
ATTRIBUTE_RESERVED = _field_names(ServiceAttribute)
VALUE_RESERVED = _field_names(AttributeValue)
DEFINITION_RESERVED = frozenset(("service_code", "attributes", "attribute"))
RECEIPT_RESERVED = _field_names(SubmissionReceipt)
TOKEN_RESERVED = _field_names(TokenReceipt)
ERROR_RESERVED = _field_names(Error) | frozenset(ERROR_DESCRIPTION_ALIASES)
ENDPOINT_RESERVED = _field_names(Endpoint)
DISCOVERY_RESERVED = _field_names(Discovery)

# --- models ------------------------------------------------------------------------------------
latitudes = st.floats(-90.0, 90.0)
longitudes = st.floats(-180.0, 180.0)


def _request(location: tuple[float | None, float | None], **fields: Any) -> ServiceRequest:
    return ServiceRequest(lat=location[0], long=location[1], **fields)


@functools.cache
def service_requests(*, complete: bool = False) -> st.SearchStrategy[ServiceRequest]:
    """A ``ServiceRequest``; ``complete`` sets what strict mode requires (and lat/long together)."""
    if complete:
        location = st.tuples(st.none(), st.none()) | st.tuples(latitudes, longitudes)
        some_id, some_status, some_time = identifiers(), st.sampled_from(Status), aware_datetimes()
    else:
        location = st.tuples(optional(latitudes), optional(longitudes))
        some_id, some_status = optional(identifiers()), optional(st.sampled_from(Status))
        some_time = optional(aware_datetimes())
    text = optional(texts())
    return st.builds(
        _request,
        location,
        service_request_id=some_id,
        status=some_status,
        status_notes=text,
        service_name=text,
        service_code=some_id,
        description=text,
        agency_responsible=text,
        service_notice=text,
        requested_datetime=some_time,
        updated_datetime=optional(aware_datetimes()),
        expected_datetime=optional(aware_datetimes()),
        address=text,
        address_id=optional(identifiers()),
        zipcode=optional(identifiers()),
        media_url=optional(st.sampled_from(("http://example.org/a.jpg", "https://x.test/ü?a=1&b=2")) | texts()),
        extensions=extensions(REQUEST_RESERVED),
    )


def services(*, complete: bool = False) -> st.SearchStrategy[Service]:
    """A ``Service``; ``complete`` sets ``service_name`` and ``type`` (strict mode wants them)."""
    service_type = st.sampled_from(ServiceType)
    return st.builds(
        Service,
        service_code=identifiers(),
        service_name=texts() if complete else optional(texts()),
        description=optional(texts()),
        metadata=st.booleans(),
        type=service_type if complete else optional(service_type),
        keywords=optional(st.sampled_from(("lights, lamps", "pothole; road")) | texts()),
        group=optional(texts()),
        extensions=extensions(SERVICE_RESERVED),
    )


def attribute_values() -> st.SearchStrategy[AttributeValue]:
    """One option of a list attribute."""
    return st.builds(
        AttributeValue, key=identifiers(), name=optional(texts()), extensions=extensions(VALUE_RESERVED, 2)
    )


def service_attributes() -> st.SearchStrategy[ServiceAttribute]:
    """One attribute (question) of a service definition; ``variable``/``required`` always set."""
    return st.builds(
        ServiceAttribute,
        code=identifiers(),
        datatype=st.sampled_from(Datatype),
        variable=st.booleans(),
        required=st.booleans(),
        datatype_description=optional(texts()),
        order=optional(st.integers(-(2**31), 2**31)),
        description=optional(texts()),
        values=st.lists(attribute_values(), max_size=3),
        extensions=extensions(ATTRIBUTE_RESERVED, 2),
    )


def service_definitions(*, complete: bool = False) -> st.SearchStrategy[ServiceDefinition]:
    """A service definition; ``complete`` sets ``service_code``."""
    return st.builds(
        ServiceDefinition,
        service_code=identifiers() if complete else optional(identifiers()),
        attributes=st.lists(service_attributes(), max_size=3),
        extensions=extensions(DEFINITION_RESERVED, 2),
    )


def submission_receipts() -> st.SearchStrategy[SubmissionReceipt]:
    """A POST reply: an id (realtime), a token (batch) or neither (blackbox), never both."""
    id_or_token = st.one_of(
        st.tuples(identifiers(), st.none()),
        st.tuples(st.none(), identifiers()),
        st.tuples(st.none(), st.none()),
    )
    return st.builds(
        lambda pair, **rest: SubmissionReceipt(pair[0], pair[1], **rest),
        id_or_token,
        service_notice=optional(texts()),
        account_id=optional(identifiers()),
        extensions=extensions(RECEIPT_RESERVED, 2),
    )


def token_receipts(*, complete: bool = False) -> st.SearchStrategy[TokenReceipt]:
    """A ``GET tokens/{token}`` reply; ``complete`` sets both the id and the token."""
    some = identifiers() if complete else optional(identifiers())
    return st.builds(TokenReceipt, service_request_id=some, token=some, extensions=extensions(TOKEN_RESERVED, 2))


def errors() -> st.SearchStrategy[Error]:
    """One ``<error>``."""
    code = st.one_of(st.sampled_from(("400", "403", "404", "500", "E1")), identifiers())
    return st.builds(Error, code=code, description=optional(texts()), extensions=extensions(ERROR_RESERVED, 2))


MEDIA_TYPES = ("text/xml", "application/json", "application/xml; charset=utf-8")


def endpoints() -> st.SearchStrategy[Endpoint]:
    """One ``<endpoint>`` of a discovery document."""
    return st.builds(
        Endpoint,
        specification=optional(st.sampled_from(("http://wiki.open311.org/GeoReport_v2",)) | texts()),
        url=optional(st.sampled_from(("https://311.example.org/open311/v2",)) | texts()),
        changeset=optional(st.sampled_from(("2011-04-05T17:48:34Z",)) | texts()),
        type=optional(st.sampled_from(EndpointType)),
        formats=st.lists(st.sampled_from(MEDIA_TYPES) | texts(), max_size=3),
        extensions=extensions(ENDPOINT_RESERVED, 2),
    )


def discoveries() -> st.SearchStrategy[Discovery]:
    """A discovery document."""
    return st.builds(
        Discovery,
        changeset=optional(texts()),
        contact=optional(texts()),
        key_service=optional(texts()),
        endpoints=st.lists(endpoints(), max_size=3),
        extensions=extensions(DISCOVERY_RESERVED, 2),
    )


def request_submissions() -> st.SearchStrategy[RequestSubmission]:
    """What a client POSTs (lat and long together or neither)."""
    location = st.one_of(st.tuples(st.none(), st.none()), st.tuples(latitudes, longitudes))
    return st.builds(
        lambda where, **rest: RequestSubmission(lat=where[0], long=where[1], **rest),
        location,
        service_code=identifiers(),
        address_string=optional(texts()),
        description=optional(texts()),
    )


# --- documents -------------------------------------------------------------------------------------
ROOT_RESERVED: dict[DocumentKind, frozenset[str]] = {
    # the record element and the root's own name
    DocumentKind.REQUESTS: frozenset(("request", "service_requests")),
    DocumentKind.RECEIPTS: frozenset(("request", "service_requests")),
    DocumentKind.TOKENS: frozenset(("request", "service_requests")),
    DocumentKind.SERVICES: frozenset(("service", "services")),
    DocumentKind.ERRORS: frozenset(("error", "errors")),
}


JSON_ROOT_KEYS = frozenset(("service_requests", "services", "errors"))
"""The keys of georeport's JSON carrier of root extensions: only one of them may hold a list."""


def _one_root_list(extensions: dict[str, Any]) -> bool:
    return not any(key in JSON_ROOT_KEYS and isinstance(value, list) for key, value in extensions.items())


def root_extensions(kind: DocumentKind, *, allowed: bool) -> st.SearchStrategy[dict[str, Any]]:
    """The unknown keys of a list document's root (written in a JSON wrapper object)."""
    if not allowed:
        return st.just({})
    return extensions(ROOT_RESERVED[kind], 2).filter(_one_root_list)


def request_lists(
    *, complete: bool = False, root_extras: bool = True, max_size: int = 3
) -> st.SearchStrategy[ServiceRequestList]:
    """A ``GET requests`` document."""
    return st.builds(
        ServiceRequestList,
        st.lists(service_requests(complete=complete), max_size=max_size),
        root_extensions(DocumentKind.REQUESTS, allowed=root_extras),
    )


def service_lists(*, complete: bool = False, root_extras: bool = True) -> st.SearchStrategy[ServiceList]:
    """A ``GET services`` document."""
    return st.builds(
        ServiceList,
        st.lists(services(complete=complete), max_size=3),
        root_extensions(DocumentKind.SERVICES, allowed=root_extras),
    )


def receipt_lists(*, root_extras: bool = True) -> st.SearchStrategy[ReceiptList]:
    """A POST reply document."""
    return st.builds(
        ReceiptList,
        st.lists(submission_receipts(), max_size=3),
        root_extensions(DocumentKind.RECEIPTS, allowed=root_extras),
    )


def token_lists(*, root_extras: bool = True) -> st.SearchStrategy[TokenList]:
    """A ``GET tokens/{token}`` reply document."""
    return st.builds(
        TokenList,
        st.lists(token_receipts(), max_size=3),
        root_extensions(DocumentKind.TOKENS, allowed=root_extras),
    )


def error_lists(*, root_extras: bool = True) -> st.SearchStrategy[ErrorList]:
    """An ``<errors>`` document."""
    return st.builds(
        ErrorList,
        st.lists(errors(), min_size=1, max_size=3),
        root_extensions(DocumentKind.ERRORS, allowed=root_extras),
    )


def documents(*, root_extras: bool = True) -> st.SearchStrategy[Any]:
    """Any GeoReport v2 document."""
    return st.one_of(
        service_lists(root_extras=root_extras),
        service_definitions(),
        request_lists(root_extras=root_extras),
        receipt_lists(root_extras=root_extras),
        token_lists(root_extras=root_extras),
        error_lists(root_extras=root_extras),
        discoveries(),
    )


KIND_OF: dict[type, DocumentKind] = {
    ServiceList: DocumentKind.SERVICES,
    ServiceDefinition: DocumentKind.SERVICE_DEFINITION,
    ServiceRequestList: DocumentKind.REQUESTS,
    ReceiptList: DocumentKind.RECEIPTS,
    TokenList: DocumentKind.TOKENS,
    ErrorList: DocumentKind.ERRORS,
    Discovery: DocumentKind.DISCOVERY,
}


def kind_of(document: object) -> DocumentKind:
    """The ``DocumentKind`` of any document (list documents also have ``.kind``)."""
    return KIND_OF[type(document)]
