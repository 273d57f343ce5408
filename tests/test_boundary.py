"""The core's boundary (issue 18): the mistakes learners really make are refused before
any work, with a TypeError (wrong kind of value) or a ValueError (wrong value) whose
message names the argument; good input in its usual forms passes with the right result.

Exotic input no learner passes (float16 or big-endian arrays, huge sizes, 2.0 for a
count, bools) is not pinned here.  The tests at the end are mistakes the first port of
the core let through silently or refused without naming the argument.
"""

import re

import numpy as np
import pytest
import torch

from helpers.baselines import AR, fit_ar, persistence, seasonal_naive
from helpers.data import (
    make_lag_dataset,
    make_task,
    recall_task,
    sine_series,
    sine_task,
    split_in_time,
)
from helpers.gradients import (
    input_gradient_norms,
    largest_singular_value,
    parameter_gradient_norm,
    recall_sensitivity,
    rnn_gradient_bound,
    set_largest_singular_value,
)
from helpers.models import LSTM, RNN
from helpers.series import (
    block_means,
    fill_gaps,
    lag_dataset_skipping_gaps,
    load_series,
)
from helpers.train import evaluate_mse, fit, free_run, mse, predict

SERIES = np.sin(0.3 * np.arange(30))
# (4, 26, 1), (26, 1)
X, Y = make_lag_dataset(SERIES, 4)
# the learner's classic: samples first, (N, L, D)
X_NLD = X.transpose(1, 0, 2).copy()
# X with two state dims, for a model that reads D = 1
X_D2 = np.zeros((4, 26, 2))
# one NaN at lag 2, sample 5
X_NAN = X.copy()
X_NAN[2, 5, 0] = np.nan
Y_NAN = Y.copy()
Y_NAN[7, 0] = np.inf
SERIES_NAN = SERIES.copy()
SERIES_NAN[11] = np.nan
# recall-task data: D = 2 values and markers, one target
RECALL = recall_task(6, n_train=1, n_test=5, seed=0)


def nan_model(cell=RNN, D=1, **kwargs):
    """A model whose training diverged: one NaN weight."""
    m = cell(D, 3, seed=0, **kwargs)
    with torch.no_grad():
        next(m.parameters())[0, 0] = np.nan
    return m


def frozen(cell=RNN):
    """A model with every parameter's requires_grad False."""
    m = cell(1, 3, seed=0)
    for p in m.parameters():
        p.requires_grad_(False)
    return m


def names(name):
    """A regex for `name` as a word of its own: "X" but not the X of "X_val"."""
    return rf"(?<![A-Za-z_]){re.escape(name)}(?![A-Za-z_])"


def case(call, error, name, phrase=None, id=None):
    return pytest.param(call, error, name, phrase, id=id)


