"""The published report in a real browser: Debian's headless Chromium renders it with no request but the page's own.

The page is served from a loopback ``http.server`` that records every request,
and Chromium is driven through its DevTools protocol over a websocket written
here with the standard library (no playwright or selenium needed): the page's
own network log, console and exceptions are read from the browser itself.
Skipped, with the reason, when no Chromium is installed (``.ci/run`` installs
Debian's package).
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from georeport.stats.html import render_html
from tests.stats.test_html import HOSTILE, ROADS, curve, make_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (Debian: apt-get install chromium)")
TIMEOUT = 20.0


class WebSocket:
    """A minimal RFC 6455 client: text frames out (masked), text frames in; enough for DevTools."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        assert parts.hostname is not None
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.stream = self.sock.makefile("rb")
        status = self.stream.readline()
        assert b" 101 " in status, status
        while self.stream.readline() not in {b"\r\n", b""}:
            pass

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytearray([0x81])
        if len(payload) < 126:
            header.append(0x80 | len(payload))
        elif len(payload) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def _exact(self, size: int) -> bytes:
        data = self.stream.read(size)
        if len(data) != size:
            raise ConnectionError("the browser closed the DevTools connection")
        return data

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._exact(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._exact(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._exact(8))[0]
            payload = self._exact(size)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("the browser closed the DevTools connection")
            if opcode in {0x9, 0xA}:  # ping/pong: not part of a message
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
            self.sock.close()


class DevTools:
    """One page target: call methods, keep every event."""

    def __init__(self, url: str) -> None:
        self.socket = WebSocket(url)
        self.events: list[dict[str, Any]] = []
        self.counter = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.counter += 1
        ident = self.counter
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.receive())
            if message.get("id") == ident:
                assert "error" not in message, message
                result: dict[str, Any] = message["result"]
                return result
            self.events.append(message)

    def wait_for(self, method: str, deadline: float) -> None:
        if any(event.get("method") == method for event in self.events):
            return
        while time.monotonic() < deadline:
            message = json.loads(self.socket.receive())
            self.events.append(message)
            if message.get("method") == method:
                return
        pytest.fail(f"no {method} from the browser within {TIMEOUT} s")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"]["value"]

    def named(self, method: str) -> list[dict[str, Any]]:
        return [event["params"] for event in self.events if event.get("method") == method]


