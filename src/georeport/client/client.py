"""The blocking ``Client``: the sans-IO calls and exchanges driven over one transport.

A convenience and nothing more: every method builds its ``Call`` or
exchange with ``georeport.client.sansio``/``base`` and drives it with
``run``/``iterate``; a program with its own I/O can do the same directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from georeport.client.base import (
    PollSchedule,
    Transport,
    call,
    harvest,
    iterate,
    pages,
    poll_token,
    run,
)
from georeport.client.dialects import EndpointDialect
from georeport.client.sansio import Calls
from georeport.models import (
    Discovery,
    RequestSubmission,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    SubmissionReceipt,
    TokenReceipt,
)
from georeport.wire.params import RequestsQuery

__all__ = ["Client"]


class Client:
    """A GeoReport v2 client for one endpoint, blocking, over any ``Transport``.

    Args:
        endpoint: the base URL, e.g. ``https://city.gov/open311/v2``.
        transport: what sends requests; a ``UrllibTransport()`` (standard
            library, retries on) when None.
        dialect: how this endpoint must be spoken to (format, limits, spellings).
        api_key: sent with POST (and GETs, when the dialect says so).
        timeout: seconds to wait for each answer (None: no limit).
        sleep: how to wait between token polls.

    Every method raises ``RemoteError`` (``NotFoundError``, ``ServerFailure``...)
    for a failure answer, with the server's Open311 errors, and
    ``TransportError`` when no answer came.

    Examples:
        >>> from georeport.client import StaticTransport
        >>> transport = StaticTransport({
        ...     "GET https://city.gov/v2/requests/7.json": '[{"service_request_id": "7", "status": "open"}]',
        ...     "GET https://city.gov/v2/requests/8.json": b'',
        ... })
        >>> client = Client("https://city.gov/v2", transport=transport)
        >>> client.request("7").status
        <Status.OPEN: 'open'>
        >>> client.request("8")
        Traceback (most recent call last):
        ...
        georeport.client.errors.UnexpectedResponseError: HTTP 200 from GET https://city.gov/v2/requests/8.json: the body is not a requests document: ...
    """

    def __init__(  # noqa: PLR0913 - each option is one of the endpoint's facts
        self,
        endpoint: str,
        *,
        transport: Transport | None = None,
        dialect: EndpointDialect | None = None,
        api_key: str | None = None,
        timeout: float | None = 30.0,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        if transport is None:
            from georeport.client.urllib import UrllibTransport  # noqa: PLC0415 - only when needed

            transport = UrllibTransport()
        self.calls = Calls(endpoint, dialect=dialect or EndpointDialect(), api_key=api_key)
        """The sans-IO core the client drives."""
        self.transport = transport
        self.timeout = timeout
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"Client({self.calls.base_url!r}, dialect={self.calls.dialect!r})"

    def services(self) -> ServiceList:
        """``GET services``: the service list."""
        return run(call(self.calls.services()), self.transport, timeout=self.timeout, sleep=self._sleep)

    def definition(self, service_code: str) -> ServiceDefinition:
        """``GET services/{service_code}``: a service's definition."""
        return run(call(self.calls.definition(service_code)), self.transport, timeout=self.timeout, sleep=self._sleep)

    def submit(self, submission: RequestSubmission) -> SubmissionReceipt:
        """``POST requests``: send a report; the receipt holds an id, a token (see ``wait_for_id``) or neither."""
        return run(call(self.calls.submit(submission)), self.transport, timeout=self.timeout, sleep=self._sleep)

    def requests(self, query: RequestsQuery | None = None) -> ServiceRequestList:
        """``GET requests``: one answer for ``query`` (one page; see ``pages`` and ``harvest``)."""
        return run(call(self.calls.requests(query)), self.transport, timeout=self.timeout, sleep=self._sleep)

    def pages(self, query: RequestsQuery | None = None) -> Iterator[ServiceRequest]:
        """Every request ``query`` selects, page after page (``page``/``page_size``)."""
        return iterate(pages(self.calls, query), self.transport, timeout=self.timeout, sleep=self._sleep)

    def request(self, service_request_id: str) -> ServiceRequest:
        """``GET requests/{id}``: one request (``NotFoundError`` when there is none)."""
        return run(
            call(self.calls.request(service_request_id)), self.transport, timeout=self.timeout, sleep=self._sleep
        )

    def token(self, token: str) -> TokenReceipt | None:
        """``GET tokens/{token}``: the token's receipt, or None when the server has nothing for it yet."""
        return run(call(self.calls.token(token)), self.transport, timeout=self.timeout, sleep=self._sleep)

    def wait_for_id(self, token: str, *, schedule: PollSchedule | None = None) -> TokenReceipt:
        """Poll ``GET tokens/{token}`` on a bounded schedule until it names a service_request_id.

        Raises:
            TokenPendingError: the schedule ran out first.
        """
        return run(poll_token(self.calls, token, schedule), self.transport, timeout=self.timeout, sleep=self._sleep)

    def discovery(self, url: str | None = None) -> Discovery:
        """``GET discovery``: at ``url``, or ``discovery.{format}`` under the endpoint."""
        return run(call(self.calls.discovery(url)), self.transport, timeout=self.timeout, sleep=self._sleep)

    def harvest(
        self,
        start: datetime,
        end: datetime,
        *,
        query: RequestsQuery | None = None,
        initial: timedelta = timedelta(days=1),
        grow: float = 2.0,
    ) -> Iterator[ServiceRequest]:
        """Every request with ``start <= requested_datetime < end``, exactly once, in adaptive windows.

        See ``georeport.client.base.harvest``; records arrive window by window, oldest window first.

        Raises:
            HarvestLimitError: a one-second window is full and the server does not page.
        """
        exchange = harvest(self.calls, start, end, query=query, initial=initial, grow=grow)
        return iterate(exchange, self.transport, timeout=self.timeout, sleep=self._sleep)
