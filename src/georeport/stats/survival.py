"""Kaplan-Meier estimates of time to respond and to close, with open cases censored at the as-of time.

Medians over closed cases only make a department with a growing backlog look
fast: the cases that are taking longest are exactly the ones left out. Here a
case still open at the as-of time counts as "not closed after at least this
long" (right-censored), and the estimator is SciPy's (``scipy.stats.ecdf`` on
``CensoredData``), not one written here. Confidence intervals are SciPy's
pointwise log-log intervals; a quantile's 95% interval is read off where the
interval band crosses the level (the Brookmeyer-Crowley construction).

A quantile the curve never reaches (more than half the cases still open, for
the median) has no value: ``Quantile.value`` is None and the report says
"not reached", never a number computed from closed cases alone.
"""

from __future__ import annotations

import warnings
from typing import Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["KaplanMeier", "Quantile", "kaplan_meier"]

_CONFIDENCE: Final = 0.95


@attrs.frozen(kw_only=True)
class Quantile:
    """A Kaplan-Meier quantile of time with its 95% interval; None where not reached."""

    value: float | None
    low: float | None
    high: float | None


def _first_at_or_below(times: NDArray[np.float64], curve: NDArray[np.float64], level: float) -> float | None:
    # A tiny tolerance: 1 - 0.9 is 0.09999999999999998 in floats.
    hits = np.flatnonzero(curve <= level + 1e-12)
    return float(times[hits[0]]) if hits.size else None


@attrs.frozen(kw_only=True, eq=False)
class KaplanMeier:
    """A fitted "still open" curve: ``survival[i]`` is the share not yet closed just after ``times[i]``."""

    times: NDArray[np.float64]
    """The distinct times (events and censorings), increasing."""
    survival: NDArray[np.float64]
    """The estimate at each time."""
    low: NDArray[np.float64]
    """The pointwise 95% interval's lower end."""
    high: NDArray[np.float64]
    """Its upper end."""
    n: int
    """Cases."""
    events: int
    """Cases observed to close (uncensored)."""

    @property
    def censored(self) -> int:
        """Cases still open at the as-of time."""
        return self.n - self.events

    def quantile(self, q: float) -> Quantile:
        """The time by which a share ``q`` of cases closed (``q=0.5``: the median), with its 95% interval.

        Raises:
            ValueError: ``q`` is not strictly between 0 and 1.
        """
        if not 0 < q < 1:
            msg = f"q must be strictly between 0 and 1 (got {q!r})"
            raise ValueError(msg)
        level = 1 - q
        return Quantile(
            value=_first_at_or_below(self.times, self.survival, level),
            low=_first_at_or_below(self.times, self.low, level),
            high=_first_at_or_below(self.times, self.high, level),
        )

    def closed_by(self, time: float) -> tuple[float, float, float]:
        """The share closed by ``time`` (``1 - S(time)``) and its pointwise 95% interval."""
        index = int(np.searchsorted(self.times, time, side="right")) - 1
        if index < 0:
            return 0.0, 0.0, 0.0
        return 1 - float(self.survival[index]), 1 - float(self.high[index]), 1 - float(self.low[index])


def kaplan_meier(durations: ArrayLike, observed: ArrayLike) -> KaplanMeier:
    """Fit the Kaplan-Meier estimator (``scipy.stats.ecdf``) to durations, ``observed`` False where censored.

    Negative durations are an error of the caller (the data-quality table keeps
    such cases out of timing figures before they get here).

    Raises:
        ValueError: the arrays differ in length, or a duration is negative or NaN.

    Examples:
        >>> km = kaplan_meier([1, 2, 2, 3, 10, 12], [True, True, True, True, False, False])
        >>> km.quantile(0.5).value, km.quantile(0.9).value
        (2.0, None)
    """
    times = np.asarray(durations, dtype=np.float64)
    seen = np.asarray(observed, dtype=np.bool_)
    if times.shape != seen.shape:
        msg = f"durations and observed differ in length ({times.shape} and {seen.shape})"
        raise ValueError(msg)
    if np.any(np.isnan(times)) or np.any(times < 0):
        msg = "durations must be non-negative numbers"
        raise ValueError(msg)
    # SciPy is imported here, not at module import: it takes a second, and most commands never fit a curve.
    from scipy import stats  # type: ignore[import-untyped]  # noqa: PLC0415 - scipy ships no type hints

    n, events = int(times.size), int(seen.sum())
    if n == 0:
        empty = np.zeros(0)
        return KaplanMeier(times=empty, survival=empty, low=empty, high=empty, n=0, events=0)
    result = stats.ecdf(stats.CensoredData(uncensored=times[seen], right=times[~seen]))
    sf = result.sf
    grid = np.asarray(sf.quantiles, dtype=np.float64)
    survival = np.asarray(sf.probabilities, dtype=np.float64)
    if events == 0:
        ones = np.ones_like(survival)
        return KaplanMeier(times=grid, survival=ones, low=ones, high=ones, n=n, events=0)
    with warnings.catch_warnings():
        # SciPy warns where log-log is undefined (estimate 0 or 1); those points are handled below.
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(_CONFIDENCE, method="log-log")
    low = np.asarray(band.low.probabilities, dtype=np.float64)
    high = np.asarray(band.high.probabilities, dtype=np.float64)
    # log-log is undefined where the estimate is 0 or 1: the interval is the point there.
    low = np.where(np.isnan(low), survival, low)
    high = np.where(np.isnan(high), survival, high)
    return KaplanMeier(times=grid, survival=survival, low=low, high=high, n=n, events=events)
