"""CSV and JSON: one row per group x indicator with every figure, byte-identical for the same input."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from georeport.stats import CaseTable, Period, StatsOptions, build_report, to_csv, to_json, to_records, to_text
from georeport.stats.demo import DEMO_AS_OF, demo_requests


def _report(requests=None):
    table = CaseTable.from_requests(requests if requests is not None else demo_requests(n=400))
    options = StatsOptions(
        as_of=DEMO_AS_OF, by=("agency",), period=Period.parse("quarter"), resolution_target=timedelta(days=10)
    )
    return build_report(table, options)


class TestExport:
    def test_csv_has_one_row_per_cell(self):
        report = _report()
        rows = list(csv.DictReader(io.StringIO(to_csv(report))))
        assert len(rows) == len(report.cells)
        assert list(rows[0])[:2] == ["agency", "period"]
        assert {"numerator", "denominator", "value", "low", "high", "n", "flags"} <= set(rows[0])
        first = report.cells[0]
        assert rows[0]["indicator"] == first.indicator
        assert rows[0]["agency"] == dict(first.group)["agency"]

    def test_json_rows_equal_records_and_carry_definitions(self):
        report = _report()
        document = json.loads(to_json(report))
        assert document["rows"] == to_records(report)
        assert {indicator["id"] for indicator in document["indicators"]} >= {"response_rate", "cohort_attainment"}
        assert all(indicator["formula"] for indicator in document["indicators"])
        assert document["quality"][0]["treatment"]

    def test_output_is_deterministic_whatever_the_input_order(self):
        requests = demo_requests(n=300)
        first = _report(requests)
        again = _report(list(reversed(requests)))
        assert to_csv(first) == to_csv(again)
        assert to_json(first) == to_json(again)

    def test_text_table_lists_every_cell(self):
        report = _report()
        text = to_text(report)
        assert text.startswith(report.title)
        assert len([line for line in text.splitlines() if " / " in line]) >= len(report.cells)
