"""HTTP parameters of GeoReport v2, both ways: paths, GET queries, POST bodies.

Pure functions, no I/O. A server routes a path with ``route``, reads a POST
with ``parse_post`` and a ``GET requests`` query with
``parse_requests_query``; a client builds the same with ``build_url``,
``build_form`` and ``build_multipart``, and for every value ``x``
``parse(build(x)) == x``. A ``Dialect`` holds the spellings real servers
choose where the standard leaves a choice.

Every reader reports every problem of one HTTP request at once, as an
``InvalidParametersError`` whose ``errors`` a server dumps as its errors
document and whose ``status_hint`` is the status to answer with; POST values
that do not fit the model are kept as ``ParsedPost.problems`` instead, so
that ``Catalog.validate`` reports them with the rest.

This module owns paths and POST bodies; GET queries live in ``_queries``,
the byte-level codecs and the problem types in ``_forms``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

import attrs

from georeport.models import RequestSubmission
from georeport.models._fields import JSONValue, to_enum, to_tuple
from georeport.wire._forms import (
    MAX_BODY_SIZE,
    MAX_FIELDS,
    MAX_PARTS,
    STANDARD,
    Dialect,
    FormSyntaxError,
    InvalidParametersError,
    MediaPart,
    ParameterError,
    content_type_params,
    decode_pairs,
    encode_form,
    http_status,
    parse_multipart,
)
from georeport.wire._forms import build_multipart as _multipart_body
from georeport.wire._queries import (
    DEFAULT_LIMIT,
    DEFAULT_WINDOW,
    BoundingBox,
    Query,
    RequestsQuery,
    build_query,
    parse_query,
    parse_requests_query,
)
from georeport.wire._values import format_float

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_WINDOW",
    "MAX_BODY_SIZE",
    "MAX_FIELDS",
    "MAX_PARTS",
    "STANDARD",
    "BoundingBox",
    "Dialect",
    "InvalidParametersError",
    "MediaPart",
    "Method",
    "ParameterError",
    "ParsedPost",
    "Query",
    "RequestsQuery",
    "Route",
    "build_form",
    "build_multipart",
    "build_query",
    "build_url",
    "http_status",
    "parse_post",
    "parse_query",
    "parse_requests_query",
    "route",
]

Format = Literal["xml", "json"]

# The names defined in the private modules are public here: say so, for tracebacks, docs and pickles.
for _name in (
    "BoundingBox",
    "Dialect",
    "InvalidParametersError",
    "MediaPart",
    "ParameterError",
    "Query",
    "RequestsQuery",
):
    globals()[_name].__module__ = __name__
for _name in ("build_query", "http_status", "parse_query", "parse_requests_query"):
    globals()[_name].__module__ = __name__
del _name


# --- paths --------------------------------------------------------------------------------------
class Method(StrEnum):
    """The six methods of GeoReport v2, and Service Discovery."""

    DISCOVERY = "discovery"
    """``GET discovery.{fmt}``."""
    SERVICE_LIST = "service_list"
    """``GET services.{fmt}``."""
    SERVICE_DEFINITION = "service_definition"
    """``GET services/{service_code}.{fmt}``."""
    POST_SERVICE_REQUEST = "post_service_request"
    """``POST requests.{fmt}``."""
    TOKEN = "token"  # noqa: S105 - the method's name, not a secret
    """``GET tokens/{token}.{fmt}``."""
    SERVICE_REQUESTS = "service_requests"
    """``GET requests.{fmt}``."""
    SERVICE_REQUEST = "service_request"
    """``GET requests/{service_request_id}.{fmt}``."""

    @property
    def http_method(self) -> str:
        """``"POST"`` for ``POST_SERVICE_REQUEST``, ``"GET"`` for every other method."""
        return "POST" if self is Method.POST_SERVICE_REQUEST else "GET"

    @property
    def identifier(self) -> str | None:
        """The name of the path identifier the method takes (``service_code``...), or None."""
        return _IDENTIFIERS.get(self)


_IDENTIFIERS = {
    Method.SERVICE_DEFINITION: "service_code",
    Method.TOKEN: "token",
    Method.SERVICE_REQUEST: "service_request_id",
}
_COLLECTIONS = {"services": Method.SERVICE_DEFINITION, "tokens": Method.TOKEN, "requests": Method.SERVICE_REQUEST}
_RESOURCES = {"discovery": Method.DISCOVERY, "services": Method.SERVICE_LIST, "requests": Method.SERVICE_REQUESTS}
_PATH_EXAMPLE = "a GeoReport path such as services.xml, services/{code}.json or requests/{id}.xml"


def _method(value: Method | str) -> Method:
    return to_enum(Method, value, "method")


def _check_identifier(instance: Route, _attribute: object, value: str | None) -> None:
    name = instance.method.identifier
    if name is not None and (not isinstance(value, str) or not value):
        raise ParameterError(name, value, f"a non-empty string (the {instance.method.value} path names one)")
    if name is None and value is not None:
        raise ParameterError("identifier", value, f"None (the {instance.method.value} path names nothing)")


@attrs.frozen
class Route:
    """What a request path asks for: a method, a response format, and the identifier in the path.

    Examples:
        >>> Route(Method.SERVICE_DEFINITION, "json", "ServiceRequest/Animals").path()
        'services/ServiceRequest%2FAnimals.json'
    """

    method: Method = attrs.field(converter=_method)
    format: Format = attrs.field(default="xml", validator=attrs.validators.in_(("xml", "json")))
    identifier: str | None = attrs.field(default=None, validator=_check_identifier)
    """The ``service_code``, ``token`` or ``service_request_id`` in the path, decoded."""

    def path(self, *, dialect: Dialect = STANDARD) -> str:
        """The path relative to the endpoint's base URL, each identifier percent-encoded (``/`` too)."""
        if self.identifier is None:
            name = "requests" if self.method is Method.POST_SERVICE_REQUEST else _RESOURCE_NAMES[self.method]
            return f"{name}.{self.format}"
        collection = _COLLECTION_NAMES[self.method]
        if self.method is Method.SERVICE_REQUEST and dialect.singular_request_path:
            collection = "request"
        return f"{collection}/{quote(self.identifier, safe='')}.{self.format}"


