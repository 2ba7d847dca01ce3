"""Streaming JSON: requests one object at a time from arrays, JSON Lines and harvests (private).

It reads a text buffer of bounded size and decodes one array element (or one
top-level object) at a time with the standard library's C scanner, so memory
stays constant whatever the file's size. It accepts a bare array, several
arrays one after another (pages appended by a harvester), JSON Lines (one
object per line), and a wrapper object whose first key holds the array.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any, Final

from georeport.errors import ParseError, UnsafeDocumentError
from georeport.models import ServiceRequest
from georeport.wire._records import REQUEST_FIELDS, RecordBuilder, count_keys
from georeport.wire.json import _finite_float, _pairs_hook, _reject_constant, _repair_numbers

__all__ = ["iter_json_requests"]

FORMAT: Final = "json"
CHUNK = 1 << 20
MAX_RECORD = 64 << 20
"""A record larger than this is refused (a hostile or broken file, not a record)."""

_WS = re.compile(r"[ \t\r\n]*")
_SPACED_QUOTE = re.compile(r'"[ \t\r\n]')
_KEY_COLON = re.compile(r'"[ \t\r\n]*:')
_WRAPPER = re.compile(r'\{[ \t\r\n]*"([^"\\]+)"[ \t\r\n]*:[ \t\r\n]*\[')
_WRAPPER_LOOKAHEAD = 4096
_REQUEST_KEYS = frozenset(REQUEST_FIELDS)
_WRAPPER_KEYS = frozenset(("service_requests", "requests", "request", "records", "data", "results", "items"))


class _Buffer:
    """Decoded text with a read position; refills from the stream on demand."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        self.text = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # line of text[0]
        self._mark = 0  # a position in text whose line is known: _mark_line
        self._mark_line = 1

    def fill(self) -> bool:
        """Read one more chunk; False at the end of the stream."""
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK)
        if self.pos:
            self.line += self.text.count("\n", 0, self.pos)
            self.text = self.text[self.pos :]
            self.pos = 0
        self._mark, self._mark_line = 0, self.line
        try:
            self.text += self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            msg = f"not UTF-8 near byte {error.start} of a chunk"
            raise ParseError(msg, format=FORMAT, line=self.line) from None
        if not chunk:
            self.eof = True
        return True

    def skip_ws(self) -> str:
        """The next non-space character ('' at the end), without consuming it."""
        while True:
            self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def line_at(self, pos: int) -> int:
        """The 1-based line of ``pos`` (records come in order: only new text is counted)."""
        if pos >= self._mark:
            self._mark_line += self.text.count("\n", self._mark, pos)
            self._mark = pos
            return self._mark_line
        return self.line + self.text.count("\n", 0, pos)


def iter_json_requests(stream: IO[bytes], builder: RecordBuilder) -> Iterator[ServiceRequest]:
    """Service requests from a JSON stream, in constant memory."""
    buffer = _Buffer(stream)
    finite = _finite_float(builder.repairs)
    decoder = json.JSONDecoder(parse_float=finite, parse_constant=_reject_constant)
    exact = json.JSONDecoder(
        object_pairs_hook=_pairs_hook(builder.repairs), parse_float=finite, parse_constant=_reject_constant
    )
    index = 0
    depth_in_array = False
    wrapped = False
    arrays_seen = 0
    while True:
        char = buffer.skip_ws()
        if not char:
            if depth_in_array:
                raise ParseError("the array is not closed", format=FORMAT, line=buffer.line_at(buffer.pos))
            return
        if depth_in_array:
            if char == "]":
                buffer.pos += 1
                depth_in_array = False
                if wrapped:
                    _finish_wrapper(buffer, decoder)
                    wrapped = False
                continue
            if char == ",":
                buffer.pos += 1
                continue
        elif char == "[":
            if arrays_seen == 1:
                builder.repairs.repair(
                    "concatenated-documents",
                    "document",
                    "JSON arrays one after another, read as one list",
                    path="$",
                    example="[...][...]",
                )
            arrays_seen += 1
            buffer.pos += 1
            depth_in_array = True
            continue
        elif char == "{":
            while len(buffer.text) - buffer.pos < _WRAPPER_LOOKAHEAD and buffer.fill():
                pass
            match = _WRAPPER.match(buffer.text, buffer.pos)
            if match and match.group(1) in _WRAPPER_KEYS:
                if match.group(1) != "service_requests":  # georeport's own carrier is no repair
                    builder.repairs.repair(
                        "vendor-wrapper",
                        "document",
                        f"the list inside a wrapper object's {match.group(1)!r}",
                        path="$",
                        example=match.group(1),
                    )
                buffer.pos = match.end()
                depth_in_array = True
                wrapped = True
                continue
        record, line = _next_value(buffer, decoder, exact, builder)
        if not depth_in_array and isinstance(record, dict):
            records = _unwrapped(record, builder)
            if records is not None:
                for item in records:
                    yield builder.service_request(item, index, line)
                    index += 1
                continue
        yield builder.service_request(record, index, line)
        index += 1


