"""Every GeoReport v2 method and discovery, in XML and JSON, over real HTTP on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

import georeport
from georeport import Status
from georeport.server import (
    MISSING_HEADER,
    Application,
    RefusalError,
    RunningServer,
    Store,
    demo_jurisdictions,
    open_store,
    reference_app,
    start,
)
from tests.server.conftest import Clock, Format, call

FORMATS: tuple[Format, ...] = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


def playground(api_key: str, **more: str) -> dict[str, str]:
    form = {
        "api_key": api_key,
        "service_code": "PK-101",
        "lat": "45.51210433",
        "long": "-122.6587129",
        "address_string": "Laurelhurst Park playground",
        "attribute[EQUIPTYPE]": "201",
        "description": "The left swing's chain is broken.",
    }
    form.update(more)
    return form


def post(server: RunningServer, form: dict[str, str] | list[tuple[str, str]], fmt: Format = "json") -> str:
    reply = call(f"{server.url}/requests.{fmt}", method="POST", form=form)
    assert reply.status == 200, reply.body
    receipt = georeport.load(reply.body, kind="receipts").one()
    assert receipt.service_request_id is not None
    return receipt.service_request_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list_is_the_catalog(server: RunningServer, store: Store, fmt: Format) -> None:
    reply = call(f"{server.url}/services.{fmt}")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == CONTENT_TYPES[fmt]
    services = georeport.load(reply.body, format=fmt, kind="services")
    assert [service.service_code for service in services] == ["PK-101", "ST-214", "WA-330"]
    assert services == store.jurisdictions()[0].catalog.service_list()


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_and_its_404s(server: RunningServer, fmt: Format) -> None:
    reply = call(f"{server.url}/services/PK%2D101.{fmt}")
    definition = georeport.load(reply.body, format=fmt, kind="service_definition")
    assert reply.status == 200
    assert [attribute.code for attribute in definition.ordered()] == ["EQUIPTYPE", "HAZARDS", "NOTES"]
    unknown = call(f"{server.url}/services/NOPE.{fmt}")
    assert unknown.status == 404
    assert "NOPE" in (georeport.load(unknown.body, format=fmt, kind="errors").one().description or "")
    without = call(f"{server.url}/services/ST-214.{fmt}")  # metadata false: no definition
    assert without.status == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_this_server(server: RunningServer, fmt: Format) -> None:
    reply = call(f"{server.url}/discovery.{fmt}")
    discovery = georeport.load(reply.body, format=fmt, kind="discovery")
    (endpoint,) = discovery.georeport_endpoints()
    assert endpoint.url == server.url
    assert endpoint.speaks("text/xml")
    assert endpoint.speaks("application/json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_then_get_one_request(server: RunningServer, api_key: str, clock: Clock, fmt: Format) -> None:
    identifier = post(server, playground(api_key), fmt)
    reply = call(f"{server.url}/requests/{identifier}.{fmt}")
    assert reply.status == 200
    request = georeport.load(reply.body, format=fmt, kind="requests").one()
    assert request.service_request_id == identifier
    assert request.status is Status.OPEN
    assert request.service_code == "PK-101"
    assert request.service_name == "Broken playground equipment"
    assert request.description == "The left swing's chain is broken."
    assert (request.lat, request.long) == (45.51210433, -122.6587129)
    assert request.address == "Laurelhurst Park playground"
    assert request.requested_datetime == clock.now
    assert request.requested_datetime.utcoffset() == timedelta(hours=-8)  # Harborview's zone, in winter
    assert request.updated_datetime is None
    assert request.extensions == {}  # attributes and detailed status only with extensions=true
    extended = georeport.load(
        call(f"{server.url}/requests/{identifier}.{fmt}?extensions=true").body, format=fmt, kind="requests"
    )
    assert extended.one().extensions["attributes"] == {"EQUIPTYPE": "201"}
    assert extended.one().extensions["extended_attributes"] == {"detailed_status": "submitted"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_batch_service_answers_with_a_token(server: RunningServer, api_key: str, fmt: Format) -> None:
    form = {"api_key": api_key, "service_code": "ST-214", "address_id": "A-77"}
    reply = call(f"{server.url}/requests.{fmt}", method="POST", form=form)
    receipt = georeport.load(reply.body, format=fmt, kind="receipts").one()
    assert reply.status == 200
    assert receipt.service_request_id is None
    assert receipt.token
    found = call(f"{server.url}/tokens/{receipt.token}.{fmt}")
    token = georeport.load(found.body, format=fmt, kind="tokens").one()
    assert (token.token, found.status) == (receipt.token, 200)
    request = georeport.load(
        call(f"{server.url}/requests/{token.service_request_id}.{fmt}").body, format=fmt, kind="requests"
    ).one()
    assert (request.service_code, request.address_id) == ("ST-214", "A-77")
    assert call(f"{server.url}/tokens/no-such-token.{fmt}").status == 404


def test_blackbox_service_answers_with_a_notice_only(server: RunningServer, api_key: str, store: Store) -> None:
    form = {"api_key": api_key, "service_code": "WA-330", "address_string": "5th and Pine"}
    receipt = georeport.load(call(f"{server.url}/requests.xml", method="POST", form=form).body, kind="receipts").one()
    assert (receipt.service_request_id, receipt.token) == (None, None)
    assert receipt.service_notice
    assert store.count() == 1  # kept all the same


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters_and_pages(server: RunningServer, api_key: str, clock: Clock, fmt: Format) -> None:
    ids = []
    for minute in range(5):
        clock.advance(minutes=1)
        ids.append(post(server, playground(api_key, description=f"report {minute}")))
    clock.advance(minutes=1)
    sign = {"api_key": api_key, "service_code": "ST-214", "address_string": "Elm St"}
    call(f"{server.url}/requests.json", method="POST", form=sign)
    call(f"{server.url}/requests/{ids[0]}/events.json", method="POST", form={"api_key": api_key, "action": "close"})

    def listed(query: str) -> list[str | None]:
        reply = call(f"{server.url}/requests.{fmt}?{query}")
        assert reply.status == 200, reply.body
        return [request.service_request_id for request in georeport.load(reply.body, format=fmt, kind="requests")]

    newest_first = list(reversed(ids))
    assert listed("service_code=PK-101") == newest_first
    assert len(listed("")) == 6
    assert listed("service_code=PK-101&status=closed") == [ids[0]]
    assert listed("status=open&service_code=PK-101") == newest_first[:-1]
    assert listed("service_code=PK-101&page_size=2") == newest_first[:2]
    assert listed("service_code=PK-101&page_size=2&page=3") == newest_first[4:]
    assert listed(f"service_request_id={ids[3]},{ids[1]}&status=closed") == [ids[3], ids[1]]  # ids override
    start = clock.now.replace(second=0) - timedelta(minutes=3, seconds=30)
    assert listed(f"service_code=PK-101&start_date={start:%Y-%m-%dT%H:%M:%SZ}") == newest_first[:3]
    assert listed("service_code=PK-101&end_date=2020-01-01T00:00:00Z") == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_errors(server: RunningServer, fmt: Format) -> None:
    unknown = call(f"{server.url}/requests.{fmt}?service_code=XX-9")
    assert unknown.status == 404
    bad = call(f"{server.url}/requests.{fmt}?status=pending&start_date=yesterday")
    assert bad.status == 400
    assert len(georeport.load(bad.body, format=fmt, kind="errors")) == 2
    elsewhere = call(f"{server.url}/requests.{fmt}?jurisdiction_id=elsewhere.example")
    assert elsewhere.status == 404
    assert call(f"{server.url}/requests/12345.{fmt}").status == 404
    assert call(f"{server.url}/requests/0012.{fmt}").status == 404  # not an id of ours: no row-id aliasing


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_validation_reports_every_problem(server: RunningServer, api_key: str, store: Store, fmt: Format) -> None:
    form = [
        ("api_key", api_key),
        ("service_code", "PK-101"),
        ("lat", "north"),
        ("long", "-122.6"),
        ("attribute[EQUIPTYPE]", "999"),
        ("email", "ana"),
    ]
    reply = call(f"{server.url}/requests.{fmt}", method="POST", form=form)
    assert reply.status == 400
    errors = georeport.load(reply.body, format=fmt, kind="errors")
    described = " | ".join(error.description or "" for error in errors)
    assert len(errors) == 3
    assert "'lat' must be a number" in described
    assert "EQUIPTYPE" in described
    assert "e-mail" in described
    missing = call(f"{server.url}/requests.{fmt}", method="POST", form={"api_key": api_key, "service_code": "PK-101"})
    assert missing.status == 400
    unknown = call(f"{server.url}/requests.{fmt}", method="POST", form={"api_key": api_key, "service_code": "XX"})
    assert unknown.status == 404
    assert store.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_needs_an_accepted_api_key(server: RunningServer, api_key: str, store: Store, fmt: Format) -> None:
    url = f"{server.url}/requests.{fmt}"
    assert call(url, method="POST", form=playground("not-a-key")).status == 403
    without = {name: value for name, value in playground(api_key).items() if name != "api_key"}
    reply = call(url, method="POST", form=without)
    assert reply.status == 403
    assert "api_key" in (georeport.load(reply.body, format=fmt, kind="errors").one().description or "")
    assert store.count() == 0
    store.revoke_api_key(api_key)
    assert call(url, method="POST", form=playground(api_key)).status == 403
    assert call(f"{url}?api_key={api_key}", method="POST", form=without).status == 403
    other = store.create_api_key()
    assert call(f"{url}?api_key={other}", method="POST", form=without).status == 200  # a key in the URL


def test_post_body_limits(store: Store, api_key: str) -> None:
    app = Application(reference_app(store).backend, api_keys=store.has_api_key, max_body=200)
    with start(app) as server:
        big = playground(api_key, description="x" * 300)
        assert call(f"{server.url}/requests.json", method="POST", form=big).status == 413
        wrong = call(f"{server.url}/requests.json", method="POST", body=b"{}", content_type="application/json")
        assert wrong.status == 415
    assert store.count() == 0


def test_paths_methods_and_head(server: RunningServer) -> None:
    unknown = call(f"{server.url}/services.html")
    assert (unknown.status, unknown.headers["Content-Type"]) == (404, CONTENT_TYPES["xml"])
    assert georeport.load(unknown.body, kind="errors").one().code == "404"
    assert call(f"{server.url}/widgets.json").status == 404
    assert call(f"{server.url}/services.json", method="POST", body=b"").status == 405
    assert call(f"{server.url}/requests/1/events.json").status == 405
    head = call(f"{server.url}/services.json", method="HEAD")
    assert (head.status, head.body) == (200, b"")
    assert int(head.headers["Content-Length"]) > 0


def test_base_path(store: Store) -> None:
    with start(reference_app(store, base_path="/open311/v2/")) as server:
        assert call(f"{server.url}/open311/v2/services.json").status == 200
        assert call(f"{server.url}/services.json").status == 404
        discovery = georeport.load(call(f"{server.url}/open311/v2/discovery.xml").body, kind="discovery")
        assert discovery.endpoints[0].url == f"{server.url}/open311/v2"


class _Broken:
    def services(self, _query: object) -> object:
        raise RuntimeError("a bug")

    def requests(self, _query: object) -> object:
        raise RefusalError.one(502, "upstream down")


def test_a_bug_is_a_500_errors_document_and_refusals_keep_their_status(caplog: pytest.LogCaptureFixture) -> None:
    app = Application(_Broken(), api_keys=lambda _key: False)  # type: ignore[arg-type]
    with start(app) as server:
        reply = call(f"{server.url}/services.json")
        assert reply.status == 500
        assert georeport.load(reply.body, kind="errors").one().code == "500"
        assert b"a bug" not in reply.body
        assert call(f"{server.url}/requests.xml").status == 502
    assert "a bug" in caplog.text


def test_missing_sources_are_named_in_a_header() -> None:
    from georeport.models import ServiceRequestList
    from georeport.server import Partial

    class _Half:
        def requests(self, _query: object) -> Partial[ServiceRequestList]:
            return Partial(ServiceRequestList([georeport.ServiceRequest("a:1")]), missing=("county",))

    with start(Application(_Half(), api_keys=lambda _key: False)) as server:  # type: ignore[arg-type]
        reply = call(f"{server.url}/requests.json")
    assert reply.status == 200
    assert reply.headers[MISSING_HEADER] == "county"


def test_requested_datetimes_are_whole_seconds(server: RunningServer, api_key: str, clock: Clock) -> None:
    clock.now = clock.now.replace(microsecond=654321)
    identifier = post(server, playground(api_key))
    request = georeport.load(call(f"{server.url}/requests/{identifier}.json").body, kind="requests").one()
    assert isinstance(request.requested_datetime, datetime)
    assert request.requested_datetime.microsecond == 0


def test_several_jurisdictions_need_a_jurisdiction_id(tmp_path: Path) -> None:
    with open_store(tmp_path / "two.sqlite3", jurisdictions=demo_jurisdictions(["elk-falls", "westland"])) as store:
        key = store.create_api_key()
        with start(reference_app(store)) as server:
            reply = call(f"{server.url}/services.json")
            assert reply.status == 400
            assert "'elk-falls', 'westland'" in (georeport.load(reply.body, kind="errors").one().description or "")
            westland = georeport.load(
                call(f"{server.url}/services.json?jurisdiction_id=westland").body, kind="services"
            )
            assert [service.service_code for service in westland] == ["ST-214"]
            form = {"api_key": key, "service_code": "PK-101", "address_id": "A", "attribute[EQUIPTYPE]": "201"}
            assert call(f"{server.url}/requests.json", method="POST", form=form).status == 400
            form["jurisdiction_id"] = "westland"
            assert call(f"{server.url}/requests.json", method="POST", form=form).status == 404  # no such service there
            form["jurisdiction_id"] = "elk-falls"
            identifier = post(server, form)
            assert call(f"{server.url}/requests/{identifier}.json?jurisdiction_id=elk-falls").status == 200
            assert call(f"{server.url}/requests/{identifier}.json?jurisdiction_id=westland").status == 404
            assert call(f"{server.url}/requests/{identifier}.json").status == 200  # ids are unique across the file
            listed = call(f"{server.url}/requests.json?jurisdiction_id=westland")
            assert georeport.load(listed.body, kind="requests") == georeport.ServiceRequestList([])