_RESOURCE_NAMES = {method: name for name, method in _RESOURCES.items()}
_COLLECTION_NAMES = {method: name for name, method in _COLLECTIONS.items()}


def route(path: str, *, http_method: str = "GET", base_path: str = "") -> Route:
    """The method, format and identifier a request path asks for.

    Pass the path as it arrived, still percent-encoded (a code holding
    ``/`` arrives as ``%2F``); a query string after ``?`` is ignored. The
    identifier is everything between the collection and the suffix, so an
    already-decoded path with ``/`` in a code is read right too. The suffix
    is ``.xml`` or ``.json`` (any letter case); the singular ``request/{id}``
    some servers use is read as ``requests/{id}``. ``HEAD`` is read as ``GET``.

    Args:
        path: the request path, e.g. ``/open311/v2/services/001.json``.
        http_method: the request's HTTP method.
        base_path: the path the endpoint is mounted at, e.g. ``/open311/v2``.

    Raises:
        InvalidParametersError: 404 for a path outside ``base_path``, an
            unknown suffix or resource; 400 for an empty or undecodable
            identifier; 405 for a method the resource does not take. Its
            ``format`` is the suffix's format when there was one.

    Examples:
        >>> route("/v2/services/ServiceRequest%2FAnimals.json", base_path="/v2")
        Route(method=<Method.SERVICE_DEFINITION: 'service_definition'>, format='json', identifier='ServiceRequest/Animals')
        >>> route("/v2/services.html", base_path="/v2")
        Traceback (most recent call last):
        ...
        georeport.wire.params.InvalidParametersError: 1 invalid parameter(s), answer with HTTP 404:
          - 'path' must be a path ending in .xml or .json (got '/v2/services.html')
    """
    raw = path.split("?", 1)[0]
    base = base_path.strip("/")
    base = f"/{base}" if base else ""
    if base and raw != base and not raw.startswith(base + "/"):
        raise InvalidParametersError([_not_found(raw, f"a path under {base}/")])
    rest = raw[len(base) :].lstrip("/")
    fmt: Format | None = "xml" if rest.lower().endswith(".xml") else "json" if rest.lower().endswith(".json") else None
    if fmt is None:
        raise InvalidParametersError([_not_found(raw, "a path ending in .xml or .json")])
    stem = rest[: -len(fmt) - 1]
    head, slash, tail = stem.partition("/")
    method = _COLLECTIONS.get("requests" if head == "request" else head) if slash else _RESOURCES.get(head)
    if method is None:
        raise InvalidParametersError([_not_found(raw, _PATH_EXAMPLE)], format=fmt)
    verb = http_method.upper()
    verb = "GET" if verb == "HEAD" else verb
    if method is Method.SERVICE_REQUESTS and verb == "POST":
        method = Method.POST_SERVICE_REQUEST
    if verb != method.http_method:
        allowed = "GET or POST" if method is Method.SERVICE_REQUESTS else method.http_method
        problem = ParameterError("method", http_method, f"{allowed} for {raw}", status_hint=405)
        raise InvalidParametersError([problem], format=fmt)
    identifier: str | None = None
    if slash:
        name = method.identifier or "identifier"
        try:
            identifier = unquote(tail, errors="strict")
        except UnicodeDecodeError:
            problem = ParameterError(name, tail, "percent-encoded UTF-8 in the path")
            raise InvalidParametersError([problem], format=fmt) from None
        if not identifier:
            raise InvalidParametersError([ParameterError(name, tail, "given in the path")], format=fmt)
    return Route(method, fmt, identifier)


