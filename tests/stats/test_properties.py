"""Properties of whole reports: the order of the input and a second as-of view change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from georeport.stats import CaseTable, Categories, Period, StatsOptions, build_report, to_csv, to_json
from georeport.stats.cases import to_instants

AS_OF = datetime(2024, 4, 1, tzinfo=UTC)
START = datetime(2024, 1, 1, tzinfo=UTC)
INDICATORS = (
    "received",
    "response_rate",
    "resolution_rate",
    "time_to_close_median",
    "on_time_closed",
    "attainment_with_overdue",
    "cohort_attainment",
    "backlog",
    "open_age_median",
)

cases = st.lists(
    st.tuples(
        st.integers(0, 100 * 24),  # received, hours after START
        st.one_of(st.none(), st.integers(0, 40 * 24)),  # closed after, hours
        st.integers(0, 2),  # agency
        st.integers(0, 4),  # reason
    ),
    max_size=60,
)


def _table(rows: list[tuple[int, int | None, int, int]]) -> CaseTable:
    requested = [START + timedelta(hours=received) for received, _, _, _ in rows]
    closed = [None if after is None else START + timedelta(hours=received + after) for received, after, _, _ in rows]
    reason = np.array([-1 if after is None else code for _, after, _, code in rows], dtype=np.int8)
    agency = Categories(np.array([code for _, _, code, _ in rows], dtype=np.int32), ("A", "B", "C"))
    return CaseTable.from_arrays(
        requested=to_instants(requested), closed=to_instants(closed), reason=reason, dimensions={"agency": agency}
    )


OPTIONS = StatsOptions(
    as_of=AS_OF,
    by=("agency",),
    period=Period.parse("month"),
    indicators=INDICATORS,
    resolution_target=timedelta(days=10),
    min_group_size=5,
)


class TestReportProperties:
    @settings(max_examples=25)
    @given(cases, st.randoms(use_true_random=False))
    def test_the_order_of_the_cases_changes_no_figure(self, rows, random):
        shuffled = list(rows)
        random.shuffle(shuffled)
        assert to_json(build_report(_table(rows), OPTIONS)) == to_json(build_report(_table(shuffled), OPTIONS))

    @settings(max_examples=25)
    @given(cases)
    def test_a_table_already_at_the_as_of_time_gives_the_same_report(self, rows):
        table = _table(rows)
        again = table.at(np.datetime64(AS_OF.replace(tzinfo=None), "ns"))
        first, second = build_report(table, OPTIONS), build_report(again, OPTIONS)
        # Every figure is the same; only the data-quality table still sees the later events in the first.
        assert to_csv(first) == to_csv(second)
        assert (first.backlog, first.ages, first.survival) == (second.backlog, second.ages, second.survival)

    @settings(max_examples=25)
    @given(cases)
    def test_proportions_lie_in_their_intervals(self, rows):
        report = build_report(_table(rows), OPTIONS)
        for cell in report.cells:
            if cell.value is not None and cell.low is not None and cell.high is not None:
                assert cell.low - 1e-9 <= cell.value <= cell.high + 1e-9
            if cell.numerator is not None and cell.denominator is not None and cell.indicator != "time_to_close_median":
                assert cell.numerator <= cell.denominator

    @settings(max_examples=25)
    @given(cases)
    def test_the_backlog_is_the_same_whichever_way_intervals_are_counted(self, rows):
        import attrs

        table = _table(rows)
        # Listing the open intervals in another order takes the general path (not the one-interval fast path).
        order = np.arange(len(table))[::-1]
        general = attrs.evolve(
            table, span_case=table.span_case[order], span_start=table.span_start[order], span_end=table.span_end[order]
        )
        assert build_report(table, OPTIONS).backlog == build_report(general, OPTIONS).backlog
