"""The front door over two real loopback upstreams: routing, translation, federated ids, partial answers."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Literal

import pytest

import georeport
from georeport import RequestSubmission, ServiceRequest, ServiceRequestList, Status
from georeport.client import ClientRequestError
from georeport.federation import (
    FederatedIdError,
    FrontDoor,
    IdKind,
    UnknownUpstreamError,
    UnroutableError,
    UntranslatableError,
)
from georeport.wire.params import RequestsQuery
from tests.client.loopback import Drop, Loopback, Reply, file_reply


def requests_reply(*records: ServiceRequest, fmt: Literal["xml", "json"] = "xml") -> Reply:
    return Reply(200, georeport.dump(ServiceRequestList(records), fmt))


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 5, day, hour, tzinfo=UTC)


class TestSubmit:
    def test_a_pothole_in_town_goes_to_the_town_in_its_code(self, door: FrontDoor, town: Loopback) -> None:
        town.on("POST /open311/v2/requests.xml", file_reply("authored/spec_post_response.xml"))
        submitted = door.submit(
            RequestSubmission("pothole", lat=0.5, long=0.5, description="Deep", jurisdiction_id="front.gov")
        )
        assert submitted.upstream == "town"
        assert town.seen[0].body == b"api_key=town-key&service_code=PK-101&lat=0.5&long=0.5&description=Deep"
        assert submitted.upstream_receipt.service_request_id == "4102290"
        found = door.codec.decode(submitted.receipt.service_request_id or "")
        assert (found.upstream, found.upstream_id) == ("town", "4102290")
        assert submitted.receipt.service_notice == submitted.upstream_receipt.service_notice
        assert submitted.decision is not None
        assert not submitted.decision.is_fallback

    def test_a_pothole_outside_town_goes_to_the_agency(self, door: FrontDoor, fhwa: Loopback, town: Loopback) -> None:
        fhwa.on("POST /georeport/v2/requests.json", Reply(200, b'[{"service_request_id": "F-77"}]'))
        submitted = door.submit(RequestSubmission("pothole", lat=1.5, long=1.5))
        assert submitted.upstream == "fhwa"
        assert fhwa.seen[0].body == b"jurisdiction_id=fhwa.gov&service_code=RD-7&lat=1.5&long=1.5"
        assert town.seen == []

    def test_a_namespaced_code_names_its_upstream(self, door: FrontDoor, fhwa: Loopback) -> None:
        fhwa.on("POST /georeport/v2/requests.json", Reply(200, b'[{"service_request_id": "F-78"}]'))
        submitted = door.submit(RequestSubmission("fhwa:RD-9", address_string="I-70 mile 12"))
        assert (submitted.upstream, submitted.decision) == ("fhwa", None)
        assert b"service_code=RD-9" in fhwa.seen[0].body

    def test_the_fallback_without_an_upstream_is_unroutable(self, door: FrontDoor) -> None:
        with pytest.raises(UnroutableError, match="usa-contact-centre"):
            door.submit(RequestSubmission("pothole", lat=5.0, long=5.0))

    def test_no_counterpart_upstream_is_untranslatable(self, door: FrontDoor) -> None:
        door.crosswalk = type(door.crosswalk).from_mapping(
            {"services": {"pothole": "Pothole", "graffiti": "Graffiti"}, "codes": {"town": {"GR-1": "graffiti"}}}
        )
        with pytest.raises(UntranslatableError) as caught:
            door.submit(RequestSubmission("pothole", lat=0.5, long=0.5))
        assert (caught.value.service_code, caught.value.upstream, caught.value.status_hint) == ("pothole", "town", 404)

    def test_an_unknown_upstream(self, door: FrontDoor) -> None:
        with pytest.raises(UnknownUpstreamError):
            door.submit(RequestSubmission("nowhere:X", address_id="1"))

    def test_the_upstreams_errors_reach_the_caller(self, door: FrontDoor, town: Loopback) -> None:
        town.on("POST /open311/v2/requests.xml", file_reply("authored/spec_errors.xml", status=400))
        with pytest.raises(ClientRequestError) as caught:
            door.submit(RequestSubmission("graffiti", lat=0.5, long=0.5))
        assert len(caught.value.errors) == 2

    def test_a_token_is_federated_and_tracked(self, door: FrontDoor, town: Loopback) -> None:
        town.on(
            "POST /open311/v2/requests.xml",
            Reply(200, b"<service_requests><request><token>88017</token></request></service_requests>"),
        )
        town.on("GET /open311/v2/tokens/88017.xml", file_reply("authored/spec_token.xml"))
        submitted = door.submit(RequestSubmission("graffiti", lat=0.5, long=0.5))
        token = submitted.receipt.token or ""
        assert submitted.receipt.service_request_id is None
        assert door.codec.decode(token, kind=IdKind.TOKEN).upstream_id == "88017"
        receipt = door.token(token)
        assert receipt.token == token
        assert door.codec.decode(receipt.service_request_id or "").upstream_id == "4102290"
        with pytest.raises(FederatedIdError, match="it is a token, not a request"):
            door.request(token)


class TestTracking:
    def test_one_request_through_the_front_door(self, door: FrontDoor, town: Loopback) -> None:
        town.on("GET /open311/v2/requests/4102259.xml", file_reply("authored/spec_request.xml"))
        federated = door.codec.encode("town", "4102259")
        found = door.request(federated)
        assert found.service_request_id == federated
        assert found.service_code == "town:ST-214"  # the crosswalk does not map it: namespaced
        assert found.service_name == "Faded street name sign"

    def test_a_tampered_id_is_refused_before_any_call(self, door: FrontDoor, town: Loopback) -> None:
        federated = door.codec.encode("town", "4102259")
        tampered = federated[:5] + ("a" if federated[5] != "a" else "b") + federated[6:]
        with pytest.raises(FederatedIdError) as caught:
            door.request(tampered)
        assert caught.value.status_hint == 404
        assert town.seen == []


class TestFanOut:
    def test_requests_from_both_merged_newest_first(self, door: FrontDoor, town: Loopback, fhwa: Loopback) -> None:
        town.on(
            "GET /open311/v2/requests.xml",
            requests_reply(
                ServiceRequest("T1", Status.OPEN, service_code="PK-101", requested_datetime=at(3)),
                ServiceRequest("T2", Status.OPEN, service_code="SW-9", requested_datetime=at(1)),
            ),
        )
        fhwa.on(
            "GET /georeport/v2/requests.json",
            requests_reply(
                ServiceRequest("F1", Status.OPEN, service_code="RD-7", requested_datetime=at(2)), fmt="json"
            ),
        )
        answer = door.requests(RequestsQuery(status=["open"]))
        assert answer.complete
        assert answer.asked == ("town", "fhwa")
        assert [door.codec.decode(r.service_request_id or "").upstream_id for r in answer.value] == ["T1", "F1", "T2"]
        assert [r.service_code for r in answer.value] == ["pothole", "pothole", "town:SW-9"]
        assert town.seen[0].query == {"status": "open"}
        assert fhwa.seen[0].query == {"status": "open", "jurisdiction_id": "fhwa.gov"}

    def test_a_down_upstream_is_named_and_the_rest_answered(
        self, door: FrontDoor, town: Loopback, fhwa: Loopback
    ) -> None:
        town.on(
            "GET /open311/v2/requests.xml", requests_reply(ServiceRequest("T1", Status.OPEN, requested_datetime=at(3)))
        )
        fhwa.on("GET /georeport/v2/requests.json", Drop())
        answer = door.requests()
        assert not answer.complete
        assert list(answer.missing) == ["fhwa"]
        assert "TransportError" in answer.missing["fhwa"]
        assert answer.answered == ("town",)
        assert len(answer.value) == 1

    def test_a_stopped_upstream_is_named(self, door: FrontDoor, town: Loopback, fhwa: Loopback) -> None:
        town.on("GET /open311/v2/requests.xml", requests_reply())
        fhwa.server.shutdown()
        fhwa.server.server_close()
        answer = door.requests()
        assert list(answer.missing) == ["fhwa"]

    def test_a_slow_upstream_is_named_within_its_timeout(self, door: FrontDoor, town: Loopback, fhwa: Loopback) -> None:
        town.on("GET /open311/v2/requests.xml", requests_reply(ServiceRequest("T1", Status.OPEN)))
        fhwa.on("GET /georeport/v2/requests.json", Reply(200, b"[]", delay=1.5))
        started = time.monotonic()
        answer = door.requests()
        assert time.monotonic() - started < 1.4  # fhwa's timeout is 0.5 s
        assert "RequestTimeoutError" in answer.missing["fhwa"]
        assert [r.service_request_id for r in answer.value] == [door.codec.encode("town", "T1")]

    def test_a_failing_upstream_keeps_its_errors_in_the_reason(
        self, door: FrontDoor, town: Loopback, fhwa: Loopback
    ) -> None:
        town.on("GET /open311/v2/requests.xml", file_reply("authored/spec_errors.xml", status=400))
        fhwa.on("GET /georeport/v2/requests.json", Reply(200, b"[]"))
        answer = door.requests()
        assert "service_code PK-999 is not a known service" in answer.missing["town"]
        assert answer.answered == ("fhwa",)

    def test_filters_are_translated_per_upstream(self, door: FrontDoor, town: Loopback, fhwa: Loopback) -> None:
        town.on("GET /open311/v2/requests.xml", requests_reply())
        fhwa.on("GET /georeport/v2/requests.json", Reply(200, b"[]"))
        door.requests(RequestsQuery(service_code=["pothole", "town:SW-9"]))
        assert town.seen[0].query == {"service_code": "PK-101,SW-9"}
        assert fhwa.seen[0].query == {"service_code": "RD-7", "jurisdiction_id": "fhwa.gov"}

    def test_ids_ask_only_their_upstream(self, door: FrontDoor, town: Loopback, fhwa: Loopback) -> None:
        town.on("GET /open311/v2/requests.xml", requests_reply(ServiceRequest("T1", Status.OPEN)))
        answer = door.requests(RequestsQuery(service_request_id=[door.codec.encode("town", "T1")]))
        assert answer.asked == ("town",)
        assert town.seen[0].query == {"service_request_id": "T1"}
        assert fhwa.seen == []

    def test_an_upstream_with_nothing_to_match_is_not_asked_nor_missing(
        self, door: FrontDoor, town: Loopback, fhwa: Loopback
    ) -> None:
        town.on("GET /open311/v2/requests.xml", requests_reply())
        answer = door.requests(RequestsQuery(service_code=["graffiti"]))
        assert (answer.asked, answer.missing, fhwa.seen) == (("town",), {}, [])

    def test_services_merged_into_the_common_taxonomy(self, door: FrontDoor, town: Loopback, fhwa: Loopback) -> None:
        town.on(
            "GET /open311/v2/services.xml",
            Reply(
                200,
                georeport.dump(
                    georeport.ServiceList(
                        [
                            georeport.Service("PK-101", "Potholes", metadata=True, type="realtime"),
                            georeport.Service("SW-9", "Sidewalk", metadata=False, type="realtime"),
                        ]
                    ),
                    "xml",
                ),
            ),
        )
        fhwa.on("GET /georeport/v2/services.json", file_reply("authored/html_error_page.html", status=502))
        answer = door.services()
        assert [s.service_code for s in answer.value] == ["pothole", "town:SW-9"]
        assert answer.value[0].service_name == "Pothole or road damage"
        assert "ServerFailure" in answer.missing["fhwa"]

    def test_refresh_keeps_each_catalog(self, door: FrontDoor, town: Loopback, fhwa: Loopback) -> None:
        town.on("GET /open311/v2/services.xml", file_reply("authored/spec_services.xml"))
        fhwa.on("GET /georeport/v2/services.json", Drop())
        answer = door.refresh()
        assert list(answer.missing) == ["fhwa"]
        catalog = door.registry["town"].catalog
        assert catalog is not None
        assert [s.service_code for s in catalog] == ["PK-101", "ST-214", "WA-330"]
        assert door.registry["fhwa"].catalog is None
