"""Baselines against their definitions, and least-squares AR against statsmodels' AutoReg."""

import numpy as np
import pytest
from statsmodels.tsa.ar_model import AutoReg

from helpers.baselines import AR, fit_ar, free_run, persistence, seasonal_naive
from helpers.data import make_lag_dataset


def _series(T=300, seed=0):
    """An AR(2) with a 12-step cycle plus noise, made here."""
    rng = np.random.default_rng(seed)
    y = np.zeros(T)
    for t in range(2, T):
        y[t] = (
            1.2 * y[t - 1] - 0.5 * y[t - 2] + np.sin(2 * np.pi * t / 12) + rng.normal()
        )
    return y + 3.0


def test_persistence_and_seasonal_naive_follow_their_definitions():
    y = _series()
    L, m = 15, 12
    X, _Y = make_lag_dataset(y, L)
    t = np.arange(L, len(y))  # the series index of each target
    np.testing.assert_array_equal(persistence(X)[:, 0], y[t - 1])
    np.testing.assert_array_equal(seasonal_naive(X, m)[:, 0], y[t - m])
    np.testing.assert_array_equal(seasonal_naive(X, 1), persistence(X))
    with pytest.raises(ValueError, match="needs at least m lags"):
        seasonal_naive(X, 16)
    with pytest.raises(ValueError, match="period must be an integer"):
        seasonal_naive(X, 0)
    with pytest.raises(ValueError, match=r"\(L, N, D\)"):
        persistence(y)
    with pytest.raises(ValueError, match="NaN"):
        persistence(np.full((2, 3, 1), np.nan))


@pytest.mark.parametrize("L", [1, 2, 5, 13])
def test_least_squares_ar_equals_autoreg(L):
    y = _series(seed=L)
    X, Y = make_lag_dataset(y, L)
    ar = fit_ar(X, Y)
    ref = AutoReg(y, lags=L, trend="c").fit()
    # AutoReg's params: constant, then the weight of y_{t-1}, y_{t-2}, ...; ours run
    # oldest first, A[k] multiplies X[k] = y_{t-L+k}
    np.testing.assert_allclose(ar.c, ref.params[:1], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ar.A[::-1, 0, 0], ref.params[1:], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ar.predict(X)[:, 0], ref.fittedvalues, rtol=1e-9)


def test_ar_predict_and_free_run_are_the_sum_over_lags():
    rng = np.random.default_rng(3)
    ar = AR(A=rng.normal(size=(3, 2, 2)), c=rng.normal(size=2))
    X = rng.normal(size=(3, 5, 2))
    expected = X[0] @ ar.A[0] + X[1] @ ar.A[1] + X[2] @ ar.A[2] + ar.c
    np.testing.assert_allclose(ar.predict(X), expected)
    with pytest.raises(ValueError, match=r"\(L, N, D\) = \(3, N, 2\)"):
        ar.predict(X[:2])
    window = rng.normal(size=(3, 2))
    out = free_run(ar.predict, window, 4)
    lags = list(window)
    for k in range(4):  # by hand: each forecast becomes the newest lag
        nxt = sum(lags[-3 + j] @ ar.A[j] for j in range(3)) + ar.c
        np.testing.assert_allclose(out[k], nxt)
        lags.append(nxt)
    # persistence run freely is flat; seasonal naive repeats the last season
    np.testing.assert_array_equal(
        free_run(persistence, [[1.0], [2.0]], 3)[:, 0], [2, 2, 2]
    )
    season = free_run(lambda X: seasonal_naive(X, 3), [[1.0], [2.0], [3.0]], 7)[:, 0]
    np.testing.assert_array_equal(season, [1, 2, 3, 1, 2, 3, 1])
    with pytest.raises(ValueError, match="n_steps"):
        free_run(persistence, window, 0)


def test_fit_ar_refuses_mismatched_targets():
    X, Y = make_lag_dataset(_series(), 3)
    with pytest.raises(ValueError, match=r"Y must be \(N, D\)"):
        fit_ar(X, Y[:-1])
