"""Hypothesis strategies for HTTP parameters: submissions, media, routes, queries.

Each generates values the parameter codecs promise to carry exactly; the
documented limits they respect (``georeport.wire.params`` docstrings):

* an empty value is an absent one (§1.7), so texts are non-empty and an
  answer tuple holds at least one non-empty key;
* a one-item extension list reads back as a string, so lists hold two or more;
* attribute codes hold no ``]``; names carried by multipart hold no CR or LF;
* list filters (ids, codes) are stripped, non-empty and hold no ``,``;
* query datetimes are whole seconds (fractions are never written).

Curated values (codes with ``/``, spaces and ``?``, non-ASCII, characters
that mean something in a form) are mixed with generated ones.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import strategies as st

from georeport import RequestSubmission, Status
from georeport.wire.params import BoundingBox, MediaPart, Method, Query, RequestsQuery, Route
from tests.strategies import aware_datetimes

__all__ = [
    "CURATED_CODES",
    "attribute_codes",
    "bounding_boxes",
    "form_texts",
    "list_items",
    "media_parts",
    "queries",
    "query_datetimes",
    "requests_queries",
    "routes",
    "submissions",
]

CURATED_CODES = (
    "001",
    "ServiceRequest/Animals/Animal Nuisance/NA",
    "What is this?",
    "a b",
    "Ü-12",
    "汉字",
    "x?y#z",
    "100%",
    "a+b",
    "a&b=c",
    "code.json",
    "..",
    "[bracket",
)
_RESERVED = {field.name for field in attrs.fields(RequestSubmission)} - {"attributes", "extensions"} | {"api_key"}
"""The form fields the standard names: an extension cannot take these names."""
_NO_LINE_BREAKS = st.characters(codec="utf-8", exclude_characters="\r\n")


@functools.cache
def form_texts(max_size: int = 30) -> st.SearchStrategy[str]:
    """Any non-empty text a form can carry (any code point but surrogates)."""
    curated = st.sampled_from(("a+b", "1 & 2 = 3", "100%", "  padded  ", "line\r\nbreak", "Ünïcödé ✓ 🚧", "%5B"))
    return curated | st.text(st.characters(codec="utf-8"), min_size=1, max_size=max_size)


@functools.cache
def names(max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-empty text without line breaks (multipart names and filenames)."""
    return st.text(_NO_LINE_BREAKS, min_size=1, max_size=max_size)


@functools.cache
def attribute_codes() -> st.SearchStrategy[str]:
    """Codes a form key can carry: no ``]``, no line break."""
    generated = st.text(st.characters(codec="utf-8", exclude_characters="]\r\n"), min_size=1, max_size=12)
    return st.sampled_from(CURATED_CODES) | generated


def _extension_keys() -> st.SearchStrategy[str]:
    return names().filter(lambda key: key not in _RESERVED and not key.startswith("attribute["))


_ANSWERS = st.one_of(form_texts(), st.lists(form_texts(), min_size=1, max_size=3).map(tuple))
_EXTENSIONS = st.one_of(form_texts(), st.lists(form_texts(), min_size=2, max_size=3))


@functools.cache
def submissions() -> st.SearchStrategy[RequestSubmission]:
    """Every field of a submission, each present or not; answers single or multiple; extensions."""
    optional = st.none() | form_texts()
    point = st.one_of(st.tuples(st.none(), st.none()), st.tuples(st.floats(-90, 90), st.floats(-180, 180)))
    return st.builds(
        lambda where, **rest: RequestSubmission(lat=where[0], long=where[1], **rest),
        point,
        service_code=st.sampled_from(CURATED_CODES) | form_texts(),
        address_string=optional,
        address_id=optional,
        attributes=st.dictionaries(attribute_codes(), _ANSWERS, max_size=4),
        email=optional,
        device_id=optional,
        account_id=optional,
        first_name=optional,
        last_name=optional,
        phone=optional,
        description=optional,
        media_url=optional,
        jurisdiction_id=optional,
        extensions=st.dictionaries(_extension_keys(), _EXTENSIONS, max_size=3),
    )


