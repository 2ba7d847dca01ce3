"""The bytes of HTTP parameters: query strings, form bodies, multipart bodies (private).

This file owns every rule about how a parameter is spelled on the wire and
every problem a server reports about parameters: ``ParameterError`` (one
problem, with the HTTP status the standard gives it), ``InvalidParametersError``
(all of them at once) and ``Dialect`` (how one server spells what the
standard leaves open). ``georeport.wire.params`` re-exports the public names.

Rules kept here:

* every reader is bounded: a body over its size limit, or with more fields
  or parts than allowed, is refused with status 413 before any work;
* text is UTF-8 unless a part or body declares another charset;
* ``+`` is a space only in ``application/x-www-form-urlencoded``; query
  strings written here use ``%20`` so either reading is right;
* a multipart part is a file when it has a ``filename`` or is named
  ``media``/``media[]``; everything else is a text field.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, tzinfo
from typing import Self
from urllib.parse import quote, quote_plus, unquote, unquote_to_bytes

import attrs

from georeport.errors import ValidationError
from georeport.models import Error
from georeport.models._fields import optional_str

__all__ = [
    "MAX_BODY_SIZE",
    "MAX_FIELDS",
    "MAX_PARTS",
    "OCTET_STREAM",
    "STANDARD",
    "Dialect",
    "InvalidParametersError",
    "MediaPart",
    "ParameterError",
    "build_multipart",
    "content_type_params",
    "decode_pairs",
    "encode_form",
    "encode_query",
    "http_status",
    "new_boundary",
    "parse_multipart",
]

MAX_BODY_SIZE = 10 * 1024 * 1024
"""The largest POST body read by default (10 MiB): a few phone photos."""
MAX_FIELDS = 1000
"""The most parameters read from one query string or form body by default."""
MAX_PARTS = 100
"""The most parts read from one multipart body by default."""

_STATUS_ORDER = (403, 404, 413, 415, 405)
"""When errors disagree, the status a server answers with: the first of these present, else 400."""


# --- problems -------------------------------------------------------------------------------
class ParameterError(ValidationError):
    """One parameter (or the path, or the body) a GeoReport server cannot accept.

    Attributes:
        field: the parameter, as the client spelled it (``attribute[CODE]``,
            ``lat``, ``path``, ``body``).
        value: what arrived (None when nothing did).
        expected: what would have been accepted.
        description: the sentence a server sends in ``<description>``.
        status_hint: the HTTP status the standard gives the problem
            (400 bad value, 403 key, 404 unknown thing, 413 too large...).
    """

    def __init__(
        self,
        field: str,
        value: object,
        expected: str,
        *,
        status_hint: int = 400,
        description: str | None = None,
    ) -> None:
        super().__init__(field, value, expected)
        self.status_hint = status_hint
        self.description = description or str(self)

    @property
    def error(self) -> Error:
        """The problem as one ``<error>`` of an errors document."""
        return Error(str(self.status_hint), self.description)


class InvalidParametersError(ParameterError, ExceptionGroup):
    """Every problem found in one HTTP request; ``exceptions`` holds one ``ParameterError`` each.

    An ``ExceptionGroup`` (``except* ParameterError`` works) and a
    ``ParameterError`` (``except ParameterError`` works); ``errors`` is ready for
    ``georeport.dump(ErrorList(exc.errors), fmt)`` and ``status_hint`` is the
    status to answer with.

    Attributes:
        format: the response format the request asked for (``"xml"``,
            ``"json"``), when the path told it; None otherwise.
    """

    exceptions: tuple[ParameterError, ...]

    def __new__(cls, problems: Sequence[ParameterError], *, format: str | None = None) -> Self:  # noqa: A002
        """Group ``problems`` (at least one)."""
        del format
        return ExceptionGroup.__new__(cls, "invalid parameters", list(problems))

    def __init__(self, problems: Sequence[ParameterError], *, format: str | None = None) -> None:  # noqa: A002
        first = problems[0]
        ParameterError.__init__(
            self,
            first.field,
            first.value,
            first.expected,
            status_hint=http_status(problem.error for problem in problems),
            description=first.description,
        )
        self.format = format

    def derive(self, excs: Sequence[ParameterError]) -> InvalidParametersError:  # type: ignore[override]
        """Keep the type when ``except*`` splits the group."""
        return InvalidParametersError(excs, format=self.format)

    @property
    def errors(self) -> tuple[Error, ...]:
        """One ``Error`` per problem, in the order found."""
        return tuple(problem.error for problem in self.exceptions)

    def __str__(self) -> str:
        """List every problem, one a line."""
        lines = [f"{len(self.exceptions)} invalid parameter(s), answer with HTTP {self.status_hint}:"]
        lines += [f"  - {problem.description}" for problem in self.exceptions]
        return "\n".join(lines)


def http_status(errors: Iterable[Error]) -> int:
    """The HTTP status to answer an errors document with.

    403 (a key problem) wins, then 404 (something does not exist), then 413,
    415 and 405; anything else is the standard's 400.

    Examples:
        >>> from georeport import Error
        >>> http_status([Error("400", "bad email"), Error("404", "no such service")])
        404
        >>> http_status([])
        400
    """
    found = {error.http_status for error in errors}
    return next((status for status in _STATUS_ORDER if status in found), 400)


class FormSyntaxError(ValueError):
    """Raised by the codecs below; the public functions turn it into a ``ParameterError``."""

    def __init__(self, field: str, value: object, expected: str, status: int = 400) -> None:
        super().__init__(field, value, expected, status)
        self.problem = ParameterError(field, value, expected, status_hint=status)


# --- dialects ---------------------------------------------------------------------------------
@attrs.frozen
class Dialect:
    """How one server spells what the standard leaves open (client side).

    Examples:
        >>> Dialect()
        Dialect(multivalue_brackets=True, query_zone=True, timezone=datetime.timezone.utc, singular_request_path=False, api_key_on_get=False)
        >>> boston = Dialect(multivalue_brackets=False, singular_request_path=True, api_key_on_get=True)
    """

    multivalue_brackets: bool = True
    """``attribute[c][]=k1&attribute[c][]=k2`` (the standard); False repeats ``attribute[c]=`` (Boston)."""
    query_zone: bool = True
    """False: query datetimes are written without a zone, in ``timezone`` (Chicago, §9 D3)."""
    timezone: tzinfo = UTC
    """The zone of query datetimes written or read without one."""
    singular_request_path: bool = False
    """``request/{id}`` instead of ``requests/{id}`` (Boston, the v2.1 Swagger)."""
    api_key_on_get: bool = False
    """Send the api_key on GETs too, not only on POST (Boston, Klarschiff)."""


STANDARD = Dialect()
"""The standard's own spelling."""


