"""``georeport.sla``'s errors; its ``__all__`` is checked with every package's in ``tests/test_exported_members.py``."""

from __future__ import annotations

from georeport import GeoReportError
from georeport.sla import CalendarError, PausedClockError


def test_the_errors_hang_under_the_root_and_are_value_errors() -> None:
    for error in (CalendarError, PausedClockError):
        assert issubclass(error, GeoReportError)
        assert issubclass(error, ValueError)
    assert PausedClockError.status_hint == 409
