"""The sans-IO core of the client: build HTTP requests, read HTTP responses, no I/O at all.

This file owns what goes on the wire for each method and what an answer
means, including every failure (the mapping of statuses and bodies to
``georeport.client.errors`` lives here and nowhere else, so every transport
raises the same errors for the same answer). It never opens a socket,
sleeps, or reads a clock: ``Calls`` builds an ``HttpRequest`` and reads an
``HttpResponse``; a transport (``georeport.client.urllib``...) carries them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, Literal, TypeVar

import attrs

from georeport._version import __version__
from georeport.client.dialects import EndpointDialect
from georeport.client.errors import (
    ClientRequestError,
    NotFoundError,
    RateLimitedError,
    RemoteError,
    ServerFailure,
    UnexpectedResponseError,
)
from georeport.errors import GeoReportError, ParseError, ValidationError
from georeport.models import (
    Discovery,
    ErrorList,
    ReceiptList,
    RequestSubmission,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    SubmissionReceipt,
    TokenList,
    TokenReceipt,
)
from georeport.wire import load, sniff_format
from georeport.wire.json import from_json
from georeport.wire.params import Method, Query, RequestsQuery, Route, build_form, build_url
from georeport.wire.xml import from_xml

__all__ = [
    "Call",
    "Calls",
    "HttpRequest",
    "HttpResponse",
    "read_response",
    "retry_after",
    "window_query",
]

T = TypeVar("T")
Kind = Literal["services", "service_definition", "requests", "receipts", "tokens", "discovery"]
USER_AGENT = f"georeport/{__version__} (+https://github.com/open311-georeport/georeport)"
_FORM = "application/x-www-form-urlencoded; charset=utf-8"
_ACCEPT = {"json": "application/json", "xml": "text/xml, application/xml;q=0.9"}


def _headers(value: Mapping[str, str] | Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(name), str(text)) for name, text in items)


def _find(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


@attrs.frozen
class HttpRequest:
    """One HTTP request, as values: what a transport sends.

    Examples:
        >>> HttpRequest("GET", "https://city.gov/v2/services.json").header("accept") is None
        True
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_headers)
    """In order, names as given; look one up with ``header``."""
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of a header, its name in any letter case; None when absent."""
        return _find(self.headers, name)


@attrs.frozen
class HttpResponse:
    """One HTTP response, as values: what a transport gives back.

    Examples:
        >>> HttpResponse(429, {"Retry-After": "3"}).header("retry-after")
        '3'
    """

    status: int
    headers: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_headers)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of a header, its name in any letter case; None when absent."""
        return _find(self.headers, name)

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status < 300  # noqa: PLR2004


