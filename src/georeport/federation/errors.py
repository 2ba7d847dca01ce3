"""The errors the federation raises (besides the client's, which it passes on for one upstream).

::

    GeoReportError
    └── FederationError
        ├── RegistryError (ValueError)          .path       a registry or crosswalk declaration is wrong
        ├── FederatedIdError (ValueError)       .value      an id or token that is not ours, or was altered
        ├── UnknownUpstreamError (LookupError)  .upstream   an id names an upstream the registry lacks
        ├── UnroutableError (LookupError)                   no upstream takes this report
        └── UntranslatableError (LookupError)   .service_code .upstream  no counterpart of a service upstream

Each has the ``status_hint`` a front door answers with: 400 for a
declaration, 404 for ids, upstreams and services, 400 for a report nobody
takes (the person can fix its location or service).
"""

from __future__ import annotations

from georeport.errors import GeoReportError

__all__ = [
    "FederatedIdError",
    "FederationError",
    "RegistryError",
    "UnknownUpstreamError",
    "UnroutableError",
    "UntranslatableError",
]


class FederationError(GeoReportError):
    """Root of the federation's own errors."""


class RegistryError(FederationError, ValueError):
    """A registry or crosswalk declaration is wrong; ``path`` says where (``upstreams[2].base_url``)."""

    def __init__(self, reason: str, *, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class FederatedIdError(FederationError, ValueError):
    """A federated request id or token that this front door did not issue, or that was altered."""

    status_hint = 404

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not a federated id issued here: {reason}")


class UnknownUpstreamError(FederationError, LookupError):
    """An id or service code names an upstream the registry does not hold."""

    status_hint = 404

    def __init__(self, upstream: str, known: list[str]) -> None:
        self.upstream = upstream
        self.known = tuple(known)
        super().__init__(f"no upstream {upstream!r} in the registry (known: {', '.join(known) or 'none'})")


class UnroutableError(FederationError, LookupError):
    """No upstream takes this report: the router chose a jurisdiction no upstream serves, or there is nothing to route by."""

    status_hint = 400


class UntranslatableError(FederationError, LookupError):
    """The chosen upstream has no service the crosswalk maps ``service_code`` to."""

    status_hint = 404

    def __init__(self, service_code: str, upstream: str) -> None:
        self.service_code = service_code
        self.upstream = upstream
        super().__init__(f"upstream {upstream!r} offers no service the crosswalk maps {service_code!r} to")
