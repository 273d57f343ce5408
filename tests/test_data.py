import numpy as np
import pytest

from helpers.data import (
    chronological_split,
    make_lag_dataset,
    make_task,
    sine_series,
    sine_task,
)


def test_lecture_two_lag_example_by_hand():
    # The lecture: targets y(2..T-1), lag 1 = y(1..T-2), lag 2 = y(0..T-3); X[0] = y_{t-2} (oldest).
    series = [10.0, 11.0, 12.0, 13.0, 14.0]
    X, Y = make_lag_dataset(series, 2)
    assert X.shape == (2, 3, 1) and Y.shape == (3, 1)
    assert X[0, :, 0].tolist() == [10.0, 11.0, 12.0]  # y_{t-2}
    assert X[1, :, 0].tolist() == [11.0, 12.0, 13.0]  # y_{t-1}
    assert Y[:, 0].tolist() == [12.0, 13.0, 14.0]  # y_t


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
    "series, lags, err, words",
    [
        (
            np.arange(5.0),
            0,
            ValueError,
            "lags must be between 1 and 4 for a series of 5 points, got 0",
        ),
        (np.arange(5.0), -2, ValueError, "lags must be between 1 and 4"),
        (np.arange(5.0), 5, ValueError, "got 5"),
        (np.arange(5.0), 9, ValueError, "between 1 and 4"),
        (np.arange(5.0), 2.0, TypeError, "lags must be an integer"),
        (np.arange(5.0), "2", TypeError, "lags must be an integer"),
        (np.arange(5.0), True, TypeError, "lags must be an integer"),
        (np.arange(5.0), None, TypeError, "lags must be an integer"),
        (np.array([0.0, np.nan, 1.0]), 1, ValueError, "series must be finite"),
        (np.array([0.0, 1.0, np.inf]), 1, ValueError, "time index 2"),
        (
            np.array([[0.0, 1.0], [-np.inf, 2.0], [1.0, 1.0]]),
            1,
            ValueError,
            "time index 1",
        ),
        (
            np.zeros((3, 2, 2)),
            1,
            ValueError,
            "series must be 1-D (T,) or 2-D (T, D), got 3-D",
        ),
        (np.float64(3.0), 1, ValueError, "got 0-D"),
        (np.array([]), 1, ValueError, "series is empty"),
        (np.zeros((4, 0)), 1, ValueError, "at least one column"),
        ([1.0], 1, ValueError, "at least 2 points"),
        (["a", "b", "c"], 1, TypeError, "series must contain only real numbers"),
        ([1.0, "x", 2.0], 1, TypeError, "only real numbers"),
        (["1.5", "2.5", "3.5"], 1, TypeError, "only real numbers"),
        ([1.0, None, 2.0], 1, TypeError, "only real numbers"),
        (np.array([1 + 2j, 3j, 1.0]), 1, TypeError, "only real numbers"),
        ([[1.0, 2.0], [3.0]], 1, ValueError, "series must be rectangular"),
        ("123", 1, TypeError, "series must be an array of numbers"),
        (None, 1, TypeError, "series must be an array of numbers"),
    ],
)
def test_bad_input_names_the_argument(series, lags, err, words):
    with pytest.raises(err, match=words.replace("(", r"\(").replace(")", r"\)")):
        make_lag_dataset(series, lags)


def test_numpy_integer_lags_are_accepted():
    X, _ = make_lag_dataset(np.arange(5.0), np.int64(2))
    assert X.shape == (2, 3, 1)


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
    for kwargs, words in [
        ({"n_points": 1}, "n_points"),
        ({"time_step": 0}, "time_step"),
        ({"noise": -1}, "noise"),
    ]:
        with pytest.raises(ValueError, match=words):
            sine_series(**kwargs)


def test_chronological_split_puts_test_after_train():
    y = np.arange(20.0)
    X, Y = make_lag_dataset(y, 3)  # N = 17
    X_tr, Y_tr, X_te, Y_te = chronological_split(X, Y, 0.8)
    assert len(Y_tr) == 14 and len(Y_te) == 3
    # every test target after every training target
    assert Y_tr[:, 0].max() < Y_te[:, 0].min()
    np.testing.assert_array_equal(np.concatenate([Y_tr, Y_te]), Y)
    np.testing.assert_array_equal(np.concatenate([X_tr, X_te], axis=1), X)
    with pytest.raises(ValueError, match="train_fraction"):
        chronological_split(X, Y, 1.0)


def test_task_times_line_up_with_targets():
    task = sine_task(4, n_points=100)
    np.testing.assert_allclose(np.sin(task.t_test), task.Y_test[:, 0])
    np.testing.assert_allclose(np.sin(task.t_train), task.Y_train[:, 0])
    with pytest.raises(ValueError, match="t must have shape"):
        make_task(np.zeros(10), 2, t=np.zeros(9))
