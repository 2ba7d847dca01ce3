"""The Panama preset: per entity and month, in Spanish and English."""

from __future__ import annotations

from datetime import UTC, timedelta

import numpy as np
import pytest

from georeport.errors import ValidationError
from georeport.lifecycle import Channel
from georeport.sla import BusinessCalendar
from georeport.stats import CaseTable, panama_report
from georeport.stats.demo import DEMO_AS_OF, DEMO_SERVICES, demo_requests
from georeport.stats.panama import PANAMA_INDICATORS, TITLES

CALENDAR = BusinessCalendar(zone="America/Panama", hours={"weekdays": "08:00-16:00"})


@pytest.fixture(scope="module")
def table() -> CaseTable:
    return CaseTable.from_requests(demo_requests(n=600))


class TestPanama:
    def test_every_row_of_the_preset(self, table):
        targets = {code: days for code, (_, days, _) in DEMO_SERVICES.items()}
        report = panama_report(table, as_of=DEMO_AS_OF, targets=targets, calendar=CALENDAR)
        assert [indicator.id for indicator in report.indicators] == list(PANAMA_INDICATORS)
        group = report.groups()[0]
        assert [name for name, _ in group] == ["agency", "period"]
        for indicator in PANAMA_INDICATORS[:-1]:
            report.cell(group, indicator)
        channels = [
            dict(cell.group)["channel"]
            for cell in report.cells
            if cell.indicator == "received_by_channel" and cell.group[:2] == group
        ]
        assert channels[: len(Channel)] == [channel.value for channel in Channel]
        received = report.cell(group, "received").value
        assert (
            sum(
                cell.value or 0
                for cell in report.cells
                if cell.indicator == "received_by_channel" and cell.group[:2] == group
            )
            == received
        )

    def test_spanish_and_english(self, table):
        spanish = panama_report(table, as_of=DEMO_AS_OF, calendar=CALENDAR)
        english = panama_report(table, as_of=DEMO_AS_OF, calendar=CALENDAR, language="en")
        assert spanish.indicator("response_rate").title == TITLES["es"]["response_rate"]
        assert english.indicator("within_30_days").title == "Closed within 30 calendar days"
        assert spanish.labels["agency"] == "Entidad"
        assert [cell.value for cell in spanish.cells] == [cell.value for cell in english.cells]
        assert "within_target" not in {indicator.id for indicator in spanish.indicators}

    def test_open_over_30_days(self, table):
        report = panama_report(table, as_of=DEMO_AS_OF, calendar=CALENDAR)
        total = sum(cell.value or 0 for cell in report.cells if cell.indicator == "open_over_30_days")
        as_of = np.datetime64(DEMO_AS_OF.astimezone(UTC).replace(tzinfo=None), "ns")
        current = table.at(as_of)
        age = as_of - current.requested
        expected = int(((current.reason == -1) & (age > np.timedelta64(30, "D"))).sum())
        assert total == expected

    def test_unknown_language(self, table):
        with pytest.raises(ValidationError, match="language"):
            panama_report(table, as_of=DEMO_AS_OF, language="fr", calendar=CALENDAR)

    def test_default_calendar(self, table):
        report = panama_report(table, as_of=DEMO_AS_OF - timedelta(days=200), targets={"bache": 10})
        assert "within_target" in {indicator.id for indicator in report.indicators}


def test_a_policy_book_gives_within_target_by_service_in_jurisdiction(dump_request) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from georeport.sla import PolicyBook, SlaPolicy, Target

    monday = datetime(2024, 3, 4, 9, tzinfo=ZoneInfo("America/Panama"))
    book = PolicyBook(
        default=SlaPolicy(calendar=CALENDAR, resolution=Target.calendar(timedelta(days=30))),
        policies={
            ("colon", "bache"): SlaPolicy(calendar=CALENDAR, resolution=Target.business_days(1)),
            ("panama", "bache"): SlaPolicy(calendar=CALENDAR, resolution=Target.business_days(10)),
        },
    )
    requests = [
        dump_request(
            n,
            received=monday,
            status="closed",
            closed=monday + timedelta(days=3),
            agency=agency,
            service="bache",
            jurisdiction_id=place,
        )
        for n, (agency, place) in enumerate([("MOP-C", "colon")] * 3 + [("MOP-P", "panama")] * 3)
    ]
    report = panama_report(CaseTable.from_requests(requests), as_of=monday + timedelta(days=60), policies=book)
    colon, panama = (("agency", "MOP-C"), ("period", "2024-03")), (("agency", "MOP-P"), ("period", "2024-03"))
    assert report.cell(colon, "within_target").value == 0.0  # 3 days against one business day
    assert report.cell(panama, "within_target").value == 1.0  # against ten
    assert report.cell(colon, "within_30_days").value == report.cell(panama, "within_30_days").value == 1.0
    assert "bache in colon: 1 business day" in report.indicator("within_target").calendar
