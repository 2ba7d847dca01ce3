"""Each ``georeport.routing`` module lists what it defines; the package's ``__all__`` is checked in ``tests/test_exported_members.py``."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["decisions", "errors", "geojson", "jurisdictions", "router", "rules"]


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
