"""``parse_query``, ``parse_requests_query``, ``build_query`` and the window rules of ``RequestsQuery``."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta, timezone

import pytest

from georeport import DialectWarning, ServiceRequest, Status, ValidationError
from georeport.wire.params import (
    DEFAULT_LIMIT,
    BoundingBox,
    Dialect,
    InvalidParametersError,
    Query,
    RequestsQuery,
    build_query,
    parse_query,
    parse_requests_query,
)

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)
CHICAGO = Dialect(query_zone=False, timezone=timezone(timedelta(hours=-5)))


def at(day: int, month: int = 5, year: int = 2024) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def errors(query: str, **options: object) -> list[tuple[str, str | None]]:
    with pytest.raises(InvalidParametersError) as caught:
        parse_requests_query(query, **options)  # type: ignore[arg-type]
    return [(error.code, error.description) for error in caught.value.errors]


def quietly(query: str, **options: object) -> tuple[RequestsQuery, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = parse_requests_query(query, **options)  # type: ignore[arg-type]
    return found, [f"{w.message.code}:{w.message.field}" for w in caught if isinstance(w.message, DialectWarning)]


class TestReading:
    def test_the_standards_sample(self) -> None:
        query = parse_requests_query(
            "start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open&jurisdiction_id=city.gov"
        )
        assert query == RequestsQuery(
            start_date=datetime(2010, 5, 24, tzinfo=UTC),
            end_date=datetime(2010, 6, 24, tzinfo=UTC),
            status=[Status.OPEN],
            jurisdiction_id="city.gov",
        )

    def test_lists_are_comma_separated_or_repeated_trimmed_and_deduplicated(self) -> None:
        query = parse_requests_query(
            b"service_code=001, 002,&service_code=003&service_code=001&status=Open&status=closed,open"
        )
        assert query.service_code == ("001", "002", "003")
        assert query.status == (Status.OPEN, Status.CLOSED)

    def test_empty_parameters_are_absent(self) -> None:
        assert parse_requests_query("?status=&service_code=&start_date=&jurisdiction_id=&q=") == RequestsQuery()

    def test_the_common_extensions(self) -> None:
        query = parse_requests_query(
            "page=2&page_size=50&updated_after=2024-05-01T00:00:00-05:00&updated_before=2024-05-02T00:00:00Z"
            "&bbox=24.929,60.171,24.946,60.176&extensions=TRUE&api_key=k"
        )
        assert (query.page, query.page_size, query.extensions, query.api_key) == (2, 50, True, "k")
        assert query.updated_after == datetime(2024, 5, 1, 5, tzinfo=UTC)
        assert query.bbox == BoundingBox(24.929, 60.171, 24.946, 60.176)

    def test_unknown_parameters_are_kept_in_order(self) -> None:
        assert parse_requests_query("q=pothole&locale=fi&q=again").extra == (
            ("q", "pothole"),
            ("locale", "fi"),
            ("q", "again"),
        )

    def test_the_query_of_other_methods(self) -> None:
        assert parse_query(b"jurisdiction_id=city.gov&extensions=false&lat=60&long=11") == Query(
            jurisdiction_id="city.gov", extra=[("lat", "60"), ("long", "11")]
        )

    def test_a_zone_less_datetime_is_repaired_with_a_warning(self) -> None:
        query, issued = quietly("start_date=2024-05-01T00:00:00")
        assert query.start_date == at(1)
        assert issued == ["datetime-without-zone:start_date"]
        assert [(type(w).__name__, getattr(w, "code", None)) for w in query.warnings] == [
            ("DialectWarning", "datetime-without-zone")
        ]

    def test_a_date_alone_is_the_start_or_the_end_of_that_day(self) -> None:
        query, issued = quietly("start_date=2024-05-01&end_date=2024-05-02")
        assert (query.start_date, query.end_date) == (at(1), at(3) - timedelta(microseconds=1))
        assert issued == ["date-only:start_date", "date-only:end_date"]

    def test_an_unencoded_plus_is_restored(self) -> None:
        query, issued = quietly("start_date=2024-05-01T00:00:00+02:00")
        assert query.start_date == datetime(2024, 4, 30, 22, tzinfo=UTC)
        assert issued == ["plus-as-space:start_date"]

    def test_a_fraction_of_a_second_is_read(self) -> None:
        assert parse_requests_query("start_date=2024-05-01T00:00:00.250Z").start_date == at(1) + timedelta(
            milliseconds=250
        )

    def test_a_dialect_that_omits_the_zone_reads_it_in_its_zone_silently(self) -> None:
        query, issued = quietly("start_date=2024-05-01T00:00:00", dialect=CHICAGO)
        assert query.start_date == datetime(2024, 5, 1, 5, tzinfo=UTC)
        assert issued == []


class TestRefusals:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("status=pending", "'status' must be 'open' or 'closed' (got 'pending')"),
            (
                "start_date=yesterday",
                "'start_date' must be a W3C datetime such as 2010-01-01T00:00:00Z (got 'yesterday')",
            ),
            (
                "end_date=2024-02-30",
                "'end_date' must be a W3C datetime such as 2010-01-01T00:00:00Z (got '2024-02-30')",
            ),
            (
                "bbox=1,2,3",
                "'bbox' must be min_long,min_lat,max_long,max_lat in degrees, each min not above its max (got '1,2,3')",
            ),
            (
                "bbox=3,2,1,4",
                "'bbox' must be min_long,min_lat,max_long,max_lat in degrees, each min not above its max (got '3,2,1,4')",
            ),
            (
                "bbox=1,2,3,nan",
                "'bbox' must be min_long,min_lat,max_long,max_lat in degrees, each min not above its max (got '1,2,3,nan')",
            ),
            ("page=-1", "'page' must be a whole number of at least 0 (got '-1')"),
            ("page_size=0", "'page_size' must be a whole number of at least 1 and at most 1000 (got '0')"),
            ("page_size=1001", "'page_size' must be a whole number of at least 1 and at most 1000 (got '1001')"),
            ("extensions=maybe", "'extensions' must be 'true' or 'false' (got 'maybe')"),
            (
                "jurisdiction_id=a&jurisdiction_id=b",
                "'jurisdiction_id' must be given once (it was also given as 'a') (got 'b')",
            ),
            (
                "start_date=2024-05-02T00:00:00Z&end_date=2024-05-01T00:00:00Z",
                "'end_date' must be not before start_date (2024-05-02T00:00:00Z) (got '2024-05-01T00:00:00Z')",
            ),
            (
                "start_date=2024-01-01T00:00:00Z&end_date=2024-05-01T00:00:00Z",
                "'end_date' must be at most 90 days after start_date (the span is 121 days) (got '2024-05-01T00:00:00Z')",
            ),
            (
                "updated_after=2024-05-02T00:00:00Z&updated_before=2024-05-01T00:00:00Z",
                "'updated_before' must be not before updated_after (2024-05-02T00:00:00Z) (got '2024-05-01T00:00:00Z')",
            ),
        ],
    )
    def test_bad_values_are_400s(self, query: str, expected: str) -> None:
        assert errors(query) == [("400", expected)]

    def test_every_problem_is_reported_at_once(self) -> None:
        assert [code for code, _ in errors("status=x&page=y&bbox=z")] == ["400", "400", "400"]

    def test_strict_reading_refuses_repairs(self) -> None:
        assert errors("start_date=2024-05-01", strict=True) == [
            (
                "400",
                (
                    "'start_date' must be a W3C datetime such as 2010-01-01T00:00:00Z "
                    "(a date without a time, read as the start of that day) (got '2024-05-01')"
                ),
            )
        ]

    def test_ids_override_the_span_rule(self) -> None:
        query = parse_requests_query(
            "service_request_id=1&start_date=2020-01-01T00:00:00Z&end_date=2024-01-01T00:00:00Z"
        )
        assert query.service_request_id == ("1",)

    def test_the_span_and_page_limits_can_be_lifted(self) -> None:
        query = parse_requests_query(
            "start_date=2020-01-01T00:00:00Z&end_date=2024-01-01T00:00:00Z&page_size=5000",
            max_span=None,
            max_page_size=None,
        )
        assert query.page_size == 5000

    def test_too_many_parameters_is_413(self) -> None:
        assert errors("a=1&b=2", max_fields=1) == [("413", "'body' must be at most 1 parameters (got '2 parameters')")]


class TestWindow:
    @pytest.mark.parametrize(
        ("query", "window"),
        [
            (RequestsQuery(), (NOW - timedelta(days=90), NOW)),
            (RequestsQuery(start_date=at(1)), (at(1), at(1) + timedelta(days=90))),
            (RequestsQuery(end_date=at(1)), (at(1) - timedelta(days=90), at(1))),
            (RequestsQuery(start_date=at(1), end_date=at(2)), (at(1), at(2))),
            (RequestsQuery(service_request_id=["1"], start_date=at(1)), None),
        ],
        ids=["neither", "start-only", "end-only", "both", "ids-override"],
    )
    def test_the_standards_defaults(self, query: RequestsQuery, window: tuple[datetime, datetime] | None) -> None:
        assert query.window(now=NOW) == window

    def test_limits(self) -> None:
        assert (RequestsQuery().limit, RequestsQuery(page_size=50).limit) == (DEFAULT_LIMIT, 50)
        assert RequestsQuery(service_request_id=["1"], page_size=50).limit is None

    def test_now_must_have_a_zone(self) -> None:
        with pytest.raises(ValidationError, match="'now' must be a timezone-aware datetime"):
            RequestsQuery().window(now=datetime(2024, 1, 1))

    def test_select_filters_orders_newest_first_and_pages(self) -> None:
        requests = [
            ServiceRequest(
                str(day), Status.OPEN if day % 2 else Status.CLOSED, service_code="A", requested_datetime=at(day)
            )
            for day in range(1, 8)
        ]
        requests.append(ServiceRequest("old", Status.OPEN, service_code="A", requested_datetime=at(1, 1)))
        requests.append(ServiceRequest("other", Status.OPEN, service_code="B", requested_datetime=at(5)))
        query = RequestsQuery(service_code=["A"], status=["open"], page=2, page_size=2)
        assert [request.service_request_id for request in query.select(requests, now=NOW)] == ["3", "1"]

    def test_bounds_are_inclusive(self) -> None:
        request = ServiceRequest("1", requested_datetime=at(1), updated_datetime=at(2))
        assert RequestsQuery(start_date=at(1), end_date=at(1), updated_after=at(2), updated_before=at(2)).matches(
            request, now=NOW
        )

    def test_ids_override_every_filter_and_keep_their_order(self) -> None:
        requests = [ServiceRequest(n, Status.CLOSED, requested_datetime=at(1, 1, 2000)) for n in ("1", "2", "3")]
        query = RequestsQuery(service_request_id=["3", "1"], status=["open"])
        assert [request.service_request_id for request in query.select(requests, now=NOW)] == ["3", "1"]

    def test_a_bbox_keeps_requests_with_a_point_inside(self) -> None:
        inside = ServiceRequest("in", requested_datetime=at(1), lat=60.172, long=24.93)
        outside = ServiceRequest("out", requested_datetime=at(1), lat=60.172, long=25.0)
        nowhere = ServiceRequest("none", requested_datetime=at(1))
        query = RequestsQuery(bbox=BoundingBox(24.929, 60.171, 24.946, 60.176))
        assert query.select([inside, outside, nowhere], now=NOW) == [inside]


class TestWriting:
    def test_every_parameter_in_a_fixed_order(self) -> None:
        query = RequestsQuery(
            jurisdiction_id="city.gov",
            service_request_id=["1", "2"],
            service_code=["a/b", "What?"],
            status=["open", "closed"],
            start_date=datetime(2024, 5, 1, 0, 0, 0, 750000, tzinfo=timezone(timedelta(hours=2))),
            updated_before=at(2),
            bbox=BoundingBox(-1e-7, 1, 2, 3),
            page=1,
            page_size=50,
            extensions=True,
            api_key="k y",
            extra=[("q", "pot hole")],
        )
        assert build_query(query) == (
            "jurisdiction_id=city.gov&service_request_id=1,2&service_code=a%2Fb,What%3F&status=open,closed"
            "&start_date=2024-05-01T00:00:00%2B02:00&updated_before=2024-05-02T00:00:00Z"
            "&bbox=-0.0000001,1.0,2.0,3.0&page=1&page_size=50&extensions=true&api_key=k%20y&q=pot%20hole"
        )

    def test_a_zone_less_dialect_writes_wall_time_in_its_zone(self) -> None:
        assert build_query(RequestsQuery(start_date=at(1)), dialect=CHICAGO) == "start_date=2024-04-30T19:00:00"

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"service_code": ["a,b"]}, "'service_code' must be non-empty values without ','"),
            ({"service_request_id": [" 1"]}, "'service_request_id' must be non-empty values without ','"),
            ({"status": ["pending"]}, "'status' must be one of 'open', 'closed'"),
            ({"start_date": datetime(2024, 1, 1)}, "'start_date' must be a timezone-aware datetime"),
            ({"extra": [("status", "open")]}, "'extra' must be names of parameters this query does not define"),
            ({"extra": [("q", "")]}, "'extra' must be non-empty text"),
            ({"page_size": 0}, "'page_size' must be a whole number of at least 1"),
        ],
        ids=["comma", "spaces", "status", "naive", "reserved-extra", "empty-extra", "page-size"],
    )
    def test_values_a_query_cannot_carry_are_refused_when_built(self, fields: dict[str, object], message: str) -> None:
        with pytest.raises(ValidationError, match=message):
            RequestsQuery(**fields)  # type: ignore[arg-type]

    def test_a_box_must_be_in_range_and_in_order(self) -> None:
        with pytest.raises(ValidationError, match="'min_lat' must be a latitude between -90 and 90"):
            BoundingBox(0, 91, 1, 92)
        with pytest.raises(ValidationError, match="'bbox' must be min_long <= max_long"):
            BoundingBox(2, 0, 1, 1)
