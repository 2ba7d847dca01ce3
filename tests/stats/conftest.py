"""Builders for the statistics tests: lifecycle cases and requests with the few fields a test cares about."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from georeport.lifecycle import Case
from georeport.models import ServiceRequest, Status

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)

CaseBuilder = Callable[..., Case]
RequestBuilder = Callable[..., ServiceRequest]


def make_case(
    number: int,
    *,
    received: datetime = T0,
    close_after: timedelta | None = None,
    how: str = "resolved",
    ack_after: timedelta | None = None,
    agency: str = "Roads",
    service: str = "pothole",
    channel: str = "phone",
    referred_to: str = "County",
    duplicate_of: str = "0",
    pause: tuple[timedelta, timedelta] | None = None,
    reopen_after: timedelta | None = None,
    reclose_after: timedelta | None = None,
) -> Case:
    """A case received at ``received``; closed ``close_after`` later (how: resolved/duplicate/referred/rejected/withdrawn)."""
    request = ServiceRequest(
        service_request_id=str(number),
        service_code=service,
        agency_responsible=agency,
        requested_datetime=received,
    )
    case = Case(request, channel)
    if ack_after is not None:
        case = case.acknowledge(at=received + ack_after)
    if pause is not None:
        case = case.move("waiting_on_citizen", at=received + pause[0])
        case = case.move("in_progress", at=received + pause[1])
    if close_after is None:
        return case
    at = received + close_after
    if how == "duplicate":
        case = case.mark_duplicate(of=duplicate_of, at=at)
    elif how == "referred":
        case = case.refer(referred_to, at=at)
    else:
        case = case.close(at=at, to_state=how)
    if reopen_after is not None:
        case = case.reopen(at=received + reopen_after)
        if reclose_after is not None:
            case = case.close(at=received + reclose_after, to_state="resolved")
    return case


def make_request(
    number: int,
    *,
    received: datetime = T0,
    closed: datetime | str | None = None,
    updated: datetime | None = None,
    status: str = "open",
    description: str | None = None,
    source: str | None = "Phone",
    agency: str = "Roads",
    service: str = "pothole",
    **extensions: Any,
) -> ServiceRequest:
    """A request as a dump carries it: Bulk fields in ``extensions``."""
    ext: dict[str, Any] = dict(extensions)
    if closed is not None:
        ext["closed_datetime"] = closed if isinstance(closed, str) else closed.isoformat()
    if description is not None:
        ext["status_description"] = description
    if source is not None:
        ext["source"] = source
    return ServiceRequest(
        service_request_id=str(number),
        service_code=service,
        agency_responsible=agency,
        status=Status(status),
        requested_datetime=received,
        updated_datetime=updated,
        extensions=ext,
    )


@pytest.fixture
def case() -> CaseBuilder:
    """``make_case``."""
    return make_case


@pytest.fixture
def dump_request() -> RequestBuilder:
    """``make_request``."""
    return make_request
