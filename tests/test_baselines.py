"""Baselines against their definitions, and least-squares AR against statsmodels'
AutoReg.  Bad input: test_boundary.py."""

import numpy as np
import pytest
from statsmodels.tsa.ar_model import AutoReg

from helpers.baselines import AR, fit_ar, persistence, seasonal_naive
from helpers.data import make_lag_dataset
from helpers.train import free_run


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
    # the series index of each target
    t = np.arange(L, len(y))
    np.testing.assert_array_equal(persistence(X)[:, 0], y[t - 1])
    np.testing.assert_array_equal(seasonal_naive(X, m)[:, 0], y[t - m])
    np.testing.assert_array_equal(seasonal_naive(X, 1), persistence(X))
    # the longest period the window allows: the oldest lag
    np.testing.assert_array_equal(seasonal_naive(X, np.int64(L)), X[0])
    # a copy, not a view into X
    out = persistence(X)
    out[:] = 0
    assert X[-1, 0, 0] == y[L - 1]


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
    window = rng.normal(size=(3, 2))
    out = free_run(ar.predict, window, 4)
    lags = list(window)
    # by hand: each forecast becomes the newest lag
    for k in range(4):
        nxt = sum(lags[-3 + j] @ ar.A[j] for j in range(3)) + ar.c
        np.testing.assert_allclose(out[k], nxt)
        lags.append(nxt)
    # persistence run freely is flat; seasonal naive repeats the last season
    np.testing.assert_array_equal(
        free_run(persistence, [[1.0], [2.0]], 3)[:, 0], [2, 2, 2]
    )
    season = free_run(lambda X: seasonal_naive(X, 3), [[1.0], [2.0], [3.0]], 7)[:, 0]
    np.testing.assert_array_equal(season, [1, 2, 3, 1, 2, 3, 1])


def test_ar_fitted_to_an_exact_ar_process_recovers_it():
    # y_t = 0.5 + 0.9 y_{t-1} - 0.2 y_{t-2}, no noise: least squares finds it exactly
    y = np.zeros(60)
    y[:2] = [1.0, -1.0]
    for t in range(2, 60):
        y[t] = 0.5 + 0.9 * y[t - 1] - 0.2 * y[t - 2]
    X, Y = make_lag_dataset(y, 2)
    ar = fit_ar(X.tolist(), Y)
    np.testing.assert_allclose(ar.A[:, 0, 0], [-0.2, 0.9], atol=1e-8)
    np.testing.assert_allclose(ar.c, [0.5], atol=1e-8)
