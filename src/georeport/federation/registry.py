"""The registry of upstream GeoReport endpoints: who they are, where, how to talk to them, what they serve.

A declaration is JSON or TOML (or the mapping either gives). georeport's own
shape is ``{"upstreams": [{...}, ...]}``; each entry has an ``id``
(``a-z``, ``0-9``, ``-``, ``_``, ``.``: it prefixes namespaced service codes,
so no ``:``), a ``base_url`` (or r311's ``root``, open311status's
``endpoint``), the router ``jurisdictions`` it serves (default: its id), an
optional ``api_key``, ``timeout`` (seconds), ``name``, ``discovery_url``, and
its dialect: either a ``dialect`` table or the dialect's keys on the entry
itself, so that an r311 ``endpoints.json`` entry (``limit``, ``json``,
``pagination``, ``jurisdiction``) or an open311status ``cities.yml`` entry
(``requests_limit``, ``format``, ``requests_omit_timezone``, ``headers``) reads
as it stands. A JSON list (r311) or a mapping of id to entry (cities.yml,
once read) is accepted too; ids then come from the keys or from ``name``.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from georeport.client import EndpointDialect
from georeport.errors import GeoReportError
from georeport.federation.errors import RegistryError, UnknownUpstreamError
from georeport.models import Discovery, ServiceList

__all__ = ["Registry", "Upstream", "read_declaration"]

_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,62}")


def _check_id(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise RegistryError(
            f"id must be 1-63 of a-z, 0-9, '-', '_', '.' starting with a letter or digit (got {value!r})"
        )


def _check_url(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or "?" in value or "#" in value:
        raise RegistryError(f"base_url must be an http(s) URL without a query (got {value!r})")


def _check_timeout(_instance: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (math.isfinite(value) and value > 0):
        raise RegistryError(f"timeout must be a positive number of seconds (got {value!r})")


def _jurisdictions(value: Iterable[str] | str) -> tuple[str, ...]:
    items: tuple[object, ...] = (value,) if isinstance(value, str) else tuple(value)
    names = [item for item in items if isinstance(item, str) and item]
    if len(names) != len(items):
        raise RegistryError(f"jurisdictions must be non-empty strings (got {value!r})")
    return tuple(dict.fromkeys(names))


def _upstreams(value: Iterable[Upstream]) -> tuple[Upstream, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Upstream:
    """One GeoReport endpoint the front door forwards to.

    Examples:
        >>> Upstream(id="city-a", base_url="https://311.city-a.gov/v2").jurisdictions
        ('city-a',)
    """

    id: str = attrs.field(validator=_check_id)  # type: ignore[assignment]  # attrs: the validator checks object
    base_url: str = attrs.field(validator=_check_url)  # type: ignore[assignment]
    name: str | None = None
    dialect: EndpointDialect = attrs.field(factory=EndpointDialect)
    jurisdictions: tuple[str, ...] = attrs.field(default=(), converter=_jurisdictions)
    """The router's jurisdiction ids this endpoint answers for (its own id when none are given)."""
    api_key: str | None = attrs.field(default=None, repr=False)
    timeout: float = attrs.field(default=10.0, validator=_check_timeout)
    """Seconds to wait for each of its answers; a fan-out waits no longer for it."""
    discovery_url: str | None = None
    discovery: Discovery | None = attrs.field(default=None, eq=False)
    """Its discovery document, once fetched."""
    catalog: ServiceList | None = attrs.field(default=None, eq=False)
    """Its service list, once fetched (``FrontDoor.refresh``)."""

    def __attrs_post_init__(self) -> None:
        if not self.jurisdictions:
            object.__setattr__(self, "jurisdictions", (self.id,))

    @property
    def served(self) -> frozenset[str]:
        """Every name this upstream answers to: its router jurisdictions and its wire ``jurisdiction_id``."""
        names = set(self.jurisdictions)
        if self.dialect.jurisdiction_id:
            names.add(self.dialect.jurisdiction_id)
        return frozenset(names)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, id: str | None = None) -> Upstream:  # noqa: A002 - the field's name
        """Read one entry (see the module docstring for the names read).

        Raises:
            RegistryError: a missing or wrong value, naming it.
        """
        ident = data.get("id", id)
        if ident is None and isinstance(data.get("name"), str):
            ident = _slug(data["name"])
        base = data.get("base_url", data.get("root", data.get("endpoint")))
        dialect_data = data.get("dialect")
        if isinstance(dialect_data, Mapping):
            dialect = EndpointDialect.from_mapping(dialect_data)
        else:
            dialect = EndpointDialect.from_mapping(data)
        jurisdictions = data.get("jurisdictions", ())
        return cls(
            id=ident,
            base_url=base,
            name=data.get("name"),
            dialect=dialect,
            jurisdictions=jurisdictions,
            api_key=data.get("api_key"),
            timeout=data.get("timeout", 10.0),
            discovery_url=data.get("discovery_url", data.get("api_discovery")),
        )


def read_declaration(text: str | bytes, *, format: str | None = None) -> Any:  # noqa: A002
    """JSON or TOML text as data; with no ``format``, JSON is tried first, then TOML.

    Raises:
        RegistryError: the text is neither (the message gives the parser's complaint).
    """
    try:
        raw = text.decode("utf-8") if isinstance(text, bytes) else text
    except UnicodeDecodeError as error:
        raise RegistryError(f"not UTF-8 text: {error}") from None
    if format not in (None, "json", "toml"):
        raise RegistryError(f"format must be 'json' or 'toml' (got {format!r})")
    if format != "toml":
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            if format == "json" or raw.lstrip()[:1] == "{":
                raise RegistryError(f"not valid JSON: {error}") from None
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"not valid TOML: {error}") from None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:63] or "upstream"


