"""The front door: one GeoReport endpoint over many, routing reports and merging answers.

This file owns translating between the person's view (common or namespaced
service codes, federated ids) and each upstream's (its codes, its ids), and
merging what upstreams answer. Every step comes as a sans-IO pair, so a
server with its own I/O can drive it:

* ``prepare_submission(submission)`` -> ``Routed`` (which upstream, the
  translated submission, the ``Call``); ``finish_submission(routed, receipt)``
  -> ``Submitted`` with the federated receipt;
* ``plan_requests(query)`` / ``plan_services()`` -> ``{upstream id: Call}``;
  ``merge_requests(results)`` / ``merge_services(results)`` -> a
  ``FederatedAnswer`` that names every upstream missing and why;
* ``plan_request(id)``, ``plan_token(token)``, ``plan_definition(code)`` ->
  ``(upstream, Call)``, and ``translate_request``/``translate_token`` for the answer.

The blocking methods (``submit``, ``requests``, ``services``, ``request``,
``token``, ``definition``) drive those over a ``Transport``; fan-outs run
concurrently in a thread pool, each upstream bounded by its ``timeout``.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

import attrs

from georeport.client import Call, Calls, Transport
from georeport.client.base import call, run
from georeport.federation.answers import FederatedAnswer
from georeport.federation.crosswalk import Crosswalk, split_namespaced
from georeport.federation.errors import UnroutableError, UntranslatableError
from georeport.federation.ids import IdCodec, IdKind
from georeport.federation.registry import Registry, Upstream
from georeport.models import (
    RequestSubmission,
    Service,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    SubmissionReceipt,
    TokenReceipt,
)
from georeport.wire.params import RequestsQuery

__all__ = ["FrontDoor", "Routed", "RouterLike", "Submitted"]

T = TypeVar("T")


class _Jurisdiction(Protocol):
    @property
    def id(self) -> str: ...


class _Decision(Protocol):
    @property
    def jurisdiction(self) -> _Jurisdiction: ...
    @property
    def is_fallback(self) -> bool: ...


class RouterLike(Protocol):
    """What the front door needs of a router: ``georeport.routing.Router`` is one."""

    def route(self, lat: float, long: float, service_code: str) -> _Decision:
        """Where a report at a point goes."""
        ...

    def route_service(self, service_code: str) -> _Decision:
        """Where a report without a location goes."""
        ...


@attrs.frozen
class Routed:
    """A submission on its way: the upstream chosen, the submission as it will be sent, and the call."""

    upstream: Upstream
    submission: RequestSubmission
    """Translated: the upstream's service code and its own jurisdiction_id."""
    call: Call[SubmissionReceipt]
    decision: _Decision | None = attrs.field(default=None, eq=False)
    """The router's decision (None when a namespaced code named the upstream)."""


@attrs.frozen
class Submitted:
    """The federated receipt of a submission, and what the upstream said."""

    receipt: SubmissionReceipt
    """What the person gets: federated id and/or token, the upstream's notice."""
    upstream: str
    upstream_receipt: SubmissionReceipt
    decision: _Decision | None = attrs.field(default=None, eq=False)


def _reason(error: BaseException) -> str:
    """Why an upstream is missing, in one line: the error's type and message."""
    return f"{type(error).__name__}: {error}"


def _newest_first(request: ServiceRequest) -> tuple[bool, float, str]:
    """Sort key: newest first (by instant, not wall clock), undated last, then by id."""
    moment = request.requested_datetime
    return (moment is None, -moment.timestamp() if moment is not None else 0.0, request.service_request_id or "")


