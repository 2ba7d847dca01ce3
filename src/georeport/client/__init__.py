"""A GeoReport v2 client with a sans-IO core: every method, paging, harvesting, token polling.

Layers inside the package, lowest first:

* ``sansio``: ``HttpRequest``/``HttpResponse`` values, ``Calls`` (build a
  request, read its answer into typed values or typed errors), no I/O;
* ``windows``, ``base``: adaptive harvest windows, paging, token polling as
  generators that yield requests and take answers; ``run``/``iterate``
  drive them over any ``Transport``;
* ``urllib`` (standard library, the default), ``httpx`` (the ``httpx``
  extra, imported lazily), ``static`` (answers from a table): transports;
* ``client``: the blocking ``Client`` over all of it.

Beside them: ``errors`` (what a server answered, and what never arrived),
``retry`` (``RetryPolicy``: backoff, ``Retry-After``) and ``dialects``
(``EndpointDialect``: what one server needs that the standard does not say).

See ``docs/client.md``.
"""

from __future__ import annotations

from georeport.client.base import (
    Batch,
    Event,
    Exchange,
    Pause,
    PollSchedule,
    Transport,
    call,
    harvest,
    iterate,
    pages,
    poll_token,
    run,
)
from georeport.client.client import Client
from georeport.client.dialects import EndpointDialect
from georeport.client.errors import (
    ClientRequestError,
    HarvestLimitError,
    NotFoundError,
    RateLimitedError,
    RemoteError,
    RequestTimeoutError,
    ServerFailure,
    TokenPendingError,
    TransportError,
    UnexpectedResponseError,
)
from georeport.client.httpx import HttpxTransport
from georeport.client.retry import NO_RETRY, RetryPolicy
from georeport.client.sansio import Call, Calls, HttpRequest, HttpResponse, read_response
from georeport.client.static import StaticTransport
from georeport.client.urllib import UrllibTransport
from georeport.client.windows import WindowPlanner

__all__ = [
    "NO_RETRY",
    "Batch",
    "Call",
    "Calls",
    "Client",
    "ClientRequestError",
    "EndpointDialect",
    "Event",
    "Exchange",
    "HarvestLimitError",
    "HttpRequest",
    "HttpResponse",
    "HttpxTransport",
    "NotFoundError",
    "Pause",
    "PollSchedule",
    "RateLimitedError",
    "RemoteError",
    "RequestTimeoutError",
    "RetryPolicy",
    "ServerFailure",
    "StaticTransport",
    "TokenPendingError",
    "Transport",
    "TransportError",
    "UnexpectedResponseError",
    "UrllibTransport",
    "WindowPlanner",
    "call",
    "harvest",
    "iterate",
    "pages",
    "poll_token",
    "read_response",
    "run",
]