# Every count argument of the core refuses 2.5.
COUNTS = [
    case(lambda: make_lag_dataset(SERIES, 2.5), ValueError, "lags", id="lag lags"),
    case(lambda: make_task(SERIES, 2.5), ValueError, "lags", id="task lags"),
    case(lambda: sine_task(2.5), ValueError, "lags", id="sine_task lags"),
    case(
        lambda: sine_task(3, n_points=50.5),
        ValueError,
        "n_points",
        id="sine_task n_points",
    ),
    case(lambda: sine_series(n_points=50.5), ValueError, "n_points", id="sine n"),
    case(lambda: recall_task(2.5), ValueError, "lags", id="recall lags"),
    case(lambda: split_in_time(X, Y, 2.5), ValueError, "block size", id="split"),
    case(lambda: split_in_time(X, Y, 3, 2.5), ValueError, "block size", id="split 2"),
    case(lambda: RNN(2.5), ValueError, "D", id="RNN D"),
    case(lambda: RNN(1, 2.5), ValueError, "q", id="RNN q"),
    case(lambda: RNN(1, 3, seed=2.5), ValueError, "seed", id="RNN seed"),
    case(lambda: RNN(1, 3, D_out=2.5), ValueError, "D_out", id="RNN D_out"),
    case(lambda: LSTM(2.5), ValueError, "D", id="LSTM D"),
    case(lambda: LSTM(1, 2.5), ValueError, "q", id="LSTM q"),
    case(lambda: LSTM(1, 3, seed=2.5), ValueError, "seed", id="LSTM seed"),
    case(lambda: LSTM(1, 3, D_out=2.5), ValueError, "D_out", id="LSTM D_out"),
    case(lambda: fit(RNN(1, 3), X, Y, steps=2.5), ValueError, "steps", id="steps"),
    case(
        lambda: fit(RNN(1, 3), X, Y, X_val=X, Y_val=Y, patience=2.5),
        ValueError,
        "patience",
        id="patience",
    ),
    case(lambda: free_run(RNN(1, 3), X[:, 0], 2.5), ValueError, "n_steps", id="free"),
    case(
        lambda: free_run(persistence, X[:, 0], 2.5),
        ValueError,
        "n_steps",
        id="free fn",
    ),
    case(lambda: seasonal_naive(X, 2.5), ValueError, "period", id="period"),
    case(
        lambda: lag_dataset_skipping_gaps(SERIES_NAN, 2.5),
        ValueError,
        "lags",
        id="skip lags",
    ),
    case(lambda: block_means(SERIES, SERIES, 2.5), ValueError, "size", id="size"),
    case(lambda: rnn_gradient_bound(RNN(1, 3), 2.5), ValueError, "lags", id="bound"),
    case(
        lambda: recall_sensitivity(
            LSTM(2, 3, D_out=1), RECALL.X_test, RECALL.marks_test + 0.5
        ),
        ValueError,
        "marks",
        id="marks",
    ),
]
# Counts out of range, and too few samples or points.
RANGES = [
    case(lambda: make_lag_dataset(SERIES, 0), ValueError, "lags", "between 1 and 29"),
    case(lambda: make_lag_dataset(SERIES, 30), ValueError, "lags", "between 1 and 29"),
    case(lambda: make_lag_dataset(SERIES, -2), ValueError, "lags"),
    case(lambda: make_lag_dataset([1.0], 1), ValueError, "series", "at least 2"),
    case(lambda: make_task(np.arange(10.0), 9), ValueError, None, id="task no test"),
    case(lambda: sine_task(600), ValueError, "lags"),
    case(lambda: sine_series(n_points=1), ValueError, "n_points"),
    case(lambda: recall_task(1), ValueError, "lags", ">= 2"),
    case(lambda: split_in_time(X, Y, 26), ValueError, None, "none to train on"),
    case(lambda: split_in_time(X, Y, 20, 6), ValueError, None, "none to train on"),
    case(lambda: split_in_time(X, Y, 0), ValueError, "block size"),
    case(lambda: RNN(0), ValueError, "D"),
    case(lambda: RNN(1, 0), ValueError, "q"),
    case(lambda: LSTM(1, -1), ValueError, "q"),
    case(lambda: LSTM(1, 3, D_out=0), ValueError, "D_out"),
    case(lambda: RNN(1, 3, seed=-1), ValueError, "seed"),
    case(lambda: fit(RNN(1, 3), X, Y, steps=0), ValueError, "steps"),
    case(
        lambda: fit(RNN(1, 3), X, Y, X_val=X, Y_val=Y, patience=0),
        ValueError,
        "patience",
    ),
    case(lambda: free_run(persistence, X[:, 0], 0), ValueError, "n_steps"),
    case(lambda: seasonal_naive(X, 5), ValueError, "period", "between 1 and 4"),
    case(lambda: seasonal_naive(X, 0), ValueError, "period"),
    case(lambda: lag_dataset_skipping_gaps(SERIES_NAN, 30), ValueError, "lags"),
    case(lambda: block_means(SERIES, SERIES, 0), ValueError, "size"),
    case(lambda: block_means(SERIES, SERIES, 31), ValueError, "size"),
    case(lambda: rnn_gradient_bound(RNN(1, 3), 0), ValueError, "lags"),
    case(
        lambda: recall_sensitivity(
            LSTM(2, 3, D_out=1), RECALL.X_test, RECALL.marks_test + 6
        ),
        ValueError,
        "marks",
        "from 0 to 5",
    ),
    case(
        lambda: recall_sensitivity(
            LSTM(2, 3, D_out=1), RECALL.X_test, RECALL.marks_test[:2]
        ),
        ValueError,
        "marks",
        r"\(N,\)",
    ),
]

