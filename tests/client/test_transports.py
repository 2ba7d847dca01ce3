"""Transports over real loopback HTTP: retries, Retry-After, dropped connections, timeouts; httpx agrees with urllib."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest

from georeport.client import (
    NO_RETRY,
    Client,
    EndpointDialect,
    HttpRequest,
    HttpxTransport,
    RateLimitedError,
    RequestTimeoutError,
    RetryPolicy,
    ServerFailure,
    StaticTransport,
    Transport,
    TransportError,
    UnexpectedResponseError,
    UrllibTransport,
)
from georeport.errors import ValidationError
from georeport.models import RequestSubmission
from tests.client.conftest import Sleeps
from tests.client.loopback import Drop, Loopback, Reply, file_reply

SERVICES = "GET /v2/services.xml"
BUSY = Reply(503, b"<errors><error><code>503</code><description>busy</description></error></errors>")

Make = Callable[[RetryPolicy, Sleeps], Transport]


@pytest.fixture(params=["urllib", "httpx"])
def make(request: pytest.FixtureRequest) -> Iterator[Make]:
    """Make the transport named by the parameter; httpx clients are closed afterwards."""
    made: list[HttpxTransport] = []

    def build(policy: RetryPolicy, sleeps: Sleeps) -> Transport:
        if request.param == "urllib":
            return UrllibTransport(retry=policy, proxies={}, sleep=sleeps)
        transport = HttpxTransport(retry=policy, sleep=sleeps)
        made.append(transport)
        return transport

    yield build
    for transport in made:
        transport.close()


def services(loopback: Loopback, transport: Transport, *, timeout: float = 5.0) -> list[str | None]:
    client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(format="xml"), timeout=timeout)
    return [service.service_code for service in client.services()]


class TestRetries:
    def test_429_waits_as_long_as_retry_after_says(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on(SERVICES, Reply(429, headers=(("Retry-After", "7"),)), file_reply("authored/spec_services.xml"))
        assert services(loopback, make(RetryPolicy(seed=1), sleeps)) == ["PK-101", "ST-214", "WA-330"]
        assert sleeps == [7.0]
        assert loopback.targets() == [SERVICES, SERVICES]

    def test_a_retry_after_too_long_gives_the_429_back(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on(SERVICES, Reply(429, headers=(("Retry-After", "3600"),)))
        with pytest.raises(RateLimitedError) as caught:
            services(loopback, make(RetryPolicy(), sleeps))
        assert (caught.value.retry_after, sleeps) == (3600.0, [])

    def test_500_then_200(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on(SERVICES, Reply(500), Reply(500), file_reply("authored/spec_services.xml"))
        policy = RetryPolicy(base=1.0, factor=2.0, jitter=0.0)
        assert services(loopback, make(policy, sleeps)) == ["PK-101", "ST-214", "WA-330"]
        assert sleeps == [1.0, 2.0]

    def test_5xx_every_time_ends_with_the_last_answer(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on(SERVICES, BUSY)
        with pytest.raises(ServerFailure) as caught:
            services(loopback, make(RetryPolicy(attempts=3), sleeps))
        assert (caught.value.status, caught.value.errors[0].description) == (503, "busy")
        assert len(loopback.seen) == 3
        assert len(sleeps) == 2

    def test_a_dropped_connection_is_retried(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on(SERVICES, Drop(), file_reply("authored/spec_services.xml"))
        assert services(loopback, make(RetryPolicy(), sleeps)) == ["PK-101", "ST-214", "WA-330"]
        assert len(loopback.seen) == 2

    def test_always_dropped_is_a_transport_error(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on(SERVICES, Drop())
        with pytest.raises(TransportError) as caught:
            services(loopback, make(RetryPolicy(attempts=2), sleeps))
        assert caught.value.attempts == 2
        assert isinstance(caught.value, OSError)

    def test_a_timeout_is_a_timeout_error(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on(SERVICES, Reply(200, b"<services/>", delay=0.6))
        with pytest.raises(RequestTimeoutError) as caught:
            services(loopback, make(NO_RETRY, sleeps), timeout=0.2)
        assert isinstance(caught.value, TimeoutError)

    def test_a_post_is_not_sent_again_after_a_500(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on("POST /v2/requests.xml", Reply(500), file_reply("authored/spec_post_response.xml"))
        client = Client(
            f"{loopback.url}/v2", transport=make(RetryPolicy(), sleeps), dialect=EndpointDialect(format="xml")
        )
        with pytest.raises(ServerFailure):
            client.submit(RequestSubmission("PK-101", address_id="A1"))
        assert len(loopback.seen) == 1

    def test_a_post_is_sent_again_after_a_503(self, loopback: Loopback, sleeps: Sleeps, make: Make) -> None:
        loopback.on("POST /v2/requests.xml", BUSY, file_reply("authored/spec_post_response.xml"))
        client = Client(
            f"{loopback.url}/v2", transport=make(RetryPolicy(), sleeps), dialect=EndpointDialect(format="xml")
        )
        assert client.submit(RequestSubmission("PK-101", address_id="A1")).service_request_id == "4102290"
        assert [seen.body for seen in loopback.seen] == [b"service_code=PK-101&address_id=A1"] * 2

    def test_a_post_is_not_sent_again_after_a_dropped_connection(
        self, loopback: Loopback, sleeps: Sleeps, make: Make
    ) -> None:
        loopback.on("POST /v2/requests.xml", Drop(), file_reply("authored/spec_post_response.xml"))
        client = Client(
            f"{loopback.url}/v2", transport=make(RetryPolicy(), sleeps), dialect=EndpointDialect(format="xml")
        )
        with pytest.raises(TransportError):
            client.submit(RequestSubmission("PK-101", address_id="A1"))
        assert len(loopback.seen) == 1


def test_a_refused_connection_is_retried_even_for_post(sleeps: Sleeps, make: Make) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = make(RetryPolicy(attempts=3), sleeps)
    with pytest.raises(TransportError) as caught:
        transport.send(HttpRequest("POST", f"http://127.0.0.1:{port}/v2/requests.xml", body=b"x=1"), timeout=2.0)
    assert (caught.value.attempts, caught.value.connected, len(sleeps)) == (3, False, 2)


class TestBackoff:
    def test_jitter_is_seedable(self) -> None:
        policy = RetryPolicy(seed=42)
        first = [policy.backoff(n, rng) for rng in [policy.rng()] for n in range(1, 6)]
        again = [policy.backoff(n, rng) for rng in [policy.rng()] for n in range(1, 6)]
        assert first == again

    def test_delays_grow_and_stay_under_the_cap(self) -> None:
        policy = RetryPolicy(base=1.0, factor=3.0, max_delay=10.0, jitter=0.5, seed=3)
        rng = policy.rng()
        delays = [policy.backoff(n, rng) for n in range(1, 8)]
        assert all(0.5 * min(10.0, 3.0 ** (n - 1)) <= d <= min(10.0, 3.0 ** (n - 1)) for n, d in enumerate(delays, 1))

    def test_retry_after_as_an_http_date_is_measured_from_the_date_header(self) -> None:
        from georeport.client import HttpResponse
        from georeport.client.sansio import retry_after

        response = HttpResponse(
            429, {"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT", "Date": "Wed, 21 Oct 2015 07:28:00 GMT"}
        )
        assert retry_after(response) == 30.0
        assert retry_after(HttpResponse(429, {"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"})) is None
        assert retry_after(HttpResponse(429, {"Retry-After": "soon"})) is None


class TestStaticTransport:
    def test_answers_in_turn_and_records(self) -> None:
        transport = StaticTransport({"GET https://x.gov/v2/services.xml": [b"<errors/>", "<services/>"]})
        request = HttpRequest("GET", "https://x.gov/v2/services.xml")
        bodies = [transport.send(request, timeout=None).body for _ in range(3)]
        assert bodies == [b"<errors/>", b"<services/>", b"<services/>"]
        assert len(transport.requests) == 3

    def test_is_a_transport(self) -> None:
        assert isinstance(StaticTransport({}), Transport)
        assert isinstance(UrllibTransport(), Transport)


def test_httpx_transport_closes_the_client_it_made() -> None:
    with HttpxTransport() as transport:
        client = transport.client
    assert client.is_closed


def test_httpx_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "httpx", None)  # what an environment without the extra looks like to import
    with pytest.raises(ImportError, match=r"pip install 'open311-georeport\[httpx\]'"):
        HttpxTransport()


@pytest.mark.parametrize("kind", ["urllib", "httpx"])
def test_a_body_over_the_limit_is_refused_by_either_transport(loopback: Loopback, kind: str) -> None:
    loopback.on(SERVICES, Reply(200, b"<services>" + b" " * 5000 + b"</services>"), Reply(200, b"<services/>"))
    transport: Transport
    if kind == "urllib":
        transport = UrllibTransport(retry=NO_RETRY, max_response_size=1000, proxies={})
    else:
        transport = HttpxTransport(retry=NO_RETRY, max_response_size=1000)
    request = HttpRequest("GET", f"{loopback.url}/v2/services.xml")
    with pytest.raises(UnexpectedResponseError, match="a body over 1000 bytes"):
        transport.send(request, timeout=5.0)
    assert transport.send(request, timeout=5.0).body == b"<services/>"  # the next, small answer passes
    if isinstance(transport, HttpxTransport):
        transport.close()


@pytest.mark.parametrize("size", [0, -1, 1.5, True])
def test_the_limit_is_a_whole_number_of_bytes(size: object) -> None:
    with pytest.raises(ValidationError, match="max_response_size"):
        HttpxTransport(max_response_size=size)  # type: ignore[arg-type]
