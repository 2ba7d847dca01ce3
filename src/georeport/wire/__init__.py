"""Layer 2: GeoReport v2 wire formats; models to bytes and back, nothing more.

``load``, ``dump`` and ``iter_requests`` are the entry points (re-exported by
``georeport``); ``georeport.wire.xml`` and ``georeport.wire.json`` hold the
per-format pairs ``from_xml``/``to_xml`` and ``from_json``/``to_json``.

Dumps (``georeport.wire.dumps``, names re-exported here): ``iter_dump`` streams
any dump format (v2 XML/JSON/JSON Lines, the Bulk format in
``georeport.wire.bulk``, city CSV exports through ``georeport.wire.columns``,
GeoJSON in ``georeport.wire.geojson``), ``write_dump`` writes one,
``deduplicate`` keeps the latest version of each request, and ``partitions``
/ ``iter_partition`` split dumps at record boundaries for parallel reading.
"""

from __future__ import annotations

import os
from datetime import tzinfo
from typing import Literal, overload

from georeport.errors import ParseError
from georeport.models import (
    Discovery,
    Document,
    DocumentKind,
    ErrorList,
    ReceiptList,
    ServiceDefinition,
    ServiceList,
    ServiceRequestList,
    TokenList,
)
from georeport.wire._archives import Opened
from georeport.wire._common import PrefixedReader, Source, open_binary, read_all, read_head
from georeport.wire._json_stream import iter_json_requests
from georeport.wire._readers import default_zone
from georeport.wire._records import RecordBuilder
from georeport.wire._repairs import Repairs
from georeport.wire._xml_pages import iter_xml_pages
from georeport.wire.dumps import (
    DedupeCounts,
    Deduplicator,
    DumpFormat,
    DumpReader,
    Partition,
    deduplicate,
    dump_format,
    iter_dump,
    iter_partition,
    partitions,
    write_dump,
)
from georeport.wire.json import from_json, to_json
from georeport.wire.xml import from_xml, to_xml

__all__ = [
    "DedupeCounts",
    "Deduplicator",
    "DumpFormat",
    "DumpReader",
    "Format",
    "Partition",
    "RequestReader",
    "Source",
    "deduplicate",
    "dump",
    "dump_format",
    "iter_dump",
    "iter_partition",
    "iter_requests",
    "load",
    "partitions",
    "sniff_format",
    "write_dump",
]

Format = Literal["xml", "json"]
"""The two GeoReport v2 document formats ``load`` and ``dump`` take (``sniff_format`` tells them apart)."""


def sniff_format(head: bytes | str) -> Format:
    """Tell XML from JSON by the first character that is not a BOM or a space.

    Raises:
        ParseError: the text starts like neither.
    """
    text = head.decode("utf-8", "replace") if isinstance(head, bytes | bytearray) else head
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<"):
        if stripped[:15].lower().startswith(("<!doctype html", "<html")):
            msg = "an HTML page, not a GeoReport document (an error page from a proxy?)"
            raise ParseError(msg, path="$")
        return "xml"
    if stripped.startswith(("[", "{")) or (stripped[:1].isalpha() and "(" in stripped[:64]):
        return "json"
    msg = f"neither XML nor JSON: starts with {stripped[:20]!r}"
    raise ParseError(msg, path="$")


@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: Literal["services", DocumentKind.SERVICES],
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> ServiceList: ...
@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: Literal["requests", "request", DocumentKind.REQUESTS],
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> ServiceRequestList: ...
@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: Literal["service_definition", DocumentKind.SERVICE_DEFINITION],
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> ServiceDefinition: ...
@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: Literal["receipts", DocumentKind.RECEIPTS],
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> ReceiptList: ...
@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: Literal["tokens", DocumentKind.TOKENS],
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> TokenList: ...
@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: Literal["errors", DocumentKind.ERRORS],
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> ErrorList: ...
@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: Literal["discovery", DocumentKind.DISCOVERY],
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> Discovery: ...
@overload
def load(
    source: Source,
    *,
    format: Format | None = ...,
    kind: DocumentKind | str | None = ...,
    strict: bool = ...,
    default_timezone: tzinfo | str | None = ...,
) -> Document: ...
def load(
    source: Source,
    *,
    format: Format | None = None,  # noqa: A002 - the issue's name for it
    kind: DocumentKind | str | None = None,
    strict: bool = False,
    default_timezone: tzinfo | str | None = None,
) -> Document:
    """Read any GeoReport v2 document, XML or JSON, into its typed model.

    Args:
        source: the document as ``bytes`` or ``str`` (the text itself), an
            ``os.PathLike`` path to read, or a binary or text file object.
        format: ``"xml"`` or ``"json"``; told from the first character if None.
        kind: what the document holds (``"services"``, ``"service_definition"``,
            ``"requests"``/``"request"``, ``"receipts"``, ``"tokens"``,
            ``"errors"``, ``"discovery"``); told from the root or shape if None.
        strict: refuse anything the standard forbids, reporting every problem
            at once; by default real servers' dialects are repaired and each
            repair is listed in the document's ``warnings`` (and issued as a
            ``DialectWarning``).
        default_timezone: the zone of datetimes sent without one (a ``tzinfo``
            or an IANA name); UTC if None.

    Returns:
        A ``ServiceList``, ``ServiceDefinition``, ``ServiceRequestList``,
        ``ReceiptList``, ``TokenList``, ``ErrorList`` or ``Discovery``. List
        documents iterate over their records.

    Raises:
        ParseError: the input is not a GeoReport document (with format, record
            path and line where known); ``InvalidDocumentError`` in strict
            mode, ``UnsafeDocumentError`` for DTDs, entities and oversized
            nodes. ``UnknownDocumentError`` when the kind cannot be told.
            ``OSError`` when a path cannot be read. Anything else is a bug.

    Examples:
        >>> import georeport, warnings
        >>> with warnings.catch_warnings(record=True) as issued:
        ...     warnings.simplefilter("always")
        ...     doc = georeport.load(b'[{"service_request_id": "7", "status": "Open"}]')
        >>> [(r.service_request_id, r.status.value) for r in doc]
        [('7', 'open')]
        >>> doc.warnings[0].code, issued[0].category.__name__
        ('choice-case', 'DialectWarning')
        >>> georeport.load(b"<services><service>", format="xml")
        Traceback (most recent call last):
        ...
        georeport.errors.ParseError: not well-formed XML: ...
    """
    data = read_all(source)
    chosen = format or sniff_format(data[:256])
    zone = default_zone(default_timezone)
    if chosen == "xml":
        return from_xml(data, kind=kind, strict=strict, default_timezone=zone)
    if chosen == "json":
        return from_json(data, kind=kind, strict=strict, default_timezone=zone)
    msg = f"format must be 'xml' or 'json' (got {chosen!r})"
    raise ValueError(msg)


