"""``georeport.routing`` exports exactly its public names, sorted, each documented."""

from __future__ import annotations

import importlib
import inspect

import pytest

import georeport.routing

MODULES = ["decisions", "errors", "geojson", "jurisdictions", "router", "rules"]


def test_all_is_sorted_complete_and_documented() -> None:
    package = georeport.routing
    public = {
        name for name in dir(package) if not name.startswith("_") and not inspect.ismodule(getattr(package, name))
    }
    public -= {"annotations", "resources"}
    assert sorted(package.__all__) == package.__all__
    assert set(package.__all__) == public
    assert [name for name in package.__all__ if not getattr(package, name).__doc__] == []


@pytest.mark.parametrize("name", MODULES)
def test_every_module_lists_what_it_defines(name: str) -> None:
    module = importlib.import_module(f"georeport.routing.{name}")
    assert module.__doc__
    defined = {
        attribute
        for attribute, value in vars(module).items()
        if not attribute.startswith("_") and getattr(value, "__module__", None) == module.__name__
    }
    assert defined <= set(module.__all__)
    assert all(hasattr(module, exported) for exported in module.__all__)
