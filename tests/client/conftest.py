from __future__ import annotations

from collections.abc import Iterator

import pytest

from georeport.client import RetryPolicy, UrllibTransport
from tests.client.loopback import Loopback, serving


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with serving() as server:
        yield server


class Sleeps(list[float]):
    """Records the waits a transport or driver asked for, instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def transport(sleeps: Sleeps) -> UrllibTransport:
    """The built-in transport, direct (no proxies), retries recorded instead of slept, jitter seeded."""
    return UrllibTransport(retry=RetryPolicy(attempts=3, seed=7), proxies={}, sleep=sleeps)
