"""Fixtures for the reference server's tests: a database, a running server on loopback, HTTP calls."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import attrs
import pytest

from georeport.server import RunningServer, Store, demo_jurisdictions, open_store, reference_app, start

Format = Literal["xml", "json"]


@attrs.frozen
class Reply:
    """What came back over HTTP."""

    status: int
    headers: Mapping[str, str]
    body: bytes


def call(
    url: str,
    *,
    method: str = "GET",
    form: Mapping[str, str] | list[tuple[str, str]] | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
) -> Reply:
    """One HTTP call with the standard library; 4xx and 5xx answers are returned, not raised."""
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        content_type = content_type or "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return Reply(reply.status, dict(reply.headers.items()), reply.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, dict(error.headers.items()), error.read())


class Clock:
    """A settable clock for the server: starts at a fixed instant; ``advance`` moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "server.sqlite3", jurisdictions=demo_jurisdictions(["elk-falls"])) as opened:
        yield opened


@pytest.fixture
def api_key(store: Store) -> str:
    return store.create_api_key(label="tests")


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 17, 30, tzinfo=UTC))


@pytest.fixture
def server(store: Store, clock: Clock) -> Iterator[RunningServer]:
    with start(reference_app(store, clock=clock)) as running:
        yield running


class ServeProcess:
    """``georeport serve`` in a subprocess: its URL, its API key, and SIGKILL."""

    def __init__(self, db: Path, *extra: str) -> None:
        command = [sys.executable, "-m", "georeport", "serve", "--db", str(db), "--port", "0", *extra]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.api_key: str | None = None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("api key: "):
                self.api_key = line.removeprefix("api key: ").strip()
            if line.startswith("serving on "):
                self.url = line.removeprefix("serving on ").strip()
                return
        _out, err = self.process.communicate(timeout=10)
        raise AssertionError(f"georeport serve stopped: {err}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=10)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=10)
        return self.process.returncode
