"""Harvesting any date range in adaptive windows: exactly once, whatever the server's limit and answers."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport import ServiceRequest
from georeport.client import (
    Batch,
    Calls,
    Client,
    EndpointDialect,
    HarvestLimitError,
    HttpRequest,
    HttpResponse,
    UrllibTransport,
    WindowPlanner,
    harvest,
)
from georeport.errors import ValidationError
from tests.client.loopback import Loopback
from tests.client.servers import EPOCH, RequestStore, records_at

DAY = 86400.0


class TestWindowPlanner:
    def test_a_planner_that_never_grows_keeps_its_window(self) -> None:
        start = datetime(2024, 1, 1, tzinfo=UTC)
        planner = WindowPlanner(start, start + timedelta(seconds=100), initial=timedelta(seconds=10), grow=1.0)
        while not planner.done:
            planner.current()
            assert planner.answer(full=False)
        assert len(planner.accepted) == 10
        assert {(high - low).total_seconds() for low, high in planner.accepted} == {10.0}

    @given(
        start=st.integers(0, 10**9).map(lambda s: datetime.fromtimestamp(s / 1000, UTC)),
        length=st.integers(0, 400 * 86400),
        initial=st.integers(1, 100 * 86400),
        # grow=1.0 never grows: a 1-second window would take a step per second of the range
        # (tested on its own below), so the property draws planners that do grow.
        grow=st.floats(1.1, 4.0),
        answers=st.lists(st.booleans(), max_size=60),
    )
    def test_accepted_windows_tile_the_range_exactly_once(
        self, start: datetime, length: int, initial: int, grow: float, answers: list[bool]
    ) -> None:
        end = start + timedelta(seconds=length)
        planner = WindowPlanner(start, end, initial=timedelta(seconds=initial), grow=grow)
        steps = 0
        while not planner.done:
            full = answers[steps] if steps < len(answers) else False
            low, high = planner.current()
            accepted = planner.answer(full=full)
            assert accepted == (not full or (high - low).total_seconds() <= 1)
            steps += 1
            assert steps < 10_000
        windows = planner.accepted
        assert windows == sorted(windows)
        if windows:
            assert windows[0][0].timestamp() == math.floor(start.timestamp())
            assert windows[-1][1].timestamp() == math.ceil(end.timestamp())
        for (_, high), (low, _) in itertools.pairwise(windows):
            assert high == low  # no gap, no overlap
        assert all(low < high for low, high in windows)
        assert all((high - low) <= timedelta(days=90) for low, high in windows)

    def test_windows_are_utc_and_ignore_dst(self) -> None:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo("America/Chicago")
        planner = WindowPlanner(datetime(2024, 3, 9, tzinfo=zone), datetime(2024, 3, 11, tzinfo=zone))
        while not planner.done:
            planner.answer(full=False)
        assert sum((high - low).total_seconds() for low, high in planner.accepted) == 47 * 3600

    def test_bad_ranges_are_refused(self) -> None:
        with pytest.raises(ValidationError, match="'end' must be not before start"):
            WindowPlanner(EPOCH, EPOCH - timedelta(seconds=5))
        with pytest.raises(ValidationError, match="'start' must be a timezone-aware datetime"):
            WindowPlanner(datetime(2024, 1, 1), EPOCH)
        with pytest.raises(ValidationError, match="'grow'"):
            WindowPlanner(EPOCH, EPOCH, grow=0.5)


def drive_in_process(
    store: RequestStore, dialect: EndpointDialect, start: datetime, end: datetime, **options: Any
) -> tuple[list[ServiceRequest], list[HttpRequest]]:
    """Run the sans-IO harvest against the store with no HTTP at all; return (records, requests)."""
    exchange = harvest(Calls("https://x.gov/v2", dialect=dialect), start, end, **options)
    records: list[ServiceRequest] = []
    requests: list[HttpRequest] = []
    reply: HttpResponse | None = None
    try:
        while True:
            event = exchange.send(reply)
            if isinstance(event, HttpRequest):
                requests.append(event)
                reply = store.answer(event)
            else:
                assert isinstance(event, Batch)
                records.extend(event.records)
                reply = None
    except StopIteration:
        pass
    return records, requests


class TestHarvest:
    @given(
        offsets=st.lists(st.floats(-DAY, 30 * DAY, allow_nan=False), max_size=120),
        burst=st.integers(0, 3),
        limit=st.integers(4, 40),
        start=st.floats(0, 10 * DAY),
        length=st.floats(0, 25 * DAY),
        initial=st.integers(1, 40 * 86400),
    )
    def test_every_request_in_the_range_exactly_once(
        self, offsets: list[float], burst: int, limit: int, start: float, length: float, initial: int
    ) -> None:
        offsets = offsets + [start] * burst + [start + length] * burst  # records on both boundaries
        records = records_at(offsets)
        low, high = EPOCH + timedelta(seconds=start), EPOCH + timedelta(seconds=start + length)
        store = RequestStore(records, limit=limit, paginates=True)
        dialect = EndpointDialect(requests_limit=limit, paginates=True)
        got, _ = drive_in_process(store, dialect, low, high, initial=timedelta(seconds=initial))
        ids = [r.service_request_id for r in got]
        expected = {r.service_request_id for r in records if low <= r.requested_datetime < high}  # type: ignore[operator]
        assert len(ids) == len(set(ids))
        assert set(ids) == expected

    def test_over_loopback_with_a_50_limit(self, loopback: Loopback, transport: UrllibTransport) -> None:
        # 400 requests over 10 days, most on day 3: windows must shrink there and grow after
        offsets = [i * 2160.0 for i in range(400)] + [2 * DAY + i * 60.0 for i in range(200)]
        store = RequestStore(records_at(offsets), limit=50)
        loopback.on("GET /v2/requests.json", store)
        client = Client(f"{loopback.url}/v2", transport=transport, dialect=EndpointDialect(requests_limit=50))
        got = list(client.harvest(EPOCH, EPOCH + timedelta(days=10), initial=timedelta(days=1)))
        ids = [r.service_request_id for r in got]
        assert len(ids) == len(set(ids)) == 600
        asked = [(seen.query["start_date"], seen.query["end_date"]) for seen in loopback.seen]
        assert asked[0] == ("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z")
        assert len(asked) > 10  # some windows were halved
        assert len(asked) < 60

    def test_a_full_second_without_paging_is_an_error_after_what_came_before(self) -> None:
        store = RequestStore(records_at([10.0] * 2 + [500.0] * 6), limit=5)
        dialect = EndpointDialect(requests_limit=5)
        exchange = harvest(Calls("https://x.gov/v2", dialect=dialect), EPOCH, EPOCH + timedelta(hours=1))
        delivered: list[str | None] = []

        def drain() -> None:
            reply = None
            while True:
                event = exchange.send(reply)
                if isinstance(event, HttpRequest):
                    reply = store.answer(event)
                else:
                    assert isinstance(event, Batch)
                    delivered.extend(r.service_request_id for r in event.records)
                    reply = None

        with pytest.raises(HarvestLimitError) as caught:
            drain()
        assert delivered == ["0", "1"]
        # bounds are inclusive on the wire: the second before the burst asks the burst's second too
        assert caught.value.window == (EPOCH + timedelta(seconds=499), EPOCH + timedelta(seconds=500))

    def test_a_full_second_is_paged_when_the_server_pages(self) -> None:
        store = RequestStore(records_at([500.0] * 12), limit=5, paginates=True)
        dialect = EndpointDialect(requests_limit=5, paginates=True)
        got, requests = drive_in_process(store, dialect, EPOCH, EPOCH + timedelta(hours=1))
        assert sorted(int(r.service_request_id or "") for r in got) == list(range(12))
        paged = [r.url.split("?", 1)[1] for r in requests if "page=" in r.url]
        assert paged[:2] == [
            "start_date=2024-01-01T00:08:19Z&end_date=2024-01-01T00:08:20Z&page=2&page_size=5",
            "start_date=2024-01-01T00:08:19Z&end_date=2024-01-01T00:08:20Z&page=3&page_size=5",
        ]


def test_the_query_s_other_filters_are_kept_in_every_window() -> None:
    from georeport.wire.params import RequestsQuery

    store = RequestStore(records_at([10.0, 5000.0]), limit=50)
    query = RequestsQuery(status=["open"], service_code=["PK-101"], service_request_id=["dropped"], page=4)
    got, requests = drive_in_process(
        store,
        EndpointDialect(requests_limit=50),
        EPOCH,
        EPOCH + timedelta(hours=3),
        query=query,
        initial=timedelta(hours=1),
    )
    assert [r.service_request_id for r in got] == ["0", "1"]
    assert requests[0].url.split("?", 1)[1] == (
        "service_code=PK-101&status=open&start_date=2024-01-01T00:00:00Z&end_date=2024-01-01T01:00:00Z"
    )
    assert all("service_code=PK-101&status=open&" in r.url and "page" not in r.url for r in requests)
