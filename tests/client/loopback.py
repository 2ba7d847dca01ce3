"""A small real HTTP server on 127.0.0.1 for client and federation tests (standard library only).

It answers from a script: for each ``"METHOD /path"`` a list of steps served
in turn (the last repeats), or a function of the request. Steps are real
answers (status, headers, body), a dropped connection, or a delay longer
than the client's timeout. Every request that arrives is recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import attrs

DATA = Path(__file__).parents[1] / "data"


@attrs.frozen
class Seen:
    """A request as it arrived."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def target(self) -> str:
        return f"{self.method} {self.path}"


@attrs.frozen
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    """Seconds to wait before answering (a timeout when longer than the client waits)."""


@attrs.frozen
class Drop:
    """Close the connection without answering."""


Step = Reply | Drop
Handler = Callable[[Seen], Step]


def file_reply(name: str, *, status: int = 200, content_type: str | None = None) -> Reply:
    """A reply whose body is ``tests/data/<name>``."""
    body = (DATA / name).read_bytes()
    kind = content_type or ("application/json" if name.endswith(".json") else "text/xml; charset=utf-8")
    return Reply(status, body, (("Content-Type", kind),))


class Loopback:
    """The script, the record, and the server's base URL."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        host, port = server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self.script: dict[str, list[Step] | Handler] = {}
        self.served: dict[str, int] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()

    def on(self, target: str, *steps: Step | Handler) -> None:
        """Answer ``"METHOD /path"`` with ``steps`` in turn (the last repeats), or with a handler."""
        if len(steps) == 1 and callable(steps[0]):
            self.script[target] = steps[0]
        else:
            self.script[target] = [step for step in steps if not callable(step)]

    def step(self, seen: Seen) -> Step:
        with self.lock:
            self.seen.append(seen)
            entry = self.script.get(seen.target)
            if entry is None:
                return Reply(
                    404, b'[{"code":"404","description":"not scripted"}]', (("Content-Type", "application/json"),)
                )
            if callable(entry):
                return entry(seen)
            count = self.served.get(seen.target, 0)
            self.served[seen.target] = count + 1
            return entry[min(count, len(entry) - 1)]

    def targets(self) -> list[str]:
        return [seen.target for seen in self.seen]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = Seen(
            self.command,
            parts.path,
            dict(parse_qsl(parts.query, keep_blank_values=True)),
            {name.lower(): value for name, value in self.headers.items()},
            body,
        )
        step = self.server.loopback.step(seen)
        if isinstance(step, Drop):
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if step.delay:
            time.sleep(step.delay)
        try:
            self.send_response(step.status)
            for name, value in step.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(step.body)))
            self.end_headers()
            self.wfile.write(step.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = _serve  # noqa: N815 - http.server's handler names
    do_POST = _serve  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    loopback: Loopback

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (a timeout test) is not a failure of the server


@contextmanager
def serving() -> Iterator[Loopback]:
    """A loopback server on a free port, shut down afterwards."""
    server = _Server(("127.0.0.1", 0), _Handler)
    loopback = Loopback(server)
    server.loopback = loopback
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield loopback
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
