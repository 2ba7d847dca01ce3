"""Periods cut at local midnight; groups combine dimensions and periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from georeport.errors import ValidationError
from georeport.stats import Basis, CaseTable, Period, PeriodKind, StatsOptions, build_report
from georeport.stats.cases import to_instants
from georeport.stats.grouping import Grouper

PANAMA = ZoneInfo("America/Panama")
CHICAGO = ZoneInfo("America/Chicago")


def _labels(period: Period, instants: list[datetime], as_of: datetime) -> list[str]:
    table = CaseTable.from_arrays(requested=to_instants(instants))
    grouper = Grouper.of(table, period=period, as_of=as_of)
    return [grouper.groups[code][-1][1] for code in grouper.received.tolist()]


class TestPeriods:
    def test_month_boundaries_are_local_midnight(self):
        # 23:30 on 31 January in Panama is already February in UTC.
        late = datetime(2024, 1, 31, 23, 30, tzinfo=PANAMA)
        period = Period.parse("month", timezone=PANAMA)
        assert _labels(period, [late], datetime(2024, 3, 1, tzinfo=UTC)) == ["2024-01"]
        assert _labels(Period.parse("month"), [late], datetime(2024, 3, 1, tzinfo=UTC)) == ["2024-02"]

    def test_days_across_a_dst_change(self):
        # The day of the spring change has 23 hours; 23:30 local is still that day.
        instants = [datetime(2024, 3, 10, 0, 30, tzinfo=CHICAGO), datetime(2024, 3, 10, 23, 30, tzinfo=CHICAGO)]
        period = Period.parse("day", timezone=CHICAGO)
        assert _labels(period, instants, datetime(2024, 3, 12, tzinfo=UTC)) == ["2024-03-10", "2024-03-10"]

    def test_weeks_quarters_and_fiscal_years(self):
        when = datetime(2023, 10, 2, 12, tzinfo=UTC)
        as_of = datetime(2024, 1, 1, tzinfo=UTC)
        assert _labels(Period.parse("week"), [when], as_of) == ["2023-W40"]
        assert _labels(Period.parse("quarter"), [when], as_of) == ["2023-Q4"]
        assert _labels(Period.parse("fiscal_year-10"), [when], as_of) == ["FY2024"]
        assert _labels(Period.parse("fy7"), [when], as_of) == ["FY2024"]
        assert _labels(Period.parse("fiscal_year"), [when], as_of) == ["FY2023"]

    def test_rolling_windows_end_with_the_as_of_day(self):
        as_of = datetime(2024, 3, 31, 15, tzinfo=UTC)
        instants = [as_of - timedelta(days=1), as_of - timedelta(days=31)]
        assert _labels(Period.parse("rolling30"), instants, as_of) == [
            "2024-03-02..2024-03-31",
            "2024-02-01..2024-03-01",
        ]

    def test_closed_basis(self):
        table = CaseTable.from_arrays(
            requested=to_instants([datetime(2024, 1, 30, tzinfo=UTC)] * 2),
            closed=to_instants([datetime(2024, 2, 2, tzinfo=UTC), None]),
        )
        report = build_report(
            table,
            StatsOptions(
                as_of=datetime(2024, 3, 1, tzinfo=UTC),
                period=Period.parse("month", basis="closed"),
                indicators=("received",),
            ),
        )
        assert [(cell.group, cell.value) for cell in report.cells] == [
            ((("period", "2024-01"),), 0.0),
            ((("period", "2024-02"),), 1.0),
        ]  # an as-of time at midnight on 1 March ends February: no empty March
        assert "belong to no period" in report.period

    @pytest.mark.parametrize("text", ["fortnight", "month3", "rolling0", "fiscal_year-13"])
    def test_bad_names(self, text):
        with pytest.raises(ValidationError):
            Period.parse(text)

    def test_parse_kinds(self):
        assert Period.parse("rolling7").days == 7
        assert Period.parse("quarter").kind is PeriodKind.QUARTER
        assert Period.parse("day", basis="closed").basis is Basis.CLOSED


class TestGrouper:
    def test_groups_sort_by_dimension_then_period(self):
        table = CaseTable.from_arrays(
            requested=to_instants([datetime(2024, 2, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)]),
        )
        grouper = Grouper.of(
            table, by=("agency",), period=Period.parse("month"), as_of=datetime(2024, 2, 2, tzinfo=UTC)
        )
        assert grouper.groups == (
            (("agency", "unknown"), ("period", "2024-01")),
            (("agency", "unknown"), ("period", "2024-02")),
        )
        assert grouper.received.tolist() == [1, 0]
        assert np.array_equal(grouper.closed, [-1, -1])