# --- content types ----------------------------------------------------------------------------
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_ESCAPED = re.compile(r'\\([\\"])')


def content_type_params(value: str) -> tuple[str, dict[str, str]]:
    """Split a header such as ``multipart/form-data; boundary="x"`` into its type and parameters.

    The type and parameter names are lower-cased; quoted values unquoted;
    an RFC 5987 ``name*=utf-8''...`` value decoded and stored under ``name``.
    """
    head, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for name, raw in _PARAM.findall(";" + rest):
        key = name.lower()
        text = raw.strip()
        if text.startswith('"'):
            text = _ESCAPED.sub(r"\1", text[1:-1])
        if key.endswith("*"):
            charset, _, encoded = text.partition("'")
            encoded = encoded.partition("'")[2]
            try:
                params[key[:-1]] = unquote(encoded, encoding=charset or "utf-8", errors="strict")
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            params.setdefault(key, text)
    return head.strip().lower(), params


# --- urlencoded -------------------------------------------------------------------------------
def decode_pairs(
    data: bytes | str,
    *,
    plus_is_space: bool = True,
    charset: str = "utf-8",
    max_fields: int = MAX_FIELDS,
) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a query string or urlencoded body, in order.

    Brackets and every other byte may be percent-encoded or not; a pair
    without ``=`` has an empty value; a pair without a name is skipped.

    Raises:
        FormSyntaxError: more than ``max_fields`` pairs (413), or bytes that
            are not text in ``charset`` (400).
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    chunks = [chunk for chunk in raw.split(b"&") if chunk]
    if len(chunks) > max_fields:
        raise FormSyntaxError("body", f"{len(chunks)} parameters", f"at most {max_fields} parameters", 413)
    pairs: list[tuple[str, str]] = []
    for chunk in chunks:
        name, _, value = chunk.partition(b"=")
        if plus_is_space:
            name, value = name.replace(b"+", b" "), value.replace(b"+", b" ")
        name_bytes, value_bytes = unquote_to_bytes(name), unquote_to_bytes(value)
        try:
            key = name_bytes.decode(charset)
        except UnicodeDecodeError:
            raise FormSyntaxError("body", name_bytes, f"parameter names in {charset}") from None
        except LookupError:
            raise FormSyntaxError("charset", charset, "a character set Python knows", 415) from None
        try:
            text = value_bytes.decode(charset)
        except UnicodeDecodeError:
            raise FormSyntaxError(key, value_bytes, f"text in {charset}") from None
        if key:
            pairs.append((key, text))
    return pairs


def encode_form(pairs: Iterable[tuple[str, str]]) -> bytes:
    """An ``application/x-www-form-urlencoded`` body, UTF-8, spaces as ``+``, brackets encoded."""
    return "&".join(f"{quote_plus(name, safe='')}={quote_plus(value, safe='')}" for name, value in pairs).encode(
        "ascii"
    )


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """A query string: UTF-8, percent-encoded (``%20`` for spaces); ``:`` and ``,`` kept readable."""
    return "&".join(f"{quote(name, safe='')}={quote(value, safe=':,')}" for name, value in pairs)


# --- multipart --------------------------------------------------------------------------------
OCTET_STREAM = "application/octet-stream"


