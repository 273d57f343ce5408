import math

import numpy as np
import pytest
import torch

from helpers.data import sine_task
from helpers.models import LSTM, RNN
from helpers.train import TrainingDiverged, evaluate_mse, fit, free_run, mse, predict

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
    # trained in place: the training loss now is (close to) the lowest one the history saw
    final = mse(
        model(torch.as_tensor(task.X_train, dtype=torch.float32)),
        torch.as_tensor(task.Y_train, dtype=torch.float32),
    ).item()
    assert final <= min(history) * 1.01 + 1e-12 and final < history[0] / 100


def test_one_lag_stops_at_the_floor():
    # From one lag a sine's direction is unknown: best test MSE sin^2(0.1) * mean(1 - y^2) ~ 4.8e-3.
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


def test_callback_sees_every_step_and_can_stop_training():
    task = sine_task(4, n_points=200)
    seen = []
    history = fit(
        RNN(1, 4),
        task.X_train,
        task.Y_train,
        callback=lambda step, loss: seen.append((step, loss)) or step == 7,
    )
    assert [s for s, _ in seen] == list(range(1, 8)) and len(history) == 7
    assert [v for _, v in seen] == history


def test_divergence_is_reported_not_returned():
    task = sine_task(4, n_points=200)
    with pytest.raises(
        TrainingDiverged, match="diverged at step .* loss became (nan|inf)"
    ):
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


@pytest.mark.parametrize(
    "X_shape, Y_shape, words",
    [
        ((3, 10, 1), (9, 1), "must agree on N"),
        ((3, 10, 1), (10, 2), "must agree on D"),
        ((10, 1), (10, 1), "X must be 3-D"),
        ((3, 10, 1), (10,), "Y must be 2-D"),
        ((3, 10, 2), (10, 2), "state dim D = 2 differs from the model's D = 1"),
    ],
)
def test_mismatched_shapes(X_shape, Y_shape, words):
    with pytest.raises(ValueError, match=words):
        fit(RNN(1, 2), np.zeros(X_shape), np.zeros(Y_shape))


@pytest.mark.parametrize(
    "Y_shape, words", [((9, 1), "must agree on N"), ((10, 2), "must agree on D")]
)
def test_evaluate_mse_refuses_mismatched_data_with_fits_errors(Y_shape, words):
    with pytest.raises(ValueError, match=words):
        evaluate_mse(LSTM(1, 2), np.zeros((3, 10, 1)), np.zeros(Y_shape))


def test_a_model_that_is_not_a_module_is_named():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module .* got str"):
        fit("RNN", np.zeros((2, 5, 1)), np.zeros((5, 1)))


def test_non_finite_data_and_bad_arguments():
    X, Y = np.zeros((2, 5, 1)), np.zeros((5, 1))
    Xn = X.copy()
    Xn[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN or inf"):
        fit(RNN(1, 2), Xn, Y)
    with pytest.raises(ValueError, match="Y contains NaN or inf"):
        fit(RNN(1, 2), X, Y + np.inf)
    with pytest.raises(ValueError, match="optimizer must be"):
        fit(RNN(1, 2), X, Y, optimizer="rmsprop")
    with pytest.raises(ValueError, match="steps must be an integer >= 1, got 0"):
        fit(RNN(1, 2), X, Y, steps=0)
    with pytest.raises(ValueError, match="lr must be a positive number"):
        fit(RNN(1, 2), X, Y, lr=-1)
    with pytest.raises(ValueError, match="needs a learning rate"):
        fit(RNN(1, 2), X, Y, optimizer="sgd")


def test_free_run_feeds_predictions_back():
    model = RNN(1, 3, seed=4)
    window = np.array([[0.1], [0.2], [0.3]])  # (L, D), oldest first
    out = free_run(model, window, 3)
    # by hand: each new prediction joins the window, the oldest value leaves
    p1 = predict(model, window[:, None, :])[0]
    w2 = np.array([window[1], window[2], p1])
    p2 = predict(model, w2[:, None, :])[0]
    w3 = np.array([window[2], p1, p2])
    p3 = predict(model, w3[:, None, :])[0]
    np.testing.assert_allclose(out, [p1, p2, p3], rtol=1e-6)
    with pytest.raises(ValueError, match="window must be"):
        free_run(model, np.zeros(3), 2)


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
