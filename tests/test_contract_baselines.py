"""helpers.baselines is correct on generated valid input in every accepted form.

Bad input: test_boundary.py.
"""

import numpy as np
from contract import as_float, forms, integers
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.baselines import AR, fit_ar, persistence, seasonal_naive
from helpers.train import free_run

# X: (L, N, D)
LAGS = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 2)),
    elements=st.floats(-1e3, 1e3, width=32),
)


@given(
    case=LAGS.flatmap(lambda X: st.tuples(forms(X), st.just(X))),
    period=integers(1, 6),
)
def test_persistence_and_seasonal_naive_in_every_form(case, period):
    Xf, X = case
    # yhat_t = y_{t-1}
    np.testing.assert_array_equal(persistence(Xf), X[-1])
    if period <= X.shape[0]:
        # y_{t-m}
        yhat = seasonal_naive(Xf, period)
        np.testing.assert_array_equal(yhat, X[X.shape[0] - int(period)])


@given(case=LAGS.flatmap(lambda X: st.tuples(forms(X), st.just(X))))
def test_fit_ar_solves_the_normal_equations_in_every_form(case):
    Xf, X = case
    L, N, D = X.shape
    rng = np.random.default_rng(N)
    Y = rng.normal(size=(N, D))
    ar = fit_ar(Xf, Y.tolist())
    assert ar.A.shape == (L, D, D) and ar.c.shape == (D,)
    yhat = ar.predict(Xf)
    # the lecture's sum
    by_hand = sum(X[k] @ ar.A[k] for k in range(L)) + ar.c
    np.testing.assert_allclose(yhat, by_hand, rtol=1e-9, atol=1e-6)
    # least squares: the residual is orthogonal to every column of [X[0] .. 1]
    Z = np.concatenate([*X, np.ones((N, 1))], axis=1)
    scale = np.abs(Z).max() * (np.abs(Y).max() + 1) * N
    np.testing.assert_allclose(Z.T @ (yhat - Y), 0, atol=1e-9 * scale)


@given(
    A=st.sampled_from([np.ones((2, 1, 1)), np.ones((1, 2, 2)) * 0.5]),
    form=st.sampled_from(["array", "list", "tensor"]),
)
def test_ar_predict_is_the_sum_over_lags(A, form):
    L, D, _ = A.shape
    c = np.arange(D) + 0.5
    ar = AR(A, c)
    X = np.arange(L * 3 * D, dtype=float).reshape(L, 3, D)
    Xf = {"array": X, "list": X.tolist(), "tensor": __import__("torch").tensor(X)}[form]
    np.testing.assert_allclose(ar.predict(Xf), sum(X[k] @ A[k] for k in range(L)) + c)


@given(
    forecast=st.sampled_from(["persistence", "oldest"]),
    window=forms(np.array([[1.0], [2.0], [4.0]])),
    n_steps=integers(1, 4),
)
def test_free_run_of_a_function(forecast, window, n_steps):
    f = persistence if forecast == "persistence" else (lambda X: X[0])
    path = free_run(f, window, n_steps)
    assert path.shape == (int(n_steps), 1)
    # by hand
    w = list(as_float(window)[:, 0])
    for k in range(int(n_steps)):
        w.append(w[-1] if forecast == "persistence" else w[-3])
        assert path[k, 0] == w[-1]
