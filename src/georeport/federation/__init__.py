"""Federation: one GeoReport front door over many endpoints.

* ``Registry`` of ``Upstream`` endpoints (base URL, dialect, jurisdictions
  served, api key, timeout), read from JSON or TOML, or from r311's and
  open311status's registries;
* ``Crosswalk``: each upstream's service codes mapped to a common taxonomy
  (``CommonService``), so one service to the person is one code; the rest
  are namespaced ``upstream:code``;
* ``IdCodec``: federated ids and tokens, opaque, stable and reversible to
  (upstream, upstream id), tampering refused with ``FederatedIdError``;
* ``FrontDoor``: routes a ``RequestSubmission`` with a router, translates
  it for the chosen upstream, gives back the federated receipt; fans
  ``GET requests`` and ``GET services`` out to every upstream and merges the
  answers into a ``FederatedAnswer`` that names every upstream missing.

Every step is a sans-IO plan/merge pair; the blocking methods drive them
over a ``georeport.client`` transport. See ``docs/federation.md``.
"""

from __future__ import annotations

from georeport.federation.answers import FederatedAnswer
from georeport.federation.config import read_federation
from georeport.federation.crosswalk import CommonService, Crosswalk, namespaced, split_namespaced
from georeport.federation.errors import (
    FederatedIdError,
    FederationError,
    RegistryError,
    UnknownUpstreamError,
    UnroutableError,
    UntranslatableError,
)
from georeport.federation.front_door import FrontDoor, Routed, RouterLike, Submitted
from georeport.federation.ids import FederatedId, IdCodec, IdKind
from georeport.federation.registry import Registry, Upstream

__all__ = [
    "CommonService",
    "Crosswalk",
    "FederatedAnswer",
    "FederatedId",
    "FederatedIdError",
    "FederationError",
    "FrontDoor",
    "IdCodec",
    "IdKind",
    "Registry",
    "RegistryError",
    "Routed",
    "RouterLike",
    "Submitted",
    "UnknownUpstreamError",
    "UnroutableError",
    "UntranslatableError",
    "Upstream",
    "namespaced",
    "read_federation",
    "split_namespaced",
]