# Wrong kinds of value: text, None, not a model.
KINDS = [
    case(lambda: make_lag_dataset("abc", 1), TypeError, "series", "real numbers"),
    case(lambda: make_lag_dataset(None, 1), TypeError, "series"),
    case(lambda: make_lag_dataset(SERIES, "3"), TypeError, "lags", "whole number"),
    case(lambda: make_lag_dataset(SERIES, None), TypeError, "lags"),
    case(lambda: make_task(SERIES, "3"), TypeError, "lags"),
    case(lambda: sine_task("3"), TypeError, "lags"),
    case(lambda: recall_task("6"), TypeError, "lags"),
    case(lambda: split_in_time("X", Y, 2), TypeError, "X"),
    case(lambda: split_in_time(X, Y, "2"), TypeError, "block size"),
    case(lambda: RNN("1"), TypeError, "D"),
    case(lambda: LSTM(1, None), TypeError, "q"),
    case(lambda: RNN(1, 3)("X"), TypeError, "X", "real numbers"),
    case(lambda: LSTM(1, 3)(None), TypeError, "X"),
    case(lambda: LSTM(1, 3).states("X"), TypeError, "X"),
    case(lambda: fit("RNN", X, Y), TypeError, "model", "course model"),
    case(lambda: fit(RNN, X, Y), TypeError, "model"),
    case(lambda: fit(torch.nn.Linear(1, 1), X, Y), TypeError, "model"),
    case(lambda: fit(RNN(1, 3), None, Y), TypeError, "X"),
    case(lambda: fit(RNN(1, 3), X, "Y"), TypeError, "Y"),
    case(lambda: fit(RNN(1, 3), X, Y, steps="10"), TypeError, "steps"),
    case(lambda: fit(RNN(1, 3), X, Y, lr="0.1"), TypeError, "lr"),
    case(lambda: fit(RNN(1, 3), X, Y, clip="1"), TypeError, "clip"),
    case(lambda: fit(RNN(1, 3), X, Y, optimizer="sgd"), TypeError, "lr"),
    case(lambda: fit(RNN(1, 3), X, Y, X_val=X), TypeError, "Y_val"),
    case(lambda: fit(RNN(1, 3), X, Y, Y_val=Y), TypeError, "X_val"),
    case(
        lambda: fit(RNN(1, 3), X, Y, X_val=X, Y_val=Y, patience="5"),
        TypeError,
        "patience",
    ),
    case(lambda: predict("RNN", X), TypeError, "model"),
    case(lambda: predict(None, X), TypeError, "model"),
    case(lambda: predict(RNN(1, 3), "X"), TypeError, "X"),
    case(lambda: evaluate_mse(torch.nn.Linear(1, 1), X, Y), TypeError, "model"),
    case(lambda: evaluate_mse(RNN(1, 3), X, None), TypeError, "Y"),
    case(lambda: free_run(None, X[:, 0], 2), TypeError, "forecast"),
    case(lambda: free_run("persistence", X[:, 0], 2), TypeError, "forecast"),
    case(lambda: free_run(persistence, "w", 2), TypeError, "window"),
    case(lambda: free_run(persistence, X[:, 0], "2"), TypeError, "n_steps"),
    case(lambda: persistence("X"), TypeError, "X"),
    case(lambda: seasonal_naive(X, "12"), TypeError, "period"),
    case(lambda: fit_ar("X", Y), TypeError, "X"),
    case(lambda: fit_ar(X, Y).predict("X"), TypeError, "X"),
    case(lambda: load_series(3), ValueError, "name", "sunspots"),
    case(lambda: fill_gaps("values"), TypeError, "values"),
    case(lambda: fill_gaps(None), TypeError, "values"),
    case(lambda: lag_dataset_skipping_gaps("v", 2), TypeError, "values"),
    case(lambda: lag_dataset_skipping_gaps(SERIES, "2"), TypeError, "lags"),
    case(lambda: block_means(SERIES, "values", 2), TypeError, "values"),
    case(lambda: block_means(SERIES, SERIES, "2"), TypeError, "size"),
    case(lambda: input_gradient_norms("RNN", X), TypeError, "model"),
    case(lambda: input_gradient_norms(RNN(1, 3), "X"), TypeError, "X"),
    case(lambda: parameter_gradient_norm(None, X, Y), TypeError, "model"),
    case(lambda: parameter_gradient_norm(RNN(1, 3), X, "Y"), TypeError, "Y"),
    case(
        lambda: recall_sensitivity("LSTM", RECALL.X_test, RECALL.marks_test),
        TypeError,
        "model",
    ),
    case(
        lambda: recall_sensitivity(LSTM(2, 3, D_out=1), RECALL.X_test, "m"),
        TypeError,
        "marks",
    ),
    case(lambda: rnn_gradient_bound(RNN(1, 3), "5"), TypeError, "lags"),
    case(lambda: largest_singular_value("W"), TypeError, "W"),
    case(lambda: set_largest_singular_value(RNN(1, 3), "2"), TypeError, "sigma_max"),
    case(lambda: set_largest_singular_value(RNN(1, 3), None), TypeError, "sigma_max"),
]