def retry_after(response: HttpResponse) -> float | None:
    """The ``Retry-After`` of a response in seconds: a number, or an HTTP-date measured from its ``Date``.

    None when absent or unreadable (an HTTP-date without a ``Date`` header,
    since this core reads no clock).
    """
    value = response.header("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN  # noqa: PLR0124
    sent = response.header("Date")
    if sent is None:
        return None
    try:
        then, now = parsedate_to_datetime(value), parsedate_to_datetime(sent)
    except (TypeError, ValueError):
        return None
    return max(0.0, (then - now).total_seconds())


_ERRORS_HEAD = re.compile(rb'\s*(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<errors[\s>/]|\[\s*\{\s*"code"\s*:)')
"""An errors document answered with a success status (read as a 400, whatever the status said)."""


def _errors_in(body: bytes) -> ErrorList | None:
    """The errors document in ``body``, read without warnings (numeric codes are the norm), or None."""
    if not body.strip():
        return None
    try:
        reader = from_json if sniff_format(body[:256]) == "json" else from_xml
        found = reader(body, kind="errors", emit_warnings=False)
    except (GeoReportError, ValueError):
        return None
    return found if isinstance(found, ErrorList) else None


def read_response(response: HttpResponse, kind: Kind, *, request: HttpRequest | None = None) -> Any:
    """The document a successful answer holds, or the error a failed one stands for.

    A 2xx body is read leniently as ``kind``; a 2xx body that is an errors
    document (servers that answer errors with 200) raises as a 400 would.
    Failures raise, by status: 404 ``NotFoundError``, 429
    ``RateLimitedError``, other 4xx ``ClientRequestError``, 5xx
    ``ServerFailure``, anything else ``RemoteError``; each carries the
    server's Open311 errors when the body held them.

    Raises:
        RemoteError: as above; ``UnexpectedResponseError`` for a 2xx body that
            is not the document asked for (an HTML page, broken XML). Anything
            else is a bug.
    """
    if not response.ok:
        errors = _errors_in(response.body)
        found = errors.items if errors is not None else ()
        status = response.status
        if status == 404:  # noqa: PLR2004
            raise NotFoundError(status, found, request=request, response=response)
        if status == 429:  # noqa: PLR2004
            raise RateLimitedError(status, found, request=request, response=response, retry_after=retry_after(response))
        if 400 <= status < 500:  # noqa: PLR2004
            raise ClientRequestError(status, found, request=request, response=response)
        if 500 <= status < 600:  # noqa: PLR2004
            raise ServerFailure(status, found, request=request, response=response)
        raise RemoteError(status, found, request=request, response=response)
    if _ERRORS_HEAD.match(response.body, 0, 512):
        errors = _errors_in(response.body)
        if errors is not None and errors.items:
            raise ClientRequestError(400, errors.items, request=request, response=response)
    try:
        return load(response.body, kind=kind)
    except (ParseError, GeoReportError, ValueError) as exc:
        errors = _errors_in(response.body)
        if errors is not None and errors.items:
            raise ClientRequestError(400, errors.items, request=request, response=response) from exc
        raise UnexpectedResponseError(
            response.status,
            f"the body is not a {kind} document: {exc}",
            request=request,
            response=response,
        ) from exc


@attrs.frozen
class Call(Generic[T]):
    """One request and the way to read its answer: ``call.read(transport.send(call.request))``.

    Examples:
        >>> call = Calls("https://city.gov/v2").services()
        >>> call.request.url
        'https://city.gov/v2/services.json'
        >>> body = b'[{"service_code": "1", "service_name": "Potholes", "metadata": false, "type": "realtime"}]'
        >>> call.read(HttpResponse(200, body=body))[0].service_name
        'Potholes'
    """

    request: HttpRequest
    reader: Callable[[HttpResponse, HttpRequest], T] = attrs.field(repr=False)

    def read(self, response: HttpResponse) -> T:
        """The typed answer, or the typed error (see ``read_response``)."""
        return self.reader(response, self.request)


def _reader(kind: Kind, after: Callable[[Any], T]) -> Callable[[HttpResponse, HttpRequest], T]:
    def read(response: HttpResponse, request: HttpRequest) -> T:
        return after(read_response(response, kind, request=request))

    return read


def _same(value: Any) -> Any:
    return value


def _one_request(found: ServiceRequestList) -> ServiceRequest:
    if not found.items:
        raise NotFoundError(404, reason="the answer holds no request")
    return found.items[0]


def _one_receipt(found: ReceiptList) -> SubmissionReceipt:
    if not found.items:
        raise UnexpectedResponseError(200, "the answer to POST requests holds no receipt")
    return found.items[0]


def _one_token(found: TokenList) -> TokenReceipt | None:
    return found.items[0] if found.items else None


@attrs.frozen
class Calls:
    """Every GeoReport v2 call to one endpoint, as ``Call`` values (the client's sans-IO core).

    Args:
        base_url: the endpoint's base URL (``https://city.gov/open311/v2``).
        dialect: how this endpoint must be spoken to.
        api_key: sent with POST (and with GETs when ``dialect.params.api_key_on_get``).

    Examples:
        >>> calls = Calls("https://city.gov/v2/", dialect=EndpointDialect(format="xml", jurisdiction_id="city.gov"))
        >>> calls.definition("PK/101").request.url
        'https://city.gov/v2/services/PK%2F101.xml?jurisdiction_id=city.gov'
        >>> calls.submit(RequestSubmission("PK-101", address_id="A1")).request.body
        b'jurisdiction_id=city.gov&service_code=PK-101&address_id=A1'
    """

    base_url: str
    dialect: EndpointDialect = attrs.field(factory=EndpointDialect, kw_only=True)
    api_key: str | None = attrs.field(default=None, kw_only=True, repr=False)

    def _headers(self, *extra: tuple[str, str]) -> tuple[tuple[str, str], ...]:
        base = (("Accept", _ACCEPT[self.dialect.format]), ("User-Agent", USER_AGENT))
        names = {name.lower() for name, _ in self.dialect.headers}
        kept = tuple(pair for pair in base if pair[0].lower() not in names)
        return kept + self.dialect.headers + extra

    def _get(self, route: Route, query: Query | None = None) -> HttpRequest:
        query = query or Query()
        if self.dialect.jurisdiction_id and not query.jurisdiction_id:
            query = attrs.evolve(query, jurisdiction_id=self.dialect.jurisdiction_id)
        url = build_url(self.base_url, route, query, api_key=self.api_key, dialect=self.dialect.params)
        return HttpRequest("GET", url, self._headers())

    @property
    def format(self) -> Literal["xml", "json"]:
        """The format asked for."""
        return self.dialect.format

    def services(self, query: Query | None = None) -> Call[ServiceList]:
        """``GET services``: the service list."""
        return Call(self._get(Route(Method.SERVICE_LIST, self.format), query), _reader("services", _same))

    def definition(self, service_code: str, query: Query | None = None) -> Call[ServiceDefinition]:
        """``GET services/{service_code}``: a service's definition (its attributes)."""
        route = Route(Method.SERVICE_DEFINITION, self.format, service_code)
        return Call(self._get(route, query), _reader("service_definition", _same))

    def submit(self, submission: RequestSubmission) -> Call[SubmissionReceipt]:
        """``POST requests``: a new report; the answer is its receipt (an id, a token, or neither).

        Raises:
            ValidationError: the submission cannot be written as a form (an attribute code with ``]``).
        """
        if self.dialect.jurisdiction_id and not submission.jurisdiction_id:
            submission = attrs.evolve(submission, jurisdiction_id=self.dialect.jurisdiction_id)
        body = build_form(submission, api_key=self.api_key, dialect=self.dialect.params)
        url = build_url(self.base_url, Route(Method.POST_SERVICE_REQUEST, self.format), dialect=self.dialect.params)
        request = HttpRequest("POST", url, self._headers(("Content-Type", _FORM)), body)
        return Call(request, _reader("receipts", _one_receipt))

    def requests(self, query: RequestsQuery | None = None) -> Call[ServiceRequestList]:
        """``GET requests``: the requests a query selects (one page of them)."""
        route = Route(Method.SERVICE_REQUESTS, self.format)
        return Call(self._get(route, query or RequestsQuery()), _reader("requests", _same))

    def request(self, service_request_id: str, query: Query | None = None) -> Call[ServiceRequest]:
        """``GET requests/{id}``: one request.

        Reading raises ``NotFoundError`` for a 404 and for an empty answer.
        """
        route = Route(Method.SERVICE_REQUEST, self.format, service_request_id)
        return Call(self._get(route, query), _reader("requests", _one_request))

    def token(self, token: str, query: Query | None = None) -> Call[TokenReceipt | None]:
        """``GET tokens/{token}``: the token's receipt (with the service_request_id once there is one).

        The answer is None when the server answered an empty list (the id is not known yet).
        """
        route = Route(Method.TOKEN, self.format, token)
        return Call(self._get(route, query), _reader("tokens", _one_token))

    def discovery(self, url: str | None = None) -> Call[Discovery]:
        """``GET discovery``: the service discovery document, at ``url`` or ``{base_url}/discovery.{format}``.

        Raises:
            ValidationError: ``url`` is not an http(s) URL.
        """
        if url is None:
            url = build_url(self.base_url, Route(Method.DISCOVERY, self.format), dialect=self.dialect.params)
        elif not url.startswith(("http://", "https://")):
            raise ValidationError("url", url, "an http:// or https:// URL")
        return Call(HttpRequest("GET", url, self._headers()), _reader("discovery", _same))

    def with_page(self, query: RequestsQuery, page: int, page_size: int) -> RequestsQuery:
        """``query`` asking for one page (helper of the paging loop)."""
        return attrs.evolve(query, page=page, page_size=page_size)


def window_query(query: RequestsQuery, start: datetime, end: datetime) -> RequestsQuery:
    """``query`` restricted to ``start_date=start``, ``end_date=end`` (ids and paging dropped)."""
    return attrs.evolve(query, start_date=start, end_date=end, service_request_id=(), page=None, page_size=None)
