"""helpers.data against the lecture's definitions: lag datasets, splits in time, tasks.

Bad input is tested in test_boundary.py.
"""

from itertools import pairwise

import numpy as np
import pytest
import torch

from helpers.data import (
    TIME_STEP,
    make_lag_dataset,
    make_task,
    recall_block,
    recall_task,
    sine_series,
    sine_task,
    split_in_time,
)


def test_lecture_two_lag_example_by_hand():
    # The lecture: targets y(2..T-1), lag 1 = y(1..T-2), lag 2 = y(0..T-3);
    # X[0] = y_{t-2} (oldest).
    series = [10.0, 11.0, 12.0, 13.0, 14.0]
    X, Y = make_lag_dataset(series, 2)
    assert X.shape == (2, 3, 1) and Y.shape == (3, 1)
    # y_{t-2}
    assert X[0, :, 0].tolist() == [10.0, 11.0, 12.0]
    # y_{t-1}
    assert X[1, :, 0].tolist() == [11.0, 12.0, 13.0]
    # y_t
    assert Y[:, 0].tolist() == [12.0, 13.0, 14.0]


@pytest.mark.parametrize("T", [2, 3, 17])
@pytest.mark.parametrize("D", [1, 2, 5])
def test_definition_for_several_L_and_D(T, D):
    y = np.random.default_rng(T * 10 + D).normal(size=(T, D))
    for L in range(1, T):
        X, Y = make_lag_dataset(y, L)
        N = T - L
        assert X.shape == (L, N, D) and Y.shape == (N, D)
        for k in range(L):
            for n in range(N):
                np.testing.assert_array_equal(X[k, n], y[n + k])
        for n in range(N):
            np.testing.assert_array_equal(Y[n], y[n + L])


def test_one_dimensional_series_gets_D_equal_1_and_ints_become_floats():
    X, Y = make_lag_dataset(np.arange(6), 4)
    assert X.shape == (4, 2, 1) and X.dtype == float
    assert X[:, 1, 0].tolist() == [1, 2, 3, 4] and Y[:, 0].tolist() == [4, 5]


def test_input_is_not_modified_and_outputs_do_not_alias_it():
    y = np.arange(8.0).reshape(4, 2)
    before = y.copy()
    X, Y = make_lag_dataset(y, 1)
    X[:] = -1
    Y[:] = -1
    np.testing.assert_array_equal(y, before)


@pytest.mark.parametrize(
    "lags", [np.int64(2), np.int32(2), np.uint8(2), 2.0, np.float64(2.0)]
)
def test_numpy_integer_and_whole_float_lags_are_accepted(lags):
    X, Y = make_lag_dataset(np.arange(5.0), lags)
    assert X.shape == (2, 3, 1) and Y[:, 0].tolist() == [2, 3, 4]


def test_a_tensor_series_gives_the_same_dataset():
    y = np.random.default_rng(0).normal(size=(9, 2))
    X, Y = make_lag_dataset(y, 3)
    Xt, Yt = make_lag_dataset(torch.tensor(y, requires_grad=True), 3)
    np.testing.assert_array_equal(X, Xt)
    np.testing.assert_array_equal(Y, Yt)