# Wrong values: names, shapes and axis order, D mismatch, NaN, bad numbers.
VALUES = [
    case(lambda: load_series("CO2"), ValueError, "name", "sunspots"),
    case(lambda: load_series("sunspot"), ValueError, "name", "co2"),
    case(lambda: fill_gaps(SERIES_NAN, how="mean"), ValueError, "how", "interpolate"),
    case(lambda: make_lag_dataset(np.zeros((3, 2, 2)), 1), ValueError, "series"),
    case(lambda: make_lag_dataset([[1.0, 2.0], [3.0]], 1), ValueError, "series"),
    case(lambda: split_in_time(X[0], Y, 2), ValueError, "X", r"\(L, N, D\)"),
    case(lambda: split_in_time(X, Y[:-1], 2), ValueError, "Y", r"\(N, D\)"),
    case(lambda: split_in_time(X_NLD, Y, 2), ValueError, "Y", r"\(N, D\)"),
    case(lambda: RNN(1, 3)(X[0]), ValueError, "X", r"\(L, N, D\)"),
    case(lambda: RNN(1, 3)(np.zeros((0, 3, 1))), ValueError, "X", r"\(L, N, D\)"),
    case(lambda: RNN(1, 3)(np.zeros((4, 0, 1))), ValueError, "X", r"\(L, N, D\)"),
    case(lambda: fit(RNN(1, 3), X, Y[:-1]), ValueError, "Y", r"\(N, D\)"),
    case(lambda: fit(RNN(1, 3), X, Y[:, 0]), ValueError, "Y", r"\(N, D\)"),
    case(lambda: fit(RNN(1, 3), X[0], Y), ValueError, "X", r"\(L, N, D\)"),
    case(
        lambda: fit(RNN(1, 3), X, Y, X_val=X, Y_val=Y[:-1]),
        ValueError,
        "Y_val",
        r"\(N, D\)",
    ),
    case(lambda: fit(RNN(1, 3), X, Y, optimizer="rmsprop"), ValueError, "optimizer"),
    case(lambda: fit(RNN(1, 3), X, Y, lr=-1.0), ValueError, "lr", "> 0"),
    case(lambda: fit(RNN(1, 3), X, Y, lr=0), ValueError, "lr"),
    case(lambda: fit(RNN(1, 3), X, Y, lr=float("nan")), ValueError, "lr"),
    case(lambda: fit(RNN(1, 3), X, Y, clip=0), ValueError, "clip"),
    case(lambda: fit(RNN(1, 3), X, Y, clip=-1.0), ValueError, "clip"),
    case(lambda: evaluate_mse(RNN(1, 3), X, Y[:-1]), ValueError, "Y", r"\(N, D\)"),
    case(lambda: evaluate_mse(RNN(1, 3), X, Y_NAN), ValueError, "Y", "finite"),
    case(lambda: mse(np.zeros((3, 1)), np.zeros(3)), ValueError, "Y", "same shape"),
    case(lambda: mse(np.zeros((3, 1)), np.zeros((1, 3))), ValueError, "Yhat"),
    case(lambda: free_run(persistence, X[:, 0, 0], 2), ValueError, "window", "(L, D)"),
    case(lambda: free_run(RNN(1, 3), np.zeros((4, 2)), 2), ValueError, "window"),
    case(
        lambda: free_run(RNN(2, 3, D_out=1), np.zeros((4, 2)), 2), ValueError, "D_out"
    ),
    case(lambda: persistence(SERIES), ValueError, "X", r"\(L, N, D\)"),
    case(lambda: seasonal_naive(X[0], 1), ValueError, "X", r"\(L, N, D\)"),
    case(lambda: fit_ar(X, Y[:-1]), ValueError, "Y", r"\(N, D\)"),
    case(lambda: fit_ar(X_NLD, Y), ValueError, "Y", r"\(N, D\)"),
    case(lambda: fit_ar(X, Y).predict(X[:3]), ValueError, "X", r"\(4, N, 1\)"),
    case(lambda: fit_ar(X, Y).predict(X_D2), ValueError, "X", r"\(4, N, 1\)"),
    case(lambda: fill_gaps(np.zeros((3, 2, 2))), ValueError, "values"),
    case(lambda: block_means(SERIES, np.zeros((3, 2, 2)), 1), ValueError, "values"),
    case(lambda: largest_singular_value([[np.nan]]), ValueError, "W", "finite"),
    case(lambda: set_largest_singular_value(RNN(1, 3), 0), ValueError, "sigma_max"),
    case(lambda: set_largest_singular_value(RNN(1, 3), -1.0), ValueError, "sigma_max"),
    case(
        lambda: set_largest_singular_value(RNN(1, 3), float("nan")),
        ValueError,
        "sigma_max",
    ),
]

