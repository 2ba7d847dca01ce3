"""The command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "georeport", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_demo_reads_every_sample_and_round_trips_it() -> None:
    result = run("demo")
    assert result.returncode == 0, result.stderr
    assert "reading 8 sample documents" in result.stdout
    assert result.stdout.count("identical") == 16
    assert "DIFFERENT" not in result.stdout
    assert "request 13-00917724 [closed] 'Tree Trim'" in result.stdout
    assert "[datetime-without-zone]" in result.stdout


def test_help_and_version() -> None:
    assert "demo" in run("--help").stdout
    assert run("--version").stdout.startswith("georeport ")