def _not_found(path: str, expected: str) -> ParameterError:
    return ParameterError("path", path, expected, status_hint=404)


def build_url(
    base_url: str,
    route: Route,
    query: Query | None = None,
    *,
    api_key: str | None = None,
    dialect: Dialect = STANDARD,
) -> str:
    """The exact URL of a call: the base URL joined to the route's path, then the query.

    The base URL may end in ``/`` or not (discovery lists it without); no
    double slash results. ``api_key`` is added to a GET's query only when
    ``dialect.api_key_on_get`` is set (a POST carries it in its body).

    Raises:
        ValidationError: ``base_url`` holds a query or a fragment.

    Examples:
        >>> build_url("https://api.city.gov/dev/v2/", Route(Method.SERVICE_LIST), Query(jurisdiction_id="city.gov"))
        'https://api.city.gov/dev/v2/services.xml?jurisdiction_id=city.gov'
    """
    parts = urlsplit(base_url)
    if parts.query or parts.fragment:
        raise ParameterError("base_url", base_url, "a URL without a query or fragment")
    if api_key and dialect.api_key_on_get and route.method.http_method == "GET":
        query = attrs.evolve(query or Query(), api_key=api_key)
    text = build_query(query, dialect=dialect) if query is not None else ""
    url = f"{base_url.rstrip('/')}/{route.path(dialect=dialect)}"
    return f"{url}?{text}" if text else url


# --- POST ---------------------------------------------------------------------------------------
_SUBMISSION_FIELDS = (
    "jurisdiction_id",
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
)
_TEXT_FIELDS = frozenset(_SUBMISSION_FIELDS) - {"lat", "long"}
_RESERVED = frozenset(_SUBMISSION_FIELDS) | {"api_key"}
_ATTRIBUTE = re.compile(r"attribute\[(?P<code>[^\]]*)\](?P<multi>\[\])?")
_MEDIA_NAMES = frozenset({"media", "media[]"})
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"