class FrontDoor:
    """One GeoReport front door over the upstreams of a registry.

    Args:
        registry: the upstreams.
        crosswalk: the common taxonomy and each upstream's codes in it.
        router: decides who takes a report (``georeport.routing.Router``);
            its jurisdiction ids are looked up in the registry.
        codec: encodes federated ids (give it a ``secret`` in production).
        transport: what the blocking methods send with (``UrllibTransport()`` when None).
        max_workers: threads for fan-outs.
    """

    def __init__(  # noqa: PLR0913 - each collaborator is one concern
        self,
        registry: Registry,
        crosswalk: Crosswalk,
        router: RouterLike,
        *,
        codec: IdCodec | None = None,
        transport: Transport | None = None,
        max_workers: int = 8,
    ) -> None:
        if transport is None:
            from georeport.client import UrllibTransport  # noqa: PLC0415 - only when needed

            transport = UrllibTransport()
        self.registry = registry
        self.crosswalk = crosswalk
        self.router = router
        self.codec = codec or IdCodec()
        self.transport = transport
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="front-door")

    def close(self) -> None:
        """Stop the fan-out threads (waiting for none that hang)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> FrontDoor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def calls(self, upstream: Upstream) -> Calls:
        """The sans-IO calls to one upstream."""
        return Calls(upstream.base_url, dialect=upstream.dialect, api_key=upstream.api_key)

    # --- submissions ----------------------------------------------------------------------------
    def prepare_submission(self, submission: RequestSubmission) -> Routed:
        """Choose the upstream for a submission and translate it.

        A namespaced code (``town:PK-101``) names the upstream; a common code
        is routed: by ``(lat, long)`` when given, else by the service alone
        (agencies without a boundary, or the router's fallback); the
        jurisdiction chosen is looked up in the registry, and the code
        translated with the crosswalk. The submission's ``jurisdiction_id`` (the
        front door's) is replaced by the upstream's own.

        Raises:
            UnknownUpstreamError: a namespaced code names no upstream.
            UnroutableError: the jurisdiction chosen has no upstream.
            UntranslatableError: the upstream has no code for the common service.
            RoutingError, ValidationError: what the router raises (a bad point, an unknown service).
        """
        code = submission.service_code
        decision: _Decision | None = None
        split = split_namespaced(code)
        if split is not None:
            upstream, upstream_code = self.registry[split[0]], split[1]
        else:
            if submission.lat is not None and submission.long is not None:
                decision = self.router.route(submission.lat, submission.long, code)
            else:
                decision = self.router.route_service(code)
            jurisdiction = decision.jurisdiction.id
            found = self.registry.for_jurisdiction(jurisdiction)
            if found is None:
                raise UnroutableError(
                    f"the router sent {code!r} to jurisdiction {jurisdiction!r}, which no upstream in the registry serves"
                )
            upstream = found
            codes = self.crosswalk.upstream_codes(code, upstream.id)
            if not codes:
                raise UntranslatableError(code, upstream.id)
            upstream_code = codes[0]
        translated = attrs.evolve(
            submission, service_code=upstream_code, jurisdiction_id=upstream.dialect.jurisdiction_id
        )
        return Routed(upstream, translated, self.calls(upstream).submit(translated), decision)

    def finish_submission(self, routed: Routed, receipt: SubmissionReceipt) -> Submitted:
        """The federated receipt for what the upstream answered: its id and token made federated."""
        upstream = routed.upstream.id
        federated = attrs.evolve(
            receipt,
            service_request_id=self.codec.encode(upstream, receipt.service_request_id)
            if receipt.service_request_id
            else None,
            token=self.codec.encode(upstream, receipt.token, kind=IdKind.TOKEN) if receipt.token else None,
        )
        return Submitted(federated, upstream, receipt, routed.decision)

    def submit(self, submission: RequestSubmission) -> Submitted:
        """Route, translate and send a submission; the federated receipt.

        Raises:
            everything ``prepare_submission`` raises, and the upstream's
            ``RemoteError`` (its Open311 errors kept) or ``TransportError``.
        """
        routed = self.prepare_submission(submission)
        receipt = run(call(routed.call), self.transport, timeout=routed.upstream.timeout, sleep=_no_sleep)
        return self.finish_submission(routed, receipt)

    # --- one request, one token -----------------------------------------------------------------
    def plan_request(self, service_request_id: str) -> tuple[Upstream, Call[ServiceRequest]]:
        """The upstream and call for one federated id.

        Raises:
            FederatedIdError: not an id issued here (404). UnknownUpstreamError: its upstream is gone.
        """
        found = self.codec.decode(service_request_id, kind=IdKind.REQUEST)
        upstream = self.registry[found.upstream]
        return upstream, self.calls(upstream).request(found.upstream_id)

    def translate_request(self, upstream: Upstream, request: ServiceRequest) -> ServiceRequest:
        """An upstream's record as the front door shows it: federated id, common or namespaced code."""
        changes: dict[str, Any] = {}
        if request.service_request_id:
            changes["service_request_id"] = self.codec.encode(upstream.id, request.service_request_id)
        if request.service_code:
            code = self.crosswalk.federated_code(upstream.id, request.service_code)
            changes["service_code"] = code
            common = self.crosswalk.services.get(code)
            if common is not None:
                changes["service_name"] = common.name
        return attrs.evolve(request, **changes)

    def request(self, service_request_id: str) -> ServiceRequest:
        """``GET requests/{id}`` through the front door (``NotFoundError`` from the upstream when it has none)."""
        upstream, one = self.plan_request(service_request_id)
        found = run(call(one), self.transport, timeout=upstream.timeout, sleep=_no_sleep)
        return self.translate_request(upstream, found)

    def plan_token(self, token: str) -> tuple[Upstream, Call[TokenReceipt | None]]:
        """The upstream and call for one federated token.

        Raises:
            FederatedIdError: not a token issued here.
        """
        found = self.codec.decode(token, kind=IdKind.TOKEN)
        upstream = self.registry[found.upstream]
        return upstream, self.calls(upstream).token(found.upstream_id)

    def translate_token(self, upstream: Upstream, token: str, receipt: TokenReceipt | None) -> TokenReceipt:
        """The federated token receipt: the federated token, and the federated id once there is one."""
        upstream_id = receipt.service_request_id if receipt is not None else None
        federated_id = self.codec.encode(upstream.id, upstream_id) if upstream_id else None
        return TokenReceipt(federated_id, token, dict(receipt.extensions) if receipt is not None else {})

    def token(self, token: str) -> TokenReceipt:
        """``GET tokens/{token}`` through the front door."""
        upstream, one = self.plan_token(token)
        found = run(call(one), self.transport, timeout=upstream.timeout, sleep=_no_sleep)
        return self.translate_token(upstream, token, found)

    # --- definitions ----------------------------------------------------------------------------
    def plan_definition(self, service_code: str) -> tuple[Upstream, Call[ServiceDefinition]]:
        """The upstream and call for a namespaced code's definition.

        Common services have no definition (their attributes differ by
        upstream, and a definition has no location to route by): they are
        listed with ``metadata`` false.

        Raises:
            UntranslatableError: a common or unknown code (404).
        """
        split = split_namespaced(service_code)
        if split is None:
            raise UntranslatableError(service_code, "(a common service has no single definition)")
        upstream = self.registry[split[0]]
        return upstream, self.calls(upstream).definition(split[1])

    def definition(self, service_code: str) -> ServiceDefinition:
        """``GET services/{code}`` through the front door, for a namespaced code."""
        upstream, one = self.plan_definition(service_code)
        found = run(call(one), self.transport, timeout=upstream.timeout, sleep=_no_sleep)
        return attrs.evolve(found, service_code=service_code)

    # --- fan-out: requests ----------------------------------------------------------------------
    def plan_requests(self, query: RequestsQuery | None = None) -> dict[str, Call[ServiceRequestList]]:
        """One call per upstream that can hold what ``query`` selects, its filters translated.

        ``service_request_id`` (federated ids) asks only the upstreams they
        name, for their own ids; ``service_code`` (common or namespaced) asks
        only upstreams with a matching code, for those codes; a
        ``jurisdiction_id`` an upstream serves asks only that upstream. Other
        filters, and ``page``/``page_size``, are passed to every upstream
        asked (so a merged page holds up to one page from each).

        Raises:
            FederatedIdError: an id that is not a federated request id.
        """
        query = query or RequestsQuery()
        chosen = list(self.registry)
        if query.jurisdiction_id:
            only = self.registry.for_jurisdiction(query.jurisdiction_id)
            if only is not None:
                chosen = [only]
        ids: dict[str, list[str]] = {}
        for text in query.service_request_id:
            found = self.codec.decode(text, kind=IdKind.REQUEST)
            ids.setdefault(found.upstream, []).append(found.upstream_id)
        plans: dict[str, Call[ServiceRequestList]] = {}
        for upstream in chosen:
            changes: dict[str, Any] = {"jurisdiction_id": None}
            if query.service_request_id:
                if upstream.id not in ids:
                    continue
                changes["service_request_id"] = ids[upstream.id]
            elif query.service_code:
                codes = self._codes_at(upstream, query.service_code)
                if not codes:
                    continue
                changes["service_code"] = codes
            plans[upstream.id] = self.calls(upstream).requests(attrs.evolve(query, **changes))
        return plans

    def _codes_at(self, upstream: Upstream, codes: tuple[str, ...]) -> list[str]:
        found: list[str] = []
        for code in codes:
            split = split_namespaced(code)
            if split is not None:
                if split[0] == upstream.id:
                    found.append(split[1])
            else:
                found.extend(self.crosswalk.upstream_codes(code, upstream.id))
        return list(dict.fromkeys(found))

    def merge_requests(
        self, results: Mapping[str, ServiceRequestList | BaseException]
    ) -> FederatedAnswer[ServiceRequestList]:
        """Every upstream's records translated and merged newest first; failures named in ``missing``."""
        records: list[ServiceRequest] = []
        missing: dict[str, str] = {}
        for name, result in results.items():
            if isinstance(result, BaseException):
                missing[name] = _reason(result)
                continue
            upstream = self.registry[name]
            records.extend(self.translate_request(upstream, record) for record in result)
        records.sort(key=_newest_first)
        return FederatedAnswer(ServiceRequestList(records), asked=list(results), missing=missing)

    def requests(self, query: RequestsQuery | None = None) -> FederatedAnswer[ServiceRequestList]:
        """``GET requests`` over every upstream that can hold the answer, merged; missing upstreams named."""
        plans = self.plan_requests(query)
        results = self.fan_out(plans)
        return self.merge_requests(results)

    # --- fan-out: services ----------------------------------------------------------------------
    def plan_services(self) -> dict[str, Call[ServiceList]]:
        """One ``GET services`` per upstream."""
        return {upstream.id: self.calls(upstream).services() for upstream in self.registry}

    def merge_services(self, results: Mapping[str, ServiceList | BaseException]) -> FederatedAnswer[ServiceList]:
        """The federated service list, with every upstream that did not answer named.

        Each common service offered by an upstream that answered, then every
        upstream service the crosswalk does not map, namespaced (``town:SW-9``).
        """
        offered: set[str] = set()
        others: list[Service] = []
        missing: dict[str, str] = {}
        for name, result in results.items():
            if isinstance(result, BaseException):
                missing[name] = _reason(result)
                continue
            for service in result:
                common = self.crosswalk.common(name, service.service_code)
                if common is not None:
                    offered.add(common)
                else:
                    others.append(attrs.evolve(service, service_code=f"{name}:{service.service_code}"))
        common_services = [entry.service() for code, entry in self.crosswalk.services.items() if code in offered]
        return FederatedAnswer(ServiceList(common_services + others), asked=list(results), missing=missing)

    def services(self) -> FederatedAnswer[ServiceList]:
        """``GET services`` over every upstream, merged into the federated list; missing upstreams named."""
        plans = self.plan_services()
        results = self.fan_out(plans)
        return self.merge_services(results)

    def refresh(self) -> FederatedAnswer[Registry]:
        """Fetch every upstream's service list into the registry (``Upstream.catalog``); failures named."""
        plans = self.plan_services()
        results = self.fan_out(plans)
        registry = self.registry
        missing: dict[str, str] = {}
        for name, result in results.items():
            if isinstance(result, BaseException):
                missing[name] = _reason(result)
            else:
                registry = registry.replace(attrs.evolve(registry[name], catalog=result))
        self.registry = registry
        return FederatedAnswer(registry, asked=list(results), missing=missing)

    # --- the blocking fan-out -------------------------------------------------------------------
    def fan_out(self, calls: Mapping[str, Call[T]]) -> dict[str, T | BaseException]:
        """Send one call per upstream concurrently; each result, or the error that stands for it.

        Each upstream gets its own ``timeout`` for each answer, and the whole
        fan-out waits at most the longest of them times the transport's
        attempts (plus a second); an upstream still not done then is
        reported with a ``TimeoutError``. Errors are returned, not raised:
        ``RemoteError``, ``TransportError``, ``UnexpectedResponseError``...
        """
        if not calls:
            return {}
        futures = {name: self._pool.submit(self._send, self.registry[name], one) for name, one in calls.items()}
        attempts = getattr(getattr(self.transport, "retry", None), "attempts", 1)
        budget = max(self.registry[name].timeout for name in calls) * max(1, attempts) + 1.0
        done, _ = concurrent.futures.wait(futures.values(), timeout=budget)
        results: dict[str, T | BaseException] = {}
        for name, future in futures.items():
            if future not in done:
                future.cancel()
                results[name] = TimeoutError(f"no answer within {budget:g} s")
                continue
            error = future.exception()
            results[name] = error if error is not None else future.result()
        return results

    def _send(self, upstream: Upstream, one: Call[T]) -> T:
        return run(call(one), self.transport, timeout=upstream.timeout, sleep=_no_sleep)


def _no_sleep(_seconds: float) -> None:
    """Single calls never pause; a Pause reaching here is a bug in an exchange."""
