"""The built-in blocking transport, on the standard library (``urllib.request``): no extra needed.

This file owns turning one ``HttpRequest`` into one exchange on the network
and classifying what can go wrong: every status comes back as an
``HttpResponse`` (reading it is the core's business), a connection that was
refused or dropped is a ``TransportError``, one that took too long a
``RequestTimeoutError``. Retries follow the ``RetryPolicy`` (see
``georeport.client.retry``). A POST is never redirected (urllib would
turn it into a GET and lose the report).
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping

from georeport.client.errors import RequestTimeoutError, TransportError, UnexpectedResponseError
from georeport.client.retry import RetryPolicy, _RetryingTransport
from georeport.client.sansio import HttpRequest, HttpResponse
from georeport.errors import ValidationError

__all__ = ["MAX_RESPONSE_SIZE", "UrllibTransport"]

MAX_RESPONSE_SIZE = 64 * 1024 * 1024
"""The largest body read by default (64 MiB); a larger one is refused, not truncated."""


class _NoPostRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects for GET only: a POST's redirect is given back as the 3xx answer it is."""

    def redirect_request(  # noqa: PLR0913 - urllib's signature
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        if req.get_method() != "GET":
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


class UrllibTransport(_RetryingTransport):
    """Send requests with ``urllib.request``, blocking, with timeouts and retries.

    Thread-safe: one transport may serve a thread pool (the jitter's random
    generator is shared under a lock).

    Args:
        retry: when to send again (429, 5xx, connection failures); ``NO_RETRY`` to send once.
        max_response_size: refuse a larger body.
        proxies: a ``{"http": url, "https": url}`` mapping; None reads the
            environment (``http_proxy``...); ``{}`` connects directly.
        sleep: how to wait between retries (``time.sleep``).

    Examples:
        >>> transport = UrllibTransport(retry=RetryPolicy(attempts=2, base=0.0), proxies={})
        >>> transport.send(HttpRequest("GET", "http://127.0.0.1:9/services.json"), timeout=2.0)
        Traceback (most recent call last):
        ...
        georeport.client.errors.TransportError: GET http://127.0.0.1:9/services.json failed after 2 attempt(s): ...
    """

    def __init__(
        self,
        *,
        retry: RetryPolicy | None = None,
        max_response_size: int = MAX_RESPONSE_SIZE,
        proxies: Mapping[str, str] | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(retry=retry, max_response_size=max_response_size, sleep=sleep)
        handlers: list[urllib.request.BaseHandler] = [_NoPostRedirect()]
        if proxies is not None:
            handlers.append(urllib.request.ProxyHandler(dict(proxies)))
        self._opener = urllib.request.build_opener(*handlers)

    def _send_once(self, request: HttpRequest, timeout: float | None) -> HttpResponse:
        if not request.url.startswith(("http://", "https://")):
            raise ValidationError("url", request.url, "an http:// or https:// URL")
        prepared = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            request.url,
            data=request.body if request.body or request.method.upper() == "POST" else None,
            headers=dict(request.headers),
            method=request.method.upper(),
        )
        try:
            answer = self._opener.open(prepared, timeout=timeout if timeout is not None else socket.getdefaulttimeout())
        except urllib.error.HTTPError as error:  # a status urllib calls an error is still an answer
            with error:
                return self._response(error.code, error.headers.items(), error, request)
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise RequestTimeoutError(
                    f"timed out connecting ({reason})", request=request, connected=False
                ) from error
            connected = not isinstance(reason, ConnectionRefusedError | socket.gaierror)
            raise TransportError(f"{reason}", request=request, connected=connected) from error
        except TimeoutError as error:
            raise RequestTimeoutError(f"timed out after {timeout} s", request=request) from error
        except (http.client.HTTPException, ConnectionError, OSError) as error:
            raise TransportError(f"{type(error).__name__}: {error}", request=request) from error
        with answer:
            return self._response(answer.status, answer.headers.items(), answer, request)

    def _response(
        self, status: int, headers: list[tuple[str, str]], body: object, request: HttpRequest
    ) -> HttpResponse:
        read: Callable[[int], bytes] = body.read  # type: ignore[attr-defined]
        try:
            data = read(self.max_response_size + 1)
        except TimeoutError as error:
            raise RequestTimeoutError("timed out reading the body", request=request) from error
        except (http.client.HTTPException, ConnectionError, OSError) as error:
            raise TransportError(f"the body was cut off ({type(error).__name__}: {error})", request=request) from error
        if len(data) > self.max_response_size:
            raise UnexpectedResponseError(status, f"a body over {self.max_response_size} bytes", request=request)
        return HttpResponse(status, headers, data)
