"""A transport over httpx (the ``httpx`` extra): use its connection pooling, HTTP/2, proxies and auth.

httpx is imported when a transport is made, not when this module is, so
``georeport.client`` imports without it. Statuses are never raised by httpx
here (no ``raise_for_status``): the core reads every answer. Retries follow
the same ``RetryPolicy`` as the built-in transport.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from georeport.client.errors import RequestTimeoutError, TransportError, UnexpectedResponseError
from georeport.client.retry import RetryPolicy, _RetryingTransport
from georeport.client.sansio import HttpRequest, HttpResponse
from georeport.client.urllib import MAX_RESPONSE_SIZE

__all__ = ["HttpxTransport"]


def _httpx() -> Any:
    try:
        import httpx  # noqa: PLC0415 - optional extra, imported lazily
    except ImportError:
        raise ImportError("HttpxTransport needs httpx: pip install 'open311-georeport[httpx]'") from None
    return httpx


class HttpxTransport(_RetryingTransport):
    """Send requests with an ``httpx.Client`` (yours, or one made and owned here).

    Args:
        client: an ``httpx.Client`` to send with; None makes one (closed by ``close``).
        retry: when to send again, as ``UrllibTransport``.
        max_response_size: refuse a larger body (read as a stream, so a huge
            answer is cut off, never held whole), as ``UrllibTransport``.
        sleep: how to wait between retries.

    Raises:
        ImportError: httpx is not installed (the message names the extra).
        ValidationError: ``max_response_size`` is not a whole number of bytes, at least 1.
    """

    def __init__(
        self,
        client: Any = None,
        *,
        retry: RetryPolicy | None = None,
        max_response_size: int = MAX_RESPONSE_SIZE,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(retry=retry, max_response_size=max_response_size, sleep=sleep)
        self._httpx = _httpx()
        self._owned = client is None
        self.client = client if client is not None else self._httpx.Client(follow_redirects=False)

    def _send_once(self, request: HttpRequest, timeout: float | None) -> HttpResponse:
        httpx = self._httpx
        try:
            outgoing = self.client.build_request(
                request.method,
                request.url,
                headers=list(request.headers),
                content=request.body or None,
                timeout=timeout,
            )
            answer = self.client.send(outgoing, stream=True)
            try:
                body = self._read_bounded(answer, request)
            finally:
                answer.close()
        except httpx.ConnectTimeout as error:
            raise RequestTimeoutError(f"timed out connecting ({error})", request=request, connected=False) from error
        except httpx.TimeoutException as error:
            raise RequestTimeoutError(f"timed out ({error})", request=request) from error
        except httpx.ConnectError as error:
            raise TransportError(f"{error}", request=request, connected=False) from error
        except httpx.TransportError as error:
            raise TransportError(f"{type(error).__name__}: {error}", request=request) from error
        return HttpResponse(answer.status_code, list(answer.headers.multi_items()), body)

    def _read_bounded(self, answer: Any, request: HttpRequest) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > self.max_response_size:
                raise UnexpectedResponseError(
                    answer.status_code, f"a body over {self.max_response_size} bytes", request=request
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        """Close the httpx client if this transport made it."""
        if self._owned:
            self.client.close()

    def __enter__(self) -> HttpxTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
