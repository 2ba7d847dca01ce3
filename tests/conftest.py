"""Shared test configuration: hypothesis profiles, data paths, the corpus switch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

settings.register_profile("default", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fast", deadline=None, max_examples=20, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def corpus_root() -> Path | None:
    """The full shared corpus, when ``GEOREPORT_CORPUS`` names it."""
    value = os.environ.get("GEOREPORT_CORPUS")
    return Path(value) if value else None


def pytest_report_header() -> list[str]:
    root = corpus_root()
    profile = os.environ.get("HYPOTHESIS_PROFILE", "default")
    corpus = f"full corpus at {root}" if root else "full corpus: not set (GEOREPORT_CORPUS); its tests skip"
    return [f"georeport: hypothesis profile {profile!r}; {corpus}"]


@pytest.fixture
def data_dir() -> Path:
    """``tests/data``."""
    return DATA
