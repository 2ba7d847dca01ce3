"""Wilson intervals and Kaplan-Meier estimates: against SciPy, and their twins agree."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from georeport.stats import kaplan_meier, wilson, wilson_many
from georeport.stats.proportions import Z95, intervals_overlap


class TestWilson:
    @settings(max_examples=60)
    @given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
    def test_equals_scipy_wilson(self, counts):
        k, n = counts
        value, low, high = wilson(k, n)
        expected = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert value == pytest.approx(k / n)
        assert low == pytest.approx(expected.low, abs=1e-9)
        assert high == pytest.approx(expected.high, abs=1e-9)
        assert low <= value <= high

    @settings(max_examples=60)
    @given(st.lists(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), max_size=20))
    def test_wilson_many_agrees_with_wilson(self, pairs):
        successes = [k for k, _ in pairs]
        trials = [n for _, n in pairs]
        values, lows, highs = wilson_many(successes, trials)
        for index, (k, n) in enumerate(pairs):
            assert (values[index], lows[index], highs[index]) == pytest.approx(wilson(k, n))

    def test_z_is_the_normal_quantile(self):
        from scipy.special import ndtri

        assert float(ndtri(0.975)) == Z95

    def test_zero_trials(self):
        assert wilson(0, 0) is None
        assert np.isnan(wilson_many([0], [0])[0][0])

    def test_bad_counts(self):
        with pytest.raises(ValueError, match="between 0 and trials"):
            wilson(3, 2)

    def test_overlap(self):
        assert intervals_overlap([0.1], [0.2], [0.2], [0.3]).tolist() == [True]
        assert intervals_overlap([0.1], [0.2], [np.nan], [0.3]).tolist() == [True]


class TestKaplanMeier:
    @given(
        st.lists(
            st.tuples(st.integers(0, 50).map(float), st.booleans()),
            min_size=1,
            max_size=60,
        )
    )
    def test_curve_is_scipys(self, data):
        durations = np.array([duration for duration, _ in data])
        observed = np.array([seen for _, seen in data])
        fit = kaplan_meier(durations, observed)
        assert (fit.n, fit.events) == (len(data), int(observed.sum()))
        if observed.any():
            reference = stats.ecdf(stats.CensoredData(uncensored=durations[observed], right=durations[~observed]))
            assert np.allclose(fit.survival, reference.sf.evaluate(fit.times))
        assert np.all(fit.low <= fit.survival + 1e-12)
        assert np.all(fit.survival <= fit.high + 1e-12)
        median = fit.quantile(0.5)
        if median.value is not None:
            assert median.low is not None
            assert median.low <= median.value

    def test_without_censoring_the_median_is_the_lower_median(self):
        fit = kaplan_meier([1, 2, 3, 4], [True] * 4)
        assert fit.quantile(0.5).value == 2.0
        assert fit.closed_by(3.0)[0] == pytest.approx(0.75)

    def test_bad_input(self):
        with pytest.raises(ValueError, match="non-negative"):
            kaplan_meier([-1.0], [True])
        with pytest.raises(ValueError, match="differ in length"):
            kaplan_meier([1.0, 2.0], [True])
        with pytest.raises(ValueError, match="strictly between"):
            kaplan_meier([1.0], [True]).quantile(1.0)

    def test_empty(self):
        fit = kaplan_meier([], [])
        assert fit.n == 0
        assert fit.quantile(0.5).value is None
