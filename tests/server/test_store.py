"""The SQLite store: schema and migrations, jurisdictions, keys at rest, ids under concurrency."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

import georeport
from georeport.lifecycle import Channel
from georeport.server import (
    Jurisdiction,
    LocalBackend,
    NewRequest,
    Store,
    StoreError,
    demo_jurisdictions,
    open_store,
)
from georeport.server._schema import SCHEMA_VERSION
from georeport.wire.params import ParsedPost, RequestsQuery


def test_a_new_file_gets_the_schema_and_the_demo_seed(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        ids = [jurisdiction.jurisdiction_id for jurisdiction in store.jurisdictions()]
    assert ids == [jurisdiction.jurisdiction_id for jurisdiction in demo_jurisdictions()]
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        rows = connection.execute("SELECT version FROM schema_migrations").fetchall()
    finally:
        connection.close()
    assert rows == [(SCHEMA_VERSION,)]
    with open_store(path, jurisdictions=demo_jurisdictions(["elk-falls"])) as again:  # not re-seeded
        assert len(again.jurisdictions()) == len(ids)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    Store(path).close()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')")
    connection.close()
    with pytest.raises(StoreError, match="schema version 99, newer"):
        Store(path)


def test_memory_and_bad_options_are_refused(tmp_path: Path) -> None:
    with pytest.raises(georeport.ValidationError, match="file path"):
        Store(":memory:")
    with pytest.raises(georeport.ValidationError, match="synchronous"):
        Store(tmp_path / "x.sqlite3", synchronous="off")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="cannot open"):
        Store(tmp_path / "no-such-folder" / "x.sqlite3")


@pytest.mark.parametrize("jurisdiction", demo_jurisdictions(), ids=lambda jurisdiction: jurisdiction.jurisdiction_id)
def test_jurisdictions_round_trip_through_their_declaration(jurisdiction: Jurisdiction) -> None:
    again = Jurisdiction.from_dict(jurisdiction.to_dict())
    assert again == jurisdiction
    assert again.to_dict() == jurisdiction.to_dict()


def test_a_service_with_metadata_needs_a_definition() -> None:
    catalog = georeport.Catalog([georeport.Service("X-1", "Thing", metadata=True)])
    with pytest.raises(georeport.ValidationError, match="definition for every service"):
        Jurisdiction("x", "X", catalog)
    with pytest.raises(georeport.ValidationError, match="IANA"):
        Jurisdiction("x", "X", georeport.Catalog([]), timezone="Mars/Olympus")


def test_api_keys_are_hashed_checked_and_revoked(store: Store) -> None:
    key = store.create_api_key(label="crew")
    assert len(key) >= 43
    assert store.has_api_key(key)
    assert not store.has_api_key(key + "x")
    assert not store.has_api_key(None)
    assert not store.has_api_key("")
    with pytest.raises(georeport.ValidationError, match="at least 8"):
        store.add_api_key("short")
    assert store.revoke_api_key(key)
    assert not store.revoke_api_key(key)
    assert not store.has_api_key(key)


def test_a_new_request_must_be_new(store: Store) -> None:
    request = georeport.ServiceRequest(service_code="PK-101", requested_datetime=datetime(2026, 1, 1, tzinfo=UTC))
    submission = georeport.RequestSubmission("PK-101", address_id="A")
    with pytest.raises(StoreError, match="no id yet"):
        store.add_request(NewRequest("elk-falls", request.__class__("5", service_code="PK-101"), submission))
    stored = store.add_request(NewRequest("elk-falls", request, submission, channel=Channel.PHONE, with_token=True))
    assert stored.token is not None
    assert store.token(stored.token) == stored.service_request_id
    again = store.get(stored.service_request_id)
    assert again is not None
    assert again.case == stored.case
    assert again.case.channel is Channel.PHONE
    assert store.get("nope") is None
    assert store.change("nope", lambda case: case) is None


def test_ids_are_unique_under_concurrent_writers(store: Store) -> None:
    backend = LocalBackend(store)
    post = ParsedPost(georeport.RequestSubmission("PK-101", address_id="A", attributes={"EQUIPTYPE": "201"}))
    found: list[str | None] = []
    lock = threading.Lock()

    def writer() -> None:
        for _ in range(15):
            identifier = backend.submit(post).service_request_id
            with lock:
                found.append(identifier)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 120
    assert len(set(found)) == 120
    assert store.count() == 120
    assert sorted(int(identifier or 0) for identifier in found) == list(range(1, 121))
    listed = store.select("elk-falls", RequestsQuery(page_size=1000), now=datetime.now(UTC))
    assert len(listed) == 120


def test_two_processes_sharing_a_file_never_share_an_id(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "shared.sqlite3"
    open_store(path, jurisdictions=demo_jurisdictions(["elk-falls"])).close()
    script = (
        "import sys, georeport\n"
        "from georeport.server import LocalBackend, Store\n"
        "from georeport.wire.params import ParsedPost\n"
        "backend = LocalBackend(Store(sys.argv[1], synchronous='normal'))\n"
        "post = ParsedPost(georeport.RequestSubmission('ST-214', address_id='A'))\n"
        "for _ in range(15):\n"
        "    print(backend.store.token(backend.submit(post).token))\n"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    ids = [identifier for output in outputs for identifier in output]
    assert len(ids) == 30
    assert len(set(ids)) == 30
