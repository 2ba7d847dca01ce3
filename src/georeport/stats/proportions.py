"""Proportions and their Wilson 95% intervals, vectorised.

The Wilson score interval stays inside [0, 1] and behaves at 0 and at n
(where the Wald interval collapses to a point), which is exactly where small
groups sit. A change between two periods is flagged only when their intervals
do not overlap: a conservative test, stated in the methods.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Z95", "intervals_overlap", "wilson", "wilson_many"]

Z95: Final = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval (``scipy.special.ndtri(0.975)``)."""


def wilson_many(
    successes: ArrayLike, trials: ArrayLike, *, z: float = Z95
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Proportions and Wilson intervals for arrays of counts; NaN where ``trials`` is 0.

    Returns:
        ``(value, low, high)``, each an array of floats.

    Raises:
        ValueError: a count is negative or ``successes`` exceeds ``trials``.
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    if np.any(k < 0) or np.any(k > n):
        msg = "successes must be between 0 and trials"
        raise ValueError(msg)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2 = z * z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    empty = n == 0
    return (
        np.where(empty, np.nan, p),
        np.where(empty, np.nan, low),
        np.where(empty, np.nan, high),
    )


def wilson(successes: int, trials: int, *, z: float = Z95) -> tuple[float, float, float] | None:
    """The proportion ``successes / trials`` and its Wilson interval; None when ``trials`` is 0.

    Examples:
        >>> value, low, high = wilson(18, 20)
        >>> round(value, 3), round(low, 3), round(high, 3)
        (0.9, 0.699, 0.972)
        >>> wilson(0, 0) is None
        True
    """
    if trials == 0:
        if successes:
            msg = "successes must be between 0 and trials"
            raise ValueError(msg)
        return None
    value, low, high = wilson_many([successes], [trials], z=z)
    return float(value[0]), float(low[0]), float(high[0])


def intervals_overlap(low_a: ArrayLike, high_a: ArrayLike, low_b: ArrayLike, high_b: ArrayLike) -> NDArray[np.bool_]:
    """Whether intervals ``[low_a, high_a]`` and ``[low_b, high_b]`` overlap (True where either is NaN).

    Examples:
        >>> intervals_overlap([0.1, 0.1], [0.3, 0.3], [0.2, 0.4], [0.5, 0.6]).tolist()
        [True, False]
    """
    la, ha, lb, hb = (np.asarray(value, dtype=np.float64) for value in (low_a, high_a, low_b, high_b))
    unknown = np.isnan(la) | np.isnan(ha) | np.isnan(lb) | np.isnan(hb)
    return unknown | ((la <= hb) & (lb <= ha))