@attrs.frozen
class ParsedPost:
    """What a ``POST requests`` carried: the submission, the api_key, the files, and the values that did not fit.

    ``problems`` are values the model cannot hold (``lat=abc``, ``lat=95``,
    a field given twice with different values); the fields concerned are
    left out of ``submission``. ``Catalog.validate`` reports them with its own
    findings, so a client hears of everything at once.
    """

    submission: RequestSubmission
    api_key: str | None = None
    """As sent; checking it (403) is the server's business."""
    media: tuple[MediaPart, ...] = attrs.field(default=(), converter=to_tuple)
    problems: tuple[ParameterError, ...] = attrs.field(default=(), converter=to_tuple, eq=False)


def parse_post(  # noqa: PLR0913 - the limits are the point
    body: bytes,
    content_type: str | None,
    *,
    query: bytes | str = b"",
    max_size: int = MAX_BODY_SIZE,
    max_fields: int = MAX_FIELDS,
    max_parts: int = MAX_PARTS,
) -> ParsedPost:
    """Read the body of ``POST requests``: urlencoded, or multipart with media files.

    ``attribute[CODE]=v`` gives a string; ``attribute[CODE][]=v`` (any
    number of times) or ``attribute[CODE]=v`` repeated gives a tuple.
    Brackets may be percent-encoded. Parameters the standard does not name
    are kept in ``submission.extensions`` (a string, or a list when
    repeated). Parameters in ``query`` (the URL's query string) are read with
    the body's, as servers that take the api_key in the URL do. Empty values
    are absent ones. A multipart part is a file when it has a filename or
    is named ``media``/``media[]``; an empty file input (no filename, no bytes)
    is skipped.

    Args:
        body: the request body, read (at most ``max_size`` bytes) by the caller.
        content_type: the ``Content-Type`` header; None is read as urlencoded.
        query: the URL's query string, if any.
        max_size: refuse a larger body (413).
        max_fields: refuse more urlencoded parameters (413).
        max_parts: refuse more multipart parts (413).

    Returns:
        A ``ParsedPost``; values the model cannot hold are in its ``problems``.

    Raises:
        InvalidParametersError: the body cannot be read (400, 413, 415), or
            it names no ``service_code`` (400); every problem found is listed.
            Anything else is a bug.

    Examples:
        >>> post = parse_post(b"api_key=k&service_code=001&lat=north&long=10&attribute%5BKIND%5D%5B%5D=a", None)
        >>> post.api_key, post.submission.attributes, post.submission.lat
        ('k', {'KIND': ('a',)}, None)
        >>> [problem.error.description for problem in post.problems]
        ["'lat' must be a number in decimal degrees (got 'north')"]
    """
    pairs, media = _read_body(body, content_type, query, max_size, max_fields, max_parts)
    fields: dict[str, str] = {}
    answers: dict[str, tuple[list[str], bool]] = {}
    extensions: dict[str, list[str]] = {}
    problems: list[ParameterError] = []
    for name, value in pairs:
        if not value:
            continue  # §1.7: empty is absent
        if name in _RESERVED:
            first = fields.setdefault(name, value)
            if first != value:
                problems.append(ParameterError(name, value, f"given once (it was also given as {first!r})"))
        elif name.startswith("attribute["):
            match = _ATTRIBUTE.fullmatch(name)
            if match is None or not match["code"]:
                problems.append(ParameterError(name, value, "a key written attribute[CODE] or attribute[CODE][]"))
                continue
            values, multi = answers.get(match["code"], ([], False))
            values.append(value)
            answers[match["code"]] = (values, multi or bool(match["multi"]) or len(values) > 1)
        else:
            extensions.setdefault(name, []).append(value)
    if "service_code" not in fields:
        problems.insert(0, ParameterError("service_code", None, "given (it names the service)"))
        raise InvalidParametersError(problems)
    lat, long = _point(fields.get("lat"), fields.get("long"), problems)
    unknown: dict[str, JSONValue] = {
        name: values[0] if len(values) == 1 else list(values) for name, values in extensions.items()
    }
    submission = RequestSubmission(
        lat=lat,
        long=long,
        attributes={code: tuple(values) if multi else values[0] for code, (values, multi) in answers.items()},
        extensions=unknown,
        **{name: fields[name] for name in _TEXT_FIELDS if name in fields},
    )
    return ParsedPost(submission, fields.get("api_key"), media, problems)


