"""``expected_datetime`` from each jurisdiction's SLA policy book, pauses counted."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import georeport
from georeport.server import RunningServer
from tests.server.conftest import Clock, call
from tests.server.test_methods import playground, post

PACIFIC = ZoneInfo("America/Los_Angeles")


def expected(server: RunningServer, identifier: str) -> datetime | None:
    return (
        georeport.load(call(f"{server.url}/requests/{identifier}.json").body, kind="requests").one().expected_datetime
    )


def test_expected_datetime_follows_the_policy_of_each_service(
    server: RunningServer, api_key: str, clock: Clock
) -> None:
    # Monday 2 March 2026, 09:30 in Elk Falls; 5 business days for playgrounds, across the DST change of 8 March.
    playground_id = post(server, playground(api_key))
    assert expected(server, playground_id) == datetime(2026, 3, 9, 17, tzinfo=PACIFIC)
    assert expected(server, playground_id).utcoffset() == timedelta(hours=-7)  # type: ignore[union-attr]
    hydrant = {"api_key": api_key, "service_code": "WA-330", "address_string": "5th and Pine"}
    call(f"{server.url}/requests.json", method="POST", form=hydrant)  # blackbox: no id in the receipt
    listed = georeport.load(call(f"{server.url}/requests.json?service_code=WA-330").body, kind="requests").one()
    assert listed.expected_datetime == clock.now + timedelta(hours=24)  # round the clock
    sign = {"api_key": api_key, "service_code": "ST-214", "address_id": "S-1"}
    call(f"{server.url}/requests.json", method="POST", form=sign)
    listed = georeport.load(call(f"{server.url}/requests.json?service_code=ST-214").body, kind="requests").one()
    assert listed.expected_datetime == datetime(2026, 3, 16, 17, tzinfo=PACIFIC)  # the default: 10 business days


def test_waiting_on_the_citizen_pushes_the_expected_datetime(server: RunningServer, api_key: str, clock: Clock) -> None:
    identifier = post(server, playground(api_key))
    before = expected(server, identifier)
    assert before is not None
    clock.advance(hours=1)
    form = {"api_key": api_key, "action": "move", "to_state": "waiting_on_citizen", "note": "Which swing?"}
    assert call(f"{server.url}/requests/{identifier}/events.json", method="POST", form=form).status == 200
    clock.advance(hours=3)  # three working hours paused so far (10:30 to 13:30), counted up to now
    assert before == datetime(2026, 3, 9, 17, tzinfo=PACIFIC)
    assert expected(server, identifier) == datetime(2026, 3, 10, 11, tzinfo=PACIFIC)  # 17:00 + 3 working hours
    clock.advance(days=1)  # paused until Tuesday 13:30: 6.5 + 5.5 = 12 working hours
    form = {"api_key": api_key, "action": "move", "to_state": "in_progress"}
    assert call(f"{server.url}/requests/{identifier}/events.json", method="POST", form=form).status == 200
    clock.advance(days=5)
    assert expected(server, identifier) == datetime(2026, 3, 11, 11, tzinfo=PACIFIC)  # 9 + 3 working hours later
