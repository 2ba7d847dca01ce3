"""The facade's ``__all__`` is sorted and exactly its public namespace."""

from __future__ import annotations

import inspect

import georeport


def test_all_is_sorted_and_complete() -> None:
    public = {
        name for name in dir(georeport) if not name.startswith("_") and not inspect.ismodule(getattr(georeport, name))
    }
    assert sorted(georeport.__all__) == georeport.__all__
    assert set(georeport.__all__) - {"__version__"} == public


def test_every_public_name_has_a_docstring() -> None:
    missing = [
        name
        for name in georeport.__all__
        if name != "__version__" and not getattr(getattr(georeport, name), "__doc__", None)
    ]
    assert missing == []
