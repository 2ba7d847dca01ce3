"""Retries for transports: exponential backoff with jitter, ``Retry-After`` honoured, POST kept safe.

The rules, in one place for every transport:

* an answer is retried when its status is in ``statuses`` (429 and the 5xx a
  busy server sends); a failure to get any answer (refused, dropped, timed
  out) is retried too;
* a POST is retried only when the server certainly did not act on it: a 429 or
  503 (it refused to), or a connection that was never made; never after a
  dropped connection, a timeout or a 500, which could create the report twice;
* the delay before retry *n* (1-based) is ``base * factor**(n-1)`` capped at
  ``max_delay``, less a random part of up to ``jitter`` of it (seedable); a
  ``Retry-After`` replaces it, and one longer than ``max_retry_after`` ends
  the retries (the answer is given back as it is).
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable

import attrs

from georeport.client.errors import TransportError
from georeport.client.sansio import HttpRequest, HttpResponse, retry_after
from georeport.errors import ValidationError

__all__ = ["NO_RETRY", "RetryPolicy", "send_with_retries"]


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValidationError(attribute.name, value, "a number of at least 0")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    Examples:
        >>> policy = RetryPolicy(base=1.0, jitter=0.0)
        >>> [policy.backoff(n, policy.rng()) for n in (1, 2, 3)]
        [1.0, 2.0, 4.0]
    """

    attempts: int = attrs.field(default=4)
    """How many times a request is sent at most (1: never retried)."""
    base: float = attrs.field(default=0.5, validator=_non_negative)
    factor: float = attrs.field(default=2.0, validator=_non_negative)
    max_delay: float = attrs.field(default=30.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.5, validator=_non_negative)
    """The largest fraction of a delay taken off at random (0 for none, at most 1)."""
    max_retry_after: float = attrs.field(default=120.0, validator=_non_negative)
    statuses: frozenset[int] = attrs.field(default=frozenset({429, 500, 502, 503, 504}), converter=frozenset)
    seed: int | None = None
    """Seeds the jitter, for runs that repeat exactly."""

    @attempts.validator
    def _check_attempts(self, _attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError("attempts", value, "a whole number of at least 1")

    @jitter.validator
    def _check_jitter(self, _attribute: object, value: float) -> None:
        if value > 1:
            raise ValidationError("jitter", value, "a fraction between 0 and 1")

    def rng(self) -> random.Random:
        """A random generator for the jitter, seeded with ``seed``."""
        return random.Random(self.seed)  # noqa: S311 - jitter, not security

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The delay before retry number ``retry`` (1-based), jitter included."""
        delay: float = min(self.max_delay, self.base * math.pow(self.factor, retry - 1))
        return delay - delay * self.jitter * rng.random()

    def delay_after(self, request: HttpRequest, response: HttpResponse, retry: int, rng: random.Random) -> float | None:
        """Seconds to wait before sending ``request`` again after ``response``; None: give the answer back."""
        if retry >= self.attempts or response.status not in self.statuses:
            return None
        if request.method.upper() == "POST" and response.status not in (429, 503):
            return None
        after = retry_after(response)
        if after is not None:
            return after if after <= self.max_retry_after else None
        return self.backoff(retry, rng)

    def delay_after_failure(
        self, request: HttpRequest, error: TransportError, retry: int, rng: random.Random
    ) -> float | None:
        """Seconds to wait before sending ``request`` again after no answer came; None: raise ``error``."""
        if retry >= self.attempts:
            return None
        if request.method.upper() == "POST" and error.connected:
            return None
        return self.backoff(retry, rng)


NO_RETRY = RetryPolicy(attempts=1)
"""Send each request once."""


def send_with_retries(  # noqa: PLR0913 - the loop's collaborators, all keyword-only
    send_once: Callable[[HttpRequest, float | None], HttpResponse],
    request: HttpRequest,
    *,
    timeout: float | None,
    policy: RetryPolicy,
    rng: random.Random,
    sleep: Callable[[float], object],
) -> HttpResponse:
    """Send ``request`` with ``send_once`` until an answer is final or the policy gives up.

    Returns:
        The last answer (a 503 after every retry is still an answer).

    Raises:
        TransportError: no answer came, after every retry (``attempts`` says how many).
    """
    attempt = 1
    while True:
        try:
            response = send_once(request, timeout)
        except TransportError as error:
            wait = policy.delay_after_failure(request, error, attempt, rng)
            if wait is None:
                error.attempts = attempt
                error.args = (f"{request.method} {request.url} failed after {attempt} attempt(s): {error.reason}",)
                raise
        else:
            wait = policy.delay_after(request, response, attempt, rng)
            if wait is None:
                return response
        sleep(wait)
        attempt += 1


class _RetryingTransport:
    """What every transport shares: the checked body bound, the retry policy, and ``send`` over ``_send_once``.

    Thread-safe: each ``send`` seeds its own jitter generator from a shared
    one, under a lock, so one transport may serve a thread pool.
    """

    def __init__(self, *, retry: RetryPolicy | None, max_response_size: int, sleep: Callable[[float], object]) -> None:
        size: object = max_response_size
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValidationError("max_response_size", max_response_size, "a whole number of bytes, at least 1")
        self.retry = retry or RetryPolicy()
        self.max_response_size = max_response_size
        self._sleep = sleep
        self._rng = self.retry.rng()
        self._lock = threading.Lock()

    def send(self, request: HttpRequest, *, timeout: float | None) -> HttpResponse:
        """Send ``request`` (retrying as the policy says) and return the answer, whatever its status.

        Raises:
            TransportError: no answer, after every retry; ``RequestTimeoutError`` when the last try timed out.
            UnexpectedResponseError: a body over ``max_response_size``.
        """
        with self._lock:
            seed = self._rng.getrandbits(64)
        rng = self.retry.rng()
        rng.seed(seed)
        return send_with_retries(
            self._send_once, request, timeout=timeout, policy=self.retry, rng=rng, sleep=self._sleep
        )

    def _send_once(self, request: HttpRequest, timeout: float | None) -> HttpResponse:
        """Send ``request`` once: an answer, or ``TransportError`` (each transport's own)."""
        raise NotImplementedError
