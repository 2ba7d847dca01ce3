"""``georeport convert`` and ``georeport validate`` through the real console script, in a subprocess."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from georeport.wire import iter_dump
from georeport.wire.bulk import iter_bulk
from tests.conftest import DATA

AUTHORED = DATA / "authored"
SCRIPT = shutil.which("georeport")


def georeport(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "georeport"]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
        env={**os.environ, "GEOREPORT_PROGRESS": "0", **(env or {})},
    )


def test_help_reads_well() -> None:
    top = georeport("--help").stdout
    assert "convert" in top
    assert "validate" in top
    convert = georeport("convert", "--help").stdout
    for word in ("IN", "OUT", "--from", "--to", "--mapping", "--dedupe", "bulk-csv", "geojson", "examples:"):
        assert word in convert
    assert "exit status" in georeport("validate", "--help").stdout


def test_convert_a_bulk_csv_to_geojson(tmp_path: Path) -> None:
    out = tmp_path / "louisville.geojson"
    result = georeport("convert", AUTHORED / "bulk_requests.csv", out)
    assert result.returncode == 0, result.stderr
    assert "3 requests" in result.stdout
    assert "(bulk-csv) ->" in result.stdout
    document = json.loads(out.read_bytes())
    assert [f["id"] for f in document["features"]] == ["2016-0041187", "2016-0041203", "2016-0041250"]
    assert not (tmp_path / "louisville.geojson.part").exists()


def test_convert_a_city_export_to_bulk_json_and_back(tmp_path: Path) -> None:
    bulk = tmp_path / "nyc.bulk.json"
    result = georeport("convert", AUTHORED / "cities" / "nyc_311.csv", bulk, "--mapping", "nyc")
    assert result.returncode == 0, result.stderr
    records = list(iter_bulk(bulk))
    assert [r.extensions["status_description"] for r in records] == ["Closed", "In Progress", "Closed"]
    again = tmp_path / "nyc.csv.gz"
    assert georeport("convert", bulk, again).returncode == 0
    assert list(iter_bulk(gzip.decompress(again.read_bytes()))) == records


def test_convert_deduplicates_and_reports_counts_and_repairs(tmp_path: Path) -> None:
    out = tmp_path / "latest.jsonl"
    result = georeport("convert", AUTHORED / "harvest_overlapping_pages.json", out, "--dedupe")
    assert result.returncode == 0, result.stderr
    assert "read 7, kept 3 (4 duplicates dropped, 3 replaced by a later update, 0 without an id)" in result.stdout
    assert "[concatenated-documents]" in result.stdout
    assert [r.status_notes for r in iter_dump(out)] == ["same instant, later page", "removed", "acknowledged"]


def test_convert_streams_stdin_to_stdout() -> None:
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "georeport"]
    result = subprocess.run(
        [*command, "convert", "-", "-", "--from", "bulk-xml", "--to", "bulk-csv"],
        input=(AUTHORED / "bulk_requests.xml").read_bytes(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"service_request_id,requested_datetime,")
    assert b"3 requests" in result.stderr


def test_convert_a_broken_file_fails_cleanly_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    result = georeport("convert", AUTHORED / "bulk_example_malformed.json", out)
    assert result.returncode == 1
    assert "line 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert not (tmp_path / "out.xml.part").exists()
    missing = georeport("convert", tmp_path / "nope.xml", out)
    assert missing.returncode == 1
    assert "cannot read" in missing.stderr
    unknown = georeport("convert", AUTHORED / "bulk_requests.csv", tmp_path / "out.txt")
    assert unknown.returncode == 2
    assert "--to" in unknown.stderr


def test_the_progress_bar_shows_on_stderr_when_forced(tmp_path: Path) -> None:
    result = georeport(
        "convert",
        AUTHORED / "bulk_requests.xml",
        tmp_path / "out.csv",
        "--from",
        "bulk-xml",
        "--progress",
        env={"GEOREPORT_PROGRESS_DELAY": "0"},
    )
    assert result.returncode == 0, result.stderr
    assert "convert [" in result.stderr
    assert "100%" in result.stderr
    quiet = georeport("convert", AUTHORED / "bulk_requests.xml", tmp_path / "again.csv", "--from", "bulk-xml")
    assert quiet.stderr == ""


def test_validate_reports_every_problem_with_its_line_and_fails() -> None:
    result = georeport(
        "validate",
        AUTHORED / "bulk_requests.csv",
        AUTHORED / "bulk_example_malformed.csv",
        AUTHORED / "bulk_example_malformed.xml",
        AUTHORED / "spec_services.xml",
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("bulk_requests.csv: ok: 3 record(s) (requests, bulk-csv)")
    assert "bulk_example_malformed.csv: 2 problem(s) (bulk-csv)" in lines[1]
    assert "  line 2, $[0].updated_datetime: updated_datetime: not a datetime" in lines[2]
    assert any("line 7" in line and "mismatch" in line for line in lines)
    assert any("spec_services.xml: ok: 3 record(s) (services, xml)" in line for line in lines)
    assert lines[-1] == "4 file(s) checked, 2 with problems"


def test_validate_passes_conforming_files_and_speaks_json() -> None:
    ok = georeport("validate", AUTHORED / "spec_requests.xml", AUTHORED / "cities" / "sf_311.csv", "--mapping", "sf")
    assert ok.returncode == 0, ok.stdout
    as_json = georeport("validate", AUTHORED / "spec_requests.json", "--json")
    assert as_json.returncode == 1  # the spec's own JSON example writes ids as numbers
    [report] = json.loads(as_json.stdout)
    assert report["file"].endswith("spec_requests.json")
    assert report["problems"][0]["path"].endswith(".service_request_id")


@pytest.mark.parametrize("wrapped", [False, True])
def test_validate_streams_gzip_dumps(tmp_path: Path, wrapped: bool) -> None:
    path = tmp_path / ("a.bulk.xml.gz" if wrapped else "a.bulk.xml")
    data = (AUTHORED / "bulk_requests.xml").read_bytes()
    path.write_bytes(gzip.compress(data) if wrapped else data)
    result = georeport("validate", path)
    assert result.returncode == 0, result.stdout
    assert "ok: 3 record(s) (requests, bulk-xml)" in result.stdout
