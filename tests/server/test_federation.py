"""Two upstream reference servers and one front door (``georeport serve --federate``), all over loopback HTTP.

Reports at points in the town and in the county must reach each one's
upstream (the demo router decides), be tracked through the front door by
their federated ids, and a stopped upstream must leave a partial answer that
names it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest

import georeport
from georeport import Status
from georeport.server import RunningServer, Store, demo_jurisdictions, open_store, reference_app, start
from georeport.wire.params import RequestsQuery
from tests.server.conftest import Format, ServeProcess, call

TOWN_POINT = {"lat": "45.0", "long": "-120.0"}  # inside the Town of Elk Falls
COUNTY_POINT = {"lat": "45.2", "long": "-120.3"}  # Aspen County, outside the town and the park


@attrs.define
class Upstream:
    store: Store
    server: RunningServer
    key: str


@attrs.define
class Federation:
    town: Upstream
    county: Upstream
    front: ServeProcess
    key: str


@pytest.fixture
def federation(tmp_path: Path) -> Iterator[Federation]:
    upstreams = {}
    for name, jurisdiction in (("town", "elk-falls"), ("county", "aspen-county")):
        store = open_store(tmp_path / f"{name}.sqlite3", jurisdictions=demo_jurisdictions([jurisdiction]))
        upstreams[name] = Upstream(store, start(reference_app(store)), store.create_api_key())
    config = {
        "secret": "federation-test-secret",
        "routing": "demo",
        "attempts": 1,
        "upstreams": [
            {
                "id": "town",
                "base_url": upstreams["town"].server.url,
                "jurisdictions": ["elk-falls"],
                "api_key": upstreams["town"].key,
                "timeout": 5,
            },
            {
                "id": "county",
                "base_url": upstreams["county"].server.url,
                "jurisdictions": ["aspen-county"],
                "api_key": upstreams["county"].key,
                "timeout": 5,
            },
        ],
        "services": {
            "PK-101": {"name": "Broken playground equipment", "group": "parks"},
            "ST-214": {"name": "Street sign", "group": "streets"},
        },
        "codes": {
            "town": {"PK-101": "PK-101", "ST-214": "ST-214"},
            "county": {"PK-101": "PK-101", "ST-214": "ST-214"},
        },
    }
    path = tmp_path / "federation.json"
    path.write_text(json.dumps(config))
    front = ServeProcess(tmp_path / "front.sqlite3", "--federate", str(path), "--create-key")
    assert front.api_key is not None
    try:
        yield Federation(upstreams["town"], upstreams["county"], front, front.api_key)
    finally:
        front.stop()
        for upstream in upstreams.values():
            upstream.server.close()
            upstream.store.close()


def descriptions(store: Store, jurisdiction: str) -> list[str | None]:
    return [
        stored.case.request.description for stored in store.select(jurisdiction, RequestsQuery(), now=datetime.now(UTC))
    ]


def report(
    federation: Federation, point: dict[str, str], fmt: Format = "json", **more: str
) -> georeport.SubmissionReceipt:
    form = {"api_key": federation.key, "service_code": "PK-101", "attribute[EQUIPTYPE]": "202", **point, **more}
    reply = call(f"{federation.front.url}/requests.{fmt}", method="POST", form=form)
    assert reply.status == 200, reply.body
    return georeport.load(reply.body, format=fmt, kind="receipts").one()


def test_reports_reach_their_upstream_and_are_tracked_through_the_front_door(federation: Federation) -> None:
    front = federation.front.url
    in_town = report(federation, TOWN_POINT, description="Slide in the town park")
    in_county = report(federation, COUNTY_POINT, "xml", description="Swing at the county fairground")
    assert in_town.service_request_id
    assert in_county.service_request_id
    assert not in_town.service_request_id.isdigit()  # federated: opaque, not the upstream's "1"
    # each report is at its own upstream, and only there
    assert descriptions(federation.town.store, "elk-falls") == ["Slide in the town park"]
    assert descriptions(federation.county.store, "aspen-county") == ["Swing at the county fairground"]
    # tracked through the front door, in both formats
    for fmt in ("xml", "json"):
        for receipt, description in (
            (in_town, "Slide in the town park"),
            (in_county, "Swing at the county fairground"),
        ):
            reply = call(f"{front}/requests/{receipt.service_request_id}.{fmt}")
            request = georeport.load(reply.body, format=fmt, kind="requests").one()
            assert (reply.status, request.service_request_id, request.description) == (
                200,
                receipt.service_request_id,
                description,
            )
            assert request.status is Status.OPEN
    # a change at the upstream shows through the front door
    form = {"api_key": federation.town.key, "action": "acknowledge", "note": "Crew on the way."}
    assert call(f"{federation.town.server.url}/requests/1/events.json", method="POST", form=form).status == 200
    tracked = georeport.load(call(f"{front}/requests/{in_town.service_request_id}.json").body, kind="requests").one()
    assert tracked.status_notes == "Crew on the way."
    # the merged list holds both, with federated ids and the common code
    listed = call(f"{front}/requests.json")
    merged = georeport.load(listed.body, kind="requests")
    assert "GeoReport-Missing" not in listed.headers
    assert {request.service_request_id for request in merged} == {
        in_town.service_request_id,
        in_county.service_request_id,
    }
    assert {request.service_code for request in merged} == {"PK-101"}
    by_ids = call(f"{front}/requests.xml?service_request_id={in_county.service_request_id}")
    assert [request.description for request in georeport.load(by_ids.body, kind="requests")] == [
        "Swing at the county fairground"
    ]


def test_services_tokens_and_refusals_through_the_front_door(federation: Federation) -> None:
    front = federation.front.url
    services = georeport.load(call(f"{front}/services.json").body, kind="services")
    codes = [service.service_code for service in services]
    assert codes[:2] == ["PK-101", "ST-214"]
    assert "town:WA-330" in codes  # the town's own service, namespaced
    definition = georeport.load(call(f"{front}/services/town%3AWA-330.xml").body, kind="service_definition")
    assert definition.service_code == "town:WA-330"
    form = {"api_key": federation.key, "service_code": "ST-214", "address_string": "County road 9", **COUNTY_POINT}
    receipt = georeport.load(call(f"{front}/requests.json", method="POST", form=form).body, kind="receipts").one()
    assert receipt.token  # a batch service: a federated token
    assert receipt.service_request_id is None
    token = georeport.load(call(f"{front}/tokens/{receipt.token}.json").body, kind="tokens").one()
    assert token.service_request_id is not None
    one = georeport.load(call(f"{front}/requests/{token.service_request_id}.json").body, kind="requests").one()
    assert one.address == "County road 9"
    # refusals: an upstream's validation errors pass through; ids not issued here; no key; no updates here
    bad = call(
        f"{front}/requests.json",
        method="POST",
        form={"api_key": federation.key, "service_code": "PK-101", **TOWN_POINT},
    )
    assert bad.status == 400
    assert "EQUIPTYPE" in (georeport.load(bad.body, kind="errors").one().description or "")
    assert call(f"{front}/requests/not-an-id.json").status == 404
    assert call(f"{front}/requests.json", method="POST", form={"service_code": "PK-101", **TOWN_POINT}).status == 403
    events = call(
        f"{front}/requests/{token.service_request_id}/events.json",
        method="POST",
        form={"api_key": federation.key, "action": "acknowledge"},
    )
    assert events.status == 405


def test_a_stopped_upstream_gives_a_partial_answer_naming_it(federation: Federation) -> None:
    front = federation.front.url
    in_town = report(federation, TOWN_POINT)
    in_county = report(federation, COUNTY_POINT)
    federation.county.server.close()
    for fmt in ("json", "xml"):
        reply = call(f"{front}/requests.{fmt}")
        assert reply.status == 200
        assert reply.headers["GeoReport-Missing"] == "county"
        assert [request.service_request_id for request in georeport.load(reply.body, format=fmt, kind="requests")] == [
            in_town.service_request_id
        ]
    services = call(f"{front}/services.json")
    assert (services.status, services.headers["GeoReport-Missing"]) == (200, "county")
    gone = call(f"{front}/requests/{in_county.service_request_id}.json")
    assert gone.status == 502
    assert (
        "county" in (georeport.load(gone.body, kind="errors").one().description or "")
        or federation.county.server.url in gone.body.decode()
    )
    federation.town.server.close()
    nobody = call(f"{front}/requests.json")
    assert nobody.status == 502
    described = " | ".join(error.description or "" for error in georeport.load(nobody.body, kind="errors"))
    assert "'town'" in described
    assert "'county'" in described
