"""``georeport serve`` as a subprocess: keys, restarts, and no acknowledged request lost to SIGKILL."""

from __future__ import annotations

import threading
import urllib.parse
from pathlib import Path

import pytest

import georeport
from georeport.cli import main
from georeport.server import Store, hash_api_key
from tests.server.conftest import ServeProcess, call


def test_serve_creates_seeds_and_answers(tmp_path: Path) -> None:
    db = tmp_path / "served.sqlite3"
    served = ServeProcess(db, "--create-key", "--jurisdiction", "elk-falls", "--base-path", "/open311/v2")
    try:
        assert served.api_key is not None
        assert served.url.endswith("/open311/v2")
        services = georeport.load(call(f"{served.url}/services.json").body, kind="services")
        assert [service.service_code for service in services] == ["PK-101", "ST-214", "WA-330"]
        form = {
            "api_key": served.api_key,
            "service_code": "ST-214",
            "address_string": "Main and 1st",
            "lat": "45.0",
            "long": "-120.0",
        }
        receipt = georeport.load(
            call(f"{served.url}/requests.xml", method="POST", form=form).body, kind="receipts"
        ).one()
        assert receipt.token
    finally:
        assert served.stop() == 0
    again = ServeProcess(db, "--api-key", "a-chosen-key-42")
    try:
        token = georeport.load(call(f"{again.url}/tokens/{receipt.token}.json").body, kind="tokens").one()
        assert token.service_request_id == "1"
        assert again.api_key is None
        form = {"api_key": "a-chosen-key-42", "service_code": "WA-330", "address_id": "H-1"}
        assert call(f"{again.url}/requests.json", method="POST", form=form).status == 200
    finally:
        assert again.stop() == 0
    raw = db.read_bytes() + (
        db.with_name(db.name + "-wal").read_bytes() if db.with_name(db.name + "-wal").exists() else b""
    )
    assert b"a-chosen-key-42" not in raw  # hashed at rest
    with Store(db) as store:
        assert store.schema_version == 1
        assert store.has_api_key("a-chosen-key-42")
        assert hash_api_key("a-chosen-key-42") != "a-chosen-key-42"
        assert store.count() == 2


def test_serve_refuses_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", str(tmp_path / "x.sqlite3"), "--jurisdiction", "atlantis"]) == 1
    assert "atlantis" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "y.sqlite3"), "--api-key", "short"]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "z.sqlite3"), "--federate", str(tmp_path / "missing.toml")]) == 1
    assert "missing.toml" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"upstreams": [{"id": "Town!", "base_url": "ftp://x"}]}')
    assert main(["serve", "--db", str(tmp_path / "z.sqlite3"), "--federate", str(bad)]) == 1
    assert "upstreams[0]" in capsys.readouterr().err


def test_no_acknowledged_request_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    """Four clients post until the server is SIGKILLed; every request it acknowledged is there after a restart."""
    db = tmp_path / "killed.sqlite3"
    served = ServeProcess(db, "--create-key", "--jurisdiction", "elk-falls")
    assert served.api_key is not None
    acknowledged: list[tuple[str, str]] = []
    lock = threading.Lock()
    enough = threading.Event()

    def client(number: int) -> None:
        for index in range(10_000):
            description = f"client {number} report {index}"
            form = {
                "api_key": served.api_key or "",
                "service_code": "PK-101",
                "address_id": f"{number}-{index}",
                "attribute[EQUIPTYPE]": "201",
                "description": description,
            }
            try:
                reply = call(f"{served.url}/requests.json", method="POST", form=form)
            except OSError:
                return  # the server is gone: this request was never acknowledged
            if reply.status != 200:
                return
            identifier = georeport.load(reply.body, kind="receipts").one().service_request_id
            with lock:
                acknowledged.append((identifier or "", description))
                if len(acknowledged) >= 60:
                    enough.set()

    clients = [threading.Thread(target=client, args=(number,)) for number in range(4)]
    for thread in clients:
        thread.start()
    assert enough.wait(timeout=60)
    served.kill()
    for thread in clients:
        thread.join(timeout=30)
    restarted = ServeProcess(db)
    try:
        ids = ",".join(identifier for identifier, _ in acknowledged)
        query = urllib.parse.urlencode({"service_request_id": ids, "extensions": "true"})
        found = georeport.load(call(f"{restarted.url}/requests.json?{query}").body, kind="requests")
        assert [request.service_request_id for request in found] == [identifier for identifier, _ in acknowledged]
        assert [request.description for request in found] == [description for _, description in acknowledged]
        assert len({identifier for identifier, _ in acknowledged}) == len(acknowledged)
    finally:
        assert restarted.stop() == 0
