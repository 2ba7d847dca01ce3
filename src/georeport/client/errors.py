"""The errors a GeoReport client raises: what a server answered, and what never arrived.

Decoding an answer into one of these happens in the sans-IO core
(``georeport.client.sansio.read_response``), never in a transport, so every
transport raises the same errors for the same answer. ::

    GeoReportError
    ├── RemoteError                      .status .errors .request .response  the server answered with a failure
    │   ├── ClientRequestError (4xx)
    │   │   ├── NotFoundError (404, LookupError)
    │   │   └── RateLimitedError (429)   .retry_after
    │   ├── ServerFailure (5xx)
    │   └── UnexpectedResponseError (ParseError too)  a body that is not the document asked for
    ├── TransportError (OSError)         .request .attempts                  no answer at all
    │   └── RequestTimeoutError (TimeoutError)
    ├── TokenPendingError (TimeoutError) .token .attempts                    polling ended without an id
    └── HarvestLimitError                .window .limit                      a one-second window is still full

``errors`` is the server's Open311 error list (``code`` and ``description``
each), empty when the body was not an errors document (an HTML error page).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from georeport.errors import GeoReportError, ParseError
from georeport.models import Error

if TYPE_CHECKING:
    from georeport.client.sansio import HttpRequest, HttpResponse

__all__ = [
    "ClientRequestError",
    "HarvestLimitError",
    "NotFoundError",
    "RateLimitedError",
    "RemoteError",
    "RequestTimeoutError",
    "ServerFailure",
    "TokenPendingError",
    "TransportError",
    "UnexpectedResponseError",
]

_EXCERPT = 200


def _excerpt(body: bytes) -> str:
    text = body[:_EXCERPT].decode("utf-8", "replace")
    return text + ("..." if len(body) > _EXCERPT else "")


class RemoteError(GeoReportError):
    """A server answered, and the answer is a failure.

    Attributes:
        status: the HTTP status.
        errors: the server's Open311 errors, in order (empty when the body was not an errors document).
        request: the request that was answered, when known.
        response: the whole answer, when known.
    """

    status_hint = 502
    """A front door answering for an upstream reports a bad gateway."""

    def __init__(
        self,
        status: int,
        errors: Sequence[Error] = (),
        *,
        request: HttpRequest | None = None,
        response: HttpResponse | None = None,
        reason: str | None = None,
    ) -> None:
        self.status = status
        self.errors = tuple(errors)
        self.request = request
        self.response = response
        where = f" from {request.method} {request.url}" if request is not None else ""
        if reason is None:
            if self.errors:
                reason = "; ".join(f"{error.code}: {error.description or ''}".rstrip(": ") for error in self.errors)
            elif response is not None and response.body:
                reason = f"a body that is not an Open311 errors document: {_excerpt(response.body)!r}"
            else:
                reason = "no body"
        super().__init__(f"HTTP {status}{where}: {reason}")


class ClientRequestError(RemoteError):
    """A 4xx answer: the server refused the request (bad parameters, a missing api_key...)."""


class NotFoundError(ClientRequestError, LookupError):
    """A 404 answer: no such service, service request or token."""


class RateLimitedError(ClientRequestError):
    """A 429 answer; ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one."""

    def __init__(
        self,
        status: int,
        errors: Sequence[Error] = (),
        *,
        request: HttpRequest | None = None,
        response: HttpResponse | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status, errors, request=request, response=response)
        self.retry_after = retry_after


class ServerFailure(RemoteError):  # noqa: N818 - the style guide's name: a failure of the server, not of ours
    """A 5xx answer: the server failed (an HTML 502 page is one too, with no ``errors``)."""


class UnexpectedResponseError(RemoteError, ParseError):
    """A success status whose body is not the document asked for (an HTML page served with 200, broken XML).

    It is a ``ParseError`` too: ``__cause__`` holds what the reader said.
    """

    def __init__(
        self,
        status: int,
        reason: str,
        *,
        request: HttpRequest | None = None,
        response: HttpResponse | None = None,
    ) -> None:
        RemoteError.__init__(self, status, (), request=request, response=response, reason=reason)
        self.reason = reason
        self.format = None
        self.path = None
        self.line = None
        self.column = None


class TransportError(GeoReportError, OSError):
    """No answer arrived: the connection was refused or dropped (after every retry).

    Attributes:
        request: the request that was not answered.
        attempts: how many times it was sent.
        connected: False when no connection was made (refused, no such host): the
            server never saw the request, so even a POST may be sent again.
    """

    status_hint = 502

    def __init__(
        self, reason: str, *, request: HttpRequest | None = None, attempts: int = 1, connected: bool = True
    ) -> None:
        self.request = request
        self.attempts = attempts
        self.reason = reason
        self.connected = connected
        where = f"{request.method} {request.url}" if request is not None else "a request"
        super().__init__(f"{where} failed after {attempts} attempt(s): {reason}")


class RequestTimeoutError(TransportError, TimeoutError):
    """No answer arrived in time (after every retry)."""

    status_hint = 504


class TokenPendingError(GeoReportError, TimeoutError):
    """Polling a token ended, by its schedule, before the server gave a service_request_id.

    Attributes:
        token: the token polled.
        attempts: how many polls were made.
        last_error: the last failure seen while polling (a 404 for a token not yet known), or None.
    """

    status_hint = 504

    def __init__(self, token: str, attempts: int, last_error: Exception | None = None) -> None:
        self.token = token
        self.attempts = attempts
        self.last_error = last_error
        super().__init__(f"token {token!r} gave no service_request_id after {attempts} poll(s)")


class HarvestLimitError(GeoReportError):
    """A harvest window of one second still filled the server's limit, and the server cannot page.

    Every request before ``window`` has been delivered; the ones in it cannot
    all be fetched from this server.

    Attributes:
        window: the ``(start, end)`` that was full, end exclusive.
        limit: the limit it hit.
    """

    def __init__(self, window: tuple[datetime, datetime], limit: int) -> None:
        self.window = window
        self.limit = limit
        super().__init__(
            f"the window {window[0].isoformat()} .. {window[1].isoformat()} holds {limit} or more requests "
            "and the server does not page (set EndpointDialect.paginates if it does)"
        )
