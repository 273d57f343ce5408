"""fit with a validation set: best weights kept, early stopping, clear errors, and no
change at all to training without one."""

import numpy as np
import pytest
import torch

from helpers.data import sine_task
from helpers.models import RNN
from helpers.train import DEFAULT_PATIENCE, FitHistory, evaluate_mse, fit

OPTIMIZERS = [("lbfgs", None), ("adam", None), ("sgd", 0.1)]
# The first and last losses of fit(RNN(1, 4, seed=3).double(), sine_task(5), steps=30),
# recorded from fit before validation sets existed: the default must not move.
BEFORE = {
    "lbfgs": (32, [0.321637900683, 0.150977576724, 7.1776592774e-05]),
    "adam": (30, [0.321637900683, 0.297490273342, 0.0167284446005]),
    "sgd": (30, [0.321637900683, 0.280985555323, 0.0186570982374]),
}


def _weights(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


@pytest.mark.parametrize("optimizer, lr", OPTIMIZERS)
def test_without_validation_fit_is_unchanged(optimizer, lr):
    task = sine_task(5)
    history = fit(
        RNN(1, 4, seed=3).double(),
        task.X_train,
        task.Y_train,
        optimizer=optimizer,
        lr=lr,
        steps=30,
    )
    assert type(history) is list
    n, picked = BEFORE[optimizer]
    assert len(history) == n
    np.testing.assert_allclose([history[0], history[1], history[-1]], picked, rtol=1e-7)
    # the validation set only watches: the training losses are the same evaluations
    watched = fit(
        RNN(1, 4, seed=3).double(),
        task.X_train,
        task.Y_train,
        optimizer=optimizer,
        lr=lr,
        steps=30,
        X_val=task.X_test,
        Y_val=task.Y_test,
        patience=1000,
    )
    assert isinstance(watched, FitHistory) and watched.train == history
    assert len(watched.val) == len(watched.train) and not watched.stopped_early


def _rising_task():
    """Training targets +1, validation targets -1: the better the model fits the training
    set, the worse it does on validation, so the validation loss rises from the start."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 40, 1))
    return X, np.ones((40, 1)), X[:, :20], -np.ones((20, 1))


@pytest.mark.parametrize("optimizer, lr", OPTIMIZERS)
def test_rising_validation_stops_early_and_restores_the_first_weights(optimizer, lr):
    X, Y, X_val, Y_val = _rising_task()
    model = RNN(1, 4, seed=0).double()
    start = _weights(model)
    start_val = evaluate_mse(model, X_val, Y_val)
    res = fit(
        model,
        X,
        Y,
        optimizer=optimizer,
        lr=lr,
        steps=500,
        X_val=X_val,
        Y_val=Y_val,
        patience=7,
    )
    assert res.stopped_early and res.best_step == 1
    # the best one, then 7 without a gain
    assert len(res.train) == len(res.val) == 1 + 7
    assert res.val[-1] > res.val[0] and res.train[-1] < res.train[0]
    for k, v in _weights(model).items():  # the model is back at its first weights
        torch.testing.assert_close(v, start[k], rtol=0, atol=0)
    assert evaluate_mse(model, X_val, Y_val) == pytest.approx(start_val, rel=1e-12)


def test_best_weights_in_the_middle_are_restored():
    """Training targets 2 y, validation targets y: on its way from ~0 to 2 y the model's
    output passes y, so the validation loss falls, then rises."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 60, 1))
    y = X[-1] * 0.5  # a target the model reaches easily from the newest lag
    model = RNN(1, 4, seed=0).double()
    res = fit(
        model,
        X,
        2 * y,
        optimizer="adam",
        lr=1e-2,
        steps=3000,
        X_val=X,
        Y_val=y,
        patience=30,
    )
    assert 1 < res.best_step < len(res.val) and res.stopped_early
    assert res.best_val == min(res.val) < res.val[0] and res.val[-1] > res.best_val
    # the model holds the weights whose validation loss was the best one seen
    assert evaluate_mse(model, X, y) == pytest.approx(res.best_val, rel=1e-9)
    # not the last training weights
    assert evaluate_mse(model, X, 2 * y) > min(res.train)


def test_the_budget_can_end_training_before_patience():
    task = sine_task(5)
    res = fit(
        RNN(1, 4, seed=0),
        task.X_train,
        task.Y_train,
        optimizer="adam",
        steps=50,
        X_val=task.X_test,
        Y_val=task.Y_test,
    )
    assert len(res.train) == 50 and not res.stopped_early and res.best_step == 50


def test_validation_arguments_are_checked_before_any_work():
    task = sine_task(3)
    X, Y, Xv, Yv = task.X_train, task.Y_train, task.X_test, task.Y_test
    model = RNN(1, 4, seed=0)
    start = _weights(model)
    bad = [
        ({"X_val": Xv}, "X_val was given without Y_val"),
        ({"Y_val": Yv}, "Y_val was given without X_val"),
        ({"patience": 5}, "patience needs a validation set"),
        ({"X_val": Xv, "Y_val": Yv, "patience": 0}, "patience must be an integer"),
        (
            {"X_val": Xv, "Y_val": Yv, "patience": 2.5},
            "patience must be an integer",
        ),
        (
            {"X_val": Xv, "Y_val": Yv, "patience": True},
            "patience must be an integer",
        ),
        ({"X_val": Xv, "Y_val": Yv[:-1]}, "X_val .* and Y_val .* must agree on N"),
        ({"X_val": Xv[:, :, 0], "Y_val": Yv}, "X_val must be 3-D"),
        ({"X_val": Xv, "Y_val": Yv[:, 0]}, "Y_val must be 2-D"),
        ({"X_val": Xv[:2], "Y_val": Yv}, "X_val must have as many lags as X: L = 3"),
        ({"X_val": np.full_like(Xv, np.nan), "Y_val": Yv}, "X_val contains NaN"),
        ({"X_val": Xv, "Y_val": np.concatenate([Yv, Yv], 1)}, "Y_val has 2 columns"),
    ]
    for kwargs, words in bad:
        with pytest.raises((ValueError, TypeError), match=words):
            fit(model, X, Y, **kwargs)
    for k, v in _weights(model).items():  # refused before any step
        assert torch.equal(v, start[k])
    assert DEFAULT_PATIENCE >= 1
