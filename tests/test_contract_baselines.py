"""helpers.baselines keeps the contract on generated valid and invalid input."""

import numpy as np
from contract import (
    NOT_AN_ARRAY,
    NOT_AN_INTEGER,
    as_float,
    forms,
    integers,
    keeps_contract,
    refused,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.baselines import AR, fit_ar, free_run, persistence, seasonal_naive

LAGS = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 2)),
    elements=st.floats(-1e3, 1e3, width=32),
)  # X: (L, N, D)
NOT_LAGS = st.one_of(
    NOT_AN_ARRAY,
    st.sampled_from(
        [np.zeros((3, 2)), np.zeros((0, 2, 1)), np.full((2, 2, 1), np.nan), 1.0]
    ),
)


@given(
    case=LAGS.flatmap(lambda X: st.tuples(forms(X), st.just(X))),
    period=st.one_of(integers(1, 6), NOT_AN_INTEGER, st.just(0)),
)
def test_persistence_and_seasonal_naive_in_every_form(case, period):
    Xf, X = case
    np.testing.assert_array_equal(persistence(Xf), X[-1])  # yhat_t = y_{t-1}
    outcome, yhat = keeps_contract(lambda: seasonal_naive(Xf, period), ["period"])
    if outcome == "ok":
        np.testing.assert_array_equal(yhat, X[X.shape[0] - int(period)])  # y_{t-m}


@given(X=NOT_LAGS, period=st.just(1))
def test_baselines_refuse_bad_lags_by_name(X, period):
    refused(lambda: persistence(X), ["X"])
    refused(lambda: seasonal_naive(X, period), ["X"])
    refused(lambda: fit_ar(X, np.zeros((2, 1))), ["X"])


@given(case=LAGS.flatmap(lambda X: st.tuples(forms(X), st.just(X))))
def test_fit_ar_solves_the_normal_equations_in_every_form(case):
    Xf, X = case
    L, N, D = X.shape
    rng = np.random.default_rng(N)
    Y = rng.normal(size=(N, D))
    ar = fit_ar(Xf, Y.tolist())
    yhat = ar.predict(Xf)
    by_hand = sum(X[k] @ ar.A[k] for k in range(L)) + ar.c  # the lecture's sum
    np.testing.assert_allclose(yhat, by_hand, rtol=1e-9, atol=1e-6)
    # least squares: the residual is orthogonal to every column of [X[0] .. 1]
    Z = np.concatenate(list(X) + [np.ones((N, 1))], axis=1)
    scale = np.abs(Z).max() * (np.abs(Y).max() + 1) * N
    np.testing.assert_allclose(Z.T @ (yhat - Y), 0, atol=1e-9 * scale)


@given(
    Y=st.one_of(
        NOT_AN_ARRAY, st.sampled_from([np.zeros((4, 1)), np.zeros(5), [[np.nan]] * 5])
    )
)
def test_fit_ar_refuses_bad_targets_by_name(Y):
    refused(lambda: fit_ar(np.zeros((2, 5, 1)), Y), ["Y"])


@given(
    A=st.one_of(
        st.sampled_from([np.ones((2, 1, 1)), np.ones((1, 2, 2))]),
        NOT_AN_ARRAY,
        st.sampled_from([np.ones((2, 1, 2)), np.ones((0, 1, 1)), [[[np.inf]]]]),
    ),
    c=st.one_of(st.sampled_from([np.ones(1), [0.5, 0.5]]), NOT_AN_ARRAY),
    X=st.one_of(st.just("good"), NOT_LAGS),
)
def test_ar_checks_its_weights_and_data(A, c, X):
    outcome, ar = keeps_contract(lambda: AR(A, c), ["A", "c"])
    if outcome == "ok":
        L, D, _ = ar.A.shape
        Xg = (
            np.arange(L * 3 * D, dtype=float).reshape(L, 3, D)
            if isinstance(X, str) and X == "good"
            else X
        )
        outcome, yhat = keeps_contract(lambda: ar.predict(Xg), ["X"])
        if outcome == "ok":
            np.testing.assert_allclose(
                yhat, sum(Xg[k] @ as_float(A)[k] for k in range(L)) + as_float(c)
            )


@given(
    forecast=st.sampled_from(
        [persistence, lambda X: X[0], lambda X: X[-1, :, :1] * np.nan, None, "ar"]
    ),
    window=st.one_of(
        forms(np.array([[1.0], [2.0], [4.0]])),
        NOT_AN_ARRAY,
        st.sampled_from([np.zeros(3), np.zeros((0, 1))]),
    ),
    n_steps=st.one_of(integers(1, 4), NOT_AN_INTEGER, st.sampled_from([0, 10**7])),
)
def test_free_run(forecast, window, n_steps):
    outcome, path = keeps_contract(
        lambda: free_run(forecast, window, n_steps), ["forecast", "window", "n_steps"]
    )
    if outcome == "ok":  # only persistence and X[0] qualify; by hand
        w = list(as_float(window)[:, 0])
        for k in range(int(n_steps)):
            w.append(w[-1] if forecast is persistence else w[-3])
            assert path[k, 0] == w[-1]
