"""Realistic user code that must type-check under mypy --strict (checked by test_typing.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import georeport
from georeport import DocumentKind, ServiceList, ServiceRequest, ServiceRequestList, Status


def open_requests(path: Path) -> list[ServiceRequest]:
    document: ServiceRequestList = georeport.load(path, kind="requests")
    return [request for request in document if request.status is Status.OPEN]


def service_names(data: bytes) -> dict[str, str | None]:
    services: ServiceList = georeport.load(data, kind=DocumentKind.SERVICES)
    return {service.service_code: service.service_name for service in services}


def stream_count(path: Path) -> int:
    with georeport.iter_requests(path, default_timezone="America/Chicago") as reader:
        return sum(1 for request in reader if request.requested_datetime is not None)


def roundtrip(document: georeport.Document) -> bytes:
    return georeport.dump(document, "json")


def new_request() -> ServiceRequest:
    return ServiceRequest("1", Status.OPEN, requested_datetime=datetime(2026, 11, 23, tzinfo=UTC), lat=9.0, long=-79.5)