@attrs.frozen
class MediaPart:
    """One file of a multipart POST (the v2.1 draft's ``media``): its bytes and what the client said of them.

    Examples:
        >>> MediaPart(b"JPEG bytes", filename="swing.jpg", content_type="image/jpeg").name
        'media'
    """

    data: bytes = attrs.field(validator=attrs.validators.instance_of(bytes))
    name: str = attrs.field(default="media", validator=attrs.validators.instance_of(str))
    """The form field, ``media`` or ``media[]`` by convention."""
    filename: str | None = attrs.field(default=None, validator=optional_str)
    content_type: str = attrs.field(default=OCTET_STREAM, validator=attrs.validators.instance_of(str))
    """As the client declared it (not checked against the bytes); ``application/octet-stream`` if it did not."""


def parse_multipart(body: bytes, boundary: str, *, max_parts: int = MAX_PARTS) -> list[MediaPart]:
    """The parts of a ``multipart/form-data`` body (RFC 7578), in order, bytes exact.

    Raises:
        FormSyntaxError: no boundary line, a part without a name, a part
            without its closing boundary (400), or more than ``max_parts``
            parts (413).
    """
    if not 1 <= len(boundary) <= 70:  # noqa: PLR2004 - RFC 2046 boundary length
        raise FormSyntaxError("Content-Type", boundary, "a boundary of 1 to 70 characters")
    delimiter = b"--" + boundary.encode("utf-8")
    if body.startswith(delimiter):
        position = len(delimiter)
    else:
        found = body.find(b"\r\n" + delimiter)
        if found < 0:
            raise FormSyntaxError("body", body[:40], f"a multipart body with the boundary {boundary!r}")
        position = found + 2 + len(delimiter)
    parts: list[MediaPart] = []
    while not body.startswith(b"--", position):
        line_end = body.find(b"\r\n", position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise FormSyntaxError("body", body[position : position + 40], "CRLF after a multipart boundary")
        start = line_end + 2
        end = body.find(b"\r\n" + delimiter, start)
        if end < 0:
            raise FormSyntaxError("body", body[start : start + 40], "every multipart part closed by a boundary")
        if len(parts) == max_parts:
            raise FormSyntaxError("body", f"more than {max_parts} parts", f"at most {max_parts} parts", 413)
        parts.append(_part(body[start:end]))
        position = end + 2 + len(delimiter)
    return parts


def _part(raw: bytes) -> MediaPart:
    head, separator, data = raw.partition(b"\r\n\r\n")
    if not separator:
        head, data = (b"", raw[2:]) if raw.startswith(b"\r\n") else (raw, b"")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        raise FormSyntaxError("body", head[:40], "multipart part headers in UTF-8") from None
    headers: dict[str, str] = {}
    last = ""
    for line in text.split("\r\n"):
        if line[:1] in (" ", "\t") and last:
            headers[last] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if colon:
            last = name.strip().lower()
            headers[last] = value.strip()
    disposition, params = content_type_params(headers.get("content-disposition", ""))
    if disposition != "form-data" or not params.get("name"):
        raise FormSyntaxError("body", head[:80], "every part with 'Content-Disposition: form-data; name=...'")
    return MediaPart(data, params["name"], params.get("filename"), headers.get("content-type") or OCTET_STREAM)


def new_boundary() -> str:
    """A random multipart boundary."""
    return "georeport-" + secrets.token_hex(16)


def _quoted(value: str, what: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValidationError(what, value, "a name without line breaks (multipart cannot carry them)")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_multipart(
    fields: Sequence[tuple[str, str]],
    files: Sequence[MediaPart],
    *,
    boundary: str | None = None,
) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body and its ``Content-Type`` header value.

    Raises:
        ValidationError: the boundary given occurs in the content, or a name
            or filename holds a line break.
    """
    chosen = boundary or new_boundary()
    chunks: list[bytes] = []
    for name, value in fields:
        chunks.append(f"Content-Disposition: form-data; name={_quoted(name, 'name')}\r\n\r\n".encode())
        chunks.append(value.encode("utf-8"))
    for part in files:
        header = f"Content-Disposition: form-data; name={_quoted(part.name, 'name')}"
        if part.filename is not None:
            header += f"; filename={_quoted(part.filename, 'filename')}"
        header += f"\r\nContent-Type: {part.content_type}\r\n\r\n"
        chunks.append(header.encode())
        chunks.append(part.data)
    while any(chosen.encode() in chunk for chunk in chunks):
        if boundary is not None:
            raise ValidationError("boundary", boundary, "a boundary that does not occur in the content")
        chosen = new_boundary()
    delimiter = b"--" + chosen.encode()
    out = bytearray()
    for index in range(0, len(chunks), 2):
        out += delimiter + b"\r\n" + chunks[index] + chunks[index + 1] + b"\r\n"
    out += delimiter + b"--\r\n"
    return bytes(out), f'multipart/form-data; boundary="{chosen}"'
