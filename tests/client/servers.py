"""Scripted GeoReport behaviours for the loopback server: a windowed, capped, optionally paging requests store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import georeport
from georeport import ServiceRequest, ServiceRequestList, Status
from georeport.client import HttpRequest, HttpResponse
from tests.client.loopback import Reply, Seen

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def records_at(offsets: list[float], *, prefix: str = "") -> list[ServiceRequest]:
    """One request per offset (seconds after ``EPOCH``), ids ``{prefix}{n}``."""
    return [
        ServiceRequest(
            f"{prefix}{n}", Status.OPEN, service_code="PK-101", requested_datetime=EPOCH + timedelta(seconds=offset)
        )
        for n, offset in enumerate(offsets)
    ]


class RequestStore:
    """Answers ``GET requests`` like a server: inclusive date bounds, newest first, at most ``limit``, pages if asked."""

    def __init__(self, records: list[ServiceRequest], *, limit: int, paginates: bool = False) -> None:
        self.records = sorted(records, key=lambda r: r.requested_datetime or EPOCH, reverse=True)
        self.limit = limit
        self.paginates = paginates

    def select(self, query: dict[str, str]) -> list[ServiceRequest]:
        start = datetime.fromisoformat(query["start_date"]) if "start_date" in query else None
        end = datetime.fromisoformat(query["end_date"]) if "end_date" in query else None
        chosen = [
            r
            for r in self.records
            if r.requested_datetime is None
            or ((start is None or r.requested_datetime >= start) and (end is None or r.requested_datetime <= end))
        ]
        size = min(int(query.get("page_size", self.limit)), self.limit)
        page = int(query.get("page", 1)) if self.paginates else 1
        return chosen[(page - 1) * size : page * size]

    def body(self, query: dict[str, str]) -> bytes:
        return georeport.dump(ServiceRequestList(self.select(query)), "json")

    def __call__(self, seen: Seen) -> Reply:
        return Reply(200, self.body(seen.query), (("Content-Type", "application/json"),))

    def answer(self, request: HttpRequest) -> HttpResponse:
        """The same, in process (for property tests over the sans-IO exchange)."""
        return HttpResponse(200, body=self.body(dict(parse_qsl(urlsplit(request.url).query))))
