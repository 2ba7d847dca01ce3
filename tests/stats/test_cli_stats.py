"""``georeport stats`` through a real subprocess: dumps and cases in, table, CSV, JSON and HTML out."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import attrs
import pytest

from georeport.cli import main
from georeport.lifecycle import to_json as case_to_json
from georeport.stats.demo import demo_requests
from georeport.wire.dumps import write_dump

AS_OF = "2024-07-01T00:00:00-05:00"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "georeport", "stats", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stats") / "demo.json"
    with path.open("wb") as handle:
        write_dump(demo_requests(n=200), handle, format="json")
    return path


class TestCommand:
    def test_a_progress_bar_counts_the_requests_read_when_forced(self, dump):
        forced = subprocess.run(
            [sys.executable, "-m", "georeport", "stats", str(dump), "--as-of", AS_OF, "--progress"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env={**os.environ, "GEOREPORT_PROGRESS_DELAY": "0"},
        )
        assert forced.returncode == 0, forced.stderr
        assert "stats: reading" in forced.stderr
        assert "200 requests" in forced.stderr
        quiet = _run(dump, "--as-of", AS_OF)
        assert "stats: reading" not in quiet.stderr

    def test_table(self, dump):
        result = _run(dump, "--by", "agency", "--period", "quarter", "--as-of", AS_OF, "--target-days", "30")
        assert result.returncode == 0, result.stderr
        assert "Response rate" in result.stdout
        assert "Cohort attainment" in result.stdout
        assert "Data quality:" in result.stdout

    def test_csv_to_a_file_is_deterministic(self, dump, tmp_path):
        first, second = tmp_path / "a.csv", tmp_path / "b.csv"
        for out in (first, second):
            result = _run(dump, "--by", "agency,service", "--as-of", AS_OF, "--format", "csv", "--out", out)
            assert result.returncode == 0, result.stderr
            assert result.stdout == ""
        assert first.read_bytes() == second.read_bytes()
        rows = list(csv.DictReader(io.StringIO(first.read_text(encoding="utf-8"))))
        assert {"agency", "service", "indicator", "numerator", "denominator", "value", "n", "flags"} <= set(rows[0])

    def test_json_and_html(self, dump, tmp_path):
        html = tmp_path / "report.html"
        result = _run(dump, "--preset", "panama", "--lang", "es", "--as-of", AS_OF, "--format", "json", "--html", html)
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert document["language"] == "es"
        assert document["indicators"][0]["title"] == "Casos recibidos"
        page = html.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert "Casos recibidos" in page

    def test_areas_give_the_equity_view(self, tmp_path):
        areas = tmp_path / "wards.geojson"
        areas.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"name": "Centro", "population": 4000},
                            "geometry": {
                                "type": "Polygon",
                                "coordinates": [[[-80, 8], [-79, 8], [-79, 9], [-80, 9], [-80, 8]]],
                            },
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
        path = tmp_path / "located.json"
        requests = [attrs.evolve(request, lat=8.5, long=-79.5) for request in demo_requests(n=40)]
        with path.open("wb") as handle:
            write_dump(requests, handle, format="json")
        result = _run(path, "--areas", areas, "--by", "area", "--as-of", AS_OF, "--format", "json")
        assert result.returncode == 0, result.stderr
        equity = json.loads(result.stdout)["equity"]
        assert [(row["area"], row["n"], row["per_1000"]) for row in equity] == [("Centro", 40, 10)]

    def test_policy_book(self, dump, tmp_path):
        book = tmp_path / "sla.toml"
        book.write_text(
            "[calendars.oficinas]\n"
            'zone = "America/Panama"\n'
            'hours = { weekdays = "08:00-16:00" }\n'
            "[default]\n"
            'calendar = "oficinas"\n'
            "response = { business_days = 2 }\n"
            "resolution = { days = 30 }\n"
            "[[policies]]\n"
            'service_code = "bache"\n'
            'calendar = "oficinas"\n'
            "resolution = { business_days = 10 }\n",
            encoding="utf-8",
        )
        result = _run(
            dump,
            "--policies",
            book,
            "--by",
            "service",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--indicators",
            "on_time_closed,time_to_close_median_business",
        )
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert {row["indicator"] for row in document["rows"]} == {"on_time_closed", "time_to_close_median_business"}
        assert "bache: 10 business days" in document["indicators"][0]["calendar"]
        panama = _run(dump, "--preset", "panama", "--policies", book, "--as-of", AS_OF, "--format", "json")
        assert panama.returncode == 0, panama.stderr
        within = next(row for row in json.loads(panama.stdout)["indicators"] if row["id"] == "within_target")
        assert "bache: 10 business days" in within["calendar"]

    def test_lifecycle_cases(self, case, tmp_path):
        path = tmp_path / "cases.jsonl"
        cases = [case(n, close_after=timedelta(days=n % 5 + 1), ack_after=timedelta(hours=2)) for n in range(30)]
        path.write_text("\n".join(case_to_json(c) for c in cases) + "\n", encoding="utf-8")
        result = _run(path, "--cases", "--as-of", "2024-03-01T00:00:00Z", "--format", "json")
        assert result.returncode == 0, result.stderr
        rows = {row["indicator"]: row for row in json.loads(result.stdout)["rows"] if not row.get("referred_to")}
        assert rows["received"]["value"] == 30
        assert rows["response_rate"]["value"] == 1

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("--by", "ward"), "ward"),
            (("--period", "fortnight"), "period"),
            (("--as-of", "tomorrow"), "--as-of"),
            (("--as-of", "2024-01-01T00:00:00"), "zone"),
            (("--age-buckets", "7,a"), "--age-buckets"),
            (("--age-buckets", "30,7"), "age_buckets"),
        ],
    )
    def test_bad_options_are_clear_errors(self, dump, args, message, capsys):
        # In process (the same code as the command; a subprocess per case would only add start-up time).
        assert main(["stats", str(dump), *args]) == 2
        errors = capsys.readouterr().err
        assert message in errors
        assert errors.startswith("georeport stats: ")

    def test_missing_file(self, tmp_path):
        result = _run(tmp_path / "nothing.json")
        assert result.returncode == 2
        assert "nothing.json" in result.stderr
        assert "Traceback" not in result.stderr
