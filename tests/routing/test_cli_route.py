"""``georeport route``, run as a user runs it: a real subprocess over real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import georeport
from georeport.cli import main
from georeport.models import ServiceRequest

JURISDICTIONS = str(resources.files("georeport") / "samples" / "jurisdictions.geojson")

REQUESTS: list[dict[str, object]] = [
    {
        "service_request_id": "1",
        "service_code": "PK-101",
        "lat": 45.0,
        "long": -120.1,
        "status": "open",
        "extra": "kept",
    },
    {"service_request_id": "2", "service_code": "ST-214", "lat": 44.98, "long": -120.0, "status": "open"},
    {"service_request_id": "3", "service_code": "BEN-900", "status": "closed"},
    {"service_request_id": "4", "service_code": "XX-9", "lat": 45.0, "long": -120.02},
    {"service_request_id": "5", "lat": 50.0, "long": -120.02},
    {"service_request_id": "6", "service_code": "ST-214", "lat": 45.0, "long": -119.8},
]
EXPECTED = {
    "1": ("nps-elk-falls", "rule", "federal land: park services"),
    "2": ("fhwa-us-99", "rule", "federal road: road services"),
    "3": ("benefits", "service", None),
    "4": ("usa-contact-centre", "fallback", None),
    "5": ("usa-contact-centre", "fallback", None),
    "6": ("aspen-county", "border", None),
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "georeport", "route", *args], capture_output=True, text=True, timeout=120, check=False
    )


def routed(record: ServiceRequest) -> tuple[object, object, object]:
    extensions = record.extensions
    return extensions["routed_jurisdiction_id"], extensions["routing_decision"], extensions.get("routing_rule")


def test_route_adds_the_jurisdiction_and_the_rule_to_every_request(tmp_path: Path) -> None:
    source = tmp_path / "requests.json"
    source.write_text(json.dumps(REQUESTS), encoding="utf-8")
    target = tmp_path / "routed.json"
    result = run(str(source), "--jurisdictions", JURISDICTIONS, "--out", str(target), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert f"routed 6 request(s) over 9 jurisdiction(s) to {target}" in result.stdout
    document = georeport.load(target, format="json", kind="requests")
    assert {r.service_request_id: routed(r) for r in document} == EXPECTED
    assert document[0].extensions["extra"] == "kept"
    original = georeport.load(source, kind="requests")
    for before, after in zip(original, document, strict=True):
        kept = {k: v for k, v in after.extensions.items() if not k.startswith(("routed_", "routing_"))}
        assert kept == before.extensions
        assert after.service_request_id == before.service_request_id
        assert (after.lat, after.long, after.status) == (before.lat, before.long, before.status)


def test_route_writes_to_standard_output_in_the_input_format_and_explains(tmp_path: Path) -> None:
    source = tmp_path / "requests.xml"
    source.write_bytes(georeport.dump(georeport.load(json.dumps(REQUESTS).encode(), kind="requests"), "xml"))
    result = run(str(source), "--jurisdictions", JURISDICTIONS, "--explain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request>')
    document = georeport.load(result.stdout.encode(), kind="requests")
    assert {r.service_request_id: routed(r) for r in document} == EXPECTED
    assert document[0].extensions["routing_explanation"] == (
        "Elk Falls National Park (federal) takes 'PK-101' here by rule 'federal land: park services', over Aspen County."
    )


def test_route_streams_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("georeport.cli.route.BATCH", 4)
    records = [{**REQUESTS[i % 6], "service_request_id": str(i)} for i in range(22)]
    source = tmp_path / "many.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    target = tmp_path / "many.out.json"
    assert main(["route", str(source), "--jurisdictions", JURISDICTIONS, "--out", str(target)]) == 0
    assert "routed 22 request(s)" in capsys.readouterr().out
    document = georeport.load(target, kind="requests")
    assert [r.service_request_id for r in document] == [str(i) for i in range(22)]
    assert [routed(r) for r in document] == [EXPECTED[str(i % 6 + 1)] for i in range(22)]
    assert not (tmp_path / "many.out.json.part").exists()


def route_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["route", *args])
    return status, capsys.readouterr().err


def test_route_refuses_what_it_cannot_read_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "requests.json"
    source.write_text(json.dumps(REQUESTS), encoding="utf-8")
    status, err = route_in_process(capsys, str(source), "--jurisdictions", str(tmp_path / "nowhere.geojson"))
    assert status == 1
    assert "georeport route: --jurisdictions" in err
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "x"}}]}')
    status, err = route_in_process(capsys, str(source), "--jurisdictions", str(bad))
    assert status == 1
    assert "the property 'level' is required (geojson, at $.features[0].properties.level)" in err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("[{", encoding="utf-8")
    status, err = route_in_process(
        capsys, str(garbage), "--jurisdictions", JURISDICTIONS, "--out", str(tmp_path / "x.json")
    )
    assert status == 1
    assert f"georeport route: {garbage}:" in err
    assert not (tmp_path / "x.json").exists()


def test_without_a_fallback_an_unknown_service_stops_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = json.loads(Path(JURISDICTIONS).read_text(encoding="utf-8"))
    collection["features"] = [f for f in collection["features"] if f["properties"]["id"] != "usa-contact-centre"]
    del collection["routing"]["fallback"]
    strict = tmp_path / "strict.geojson"
    strict.write_text(json.dumps(collection), encoding="utf-8")
    source = tmp_path / "requests.json"
    source.write_text(json.dumps(REQUESTS), encoding="utf-8")
    status, err = route_in_process(
        capsys, str(source), "--jurisdictions", str(strict), "--out", str(tmp_path / "y.json")
    )
    assert status == 1
    assert "'service_code' must be one of the router's service codes" in err


def test_route_shows_a_progress_bar_on_stderr_when_forced(tmp_path: Path) -> None:
    source = tmp_path / "requests.json"
    source.write_text(json.dumps(REQUESTS), encoding="utf-8")
    target = tmp_path / "routed.json"
    forced = subprocess.run(
        [sys.executable, "-m", "georeport", "route", str(source), "--jurisdictions", JURISDICTIONS],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "GEOREPORT_PROGRESS_DELAY": "0", "GEOREPORT_PROGRESS": "1"},
    )
    assert forced.returncode == 0, forced.stderr
    assert "route [" in forced.stderr
    assert "100%" in forced.stderr
    quiet = run(str(source), "--jurisdictions", JURISDICTIONS, "--out", str(target), "--no-progress")
    assert quiet.returncode == 0
    assert quiet.stderr == ""
    assert json.loads(forced.stdout)[0]["routed_jurisdiction_id"] == "nps-elk-falls"
