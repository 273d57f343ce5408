import math

import numpy as np
import pytest
import torch

from helpers.baselines import persistence
from helpers.data import sine_task
from helpers.models import LSTM, RNN
from helpers.train import (
    FitHistory,
    TrainingDiverged,
    evaluate_mse,
    fit,
    free_run,
    mse,
    predict,
)

GOOD = 1e-3


@pytest.mark.parametrize("L", [2, 10])
@pytest.mark.parametrize("q", [4, 16])
@pytest.mark.parametrize("seed", [0, 1])
def test_default_fit_learns_the_sine(L, q, seed):
    task = sine_task(L)
    model = RNN(1, q, seed=seed)
    before = evaluate_mse(model, task.X_test, task.Y_test)
    history = fit(model, task.X_train, task.Y_train)
    after = evaluate_mse(model, task.X_test, task.Y_test)
    assert all(math.isfinite(v) for v in history)
    assert after <= GOOD < before
    # trained in place: the training loss now is (close to) the lowest one the
    # history saw
    final = mse(
        model(torch.as_tensor(task.X_train, dtype=torch.float32)),
        torch.as_tensor(task.Y_train, dtype=torch.float32),
    ).item()
    assert final <= min(history) * 1.01 + 1e-12 and final < history[0] / 100


def test_one_lag_stops_at_the_floor():
    # From one lag a sine's direction is unknown: best test MSE
    # sin^2(0.1) * mean(1 - y^2) ~ 4.8e-3.
    task = sine_task(1)
    model = RNN(1, 8)
    fit(model, task.X_train, task.Y_train)
    floor = np.mean(np.sin(0.1) ** 2 * (1 - task.X_test[0, :, 0] ** 2))
    assert floor * 0.98 < evaluate_mse(model, task.X_test, task.Y_test) < floor * 1.2


def test_tensors_and_arrays_give_the_same_training():
    task = sine_task(3, n_points=120)
    a, b = RNN(1, 4, seed=2), RNN(1, 4, seed=2)
    ha = fit(a, task.X_train, task.Y_train, steps=20)
    hb = fit(b, torch.tensor(task.X_train), torch.tensor(task.Y_train), steps=20)
    assert ha == hb
    assert torch.equal(a.W, b.W)


def test_adam_and_target_loss():
    task = sine_task(4, n_points=200)
    model = LSTM(1, 4)
    history = fit(
        model,
        task.X_train,
        task.Y_train,
        optimizer="adam",
        steps=3000,
        target_loss=1e-2,
    )
    assert history[-1] < 1e-2 and len(history) < 3000


def test_divergence_is_reported_not_returned():
    task = sine_task(4, n_points=200)
    with pytest.raises(TrainingDiverged, match="diverged"):
        fit(
            RNN(1, 8),
            task.X_train * 1e3,
            task.Y_train * 1e3,
            optimizer="sgd",
            lr=10.0,
            steps=50,
        )


def test_clipping_bounds_the_update():
    task = sine_task(4, n_points=200)
    model = RNN(1, 8)
    W0 = model.W.detach().clone()
    fit(
        model,
        task.X_train * 1e3,
        task.Y_train * 1e3,
        optimizer="sgd",
        lr=0.1,
        steps=1,
        clip=1.0,
    )
    # one SGD step of a gradient clipped to norm 1
    assert (model.W - W0).norm() <= 0.1 * 1.0 + 1e-6


def test_free_run_feeds_predictions_back():
    model = RNN(1, 3, seed=4)
    # (L, D), oldest first
    window = np.array([[0.1], [0.2], [0.3]])
    out = free_run(model, window, 3)
    # by hand: each new prediction joins the window, the oldest value leaves
    p1 = predict(model, window[:, None, :])[0]
    w2 = np.array([window[1], window[2], p1])
    p2 = predict(model, w2[:, None, :])[0]
    w3 = np.array([window[2], p1, p2])
    p3 = predict(model, w3[:, None, :])[0]
    assert out.shape == (3, 1)
    np.testing.assert_allclose(out, [p1, p2, p3], rtol=1e-6)
    # a function X -> Yhat that wraps the model gives the same path
    np.testing.assert_array_equal(free_run(lambda X: predict(model, X), window, 3), out)


