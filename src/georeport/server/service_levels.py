"""``expected_datetime`` for the reference server: each jurisdiction's SLA policy book (``georeport.sla``).

A jurisdiction's ``sla`` is a ``PolicyBook`` declaration (the dict
``PolicyBook.from_dict`` reads: named calendars, a default policy, policies
per service). The server publishes ``expected_datetime`` as the resolution
due time of the request's policy, computed when the request is read, from
its case: a pause (``waiting_on_citizen``) pushes it, and a pause still
running counts up to now. No policy, or no resolution target: no
``expected_datetime``.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from georeport.errors import GeoReportError
from georeport.lifecycle import Case
from georeport.server.jurisdictions import Jurisdiction
from georeport.sla import PolicyBook

__all__ = ["ServiceLevels"]

_LOG = logging.getLogger("georeport.server")


class ServiceLevels:
    """Computes ``expected_datetime`` from each jurisdiction's policy book (read once, then cached; thread-safe)."""

    def __init__(self) -> None:
        self._books: dict[str, PolicyBook | None] = {}
        self._lock = threading.Lock()

    def book(self, jurisdiction: Jurisdiction) -> PolicyBook | None:
        """The jurisdiction's policy book; None when it declares none.

        Raises:
            georeport.sla.CalendarError: the declaration is wrong.
        """
        key = jurisdiction.jurisdiction_id
        with self._lock:
            if key not in self._books:
                self._books[key] = None if jurisdiction.sla is None else PolicyBook.from_dict(dict(jurisdiction.sla))
            return self._books[key]

    def expected(self, jurisdiction: Jurisdiction, case: Case, now: datetime) -> datetime | None:
        """When the case's resolution is due under its policy, pauses counted up to ``now``; None without a target."""
        book = self.book(jurisdiction)
        if book is None:
            return None
        try:
            return book.expected_datetime(case, jurisdiction=jurisdiction.jurisdiction_id, as_of=now)
        except GeoReportError:  # a due time beyond the calendar's years: publish none rather than fail the answer
            _LOG.warning("no expected_datetime for %s", case.request.service_request_id, exc_info=True)
            return None