# X with the wrong D for the model, wherever a model reads X.
WRONG_D = [
    case(lambda: RNN(1, 3)(X_D2), ValueError, "X", "D = 1", id="RNN(X)"),
    case(lambda: LSTM(1, 3)(X_D2), ValueError, "X", "D = 1", id="LSTM(X)"),
    case(lambda: LSTM(1, 3, fused=False)(X_D2), ValueError, "X", id="LSTM loop"),
    case(lambda: RNN(1, 3).states(X_D2), ValueError, "X", "D = 1", id="RNN states"),
    case(lambda: LSTM(1, 3).states(X_D2), ValueError, "X", id="LSTM states"),
    case(lambda: fit(RNN(1, 3), X_D2, Y), ValueError, "X", "D = 1", id="fit"),
    case(
        lambda: fit(RNN(1, 3), X, Y, X_val=X_D2, Y_val=Y),
        ValueError,
        "X_val",
        "D = 1",
        id="fit X_val",
    ),
    case(lambda: predict(LSTM(1, 3), X_D2), ValueError, "X", "D = 1", id="predict"),
    case(lambda: evaluate_mse(RNN(1, 3), X_D2, Y), ValueError, "X", id="evaluate"),
    case(
        lambda: input_gradient_norms(RNN(1, 3), X_D2),
        ValueError,
        "X",
        "D = 1",
        id="input_gradient_norms",
    ),
    case(
        lambda: parameter_gradient_norm(LSTM(1, 3), X_D2, Y),
        ValueError,
        "X",
        id="parameter_gradient_norm",
    ),
    case(
        lambda: recall_sensitivity(
            LSTM(2, 3, D_out=1), RECALL.X_test[..., :1], RECALL.marks_test
        ),
        ValueError,
        "X",
        "D = 2",
        id="recall_sensitivity",
    ),
]

# NaN or inf in data: refused, saying where.
NAN_DATA = [
    case(
        lambda: make_lag_dataset(SERIES_NAN, 2),
        ValueError,
        "series",
        r"index \(?11\b",
        id="lag",
    ),
    case(
        lambda: make_task(SERIES_NAN, 2),
        ValueError,
        "series",
        r"index \(?11\b",
        id="task",
    ),
    case(
        lambda: split_in_time(X_NAN, Y, 2),
        ValueError,
        "X",
        r"\(2, 5, 0\)",
        id="split",
    ),
    case(lambda: RNN(1, 3)(X_NAN), ValueError, "X", r"\(2, 5, 0\)", id="RNN(X)"),
    case(lambda: LSTM(1, 3)(X_NAN), ValueError, "X", r"\(2, 5, 0\)", id="LSTM(X)"),
    case(lambda: LSTM(1, 3).states(X_NAN), ValueError, "X", r"\(2, 5, 0\)", id="st"),
    case(lambda: fit(RNN(1, 3), X_NAN, Y), ValueError, "X", r"\(2, 5, 0\)", id="fit"),
    case(lambda: fit(RNN(1, 3), X, Y_NAN), ValueError, "Y", r"\(7, 0\)", id="fit Y"),
    case(
        lambda: fit(RNN(1, 3), X, Y, X_val=X_NAN, Y_val=Y),
        ValueError,
        "X_val",
        r"\(2, 5, 0\)",
        id="fit X_val",
    ),
    case(
        lambda: fit(RNN(1, 3), X, Y, X_val=X, Y_val=Y_NAN),
        ValueError,
        "Y_val",
        r"\(7, 0\)",
        id="fit Y_val",
    ),
    case(lambda: predict(RNN(1, 3), X_NAN), ValueError, "X", r"\(2, 5, 0\)", id="pr"),
    case(
        lambda: evaluate_mse(RNN(1, 3), X_NAN, Y),
        ValueError,
        "X",
        r"\(2, 5, 0\)",
        id="evaluate",
    ),
    case(
        lambda: free_run(persistence, [[1.0], [np.nan]], 2),
        ValueError,
        "window",
        r"\(1, 0\)",
        id="free_run",
    ),
    case(lambda: persistence(X_NAN), ValueError, "X", r"\(2, 5, 0\)", id="persist"),
    case(lambda: seasonal_naive(X_NAN, 2), ValueError, "X", "finite", id="seasonal"),
    case(lambda: fit_ar(X_NAN, Y), ValueError, "X", r"\(2, 5, 0\)", id="fit_ar"),
    case(lambda: fit_ar(X, Y_NAN), ValueError, "Y", r"\(7, 0\)", id="fit_ar Y"),
    case(
        lambda: fit_ar(X, Y).predict(X_NAN),
        ValueError,
        "X",
        r"\(2, 5, 0\)",
        id="AR.predict",
    ),
    case(
        lambda: input_gradient_norms(RNN(1, 3), X_NAN),
        ValueError,
        "X",
        r"\(2, 5, 0\)",
        id="input_gradient_norms",
    ),
    case(
        lambda: parameter_gradient_norm(RNN(1, 3), X, Y_NAN),
        ValueError,
        "Y",
        r"\(7, 0\)",
        id="parameter_gradient_norm",
    ),
    case(
        lambda: make_lag_dataset([0.0, np.inf, 1.0], 1),
        ValueError,
        "series",
        id="inf",
    ),
]