@pytest.mark.parametrize("cell", [RNN, LSTM])
def test_free_run_of_a_model_is_a_hand_loop_of_predict(cell):
    model = cell(2, 4, seed=1).double()
    window = np.random.default_rng(0).normal(size=(5, 2))
    out = free_run(model, window, 6)
    lags = list(window)
    for k in range(6):
        X = np.stack(lags[-5:])[:, None, :]
        step = predict(model, X)[0]
        np.testing.assert_allclose(out[k], step, rtol=1e-12, atol=1e-14)
        lags.append(step)
    # the window is not touched
    np.testing.assert_array_equal(window, np.random.default_rng(0).normal(size=(5, 2)))


def test_free_run_of_persistence_is_constant():
    window = np.array([[1.0, -2.0], [3.0, 0.5], [4.0, 7.0]])
    out = free_run(persistence, window, 5)
    np.testing.assert_array_equal(out, np.tile(window[-1], (5, 1)))
    # and from a list, with a numpy count
    np.testing.assert_array_equal(
        free_run(persistence, [[1.0], [2.0]], np.int64(3))[:, 0], [2, 2, 2]
    )


def test_divergence_keeps_the_history_for_plotting():
    task = sine_task(4, n_points=200)
    with pytest.raises(TrainingDiverged) as info:
        fit(
            RNN(1, 8),
            task.X_train * 1e3,
            task.Y_train * 1e3,
            optimizer="sgd",
            lr=10.0,
            steps=50,
        )
    assert len(info.value.history) >= 2 and not math.isfinite(info.value.history[-1])


def test_mse_is_the_mean_of_squared_errors():
    Yhat = np.array([[1.0, 2.0], [3.0, 5.0]])
    Y = np.array([[0.0, 2.0], [3.0, 3.0]])
    # (1 + 0 + 0 + 4) / 4
    assert float(mse(Yhat, Y)) == 1.25
    assert float(mse(torch.tensor(Yhat), Y.tolist())) == 1.25
    Yt = torch.tensor(Yhat, requires_grad=True)
    mse(Yt, Y).backward()
    # d/dYhat mean((Yhat - Y)^2) = 2 (Yhat - Y) / 4
    np.testing.assert_allclose(Yt.grad.numpy(), (Yhat - Y) / 2)


def test_predict_and_evaluate_mse_against_the_model_by_hand():
    task = sine_task(3, n_points=60)
    m = LSTM(1, 4, seed=2)
    with torch.no_grad():
        by_hand = m(torch.tensor(task.X_test, dtype=torch.float32)).double().numpy()
    yhat = predict(m, task.X_test)
    assert yhat.dtype == np.float64 and yhat.shape == task.Y_test.shape
    np.testing.assert_array_equal(yhat, by_hand)
    np.testing.assert_allclose(
        evaluate_mse(m, task.X_test, task.Y_test),
        np.mean((by_hand - task.Y_test) ** 2),
        rtol=1e-12,
    )
    # lists and tensors give the same numbers
    np.testing.assert_array_equal(predict(m, task.X_test.tolist()), yhat)
    np.testing.assert_array_equal(predict(m, torch.tensor(task.X_test)), yhat)


def test_fit_with_a_validation_set_returns_a_fit_history():
    task = sine_task(3, n_points=100)
    res = fit(
        RNN(1, 4),
        task.X_train,
        task.Y_train,
        optimizer="adam",
        steps=10,
        X_val=task.X_test,
        Y_val=task.Y_test,
    )
    assert isinstance(res, FitHistory) and len(res.train) == len(res.val) == 10