def test_sine_series_parameters():
    t, y = sine_series(n_points=50, time_step=0.2)
    np.testing.assert_allclose(t, 0.2 * np.arange(50))
    np.testing.assert_allclose(y, np.sin(t))
    _, a = sine_series(50, 0.2, noise=0.1, seed=3)
    _, b = sine_series(50, 0.2, noise=0.1, seed=3)
    _, c = sine_series(50, 0.2, noise=0.1, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert 0.05 < np.std(a - y) < 0.15


@pytest.mark.parametrize("later", [(3,), (4, 5), (1, 1, 1), (16,)])
def test_split_in_time_blocks_are_consecutive_and_of_the_given_sizes(later):
    # N = 17 samples; every target is its own series index, so order is visible
    X, Y = make_lag_dataset(np.arange(20.0), 3)
    blocks = split_in_time(X, Y, *later)
    assert len(blocks) == 1 + len(later)
    sizes = [len(Yb) for _, Yb in blocks]
    assert sizes == [17 - sum(later), *later]
    for Xb, Yb in blocks:
        assert Xb.shape == (3, len(Yb), 1)
        # each window still ends right before its target
        np.testing.assert_array_equal(Xb[-1, :, 0] + 1, Yb[:, 0])
    # glued back in order they are the whole dataset: consecutive, nothing lost
    np.testing.assert_array_equal(np.concatenate([Yb for _, Yb in blocks]), Y)
    np.testing.assert_array_equal(np.concatenate([Xb for Xb, _ in blocks], 1), X)
    # every target of a later block comes after every target of an earlier one
    for (_, earlier), (_, later_block) in pairwise(blocks):
        assert earlier[:, 0].max() < later_block[:, 0].min()


def test_split_in_time_in_other_forms_gives_the_same_blocks():
    X, Y = make_lag_dataset(np.arange(12.0), 2)
    ref = split_in_time(X, Y, 3, 2)
    for Xf, Yf in [
        (X.tolist(), Y.tolist()),
        (torch.tensor(X, requires_grad=True), torch.tensor(Y)),
        (X.astype(np.float32), Y.astype(np.float32)),
    ]:
        got = split_in_time(Xf, Yf, np.int64(3), 2)
        for (Xa, Ya), (Xb, Yb) in zip(got, ref):
            np.testing.assert_array_equal(Xa, Xb)
            np.testing.assert_array_equal(Ya, Yb)


def test_make_task_splits_by_train_fraction():
    y = np.arange(20.0)
    # N = 17: round(0.8 * 17) = 14 train, 3 test
    task = make_task(y, 3)
    assert (len(task.Y_train), len(task.Y_test)) == (14, 3)
    assert task.lags == 3 and task.y.shape == (20, 1)
    np.testing.assert_array_equal(task.Y_test[:, 0], [17, 18, 19])
    np.testing.assert_array_equal(task.X_train[:, 0, 0], [0, 1, 2])
    np.testing.assert_array_equal(task.t_test, [17, 18, 19])
    np.testing.assert_array_equal(task.t_train, np.arange(3, 17))
    half = make_task(y, 3, train_fraction=0.5)
    assert (len(half.Y_train), len(half.Y_test)) == (8, 9)


def test_task_times_line_up_with_targets():
    task = sine_task(4, n_points=100)
    np.testing.assert_allclose(np.sin(task.t_test), task.Y_test[:, 0])
    np.testing.assert_allclose(np.sin(task.t_train), task.Y_train[:, 0])
    np.testing.assert_allclose(task.t[1] - task.t[0], TIME_STEP)
    assert len(task.Y_train) + len(task.Y_test) == 100 - 4


def test_noisy_sine_task_is_reproducible():
    a, b = sine_task(3, n_points=80, noise=0.1, seed=1), sine_task(3, 80, 0.1, 1)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    clean = sine_task(3, n_points=80)
    assert 0.05 < np.std(a.Y_test - clean.Y_test) < 0.2


def test_recall_block_by_definition():
    X, Y, marks = recall_block(8, 50, np.random.default_rng(0))
    assert X.shape == (8, 50, 2) and Y.shape == (50, 1) and marks.shape == (50,)
    n = np.arange(50)
    # exactly one marker per window, at its mark, in the older half
    np.testing.assert_array_equal(X[:, :, 1].sum(axis=0), 1)
    np.testing.assert_array_equal(X[marks, n, 1], 1)
    assert np.all(marks < 4)
    np.testing.assert_array_equal(Y[:, 0], X[marks, n, 0])


def test_recall_task_targets_follow_their_definition():
    task = recall_task(9, n_train=40, n_test=30, seed=3)
    for X, Y in ((task.X_train, task.Y_train), (task.X_test, task.Y_test)):
        L, N, D = X.shape
        assert (L, D) == (9, 2) and Y.shape == (N, 1)
        marker = X[:, :, 1]
        # exactly one marked lag per sample
        assert np.all(marker.sum(axis=0) == 1)
        marks = marker.argmax(axis=0)
        # always in the older half: at least 5 lags to remember across
        assert np.all(marks < 9 // 2)
        np.testing.assert_array_equal(Y[:, 0], X[marks, np.arange(N), 0])
        assert np.all(np.abs(X[:, :, 0]) <= 1)
    assert (len(task.Y_train), len(task.Y_test)) == (40, 30)
    np.testing.assert_array_equal(task.marks_test, task.X_test[:, :, 1].argmax(axis=0))
    again = recall_task(9, n_train=40, n_test=30, seed=3)
    np.testing.assert_array_equal(again.X_train, task.X_train)
    assert not np.array_equal(recall_task(9, 40, 30, seed=4).X_train, task.X_train)
