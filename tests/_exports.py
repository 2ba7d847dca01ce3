"""One check of a public package's exports, for every package (``tests/test_exported_members.py``).

A package's ``__all__`` is sorted the way ruff's RUF022 sorts it (constants,
then classes, then the rest, in natural order), holds each name once, and is
exactly its public namespace: every public name the package binds, except
modules and the names its ``__init__`` imports for its own code (a name
imported and used in a function or annotation there is a helper, not an
export). Every exported class and function has a docstring, and so has each
public method and property of an exported class. Constants and type aliases
cannot carry a docstring at run time, so theirs is the attribute docstring
(the string literal right after the assignment) in the module that assigns
them, found by following the ``from ... import`` chain from the package.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
from functools import cache
from pathlib import Path
from types import ModuleType

__all__ = ["check_exports", "ruff_order", "undocumented"]


def ruff_order(name: str) -> tuple[int, tuple[str | int, ...]]:
    """The sort key of ruff's RUF022 (isort-style): SCREAMING_CASE, then CamelCase, then the rest, naturally."""
    group = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    parts = re.split(r"(\d+)", name)
    return group, tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


@cache
def _tree(module_name: str) -> ast.Module:
    spec = importlib.util.find_spec(module_name)
    assert spec is not None
    assert spec.origin is not None
    return ast.parse(Path(spec.origin).read_text(encoding="utf-8"))


def _helpers(package: ModuleType) -> set[str]:
    """Names the package's ``__init__`` imports and uses in its own code (not ``from __future__``)."""
    tree = _tree(package.__name__)
    imported: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module != "__future__":
            imported.update(alias.asname or alias.name for alias in statement.names)
        elif isinstance(statement, ast.Import):
            imported.update(alias.asname or alias.name.partition(".")[0] for alias in statement.names)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    return imported & used


def _public_namespace(package: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(package).items()
        if not name.startswith("_") and not inspect.ismodule(value) and type(value).__module__ != "__future__"
    }


def _has_attribute_docstring(module_name: str, name: str, depth: int = 0) -> bool:
    """Whether ``name`` is assigned with a docstring after it in ``module_name``, or in a module it imports it from."""
    assert depth < 10, f"{name}: import chain too long from {module_name}"
    body = _tree(module_name).body
    for statement, following in zip(body, [*body[1:], None], strict=True):
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            return (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
                and bool(following.value.value.strip())
            )
        if isinstance(statement, ast.ImportFrom) and statement.module and statement.level == 0:
            for alias in statement.names:
                if (alias.asname or alias.name) == name:
                    return _has_attribute_docstring(statement.module, alias.name, depth + 1)
    return False


def undocumented(package: ModuleType) -> list[str]:
    """The exported names (and public methods and properties of exported classes) without a docstring."""
    missing = []
    for name in package.__all__:
        if name.startswith("__"):
            continue
        value = getattr(package, name)
        if inspect.isclass(value) or inspect.isroutine(value):
            if not inspect.getdoc(value):
                missing.append(name)
        elif not _has_attribute_docstring(package.__name__, name):
            missing.append(name)
        if inspect.isclass(value):
            for member, attribute in vars(value).items():
                documentable = callable(attribute) or isinstance(attribute, property | classmethod | staticmethod)
                if not member.startswith("_") and documentable and not inspect.getdoc(attribute):
                    missing.append(f"{name}.{member}")
    return missing


def check_exports(package: ModuleType, *, known_gaps: frozenset[str] = frozenset()) -> None:
    """Assert that ``package.__all__`` is sorted, unique, exactly the public namespace, and documented.

    ``known_gaps`` are names known to lack a docstring (each must still lack
    one, so the list shrinks as they are written).
    """
    exported = list(package.__all__)
    assert exported == sorted(exported, key=ruff_order), f"{package.__name__}.__all__ is not sorted"
    assert len(set(exported)) == len(exported), f"{package.__name__}.__all__ repeats a name"
    dunders = {name for name in exported if name.startswith("__")}
    assert all(hasattr(package, name) for name in dunders), f"{package.__name__}.__all__ names a missing dunder"
    public = _public_namespace(package) - (_helpers(package) - set(exported))
    listed = set(exported) - dunders
    assert listed == public, (
        f"{package.__name__}: public but not in __all__ {sorted(public - listed)}, in __all__ but not public {sorted(listed - public)}"
    )
    missing = undocumented(package)
    assert known_gaps <= set(missing), (
        f"{package.__name__}: documented now, drop from known_gaps {sorted(known_gaps - set(missing))}"
    )
    missing = [name for name in missing if name not in known_gaps]
    assert not missing, f"{package.__name__}: no docstring for {missing}"
