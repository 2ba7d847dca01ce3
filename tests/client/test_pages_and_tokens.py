"""Paging through GET requests, and polling a token until it names a request, over loopback HTTP."""

from __future__ import annotations

import pytest

import georeport
from georeport import DialectWarning, ServiceRequestList
from georeport.client import (
    Client,
    EndpointDialect,
    PollSchedule,
    TokenPendingError,
    UrllibTransport,
)
from georeport.errors import ValidationError
from georeport.wire.params import RequestsQuery
from tests.client.conftest import Sleeps
from tests.client.loopback import Loopback, Reply, file_reply
from tests.client.servers import RequestStore, records_at


class TestPages:
    def test_pages_until_a_short_page(self, loopback: Loopback, transport: UrllibTransport) -> None:
        store = RequestStore(records_at([float(i) for i in range(23)]), limit=10, paginates=True)
        loopback.on("GET /v2/requests.json", store)
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(requests_limit=10))
        ids = [r.service_request_id for r in client.pages(RequestsQuery(status=["open"]))]
        assert ids == [str(i) for i in range(22, -1, -1)]
        assert [seen.query for seen in loopback.seen] == [
            {"status": "open", "page": str(page), "page_size": "10"} for page in (1, 2, 3)
        ]

    def test_page_size_is_capped_at_the_servers_limit(self, loopback: Loopback, transport: UrllibTransport) -> None:
        loopback.on("GET /v2/requests.json", Reply(200, b"[]"))
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(requests_limit=50))
        assert list(client.pages(RequestsQuery(page_size=500, page=3))) == []
        assert loopback.seen[0].query == {"page": "3", "page_size": "50"}

    def test_a_server_that_ignores_page_is_noticed(self, loopback: Loopback, transport: UrllibTransport) -> None:
        store = RequestStore(records_at([float(i) for i in range(30)]), limit=10, paginates=False)
        loopback.on("GET /v2/requests.json", store)
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(requests_limit=10))
        with pytest.warns(DialectWarning, match="page-ignored"):
            ids = [r.service_request_id for r in client.pages()]
        assert ids == [str(i) for i in range(29, 19, -1)]
        assert len(loopback.seen) == 2


TOKEN_PENDING = georeport.dump(ServiceRequestList([]), "xml")


class TestTokens:
    def test_a_token_becomes_an_id_after_three_polls(
        self, loopback: Loopback, transport: UrllibTransport, sleeps: Sleeps
    ) -> None:
        pending = Reply(200, TOKEN_PENDING)
        loopback.on("GET /v2/tokens/88017.xml", pending, pending, pending, file_reply("authored/spec_token.xml"))
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(format="xml"), sleep=sleeps)
        receipt = client.wait_for_id("88017", schedule=PollSchedule(first=1.0, factor=2.0, attempts=6))
        assert receipt.service_request_id == "4102290"
        assert sleeps == [1.0, 2.0, 4.0]
        assert len(loopback.seen) == 4

    def test_404_means_not_yet(self, loopback: Loopback, transport: UrllibTransport, sleeps: Sleeps) -> None:
        missing = file_reply("corpus/open311-ruby-gem/get_service_request_not_found.xml", status=404)
        loopback.on("GET /v2/tokens/5.xml", missing, file_reply("authored/spec_token.xml"))
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(format="xml"), sleep=sleeps)
        assert client.wait_for_id("5", schedule=PollSchedule(first=0.5)).service_request_id == "4102290"
        assert sleeps == [0.5]

    def test_the_schedule_is_bounded(self, loopback: Loopback, transport: UrllibTransport, sleeps: Sleeps) -> None:
        loopback.on("GET /v2/tokens/5.xml", Reply(200, TOKEN_PENDING))
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(format="xml"), sleep=sleeps)
        with pytest.raises(TokenPendingError) as caught:
            client.wait_for_id("5", schedule=PollSchedule(first=1.0, factor=3.0, attempts=10, max_total=20.0))
        assert sleeps == [1.0, 3.0, 9.0]
        assert (caught.value.attempts, len(loopback.seen)) == (4, 4)
        assert isinstance(caught.value, TimeoutError)

    def test_a_bad_schedule_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="'attempts' must be a whole number of at least 1"):
            PollSchedule(attempts=0)
