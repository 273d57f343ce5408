"""fit with a validation set: best weights kept, early stopping, and the training
itself unchanged by watching.  Bad validation arguments: test_boundary.py."""

import numpy as np
import pytest
import torch

from helpers.data import sine_task
from helpers.models import RNN
from helpers.train import DEFAULT_PATIENCE, FitHistory, evaluate_mse, fit

OPTIMIZERS = [("lbfgs", None), ("adam", None), ("sgd", 0.1)]


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
    # the budget counts evaluations; L-BFGS may finish its last chunk of line search
    assert 2 <= len(history) and (optimizer == "lbfgs" or len(history) == 30)
    assert history[-1] < history[0]
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
    """Training targets +1, validation targets -1: the better the model fits the
    training set, the worse it does on validation, so the validation loss rises from
    the start."""
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
    # the model is back at its first weights
    for k, v in _weights(model).items():
        torch.testing.assert_close(v, start[k], rtol=0, atol=0)
    assert evaluate_mse(model, X_val, Y_val) == pytest.approx(start_val, rel=1e-12)


def test_best_weights_in_the_middle_are_restored():
    """Training targets 2 y, validation targets y: on its way from ~0 to 2 y the model's
    output passes y, so the validation loss falls, then rises."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 60, 1))
    # a target the model reaches easily from the newest lag
    y = X[-1] * 0.5
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


def test_patience_one_stops_at_the_first_evaluation_without_a_gain():
    X, Y, X_val, Y_val = _rising_task()
    res = fit(
        RNN(1, 4, seed=0).double(),
        X,
        Y,
        optimizer="adam",
        steps=100,
        X_val=X_val,
        Y_val=Y_val,
        patience=np.int64(1),
    )
    assert res.stopped_early and res.best_step == 1 and len(res.val) == 2
    assert DEFAULT_PATIENCE >= 1
