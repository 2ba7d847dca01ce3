"""The crosswalk: each upstream's service codes mapped to one common taxonomy, declared as data.

A person reports "a pothole"; the town calls it ``PK-101``, the federal
highway agency ``RD-7``. The crosswalk names the common service once
(``pothole``, with the name people see) and maps each upstream's codes to it.
Federated service codes are then either a common code (``pothole``: routed
by location) or a namespaced upstream code (``town:SW-9``: that upstream,
that service), for services no common entry covers. Common codes hold no
``:``; namespaced codes hold exactly the upstream id, ``:``, and the code.

Declaration (JSON or TOML)::

    [services.pothole]
    name = "Pothole or road damage"
    group = "Streets"
    keywords = "road,pothole"

    [codes.town]
    "PK-101" = "pothole"
    [codes.fhwa]
    "RD-7" = "pothole"
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from georeport.federation.errors import RegistryError
from georeport.federation.registry import read_declaration
from georeport.models import Service, ServiceType

__all__ = ["CommonService", "Crosswalk", "namespaced", "split_namespaced"]

SEPARATOR = ":"


def namespaced(upstream: str, code: str) -> str:
    """``upstream:code``: a federated code naming one upstream's service."""
    return f"{upstream}{SEPARATOR}{code}"


def split_namespaced(code: str) -> tuple[str, str] | None:
    """``(upstream, code)`` of a namespaced code, or None for a common one.

    Examples:
        >>> split_namespaced("town:SW:9"), split_namespaced("pothole")
        (('town', 'SW:9'), None)
    """
    upstream, sep, rest = code.partition(SEPARATOR)
    if not sep or not upstream or not rest:
        return None
    return upstream, rest


@attrs.frozen(kw_only=True)
class CommonService:
    """One service of the common taxonomy, as the person sees it."""

    code: str
    name: str
    description: str | None = None
    group: str | None = None
    keywords: str | None = None

    def service(self, *, type: ServiceType | None = ServiceType.REALTIME) -> Service:  # noqa: A002 - the spec's name
        """The ``<service>`` record a front door lists (no definition: attributes differ by upstream)."""
        return Service(
            self.code,
            self.name,
            self.description,
            metadata=False,
            type=type,
            keywords=self.keywords,
            group=self.group,
        )


def _text(value: object, path: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ",".join(value)
    if not isinstance(value, str):
        raise RegistryError(f"must be text (got {value!r})", path=path)
    return value


@attrs.frozen
class Crosswalk:
    """Common services and, per upstream, which of its codes is which common service.

    Examples:
        >>> walk = Crosswalk.from_mapping({"services": {"pothole": {"name": "Pothole"}},
        ...                                "codes": {"town": {"PK-101": "pothole"}, "dot": {"RD-7": "pothole"}}})
        >>> walk.common("dot", "RD-7"), walk.upstream_codes("pothole", "town")
        ('pothole', ('PK-101',))
    """

    services: Mapping[str, CommonService] = attrs.field(factory=dict)
    codes: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    """Upstream id -> {upstream code -> common code}."""
    _reverse: dict[tuple[str, str], tuple[str, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        reverse: dict[tuple[str, str], list[str]] = {}
        for code in self.services:
            if not code or SEPARATOR in code:
                raise RegistryError(f"a common code must be non-empty and hold no ':' (got {code!r})", path="services")
        for upstream, table in self.codes.items():
            for upstream_code, common in table.items():
                if common not in self.services:
                    raise RegistryError(
                        f"maps to {common!r}, which is not a declared common service",
                        path=f"codes.{upstream}.{upstream_code}",
                    )
                reverse.setdefault((common, upstream), []).append(upstream_code)
        object.__setattr__(self, "_reverse", {key: tuple(value) for key, value in reverse.items()})

    def common(self, upstream: str, code: str) -> str | None:
        """The common code an upstream's service code maps to, or None."""
        table = self.codes.get(upstream)
        return table.get(code) if table is not None else None

    def upstream_codes(self, common: str, upstream: str) -> tuple[str, ...]:
        """The upstream's codes for a common service, in declaration order (the first is used to submit)."""
        return self._reverse.get((common, upstream), ())

    def federated_code(self, upstream: str, code: str) -> str:
        """How the front door names an upstream's service: its common code, or ``upstream:code``."""
        return self.common(upstream, code) or namespaced(upstream, code)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Crosswalk:
        """Read ``{"services": {code: {name, description, group, keywords}}, "codes": {upstream: {code: common}}}``.

        Raises:
            RegistryError: a wrong shape or value, with its place.
        """
        services_data = data.get("services", {})
        codes_data = data.get("codes", {})
        if not isinstance(services_data, Mapping) or not isinstance(codes_data, Mapping):
            raise RegistryError("'services' and 'codes' must be tables")
        services: dict[str, CommonService] = {}
        for code, entry in services_data.items():
            path = f"services.{code}"
            if isinstance(entry, str):
                entry = {"name": entry}
            if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str) or not entry["name"]:
                raise RegistryError("needs a 'name' (what people call the service)", path=path)
            services[str(code)] = CommonService(
                code=str(code),
                name=entry["name"],
                description=_text(entry.get("description"), f"{path}.description"),
                group=_text(entry.get("group"), f"{path}.group"),
                keywords=_text(entry.get("keywords"), f"{path}.keywords"),
            )
        codes: dict[str, dict[str, str]] = {}
        for upstream, table in codes_data.items():
            if not isinstance(table, Mapping) or not all(isinstance(v, str) for v in table.values()):
                raise RegistryError("must map upstream codes to common codes", path=f"codes.{upstream}")
            codes[str(upstream)] = {str(key): value for key, value in table.items()}
        return cls(services, codes)

    @classmethod
    def loads(cls, text: str | bytes, *, format: str | None = None) -> Crosswalk:  # noqa: A002
        """Read a crosswalk from JSON or TOML text.

        Raises:
            RegistryError: not JSON/TOML, or a declaration problem.
        """
        data = read_declaration(text, format=format)
        return cls.from_mapping(data)
