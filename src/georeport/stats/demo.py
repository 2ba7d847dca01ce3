"""Demo data: a seeded, made-up year of a Panama-style 311 programme, for the docs, tests and benchmarks.

``demo_requests`` gives ``ServiceRequest``s as a dump would carry them (Bulk
``closed_datetime``, ``status_description``, ``source`` and a
``first_response_datetime`` in ``extensions``); ``demo_arrays`` gives the same
kind of data as numpy columns for a million cases in a fraction of a second.
Nothing here is real: entities, services and times are drawn from fixed
distributions with a fixed seed, so every run gives the same data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np

from georeport.lifecycle import Channel
from georeport.models import ServiceRequest, Status
from georeport.stats.cases import CaseTable, Categories

__all__ = ["DEMO_AS_OF", "DEMO_ENTITIES", "DEMO_SERVICES", "demo_arrays", "demo_requests"]

_PANAMA: Final = ZoneInfo("America/Panama")

DEMO_AS_OF: Final = datetime(2024, 7, 1, tzinfo=_PANAMA)
"""The demo's as-of time: the data covers the year before it."""

DEMO_ENTITIES: Final = ("AAUD", "ATTT", "IDAAN", "MIVIOT", "MOP", "MUPA")
"""Made-up entities (named like Panama's: waste, transit, water, housing, public works, the municipality)."""

DEMO_SERVICES: Final = {
    "basura": ("AAUD", 3, 2.0),
    "semaforo": ("ATTT", 5, 6.0),
    "fuga-agua": ("IDAAN", 5, 9.0),
    "sin-agua": ("IDAAN", 3, 4.0),
    "vivienda": ("MIVIOT", 20, 40.0),
    "bache": ("MOP", 10, 18.0),
    "alcantarilla": ("MOP", 10, 25.0),
    "parque": ("MUPA", 10, 12.0),
}
"""Service code: (entity, business-day target, mean days to close)."""

_CHANNELS: Final = (
    (Channel.PHONE, 0.40, "Llamada 311"),
    (Channel.WEB, 0.15, "Web"),
    (Channel.MOBILE_APP, 0.20, "App"),
    (Channel.SOCIAL_MEDIA, 0.15, "WhatsApp"),
    (Channel.EMAIL, 0.05, "Correo"),
    (Channel.WALK_IN, 0.05, "Presencial"),
)
_REASONS: Final = (
    ("Resuelto", 0.78),
    ("Duplicado", 0.08),
    ("Remitido a otra entidad", 0.05),
    ("Improcedente", 0.06),
    ("Desistido", 0.03),
)


def demo_requests(*, n: int = 3000, seed: int = 311, as_of: datetime = DEMO_AS_OF) -> list[ServiceRequest]:
    """``n`` made-up requests received in the year before ``as_of``, as a dump carries them.

    About 8% are still open at ``as_of``; 4% of the closed ones have no close
    time in the dump but an ``updated_datetime`` (a proxy); a few were closed
    within a minute of creation.

    Examples:
        >>> requests = demo_requests(n=5)
        >>> len(requests), requests[0].service_request_id
        (5, 'PA-000001')
    """
    rng = np.random.default_rng(seed)
    services = list(DEMO_SERVICES)
    start = as_of - timedelta(days=365)
    out = []
    channel_p = np.array([weight for _, weight, _ in _CHANNELS])
    reason_p = np.array([weight for _, weight in _REASONS])
    for index in range(n):
        code = services[int(rng.integers(len(services)))]
        entity, _, mean_days = DEMO_SERVICES[code]
        requested = start + timedelta(seconds=float(rng.random()) * 365 * 86400)
        close_after = timedelta(days=float(rng.exponential(mean_days)))
        if rng.random() < 0.01:  # noqa: PLR2004 - a few bulk clean-ups
            close_after = timedelta(seconds=30)
        closed_at = requested + close_after
        responded = requested + timedelta(hours=float(rng.exponential(20)))
        channel = _CHANNELS[int(rng.choice(len(_CHANNELS), p=channel_p))]
        extensions: dict[str, object] = {"source": channel[2]}
        status = Status.OPEN
        updated = None
        if closed_at <= as_of:
            status = Status.CLOSED
            reason = _REASONS[int(rng.choice(len(_REASONS), p=reason_p))][0]
            extensions["status_description"] = reason
            if rng.random() < 0.04:  # noqa: PLR2004 - dumps without a close time
                updated = closed_at
            else:
                extensions["closed_datetime"] = closed_at.astimezone(_PANAMA).isoformat()
                updated = closed_at + timedelta(days=float(rng.exponential(3)))  # a later note
            responded = min(responded, closed_at)
        else:
            extensions["status_description"] = "Abierto"
        if responded <= as_of and rng.random() < 0.93:  # noqa: PLR2004
            extensions["first_response_datetime"] = responded.astimezone(_PANAMA).isoformat()
        out.append(
            ServiceRequest(
                service_request_id=f"PA-{index + 1:06d}",
                service_code=code,
                service_name=code.replace("-", " "),
                agency_responsible=entity,
                status=status,
                requested_datetime=requested.astimezone(_PANAMA),
                updated_datetime=None if updated is None else min(updated, as_of).astimezone(_PANAMA),
                extensions=extensions,  # type: ignore[arg-type]
            )
        )
    return out


def demo_arrays(*, n: int = 1_000_000, seed: int = 311, as_of: datetime = DEMO_AS_OF) -> CaseTable:
    """``n`` made-up cases straight as numpy columns (the fast path: a million in well under a second).

    Entities, services, channels and closure reasons as in ``demo_requests``; 12 months of intake.
    """
    rng = np.random.default_rng(seed)
    end = np.datetime64(as_of.astimezone(UTC).replace(tzinfo=None), "ns")
    year = np.int64(365 * 86400 * 10**9)
    requested = end - (rng.random(n) * year).astype("timedelta64[ns]")
    services = list(DEMO_SERVICES)
    service = rng.integers(0, len(services), n).astype(np.int32)
    means = np.array([DEMO_SERVICES[code][2] for code in services])
    close_after = (rng.exponential(1.0, n) * means[service] * 86400e9).astype("timedelta64[ns]")
    closed = requested + close_after
    closed = np.where(closed > end, np.datetime64("NaT"), closed)
    responded = requested + (rng.exponential(20, n) * 3600e9).astype("timedelta64[ns]")
    responded = np.where(responded > end, np.datetime64("NaT"), responded)
    reason = rng.choice(5, n, p=[weight for _, weight in _REASONS]).astype(np.int8)
    reason = np.where(np.isnat(closed), -1, reason).astype(np.int8)
    entities = sorted(DEMO_ENTITIES)
    entity_of = np.array([entities.index(DEMO_SERVICES[code][0]) for code in services], dtype=np.int32)
    channels = sorted(channel.value for channel, _, _ in _CHANNELS)
    channel_p = np.array([weight for _, weight, _ in sorted(_CHANNELS, key=lambda item: item[0].value)])
    dimensions = {
        "agency": Categories(entity_of[service], tuple(entities)),
        "service": Categories(service, tuple(services)),
        "channel": Categories(rng.choice(len(channels), n, p=channel_p).astype(np.int32), tuple(channels)),
    }
    return CaseTable.from_arrays(
        requested=requested, closed=closed, first_response=responded, reason=reason, dimensions=dimensions
    )
