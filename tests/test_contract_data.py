"""helpers.data is correct on generated valid input in every accepted form.

Bad input: test_boundary.py.
"""

import numpy as np
import torch
from contract import as_float, forms, integers, reals
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.data import (
    make_lag_dataset,
    make_task,
    recall_task,
    sine_series,
    sine_task,
    split_in_time,
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
    n_points=integers(2, 50),
    time_step=reals(1e-3, 10),
    noise=reals(0, 1),
    seed=integers(0, 2**31),
)
def test_sine_series(n_points, time_step, noise, seed):
    t, y = sine_series(n_points, time_step, noise, seed)
    np.testing.assert_allclose(t, np.arange(int(n_points)) * float(time_step))
    if noise == 0:
        np.testing.assert_allclose(y, np.sin(t))
    else:
        _, again = sine_series(n_points, time_step, noise, seed)
        np.testing.assert_array_equal(y, again)


@given(
    N=st.integers(2, 20),
    D=st.integers(1, 2),
    later=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    form=st.sampled_from(["array", "tensor", "list"]),
)
def test_split_in_time_in_every_form(N, D, later, form):
    if sum(later) >= N:
        later = [1] * min(len(later), N - 1)
    X, Y = make_lag_dataset(np.arange((N + 2) * D, dtype=float).reshape(N + 2, D), 2)
    conv = {
        "array": lambda A: A,
        "list": lambda A: A.tolist(),
        "tensor": lambda A: torch.tensor(A, requires_grad=True),
    }[form]
    blocks = split_in_time(conv(X), conv(Y), *later)
    assert [len(Yb) for _, Yb in blocks] == [N - sum(later), *later]
    np.testing.assert_array_equal(np.concatenate([as_float(Yb) for _, Yb in blocks]), Y)
    np.testing.assert_array_equal(
        np.concatenate([as_float(Xb) for Xb, _ in blocks], axis=1), X
    )


@given(
    lags=integers(1, 30),
    fraction=reals(0.1, 0.9),
    with_t=st.booleans(),
)
def test_make_task(lags, fraction, with_t):
    y = np.sin(np.arange(40) * 0.3)
    times = np.arange(40) * 0.3 if with_t else None
    task = make_task(y, lags, t=times, train_fraction=fraction)
    N = 40 - int(lags)
    assert len(task.Y_train) == round(float(fraction) * N)
    np.testing.assert_allclose(task.Y_test[:, 0], y[-len(task.Y_test) :])
    np.testing.assert_allclose(
        task.X_train[-1, :, 0], y[lags - 1 : lags - 1 + len(task.Y_train)]
    )
    assert task.t_test.shape == (len(task.Y_test),)
    if with_t:
        np.testing.assert_allclose(np.sin(task.t_test), task.Y_test[:, 0])
        np.testing.assert_allclose(np.sin(task.t_train), task.Y_train[:, 0])


@given(lags=integers(1, 20))
def test_sine_task(lags):
    task = sine_task(lags, n_points=120)
    np.testing.assert_allclose(task.Y_test[:, 0], np.sin(task.t_test))
    np.testing.assert_allclose(task.Y_train[:, 0], np.sin(task.t_train))


@given(lags=integers(2, 12), n_train=st.integers(1, 30), seed=integers(0, 99))
def test_recall_task(lags, n_train, seed):
    task = recall_task(lags, n_train=n_train, n_test=7, seed=seed)
    assert task.X_train.shape == (lags, n_train, 2)
    n = np.arange(7)
    np.testing.assert_array_equal(task.Y_test[:, 0], task.X_test[task.marks_test, n, 0])
    assert np.all(task.X_test[task.marks_test, n, 1] == 1)
    assert np.all(task.marks_test < lags // 2)
