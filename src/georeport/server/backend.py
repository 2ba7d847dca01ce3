"""What the reference server's WSGI application asks of whatever answers behind it.

The application (``app.py``) reads HTTP and writes documents; a ``Backend``
answers the GeoReport methods with values. ``LocalBackend`` answers from the
SQLite ``Store`` (the reference server); ``FederatedBackend``
(``federated.py``) answers by asking other GeoReport endpoints. A backend
refuses with ``RefusalError``, which carries the Open311 errors and the status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

import attrs

from georeport.errors import GeoReportError, TransitionError, ValidationError
from georeport.lifecycle import Case, Channel
from georeport.models import (
    Discovery,
    Endpoint,
    Error,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    ServiceType,
    SubmissionReceipt,
    TokenReceipt,
)
from georeport.models._fields import JSONValue
from georeport.server.jurisdictions import Jurisdiction
from georeport.server.service_levels import ServiceLevels
from georeport.server.store import NewRequest, Store, StoredCase
from georeport.server.updates import Update, apply_update
from georeport.wire.params import InvalidParametersError, ParsedPost, Query, RequestsQuery, http_status

__all__ = [
    "SPECIFICATION",
    "Backend",
    "ExpectedDatetime",
    "LocalBackend",
    "Partial",
    "RefusalError",
    "discovery_document",
]

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
"""The specification URL discovery documents name."""

ExpectedDatetime = Callable[[Jurisdiction, Case, datetime], datetime | None]
"""Computes a request's ``expected_datetime`` from its jurisdiction and case, now (``ServiceLevels.expected``)."""


class RefusalError(GeoReportError):
    """A backend's answer of errors: the Open311 ``errors`` and the HTTP status to send them with.

    Attributes:
        errors: one ``Error`` per problem.
        status_hint: the HTTP status (400, 403, 404, 409, 502...).
    """

    def __init__(self, errors: Sequence[Error], *, status: int | None = None) -> None:
        self.errors = tuple(errors)
        self.status_hint = status if status is not None else http_status(self.errors)
        super().__init__("; ".join(f"{error.code} {error.description}" for error in self.errors))

    @classmethod
    def one(cls, status: int, description: str) -> RefusalError:
        """A refusal with one error whose code is the status."""
        return cls([Error(status, description)], status=status)


D = TypeVar("D", ServiceList, ServiceRequestList)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Partial(Generic[D]):
    """A list answer, and the sources that could not contribute to it (none for a whole answer).

    The application answers 200 all the same, naming the missing sources in
    the ``GeoReport-Missing`` header.
    """

    document: D
    missing: tuple[str, ...] = attrs.field(default=(), converter=_names)


class Backend(Protocol):
    """The GeoReport methods as values. Each raises ``RefusalError`` to answer with errors."""

    def discovery(self, *, base_url: str) -> Discovery:
        """The discovery document, naming ``base_url`` as the endpoint."""
        ...

    def services(self, query: Query) -> Partial[ServiceList]:
        """``GET services``."""
        ...

    def definition(self, service_code: str, query: Query) -> ServiceDefinition:
        """``GET services/{service_code}``."""
        ...

    def submit(self, post: ParsedPost) -> SubmissionReceipt:
        """``POST requests`` (the api_key is already checked)."""
        ...

    def requests(self, query: RequestsQuery) -> Partial[ServiceRequestList]:
        """``GET requests``."""
        ...

    def request(self, service_request_id: str, query: Query) -> ServiceRequest:
        """``GET requests/{service_request_id}``."""
        ...

    def token(self, token: str, query: Query) -> TokenReceipt:
        """``GET tokens/{token}``."""
        ...

    def update(self, service_request_id: str, update: Update) -> ServiceRequest:
        """The update endpoint: apply a lifecycle event (the api_key is already checked)."""
        ...


def _now() -> datetime:
    return datetime.now(UTC)


def discovery_document(*, base_url: str, started: datetime, contact: str | None, key_service: str | None) -> Discovery:
    """The discovery document of a server started at ``started``: one production endpoint, ``base_url``.

    The changeset is the start time (UTC, to the second); both formats are offered.
    """
    changeset = started.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    endpoint = Endpoint(
        specification=SPECIFICATION,
        url=base_url,
        changeset=changeset,
        type="production",
        formats=("text/xml", "application/json"),
    )
    return Discovery(changeset=changeset, contact=contact, key_service=key_service, endpoints=[endpoint])