def _read_body(  # noqa: PLR0913
    body: bytes,
    content_type: str | None,
    query: bytes | str,
    max_size: int,
    max_fields: int,
    max_parts: int,
) -> tuple[list[tuple[str, str]], list[MediaPart]]:
    if len(body) > max_size:
        problem = ParameterError("body", f"{len(body)} bytes", f"at most {max_size} bytes", status_hint=413)
        raise InvalidParametersError([problem])
    media_type, params = content_type_params(content_type or _FORM)
    if media_type not in (_FORM, _MULTIPART):
        problem = ParameterError("Content-Type", content_type, f"{_FORM} or {_MULTIPART}", status_hint=415)
        raise InvalidParametersError([problem])
    try:
        query = query[1:] if query[:1] in ("?", b"?") else query
        pairs = decode_pairs(query, max_fields=max_fields) if query else []
        if media_type == _MULTIPART:
            return _multipart(body, params.get("boundary"), pairs, max_parts)
        return pairs + decode_pairs(body, charset=params.get("charset", "utf-8"), max_fields=max_fields), []
    except FormSyntaxError as exc:
        raise InvalidParametersError([exc.problem]) from None


def _multipart(
    body: bytes, boundary: str | None, pairs: list[tuple[str, str]], max_parts: int
) -> tuple[list[tuple[str, str]], list[MediaPart]]:
    if not boundary:
        raise FormSyntaxError("Content-Type", _MULTIPART, "a multipart type with a boundary")
    media: list[MediaPart] = []
    for part in parse_multipart(body, boundary, max_parts=max_parts):
        if part.filename is not None or part.name in _MEDIA_NAMES:
            if part.filename or part.data:  # an empty file input sends neither
                media.append(part)
            continue
        charset = content_type_params(part.content_type)[1].get("charset", "utf-8")
        try:
            pairs.append((part.name, part.data.decode(charset)))
        except (UnicodeDecodeError, LookupError):
            raise FormSyntaxError(part.name, part.data[:40], f"text in {charset}") from None
    return pairs, media


def _point(
    lat_text: str | None, long_text: str | None, problems: list[ParameterError]
) -> tuple[float, float] | tuple[None, None]:
    """Both coordinates, or neither when either is missing or wrong (with the problem recorded)."""
    if lat_text is None and long_text is None:
        return None, None
    if lat_text is None or long_text is None:
        given, missing = ("lat", "long") if long_text is None else ("long", "lat")
        problems.append(ParameterError(missing, None, f"given together with {given!r}"))
        return None, None
    found = len(problems)
    lat, long = _degrees("lat", lat_text, problems), _degrees("long", long_text, problems)
    if lat is None or long is None:
        return None, None
    if not -90 <= lat <= 90:  # noqa: PLR2004
        if -90 <= long <= 90 and -180 <= lat <= 180:  # noqa: PLR2004
            description = f"'lat' and 'long' look swapped: lat must be between -90 and 90 (got lat={lat_text!r}, long={long_text!r})"
            problems.append(ParameterError("lat", lat_text, "between -90 and 90", description=description))
        else:
            problems.append(ParameterError("lat", lat_text, "a latitude between -90 and 90"))
    if not -180 <= long <= 180:  # noqa: PLR2004
        problems.append(ParameterError("long", long_text, "a longitude between -180 and 180"))
    if len(problems) > found:
        return None, None
    return lat, long


