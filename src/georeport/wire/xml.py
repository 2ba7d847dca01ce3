"""GeoReport v2 XML: documents to models (``from_xml``) and back (``to_xml``).

Reading never resolves entities, loads a DTD or touches the network: a
document with a DOCTYPE is refused (GeoReport XML has none), and libxml2's
limits refuse oversized text nodes. Element names are the standard's; the
optional default namespace ``http://wiki.open311.org/GeoReport_v2`` (or any
other) is accepted and never written.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import IO, Any, Final

from lxml import etree

from georeport.errors import ParseError, UnknownDocumentError, UnsafeDocumentError
from georeport.models import (
    Discovery,
    Document,
    DocumentKind,
    ErrorList,
    ReceiptList,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    TokenList,
)
from georeport.wire._common import PrefixedReader, gc_paused, kind_of_request_records, read_head
from georeport.wire._records import ERROR_FIELDS, RECEIPT_FIELDS, REQUEST_FIELDS, SERVICE_FIELDS, RecordBuilder
from georeport.wire._repairs import Repairs
from georeport.wire._tree import ElementList, child_key, element_value, escape_text, local_name, write_value
from georeport.wire._values import format_datetime, format_float

__all__ = ["from_xml", "iter_xml_requests", "to_xml"]

FORMAT: Final = "xml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_REQUEST_KEYS = frozenset(REQUEST_FIELDS)
_REPLY_KEYS = frozenset(RECEIPT_FIELDS)
_KNOWN = {
    DocumentKind.SERVICES: frozenset(SERVICE_FIELDS),
    DocumentKind.ERRORS: frozenset(ERROR_FIELDS),
    DocumentKind.SERVICE_DEFINITION: frozenset(("service_code",)),
    DocumentKind.DISCOVERY: frozenset(("changeset", "contact", "key_service")),
}
_ROOT_KINDS: dict[str, DocumentKind | None] = {
    "services": DocumentKind.SERVICES,
    "service_definition": DocumentKind.SERVICE_DEFINITION,
    "service_requests": None,  # requests, a POST reply or a token reply: told by shape
    "requests": None,  # FixMyStreet's and 6aika's root (georeport-v2.md §9 S2)
    "errors": DocumentKind.ERRORS,
    "error_messages": DocumentKind.ERRORS,  # Klarschiff (Rails)
    "error": DocumentKind.ERRORS,
    "discovery": DocumentKind.DISCOVERY,
    "dicovery": DocumentKind.DISCOVERY,  # Klarschiff's documented typo
}
_ROOT_NAMES = {
    DocumentKind.SERVICES: "services",
    DocumentKind.SERVICE_DEFINITION: "service_definition",
    DocumentKind.REQUESTS: "service_requests",
    DocumentKind.RECEIPTS: "service_requests",
    DocumentKind.TOKENS: "service_requests",
    DocumentKind.ERRORS: "errors",
    DocumentKind.DISCOVERY: "discovery",
}
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_local = threading.local()


def _line(element: etree._Element) -> int | None:
    """The line an element starts on (lxml's stubs type it loosely)."""
    line: int | None = element.sourceline  # type: ignore[assignment]
    return line


def _parser() -> etree.XMLParser:
    """A parser per thread (lxml parsers must not be shared between threads)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


# --- safety ----------------------------------------------------------------------------
def check_prolog(head: bytes) -> str | None:
    """Refuse a DOCTYPE before the root element; return the root's name if seen.

    Raises:
        UnsafeDocumentError: the prolog declares a document type.
    """
    position = 0
    size = len(head)
    if head.startswith(b"\xef\xbb\xbf"):
        position = 3
    while position < size:
        while position < size and head[position] in b" \t\r\n":
            position += 1
        if head.startswith(b"<?", position):
            end = head.find(b"?>", position)
            if end < 0:
                return None
            position = end + 2
        elif head.startswith(b"<!--", position):
            end = head.find(b"-->", position)
            if end < 0:
                return None
            position = end + 3
        elif head.startswith(b"<!", position):
            msg = "a DOCTYPE (or other declaration) before the root: GeoReport XML has none, and DTDs and entities are refused"
            raise UnsafeDocumentError(msg, format=FORMAT, line=head.count(b"\n", 0, position) + 1)
        elif head.startswith(b"<", position):
            match = re.match(rb"<\s*([^\s/>]+)", head[position : position + 256])
            return local_name(match.group(1).decode("utf-8", "replace")) if match else None
        else:
            return None
    return None


def _syntax_error(error: etree.XMLSyntaxError | etree.ParseError) -> ParseError:
    message = re.sub(r", line \d+, column \d+$", "", str(getattr(error, "msg", None) or error))
    line = getattr(error, "lineno", None)
    position = getattr(error, "position", None)
    column = position[1] if position else None  # 1-based, unlike ``offset``
    lowered = message.lower()
    if "huge" in lowered or "excessive" in lowered or "exceeds" in lowered or "amplification" in lowered:
        return UnsafeDocumentError(f"refused: {message}", format=FORMAT, line=line, column=column)
    return ParseError(f"not well-formed XML: {message}", format=FORMAT, line=line, column=column)


def _parse(data: bytes, repairs: Repairs) -> etree._Element:
    """Parse a whole document safely, with the lenient repairs of the prolog and controls."""
    stripped = data.lstrip(b" \t\r\n")
    if stripped is not data and stripped.startswith(b"<?xml") and len(stripped) != len(data):
        repairs.repair(
            "whitespace-before-declaration",
            "document",
            "whitespace before the XML declaration removed",
            path="$",
            example=data[:8],
        )
        data = stripped
    check_prolog(data[:65536])
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        text = str(error).lower()
        if "char" in text and _CONTROL.search(data) and not repairs.strict:
            repairs.repair(
                "control-characters", "document", "control characters XML forbids were removed", path="$", example=None
            )
            try:
                root = etree.fromstring(_CONTROL.sub(b"", data), _parser())
            except etree.XMLSyntaxError as again:
                raise _syntax_error(again) from None
        else:
            raise _syntax_error(error) from None
    if getattr(root.getroottree().docinfo, "doctype", None):
        msg = "a DOCTYPE is refused"
        raise UnsafeDocumentError(msg, format=FORMAT)
    return root


# --- the clean fast path ---------------------------------------------------------------
# A requests document in the standard's own shape (every record the 17 fields in
# their order, as plain text, no namespace, attribute, comment or character
# reference) is read with one regular expression per record instead of a tree.
# Anything else, and any record that needs a repair, goes down the lxml path.
_SPACE = "[ \t\n]*"
_CHARS = "[^<\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]{1,1000000}+"  # XML 1.0 text; longer ones go to libxml2
_REFERENCES = ("&lt;", "&gt;", "&amp;", "&quot;", "&apos;")


@functools.cache
def _clean_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The prolog, record and end patterns, compiled on first use (not at import: ~10 ms)."""
    head = re.compile(
        "<\\?xml[ \t\n]+version=([\"'])1\\.0\\1(?:[ \t\n]+encoding=([\"'])(?i:utf-8)\\2)?"
        f"(?:[ \t\n]+standalone=([\"'])(?:yes|no)\\3)?{_SPACE}\\?>{_SPACE}<service_requests>"
        "|<service_requests>"
    )
    request = re.compile(
        f"{_SPACE}<request>"
        + "".join(f"{_SPACE}<{name}(?:{_SPACE}/>|>({_CHARS})?</{name}{_SPACE}>)" for name in REQUEST_FIELDS)
        + f"{_SPACE}</request>"
    )
    return head, request, re.compile(f"{_SPACE}</service_requests>{_SPACE}")


def _unescape(text: str) -> str:
    """The five predefined entity references replaced, as libxml2 does."""
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _clean_requests(
    data: bytes, *, strict: bool, default_timezone: tzinfo | None, emit: bool
) -> ServiceRequestList | None:
    """The requests of a document in the standard's plain shape, or None to take the lxml path.

    None also when any record needs a repair (or, in strict mode, is refused):
    the lxml path then reads the whole document again and reports it with lines.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head_pattern, request_pattern, tail_pattern = _clean_patterns()
    head = head_pattern.match(text)
    if head is None or "\r" in text or "]]>" in text:
        return None
    ampersands = text.count("&")
    if ampersands and ampersands != sum(text.count(reference) for reference in _REFERENCES):
        return None  # a character reference, or an ampersand libxml2 refuses
    escaped = ampersands > 0
    repairs = Repairs(strict=strict, format=FORMAT)
    builder = RecordBuilder(repairs, textual=True, default_timezone=default_timezone)
    build = builder.request_row
    match = request_pattern.match
    find = text.find
    position = head.end()
    requests: list[ServiceRequest] = []
    append = requests.append
    with gc_paused():
        while (found := match(text, position)) is not None:
            row = found.groups()
            end = found.end()
            if escaped and find("&", position, end) >= 0:
                row = tuple(_unescape(value) if value is not None and "&" in value else value for value in row)
            append(build(row, {}, len(requests), None))
            position = end
    if not requests or tail_pattern.fullmatch(text, position) is None or repairs.problems or repairs.warnings:
        return None
    return ServiceRequestList(tuple(requests), {}, repairs.finish(emit=emit))


# --- reading ---------------------------------------------------------------------------
def element_fields(element: etree._Element, known: frozenset[str] = _REQUEST_KEYS) -> dict[str, Any]:
    """An element's children as a dict: the ``known`` fields' leaves as raw text, the rest as trees."""
    fields: dict[str, Any] = {}
    for child in element:  # the common case: standard leaves, each once, no namespace
        key = child.tag
        if key not in known or key in fields or len(child):
            return _element_fields(element, known)
        fields[key] = child.text
    return fields


def _element_fields(element: etree._Element, known: frozenset[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for child in element:
        key = child.tag
        if not isinstance(key, str):
            continue
        if key[0] == "{":
            key = local_name(key)
        if len(child) or key not in known:
            if key == "_":
                key = child_key(child)
            value = element_value(child)
        else:
            value = child.text
        if key in fields:
            existing = fields[key]
            if isinstance(existing, ElementList) and existing.item_tag is None:
                existing.append(value)
            else:
                fields[key] = ElementList([existing, value], None)
        else:
            fields[key] = value
    return fields


def from_xml(
    data: bytes | str,
    *,
    kind: DocumentKind | str | None = None,
    strict: bool = False,
    default_timezone: tzinfo | None = None,
    emit_warnings: bool = True,
) -> Document:
    """Read a GeoReport v2 XML document into its model.

    Args:
        data: the document (bytes; a ``str`` is taken as already decoded).
        kind: what the document holds; told from the root (and, for
            ``<service_requests>``, from the records' fields) when None.
        strict: refuse every departure from the standard, all reported at once.
        default_timezone: the zone of datetimes sent without one (UTC if None).
        emit_warnings: also issue the lenient repairs as Python warnings.

    Returns:
        The document: a ``ServiceList``, ``ServiceDefinition``,
        ``ServiceRequestList``, ``ReceiptList``, ``TokenList``, ``ErrorList``
        or ``Discovery``, with ``warnings`` listing the repairs made.

    Raises:
        ParseError: the bytes are not a GeoReport document (an
            ``InvalidDocumentError`` listing every problem in strict mode; an
            ``UnsafeDocumentError`` for DTDs, entities and oversized nodes).
            Anything else raised is a bug.
    """
    repairs = Repairs(strict=strict, format=FORMAT)
    emit = emit_warnings
    if isinstance(data, str):
        data = re.sub(r"^\s*<\?xml[^>]*\?>", "", data, count=1).encode("utf-8")
    data = bytes(data)
    if kind is None or DocumentKind(kind) is DocumentKind.REQUESTS:
        clean = _clean_requests(data, strict=strict, default_timezone=default_timezone, emit=emit)
        if clean is not None:
            return clean
    root = _parse(data, repairs)
    root_name = local_name(root.tag)
    wanted = DocumentKind(kind) if kind is not None else None
    if root_name not in _ROOT_KINDS:
        msg = f"<{root_name}> is not the root of any GeoReport v2 document"
        raise UnknownDocumentError(msg)
    if root_name in ("requests", "error_messages", "dicovery", "error"):
        repairs.repair(
            "root-alias",
            "document",
            f"root <{root_name}> read as <{_ROOT_NAMES[_ROOT_KINDS[root_name] or DocumentKind.REQUESTS]}>",
            path="$",
            example=root_name,
            line=_line(root),
        )
    builder = RecordBuilder(repairs, textual=True, default_timezone=default_timezone)
    found = _ROOT_KINDS[root_name]
    if found is DocumentKind.SERVICE_DEFINITION or wanted is DocumentKind.SERVICE_DEFINITION:
        return _definition(root, builder, repairs, emit=emit)
    if found is DocumentKind.DISCOVERY or wanted is DocumentKind.DISCOVERY:
        return _discovery(root, builder, repairs, emit=emit)
    if found is DocumentKind.ERRORS and root_name == "error":
        value = element_fields(root, _KNOWN[DocumentKind.ERRORS]) if len(root) else (root.text or "")
        error = builder.error(value, 0, _line(root))
        return ErrorList((error,), {}, repairs.finish(emit=emit))
    record_tag = {DocumentKind.SERVICES: "service", DocumentKind.ERRORS: "error"}.get(found, "request")  # type: ignore[arg-type]
    known = _KNOWN.get(found, _REQUEST_KEYS)  # type: ignore[arg-type]
    any_child_is_a_record = root_name == "error_messages"  # Klarschiff names its children freely
    rows: list[tuple[dict[str, Any], int | None]] = []
    records: list[etree._Element] = []
    extensions: dict[str, Any] = {}
    for element in root:
        name = local_name(element.tag)
        if name != record_tag and not any_child_is_a_record:
            extensions[child_key(element)] = element_value(element)
            continue
        if len(element) == 0 and found is DocumentKind.ERRORS:
            rows.append(({"description": element.text}, _line(element)))
            continue
        rows.append((element_fields(element, known), _line(element)))
        records.append(element)
    kind_found = wanted or found or kind_of_request_records(row for row, _ in rows)
    if kind_found in (DocumentKind.RECEIPTS, DocumentKind.TOKENS):
        # Read again with the reply's own fields: an extension named like a request
        # field (say "lat") keeps its type hint. Replies are a record or two.
        rows = [(element_fields(element, _REPLY_KEYS), _line(element)) for element in records]
    return _build_list(kind_found, rows, extensions, builder, repairs, emit=emit)


def _build_rows(build: Any, rows: list[tuple[dict[str, Any], int | None]]) -> tuple[Any, ...]:
    with gc_paused():
        return tuple([build(row, index, line) for index, (row, line) in enumerate(rows)])


def _build_list(  # noqa: PLR0913 - the document's parts and how to report
    kind: DocumentKind,
    rows: list[tuple[dict[str, Any], int | None]],
    extensions: dict[str, Any],
    builder: RecordBuilder,
    repairs: Repairs,
    *,
    emit: bool,
) -> Document:
    if kind is DocumentKind.REQUESTS:
        build = builder.service_request
        requests = _build_rows(build, rows)
        return ServiceRequestList(requests, extensions, repairs.finish(emit=emit))
    if kind is DocumentKind.SERVICES:
        services = tuple(builder.service(row, index, line) for index, (row, line) in enumerate(rows))
        return ServiceList(services, extensions, repairs.finish(emit=emit))
    if kind is DocumentKind.RECEIPTS:
        receipts = tuple(builder.receipt(row, index, line) for index, (row, line) in enumerate(rows))
        return ReceiptList(receipts, extensions, repairs.finish(emit=emit))
    if kind is DocumentKind.TOKENS:
        tokens = tuple(builder.token(row, index, line) for index, (row, line) in enumerate(rows))
        return TokenList(tokens, extensions, repairs.finish(emit=emit))
    if kind is DocumentKind.ERRORS:
        errors = tuple(builder.error(row, index, line) for index, (row, line) in enumerate(rows))
        return ErrorList(errors, extensions, repairs.finish(emit=emit))
    msg = f"a list of records cannot be read as {kind.value}"
    raise UnknownDocumentError(msg)


def _definition(root: etree._Element, builder: RecordBuilder, repairs: Repairs, *, emit: bool) -> ServiceDefinition:
    fields = element_fields(root, _KNOWN[DocumentKind.SERVICE_DEFINITION])
    lines = [_line(element) for element in root.iter("{*}attribute")]
    definition = builder.definition(fields, line=_line(root), item_lines=lines)
    return ServiceDefinition(
        definition.service_code, definition.attributes, definition.extensions, repairs.finish(emit=emit)
    )


def _discovery(root: etree._Element, builder: RecordBuilder, repairs: Repairs, *, emit: bool) -> Discovery:
    fields = element_fields(root, _KNOWN[DocumentKind.DISCOVERY])
    lines = [_line(element) for element in root.iter("{*}endpoint")]
    found = builder.discovery(fields, line=_line(root), item_lines=lines)
    return Discovery(
        found.changeset, found.contact, found.key_service, found.endpoints, found.extensions, repairs.finish(emit=emit)
    )


# --- streaming -------------------------------------------------------------------------
def iter_xml_requests(stream: IO[bytes], builder: RecordBuilder) -> Iterator[ServiceRequest]:
    """Service requests from an XML stream, one ``<request>`` at a time, in constant memory."""
    head = read_head(stream, 65536)
    stripped = head.lstrip(b" \t\r\n")
    if stripped.startswith(b"<?xml") and len(stripped) != len(head):
        builder.repairs.repair(
            "whitespace-before-declaration",
            "document",
            "whitespace before the XML declaration removed",
            path="$",
            example=head[:8],
        )
        head = stripped
    root_name = check_prolog(head)
    if root_name is not None and root_name not in ("service_requests", "requests"):
        msg = f"<{root_name}> is not a service requests document"
        raise ParseError(msg, format=FORMAT, path="$")
    events = etree.iterparse(
        PrefixedReader(head, stream),
        events=("end",),
        tag="{*}request",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    index = 0
    build = builder.service_request
    try:
        for _event, element in events:
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # a <request> nested inside a record's extension
            yield build(element_fields(element), index, _line(element))
            index += 1
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error) from None


# --- writing ---------------------------------------------------------------------------
def _leaf(parts: list[str], name: str, value: object) -> None:
    if value is None:
        parts.append(f"<{name}/>")
    elif value.__class__ is str:
        parts.append(f"<{name}>{escape_text(value)}</{name}>")
    elif isinstance(value, bool):
        parts.append(f"<{name}>{'true' if value else 'false'}</{name}>")
    elif isinstance(value, datetime):
        parts.append(f"<{name}>{format_datetime(value)}</{name}>")
    elif isinstance(value, float):
        parts.append(f"<{name}>{format_float(value)}</{name}>")
    else:  # str enums, ints
        parts.append(f"<{name}>{escape_text(str(value))}</{name}>")


def _extensions(parts: list[str], extensions: dict[str, Any]) -> None:
    for key, value in extensions.items():
        write_value(parts, key, value)


def _record(parts: list[str], tag: str, record: Any, names: tuple[str, ...], *, skip_empty: bool = False) -> None:
    parts.append(f"<{tag}>")
    for name in names:
        value = getattr(record, name)
        if value is None and skip_empty:
            continue
        _leaf(parts, name, value)
    _extensions(parts, record.extensions)
    parts.append(f"</{tag}>")


_SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
_ATTRIBUTE_FIELDS = ("variable", "code", "datatype", "required", "datatype_description", "order", "description")


def to_xml(document: Document) -> bytes:
    """Write a document as the standard's XML: UTF-8, with the declaration.

    Every standard field of a request or service is written (empty ones as
    ``<x/>``); a POST reply carries only what it has (an id or a token, never
    both). Extensions follow the standard fields, in order.

    Raises:
        ValidationError: a text holds a character XML 1.0 cannot carry.
    """
    parts = [_DECLARATION]
    if isinstance(document, ServiceRequestList):
        parts.append("<service_requests>")
        for request in document.items:
            _record(parts, "request", request, REQUEST_FIELDS)
        _extensions(parts, document.extensions)
        parts.append("</service_requests>")
    elif isinstance(document, ServiceList):
        parts.append("<services>")
        for service in document.items:
            _record(parts, "service", service, _SERVICE_FIELDS)
        _extensions(parts, document.extensions)
        parts.append("</services>")
    elif isinstance(document, ServiceDefinition):
        parts.append("<service_definition>")
        _leaf(parts, "service_code", document.service_code)
        parts.append("<attributes>" if document.attributes else "<attributes/>")
        for attribute in document.attributes:
            parts.append("<attribute>")
            for name in _ATTRIBUTE_FIELDS:
                _leaf(parts, name, getattr(attribute, name))
            if attribute.values or attribute.datatype.is_list:
                parts.append("<values>" if attribute.values else "<values/>")
                for value in attribute.values:
                    _record(parts, "value", value, ("key", "name"))
                if attribute.values:
                    parts.append("</values>")
            _extensions(parts, attribute.extensions)
            parts.append("</attribute>")
        if document.attributes:
            parts.append("</attributes>")
        _extensions(parts, document.extensions)
        parts.append("</service_definition>")
    elif isinstance(document, ReceiptList | TokenList):
        names = ("service_request_id", "token", "service_notice", "account_id")
        parts.append("<service_requests>")
        for receipt in document.items:
            _record(
                parts, "request", receipt, names if isinstance(document, ReceiptList) else names[:2], skip_empty=True
            )
        _extensions(parts, document.extensions)
        parts.append("</service_requests>")
    elif isinstance(document, ErrorList):
        parts.append("<errors>")
        for error in document.items:
            _record(parts, "error", error, ("code", "description"))
        _extensions(parts, document.extensions)
        parts.append("</errors>")
    elif isinstance(document, Discovery):
        parts.append("<discovery>")
        for name in ("changeset", "contact", "key_service"):
            _leaf(parts, name, getattr(document, name))
        parts.append("<endpoints>")
        for endpoint in document.endpoints:
            parts.append("<endpoint>")
            for name in ("specification", "url", "changeset", "type"):
                _leaf(parts, name, getattr(endpoint, name))
            parts.append("<formats>")
            for media_type in endpoint.formats:
                _leaf(parts, "format", media_type)
            parts.append("</formats>")
            _extensions(parts, endpoint.extensions)
            parts.append("</endpoint>")
        parts.append("</endpoints>")
        _extensions(parts, document.extensions)
        parts.append("</discovery>")
    else:
        msg = f"not a GeoReport document: {type(document).__name__}"
        raise TypeError(msg)
    return "".join(parts).encode("utf-8")