class LocalBackend:
    """The reference server's backend: the jurisdictions and requests of one ``Store``.

    Args:
        store: the database.
        clock: gives the current time (aware); the wall clock by default.
        expected: computes a request's ``expected_datetime`` when it is read; by default the
            jurisdiction's SLA policy book (``ServiceLevels``), none when it declares none.
        contact: the discovery document's ``contact``.
        key_service: the discovery document's ``key_service`` (how to get an API key).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = _now,
        expected: ExpectedDatetime | None = None,
        contact: str | None = None,
        key_service: str | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.expected = expected if expected is not None else ServiceLevels().expected
        self.contact = contact
        self.key_service = key_service
        self.jurisdictions = {found.jurisdiction_id: found for found in store.jurisdictions()}
        self.started = clock()

    # --- jurisdictions ----------------------------------------------------------------------
    def jurisdiction(self, jurisdiction_id: str | None) -> Jurisdiction:
        """The jurisdiction asked for; the only one when none is named and there is one.

        Raises:
            RefusalError: 404 for an unknown one, 400 when one must be named.
        """
        if jurisdiction_id is None:
            if len(self.jurisdictions) == 1:
                return next(iter(self.jurisdictions.values()))
            served = ", ".join(map(repr, self.jurisdictions)) or "none"
            raise RefusalError.one(400, f"'jurisdiction_id' must be given: this endpoint serves {served}")
        found = self.jurisdictions.get(jurisdiction_id)
        if found is None:
            served = ", ".join(map(repr, self.jurisdictions)) or "none"
            raise RefusalError.one(
                404, f"'jurisdiction_id' must be a jurisdiction served here ({served}) (got {jurisdiction_id!r})"
            )
        return found

    def _now(self, jurisdiction: Jurisdiction) -> datetime:
        """The current time in the jurisdiction's zone, to the second (the wire drops nothing then)."""
        return self.clock().astimezone(jurisdiction.zone).replace(microsecond=0)

    # --- the methods ------------------------------------------------------------------------
    def discovery(self, *, base_url: str) -> Discovery:
        """One production endpoint, this server, in both formats."""
        return discovery_document(
            base_url=base_url, started=self.started, contact=self.contact, key_service=self.key_service
        )

    def services(self, query: Query) -> Partial[ServiceList]:
        """The jurisdiction's service list."""
        return Partial(self.jurisdiction(query.jurisdiction_id).catalog.service_list())

    def definition(self, service_code: str, query: Query) -> ServiceDefinition:
        """The service's definition; 404 for an unknown service or one without a definition."""
        catalog = self.jurisdiction(query.jurisdiction_id).catalog
        if service_code not in catalog:
            raise RefusalError.one(
                404, f"'service_code' must be a service this jurisdiction offers (got {service_code!r})"
            )
        found = catalog.definition(service_code)
        if found is None:
            raise RefusalError.one(404, f"the service {service_code!r} has no definition (its metadata is false)")
        return found

    def submit(self, post: ParsedPost) -> SubmissionReceipt:
        """Validate, store, and answer as the service's type says (id, token, or neither)."""
        submission = post.submission
        jurisdiction = self.jurisdiction(submission.jurisdiction_id)
        problems = jurisdiction.catalog.validate(post)
        if problems:
            raise RefusalError(problems)
        service = jurisdiction.catalog[submission.service_code]
        extensions: dict[str, JSONValue] = {}
        if submission.attributes:
            extensions["attributes"] = {
                code: list(answer) if isinstance(answer, tuple) else answer
                for code, answer in submission.attributes.items()
            }
        request = ServiceRequest(
            service_name=service.service_name,
            service_code=service.service_code,
            description=submission.description,
            agency_responsible=jurisdiction.agency_responsible,
            requested_datetime=self._now(jurisdiction),
            address=submission.address_string,
            address_id=submission.address_id,
            lat=submission.lat,
            long=submission.long,
            media_url=submission.media_url,
            extensions=extensions,
        )
        kind = service.type or ServiceType.REALTIME
        channel = _channel(submission.extensions.get("channel"))
        stored = self.store.add_request(
            NewRequest(
                jurisdiction.jurisdiction_id,
                request,
                submission,
                channel=channel,
                with_token=kind is ServiceType.BATCH,
            )
        )
        if kind is ServiceType.BATCH:
            return SubmissionReceipt(token=stored.token, service_notice="Queued: look the token up for the id.")
        if kind is ServiceType.BLACKBOX:
            return SubmissionReceipt(service_notice="Received; this service is not tracked by id.")
        return SubmissionReceipt(stored.service_request_id)

    def requests(self, query: RequestsQuery) -> Partial[ServiceRequestList]:
        """The query's page of the jurisdiction's requests."""
        jurisdiction = self.jurisdiction(query.jurisdiction_id)
        problems = jurisdiction.catalog.validate_query(query)
        if problems:
            raise RefusalError(problems)
        now = self.clock()
        found = self.store.select(jurisdiction.jurisdiction_id, query, now=now)
        published = [self._publish(stored, extensions=query.extensions, now=now) for stored in found]
        return Partial(ServiceRequestList(query.select(published, now=now)))

    def _stored(self, service_request_id: str, jurisdiction_id: str | None) -> StoredCase:
        stored = self.store.get(service_request_id)
        if stored is None or (jurisdiction_id is not None and stored.jurisdiction_id != jurisdiction_id):
            raise RefusalError.one(404, f"no service request has the id {service_request_id!r}")
        return stored

    def request(self, service_request_id: str, query: Query) -> ServiceRequest:
        """The request; 404 when there is none (in the jurisdiction, when one is named)."""
        if query.jurisdiction_id is not None:
            self.jurisdiction(query.jurisdiction_id)
        stored = self._stored(service_request_id, query.jurisdiction_id)
        return self._publish(stored, extensions=query.extensions, now=self.clock())

    def token(self, token: str, query: Query) -> TokenReceipt:
        """The id a token stands for; 404 for an unknown token."""
        identifier = self.store.token(token)
        if identifier is None:
            raise RefusalError.one(404, f"no service request has the token {token!r}")
        if query.jurisdiction_id is not None:
            self._stored(identifier, self.jurisdiction(query.jurisdiction_id).jurisdiction_id)
        return TokenReceipt(identifier, token)

    def update(self, service_request_id: str, update: Update) -> ServiceRequest:
        """Apply one lifecycle change; 404 for an unknown request, 409 for a move the workflow refuses."""
        self._stored(service_request_id, None)

        def change(case: Case) -> Case:
            zone = case.request.requested_datetime.tzinfo  # type: ignore[union-attr]
            at = self.clock().astimezone(zone).replace(microsecond=0)
            last = case.updated_datetime
            if last is not None and at < last:  # the clock went back: never write history out of order
                at = last
            return apply_update(case, update, at=at)

        try:
            stored = self.store.change(service_request_id, change)
        except (TransitionError, ValidationError) as error:  # ValidationError: a "move" to the state it is in
            raise RefusalError.one(409, str(error)) from error
        except InvalidParametersError as error:
            raise RefusalError(error.errors, status=error.status_hint) from error
        if stored is None:
            raise RefusalError.one(404, f"no service request has the id {service_request_id!r}")
        return self._publish(stored, extensions=True, now=self.clock())

    def _publish(self, stored: StoredCase, *, extensions: bool, now: datetime) -> ServiceRequest:
        """The request as published: the case's projection and ``expected_datetime`` from the SLA policy.

        What the standard does not name (answers, detailed status) only with ``extensions=true``.
        """
        request = stored.case.as_service_request()
        jurisdiction = self.jurisdictions.get(stored.jurisdiction_id)
        expected = None if jurisdiction is None else self.expected(jurisdiction, stored.case, now)
        if expected is not None and jurisdiction is not None:
            request = attrs.evolve(request, expected_datetime=expected.astimezone(jurisdiction.zone))
        if not extensions:
            kept = {name: value for name, value in request.extensions.items() if name not in _PRIVATE_EXTENSIONS}
            request = attrs.evolve(request, extensions=kept)
        return request


def _channel(value: object) -> Channel:
    try:
        return Channel(value) if isinstance(value, str) else Channel.OTHER
    except ValueError:
        return Channel.OTHER


_PRIVATE_EXTENSIONS = ("attributes", "extended_attributes")
