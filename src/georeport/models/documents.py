"""The documents GeoReport v2 exchanges, as typed containers.

A list document (services, requests, POST receipts, token replies, errors)
is an immutable sequence of its records; a service definition and a discovery
document are models of their own. Every document carries the ``warnings`` a
lenient reader issued while building it, and keeps the root's unknown keys in
``extensions``.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import ClassVar, Generic, TypeAlias, TypeVar, overload

import attrs

from georeport.models._fields import JSONValue, extensions_dict, json_like, to_tuple
from georeport.models.api_errors import Error
from georeport.models.discovery import Discovery
from georeport.models.service_requests import ServiceRequest, SubmissionReceipt, TokenReceipt
from georeport.models.services import Service, ServiceDefinition

__all__ = [
    "Document",
    "DocumentKind",
    "ErrorList",
    "ReceiptList",
    "RecordList",
    "ServiceList",
    "ServiceRequestList",
    "TokenList",
]

T = TypeVar("T")


class DocumentKind(StrEnum):
    """What a document holds. ``load(kind=...)`` takes these (and ``"request"``)."""

    SERVICES = "services"
    SERVICE_DEFINITION = "service_definition"
    REQUESTS = "requests"
    """``GET requests`` and ``GET requests/{id}`` alike (one request is a list of one)."""
    RECEIPTS = "receipts"
    """The reply to ``POST requests``."""
    TOKENS = "tokens"
    """The reply to ``GET tokens/{token}``."""
    ERRORS = "errors"
    DISCOVERY = "discovery"

    @classmethod
    def _missing_(cls, value: object) -> DocumentKind | None:
        aliases = {
            "request": cls.REQUESTS,
            "service_requests": cls.REQUESTS,
            "receipt": cls.RECEIPTS,
            "post_response": cls.RECEIPTS,
            "token": cls.TOKENS,
            "service_list": cls.SERVICES,
            "definition": cls.SERVICE_DEFINITION,
        }
        return aliases.get(str(value).lower()) if isinstance(value, str) else None


@attrs.frozen
class RecordList(Generic[T]):
    """An immutable sequence of records with the document's warnings and root extensions."""

    items: tuple[T, ...] = attrs.field(default=(), converter=to_tuple)
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )
    """Keys of a vendor wrapper object other than the list itself."""
    warnings: tuple[Warning, ...] = attrs.field(default=(), converter=to_tuple, eq=False, hash=False, repr=False)
    """Repairs the lenient reader made (empty when built in code)."""

    kind: ClassVar[DocumentKind]
    """What the document holds (set by each subclass)."""

    def __iter__(self) -> Iterator[T]:
        """Iterate over the records."""
        return iter(self.items)

    def __len__(self) -> int:
        """The number of records."""
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        """A record by position, or a tuple of them by slice."""
        return self.items[index]

    def one(self) -> T:
        """The only record (``GET requests/{id}`` answers a list of exactly one).

        Raises:
            LookupError: the document holds no record or more than one.
        """
        if len(self.items) != 1:
            msg = f"expected exactly one record, found {len(self.items)}"
            raise LookupError(msg)
        return self.items[0]


@attrs.frozen
class ServiceList(RecordList[Service]):
    """The reply to ``GET services``."""

    kind = DocumentKind.SERVICES

    def get(self, service_code: str) -> Service | None:
        """The service with this code, or None."""
        return next((service for service in self.items if service.service_code == service_code), None)


@attrs.frozen
class ServiceRequestList(RecordList[ServiceRequest]):
    """The reply to ``GET requests`` (and ``GET requests/{id}``, a list of one)."""

    kind = DocumentKind.REQUESTS


@attrs.frozen
class ReceiptList(RecordList[SubmissionReceipt]):
    """The reply to ``POST requests``: normally one receipt."""

    kind = DocumentKind.RECEIPTS


@attrs.frozen
class TokenList(RecordList[TokenReceipt]):
    """The reply to ``GET tokens/{token}``."""

    kind = DocumentKind.TOKENS


@attrs.frozen
class ErrorList(RecordList[Error]):
    """An ``<errors>`` document: one or more errors a server answered with."""

    kind = DocumentKind.ERRORS


Document: TypeAlias = (
    ServiceList | ServiceDefinition | ServiceRequestList | ReceiptList | TokenList | ErrorList | Discovery
)
"""Any GeoReport v2 document."""