def _unwrapped(record: dict[str, Any], builder: RecordBuilder) -> list[Any] | None:
    """The records of a wrapper object whose list is not its first key, or None."""
    lists = [key for key, value in record.items() if isinstance(value, list) and key in _WRAPPER_KEYS]
    if len(lists) != 1 or not _REQUEST_KEYS.isdisjoint(record):
        return None  # a record (of JSON Lines) with a list among its extensions is no wrapper
    builder.repairs.repair(
        "vendor-wrapper",
        "document",
        f"the list inside a wrapper object's {lists[0]!r} (read whole: it was not the first key)",
        path="$",
        example=lists[0],
    )
    items: list[Any] = record[lists[0]]
    return items


def _next_value(
    buffer: _Buffer, decoder: json.JSONDecoder, exact: json.JSONDecoder, builder: RecordBuilder
) -> tuple[Any, int]:
    """Decode the value at the buffer's position, refilling until it is whole."""
    repaired = False
    while True:
        start = buffer.pos
        try:
            value, end = decoder.raw_decode(buffer.text, start)
        except RecursionError:
            msg = "JSON nested too deeply"
            raise UnsafeDocumentError(msg, format=FORMAT, line=buffer.line_at(start)) from None
        except json.JSONDecodeError as error:
            if not buffer.eof and (error.pos >= len(buffer.text) - 64 or error.msg.startswith("Unterminated")):
                if len(buffer.text) - start > MAX_RECORD:
                    msg = f"a record larger than {MAX_RECORD} bytes"
                    raise UnsafeDocumentError(msg, format=FORMAT, line=buffer.line_at(start)) from None
                buffer.fill()
                continue
            if not repaired and not builder.repairs.strict:
                fixed, count = _repair_numbers(buffer.text[start:])
                if count:
                    builder.repairs.repair(
                        "number-leading-zeros",
                        "document",
                        "number literals with leading zeros (invalid JSON) read as strings",
                        path="$",
                        example=count,
                    )
                    buffer.text = buffer.text[:start] + fixed
                    repaired = True
                    continue
            line = buffer.line_at(start)
            msg = f"not valid JSON in the record starting at line {line}: {error.msg}"
            raise ParseError(msg, format=FORMAT, line=line) from None
        except ValueError as error:  # NaN or Infinity, refused by parse_constant
            raise ParseError(str(error), format=FORMAT, line=buffer.line_at(start)) from None
        line = buffer.line_at(start)
        # Duplicate keys: the text's key count and the decoded one disagree.
        if isinstance(value, dict | list):
            in_text = _keys_in_span(buffer.text, start, end)
            # len(value) <= count_keys(value) <= in_text: when the text shows no more
            # keys than the top level holds, nothing was lost and nothing is deeper.
            if in_text != (len(value) if value.__class__ is dict else 0) and in_text != count_keys(value):
                value, end = exact.raw_decode(buffer.text, start)
        buffer.pos = end
        return value, line


def _finish_wrapper(buffer: _Buffer, decoder: json.JSONDecoder) -> None:
    """After a wrapped array: skip the wrapper's other keys up to its closing brace."""
    char = buffer.skip_ws()
    if char == "}":
        buffer.pos += 1
        return
    if char == ",":
        rest_start = buffer.pos + 1
        text = "{" + buffer.text[rest_start:]
        while True:
            try:
                _value, end = decoder.raw_decode(text, 0)
            except json.JSONDecodeError:
                if buffer.eof:
                    raise ParseError(
                        "the wrapper object is not closed", format=FORMAT, line=buffer.line_at(buffer.pos)
                    ) from None
                buffer.fill()
                text = "{" + buffer.text[buffer.pos + 1 :]
                continue
            buffer.pos = buffer.pos + end  # "{" stands for the "," consumed
            return
    raise ParseError("unexpected text after the wrapped array", format=FORMAT, line=buffer.line_at(buffer.pos))


def _keys_in_span(text: str, start: int, end: int) -> int:
    """How many keys the text holds at least between ``start`` and ``end``."""
    count = text.count('":', start, end)
    if _SPACED_QUOTE.search(text, start, end) is not None:
        count = len(_KEY_COLON.findall(text, start, end))
    return count
