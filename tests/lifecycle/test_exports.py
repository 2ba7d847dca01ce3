"""``georeport.lifecycle``'s errors; its ``__all__`` is checked with every package's in ``tests/test_exported_members.py``."""

from __future__ import annotations

from georeport import GeoReportError
from georeport.lifecycle import TransitionError, WorkflowError


def test_the_errors_hang_under_the_root() -> None:
    assert issubclass(TransitionError, GeoReportError)
    assert issubclass(WorkflowError, GeoReportError)
    assert TransitionError.status_hint == 409