@contextlib.contextmanager
def serve(page: str) -> Iterator[tuple[str, list[str]]]:
    """Serve ``page`` at /report.html on loopback; yield its URL and the list of every request line received."""
    body = page.encode()
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.requestline)
            if self.path == "/report.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/report.html", seen
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium(profile: Path) -> Iterator[DevTools]:
    """Headless Chromium with DevTools on a free loopback port; yields its first page."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        # Anything not on loopback goes to a closed port: a stray fetch fails here instead of leaving the machine.
        "--proxy-server=http://127.0.0.1:9",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        "--window-size=1100,1400",
        "about:blank",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromium did not start its DevTools server (exit {process.poll()})")
            time.sleep(0.05)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as answer:
            targets = json.load(answer)
        (target,) = [target for target in targets if target["type"] == "page"]
        tools = DevTools(target["webSocketDebuggerUrl"])
        try:
            yield tools
        finally:
            tools.socket.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def open_report(page: str, profile: Path) -> Iterator[tuple[DevTools, str, list[str]]]:
    """Serve ``page``, open it in Chromium, and wait for its load event."""
    with serve(page) as (url, seen), chromium(profile) as tools:
        for domain in ("Network", "Runtime", "Log", "Page"):
            tools.call(f"{domain}.enable")
        tools.call("Page.navigate", url=url)
        tools.wait_for("Page.loadEventFired", time.monotonic() + TIMEOUT)
        yield tools, url, seen


def problems(tools: DevTools) -> list[str]:
    """Console messages, uncaught exceptions and browser log errors or warnings, as text."""
    found = [f"console.{event['type']}: {event['args']}" for event in tools.named("Runtime.consoleAPICalled")]
    found += [f"exception: {event['exceptionDetails']}" for event in tools.named("Runtime.exceptionThrown")]
    found += [
        f"log {entry['entry']['level']}: {entry['entry']['text']}"
        for entry in tools.named("Log.entryAdded")
        if entry["entry"]["level"] in {"error", "warning"}
    ]
    found += [f"failed: {event}" for event in tools.named("Network.loadingFailed")]
    return found


def test_the_report_renders_with_no_network_request_and_no_console_error(tmp_path: Path) -> None:
    report = make_report(survival=(*make_report().survival, curve((("agency", HOSTILE),), (2.0, 9.0), (0.6, 0.1))))
    page = render_html(report)
    with open_report(page, tmp_path / "profile") as (tools, url, seen):
        rendered = tools.evaluate(
            """JSON.stringify({
                tables: document.querySelectorAll('table').length,
                figures: [...document.querySelectorAll('figure')].map(f => {
                    const svg = f.querySelector('svg').getBoundingClientRect();
                    const next = f.nextElementSibling;
                    return {width: svg.width, height: svg.height,
                            table: !!(next && next.querySelector('table')),
                            marks: f.querySelectorAll('path, rect, circle').length};
                }),
                scripts: document.scripts.length,
                h1: document.querySelector('h1').textContent,
                nav: getComputedStyle(document.querySelector('nav')).display,
                summaryRows: document.querySelectorAll('table.summary tbody tr').length,
            })"""
        )
        tools.call("Emulation.setEmulatedMedia", media="print")
        printed_nav = tools.evaluate("getComputedStyle(document.querySelector('nav')).display")
        time.sleep(0.2)  # let anything late (a lazy fetch, a console message) arrive
        tools.call("Runtime.evaluate", expression="1")
        requested = [event["request"]["url"] for event in tools.named("Network.requestWillBeSent")]
        assert problems(tools) == []
        assert [address for address in requested if not address.startswith("data:")] == [url]
        assert seen == ["GET /report.html HTTP/1.1"]

    state = json.loads(rendered)
    assert state["scripts"] == 0
    assert state["h1"] == "Request handling, Example City"
    assert state["summaryRows"] == 6  # indicators run down the page (more of them than groups)
    assert state["tables"] == len(page.split("<table")) - 1
    assert len(state["figures"]) == 3
    for figure in state["figures"]:
        assert figure["width"] > 300
        assert figure["height"] > 100
        assert figure["table"]
        assert figure["marks"] >= 3
    assert state["nav"] == "block"
    assert printed_nav == "none"


@pytest.mark.parametrize("policy", [True, False], ids=["with-csp", "without-csp"])
def test_a_page_that_fetches_is_caught(tmp_path: Path, policy: bool) -> None:
    """The check above can fail: an image from elsewhere and a script are seen (or refused by the page's policy)."""
    page = render_html(make_report(survival=(curve(ROADS, (1.0,), (0.5,)),), backlog=(), ages=()))
    if not policy:
        page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    page = page.replace(
        "</main>", '<img src="http://example.invalid/x.png" alt=""><script>console.error("boom")</script></main>'
    )
    with open_report(page, tmp_path / "profile") as (tools, url, _seen):
        time.sleep(0.2)
        tools.call("Runtime.evaluate", expression="1")
        requested = [event["request"]["url"] for event in tools.named("Network.requestWillBeSent")]
        found = problems(tools)
        assert url in requested
        if policy:  # the browser refuses both and says so
            blocked = [event.get("blockedReason") for event in tools.named("Network.loadingFailed")]
            assert blocked == ["csp"]
            assert any("Content Security Policy" in problem and "example.invalid" in problem for problem in found)
            assert any("inline script violates" in problem for problem in found)
            assert not any("boom" in problem for problem in found)
        else:
            assert "http://example.invalid/x.png" in requested
            assert any("boom" in problem for problem in found)
