"""GeoReport v2 JSON: documents to models (``from_json``) and back (``to_json``).

JSON is the standard's Spark mapping of the XML: the root element is dropped,
lists become arrays (a single request is still an array of one), ids are
strings, ``lat``/``long``/``order`` numbers, ``metadata``/``variable``/
``required`` booleans, empty values ``null``.

Reading uses ``orjson`` when it is installed (the ``fast`` extra) and the
standard library otherwise. Neither keeps duplicate keys, so the reader
compares the keys it built with the keys in the text and, when they differ,
decodes again keeping every value: nothing a server sent is dropped silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import tzinfo
from typing import Any, Final

from georeport.errors import ParseError, UnknownDocumentError, UnsafeDocumentError, ValidationError
from georeport.models import (
    Discovery,
    Document,
    DocumentKind,
    ErrorList,
    ReceiptList,
    RecordList,
    ServiceDefinition,
    ServiceList,
    ServiceRequestList,
    TokenList,
)
from georeport.wire._common import gc_paused, kind_of_request_records
from georeport.wire._records import ERROR_DESCRIPTION_ALIASES, RecordBuilder, count_keys
from georeport.wire._repairs import Repairs
from georeport.wire._values import format_datetime

try:  # the ``fast`` extra
    import orjson
except ImportError:  # pragma: no cover - exercised where orjson is absent
    orjson = None  # type: ignore[assignment]

__all__ = ["from_json", "to_json"]

FORMAT: Final = "json"
_WRAPPERS: dict[str, DocumentKind | None] = {
    "records": None,
    "data": None,
    "results": None,
    "items": None,
    "service_requests": DocumentKind.REQUESTS,
    "requests": DocumentKind.REQUESTS,
    "request": DocumentKind.REQUESTS,
    "service_request": DocumentKind.REQUESTS,
    "services": DocumentKind.SERVICES,
    "service": DocumentKind.SERVICES,
    "errors": DocumentKind.ERRORS,
    "error": DocumentKind.ERRORS,
    "service_definition": DocumentKind.SERVICE_DEFINITION,
    "discovery": DocumentKind.DISCOVERY,
}
_CANONICAL_ROOTS = frozenset(("service_requests", "services", "errors"))
_SERVICE_ONLY = frozenset(("metadata", "type", "keywords", "group", "groups"))
_REQUEST_ONLY = frozenset(("service_request_id", "status", "requested_datetime", "token", "lat", "long"))
_ERROR_KEYS = frozenset(("code", "description", *ERROR_DESCRIPTION_ALIASES))
_DISCOVERY_KEYS = frozenset(("endpoints", "changeset", "contact", "key_service"))
_BAD_NUMBER = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])(-?0\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.])')
_JSONP = re.compile(r"\A\s*(?:/\*\*/)?\s*[A-Za-z_$][\w$.]*\s*\((.*)\)\s*;?\s*\Z", re.DOTALL)


def _reject_constant(name: str) -> None:
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


def _fast_loads(data: bytes) -> Any:
    if orjson is not None:
        return orjson.loads(data)
    return json.loads(data, parse_constant=_reject_constant)


def _keys_in_text(data: bytes) -> int:
    """How many object keys the text shows: quotes followed by a colon, directly or after one space.

    Compared with the keys decoded, a shortfall means duplicate keys (or text
    inside strings that looks like a key's end), and the document is decoded
    again keeping every value. Keys written with other white space before the
    colon (no serializer does this) make the text count lower, which also
    sends the document down the exact path; only a document that has such keys
    and exactly as many duplicate keys could slip through, and none has been seen.
    """
    return data.count(b'":') + data.count(b'" :')


def _decode_error(error: json.JSONDecodeError, *, what: str = "not valid JSON") -> ParseError:
    return ParseError(f"{what}: {error.msg}", format=FORMAT, line=error.lineno, column=error.colno)


def _repair_numbers(text: str) -> tuple[str, int]:
    """Quote number literals with leading zeros (``"service_code":006``, the spec's own examples)."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        number = match.group(1)
        if number is None:
            return match.group(0)
        count += 1
        return f'"{number}"'

    return _BAD_NUMBER.sub(replace, text), count


def decode(data: bytes, repairs: Repairs, *, exact: bool) -> Any:
    """Decode JSON text; lenient mode repairs JSONP, leading-zero numbers and non-UTF-8 text.

    ``exact`` decodes with a hook that keeps the first non-empty value of a
    duplicated key (and reports it) instead of the last.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not exact:
        try:
            return _fast_loads(data)
        except (json.JSONDecodeError, ValueError, TypeError, RecursionError):
            pass  # fall through to the exact, repairing path for a precise error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if repairs.strict:
            msg = f"not UTF-8 at byte {error.start}"
            raise ParseError(msg, format=FORMAT) from None
        repairs.repair(
            "not-utf8",
            "document",
            "text not in UTF-8, read as Windows-1252",
            path="$",
            example=data[error.start : error.start + 8],
        )
        text = data.decode("cp1252", errors="replace")
    hook = _pairs_hook(repairs)
    finite = _finite_float(repairs)
    try:
        return json.loads(text, object_pairs_hook=hook, parse_constant=_reject_constant, parse_float=finite)
    except RecursionError:
        msg = "JSON nested too deeply"
        raise UnsafeDocumentError(msg, format=FORMAT) from None
    except json.JSONDecodeError as error:
        if repairs.strict:
            raise _decode_error(error) from None
        first_error = error
    except ValueError as error:
        raise ParseError(str(error), format=FORMAT) from None
    if first_error.msg == "Extra data":
        pages = _concatenated(text, hook, finite)
        if pages is not None:
            repairs.repair(
                "concatenated-documents",
                "document",
                f"{len(pages)} JSON documents one after another, read as one list",
                path="$",
                example=len(pages),
            )
            return [item for page in pages for item in (page if isinstance(page, list) else [page])]
    candidate = text
    jsonp = _JSONP.match(candidate)
    if jsonp:
        repairs.repair("jsonp", "document", "a JSONP callback wrapper removed", path="$", example=candidate[:20])
        candidate = jsonp.group(1)
    candidate, repaired = _repair_numbers(candidate)
    if repaired:
        repairs.repair(
            "number-leading-zeros",
            "document",
            "number literals with leading zeros (invalid JSON) read as strings",
            path="$",
            example=repaired,
        )
    if candidate is text:
        raise _decode_error(first_error) from None
    try:
        return json.loads(candidate, object_pairs_hook=hook, parse_constant=_reject_constant, parse_float=finite)
    except json.JSONDecodeError:
        raise _decode_error(first_error) from None


def _concatenated(
    text: str,
    hook: Callable[[list[tuple[str, Any]]], dict[str, Any]],
    finite: Callable[[str], float | str],
) -> list[Any] | None:
    """Documents written one after another (pages a harvester appended), or None."""
    decoder = json.JSONDecoder(object_pairs_hook=hook, parse_float=finite, parse_constant=_reject_constant)
    pages: list[Any] = []
    position = 0
    size = len(text)
    while True:
        while position < size and text[position] in " \t\r\n":
            position += 1
        if position >= size:
            return pages
        try:
            page, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return None
        pages.append(page)


def _finite_float(repairs: Repairs) -> Callable[[str], float | str]:
    """A ``parse_float`` that keeps a number too large for a float as its text (and reports it)."""

    def parse(text: str) -> float | str:
        number = float(text)
        if number in (_INFINITY, -_INFINITY):
            repairs.repair(
                "number-overflow",
                "document",
                "a number too large for a float, kept as its text",
                path=None,
                example=text,
            )
            return text
        return number

    return parse


_INFINITY = float("inf")


def _same_json(left: object, right: object) -> bool:
    """Equal as JSON values (``true`` is not ``1``, ``[1]`` is not ``[true]``)."""
    return json.dumps(left) == json.dumps(right)


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value in {"", "null"})


def _pairs_hook(repairs: Repairs) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """An ``object_pairs_hook`` that loses no duplicated key's value.

    An empty duplicate (null, "", "null") gives way to a non-empty one; two
    different non-empty values are both kept, as a list in arrival order.
    """

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        result = {}
        repeated: set[str] = set()
        for key, value in pairs:
            if key not in result:
                result[key] = value
                continue
            kept = result[key]
            if _empty(value) or _same_json(value, kept):
                detail = "a key given twice in one object; the empty or equal repeat dropped"
            elif _empty(kept):
                result[key] = value
                detail = "a key given twice in one object; the empty first value replaced"
            else:
                if key in repeated:
                    kept.append(value)
                else:
                    result[key] = [kept, value]
                    repeated.add(key)
                detail = "a key given twice in one object; every value kept, as a list"
            repairs.repair("duplicate-key", key, detail, path=None, example=value)
        return result

    return hook


def _unwrap(value: Any, repairs: Repairs) -> tuple[Any, DocumentKind | None, dict[str, Any]]:
    """Take a document out of a root key or vendor wrapper object; return what else it held."""
    if not isinstance(value, dict):
        return value, None, {}
    if not value:
        msg = "an empty JSON object is no GeoReport document"
        raise UnknownDocumentError(msg)
    if len(value) == 1:
        (key,) = value
        if key in _WRAPPERS and isinstance(value[key], list | dict):
            detail = f"the document inside a {key!r} root key (Parker style)"
            repairs.repair("root-wrapper", "document", detail, path="$", example=key)
            return value[key], _WRAPPERS[key], {}
    canonical = [key for key in _CANONICAL_ROOTS if isinstance(value.get(key), list)]
    if len(canonical) == 1:  # georeport's own carrier of root extensions: no repair
        key = canonical[0]
        return value[key], _WRAPPERS[key], {name: item for name, item in value.items() if name != key}
    lists = [key for key, item in value.items() if isinstance(item, list) and key in _WRAPPERS]
    if len(lists) == 1 and not (_DISCOVERY_KEYS & value.keys()) and "attributes" not in value:
        key = lists[0]
        detail = f"the list inside a wrapper object's {key!r}"
        repairs.repair("vendor-wrapper", "document", detail, path="$", example=key)
        rest = {name: item for name, item in value.items() if name != key}
        return value[key], _WRAPPERS[key], rest
    return value, None, {}


def _kind_of(value: Any) -> DocumentKind:
    """Tell the document's kind from its shape."""
    if isinstance(value, dict):
        keys = value.keys()
        if _DISCOVERY_KEYS & keys and not (_REQUEST_ONLY & keys):
            return DocumentKind.DISCOVERY
        if ("attributes" in keys or "attribute" in keys) and not (_REQUEST_ONLY & keys):
            return DocumentKind.SERVICE_DEFINITION
        if keys and _ERROR_KEYS.issuperset(keys):
            return DocumentKind.ERRORS
        if _SERVICE_ONLY & keys and not (_REQUEST_ONLY & keys):
            return DocumentKind.SERVICES
        return kind_of_request_records([value])
    if isinstance(value, list):
        head = next((item for item in value if isinstance(item, dict)), None)
        if head is None:
            return DocumentKind.REQUESTS
        first = head.keys()
        if "attributes" in first and _SERVICE_ONLY.isdisjoint(first) and _REQUEST_ONLY.isdisjoint(first):
            return DocumentKind.SERVICE_DEFINITION
        if first and _ERROR_KEYS.issuperset(first):
            return DocumentKind.ERRORS
        if _SERVICE_ONLY & first and not (_REQUEST_ONLY & first):
            return DocumentKind.SERVICES
        return kind_of_request_records(item for item in value if isinstance(item, dict))
    msg = f"a JSON {type(value).__name__} is not a GeoReport document"
    raise UnknownDocumentError(msg)


def from_json(
    data: bytes | str,
    *,
    kind: DocumentKind | str | None = None,
    strict: bool = False,
    default_timezone: tzinfo | None = None,
    emit_warnings: bool = True,
) -> Document:
    """Read a GeoReport v2 JSON document into its model.

    Args:
        data: the document, as bytes or str.
        kind: what the document holds; told from its shape when None.
        strict: refuse every departure from the standard, all reported at once.
        default_timezone: the zone of datetimes sent without one (UTC if None).
        emit_warnings: also issue the lenient repairs as Python warnings.

    Returns:
        The document model, with ``warnings`` listing the repairs made.

    Raises:
        ParseError: the text is not a GeoReport document (``InvalidDocumentError``
            listing every problem in strict mode). Anything else raised is a bug.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    wanted = DocumentKind(kind) if kind is not None else None
    document = _read(raw, wanted, strict=strict, default_timezone=default_timezone, exact=False, emit=emit_warnings)
    if document is None:  # duplicate keys were found: read again, keeping every value
        document = _read(raw, wanted, strict=strict, default_timezone=default_timezone, exact=True, emit=emit_warnings)
    assert document is not None  # noqa: S101 - the exact path always answers
    return document


def _read(  # noqa: PLR0913 - one branch per document kind
    raw: bytes,
    wanted: DocumentKind | None,
    *,
    strict: bool,
    default_timezone: tzinfo | None,
    exact: bool,
    emit: bool,
) -> Document | None:
    repairs = Repairs(strict=strict, format=FORMAT)
    value = decode(raw, repairs, exact=exact)
    top_keys = len(value) if isinstance(value, dict) else 0
    value, wrapped_kind, root_extensions = _unwrap(value, repairs)
    kind = wanted or (_kind_of(value) if wrapped_kind in (DocumentKind.REQUESTS, None) else wrapped_kind)
    builder = RecordBuilder(repairs, textual=False, default_timezone=default_timezone)
    if kind in (DocumentKind.SERVICE_DEFINITION, DocumentKind.DISCOVERY):
        if not exact:
            return None  # small documents: always decoded keeping duplicates
        if isinstance(value, list):
            if len(value) != 1 or not isinstance(value[0], dict):
                msg = f"an array of {len(value)} {kind.value} documents: load them one at a time"
                raise UnknownDocumentError(msg)
            repairs.repair(
                "object-in-list",
                "document",
                f"the {kind.value} object inside an array of one",
                path="$",
                example="[...]",
            )
            value = value[0]
        if not isinstance(value, dict):
            msg = f"a {kind.value} document must be an object"
            raise ParseError(msg, format=FORMAT, path="$")
        if kind is DocumentKind.SERVICE_DEFINITION:
            found = builder.definition(value)
            return ServiceDefinition(
                found.service_code, found.attributes, found.extensions, repairs.finish(emit=emit, stacklevel=4)
            )
        found_discovery = builder.discovery(value)
        return Discovery(
            found_discovery.changeset,
            found_discovery.contact,
            found_discovery.key_service,
            found_discovery.endpoints,
            found_discovery.extensions,
            repairs.finish(emit=emit, stacklevel=4),
        )
    if isinstance(value, dict):
        repairs.repair(
            "lone-object",
            "document",
            "one object where a list belongs, read as a list of one",
            path="$",
            example="{...}",
        )
        records: list[Any] = [value]
    elif isinstance(value, list):
        records = value
    else:
        msg = f"a JSON {type(value).__name__} is not a GeoReport document"
        raise ParseError(msg, format=FORMAT, path="$")
    if kind is DocumentKind.REQUESTS:
        with gc_paused():
            items: tuple[Any, ...] = tuple(builder.service_requests(records))
    else:
        method = {
            DocumentKind.SERVICES: builder.service,
            DocumentKind.RECEIPTS: builder.receipt,
            DocumentKind.TOKENS: builder.token,
            DocumentKind.ERRORS: builder.error,
        }[kind]
        items = tuple(method(record, index) for index, record in enumerate(records))
    if not exact:
        expected = builder.keys_seen + top_keys + count_keys(root_extensions) - len(root_extensions)
        if _keys_in_text(raw) != expected:
            return None
    container: type[RecordList[Any]] = {  # type: ignore[assignment]
        DocumentKind.REQUESTS: ServiceRequestList,
        DocumentKind.SERVICES: ServiceList,
        DocumentKind.RECEIPTS: ReceiptList,
        DocumentKind.TOKENS: TokenList,
        DocumentKind.ERRORS: ErrorList,
    }[kind]
    return container(items, root_extensions, repairs.finish(emit=emit, stacklevel=4))  # type: ignore[return-value]


# --- writing ---------------------------------------------------------------------------
def _dt(value: Any) -> str | None:
    return None if value is None else format_datetime(value)


def plain(document: Document) -> Any:
    """The document as plain JSON values (dicts, lists, str, numbers, bools, None)."""
    if isinstance(document, ServiceRequestList):
        body: Any = [
            {
                "service_request_id": r.service_request_id,
                "status": r.status.value if r.status is not None else None,
                "status_notes": r.status_notes,
                "service_name": r.service_name,
                "service_code": r.service_code,
                "description": r.description,
                "agency_responsible": r.agency_responsible,
                "service_notice": r.service_notice,
                "requested_datetime": _dt(r.requested_datetime),
                "updated_datetime": _dt(r.updated_datetime),
                "expected_datetime": _dt(r.expected_datetime),
                "address": r.address,
                "address_id": r.address_id,
                "zipcode": r.zipcode,
                "lat": r.lat,
                "long": r.long,
                "media_url": r.media_url,
                **r.extensions,
            }
            for r in document.items
        ]
    elif isinstance(document, ServiceList):
        body = [
            {
                "service_code": s.service_code,
                "service_name": s.service_name,
                "description": s.description,
                "metadata": s.metadata,
                "type": s.type.value if s.type is not None else None,
                "keywords": s.keywords,
                "group": s.group,
                **s.extensions,
            }
            for s in document.items
        ]
    elif isinstance(document, ReceiptList | TokenList):
        names: tuple[str, ...] = ("service_request_id", "token", "service_notice", "account_id")
        if isinstance(document, TokenList):
            names = names[:2]
        body = [
            {
                **{name: getattr(receipt, name) for name in names if getattr(receipt, name) is not None},
                **receipt.extensions,
            }
            for receipt in document.items
        ]
    elif isinstance(document, ErrorList):
        body = [{"code": e.code, "description": e.description, **e.extensions} for e in document.items]
    elif isinstance(document, ServiceDefinition):
        return {
            "service_code": document.service_code,
            "attributes": [
                {
                    "variable": a.variable,
                    "code": a.code,
                    "datatype": a.datatype.value,
                    "required": a.required,
                    "datatype_description": a.datatype_description,
                    "order": a.order,
                    "description": a.description,
                    **(
                        {"values": [{"key": v.key, "name": v.name, **v.extensions} for v in a.values]}
                        if a.values or a.datatype.is_list
                        else {}
                    ),
                    **a.extensions,
                }
                for a in document.attributes
            ],
            **document.extensions,
        }
    elif isinstance(document, Discovery):
        return {
            "changeset": document.changeset,
            "contact": document.contact,
            "key_service": document.key_service,
            "endpoints": [
                {
                    "specification": e.specification,
                    "url": e.url,
                    "changeset": e.changeset,
                    "type": e.type.value if e.type is not None else None,
                    "formats": list(e.formats),
                    **e.extensions,
                }
                for e in document.endpoints
            ],
            **document.extensions,
        }
    else:
        msg = f"not a GeoReport document: {type(document).__name__}"
        raise TypeError(msg)
    if document.extensions:
        # The standard's shape is a bare array; root extensions need the wrapper
        # object that lenient readers (ours among them) unwrap.
        root = "service_requests" if document.kind.value in ("requests", "receipts", "tokens") else document.kind.value
        return {root: body, **document.extensions}
    return body


def to_json(document: Document) -> bytes:
    """Write a document as the standard's JSON (UTF-8 bytes, compact).

    Raises:
        ValidationError: a value JSON cannot carry (NaN, a lone surrogate).
    """
    body = plain(document)
    if orjson is not None:
        try:
            return orjson.dumps(body)
        except orjson.JSONEncodeError as error:
            raise ValidationError("document", str(error), "JSON-encodable text and numbers") from None
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (ValueError, UnicodeEncodeError) as error:
        raise ValidationError("document", str(error), "JSON-encodable text and numbers") from None
