"""The reference server as a front door: the WSGI application over ``georeport.federation.FrontDoor``.

``FederatedBackend`` answers each GeoReport method by asking the upstream
endpoints of a registry through a ``FrontDoor`` (blocking, over
``georeport.client``'s urllib transport): a POST is routed to the upstream of
the jurisdiction the router chooses and answered with a federated id or
token; ``GET services`` and ``GET requests`` fan out to every upstream and
merge, naming each upstream missing from the answer (``GeoReport-Missing``);
``GET requests/{id}`` and ``GET tokens/{token}`` go to the upstream the
federated id names. The rules of its errors:

* an upstream's 4xx errors document is passed on with its status (a
  submission the upstream refuses is refused as the upstream said);
* an upstream that fails (5xx, an unreadable answer) is a 502, one that does
  not answer a 502 or 504, each naming the upstream;
* a federated id not issued here is a 404; a report the router sends nowhere
  a 400; a fan-out where every upstream asked failed is a 502 naming each;
* the update endpoint is refused (405): cases change at their upstream.

``load_front_door`` reads the ``--federate`` configuration: the JSON or TOML
declaration ``georeport.federation.read_federation`` reads (the registry's
``upstreams``, the crosswalk's ``services`` and ``codes``), plus ``routing``
(``"demo"``, the default, or the path of a routing GeoJSON set-up, relative
to the configuration file), ``secret`` (the ``IdCodec`` key; keep it) and
``attempts`` (tries per upstream call, with backoff; default 4).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from georeport.client import ClientRequestError, RemoteError, RetryPolicy, UrllibTransport
from georeport.errors import GeoReportError
from georeport.federation import Crosswalk, FederatedAnswer, FrontDoor, Registry, RegistryError
from georeport.federation.ids import IdCodec
from georeport.federation.registry import read_declaration
from georeport.models import (
    Discovery,
    Error,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    SubmissionReceipt,
    TokenReceipt,
)
from georeport.routing import demo_router, router_from_geojson
from georeport.server.app import Application
from georeport.server.backend import Partial, RefusalError, discovery_document
from georeport.server.updates import Update
from georeport.wire.params import ParsedPost, Query, RequestsQuery

__all__ = ["FederatedBackend", "federated_app", "front_door_from_mapping", "load_front_door"]

_LOG = logging.getLogger("georeport.server")
T = TypeVar("T")
D = TypeVar("D", ServiceList, ServiceRequestList)


def _refusal(error: GeoReportError) -> RefusalError:
    """The answer a front door gives for an error met while asking upstreams (see the module rules)."""
    if isinstance(error, ClientRequestError):
        errors = error.errors or (Error(error.status, str(error)),)
        return RefusalError(errors, status=error.status)
    if isinstance(error, RemoteError):
        return RefusalError.one(502, f"an upstream failed: {error}")
    return RefusalError.one(error.status_hint, str(error))


class FederatedBackend:
    """A ``Backend`` that answers through a ``FrontDoor``.

    Args:
        front_door: the front door (its registry, crosswalk, router, codec and transport).
        contact: the discovery document's ``contact``.
        key_service: the discovery document's ``key_service``.
        clock: the current time (discovery's changeset).
    """

    def __init__(
        self,
        front_door: FrontDoor,
        *,
        contact: str | None = None,
        key_service: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.front_door = front_door
        self.contact = contact
        self.key_service = key_service
        self.started = clock()

    def _ask(self, ask: Callable[[], T]) -> T:
        try:
            return ask()
        except GeoReportError as error:
            raise _refusal(error) from error

    def _partial(self, answer: FederatedAnswer[D]) -> Partial[D]:
        for name, why in answer.missing.items():
            _LOG.warning("upstream %s is missing from the answer: %s", name, why)
        if answer.asked and not answer.answered:
            raise RefusalError(
                [Error(502, f"upstream {name!r} did not answer: {why}") for name, why in answer.missing.items()],
                status=502,
            )
        return Partial(answer.value, missing=answer.missing.keys())

    def discovery(self, *, base_url: str) -> Discovery:
        """One production endpoint: this front door."""
        return discovery_document(
            base_url=base_url, started=self.started, contact=self.contact, key_service=self.key_service
        )

    def services(self, query: Query) -> Partial[ServiceList]:
        """The federated service list: common services, then each upstream's others, namespaced."""
        del query
        return self._partial(self._ask(self.front_door.services))

    def definition(self, service_code: str, query: Query) -> ServiceDefinition:
        """A namespaced service's definition, from its upstream."""
        del query
        return self._ask(lambda: self.front_door.definition(service_code))

    def submit(self, post: ParsedPost) -> SubmissionReceipt:
        """Route, translate and send the report; the federated receipt."""
        if post.problems:
            raise RefusalError([problem.error for problem in post.problems])
        return self._ask(lambda: self.front_door.submit(post.submission)).receipt

    def requests(self, query: RequestsQuery) -> Partial[ServiceRequestList]:
        """Every upstream's requests merged, newest first; the upstreams missing named."""
        answer = self._ask(lambda: self.front_door.requests(query))
        return self._partial(answer)

    def request(self, service_request_id: str, query: Query) -> ServiceRequest:
        """One request, from the upstream its federated id names."""
        del query
        return self._ask(lambda: self.front_door.request(service_request_id))

    def token(self, token: str, query: Query) -> TokenReceipt:
        """A federated token's id, from the upstream it names."""
        del query
        return self._ask(lambda: self.front_door.token(token))

    def update(self, service_request_id: str, update: Update) -> ServiceRequest:
        """Refused: cases change at their upstream, through its own update endpoint."""
        del update
        raise RefusalError.one(
            405, f"a front door does not change cases: send updates for {service_request_id!r} to its upstream"
        )


def load_front_door(path: str | os.PathLike[str]) -> FrontDoor:
    """The front door a ``--federate`` configuration file declares (see the module docstring).

    Raises:
        OSError: the file (or the routing file it names) cannot be read.
        georeport.federation.RegistryError: a wrong registry, crosswalk or secret, with its place.
        georeport.routing.RoutingConfigurationError: a wrong routing set-up.
    """
    config = Path(path)
    data = read_declaration(config.read_bytes(), format="toml" if config.suffix.lower() == ".toml" else None)
    if not isinstance(data, Mapping):
        raise RegistryError(f"a front door configuration is a table (got {type(data).__name__})")
    return front_door_from_mapping(data, base=config.parent)


def front_door_from_mapping(data: Mapping[str, Any], *, base: Path) -> FrontDoor:
    """The front door a configuration declares, once read; paths in it are relative to ``base``."""
    registry = Registry.from_mapping({"upstreams": data.get("upstreams", [])})
    crosswalk = Crosswalk.from_mapping(data)
    routing = data.get("routing", "demo")
    router = demo_router() if routing == "demo" else router_from_geojson((base / str(routing)).read_bytes())
    secret = data.get("secret")
    codec = IdCodec(secret.encode("utf-8")) if isinstance(secret, str) and secret else IdCodec()
    attempts = data.get("attempts", 4)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise RegistryError(f"attempts must be a whole number of tries, at least 1 (got {attempts!r})", path="attempts")
    transport = UrllibTransport(retry=RetryPolicy(attempts=attempts))
    return FrontDoor(registry, crosswalk, router, codec=codec, transport=transport)


def federated_app(
    config: str | os.PathLike[str], *, api_keys: Callable[[str | None], bool], base_path: str = ""
) -> Application:
    """The front door's WSGI application for a ``--federate`` configuration file.

    Raises:
        as ``load_front_door``.
    """
    return Application(FederatedBackend(load_front_door(config)), api_keys=api_keys, base_path=base_path)
