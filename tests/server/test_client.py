"""georeport's own client (``georeport.client.Client``, the urllib transport) against the reference server."""

from __future__ import annotations

import pytest

import georeport
from georeport.client import Client, EndpointDialect, NotFoundError
from georeport.server import RunningServer
from georeport.wire.params import RequestsQuery
from tests.server.conftest import Clock, Format


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_every_method_through_our_client(server: RunningServer, api_key: str, clock: Clock, fmt: Format) -> None:
    client = Client(server.url, api_key=api_key, dialect=EndpointDialect(format=fmt))
    assert [service.service_code for service in client.services()] == ["PK-101", "ST-214", "WA-330"]
    assert client.definition("PK-101").service_code == "PK-101"
    submission = georeport.RequestSubmission(
        "PK-101", lat=45.0, long=-120.0, attributes={"EQUIPTYPE": "203"}, description="Slide cracked"
    )
    receipt = client.submit(submission)
    assert receipt.service_request_id is not None
    request = client.request(receipt.service_request_id)
    assert (request.description, request.requested_datetime) == ("Slide cracked", clock.now)
    assert client.requests(RequestsQuery(service_code=("PK-101",))).one() == request
    token = client.submit(georeport.RequestSubmission("ST-214", address_id="S-9")).token
    assert token is not None
    assert client.wait_for_id(token).service_request_id == "2"
    assert client.discovery().endpoints[0].url == server.url
    with pytest.raises(NotFoundError):
        client.request("999")