@attrs.frozen
class Registry:
    """The upstreams, by id and by the jurisdictions they serve.

    Raises:
        RegistryError: two upstreams with one id, or one jurisdiction served by two upstreams.

    Examples:
        >>> registry = Registry.loads('{"upstreams": [{"id": "town", "base_url": "https://311.town.gov/v2", "limit": 50}]}')
        >>> registry["town"].dialect.requests_limit, registry.for_jurisdiction("town").id
        (50, 'town')
    """

    upstreams: tuple[Upstream, ...] = attrs.field(converter=_upstreams)
    _by_id: dict[str, Upstream] = attrs.field(init=False, repr=False, eq=False)
    _by_jurisdiction: dict[str, Upstream] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Upstream] = {}
        by_jurisdiction: dict[str, Upstream] = {}
        for index, upstream in enumerate(self.upstreams):
            if upstream.id in by_id:
                raise RegistryError(f"the id {upstream.id!r} is used twice", path=f"upstreams[{index}].id")
            by_id[upstream.id] = upstream
            for name in sorted(upstream.served):
                other = by_jurisdiction.setdefault(name, upstream)
                if other is not upstream:
                    raise RegistryError(
                        f"jurisdiction {name!r} is served by both {other.id!r} and {upstream.id!r}",
                        path=f"upstreams[{index}].jurisdictions",
                    )
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_jurisdiction", by_jurisdiction)

    def __getitem__(self, upstream_id: str) -> Upstream:
        """The upstream with this id.

        Raises:
            UnknownUpstreamError: there is none.
        """
        found = self._by_id.get(upstream_id)
        if found is None:
            raise UnknownUpstreamError(upstream_id, sorted(self._by_id))
        return found

    def __contains__(self, upstream_id: object) -> bool:
        return upstream_id in self._by_id

    def __iter__(self) -> Iterator[Upstream]:
        return iter(self.upstreams)

    def __len__(self) -> int:
        return len(self.upstreams)

    def ids(self) -> list[str]:
        """The upstream ids, in declaration order."""
        return [upstream.id for upstream in self.upstreams]

    def for_jurisdiction(self, jurisdiction: str) -> Upstream | None:
        """The upstream serving a router jurisdiction id (or a wire ``jurisdiction_id``), or None."""
        return self._by_jurisdiction.get(jurisdiction)

    def replace(self, upstream: Upstream) -> Registry:
        """A registry with ``upstream`` in place of the one with its id (a refreshed catalog)."""
        self[upstream.id]
        return Registry(upstream if item.id == upstream.id else item for item in self.upstreams)

    @classmethod
    def from_jurisdictions(cls, jurisdictions: Iterable[Any], **options: Any) -> Registry:
        """One upstream per routing jurisdiction that names an Open311 ``endpoint`` (``georeport.routing.Jurisdiction``).

        Each upstream takes the jurisdiction's id and name; ``options``
        (``timeout``, ``dialect``, ``api_key``...) apply to every one.
        Jurisdictions without an endpoint are left out (reports routed to
        them are ``UnroutableError``).

        Raises:
            RegistryError: a jurisdiction id that cannot be an upstream id.

        Examples:
            >>> from georeport.routing import Jurisdiction
            >>> Registry.from_jurisdictions([Jurisdiction("town", "Town", "municipal", endpoint="https://311.town.gov/v2"),
            ...                              Jurisdiction("usa", "Contact centre", "federal")]).ids()
            ['town']
        """
        upstreams = []
        for index, jurisdiction in enumerate(jurisdictions):
            endpoint = getattr(jurisdiction, "endpoint", None)
            if endpoint is None:
                continue
            try:
                upstreams.append(Upstream(id=jurisdiction.id, base_url=endpoint, name=jurisdiction.name, **options))
            except RegistryError as error:
                raise RegistryError(error.reason, path=f"jurisdictions[{index}]") from None
        return cls(upstreams)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | list[Any]) -> Registry:
        """Read a declaration: ``{"upstreams": [...]}``, a list of entries, or a mapping of id to entry.

        Raises:
            RegistryError: every problem names its place (``upstreams[1]: base_url must be...``).
        """
        entries: list[tuple[str, Mapping[str, Any], str | None]]
        if isinstance(data, Mapping) and "upstreams" in data:
            items = data["upstreams"]
            if not isinstance(items, list):
                raise RegistryError("must be a list of tables", path="upstreams")
            entries = [(f"upstreams[{i}]", item, None) for i, item in enumerate(items)]
        elif isinstance(data, list):
            entries = [(f"[{i}]", item, None) for i, item in enumerate(data)]
        elif isinstance(data, Mapping):
            entries = [(str(key), item, str(key)) for key, item in data.items()]
        else:
            raise RegistryError(f"a registry is a mapping or a list (got {type(data).__name__})")
        upstreams = []
        for path, entry, ident in entries:
            if not isinstance(entry, Mapping):
                raise RegistryError("each upstream is a table", path=path)
            try:
                upstreams.append(Upstream.from_mapping(entry, id=ident))
            except RegistryError as error:
                raise RegistryError(error.reason, path=path) from None
            except GeoReportError as error:
                raise RegistryError(str(error), path=path) from None
        return cls(upstreams)

    @classmethod
    def loads(cls, text: str | bytes, *, format: str | None = None) -> Registry:  # noqa: A002 - as load(format=)
        """Read a declaration from JSON or TOML text (told apart by its first character when ``format`` is None).

        Raises:
            RegistryError: the text is not JSON/TOML, or a declaration problem (with its place).
        """
        data = read_declaration(text, format=format)
        return cls.from_mapping(data)
