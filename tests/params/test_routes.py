"""``route`` and ``build_url``: every method, suffixes, identifiers, and the status of each refusal."""

from __future__ import annotations

import pytest

from georeport.wire.params import (
    Dialect,
    InvalidParametersError,
    Method,
    ParameterError,
    Query,
    RequestsQuery,
    Route,
    build_url,
    route,
)


def refusal(path: str, verb: str = "GET", base_path: str = "") -> tuple[int, list[tuple[str, str | None]], str | None]:
    with pytest.raises(InvalidParametersError) as caught:
        route(path, http_method=verb, base_path=base_path)
    exc = caught.value
    return exc.status_hint, [(error.code, error.description) for error in exc.errors], exc.format


class TestRoute:
    @pytest.mark.parametrize(
        ("path", "verb", "expected"),
        [
            ("/discovery.json", "GET", Route(Method.DISCOVERY, "json")),
            ("/services.xml", "GET", Route(Method.SERVICE_LIST, "xml")),
            ("/services/033.xml", "GET", Route(Method.SERVICE_DEFINITION, "xml", "033")),
            ("/requests.json", "POST", Route(Method.POST_SERVICE_REQUEST, "json")),
            ("/tokens/123456.xml", "GET", Route(Method.TOKEN, "xml", "123456")),
            ("/requests.xml", "GET", Route(Method.SERVICE_REQUESTS, "xml")),
            ("/requests/638344.json", "GET", Route(Method.SERVICE_REQUEST, "json", "638344")),
            ("/request/638344.json", "GET", Route(Method.SERVICE_REQUEST, "json", "638344")),
            ("/requests.XML", "HEAD", Route(Method.SERVICE_REQUESTS, "xml")),
            ("/services.json?jurisdiction_id=city.gov", "GET", Route(Method.SERVICE_LIST, "json")),
        ],
        ids=[
            "discovery",
            "services",
            "definition",
            "post",
            "token",
            "requests",
            "request",
            "singular",
            "head",
            "query",
        ],
    )
    def test_every_method(self, path: str, verb: str, expected: Route) -> None:
        assert route(path, http_method=verb) == expected

    @pytest.mark.parametrize(
        ("path", "identifier"),
        [
            (
                "/services/ServiceRequest%2FAnimals%2FAnimal%20Nuisance%2FNA.json",
                "ServiceRequest/Animals/Animal Nuisance/NA",
            ),
            ("/services/ServiceRequest/Animals/Animal Nuisance/NA.json", "ServiceRequest/Animals/Animal Nuisance/NA"),
            ("/services/What%20is%20this%3F.json", "What is this?"),
            ("/services/a.b.json", "a.b"),
            ("/services/code.xml.json", "code.xml"),
            ("/services/%C3%9C-12.json", "Ü-12"),
            ("/services/a+b.json", "a+b"),
        ],
        ids=["encoded-slashes", "decoded-slashes", "question-mark", "dot", "inner-suffix", "non-ascii", "plus"],
    )
    def test_identifiers_are_everything_between_collection_and_suffix_decoded(self, path: str, identifier: str) -> None:
        assert route(path).identifier == identifier

    def test_a_base_path_is_stripped(self) -> None:
        assert route("/open311/v2/services.xml", base_path="/open311/v2/") == Route(Method.SERVICE_LIST, "xml")

    @pytest.mark.parametrize(
        ("path", "verb", "base", "expected"),
        [
            (
                "/services.html",
                "GET",
                "",
                (404, [("404", "'path' must be a path ending in .xml or .json (got '/services.html')")], None),
            ),
            (
                "/services",
                "GET",
                "",
                (404, [("404", "'path' must be a path ending in .xml or .json (got '/services')")], None),
            ),
            (
                "/reports.json",
                "GET",
                "",
                (
                    404,
                    [
                        (
                            "404",
                            "'path' must be a GeoReport path such as services.xml, services/{code}.json or requests/{id}.xml (got '/reports.json')",
                        )
                    ],
                    "json",
                ),
            ),
            (
                "/v1/services.xml",
                "GET",
                "/v2",
                (404, [("404", "'path' must be a path under /v2/ (got '/v1/services.xml')")], None),
            ),
            (
                "/services/.json",
                "GET",
                "",
                (400, [("400", "'service_code' must be given in the path (got '')")], "json"),
            ),
            (
                "/tokens/%FF.xml",
                "GET",
                "",
                (400, [("400", "'token' must be percent-encoded UTF-8 in the path (got '%FF')")], "xml"),
            ),
            (
                "/services.xml",
                "POST",
                "",
                (405, [("405", "'method' must be GET for /services.xml (got 'POST')")], "xml"),
            ),
            (
                "/requests.xml",
                "DELETE",
                "",
                (405, [("405", "'method' must be GET or POST for /requests.xml (got 'DELETE')")], "xml"),
            ),
            ("/requests/1/notes.xml", "GET", "", None),
        ],
        ids=[
            "unknown-suffix",
            "no-suffix",
            "unknown-resource",
            "outside-base",
            "empty-code",
            "bad-utf8",
            "post-services",
            "delete",
            "nested",
        ],
    )
    def test_refusals_carry_the_standards_status(
        self, path: str, verb: str, base: str, expected: tuple[int, list[tuple[str, str]], str | None] | None
    ) -> None:
        if expected is None:  # a nested path is an identifier holding '/': the id '1/notes'
            assert route(path, http_method=verb).identifier == "1/notes"
            return
        assert refusal(path, verb, base) == expected


