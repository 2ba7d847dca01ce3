"""``from_toml``/``from_json`` written once for the classes read from a declaration (private).

A calendar and a policy book are both declared as a table (TOML or JSON
text) and built by their own ``from_dict``; this mixin turns the text into
that table. The readers live in ``_declaration``, imported when called
(it imports the classes, so a top-level import would be a cycle).
"""

from __future__ import annotations

from typing import Self

__all__ = ["Declared"]


class Declared:
    """``from_toml`` and ``from_json`` over the class's ``from_dict``."""

    __slots__ = ()

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """The instance a declaration describes (each class says how)."""
        raise NotImplementedError

    @classmethod
    def from_toml(cls, text: str) -> Self:
        """From a TOML declaration (see ``from_dict``)."""
        from georeport.sla._declaration import load_toml  # noqa: PLC0415 - a cycle otherwise

        return cls.from_dict(load_toml(text))

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """From a JSON declaration (see ``from_dict``)."""
        from georeport.sla._declaration import load_json  # noqa: PLC0415 - a cycle otherwise

        return cls.from_dict(load_json(text))
