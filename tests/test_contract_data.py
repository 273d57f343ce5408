"""helpers.data keeps the contract on generated valid and invalid input."""

import numpy as np
from contract import (
    NOT_A_NUMBER,
    NOT_AN_ARRAY,
    NOT_AN_INTEGER,
    NOT_FINITE,
    as_float,
    forms,
    integers,
    keeps_contract,
    reals,
    refused,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.data import (
    chronological_split,
    make_lag_dataset,
    make_task,
    recall_task,
    sine_series,
    sine_task,
)

FINITE = st.floats(-1e6, 1e6, width=32)
SERIES = st.one_of(
    hnp.arrays(np.float64, st.integers(2, 12), elements=FINITE),
    hnp.arrays(
        np.float64, st.tuples(st.integers(2, 12), st.integers(1, 3)), elements=FINITE
    ),
)


def reference(y, L):
    """X[k, n] = y(n + k), Y[n] = y(n + L), from the lecture's definition, one entry at
    a time."""
    y = y.reshape(len(y), -1)
    N = len(y) - L
    X = np.array([[y[n + k] for n in range(N)] for k in range(L)])
    return X.reshape(L, N, y.shape[1]), y[L:]


@given(
    SERIES.flatmap(lambda y: st.tuples(forms(y), st.just(y), integers(1, len(y) - 1)))
)
def test_make_lag_dataset_is_correct_in_every_form(case):
    series, y, L = case
    X, Y = make_lag_dataset(series, L)
    X_ref, Y_ref = reference(y, int(L))
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)
    assert X.dtype == Y.dtype == np.float64


@given(
    st.one_of(
        st.tuples(NOT_AN_ARRAY, st.just(1), st.just("series")),
        st.tuples(st.just(np.arange(6.0)), NOT_AN_INTEGER, st.just("lags")),
        st.tuples(
            st.just(np.arange(6.0)), st.sampled_from([0, -1, 6, 10**9]), st.just("lags")
        ),
        st.tuples(
            SERIES.map(
                lambda y: np.where(np.arange(y.size).reshape(y.shape) == 1, np.nan, y)
            ),
            st.just(1),
            st.just("series"),
        ),
        st.tuples(
            st.sampled_from(
                [np.zeros((3, 2, 2)), np.zeros(0), np.zeros((4, 0)), [1.0]]
            ),
            st.just(1),
            st.just("series"),
        ),
    )
)
def test_make_lag_dataset_refuses_bad_input_by_name(case):
    series, lags, name = case
    refused(lambda: make_lag_dataset(series, lags), [name])


@given(
    n_points=st.one_of(integers(2, 50), NOT_AN_INTEGER, st.just(10**12)),
    time_step=st.one_of(reals(1e-3, 10), NOT_A_NUMBER, NOT_FINITE, st.just(-0.1)),
    noise=st.one_of(reals(0, 1), NOT_A_NUMBER, st.just(-1.0)),
    seed=st.one_of(integers(0, 2**31), NOT_AN_INTEGER, st.just(-1)),
)
def test_sine_series(n_points, time_step, noise, seed):
    outcome, value = keeps_contract(
        lambda: sine_series(n_points, time_step, noise, seed),
        ["n_points", "time_step", "noise", "seed"],
    )
    if outcome == "ok":
        t, y = value
        np.testing.assert_allclose(t, np.arange(int(n_points)) * float(time_step))
        if noise == 0:
            np.testing.assert_allclose(y, np.sin(t))


