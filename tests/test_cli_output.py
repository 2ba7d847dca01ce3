"""``cli._base.output_file``: the one way ``georeport convert`` and ``georeport route`` write their output."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from georeport.cli._base import output_file


def test_a_file_appears_under_its_name_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with output_file(str(target)) as sink:
        sink.write(b"[]\n")
        assert not target.exists()
        assert (tmp_path / "out.json.part").exists()
    assert target.read_bytes() == b"[]\n"
    assert not (tmp_path / "out.json.part").exists()


def test_a_failed_run_leaves_neither_the_file_nor_the_part(tmp_path: Path) -> None:
    target = tmp_path / "out.json"

    def write_half() -> None:
        with output_file(str(target)) as sink:
            sink.write(b"[")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_half()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("gzip_suffix", "compressed"), [(True, True), (False, False)])
def test_gz_names_are_compressed_only_when_asked(tmp_path: Path, gzip_suffix: bool, compressed: bool) -> None:
    target = tmp_path / "out.XML.GZ"
    with output_file(str(target), gzip_suffix=gzip_suffix) as sink:
        sink.write(b"<service_requests/>\n")
    data = target.read_bytes()
    assert (gzip.decompress(data) if compressed else data) == b"<service_requests/>\n"
    assert data.startswith(b"\x1f\x8b") is compressed