# A model whose training diverged (NaN weights), and a model with nothing to train.
BROKEN_MODELS = [
    case(lambda: predict(nan_model(), X), ValueError, "model", "NaN", id="predict"),
    case(lambda: predict(nan_model(LSTM), X), ValueError, "model", id="predict LSTM"),
    case(
        lambda: evaluate_mse(nan_model(), X, Y),
        ValueError,
        "model",
        "NaN",
        id="evaluate_mse",
    ),
    case(
        lambda: input_gradient_norms(nan_model(), X),
        ValueError,
        "model",
        "NaN",
        id="input_gradient_norms",
    ),
    case(
        lambda: parameter_gradient_norm(nan_model(LSTM), X, Y),
        ValueError,
        "model",
        id="parameter_gradient_norm",
    ),
    case(
        lambda: recall_sensitivity(
            nan_model(LSTM, D=2, D_out=1), RECALL.X_test, RECALL.marks_test
        ),
        ValueError,
        "model",
        id="recall_sensitivity",
    ),
    case(lambda: fit(nan_model(), X, Y), ValueError, "model", "NaN", id="fit"),
    case(
        lambda: free_run(nan_model(), X[:, 0], 2),
        ValueError,
        "model",
        id="free_run",
    ),
    case(
        lambda: parameter_gradient_norm(frozen(), X, Y),
        ValueError,
        "model",
        "trainable",
        id="frozen parameter_gradient_norm",
    ),
    case(
        lambda: parameter_gradient_norm(frozen(LSTM), X, Y),
        ValueError,
        "model",
        "trainable",
        id="frozen LSTM",
    ),
    case(
        lambda: fit(frozen(), X, Y, steps=2),
        ValueError,
        "model",
        "trainable",
        id="frozen fit",
    ),
]


def check_refused(call, error, name, phrase):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    if name is not None:
        assert re.search(names(name), message), f"does not name {name}: {message}"
    if phrase is not None:
        assert re.search(phrase, message), f"does not say {phrase!r}: {message}"


@pytest.mark.parametrize("call, error, name, phrase", COUNTS)
def test_every_count_refuses_a_fraction(call, error, name, phrase):
    check_refused(call, error, name, phrase or "whole")


@pytest.mark.parametrize("call, error, name, phrase", RANGES)
def test_counts_out_of_range_and_too_few_samples(call, error, name, phrase):
    check_refused(call, error, name, phrase)


@pytest.mark.parametrize("call, error, name, phrase", KINDS)
def test_wrong_kinds_of_value_are_type_errors(call, error, name, phrase):
    check_refused(call, error, name, phrase)


@pytest.mark.parametrize("call, error, name, phrase", VALUES)
def test_wrong_values_are_value_errors(call, error, name, phrase):
    check_refused(call, error, name, phrase)


@pytest.mark.parametrize("call, error, name, phrase", WRONG_D)
def test_X_with_the_wrong_D_for_the_model(call, error, name, phrase):
    check_refused(call, error, name, phrase)


@pytest.mark.parametrize("call, error, name, phrase", NAN_DATA)
def test_nan_data_is_refused_saying_where(call, error, name, phrase):
    check_refused(call, error, name, phrase or "finite")


@pytest.mark.parametrize("call, error, name, phrase", BROKEN_MODELS)
def test_broken_models_are_refused(call, error, name, phrase):
    check_refused(call, error, name, phrase)


@pytest.mark.parametrize("fn", [fit, evaluate_mse, parameter_gradient_norm])
def test_samples_first_X_is_refused_with_a_hint(fn):
    # (N, L, D) with D = 1 is a valid-looking X; only Y's N = 26 gives it away
    with pytest.raises(ValueError, match=r"(?s)\bY\b.*\(N, L, D\).*lags first"):
        fn(RNN(1, 3), X_NLD, Y)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"steps": 2.5},
        {"lr": -1.0},
        {"optimizer": "rmsprop"},
        {"clip": 0},
        {"X_val": X, "Y_val": Y[:-1]},
        {"X_val": X, "Y_val": Y, "patience": 0},
        {"X_val": X_NAN, "Y_val": Y},
    ],
)
def test_fit_refuses_before_any_work(kwargs):
    model = RNN(1, 3, seed=0)
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises((ValueError, TypeError)):
        fit(model, X, Y, **kwargs)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_a_refused_sigma_leaves_W_alone():
    m = RNN(1, 4, seed=0)
    W = m.W.detach().clone()
    with pytest.raises(ValueError, match=names("sigma_max")):
        set_largest_singular_value(m, -1.0)
    assert torch.equal(m.W, W)


