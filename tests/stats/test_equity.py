"""The equity view: raw and service-mix standardised figures that point opposite ways (Simpson's paradox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from georeport.errors import ValidationError
from georeport.stats import CaseTable, Flag, StatsOptions, build_report, to_json

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _simpson(case):
    """North does better at both services, but gets mostly the hard one."""
    plan = {
        # (area, service): (resolved, total)
        ("North", "easy"): (9, 10),
        ("North", "hard"): (30, 100),
        ("South", "easy"): (85, 100),
        ("South", "hard"): (2, 10),
    }
    cases, areas, number = [], {}, 0
    for (area, service), (resolved, total) in plan.items():
        for index in range(total):
            how = "resolved" if index < resolved else "rejected"
            cases.append(case(number, service=service, close_after=timedelta(days=1), how=how))
            areas[str(number)] = area
            number += 1
    return CaseTable.from_cases(cases, extra={"area": lambda request: areas[request.service_request_id]})


class TestEquity:
    def test_raw_and_standardised_point_opposite_ways(self, case):
        report = build_report(
            _simpson(case),
            StatsOptions(as_of=T0 + timedelta(days=10), by=("area",), indicators=("resolution_rate",)),
        )
        rows = {row.area: row for row in report.equity}
        assert rows["North"].raw == pytest.approx(39 / 110)
        assert rows["South"].raw == pytest.approx(87 / 110)
        assert rows["North"].raw < rows["South"].raw
        assert rows["North"].standardised == pytest.approx(0.6)
        assert rows["South"].standardised == pytest.approx(0.525)
        assert rows["North"].standardised > rows["South"].standardised

    def test_per_1000_residents_and_no_composite_score(self, case):
        report = build_report(
            _simpson(case),
            StatsOptions(
                as_of=T0 + timedelta(days=10),
                by=("area",),
                indicators=("received",),
                populations={"North": 55_000, "South": 11_000},
            ),
        )
        rows = {row.area: row for row in report.equity}
        assert rows["North"].per_1000 == pytest.approx(2.0)
        assert rows["South"].per_1000 == pytest.approx(10.0)
        assert "not need" in report.indicator("per_1000_residents").title
        assert not any("score" in name for name in to_json(report).split('"') if name.isidentifier())

    def test_small_areas_are_flagged(self, case):
        table = CaseTable.from_cases(
            [case(n, close_after=timedelta(days=1)) for n in range(3)], extra={"area": lambda _request: "Tiny"}
        )
        report = build_report(table, StatsOptions(as_of=T0 + timedelta(days=5), by=("area",), indicators=("received",)))
        assert report.equity[0].flags == (Flag.TOO_FEW,)

    def test_unknown_equity_indicator(self, case):
        table = CaseTable.from_cases([case(1)], extra={"area": lambda _request: "A"})
        with pytest.raises(ValidationError, match="equity"):
            build_report(table, StatsOptions(as_of=T0 + timedelta(days=5), by=("area",), equity="mood"))
