"""Every GeoReport method and discovery, in both formats, over real HTTP on loopback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from georeport import DialectWarning, RequestSubmission
from georeport.client import (
    Client,
    ClientRequestError,
    EndpointDialect,
    NotFoundError,
    ServerFailure,
    UnexpectedResponseError,
    UrllibTransport,
)
from georeport.wire.params import Dialect, RequestsQuery
from tests.client.loopback import Loopback, Reply, file_reply

pytestmark = pytest.mark.filterwarnings("ignore::georeport.errors.DialectWarning")  # the spec's JSON has numeric ids
FORMATS = ["xml", "json"]


def client_for(loopback: Loopback, transport: UrllibTransport, fmt: str, **dialect: object) -> Client:
    return Client(
        f"{loopback.url}/open311/v2/",
        transport=transport,
        dialect=EndpointDialect(format=fmt, **dialect),  # type: ignore[arg-type]
        api_key="k3y",
    )


@pytest.mark.parametrize("fmt", FORMATS)
class TestEveryMethod:
    def test_services(self, loopback: Loopback, transport: UrllibTransport, fmt: str) -> None:
        loopback.on(f"GET /open311/v2/services.{fmt}", file_reply(f"authored/spec_services.{fmt}"))
        services = client_for(loopback, transport, fmt).services()
        assert [service.service_code for service in services] == ["PK-101", "ST-214", "WA-330"]
        (seen,) = loopback.seen
        assert (seen.method, seen.path, seen.query) == ("GET", f"/open311/v2/services.{fmt}", {})
        assert seen.headers["accept"].startswith("application/json" if fmt == "json" else "text/xml")
        assert seen.headers["user-agent"].startswith("georeport/")

    def test_definition_with_a_slash_in_the_code(
        self, loopback: Loopback, transport: UrllibTransport, fmt: str
    ) -> None:
        loopback.on(f"GET /open311/v2/services/PK%2F101.{fmt}", file_reply(f"authored/spec_service_definition.{fmt}"))
        definition = client_for(loopback, transport, fmt, jurisdiction_id="city.gov").definition("PK/101")
        assert definition.service_code == "PK-101"
        assert loopback.seen[0].query == {"jurisdiction_id": "city.gov"}

    def test_submit(self, loopback: Loopback, transport: UrllibTransport, fmt: str) -> None:
        loopback.on(f"POST /open311/v2/requests.{fmt}", file_reply(f"authored/spec_post_response.{fmt}"))
        submission = RequestSubmission(
            "PK-101", lat=45.5, long=-122.6, attributes={"HAZARDS": ("SHARP", "LOOSE")}, description="Swing"
        )
        receipt = client_for(loopback, transport, fmt).submit(submission)
        assert receipt.service_request_id == "4102290"
        (seen,) = loopback.seen
        assert seen.headers["content-type"].startswith("application/x-www-form-urlencoded")
        assert seen.body == (
            b"api_key=k3y&service_code=PK-101&lat=45.5&long=-122.6&description=Swing"
            b"&attribute%5BHAZARDS%5D%5B%5D=SHARP&attribute%5BHAZARDS%5D%5B%5D=LOOSE"
        )

    def test_requests(self, loopback: Loopback, transport: UrllibTransport, fmt: str) -> None:
        loopback.on(f"GET /open311/v2/requests.{fmt}", file_reply(f"authored/spec_requests.{fmt}"))
        query = RequestsQuery(status=["open"], start_date=datetime(2024, 5, 1, tzinfo=UTC), service_code=["PK-101"])
        found = client_for(loopback, transport, fmt).requests(query)
        assert [request.service_request_id for request in found] == ["4102231", "4102259"]
        assert loopback.seen[0].query == {
            "service_code": "PK-101",
            "status": "open",
            "start_date": "2024-05-01T00:00:00Z",
        }

    def test_request(self, loopback: Loopback, transport: UrllibTransport, fmt: str) -> None:
        loopback.on(f"GET /open311/v2/requests/4102259.{fmt}", file_reply(f"authored/spec_request.{fmt}"))
        assert client_for(loopback, transport, fmt).request("4102259").service_request_id == "4102259"

    def test_token(self, loopback: Loopback, transport: UrllibTransport, fmt: str) -> None:
        loopback.on(f"GET /open311/v2/tokens/88017.{fmt}", file_reply(f"authored/spec_token.{fmt}"))
        receipt = client_for(loopback, transport, fmt).token("88017")
        assert receipt is not None
        assert (receipt.token, receipt.service_request_id) == ("88017", "4102290")

    def test_discovery(self, loopback: Loopback, transport: UrllibTransport, fmt: str) -> None:
        loopback.on(f"GET /open311/v2/discovery.{fmt}", file_reply(f"authored/spec_discovery.{fmt}"))
        discovery = client_for(loopback, transport, fmt).discovery()
        assert len(discovery.endpoints) == 3

    def test_errors_document_is_raised_with_its_errors(
        self, loopback: Loopback, transport: UrllibTransport, fmt: str
    ) -> None:
        loopback.on(f"POST /open311/v2/requests.{fmt}", file_reply(f"authored/spec_errors.{fmt}", status=400))
        with pytest.raises(ClientRequestError) as caught:
            client_for(loopback, transport, fmt).submit(RequestSubmission("PK-999"))
        assert caught.value.status == 400
        assert [error.code for error in caught.value.errors] == ["400", "400"]
        assert caught.value.errors[0].description == "service_code PK-999 is not a known service for this jurisdiction."
        assert len(loopback.seen) == 1  # a 400 is never retried


class TestFailures:
    def test_404_is_not_found_and_a_lookup_error(self, loopback: Loopback, transport: UrllibTransport) -> None:
        loopback.on(
            "GET /open311/v2/requests/9.xml",
            file_reply("corpus/open311-ruby-gem/get_service_request_not_found.xml", status=404),
        )
        with pytest.raises(LookupError) as caught:
            client_for(loopback, transport, "xml").request("9")
        assert isinstance(caught.value, NotFoundError)

    def test_an_empty_answer_for_one_request_is_not_found(self, loopback: Loopback, transport: UrllibTransport) -> None:
        loopback.on("GET /open311/v2/requests/9.xml", file_reply("authored/empty_requests.xml"))
        with pytest.raises(NotFoundError):
            client_for(loopback, transport, "xml").request("9")

    def test_an_html_502_page_is_a_server_failure_without_errors(
        self, loopback: Loopback, transport: UrllibTransport
    ) -> None:
        loopback.on(
            "GET /open311/v2/services.xml",
            file_reply("authored/html_error_page.html", status=502, content_type="text/html"),
        )
        with pytest.raises(ServerFailure) as caught:
            client_for(loopback, transport, "xml").services()
        assert (caught.value.status, caught.value.errors) == (502, ())
        assert "502 Bad Gateway" in str(caught.value)
        assert len(loopback.seen) == 3  # retried, then given up

    def test_an_html_page_with_200_is_an_unexpected_response(
        self, loopback: Loopback, transport: UrllibTransport
    ) -> None:
        loopback.on(
            "GET /open311/v2/services.xml", file_reply("authored/html_error_page.html", content_type="text/html")
        )
        with pytest.raises(UnexpectedResponseError) as caught:
            client_for(loopback, transport, "xml").services()
        assert caught.value.status == 200
        assert "not a services document" in str(caught.value)

    def test_errors_sent_with_200_are_raised(self, loopback: Loopback, transport: UrllibTransport) -> None:
        loopback.on("GET /open311/v2/services.xml", file_reply("authored/spec_errors.xml"))
        with pytest.raises(ClientRequestError) as caught:
            client_for(loopback, transport, "xml").services()
        assert len(caught.value.errors) == 2


class TestDialects:
    def test_xml_only_chicago_style_dates_and_key_on_get(self, loopback: Loopback, transport: UrllibTransport) -> None:
        loopback.on("GET /v2/requests.xml", file_reply("authored/spec_requests.xml"))
        dialect = EndpointDialect.from_mapping(
            {"json": False, "requests_omit_timezone": True, "timezone": "America/Chicago", "api_key_on_get": True}
        )
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=dialect, api_key="k")
        client.requests(RequestsQuery(start_date=datetime(2024, 5, 1, 5, tzinfo=UTC)))
        assert loopback.seen[0].query == {"start_date": "2024-05-01T00:00:00", "api_key": "k"}

    def test_cities_yml_headers_are_sent(self, loopback: Loopback, transport: UrllibTransport) -> None:
        loopback.on("GET /v2/services.xml", file_reply("authored/spec_services.xml"))
        dialect = EndpointDialect.from_mapping({"format": "xml", "headers": {"accept_encoding": "identity"}})
        Client(f"{loopback.url}/v2", transport=transport, dialect=dialect).services()
        assert loopback.seen[0].headers["accept-encoding"] == "identity"

    def test_singular_request_path(self, loopback: Loopback, transport: UrllibTransport) -> None:
        loopback.on("GET /v2/request/4102259.xml", file_reply("authored/spec_request.xml"))
        dialect = EndpointDialect(format="xml", params=Dialect(singular_request_path=True))
        assert (
            Client(f"{loopback.url}/v2", transport=transport, dialect=dialect).request("4102259").service_request_id
            == "4102259"
        )


def test_lenient_repairs_are_warned_and_kept(loopback: Loopback, transport: UrllibTransport) -> None:
    loopback.on("GET /open311/v2/requests.json", file_reply("authored/spec_requests.json"))
    with pytest.warns(DialectWarning, match="number-as-id"):
        found = client_for(loopback, transport, "json").requests()
    assert {getattr(warning, "code", None) for warning in found.warnings} == {"number-as-id"}


def test_empty_answer_list_is_an_empty_list(loopback: Loopback, transport: UrllibTransport) -> None:
    loopback.on("GET /open311/v2/requests.json", Reply(200, b"[]"))
    assert list(client_for(loopback, transport, "json").requests()) == []
