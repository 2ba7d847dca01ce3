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


def test_demo_runs_the_whole_pipeline() -> None:
    out = run("demo").stdout
    # routing: each report reaches the government the scenario's rules give, and says why
    assert "Elk Falls National Park (federal) takes 'PK-101' here by rule 'federal land: park services'" in out
    assert "Town of Elk Falls (municipal) takes 'PK-101' here" in out
    assert "so the fallback takes it" in out
    assert "100,000 random reports routed at once" in out
    # service levels: 8 business hours from Wednesday 16:30 skips the 4 July holiday
    assert "a faded sign on US 99: respond within 8 business hours (by Fri 05 Jul 16:30)" in out
    assert "resolve within 5 business days (expected Thu 11 Jul 17:00)" in out
    # statistics: one row per entity, each with intervals
    rows = [
        line
        for line in out.splitlines()
        if line.split()[:1] in (["AAUD"], ["ATTT"], ["IDAAN"], ["MIVIOT"], ["MOP"], ["MUPA"])
    ]
    assert len(rows) == 6
    assert all(line.count("[") == 3 for line in rows)
    assert sum(int(line.split()[1]) for line in rows) == 3000
    assert out.rstrip().endswith("demo finished: documents, routing, service levels and statistics")


def test_help_and_version() -> None:
    assert "demo" in run("--help").stdout
    assert run("--version").stdout.startswith("georeport ")
