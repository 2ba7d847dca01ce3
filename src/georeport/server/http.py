"""Sockets: host a WSGI application on the standard library's ``wsgiref``, one thread per connection.

``serve`` blocks until interrupted (what ``georeport serve`` runs); ``start``
runs the server in a background thread and returns a ``RunningServer`` that
knows its URL (bind port 0 to let the system choose) and stops on ``close()``
or at the end of a ``with`` block: what tests and the docs use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any, Self
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

__all__ = ["RunningServer", "make_wsgi_server", "serve", "start"]

_LOG = logging.getLogger("georeport.server.http")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """``wsgiref``'s server with a thread per connection and a deep listen queue."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


class _Handler(WSGIRequestHandler):
    """Logs each request to ``georeport.server.http`` (at INFO) instead of stderr."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        _LOG.info("%s %s", self.address_string(), format % args)


def make_wsgi_server(app: WSGIApp, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    """A bound, threaded ``wsgiref`` server for ``app`` (port 0: the system chooses; see ``server_port``).

    Raises:
        OSError: the address cannot be bound.
    """
    return make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_Handler)


def serve(
    app: WSGIApp, host: str = "127.0.0.1", port: int = 8311, *, ready: Callable[[str], None] | None = None
) -> None:
    """Answer requests until interrupted (Ctrl-C or SIGTERM raising ``KeyboardInterrupt``/``SystemExit``).

    Args:
        app: the WSGI application.
        host: the address to bind.
        port: the port to bind (0: the system chooses).
        ready: called with the server's URL once it listens.
    """
    with make_wsgi_server(app, host, port) as server:
        try:
            if ready is not None:
                ready(_url(server))
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            _LOG.info("interrupted; stopping")


def _url(server: WSGIServer) -> str:
    host, port = server.server_address[:2]
    name = host.decode() if isinstance(host, bytes) else str(host)
    shown = f"[{name}]" if ":" in name else name
    return f"http://{shown}:{port}"


class RunningServer:
    """A server answering in a background thread; stop it with ``close()`` or a ``with`` block."""

    def __init__(self, server: WSGIServer) -> None:
        self._server = server
        self.url = _url(server)
        """The root URL, e.g. ``http://127.0.0.1:40123``."""
        self.port: int = server.server_port
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"georeport-server-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        """Stop answering and release the port (a request in progress finishes first)."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _traceback: TracebackType | None
    ) -> None:
        self.close()


def start(app: WSGIApp, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve ``app`` in a background thread; returns at once, listening.

    Examples:
        >>> def hello(environ, start_response):
        ...     start_response("200 OK", [("Content-Type", "text/plain")])
        ...     return [b"hello"]
        >>> import urllib.request
        >>> with start(hello) as running, urllib.request.urlopen(running.url + "/") as reply:
        ...     reply.read()
        b'hello'
    """
    return RunningServer(make_wsgi_server(app, host, port))
