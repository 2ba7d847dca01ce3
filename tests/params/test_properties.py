"""Properties of the HTTP parameter codecs: every build reads back exactly, and no input crashes a reader.

Each test's name is the claim it checks; the strategies and the limits they
respect are in ``tests/params/strategies.py``.
"""

from __future__ import annotations

import email.policy
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from typing import Literal, TypeVar
from urllib.parse import quote_plus, urlsplit

import attrs
from hypothesis import given
from hypothesis import strategies as st

from georeport import DialectWarning, RequestSubmission
from georeport.wire.params import (
    Dialect,
    InvalidParametersError,
    MediaPart,
    ParsedPost,
    Query,
    RequestsQuery,
    Route,
    build_form,
    build_multipart,
    build_query,
    build_url,
    parse_post,
    parse_query,
    parse_requests_query,
    route,
)
from tests.params.strategies import (
    FIXED_ZONES,
    form_texts,
    media_parts,
    names,
    one_item_tuples_as_text,
    queries,
    requests_queries,
    routes,
    submissions,
)

FORM = "application/x-www-form-urlencoded"
BASES = st.sampled_from(
    ("https://api.city.gov/dev/v2", "https://api.city.gov/dev/v2/", "http://localhost:8080", "https://x.example/a%20b/")
)
NOW = datetime(2024, 6, 1, tzinfo=UTC)
T = TypeVar("T")


def read_back(url: str, base: str, sent: Route) -> tuple[Route, str]:
    parts = urlsplit(url)
    return route(parts.path, http_method=sent.method.http_method, base_path=urlsplit(base).path), parts.query


class TestRoundTrips:
    @given(submissions(), st.none() | form_texts())
    def test_form_body_reads_back_as_the_submission(self, submission: RequestSubmission, api_key: str | None) -> None:
        assert parse_post(build_form(submission, api_key=api_key), FORM) == ParsedPost(submission, api_key)

    @given(submissions(), st.none() | form_texts())
    def test_form_body_without_brackets_reads_back_with_one_key_answers_as_text(
        self, submission: RequestSubmission, api_key: str | None
    ) -> None:
        body = build_form(submission, api_key=api_key, dialect=Dialect(multivalue_brackets=False))
        expected = attrs.evolve(submission, attributes=one_item_tuples_as_text(submission.attributes))
        assert parse_post(body, FORM) == ParsedPost(expected, api_key)

    @given(submissions(), st.none() | form_texts(), st.lists(media_parts(), max_size=3))
    def test_multipart_body_reads_back_with_its_files(
        self, submission: RequestSubmission, api_key: str | None, media: list[MediaPart]
    ) -> None:
        body, content_type = build_multipart(submission, api_key=api_key, media=media)
        assert parse_post(body, content_type) == ParsedPost(submission, api_key, media)

    @given(submissions())
    def test_building_a_read_form_gives_the_same_bytes(self, submission: RequestSubmission) -> None:
        body = build_form(submission, api_key="k")
        assert build_form(parse_post(body, FORM).submission, api_key="k") == body

    @given(BASES, routes(), queries())
    def test_url_reads_back_as_route_and_query(self, base: str, sent: Route, query: Query) -> None:
        url = build_url(base, sent, query)
        assert "//" not in url.split("://", 1)[1]
        found, text = read_back(url, base, sent)
        assert (found, parse_query(text)) == (sent, query)

    @given(BASES, st.sampled_from(("xml", "json")), requests_queries())
    def test_requests_url_reads_back_as_the_query(
        self, base: str, fmt: Literal["xml", "json"], query: RequestsQuery
    ) -> None:
        sent = Route("service_requests", fmt)
        found, text = read_back(build_url(base, sent, query), base, sent)
        assert found == sent
        assert parse_requests_query(text, strict=True, max_span=None, max_page_size=None) == query

    @given(requests_queries(), FIXED_ZONES)
    def test_zone_less_query_datetimes_read_back_in_the_dialects_zone(self, query: RequestsQuery, zone: object) -> None:
        dialect = Dialect(query_zone=False, timezone=zone)  # type: ignore[arg-type]
        text = build_query(query, dialect=dialect)
        found = parse_requests_query(text, strict=True, dialect=dialect, max_span=None, max_page_size=None)
        assert found == query

    @given(BASES, routes())
    def test_singular_request_path_reads_back(self, base: str, sent: Route) -> None:
        url = build_url(base, sent, dialect=Dialect(singular_request_path=True))
        assert read_back(url, base, sent)[0] == sent


