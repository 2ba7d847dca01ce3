"""The equity view by area: raw figures beside figures standardised for service mix, and reports per resident.

Areas differ in what their residents report: one where most requests are
hard (a fallen tree) looks slower than one where most are quick (a missed
pickup), even if it does better at every kind. Direct standardisation answers
"what would this area's figure be with everyone's service mix": the area's
own rate for each service, weighted by that service's share of all requests.
An area without requests of some service is standardised over the services
it has (the weights renormalised), and flagged when too small to compare.

Requests per 1,000 residents measure how much an area reports (and so how
much the service responds to reports), not how much it needs: the label says
so, and no composite score is formed.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from georeport.errors import ValidationError
from georeport.lifecycle import ClosureReason
from georeport.stats._timing import NAT, Timing
from georeport.stats.cases import REASONS, CaseTable
from georeport.stats.options import StatsOptions
from georeport.stats.report import EquityRow, Flag

__all__ = ["EQUITY_INDICATORS", "equity_rows", "standardise"]

EQUITY_INDICATORS: Final = ("resolution_rate", "response_rate", "closure_rate", "on_time_closed")
"""The proportions the equity view can standardise."""


def _outcome(indicator: str, table: CaseTable, timing: Timing) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Per case: whether it is in the denominator, and whether it is a success."""
    everyone = np.ones(len(table), dtype=np.bool_)
    if indicator == "resolution_rate":
        return everyone, table.reason == REASONS.index(ClosureReason.RESOLVED)
    if indicator == "response_rate":
        return everyone, timing.responded != NAT
    if indicator == "closure_rate":
        return everyone, ~timing.is_open
    if indicator == "on_time_closed":
        eligible = timing.timed & (timing.closed != NAT) & (timing.due != NAT)
        return eligible, eligible & (timing.closed <= timing.due)
    raise ValidationError("equity", indicator, f"one of {', '.join(EQUITY_INDICATORS)}")


def standardise(
    successes: NDArray[np.float64], trials: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Raw and directly standardised proportions from an (areas x strata) table of counts.

    The standard population is every area together (the column totals of ``trials``).

    Examples:
        Area A does better at both services but gets mostly the hard one (Simpson's paradox):

        >>> raw, standard = standardise(np.array([[9., 30.], [85., 2.]]), np.array([[10., 100.], [100., 10.]]))
        >>> [round(float(value), 3) for value in raw], [round(float(value), 3) for value in standard]
        ([0.355, 0.791], [0.6, 0.525])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = successes.sum(axis=1) / trials.sum(axis=1)
        weights = trials.sum(axis=0) / trials.sum()
        rates = successes / trials
        present = trials > 0
        used = np.where(present, weights, 0.0)
        standard = np.where(present, rates, 0.0) @ weights / used.sum(axis=1)
    return raw, standard


def equity_rows(table: CaseTable, timing: Timing, options: StatsOptions) -> list[EquityRow]:
    """The equity view: one row per area for ``options.equity``, raw and standardised on service.

    Raises:
        georeport.ValidationError: ``options.equity`` is not one of ``EQUITY_INDICATORS``.
    """
    indicator = options.equity or "resolution_rate"
    eligible, success = _outcome(indicator, table, timing)
    area, service = table.dimensions["area"], table.dimensions["service"]
    nareas, nservices = len(area.labels) + 1, len(service.labels) + 1
    cell = (area.codes.astype(np.int64) + 1) * nservices + (service.codes + 1)
    trials = np.bincount(cell[eligible], minlength=nareas * nservices).reshape(nareas, nservices).astype(np.float64)
    wins = np.bincount(cell[success & eligible], minlength=nareas * nservices).reshape(nareas, nservices)
    raw, standard = standardise(wins.astype(np.float64), trials)
    received = np.bincount(area.codes.astype(np.int64) + 1, minlength=nareas)
    rows = []
    for code in range(nareas):
        label = area.label(code - 1)
        n = int(trials[code].sum())
        if n == 0 and received[code] == 0:
            continue
        population = options.populations.get(label)
        per_1000 = None if not population else float(received[code]) / population * 1000
        rows.append(
            EquityRow(
                area=label,
                indicator=indicator,
                raw=None if np.isnan(raw[code]) else float(raw[code]),
                standardised=None if np.isnan(standard[code]) else float(standard[code]),
                n=n,
                population=population,
                per_1000=per_1000,
                flags=(Flag.TOO_FEW,) if n < options.min_group_size else (),
            )
        )
    return sorted(rows, key=lambda row: (row.area == "unknown", row.area))
