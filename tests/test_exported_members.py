"""Every public package's ``__all__`` is sorted, exactly its public namespace, and documented."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from tests._exports import check_exports, ruff_order, undocumented

PACKAGES = [
    "georeport",
    "georeport.client",
    "georeport.federation",
    "georeport.lifecycle",
    "georeport.routing",
    "georeport.server",
    "georeport.sla",
    "georeport.stats",
    "georeport.wire",
]
# The ``Event`` alias is assigned in client/base.py without an attribute docstring
# (a one-line fix in that module, outside the change that added this check).
KNOWN_GAPS: dict[str, frozenset[str]] = {}


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_complete_and_documented(name: str) -> None:
    check_exports(importlib.import_module(name), known_gaps=KNOWN_GAPS.get(name, frozenset()))


def test_the_order_is_ruffs() -> None:
    names = ["item10", "item2", "A", "UTC", "Bc", "X_1", "_p", "__version__", "aB", "Zz", "ab"]
    assert sorted(names, key=ruff_order) == [
        "UTC",
        "X_1",
        "A",
        "Bc",
        "Zz",
        "__version__",
        "_p",
        "aB",
        "ab",
        "item2",
        "item10",
    ]


def _package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> ModuleType:
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module(name)


def test_the_check_catches_an_unsorted_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(
        tmp_path, monkeypatch, "unsorted_pkg", 'def b():\n    """B."""\ndef a():\n    """A."""\n__all__ = ["b", "a"]\n'
    )
    with pytest.raises(AssertionError, match="not sorted"):
        check_exports(package)


def test_the_check_catches_a_public_name_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = (
        'from os.path import join\n\ndef a():\n    """A."""\n    return join\ndef b():\n    """B."""\n__all__ = ["a"]\n'
    )
    package = _package(tmp_path, monkeypatch, "incomplete_pkg", source)
    with pytest.raises(AssertionError, match=r"not in __all__ \['b'\]"):
        check_exports(package)


def test_an_import_the_package_uses_is_a_helper_and_one_it_does_not_must_be_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = 'from os.path import join\n\ndef a():\n    """A."""\n    return join\n__all__ = ["a"]\n'
    check_exports(_package(tmp_path, monkeypatch, "helper_pkg", used))
    unused = 'from os.path import join\n\ndef a():\n    """A."""\n__all__ = ["a"]\n'
    with pytest.raises(AssertionError, match=r"not in __all__ \['join'\]"):
        check_exports(_package(tmp_path, monkeypatch, "reexport_pkg", unused))


def test_the_check_catches_missing_docstrings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = (
        'LIMIT = 3\nNAME = "x"\n"""The name."""\nclass A:\n    def run(self): ...\n__all__ = ["LIMIT", "NAME", "A"]\n'
    )
    package = _package(tmp_path, monkeypatch, "undocumented_pkg", source)
    assert undocumented(package) == ["LIMIT", "A", "A.run"]
    with pytest.raises(AssertionError, match="no docstring for"):
        check_exports(package)
    with pytest.raises(AssertionError, match="drop from known_gaps"):
        check_exports(package, known_gaps=frozenset({"NAME"}))
    check_exports(package, known_gaps=frozenset({"LIMIT", "A", "A.run"}))
