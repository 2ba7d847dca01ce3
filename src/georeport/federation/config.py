"""One declaration for a whole federation: the registry and the crosswalk side by side."""

from __future__ import annotations

from georeport.federation.crosswalk import Crosswalk
from georeport.federation.errors import RegistryError
from georeport.federation.registry import Registry, read_declaration

__all__ = ["read_federation"]


def read_federation(text: str | bytes, *, format: str | None = None) -> tuple[Registry, Crosswalk]:  # noqa: A002
    """A registry and a crosswalk from one JSON or TOML declaration holding both.

    The declaration has the registry's ``upstreams`` and the crosswalk's
    ``services`` and ``codes`` side by side (``docs/federation.md``).

    Raises:
        RegistryError: the text is neither JSON nor TOML, or a declaration problem (with its place).

    Examples:
        >>> registry, crosswalk = read_federation('''
        ... [[upstreams]]
        ... id = "town"
        ... base_url = "https://311.town.gov/v2"
        ... [services.pothole]
        ... name = "Pothole"
        ... [codes.town]
        ... "PK-101" = "pothole"
        ... ''')
        >>> registry.ids(), crosswalk.federated_code("town", "PK-101")
        (['town'], 'pothole')
    """
    data = read_declaration(text, format=format)
    if not isinstance(data, dict):
        raise RegistryError("a federation declaration is a table with 'upstreams', 'services' and 'codes'")
    return Registry.from_mapping(data), Crosswalk.from_mapping(data)
