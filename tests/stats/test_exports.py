"""``georeport.stats`` exports exactly its public names, each documented."""

from __future__ import annotations

import inspect

import georeport.stats


def test_all_is_the_public_namespace() -> None:
    public = {
        name
        for name in dir(georeport.stats)
        if not name.startswith("_") and not inspect.ismodule(getattr(georeport.stats, name))
    }
    assert set(georeport.stats.__all__) == public
    assert len(set(georeport.stats.__all__)) == len(georeport.stats.__all__)


def test_every_public_class_and_function_has_a_docstring() -> None:
    missing = [
        name
        for name in georeport.stats.__all__
        if (inspect.isclass(getattr(georeport.stats, name)) or inspect.isfunction(getattr(georeport.stats, name)))
        and not inspect.getdoc(getattr(georeport.stats, name))
    ]
    assert missing == []
