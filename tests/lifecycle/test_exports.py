"""``georeport.lifecycle.__all__`` is sorted and exactly its public namespace; every name is documented."""

from __future__ import annotations

import inspect

from georeport import GeoReportError, lifecycle
from georeport.lifecycle import TransitionError, WorkflowError

SUBMODULES = {"case", "channels", "default", "diagram", "errors", "events", "serialize", "states", "workflow"}


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(lifecycle) if not name.startswith("_")} - SUBMODULES
    assert sorted(lifecycle.__all__) == lifecycle.__all__
    assert set(lifecycle.__all__) == public


def test_every_public_name_and_public_method_has_a_docstring() -> None:
    missing = []
    for name in lifecycle.__all__:
        value = getattr(lifecycle, name)
        if not inspect.getdoc(value):
            missing.append(name)
        if inspect.isclass(value):
            for member, attribute in vars(value).items():
                documentable = callable(attribute) or isinstance(attribute, property | classmethod)
                if not member.startswith("_") and documentable and not inspect.getdoc(attribute):
                    missing.append(f"{name}.{member}")
    assert missing == []


def test_the_errors_hang_under_the_root() -> None:
    assert issubclass(TransitionError, GeoReportError)
    assert issubclass(WorkflowError, GeoReportError)
    assert TransitionError.status_hint == 409
