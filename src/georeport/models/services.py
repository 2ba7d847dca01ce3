"""The service catalogue documents: ``GET services`` and ``GET services/{code}``.

Field names are the standard's, so the wire mapping is the identity.
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from georeport.models._fields import (
    JSONValue,
    extensions_dict,
    flag,
    json_like,
    optional_str,
    required_str,
    to_enum,
    to_tuple,
)

__all__ = [
    "AttributeValue",
    "Datatype",
    "Service",
    "ServiceAttribute",
    "ServiceDefinition",
    "ServiceType",
]


class ServiceType(StrEnum):
    """How a POST for the service identifies the new request."""

    REALTIME = "realtime"
    """The POST answers with a ``service_request_id`` at once."""
    BATCH = "batch"
    """The POST answers with a ``token``; the id comes later from ``GET tokens/{token}``."""
    BLACKBOX = "blackbox"
    """The POST answers with no id at all."""


class Datatype(StrEnum):
    """The six datatypes a service attribute may have."""

    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"

    @property
    def is_list(self) -> bool:
        """Whether answers are chosen from the attribute's ``values``."""
        return self in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)


def _service_type(value: ServiceType | str | None) -> ServiceType | None:
    """Convert to ``ServiceType``, naming the field on error."""
    return None if value is None else to_enum(ServiceType, value, "type")


def _datatype(value: Datatype | str) -> Datatype:
    """Convert to ``Datatype``, naming the field on error."""
    return to_enum(Datatype, value, "datatype")


@attrs.frozen
class Service:
    """One entry of the service list (``<service>``).

    Examples:
        >>> Service("001", "Cans left out 24x7", type=ServiceType.REALTIME).metadata
        False
    """

    service_code: str = attrs.field(validator=required_str)
    service_name: str | None = attrs.field(default=None, validator=optional_str)
    description: str | None = attrs.field(default=None, validator=optional_str)
    metadata: bool = attrs.field(default=False, validator=flag)
    """Whether a service definition (``GET services/{code}``) exists."""
    type: ServiceType | None = attrs.field(
        default=None,
        converter=_service_type,
    )
    keywords: str | None = attrs.field(default=None, validator=optional_str)
    """Comma-separated, exactly as sent; see ``keyword_list``."""
    group: str | None = attrs.field(default=None, validator=optional_str)
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )
    """What the standard does not name, in arrival order (e.g. mySociety's ``groups``)."""

    @property
    def keyword_list(self) -> tuple[str, ...]:
        """The keywords split on commas (and semicolons), stripped, empties dropped."""
        if not self.keywords:
            return ()
        parts = self.keywords.replace(";", ",").split(",")
        return tuple(part.strip() for part in parts if part.strip())


@attrs.frozen
class AttributeValue:
    """One option of a list attribute: the ``key`` submitted and the ``name`` shown."""

    key: str = attrs.field(validator=required_str)
    name: str | None = attrs.field(default=None, validator=optional_str)
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )


@attrs.frozen
class ServiceAttribute:
    """One question of a service definition (``<attribute>``)."""

    code: str = attrs.field(validator=required_str)
    """The id; a POST answers it as ``attribute[code]``."""
    datatype: Datatype = attrs.field(default=Datatype.STRING, converter=_datatype)
    variable: bool = attrs.field(default=True, validator=flag)
    """``False``: informational only; no answer is collected (``required`` is then moot)."""
    required: bool = attrs.field(default=False, validator=flag)
    datatype_description: str | None = attrs.field(default=None, validator=optional_str)
    order: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.instance_of(int)),
    )
    """Display order, ascending (the standard says positive and unique; real servers repeat)."""
    description: str | None = attrs.field(default=None, validator=optional_str)
    """The question shown to the person."""
    values: tuple[AttributeValue, ...] = attrs.field(default=(), converter=to_tuple)
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of ``values``, in order."""
        return tuple(value.key for value in self.values)


@attrs.frozen
class ServiceDefinition:
    """The ``<service_definition>`` document: the questions a service asks.

    ``service_code`` is None only when a server left it out (seen in the wild).
    """

    service_code: str | None = attrs.field(default=None, validator=optional_str)
    attributes: tuple[ServiceAttribute, ...] = attrs.field(default=(), converter=to_tuple)
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )
    warnings: tuple[Warning, ...] = attrs.field(default=(), converter=to_tuple, eq=False, hash=False, repr=False)
    """Repairs the lenient reader made (empty when built in code)."""

    def ordered(self) -> tuple[ServiceAttribute, ...]:
        """The attributes in display order: by ``order``, then as listed (stable)."""
        indexed = sorted(
            enumerate(self.attributes),
            key=lambda pair: (pair[1].order is None, pair[1].order or 0, pair[0]),
        )
        return tuple(attribute for _, attribute in indexed)

    def attribute(self, code: str) -> ServiceAttribute:
        """The attribute with this code.

        Raises:
            KeyError: no attribute has the code.
        """
        for attribute in self.attributes:
            if attribute.code == code:
                return attribute
        raise KeyError(code)