@given(
    N=st.integers(2, 20),
    D=st.integers(1, 2),
    fraction=st.one_of(reals(0.01, 0.99), NOT_A_NUMBER, st.sampled_from([0, 1, 1.5])),
    form=st.sampled_from(["array", "tensor", "list"]),
)
def test_chronological_split(N, D, fraction, form):
    X, Y = make_lag_dataset(np.arange((N + 2) * D, dtype=float).reshape(N + 2, D), 2)
    Xf, Yf = {"array": (X, Y), "list": (X.tolist(), Y.tolist())}.get(
        form, None
    ) or tuple(__import__("torch").tensor(A) for A in (X, Y))
    outcome, parts = keeps_contract(
        lambda: chronological_split(Xf, Yf, fraction), ["train_fraction"]
    )
    if outcome == "ok":
        X_tr, Y_tr, X_te, Y_te = (as_float(p) for p in parts)
        n = round(float(fraction) * N)
        np.testing.assert_array_equal(np.concatenate([Y_tr, Y_te]), Y)
        np.testing.assert_array_equal(np.concatenate([X_tr, X_te], axis=1), X)
        assert len(Y_tr) == n


@given(
    bad=st.sampled_from(
        [
            ("X", np.zeros((2, 5))),
            ("Y", np.zeros(5)),
            ("X", np.zeros((2, 4, 1))),
            ("X", "abc"),
            ("Y", None),
        ]
    )
)
def test_chronological_split_refuses_mismatched_arrays(bad):
    args = {"X": np.zeros((2, 5, 1)), "Y": np.zeros((5, 1))}
    args[bad[0]] = bad[1]
    refused(lambda: chronological_split(args["X"], args["Y"]), ["X", "Y"])


@given(
    lags=st.one_of(integers(1, 30), NOT_AN_INTEGER, st.sampled_from([0, 40, 10**6])),
    fraction=st.one_of(reals(0.1, 0.9), NOT_A_NUMBER),
    t=st.sampled_from([None, "ok", "short", "nan", "text"]),
)
def test_make_task(lags, fraction, t):
    y = np.sin(np.arange(40) * 0.3)
    times = {
        "ok": np.arange(40) * 0.3,
        "short": np.arange(39.0),
        "nan": np.full(40, np.nan),
        "text": "t",
    }.get(t)
    outcome, task = keeps_contract(
        lambda: make_task(y, lags, t=times, train_fraction=fraction),
        ["lags", "train_fraction", "t"],
    )
    if outcome == "ok":
        np.testing.assert_allclose(task.Y_test[:, 0], y[-len(task.Y_test) :])
        np.testing.assert_allclose(
            task.X_train[-1, :, 0], y[lags - 1 : lags - 1 + len(task.Y_train)]
        )
        assert task.t_test.shape == (len(task.Y_test),)


@given(
    lags=st.one_of(integers(1, 20), NOT_AN_INTEGER, st.sampled_from([0, 599, 10**6])),
    noise=st.one_of(st.just(0.0), NOT_A_NUMBER),
)
def test_sine_task(lags, noise):
    outcome, task = keeps_contract(
        lambda: sine_task(lags, n_points=120, noise=noise),
        ["lags", "noise", "train_fraction"],
    )
    if outcome == "ok":
        np.testing.assert_allclose(task.Y_test[:, 0], np.sin(task.t_test))


@given(
    lags=st.one_of(integers(2, 12), NOT_AN_INTEGER, st.sampled_from([1, 0, 10**7])),
    n_train=st.one_of(integers(1, 30), NOT_AN_INTEGER, st.just(0)),
    seed=st.one_of(integers(0, 99), NOT_AN_INTEGER, st.just(-5)),
)
def test_recall_task(lags, n_train, seed):
    outcome, task = keeps_contract(
        lambda: recall_task(lags, n_train=n_train, n_test=7, seed=seed),
        ["lags", "n_train", "seed"],
    )
    if outcome == "ok":
        assert task.X_train.shape == (lags, n_train, 2)
        n = np.arange(7)
        np.testing.assert_array_equal(
            task.Y_test[:, 0], task.X_test[task.marks_test, n, 0]
        )
        assert np.all(task.X_test[task.marks_test, n, 1] == 1)
        assert np.all(task.marks_test < lags // 2)