class TestRouteModel:
    def test_a_method_with_an_identifier_needs_one(self) -> None:
        with pytest.raises(ParameterError, match="'token' must be a non-empty string"):
            Route(Method.TOKEN, "xml")

    def test_a_method_without_an_identifier_takes_none(self) -> None:
        with pytest.raises(ParameterError, match="'identifier' must be None"):
            Route(Method.SERVICE_LIST, "xml", "x")

    def test_an_unknown_method_lists_the_valid_ones(self) -> None:
        with pytest.raises(ValueError, match="'method' must be one of 'discovery', 'service_list'"):
            Route("reports")

    def test_http_methods(self) -> None:
        assert {method: method.http_method for method in Method if method.http_method == "POST"} == {
            Method.POST_SERVICE_REQUEST: "POST"
        }


class TestBuildUrl:
    @pytest.mark.parametrize(
        "base", ["https://api.city.gov/dev/v2", "https://api.city.gov/dev/v2/", "https://api.city.gov/dev/v2//"]
    )
    def test_the_base_is_joined_without_a_double_slash(self, base: str) -> None:
        url = build_url(base, Route(Method.SERVICE_DEFINITION, "xml", "033"), Query(jurisdiction_id="city.gov"))
        assert url == "https://api.city.gov/dev/v2/services/033.xml?jurisdiction_id=city.gov"

    def test_an_identifier_is_encoded_as_one_segment(self) -> None:
        url = build_url(
            "http://h/v2", Route(Method.SERVICE_DEFINITION, "json", "ServiceRequest/Animals/Animal Nuisance/NA")
        )
        assert url == "http://h/v2/services/ServiceRequest%2FAnimals%2FAnimal%20Nuisance%2FNA.json"

    def test_the_standards_sample_requests_url(self) -> None:
        from datetime import UTC, datetime

        query = RequestsQuery(
            start_date=datetime(2010, 5, 24, tzinfo=UTC),
            end_date=datetime(2010, 6, 24, tzinfo=UTC),
            status=["open"],
            jurisdiction_id="city.gov",
        )
        assert build_url("https://api.city.gov/dev/v2", Route(Method.SERVICE_REQUESTS, "xml"), query) == (
            "https://api.city.gov/dev/v2/requests.xml?jurisdiction_id=city.gov&status=open"
            "&start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z"
        )

    def test_the_singular_request_path(self) -> None:
        url = build_url(
            "http://h", Route(Method.SERVICE_REQUEST, "json", "1"), dialect=Dialect(singular_request_path=True)
        )
        assert url == "http://h/request/1.json"

    @pytest.mark.parametrize(
        ("dialect", "method", "expected"),
        [
            (Dialect(), Method.SERVICE_LIST, "http://h/services.xml"),
            (Dialect(api_key_on_get=True), Method.SERVICE_LIST, "http://h/services.xml?api_key=k"),
            (Dialect(api_key_on_get=True), Method.POST_SERVICE_REQUEST, "http://h/requests.xml"),
        ],
        ids=["standard", "on-get", "post-carries-it-in-the-body"],
    )
    def test_the_api_key_goes_on_gets_only_when_the_dialect_says(
        self, dialect: Dialect, method: Method, expected: str
    ) -> None:
        assert build_url("http://h", Route(method), api_key="k", dialect=dialect) == expected

    def test_a_base_with_a_query_is_refused(self) -> None:
        with pytest.raises(ParameterError, match="'base_url' must be a URL without a query or fragment"):
            build_url("http://h/v2?key=1", Route(Method.SERVICE_LIST))
