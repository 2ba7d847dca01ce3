"""Our JSON output validates against the official Open311 JSON Schemas (open311/schema-validation).

The schemas carry no licence that lets us copy them, so they are read from the
full corpus (``GEOREPORT_CORPUS``, set by CI); without it these tests skip.
No XML schema for GeoReport v2 exists anywhere (the corpus MANIFEST searched
for one), so XML output is held by the round-trip tests instead.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import georeport
from tests.conftest import DATA, corpus_root

ROOT = corpus_root()
pytestmark = [pytest.mark.corpus, pytest.mark.skipif(ROOT is None, reason="GEOREPORT_CORPUS is not set")]


def schema(name: str) -> dict[str, Any]:
    assert ROOT is not None
    loaded: dict[str, Any] = json.loads((ROOT / "schema-validation" / name).read_text(encoding="utf-8"))
    return loaded


def quietly(path: Path) -> georeport.Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", georeport.DialectWarning)
        return georeport.load(path)


def documents(kind: type) -> list[Path]:
    found = []
    for path in sorted((DATA / "corpus").rglob("*")) + sorted((DATA / "authored").glob("*")):
        if path.suffix not in (".xml", ".json") or "bulk" in path.name:
            continue
        try:
            document = quietly(path)
        except georeport.GeoReportError:
            continue
        if isinstance(document, kind):
            found.append(path)
    return found


@pytest.mark.parametrize("path", documents(georeport.ServiceRequestList), ids=lambda p: p.name)
def test_requests_json_output_validates(path: Path) -> None:
    validator = jsonschema.Draft4Validator(schema("request.schema.json"))
    document = quietly(path)
    complete = [
        request
        for request in document
        if request.service_request_id and request.status and request.service_code and request.requested_datetime
    ]  # type: ignore[union-attr]
    if not complete:
        pytest.skip("no record carries the four fields the schema requires")
    for record in json.loads(georeport.dump(georeport.ServiceRequestList(complete), "json")):
        errors = sorted(error.message for error in validator.iter_errors(record))
        assert errors == [], f"{path.name} {record['service_request_id']}"


@pytest.mark.parametrize("path", documents(georeport.ServiceList), ids=lambda p: p.name)
def test_services_json_output_validates(path: Path) -> None:
    validator = jsonschema.Draft4Validator(schema("service.schema.json"))
    document = quietly(path)
    for record in json.loads(georeport.dump(document, "json")):
        if record["service_name"] is None or record["type"] is None:
            continue  # the source left out a field the schema requires
        assert sorted(error.message for error in validator.iter_errors(record)) == [], path.name


@pytest.mark.parametrize("path", documents(georeport.ServiceDefinition), ids=lambda p: p.name)
def test_definition_json_output_validates(path: Path) -> None:
    validator = jsonschema.Draft4Validator(schema("service-definition.schema.json"))
    document = quietly(path)
    if document.service_code is None:  # type: ignore[union-attr]
        pytest.skip("the source has no service_code")
    record = json.loads(georeport.dump(document, "json"))
    assert sorted(error.message for error in validator.iter_errors(record)) == [], path.name
