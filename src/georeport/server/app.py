"""The reference server's WSGI application: HTTP in, GeoReport documents out.

Plain WSGI (PEP 3333) on the standard library, so any WSGI server hosts it
(``georeport.server.http`` runs it on ``wsgiref``). It routes with
``georeport.wire.params``, asks a ``Backend`` for the answer, and writes it
with ``georeport.dump`` in the format the path names. The rules:

* every failure is an Open311 errors document in the path's format (XML when
  the path names none) with the status the problem calls for; an unexpected
  exception is logged and answered 500, never with a traceback;
* ``POST requests`` and the update endpoint need an accepted ``api_key``
  (403 otherwise); a body over ``max_body`` is refused (413) before it is read;
* a fan-out answer (``GET services``, ``GET requests``) missing some
  sources is still 200, and says which in the ``GeoReport-Missing`` header
  (comma-separated names);
* ``HEAD`` is answered as ``GET`` without the body.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal
from urllib.parse import quote

import georeport
from georeport.models import Document, Error, ErrorList, ReceiptList, ServiceRequestList, TokenList
from georeport.server.backend import Backend, RefusalError
from georeport.server.updates import parse_update
from georeport.wire.params import (
    MAX_BODY_SIZE,
    InvalidParametersError,
    Method,
    Route,
    parse_post,
    parse_query,
    parse_requests_query,
    route,
)

__all__ = ["MISSING_HEADER", "Application"]

MISSING_HEADER = "GeoReport-Missing"
"""The response header naming the sources a partial answer lacks."""

_LOG = logging.getLogger("georeport.server")
_CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
_EVENTS = re.compile(r"requests/(?P<id>[^/]+)/events\.(?P<format>xml|json)", re.IGNORECASE)

StartResponse = Callable[..., Any]
Format = Literal["xml", "json"]


class _Reply:
    """What to send: status, headers, body."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, body: bytes, fmt: Format, headers: Iterable[tuple[str, str]] = ()) -> None:
        self.status = status
        self.body = body
        self.headers = [("Content-Type", _CONTENT_TYPES[fmt]), ("Content-Length", str(len(body))), *headers]


def _errors(status: int, errors: Iterable[Error], fmt: Format | None) -> _Reply:
    fmt = fmt or "xml"
    return _Reply(status, georeport.dump(ErrorList(list(errors)), fmt), fmt)


