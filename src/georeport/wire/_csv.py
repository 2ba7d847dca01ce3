"""CSV rows from a byte stream: RFC 4180, a header row, bounded fields (private).

Both CSV readers (the Bulk format and city exports) read rows here: text is
UTF-8 (a BOM is skipped), quoted fields may hold newlines and quotes, a
field larger than ``MAX_FIELD`` is refused, and every row comes with the line
it starts on, for error messages. ``fit_row`` evens out a row of another
length than the header, as a repair.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from typing import IO

from georeport.errors import ParseError, UnsafeDocumentError
from georeport.wire._repairs import Repairs, record_path

__all__ = ["MAX_FIELD", "CsvRows", "fit_row"]

MAX_FIELD = 1 << 20
"""A field larger than this (1 MiB) is refused: a broken quote, not a value."""

csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))


class CsvRows:
    """The header and then the rows (with their first line) of a CSV stream."""

    def __init__(self, stream: IO[bytes], *, format: str = "csv", encoding: str = "utf-8-sig") -> None:  # noqa: A002
        """Read ``stream`` as CSV text in ``encoding``; ``format`` names it in errors."""
        self.format = format
        self._text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        self._reader = csv.reader(self._text, strict=False)
        self.header: list[str] = []
        self._line = 1
        first = self._next()
        if first is not None:
            self.header = [name.strip() for name in first[1]]

    def _next(self) -> tuple[int, list[str]] | None:
        start = self._reader.line_num + 1
        try:
            row = next(self._reader)
        except StopIteration:
            return None
        except UnicodeDecodeError as error:
            msg = f"not {self._text.encoding} text ({error.reason})"
            raise ParseError(msg, format=self.format, line=self._reader.line_num + 1) from None
        except csv.Error as error:
            if "field larger" in str(error):
                msg = f"a field larger than {MAX_FIELD} bytes (an unclosed quote?)"
                raise UnsafeDocumentError(msg, format=self.format, line=start) from None
            msg = f"not valid CSV: {error}"
            raise ParseError(msg, format=self.format, line=start) from None
        return start, row

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, fields)`` for each row after the header; blank lines are skipped."""
        while True:
            found = self._next()
            if found is None:
                return
            if found[1]:
                yield found

    def detach(self) -> None:
        """Let go of the byte stream without closing it (the wrapper would close it when collected)."""
        with contextlib.suppress(ValueError):  # already detached
            self._text.detach()


def fit_row(row: list[str], width: int, repairs: Repairs, index: int, line: int) -> list[str]:
    """``row`` padded with empty fields, or cut, to the header's ``width``, recorded as a repair.

    Both CSV readers call it for a row whose length is not ``width``; in strict
    mode the repair is a problem, raised with the others when the stream ends.
    """
    repairs.repair(
        "row-length",
        "document",
        f"a row with another number of fields than the header's {width} (missing ones read as empty)",
        path=record_path(index),
        example=len(row),
        line=line,
    )
    return (row + [""] * width)[:width]