# ---- no over-refusal: good input in its usual forms passes with the right result


def test_numpy_integer_counts_are_accepted_everywhere():
    i = np.int64
    Xl, Yl = make_lag_dataset(SERIES, i(4))
    np.testing.assert_array_equal(Xl, X)
    np.testing.assert_array_equal(Yl, Y)
    assert make_task(SERIES, i(4)).lags == 4
    assert sine_task(i(3), n_points=i(50)).X_train.shape[0] == 3
    assert len(sine_series(n_points=i(20))[0]) == 20
    assert recall_task(i(6), n_train=5, n_test=4).X_train.shape == (6, 5, 2)
    sizes = [len(b[1]) for b in split_in_time(X, Y, i(5), i(3))]
    assert sizes == [18, 5, 3]
    m = RNN(i(1), i(3), seed=i(0), D_out=i(1))
    assert (m.D, m.q) == (1, 3) and torch.equal(m.W, RNN(1, 3, seed=0).W)
    assert LSTM(i(2), np.int32(3)).q == 3
    assert len(fit(RNN(1, 2), X, Y, optimizer="adam", steps=i(3))) == 3
    res = fit(
        RNN(1, 2), X, Y, optimizer="adam", steps=5, X_val=X, Y_val=Y, patience=i(2)
    )
    assert len(res.val) >= 1
    assert free_run(persistence, X[:, 0], i(3)).shape == (3, 1)
    np.testing.assert_array_equal(seasonal_naive(X, i(4)), X[0])
    assert lag_dataset_skipping_gaps(SERIES_NAN, i(2))[0].shape[0] == 2
    assert len(block_means(SERIES, SERIES, i(10))[1]) == 3
    assert rnn_gradient_bound(RNN(1, 3), i(5)).shape == (5,)


def test_good_input_in_common_forms_passes():
    m = RNN(1, 3, seed=0)
    ref = predict(m, X)
    # lists, float32 arrays and tensors (also ones that need a gradient)
    for form in (
        X.tolist(),
        X.astype(np.float32),
        torch.tensor(X),
        torch.tensor(X, requires_grad=True),
    ):
        np.testing.assert_allclose(predict(m, form), ref, rtol=1e-6)
        assert evaluate_mse(m, form, Y.tolist()) == pytest.approx(
            np.mean((ref - Y) ** 2), rel=1e-5
        )
    # an integer series, a (T, 1) column, a list
    np.testing.assert_array_equal(make_lag_dataset(np.arange(5), 2)[1][:, 0], [2, 3, 4])
    np.testing.assert_array_equal(make_lag_dataset(SERIES[:, None], 4)[0], X)
    np.testing.assert_array_equal(make_lag_dataset(list(SERIES), 4)[0], X)
    # NaN is fine where gaps are expected
    assert np.isfinite(fill_gaps(SERIES_NAN)).all()
    assert np.isnan(block_means(SERIES, SERIES_NAN, 10)[1]).sum() == 0
    # a frozen model still has input gradients (nothing to train is not needed)
    assert input_gradient_norms(frozen(), X).shape == (4,)
    # models with their own output size
    assert predict(LSTM(2, 3, D_out=1), RECALL.X_test).shape == (5, 1)
    # a learner's function as forecast
    assert free_run(lambda X: X.mean(axis=0), [[1.0], [3.0]], 2)[0, 0] == 2.0
    # AR with more lags than needed, and L = 1
    assert fit_ar(X, Y).A.shape == (4, 1, 1)
    assert AR(np.ones((1, 1, 1)), np.zeros(1)).predict(X[-1:]).shape == (26, 1)


# ---- mistakes the first port of the core let through (now refused)


def test_recall_task_refuses_a_fractional_n_train():
    # today numpy's TypeError "'float' object cannot be interpreted as an integer"
    with pytest.raises(ValueError, match=names("n_train")):
        recall_task(6, n_train=2.5)


def test_recall_task_refuses_a_fractional_n_test():
    with pytest.raises(ValueError, match=names("n_test")):
        recall_task(6, n_test=2.5)


def test_recall_task_refuses_no_training_samples():
    # today an empty training set (6, 0, 2) comes back silently
    with pytest.raises(ValueError, match=names("n_train")):
        recall_task(6, n_train=0)