class TestEmailBuiltBodies:
    """Multipart bodies built by the stdlib ``email`` package, an independent writer."""

    @given(
        st.lists(st.tuples(st.sampled_from(("description", "title", "attribute[a b][]")), names()), max_size=4),
        st.binary(max_size=64).filter(lambda data: b"\r" not in data and b"\n" not in data),
        names().map(str.strip).filter(bool),
    )
    def test_parts_of_an_email_package_body_are_read_exactly(
        self, fields: list[tuple[str, str]], data: bytes, filename: str
    ) -> None:
        """The email package rewrites line endings and leaves some names unquoted, so values have no line breaks and names no outer spaces."""
        body, content_type = email_multipart([("service_code", "001"), *fields], data, filename)
        expected = parse_post(build_form(RequestSubmission("001")), FORM)
        for name, value in fields:
            expected = parse_post(build_form(expected.submission) + b"&" + encode_pair(name, value), FORM)
        post = parse_post(body, content_type)
        assert (post.submission, post.media) == (
            expected.submission,
            (MediaPart(data, "media", filename, "image/jpeg"),),
        )


def attempt(function: Callable[..., T], *args: object, **options: object) -> T | InvalidParametersError:
    """What ``function`` returns, or the ``InvalidParametersError`` it raises (anything else propagates)."""
    try:
        return function(*args, **options)
    except InvalidParametersError as exc:
        return exc


def encode_pair(name: str, value: str) -> bytes:
    return f"{quote_plus(name)}={quote_plus(value)}".encode()


def email_multipart(fields: list[tuple[str, str]], data: bytes, filename: str) -> tuple[bytes, str]:
    """A multipart/form-data body as ``email`` writes it: 8bit text parts, one binary file."""
    message = MIMEMultipart("form-data")
    for name, value in fields:
        part = MIMEBase("text", "plain", charset="utf-8")
        part.set_payload(value.encode("utf-8"))
        part.add_header("Content-Disposition", "form-data", name=name)
        message.attach(part)
    media = MIMEBase("image", "jpeg")
    media.set_payload(data)
    media.add_header("Content-Disposition", "form-data", name="media", filename=filename)
    message.attach(media)
    head, _, body = message.as_bytes(policy=email.policy.HTTP).partition(b"\r\n\r\n")
    del head
    return body, message["Content-Type"]


class TestRobustness:
    """Any input gives a value or an ``InvalidParametersError``, nothing else."""

    @given(st.binary(max_size=200) | st.text(max_size=80))
    def test_any_query_string_is_read_or_refused(self, data: bytes | str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DialectWarning)
            found = attempt(parse_requests_query, data)
        assert isinstance(found, RequestsQuery) or found.errors
        other = attempt(parse_query, data)
        assert isinstance(other, Query) or other.errors

    @given(
        st.binary(max_size=300),
        st.sampled_from((None, FORM, "multipart/form-data; boundary=b", "multipart/form-data", "text/plain")),
    )
    def test_any_post_body_is_read_or_refused(self, body: bytes, content_type: str | None) -> None:
        found = attempt(parse_post, body, content_type)
        if isinstance(found, InvalidParametersError):
            assert {error.code for error in found.errors} <= {"400", "413", "415"}
        else:
            assert isinstance(found.submission, RequestSubmission)

    @given(st.text(max_size=60), st.sampled_from(("GET", "POST", "PUT", "HEAD")))
    def test_any_path_is_routed_or_refused(self, path: str, verb: str) -> None:
        found = attempt(route, path, http_method=verb)
        assert isinstance(found, Route) or found.status_hint in {400, 404, 405}

    @given(requests_queries())
    def test_select_returns_what_matches_and_at_most_the_limit(self, query: RequestsQuery) -> None:
        from georeport import ServiceRequest, Status

        requests = [
            ServiceRequest(str(n), Status.OPEN, service_code="001", requested_datetime=NOW, lat=1.0, long=2.0)
            for n in range(3)
        ]
        chosen = query.select(requests, now=NOW)
        assert all(query.matches(request, now=NOW) for request in chosen)
        assert query.limit is None or len(chosen) <= query.limit
