"""``georeport.sla.__all__`` is sorted and exactly its public namespace; every name is documented."""

from __future__ import annotations

import inspect

from georeport import GeoReportError, sla
from georeport.sla import CalendarError, PausedClockError

SUBMODULES = {"calendar", "errors", "policy", "states", "targets"}


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(sla) if not name.startswith("_")} - SUBMODULES
    assert sorted(sla.__all__, key=lambda name: (not name.isupper(), name)) == sla.__all__
    assert set(sla.__all__) == public


def test_every_public_name_and_public_method_has_a_docstring() -> None:
    missing = []
    for name in sla.__all__:
        value = getattr(sla, name)
        if not isinstance(value, str | float | tuple) and not inspect.getdoc(value):
            missing.append(name)
        if inspect.isclass(value):
            for member, attribute in vars(value).items():
                documentable = callable(attribute) or isinstance(attribute, property | classmethod)
                if not member.startswith("_") and documentable and not inspect.getdoc(attribute):
                    missing.append(f"{name}.{member}")
    assert missing == []


def test_the_errors_hang_under_the_root_and_are_value_errors() -> None:
    for error in (CalendarError, PausedClockError):
        assert issubclass(error, GeoReportError)
        assert issubclass(error, ValueError)
    assert PausedClockError.status_hint == 409
