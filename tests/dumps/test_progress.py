"""The shared progress bar of the command line: shown only when it helps, simple to call."""

from __future__ import annotations

import io

import pytest

from georeport.cli._progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_before_the_delay_or_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEOREPORT_PROGRESS", raising=False)
    monkeypatch.delenv("GEOREPORT_PROGRESS_DELAY", raising=False)
    quick = Terminal()
    with Progress("convert", total=100, unit="bytes", stream=quick, delay=60) as bar:
        bar.advance(100)
    assert quick.getvalue() == ""
    piped = io.StringIO()
    with Progress("convert", total=100, stream=piped, delay=0) as bar:
        bar.advance(50)
    assert piped.getvalue() == ""
    assert not bar.enabled


def test_a_forced_bar_draws_the_share_and_ends_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEOREPORT_PROGRESS_DELAY", raising=False)
    out = io.StringIO()
    with Progress("convert", total=2_000_000, unit="bytes", stream=out, force=True, delay=0) as bar:
        bar.advance(1_000_000)
        assert "convert [############............]  50% 1.0 MB of 2.0 MB" in out.getvalue()
        bar.advance(1_000_000)
    text = out.getvalue()
    assert text.endswith("\n")
    assert "100% 2.0 MB of 2.0 MB" in text


def test_without_a_total_it_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOREPORT_PROGRESS", "1")
    monkeypatch.setenv("GEOREPORT_PROGRESS_DELAY", "0")
    out = io.StringIO()
    with Progress("stats", unit="requests", stream=out) as bar:
        bar.advance(1234)
    assert "stats: 1,234 requests" in out.getvalue()
    monkeypatch.setenv("GEOREPORT_PROGRESS", "0")
    hidden = Terminal()
    with Progress("stats", stream=hidden) as bar:
        bar.advance()
    assert hidden.getvalue() == ""


def test_reading_counts_the_bytes_read_and_passes_seeks_through() -> None:
    out = io.StringIO()
    with Progress("read", total=10, unit="bytes", stream=out, force=False) as bar:
        stream = bar.reading(io.BytesIO(b"0123456789"))
        assert stream.read(4) == b"0123"
        stream.seek(8)
        assert stream.read() == b"89"
        assert stream.tell() == 10
    assert bar.done == 6