@functools.cache
def media_parts() -> st.SearchStrategy[MediaPart]:
    """Files with any bytes (multipart delimiters and CRLFs included)."""
    data = st.binary(min_size=1, max_size=64) | st.sampled_from((b"\r\n--x\r\n", b"--", b"\xff\xd8\xff\xe0JFIF"))
    named = st.builds(
        MediaPart,
        data,
        name=st.sampled_from(("media", "media[]", "photo")),
        filename=names(),
        content_type=st.sampled_from(("image/jpeg", "image/png", "application/octet-stream", "video/mp4")),
    )
    bare = st.builds(MediaPart, data, name=st.sampled_from(("media", "media[]")), content_type=st.just("image/jpeg"))
    return named | bare


@functools.cache
def routes() -> st.SearchStrategy[Route]:
    """Every method, both formats; identifiers with ``/``, spaces, ``?``, non-ASCII."""
    formats = st.sampled_from(("xml", "json"))
    plain = st.builds(
        Route,
        st.sampled_from((Method.DISCOVERY, Method.SERVICE_LIST, Method.POST_SERVICE_REQUEST, Method.SERVICE_REQUESTS)),
        formats,
    )
    identified = st.builds(
        Route,
        st.sampled_from((Method.SERVICE_DEFINITION, Method.TOKEN, Method.SERVICE_REQUEST)),
        formats,
        attribute_codes() | form_texts(),
    )
    return plain | identified


@functools.cache
def list_items() -> st.SearchStrategy[str]:
    """Ids and codes a comma list can carry: stripped, non-empty, no comma."""
    generated = st.text(st.characters(codec="utf-8", exclude_characters=","), min_size=1, max_size=10)
    return st.sampled_from(CURATED_CODES) | generated.map(str.strip).filter(bool)


@functools.cache
def query_datetimes() -> st.SearchStrategy[datetime]:
    """Aware datetimes to the second."""
    return aware_datetimes().map(lambda value: value.replace(microsecond=0))


@functools.cache
def bounding_boxes() -> st.SearchStrategy[BoundingBox]:
    """Valid boxes (each min not above its max)."""
    longs = st.lists(st.floats(-180, 180), min_size=2, max_size=2).map(sorted)
    lats = st.lists(st.floats(-90, 90), min_size=2, max_size=2).map(sorted)
    return st.builds(lambda x, y: BoundingBox(x[0], y[0], x[1], y[1]), longs, lats)


def _extra(reserved: frozenset[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    keys = form_texts().filter(lambda key: key not in reserved)
    return st.lists(st.tuples(keys, form_texts()), max_size=3)


@functools.cache
def queries() -> st.SearchStrategy[Query]:
    """The query of a GET other than ``GET requests``."""
    return st.builds(
        Query,
        jurisdiction_id=st.none() | form_texts(),
        api_key=st.none() | form_texts(),
        extensions=st.booleans(),
        extra=_extra(Query.PARAMETERS),
    )


@functools.cache
def requests_queries() -> st.SearchStrategy[RequestsQuery]:
    """Every filter of ``GET requests``, each present or not."""
    moment = st.none() | query_datetimes()
    return st.builds(
        RequestsQuery,
        jurisdiction_id=st.none() | form_texts(),
        api_key=st.none() | form_texts(),
        extensions=st.booleans(),
        extra=_extra(RequestsQuery.PARAMETERS),
        service_request_id=st.lists(list_items(), max_size=3),
        service_code=st.lists(list_items(), max_size=3),
        status=st.lists(st.sampled_from(Status), max_size=2),
        start_date=moment,
        end_date=moment,
        updated_after=moment,
        updated_before=moment,
        bbox=st.none() | bounding_boxes(),
        page=st.none() | st.integers(0, 10**6),
        page_size=st.none() | st.integers(1, 10**6),
    ).map(_in_order)


def _in_order(query: RequestsQuery) -> RequestsQuery:
    """Each pair of bounds in order (a reversed pair is an error, tested on its own)."""
    changes: dict[str, Any] = {}
    for low, high in (("start_date", "end_date"), ("updated_after", "updated_before")):
        start, end = getattr(query, low), getattr(query, high)
        if start is not None and end is not None and end < start:
            changes[low], changes[high] = end, start
    return attrs.evolve(query, **changes)


FIXED_ZONES = st.integers(-12 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
"""Zones without DST, where a wall time names one instant."""


def one_item_tuples_as_text(attributes: dict[str, Any]) -> dict[str, Any]:
    """What a dialect without ``[]`` reads back: a one-key answer is a string."""
    return {
        code: answer[0] if isinstance(answer, tuple) and len(answer) == 1 else answer
        for code, answer in attributes.items()
    }
