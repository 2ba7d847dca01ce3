"""A missing optional extra is an ImportError that names the extra to install (``frames._extra``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from georeport import ServiceRequest
from georeport.frames import schema, to_pandas


def test_without_pyarrow_the_frames_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r'georeport.frames needs pyarrow: pip install "open311-georeport\[frames\]"'):
        schema()


def test_without_pandas_to_pandas_names_the_frames_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"georeport.frames.to_pandas needs pandas: .*\[frames\]"):
        to_pandas([ServiceRequest("1")])


def test_without_dask_the_dask_extra_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from georeport.dask import read_bag

    path = tmp_path / "dump.jsonl"
    path.write_text('{"service_request_id": "1"}\n', encoding="utf-8")
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(ImportError, match=r'georeport.dask needs dask: pip install "open311-georeport\[dask\]"'):
        read_bag(path)
