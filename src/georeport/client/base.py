"""Multi-call conversations over one abstract send hook: paging, harvesting, token polling.

Each conversation is an *exchange*: a generator that yields events and is
sent answers, h11-style, with no I/O in it. It yields

* an ``HttpRequest``: the driver sends it and sends back the ``HttpResponse``;
* a ``Pause``: the driver waits that long (token polling) and sends None;
* a ``Batch``: records for the caller (pages, harvest windows); the driver
  hands them on and sends None;

and returns its result. ``run`` and ``iterate`` drive an exchange over any
``Transport``; a server or an async program can drive the same generators
itself.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Generator, Iterator
from datetime import datetime, timedelta
from typing import Protocol, TypeAlias, TypeVar, runtime_checkable

import attrs

from georeport.client.errors import HarvestLimitError, NotFoundError, TokenPendingError
from georeport.client.sansio import Call, Calls, HttpRequest, HttpResponse, window_query
from georeport.client.windows import WindowPlanner
from georeport.errors import DialectWarning, ValidationError
from georeport.models import ServiceRequest, TokenReceipt
from georeport.wire.params import RequestsQuery

__all__ = [
    "Batch",
    "Event",
    "Exchange",
    "Pause",
    "PollSchedule",
    "Transport",
    "call",
    "harvest",
    "iterate",
    "pages",
    "poll_token",
    "run",
]

T = TypeVar("T")


@runtime_checkable
class Transport(Protocol):
    """Anything that sends one HTTP request and gives back its response.

    A transport raises ``TransportError`` (``RequestTimeoutError`` for a
    timeout) when no answer came; every answer, whatever its status, is
    returned as an ``HttpResponse``: reading it is the core's business.
    """

    def send(self, request: HttpRequest, *, timeout: float | None) -> HttpResponse:
        """Send ``request``; wait at most ``timeout`` seconds for each step (None: no limit)."""
        ...


@attrs.frozen
class Pause:
    """An exchange asks its driver to wait ``seconds`` before going on."""

    seconds: float


@attrs.frozen
class Batch:
    """Records an exchange hands to its caller as it goes (one page, one harvest window)."""

    records: tuple[ServiceRequest, ...]
    window: tuple[datetime, datetime] | None = None
    """The harvest window the records belong to (end exclusive), or None for a page."""


Event: TypeAlias = HttpRequest | Pause | Batch
"""What an exchange yields: a request to send, a pause to wait out, or a batch of records read so far."""
Exchange: TypeAlias = Generator[Event, HttpResponse | None, T]
"""A conversation: yields events, is sent answers (None after a ``Pause`` or ``Batch``), returns ``T``."""


def _answer(value: HttpResponse | None) -> HttpResponse:
    if value is None:
        raise ValidationError("response", value, "the HttpResponse to the request just yielded")
    return value


def call(one: Call[T]) -> Exchange[T]:
    """The exchange of a single call: yield its request, read its answer."""
    return one.read(_answer((yield one.request)))


def _drive(
    exchange: Exchange[T],
    transport: Transport,
    *,
    timeout: float | None,
    sleep: Callable[[float], object],
) -> Generator[Batch, None, T]:
    """Run ``exchange`` over ``transport``, yielding its batches; return its result."""
    reply: HttpResponse | None = None
    try:
        while True:
            event = exchange.send(reply)
            if isinstance(event, HttpRequest):
                reply = transport.send(event, timeout=timeout)
            elif isinstance(event, Pause):
                sleep(event.seconds)
                reply = None
            else:
                yield event
                reply = None
    except StopIteration as stop:
        result: T = stop.value
        return result
    finally:
        exchange.close()


def run(exchange: Exchange[T], transport: Transport, *, timeout: float | None, sleep: Callable[[float], object]) -> T:
    """Drive ``exchange`` to its end and return its result (batches are dropped: use ``iterate`` for them)."""
    batches = _drive(exchange, transport, timeout=timeout, sleep=sleep)
    while True:
        try:
            next(batches)
        except StopIteration as stop:
            result: T = stop.value
            return result


def iterate(
    exchange: Exchange[object], transport: Transport, *, timeout: float | None, sleep: Callable[[float], object]
) -> Iterator[ServiceRequest]:
    """Drive ``exchange`` and yield the records of its batches as they arrive."""
    for batch in _drive(exchange, transport, timeout=timeout, sleep=sleep):
        yield from batch.records


# --- pages --------------------------------------------------------------------------------------
def pages(calls: Calls, query: RequestsQuery | None = None) -> Exchange[int]:
    """Every page of ``GET requests`` for ``query``, one ``Batch`` each; returns the number of pages.

    Starts at ``query.page`` (or 1) with ``query.page_size``, capped at the
    endpoint's ``requests_limit``; stops after a page shorter than that. A
    server that ignores ``page`` answers the same page again: that is noticed,
    warned about (``DialectWarning`` ``page-ignored``) and ends the paging.
    """
    query = query or RequestsQuery()
    limit = calls.dialect.requests_limit
    size = min(query.page_size or limit, limit)
    page = max(1, query.page or 1)
    previous: tuple[str | None, ...] | None = None
    count = 0
    while True:
        found = yield from call(calls.requests(calls.with_page(query, page, size)))
        ids = tuple(record.service_request_id for record in found)
        if ids and ids == previous:
            warnings.warn(
                DialectWarning(
                    "page-ignored",
                    "page",
                    "the server answered the same page again; it does not page, paging stopped",
                    example=page,
                ),
                stacklevel=2,
            )
            return count
        count += 1
        yield Batch(found.items)
        if len(ids) < size:
            return count
        previous = ids
        page += 1


# --- harvest ------------------------------------------------------------------------------------
def harvest(  # noqa: PLR0913 - the planner's knobs are the point
    calls: Calls,
    start: datetime,
    end: datetime,
    *,
    query: RequestsQuery | None = None,
    initial: timedelta = timedelta(days=1),
    grow: float = 2.0,
    min_size: timedelta = timedelta(seconds=1),
) -> Exchange[WindowPlanner]:
    """Every request with ``start <= requested_datetime < end``, exactly once, in windows the server answers whole.

    Windows come from a ``WindowPlanner``: an answer holding
    ``requests_limit`` records or more is full, and its window is asked again
    halved; one that is not grows the next. Each window is asked with
    inclusive bounds (the standard's: so the answer also holds the window's
    end second, which counts towards the limit), and what comes back is kept only when
    its ``requested_datetime`` falls in the half-open window, so a record on a
    boundary is delivered once. A record without a ``requested_datetime`` is
    delivered the first time its id is seen. ``query``'s other filters
    (``status``, ``service_code``...) are kept. A one-second window that is
    still full is paged through when ``dialect.paginates``.

    Returns:
        The planner, whose ``accepted`` windows tile the range.

    Raises:
        HarvestLimitError: a one-second window is full and the server does not page.
        RemoteError: a failure answer (after the transport's retries).
    """
    base = query or RequestsQuery()
    planner = WindowPlanner(start, end, initial=initial, grow=grow, min_size=min_size)
    limit = calls.dialect.requests_limit
    undated: set[str | None] = set()
    while not planner.done:
        low, high = planner.current()
        found = yield from call(calls.requests(window_query(base, low, high)))
        records = list(found.items)
        full = len(records) >= limit
        if full and not planner.minimal:
            planner.answer(full=True)
            continue
        if full:
            if not calls.dialect.paginates:
                raise HarvestLimitError((low, high), limit)
            page = 2
            while True:
                more = yield from call(calls.requests(calls.with_page(window_query(base, low, high), page, limit)))
                records.extend(more.items)
                if len(more.items) < limit:
                    break
                page += 1
        planner.answer(full=full)
        yield Batch(_inside(records, (max(low, start), min(high, end)), undated), (low, high))
    return planner


def _inside(
    records: list[ServiceRequest], window: tuple[datetime, datetime], undated: set[str | None]
) -> tuple[ServiceRequest, ...]:
    """The records of one window that belong to it: dated inside ``[low, high)``, or undated and new."""
    low, high = window
    kept: list[ServiceRequest] = []
    for record in records:
        moment = record.requested_datetime
        if moment is None:
            if record.service_request_id not in undated:
                undated.add(record.service_request_id)
                kept.append(record)
        elif low <= moment < high:
            kept.append(record)
    return tuple(kept)


# --- tokens -------------------------------------------------------------------------------------
@attrs.frozen(kw_only=True)
class PollSchedule:
    """How often to ask for a token's service_request_id: a bounded, growing schedule.

    The first poll is immediate; the *n*-th waits ``first * factor**(n-2)``
    seconds, capped at ``max_delay``; there are at most ``attempts`` polls,
    and the waits never add up to more than ``max_total``.

    Examples:
        >>> PollSchedule(first=1.0, factor=2.0, attempts=5).waits()
        (0.0, 1.0, 2.0, 4.0, 8.0)
        >>> sum(PollSchedule(attempts=50, max_total=60.0).waits()) <= 60.0
        True
    """

    first: float = 2.0
    factor: float = 2.0
    max_delay: float = 60.0
    attempts: int = 8
    max_total: float = 300.0

    def __attrs_post_init__(self) -> None:
        for name in ("first", "factor", "max_delay", "max_total"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValidationError(name, value, "a finite number of at least 0")
        attempts: object = self.attempts
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise ValidationError("attempts", self.attempts, "a whole number of at least 1")

    def waits(self) -> tuple[float, ...]:
        """The wait before each poll, the first being 0."""
        waits = [0.0]
        total = 0.0
        for n in range(1, self.attempts):
            wait = min(self.max_delay, self.first * self.factor ** (n - 1))
            if total + wait > self.max_total:
                break
            total += wait
            waits.append(wait)
        return tuple(waits)


def poll_token(calls: Calls, token: str, schedule: PollSchedule | None = None) -> Exchange[TokenReceipt]:
    """Ask ``GET tokens/{token}`` on ``schedule`` until the answer names a service_request_id.

    An empty answer, a receipt without an id, and a 404 (servers that do not
    know a token until it is processed) all mean "not yet".

    Raises:
        TokenPendingError: the schedule ran out; ``last_error`` keeps the last 404.
        RemoteError: any other failure answer.
    """
    schedule = schedule or PollSchedule()
    last: Exception | None = None
    waits = schedule.waits()
    for wait in waits:
        if wait:
            yield Pause(wait)
        try:
            receipt = yield from call(calls.token(token))
        except NotFoundError as error:
            last = error
            continue
        if receipt is not None and receipt.service_request_id:
            return receipt
    raise TokenPendingError(token, len(waits), last)
