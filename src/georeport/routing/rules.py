"""Precedence rules: which of the jurisdictions covering a point takes a service.

Without rules the most local level wins (special district, then municipal,
county, state, federal), and agencies without a boundary come after every
jurisdiction with one. A ``Prefer`` rule lifts a level, or one named
jurisdiction, above that order for some services: on federal land the
federal agency takes park services; on a federal road's right of way the
federal highway agency takes road services. Rules are tried in the order
given; the first that matches a jurisdiction and a service sets its rank, and
a lower rank wins before levels are compared.
"""

from __future__ import annotations

from typing import Any

import attrs

from georeport.errors import ValidationError
from georeport.routing.jurisdictions import Jurisdiction, Level

__all__ = ["Prefer"]


def _codes(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, str | list | tuple | set | frozenset):
        raise ValidationError("services", value, "a list of service codes, a comma-separated string, or None")
    items = value.split(",") if isinstance(value, str) else list(value)
    if not all(isinstance(code, str) and code.strip() for code in items):
        raise ValidationError("services", value, "service code strings")
    codes = frozenset(code.strip() for code in items)
    if not codes:
        raise ValidationError("services", value, "at least one service code, or None for every service")
    return codes


def _optional_text(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if value is not None and not isinstance(value, str):
            raise ValidationError(field, value, "a string")

    return check


def _level(value: Level | str | int | None) -> Level | None:
    return None if value is None else Level.parse(value)


@attrs.frozen
class Prefer:
    """Give a level, or one jurisdiction, priority for some services wherever it covers the point.

    Args:
        services: the service codes the rule is about (an iterable or a
            comma-separated string); None for every service.
        level: the level that wins (``"federal"``), or
        jurisdiction: the id of the jurisdiction that wins (exactly one of the two).
        name: a few words that explanations quote ("federal land: park services").

    Raises:
        ValidationError: neither or both of ``level`` and ``jurisdiction``, or no service codes.

    Examples:
        >>> rule = Prefer(services="PK-101", level="federal", name="federal land: park services")
        >>> rule.label
        'federal land: park services'
        >>> Prefer(services=["ST-214"], jurisdiction="fhwa-route-36").label
        "prefer 'fhwa-route-36' for ST-214"
    """

    services: frozenset[str] | None = attrs.field(converter=_codes, kw_only=True)
    level: Level | None = attrs.field(default=None, converter=_level, kw_only=True)
    jurisdiction: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text("jurisdiction"))
    name: str = attrs.field(default="", kw_only=True, validator=_optional_text("name"))

    def __attrs_post_init__(self) -> None:
        if (self.level is None) == (self.jurisdiction is None):
            raise ValidationError("level", (self.level, self.jurisdiction), "given, or jurisdiction given, not both")

    @property
    def label(self) -> str:
        """The rule's name, or a description made from its fields."""
        if self.name:
            return self.name
        who = f"{self.level.wire} level" if self.level is not None else repr(self.jurisdiction)
        what = "every service" if self.services is None else ", ".join(sorted(self.services))
        return f"prefer {who} for {what}"

    def applies(self, jurisdiction: Jurisdiction, service_code: str) -> bool:
        """Whether the rule lifts ``jurisdiction`` for ``service_code``."""
        if self.services is not None and service_code not in self.services:
            return False
        if self.level is not None:
            return jurisdiction.level is self.level
        return jurisdiction.id == self.jurisdiction

    def to_dict(self) -> dict[str, Any]:
        """The rule as the ``routing.rules`` member of a jurisdictions GeoJSON file writes it."""
        data: dict[str, Any] = {"services": None if self.services is None else sorted(self.services)}
        if self.level is not None:
            data["level"] = self.level.wire
        else:
            data["jurisdiction"] = self.jurisdiction
        if self.name:
            data["name"] = self.name
        return data
