"""Answers merged from several upstreams, which say which upstreams are missing from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

import attrs

__all__ = ["FederatedAnswer"]

T = TypeVar("T")


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _missing(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


@attrs.frozen
class FederatedAnswer(Generic[T]):
    """A merged answer and, for every upstream that did not contribute, why.

    An upstream is missing when it failed, timed out, or answered with
    something unreadable; it is never silently left out. An upstream that was
    not asked (it cannot hold what the query selects) is not missing.

    Examples:
        >>> answer = FederatedAnswer([1, 2], asked=("a", "b"), missing={"b": "timed out after 5 s"})
        >>> answer.complete, answer.answered
        (False, ('a',))
    """

    value: T
    asked: tuple[str, ...] = attrs.field(default=(), converter=_names)
    """The upstreams asked, in registry order."""
    missing: dict[str, str] = attrs.field(factory=dict, converter=_missing)
    """Upstream id -> why its part is missing."""

    @property
    def complete(self) -> bool:
        """Whether every upstream asked contributed."""
        return not self.missing

    @property
    def answered(self) -> tuple[str, ...]:
        """The upstreams that contributed."""
        return tuple(name for name in self.asked if name not in self.missing)
