import numpy as np

from helpers import exercises
from helpers.data import make_lag_dataset


def test_check_shapes(capsys):
    assert exercises.check_shapes(50, 4, 2, (4, 46, 2), (46, 2))
    assert not exercises.check_shapes(50, 4, 2, (46, 4, 2), (46, 2))
    assert "swapped" in capsys.readouterr().out
    assert not exercises.check_shapes(50, 4, 2, (4, 50, 2), (50, 2))
    assert "N = T - L" in capsys.readouterr().out
    assert not exercises.check_shapes(50, 4, 2, ..., ...)
    assert "Not answered" in capsys.readouterr().out


def test_check_window(capsys):
    assert exercises.check_window(3, 10, [10, 11, 12], 13)
    assert not exercises.check_window(3, 10, [12, 11, 10], 13)
    assert "OLDEST" in capsys.readouterr().out
    assert not exercises.check_window(3, 10, [10, 11, 12], 12)
    assert "Y[n] = y(n + L)" in capsys.readouterr().out


def test_check_lag_function_diagnoses_common_slips(capsys):
    assert exercises.check_lag_function(make_lag_dataset)

    def reversed_lags(series, lags):
        X, Y = make_lag_dataset(series, lags)
        return X[::-1], Y
    assert not exercises.check_lag_function(reversed_lags)
    assert "reverse order" in capsys.readouterr().out

    def no_state_axis(series, lags):
        X, Y = make_lag_dataset(series, lags)
        return X[..., 0], Y
    assert not exercises.check_lag_function(no_state_axis)
    assert "keep the state axis D" in capsys.readouterr().out

    def target_off_by_one(series, lags):
        X, Y = make_lag_dataset(series, lags)
        return X, X[-1]
    assert not exercises.check_lag_function(target_off_by_one)
    assert "Y[n] should be y(n + L)" in capsys.readouterr().out

    assert not exercises.check_lag_function(lambda s, l: None)
    assert "returns None" in capsys.readouterr().out
    assert not exercises.check_lag_function(lambda s, l: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out