def _degrees(field: str, text: str, problems: list[ParameterError]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append(ParameterError(field, text, "a number in decimal degrees"))
        return None
    return value


# --- building POST bodies -----------------------------------------------------------------------
def _submission_pairs(submission: RequestSubmission, api_key: str | None, dialect: Dialect) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = [("api_key", api_key)] if api_key else []
    for name in _SUBMISSION_FIELDS:
        value: str | float | None = getattr(submission, name)
        if isinstance(value, float):
            pairs.append((name, format_float(value)))
        elif value:
            pairs.append((name, value))
    for code, answer in submission.attributes.items():
        if not code or "]" in code:
            raise ParameterError("attributes", code, "attribute codes that are non-empty and hold no ']'")
        if isinstance(answer, str):
            if answer:
                pairs.append((f"attribute[{code}]", answer))
            continue
        key = f"attribute[{code}][]" if dialect.multivalue_brackets else f"attribute[{code}]"
        pairs.extend((key, item) for item in answer if item)
    for name, extension in submission.extensions.items():
        pairs.extend((name, text) for text in _extension_texts(name, extension))
    return pairs


def _extension_texts(name: str, value: JSONValue) -> list[str]:
    if name in _RESERVED or name.startswith("attribute[") or not name:
        raise ParameterError("extensions", name, "names the standard does not use for a form field")
    items = value if isinstance(value, list) else [value]
    texts: list[str] = []
    for item in items:
        if isinstance(item, bool):
            texts.append("true" if item else "false")
        elif isinstance(item, int | float):
            texts.append(format_float(item) if isinstance(item, float) else str(item))
        elif isinstance(item, str):
            if item:
                texts.append(item)
        elif item is not None:
            raise ParameterError(f"extensions[{name!r}]", item, "text, a number, a boolean or a list of them")
    return texts


def build_form(submission: RequestSubmission, *, api_key: str | None = None, dialect: Dialect = STANDARD) -> bytes:
    """The ``application/x-www-form-urlencoded`` body of ``POST requests``, UTF-8.

    Fields come in the standard's example order; empty ones are left out;
    ``extensions`` are written as more parameters (a list as a repeated one).
    A tuple answer is written ``attribute[c][]=`` per key, or ``attribute[c]=``
    repeated when ``dialect.multivalue_brackets`` is off.

    Raises:
        ValidationError: an attribute code holding ``]``, or an extension a
            form cannot carry (a mapping, a standard field's name).

    Examples:
        >>> build_form(RequestSubmission("001", address_string="1 Main St", attributes={"K": ("a", "b")}), api_key="xyz")
        b'api_key=xyz&service_code=001&address_string=1+Main+St&attribute%5BK%5D%5B%5D=a&attribute%5BK%5D%5B%5D=b'
    """
    return encode_form(_submission_pairs(submission, api_key, dialect))


def build_multipart(
    submission: RequestSubmission,
    *,
    api_key: str | None = None,
    media: Sequence[MediaPart] = (),
    dialect: Dialect = STANDARD,
    boundary: str | None = None,
) -> tuple[bytes, str]:
    """The ``multipart/form-data`` body of ``POST requests`` with files, and its ``Content-Type``.

    The text fields are those of ``build_form``; each ``MediaPart`` follows.
    A random boundary is chosen unless one is given.

    Raises:
        ValidationError: as ``build_form``; or a part without a filename not
            named ``media``/``media[]`` (it would read back as a text field),
            a name with a line break, a given boundary found in the content.
    """
    for part in media:
        if part.filename is None and part.name not in _MEDIA_NAMES:
            raise ParameterError("media", part.name, "a filename, or the name 'media' or 'media[]'")
    return _multipart_body(_submission_pairs(submission, api_key, dialect), media, boundary=boundary)
