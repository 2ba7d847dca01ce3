"""The one streaming reader object every dump format returns (private).

``DumpReader`` wraps a generator of records with what a caller wants beside
them: how many were read, the repairs made (``warnings``), the strict
problems raised at the end, and closing the file it opened, whether the
caller exhausts it, leaves early through ``with``, or hits an error.
``default_zone`` reads every reader's ``default_timezone`` option.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from georeport.errors import DialectWarning, ValidationError
from georeport.models import ServiceRequest
from georeport.wire._archives import Opened
from georeport.wire._common import without_gc
from georeport.wire._repairs import Repairs

__all__ = ["DumpReader", "default_zone"]


def default_zone(default_timezone: tzinfo | str | None) -> tzinfo | None:
    """A reader's ``default_timezone`` option as a zone: an IANA name is looked up, a zone or None kept.

    Raises:
        ValidationError: a name that is no IANA zone (checked before anything is read).
    """
    if not isinstance(default_timezone, str):
        return default_timezone
    try:
        return ZoneInfo(default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("default_timezone", default_timezone, "an IANA time zone name") from None


class DumpReader(Iterator[ServiceRequest]):
    """Service requests streamed from a dump, in constant memory.

    Iterate over it; ``count`` is the number of records read so far and
    ``warnings`` the repairs made so far (one ``DialectWarning`` per kind and
    field). In strict mode the problems found are raised together, as an
    ``InvalidDocumentError``, when the stream ends. Use it as a context
    manager, or exhaust it, to close a file it opened.

    Attributes:
        format: the format read (``"xml"``, ``"json"``, ``"bulk-csv"``...).
        name: the document's name, when known (a path, or a zip member's name).
    """

    def __init__(self, opened: Opened, repairs: Repairs, records: Iterator[ServiceRequest], *, format: str) -> None:  # noqa: A002
        """Wrap ``records`` read from ``opened``; ``repairs`` collects what was repaired."""
        self._opened = opened
        self._repairs = repairs
        self._records = without_gc(records, 1024)
        self.format = format
        self.name = opened.name
        self.count = 0
        self._done = False

    @property
    def warnings(self) -> tuple[DialectWarning, ...]:
        """The repairs made so far, one warning per kind and field."""
        return self._repairs.warnings

    def __iter__(self) -> DumpReader:
        """The reader itself."""
        return self

    def __next__(self) -> ServiceRequest:
        """The next request.

        Raises:
            StopIteration: at the end (strict mode raises ``InvalidDocumentError``
                instead when it found problems).
        """
        try:
            record = next(self._records)
        except StopIteration:
            self.close()
            if not self._done:
                self._done = True
                self._repairs.finish(stacklevel=3)
            raise
        except BaseException:
            self.close()
            raise
        self.count += 1
        return record

    def close(self) -> None:
        """Close what this reader opened (a file you passed stays open)."""
        self._opened.close()

    def __enter__(self) -> DumpReader:
        """Use as a context manager."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close what the reader opened."""
        self.close()
