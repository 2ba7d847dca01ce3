"""XML pages appended one after another by a harvester, streamed as one list (private).

A harvester that saves each page of ``GET requests.xml`` to the same file
makes a stream of whole documents, each with its declaration and root. An
XML parser refuses the second one. ``iter_xml_pages`` cuts the stream after
each root's end tag and reads the pages one after another with the usual
streaming reader, in constant memory, reporting the repair once
(``concatenated-documents``, as the JSON reader does). Lines and record
indexes in messages count from the start of their page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO

from georeport.models import ServiceRequest
from georeport.wire._records import RecordBuilder
from georeport.wire.xml import iter_xml_requests

__all__ = ["iter_xml_pages"]

_CHUNK = 1 << 20
_KEEP = 256
"""Bytes held back at a chunk's end, so an end tag cut by the chunk boundary is still found."""
_ROOT_END = re.compile(rb"</(?:[\w.-]+:)?(?:service_)?requests\s*>")
_SPACE = b" \t\r\n"


class _Pages:
    """The shared state: the input, its unread bytes, and where the current page ends."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buffer = b""
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        """Read one more chunk (dropping what was consumed); False at the end of the input."""
        if self.eof:
            return False
        chunk = self.stream.read(_CHUNK)
        self.buffer = self.buffer[self.pos :] + (chunk or b"")
        self.pos = 0
        if not chunk:
            self.eof = True
        return True

    def next_page(self) -> _Page | None:
        """The next page, or None when only white space is left."""
        while True:
            rest = len(self.buffer) - self.pos
            stripped = self.buffer[self.pos :].lstrip(_SPACE)
            self.pos += rest - len(stripped)
            if stripped:
                return _Page(self)
            if not self.fill():
                return None


class _Page(io.RawIOBase):
    """One page: the input's bytes up to and including the next root end tag."""

    def __init__(self, pages: _Pages) -> None:
        self._pages = pages
        self._done = False
        self._end: int | None = None  # where the page ends in the buffer, once found
        self._searched = pages.pos  # the buffer was searched up to here (minus _KEEP)

    def readable(self) -> bool:
        return True

    def _find_end(self) -> None:
        pages = self._pages
        start = max(pages.pos, self._searched - _KEEP)
        match = _ROOT_END.search(pages.buffer, start)
        self._searched = len(pages.buffer)
        if match is not None:
            self._end = match.end()

    def read(self, size: int | None = -1) -> bytes:
        if self._done:
            return b""
        pages = self._pages
        want = _CHUNK if size is None or size < 0 else size
        while True:
            if self._end is None:
                self._find_end()
            if self._end is not None:
                limit = self._end - pages.pos
                break
            limit = len(pages.buffer) - pages.pos - (0 if pages.eof else _KEEP)
            if limit > 0 or pages.eof:
                break
            shift = pages.pos
            pages.fill()  # the consumed bytes are dropped: positions move back by ``shift``
            self._searched -= shift
        take = min(want, max(limit, 0))
        data = pages.buffer[pages.pos : pages.pos + take]
        pages.pos += take
        if (self._end is not None and pages.pos >= self._end) or (not data and pages.eof):
            self._done = True
        return data


def iter_xml_pages(stream: IO[bytes], builder: RecordBuilder) -> Iterator[ServiceRequest]:
    """Service requests from one XML document or several appended, in constant memory."""
    pages = _Pages(stream)
    page = pages.next_page()
    first = True
    while page is not None:
        if not first:
            builder.repairs.repair(
                "concatenated-documents",
                "document",
                "XML documents one after another, read as one list",
                path="$",
                example="<service_requests>...</service_requests><service_requests>...",
            )
        first = False
        yield from iter_xml_requests(page, builder)  # type: ignore[arg-type]
        page = pages.next_page()
