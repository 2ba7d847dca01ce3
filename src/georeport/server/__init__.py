"""The reference GeoReport v2 server (the edges layer: sockets and the database live here).

``Application`` is a plain WSGI application serving every GeoReport v2
method and discovery, in XML and JSON, plus an update endpoint for lifecycle
events; it asks a ``Backend`` for its answers. ``LocalBackend`` answers from a
SQLite ``Store`` (the reference server); ``FederatedBackend`` answers as the
front door over other endpoints. ``start`` and ``serve`` host it on
``wsgiref``; ``georeport serve`` is the command. See ``docs/server.md``.

    app            WSGI: paths, bodies, documents, statuses
    backend        the Backend protocol, RefusalError, LocalBackend, discovery_document
    federated      FederatedBackend: the application as a front door over other endpoints
    store          SQLite: requests, cases, events, tokens, keys (_schema: the migrations)
    jurisdictions  Jurisdiction and the demo ones
    service_levels expected_datetime from each jurisdiction's SLA policy book
    updates        the update endpoint's form and its lifecycle events
    http           wsgiref hosting: serve, start
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime

from georeport.server.app import MISSING_HEADER, Application
from georeport.server.backend import SPECIFICATION, Backend, ExpectedDatetime, LocalBackend, Partial, RefusalError
from georeport.server.federated import FederatedBackend, federated_app, load_front_door
from georeport.server.http import RunningServer, make_wsgi_server, serve, start
from georeport.server.jurisdictions import Jurisdiction, demo_jurisdictions
from georeport.server.store import NewRequest, Store, StoredCase, StoreError, hash_api_key
from georeport.server.updates import Action, Update, apply_update, parse_update

__all__ = [
    "MISSING_HEADER",
    "SPECIFICATION",
    "Action",
    "Application",
    "Backend",
    "ExpectedDatetime",
    "FederatedBackend",
    "Jurisdiction",
    "LocalBackend",
    "NewRequest",
    "Partial",
    "RefusalError",
    "RunningServer",
    "Store",
    "StoreError",
    "StoredCase",
    "Update",
    "apply_update",
    "demo_jurisdictions",
    "federated_app",
    "hash_api_key",
    "load_front_door",
    "make_wsgi_server",
    "open_store",
    "parse_update",
    "reference_app",
    "serve",
    "start",
]


def open_store(
    path: str | os.PathLike[str],
    *,
    jurisdictions: Sequence[Jurisdiction] | None = None,
    synchronous: str = "full",
) -> Store:
    """Open (creating when new) a reference server's database, seeded when it has no jurisdiction yet.

    Args:
        path: the SQLite file.
        jurisdictions: what a new database is seeded with; the demo jurisdictions by default.
        synchronous: ``"full"`` or ``"normal"`` (see ``Store``).

    Raises:
        StoreError: the file cannot be opened or has a newer schema.
    """
    store = Store(path, synchronous="normal" if synchronous == "normal" else "full")
    if not store.jurisdictions():
        for jurisdiction in jurisdictions if jurisdictions is not None else demo_jurisdictions():
            store.put_jurisdiction(jurisdiction)
    return store


def reference_app(
    store: Store,
    *,
    base_path: str = "",
    clock: Callable[[], datetime] | None = None,
    expected: ExpectedDatetime | None = None,
) -> Application:
    """The reference server's WSGI application over ``store``: a ``LocalBackend`` and the store's API keys.

    Args:
        store: the database (see ``open_store``).
        base_path: the path the endpoint answers under.
        clock: the current time (aware); the wall clock by default.
        expected: computes ``expected_datetime`` for new requests; by default
            from the jurisdiction's SLA policy when it has one.
    """
    backend = (
        LocalBackend(store, expected=expected) if clock is None else LocalBackend(store, clock=clock, expected=expected)
    )
    return Application(backend, api_keys=store.has_api_key, base_path=base_path)