def dump(document: Document, format: Format = "xml") -> bytes:  # noqa: A002 - the issue's name for it
    """Write a document exactly in the shape the standard gives, as UTF-8 bytes.

    XML starts with the declaration; JSON is the Spark mapping (arrays for
    list documents, an object for a service definition or discovery).

    Examples:
        >>> import georeport
        >>> from georeport import Error, ErrorList
        >>> georeport.dump(ErrorList([Error(403, "Invalid api_key")]), "json")
        b'[{"code":"403","description":"Invalid api_key"}]'

    Raises:
        ValidationError: a value the format cannot carry (control characters
            in XML, NaN in JSON).
    """
    if format == "xml":
        return to_xml(document)
    if format == "json":
        return to_json(document)
    msg = f"format must be 'xml' or 'json' (got {format!r})"
    raise ValueError(msg)


class RequestReader(DumpReader):
    """Service requests streamed from a document of any size, in constant memory.

    Iterate over it; afterwards (or at any time) ``warnings`` lists the
    repairs made so far and ``count`` the records read. Use it as a context
    manager, or exhaust it, to close a file it opened. A ``DumpReader`` of a
    GeoReport v2 XML or JSON document.
    """

    format: Format

    def __init__(
        self,
        source: Source,
        *,
        format: Format | None = None,  # noqa: A002
        strict: bool = False,
        default_timezone: tzinfo | str | None = None,
    ) -> None:
        """Open ``source`` (bytes, str, path or binary file) for streaming."""
        stream, owned = open_binary(source)
        opened = Opened(stream, None, [stream] if owned else [])
        head = read_head(stream, 512)
        stream = PrefixedReader(head, stream)  # type: ignore[assignment]
        chosen: Format = format or sniff_format(head)
        repairs = Repairs(strict=strict, format=chosen)
        builder = RecordBuilder(repairs, textual=chosen == "xml", default_timezone=default_zone(default_timezone))
        records = iter_xml_pages(stream, builder) if chosen == "xml" else iter_json_requests(stream, builder)
        super().__init__(opened, repairs, records, format=chosen)

    def __iter__(self) -> RequestReader:
        """The reader itself."""
        return self

    def __enter__(self) -> RequestReader:
        """Use as a context manager."""
        return self


def iter_requests(
    source: Source,
    *,
    format: Format | None = None,  # noqa: A002
    strict: bool = False,
    default_timezone: tzinfo | str | None = None,
) -> RequestReader:
    """Stream the service requests of a document of any size, in constant memory.

    XML is read one ``<request>`` at a time (lxml ``iterparse``), whether one
    document or pages appended one after another; JSON one array element at a
    time, whether a bare array, arrays appended one after another, JSON
    Lines, or a wrapper object holding the array.

    Args:
        source: bytes, str, an ``os.PathLike`` path or a binary file.
        format: ``"xml"`` or ``"json"``; sniffed if None.
        strict: as in ``load``; problems are raised when the stream ends.
        default_timezone: the zone of datetimes sent without one; UTC if None.

    Returns:
        A ``RequestReader``: an iterator of ``ServiceRequest`` with ``warnings``.

    Raises:
        ParseError: while iterating, at the first malformed record, with its
            line. Anything else raised is a bug.
    """
    return RequestReader(source, format=format, strict=strict, default_timezone=default_timezone)


del os
