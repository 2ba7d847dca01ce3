"""Every real and authored document loads, and says what a reader found in it by hand.

The expected values come from ``tests/data/facts.json``, written by reading the
documents with plain json/lxml/csv, independently of georeport. Copied and
authored documents run everywhere; the full shared corpus runs when
``GEOREPORT_CORPUS`` names it (CI sets it).
"""

from __future__ import annotations

import json
import math
import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import georeport
from georeport import Discovery, DocumentKind, RecordList, ServiceDefinition
from tests.conftest import DATA, corpus_root

FACTS: dict[str, dict[str, Any]] = json.loads((DATA / "facts.json").read_text(encoding="utf-8"))
DOCUMENT_KINDS = {
    "services": DocumentKind.SERVICES,
    "service_definition": DocumentKind.SERVICE_DEFINITION,
    "requests": DocumentKind.REQUESTS,
    "receipt": DocumentKind.RECEIPTS,
    "token": DocumentKind.TOKENS,
    "errors": DocumentKind.ERRORS,
    "discovery": DocumentKind.DISCOVERY,
}
# A token reply that holds only an id has the shape of a POST reply; georeport
# reads the ambiguous shape as a POST reply unless told (documented).
AMBIGUOUS_SHAPE = {"merton_token.xml", "token_lookup_id_only.xml"}
# Not a GeoReport document (an array of several definitions, a converted fixture).
NOT_A_DOCUMENT = {"boston/service_definitions.json"}


def _documents(*, full: bool) -> list[Any]:
    params = []
    root = corpus_root()
    for key, facts in sorted(FACTS.items()):
        if facts["kind"] not in DOCUMENT_KINDS or facts["format"] not in ("xml", "json"):
            continue
        local = key.startswith(("corpus/", "authored/"))
        if local == full:
            continue
        path = DATA / key if local else (root / key if root else None)
        marks = []
        if any(key.endswith(name) for name in NOT_A_DOCUMENT):
            marks.append(
                pytest.mark.xfail(
                    raises=georeport.UnknownDocumentError,
                    reason="an array of several definitions is no single GeoReport document",
                )
            )
        if full and root is None:
            marks.append(pytest.mark.skip(reason="GEOREPORT_CORPUS is not set"))
        params.append(pytest.param(key, path, facts, id=key, marks=marks))
    return params


def _load(path: Path, kind: DocumentKind | None) -> georeport.Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", georeport.DialectWarning)
        return georeport.load(path, kind=kind)


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, float) or (isinstance(expected, int) and isinstance(actual, float)):
        return actual is not None and math.isclose(expected, actual, rel_tol=0, abs_tol=1e-9)
    if hasattr(actual, "value") and isinstance(expected, str):  # enums
        return bool(actual.value == expected)
    return bool(expected == actual)


def _check_record(record: Any, facts: dict[str, Any], where: str) -> None:
    for field, expected in facts.items():
        if field.endswith("_naive"):
            name = field.removesuffix("_naive")
            actual = getattr(record, name)
            assert actual is not None, f"{where}.{name}"
            assert actual.replace(tzinfo=None) == datetime.fromisoformat(expected), f"{where}.{name}"
            continue
        if field == "value_keys":
            assert list(record.keys) == expected, f"{where}.value_keys"
            continue
        if field == "media_url" and isinstance(expected, list):
            # Several media where one URL belongs: the first is the field, all are kept as sent.
            assert record.media_url == expected[0], f"{where}.media_url"
            assert str(expected) in str(record.extensions["media_url_original"]) or all(
                url in str(record.extensions["media_url_original"]) for url in expected
            ), f"{where}.media_url_original"
            continue
        if field == "keywords" and isinstance(expected, list):
            assert list(record.keyword_list) == expected, f"{where}.keywords"
            continue
        if field == "formats":
            assert list(record.formats) == expected, f"{where}.formats"
            continue
        actual = getattr(record, field) if hasattr(record, field) else record.extensions.get(field)
        if isinstance(actual, datetime):
            wanted = datetime.fromisoformat(expected)
            assert actual == wanted, f"{where}.{field}: {actual} != {expected}"
            assert actual.utcoffset() == wanted.utcoffset(), f"{where}.{field} offset"
            continue
        assert _same(expected, actual), f"{where}.{field}: expected {expected!r}, got {actual!r}"


def _check(key: str, path: Path, facts: dict[str, Any]) -> None:
    kind = DOCUMENT_KINDS[facts["kind"]]
    if not facts["loads"]:
        with pytest.raises(georeport.GeoReportError):
            _load(path, None)
        return
    told = kind if path.name in AMBIGUOUS_SHAPE else None
    document = _load(path, told)
    assert document.kind is kind if isinstance(document, RecordList) else True
    if isinstance(document, RecordList):
        items: list[Any] = list(document)
    elif isinstance(document, ServiceDefinition):
        assert kind is DocumentKind.SERVICE_DEFINITION
        items = list(document.attributes)
        if "service_code" in facts:
            assert document.service_code == facts["service_code"]
    else:
        assert isinstance(document, Discovery)
        items = list(document.endpoints)
        for field in ("changeset", "contact", "key_service"):
            if field in facts:
                assert getattr(document, field) == facts[field], field
    if "count" in facts:
        assert len(items) == facts["count"], f"{key}: count"
    for position, record_facts in facts.get("records", {}).items():
        _check_record(items[int(position)], record_facts, f"{key}[{position}]")


@pytest.mark.parametrize(("key", "path", "facts"), _documents(full=False))
def test_document_holds_what_a_reader_found(key: str, path: Path, facts: dict[str, Any]) -> None:
    _check(key, path, facts)


@pytest.mark.corpus
@pytest.mark.parametrize(("key", "path", "facts"), _documents(full=True))
def test_full_corpus_document_holds_what_a_reader_found(key: str, path: Path, facts: dict[str, Any]) -> None:
    _check(key, path, facts)


@pytest.mark.parametrize(
    ("key", "path", "facts"), [p for p in _documents(full=False) if p.values[2]["loads"] and not p.marks]
)
def test_dump_then_load_keeps_every_field(key: str, path: Path, facts: dict[str, Any]) -> None:
    """A corpus document written back in either format reads back equal, extensions included."""
    document = _load(path, DOCUMENT_KINDS[facts["kind"]])
    for fmt in ("xml", "json"):
        kind = document.kind if isinstance(document, RecordList) else None
        again = georeport.load(georeport.dump(document, fmt), format=fmt, kind=kind)
        assert again == document, f"{key} through {fmt}"
        assert not again.warnings, f"{key}: our own output needs no repair ({fmt}): {again.warnings}"