_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class Application:
    """A GeoReport v2 endpoint as a WSGI callable.

    Args:
        backend: what answers the methods (``LocalBackend``, ``FederatedBackend``).
        api_keys: says whether an ``api_key`` is accepted (e.g. ``Store.has_api_key``).
        base_path: the path the endpoint answers under, e.g. ``/open311/v2``.
        max_body: the largest POST body read, in bytes.

    Examples:
        >>> from wsgiref.util import setup_testing_defaults
        >>> from georeport.server.backend import Partial
        >>> class Nothing:  # a backend that has no services
        ...     def services(self, query):
        ...         return Partial(georeport.ServiceList([]))
        >>> app = Application(Nothing(), api_keys=lambda key: False)
        >>> environ = {"PATH_INFO": "/services.json"}
        >>> setup_testing_defaults(environ)
        >>> b"".join(app(environ, lambda status, headers: print(status)))
        200 OK
        b'[]'
    """

    def __init__(
        self,
        backend: Backend,
        *,
        api_keys: Callable[[str | None], bool],
        base_path: str = "",
        max_body: int = MAX_BODY_SIZE,
    ) -> None:
        self.backend = backend
        self.api_keys = api_keys
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        """Answer one request (PEP 3333)."""
        try:
            reply = self._answer(environ)
        except Exception:  # noqa: BLE001 - the one place every bug is turned into a 500, logged
            _LOG.exception("unexpected error answering %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            reply = _errors(500, [Error(500, "internal server error; the server's log has the details")], None)
        start_response(f"{reply.status} {_REASONS.get(reply.status, 'Error')}", reply.headers)
        return [] if environ.get("REQUEST_METHOD", "GET").upper() == "HEAD" else [reply.body]

    # --- one request ----------------------------------------------------------------------
    def _answer(self, environ: dict[str, Any]) -> _Reply:
        verb = environ.get("REQUEST_METHOD", "GET").upper()
        # WSGI decodes PATH_INFO as latin-1 text of the percent-decoded bytes: encode it back for route.
        path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/")
        query: bytes = environ.get("QUERY_STRING", "").encode("latin-1")
        events = self._events_path(path)
        if events is not None:
            identifier, fmt = events
            if verb != "POST":
                return _errors(405, [Error(405, f"'method' must be POST for {path} (got {verb!r})")], fmt)
            return self._guarded(fmt, lambda: self._update(environ, identifier, query, fmt))
        try:
            found = route(path, http_method=verb, base_path=self.base_path)
        except InvalidParametersError as exc:
            return _errors(exc.status_hint, exc.errors, exc.format)  # type: ignore[arg-type]
        base_url = self._base_url(environ)
        return self._guarded(found.format, lambda: self._method(found, environ, query, base_url))

    def _guarded(self, fmt: Format, answer: Callable[[], _Reply]) -> _Reply:
        try:
            return answer()
        except InvalidParametersError as exc:
            return _errors(exc.status_hint, exc.errors, fmt)
        except RefusalError as refusal:
            return _errors(refusal.status_hint, refusal.errors, fmt)

    def _method(self, found: Route, environ: dict[str, Any], query: bytes, base_url: str) -> _Reply:
        fmt = found.format
        method = found.method
        document: Document
        headers: list[tuple[str, str]] = []
        if method is Method.POST_SERVICE_REQUEST:
            body = self._body(environ)
            post = parse_post(body, environ.get("CONTENT_TYPE") or None, query=query, max_size=self.max_body)
            if not self.api_keys(post.api_key):
                return _errors(403, [Error(403, "Invalid api_key received -- can't proceed with create_request.")], fmt)
            document = ReceiptList([self.backend.submit(post)])
        elif method is Method.SERVICE_REQUESTS:
            answer = self.backend.requests(parse_requests_query(query))
            document = answer.document
            if answer.missing:
                headers.append((MISSING_HEADER, ", ".join(answer.missing)))
        else:
            common = parse_query(query)
            if method is Method.DISCOVERY:
                document = self.backend.discovery(base_url=base_url)
            elif method is Method.SERVICE_LIST:
                services = self.backend.services(common)
                document = services.document
                if services.missing:
                    headers.append((MISSING_HEADER, ", ".join(services.missing)))
            elif method is Method.SERVICE_DEFINITION:
                document = self.backend.definition(found.identifier or "", common)
            elif method is Method.TOKEN:
                document = TokenList([self.backend.token(found.identifier or "", common)])
            else:
                document = ServiceRequestList([self.backend.request(found.identifier or "", common)])
        return _Reply(200, georeport.dump(document, fmt), fmt, headers)

    def _update(self, environ: dict[str, Any], identifier: str, query: bytes, fmt: Format) -> _Reply:
        body = self._body(environ)
        update, api_key = parse_update(body, environ.get("CONTENT_TYPE") or None, query=query.decode("latin-1"))
        if not self.api_keys(api_key):
            return _errors(403, [Error(403, "Invalid api_key received -- can't proceed with the update.")], fmt)
        request = self.backend.update(identifier, update)
        return _Reply(200, georeport.dump(ServiceRequestList([request]), fmt), fmt)

    # --- helpers --------------------------------------------------------------------------
    def _events_path(self, path: str) -> tuple[str, Format] | None:
        if not path.startswith(self.base_path + "/"):
            return None
        match = _EVENTS.fullmatch(path[len(self.base_path) + 1 :])
        if match is None:
            return None
        fmt: Format = "json" if match["format"].lower() == "json" else "xml"
        try:
            return route(f"/requests/{match['id']}.{fmt}").identifier or "", fmt
        except InvalidParametersError:
            return None

    def _body(self, environ: dict[str, Any]) -> bytes:
        text = environ.get("CONTENT_LENGTH") or "0"
        try:
            length = int(text)
        except ValueError:
            raise RefusalError.one(400, f"'Content-Length' must be a whole number (got {text!r})") from None
        if length > self.max_body:
            raise RefusalError.one(413, f"'body' must be at most {self.max_body} bytes (got '{length} bytes')")
        if length <= 0:
            return b""
        body: bytes = environ["wsgi.input"].read(length)
        return body

    def _base_url(self, environ: dict[str, Any]) -> str:
        scheme = environ.get("wsgi.url_scheme", "http")
        host = (
            environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
        )
        return f"{scheme}://{host}{quote(environ.get('SCRIPT_NAME', ''))}{self.base_path}"