@pytest.mark.parametrize(
    "call",
    [lambda: sine_task(3, noise=0.1, seed=2.5), lambda: recall_task(6, seed=2.5)],
)
def test_a_fractional_seed_is_refused_by_name(call):
    # today numpy's "SeedSequence expects int or sequence of ints"
    with pytest.raises(ValueError, match=names("seed")):
        call()


@pytest.mark.parametrize("noise", ["0.1", -0.1])
def test_sine_task_refuses_a_bad_noise(noise):
    # "0.1": a TypeError from `noise > 0` that does not name noise; -0.1: silently
    # no noise at all
    with pytest.raises((TypeError, ValueError), match=names("noise")):
        sine_task(3, noise=noise)


@pytest.mark.parametrize("fraction", [80, 1.0, 0.0])
def test_make_task_names_a_bad_train_fraction(fraction):
    # 80 (meant as percent) is refused as "block size must be >= 1, got -N"
    with pytest.raises(ValueError, match=names("train_fraction")):
        make_task(SERIES, 4, train_fraction=fraction)


def test_make_task_refuses_times_of_another_length():
    # today accepted: t_train and t_test no longer line up with the targets
    with pytest.raises(ValueError, match=names("t")):
        make_task(SERIES, 4, t=np.arange(29.0))


def test_block_means_refuses_times_of_another_length():
    # today (t_blocks, means) of different lengths come back silently
    with pytest.raises(ValueError, match=names("t")):
        block_means(np.arange(20.0), SERIES, 10)


@pytest.mark.parametrize("fn", [predict, lambda m, X: m(X)])
def test_a_reversed_view_is_valid_model_input(fn):
    # X[::-1] (the lags newest first) is a valid array; today torch.from_numpy
    # refuses it: "At least one stride in the given numpy array is negative"
    m = RNN(1, 3, seed=0)
    out = fn(m, X[::-1])
    np.testing.assert_allclose(
        np.asarray(out.detach() if torch.is_tensor(out) else out),
        predict(m, X[::-1].copy()),
        rtol=1e-6,
    )


def test_evaluate_mse_accepts_a_target_tensor_that_needs_a_gradient():
    # today RuntimeError "Can't call numpy() on Tensor that requires grad"
    m = RNN(1, 3, seed=0)
    got = evaluate_mse(m, X, torch.tensor(Y, requires_grad=True))
    assert got == pytest.approx(evaluate_mse(m, X, Y), rel=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda: rnn_gradient_bound(LSTM(1, 3), 5),
        lambda: rnn_gradient_bound("rnn", 5),
        lambda: set_largest_singular_value(LSTM(1, 3), 1.0),
    ],
)
def test_rnn_only_functions_refuse_other_models_by_name(call):
    # today AttributeError: 'LSTM' object has no attribute 'U' (or 'W')
    with pytest.raises(TypeError, match=names("rnn")):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: fill_gaps(np.stack([SERIES_NAN, SERIES_NAN + 1])),
        lambda: fill_gaps(np.stack([SERIES_NAN, SERIES_NAN + 1], axis=1)),
        lambda: block_means(np.arange(2.0), np.stack([SERIES, SERIES]), 1),
    ],
)
def test_series_functions_refuse_several_columns(call):
    # e.g. fill_gaps(load_series("co2")): the (t, values) pair is read as a series of
    # T = 2 points with 2284 columns, and today 2 numbers come back silently
    with pytest.raises(ValueError, match=names("values")):
        call()


def test_mse_of_a_forecast_function_that_returned_nothing():
    # a learner's forecast that forgot `return`; today torch's RuntimeError "Could
    # not infer dtype of NoneType"
    with pytest.raises(TypeError, match=names("Yhat")):
        mse(None, Y)


def test_fit_refuses_text_for_target_loss_by_name():
    # today a TypeError from `loss < "0.1"` inside the first evaluation
    with pytest.raises(TypeError, match=names("target_loss")):
        fit(RNN(1, 3), X, Y, steps=2, target_loss="0.1")


def test_patience_without_a_validation_set_is_refused():
    # the learner asks for early stopping but gets none, silently
    with pytest.raises((TypeError, ValueError), match=names("patience")):
        fit(RNN(1, 3), X, Y, optimizer="adam", steps=3, patience=5)


@pytest.mark.parametrize(
    "call", [lambda: split_in_time(X, None, 2), lambda: fit_ar(X, None)]
)
def test_none_for_Y_is_refused_by_name(call):
    # today "ValueError: too many values to unpack (expected 2)", naming nothing
    with pytest.raises(TypeError, match=names("Y")):
        call()
