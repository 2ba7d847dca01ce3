"""A transport over httpx (the ``httpx`` extra): use its connection pooling, HTTP/2, proxies and auth.

httpx is imported when a transport is made, not when this module is, so
``georeport.client`` imports without it. Statuses are never raised by httpx
here (no ``raise_for_status``): the core reads every answer. Retries follow
the same ``RetryPolicy`` as the built-in transport.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from georeport.client.errors import RequestTimeoutError, TransportError
from georeport.client.retry import RetryPolicy, send_with_retries
from georeport.client.sansio import HttpRequest, HttpResponse

__all__ = ["HttpxTransport"]


def _httpx() -> Any:
    try:
        import httpx  # noqa: PLC0415 - optional extra, imported lazily
    except ImportError:
        raise ImportError("HttpxTransport needs httpx: pip install 'open311-georeport[httpx]'") from None
    return httpx


class HttpxTransport:
    """Send requests with an ``httpx.Client`` (yours, or one made and owned here).

    Args:
        client: an ``httpx.Client`` to send with; None makes one (closed by ``close``).
        retry: when to send again, as ``UrllibTransport``.
        sleep: how to wait between retries.

    Raises:
        ImportError: httpx is not installed (the message names the extra).
    """

    def __init__(
        self,
        client: Any = None,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._httpx = _httpx()
        self._owned = client is None
        self.client = client if client is not None else self._httpx.Client(follow_redirects=False)
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = self.retry.rng()
        self._lock = threading.Lock()

    def send(self, request: HttpRequest, *, timeout: float | None) -> HttpResponse:
        """Send ``request`` (retrying as the policy says) and return the answer, whatever its status.

        Raises:
            TransportError: no answer after every retry; ``RequestTimeoutError`` for a timeout.
        """
        with self._lock:
            seed = self._rng.getrandbits(64)
        rng = self.retry.rng()
        rng.seed(seed)
        return send_with_retries(
            self._send_once, request, timeout=timeout, policy=self.retry, rng=rng, sleep=self._sleep
        )

    def _send_once(self, request: HttpRequest, timeout: float | None) -> HttpResponse:
        httpx = self._httpx
        try:
            answer = self.client.request(
                request.method,
                request.url,
                headers=list(request.headers),
                content=request.body or None,
                timeout=timeout,
            )
        except httpx.ConnectTimeout as error:
            raise RequestTimeoutError(f"timed out connecting ({error})", request=request, connected=False) from error
        except httpx.TimeoutException as error:
            raise RequestTimeoutError(f"timed out ({error})", request=request) from error
        except httpx.ConnectError as error:
            raise TransportError(f"{error}", request=request, connected=False) from error
        except httpx.TransportError as error:
            raise TransportError(f"{type(error).__name__}: {error}", request=request) from error
        return HttpResponse(answer.status_code, list(answer.headers.multi_items()), answer.content)

    def close(self) -> None:
        """Close the httpx client if this transport made it."""
        if self._owned:
            self.client.close()

    def __enter__(self) -> HttpxTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
