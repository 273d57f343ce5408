"""Training by the lecture's loss, the mean squared error, and forecasting.

Shape letters: L lags, N samples, D state dim.  X: (L, N, D), Y: (N, D).
"""

import math
from dataclasses import dataclass

import numpy as np
import torch

from . import checks
from .baselines import AR

# Full-batch L-BFGS with a strong-Wolfe line search: on the sine task it reaches test
# MSE 1e-4 in 20-40 evaluations, 5-10x sooner than Adam at lr 1e-2, and it was the
# only optimiser tried that never failed for q >= 4, L <= 20.
DEFAULT_OPTIMIZER = "lbfgs"
# A step is one evaluation of the loss and its gradient (one forward + backward pass).
DEFAULT_STEPS = {"lbfgs": 200, "adam": 2000, "sgd": 2000}
DEFAULT_LR = {"lbfgs": 1.0, "adam": 1e-2}
# Past steps L-BFGS keeps to approximate the curvature.
LBFGS_HISTORY = 20
# L-BFGS iterations per optimizer.step() call; between calls fit checks the budget.
# (torch's L-BFGS stalls when called with max_iter=1.)
LBFGS_CHUNK = 5
# Evaluations without a new best validation loss before fit stops (with X_val given).
DEFAULT_PATIENCE = 20


def mse(Yhat, Y):
    """The lecture's loss: the mean over the N samples (and D) of the squared error.

    Yhat, Y: (N, D) tensors or arrays of the same shape; returns a 0-d tensor.
    """
    Yhat, Y = checks.mse_pair(Yhat, Y)
    return ((Yhat - Y) ** 2).mean()


def make_optimizer(name, params, lr=None):
    """A torch optimizer by name: "lbfgs", "adam" or "sgd" (sgd needs lr)."""
    lr = DEFAULT_LR.get(name) if lr is None else lr
    if name == "lbfgs":
        return torch.optim.LBFGS(
            params,
            lr=lr,
            max_iter=LBFGS_CHUNK,
            history_size=LBFGS_HISTORY,
            line_search_fn="strong_wolfe",
        )
    if name == "adam":
        # fused: one kernel updates all tensors, where the default loops over them
        return torch.optim.Adam(params, lr=lr, fused=True)
    return torch.optim.SGD(params, lr=lr)


class TrainingDiverged(FloatingPointError):
    """The loss or the weights became NaN or inf; .history holds the losses so far."""

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


class Stop(Exception):
    """Raised inside the loss evaluation to end training at once."""


@dataclass
class FitHistory:
    """What fit returns when given a validation set (without one: a plain list).

    train, val: the training and validation loss at every evaluation.
    best_step: the evaluation (1-based) with the lowest validation loss; the model
    holds its weights when fit returns.  stopped_early: True when fit stopped because
    val had not improved for `patience` evaluations.
    """

    train: list
    val: list
    best_step: int
    stopped_early: bool

    @property
    def best_val(self):
        """The lowest validation loss, the one of the weights fit kept."""
        return self.val[self.best_step - 1]


class EarlyStopping:
    """Watch the validation loss after each evaluation; keep the best weights."""

    def __init__(self, model, X_val, Y_val, patience):
        self.model, self.X_val, self.Y_val = model, X_val, Y_val
        self.patience = patience
        self.val, self.best, self.best_step, self.weights = [], math.inf, 0, None
        self.stopped = False

    def update(self, step):
        """Record the validation loss at evaluation `step`; raise Stop when stale."""
        with torch.no_grad():
            value = mse(self.model(self.X_val), self.Y_val).item()
        self.val.append(value)
        if value < self.best:
            state = self.model.state_dict()
            self.weights = {k: v.detach().clone() for k, v in state.items()}
            self.best, self.best_step = value, step
        elif step - self.best_step >= self.patience:
            self.stopped = True
            raise Stop

    def restore(self, history):
        """Put the best weights back into the model; return the FitHistory."""
        self.model.load_state_dict(self.weights)
        return FitHistory(history, self.val, self.best_step, self.stopped)


def fit(
    model,
    X,
    Y,
    optimizer=DEFAULT_OPTIMIZER,
    steps=None,
    lr=None,
    clip=None,
    target_loss=None,
    X_val=None,
    Y_val=None,
    patience=None,
):
    """Minimise the loss mean((model(X) - Y)**2) over the full batch, in place.

    X: (L, N, D), Y: (N, D).  optimizer: "lbfgs", "adam" or "sgd" (with lr).
    steps: the budget of loss evaluations (DEFAULT_STEPS); L-BFGS checks it between
    calls of LBFGS_CHUNK iterations, so it may run a few evaluations past it.
    clip: clip the gradient's norm to this (against exploding gradients).
    target_loss: stop once the training loss is below it.
    With X_val, Y_val: also track the validation loss, stop after `patience`
    evaluations without a new best (DEFAULT_PATIENCE), keep the best weights and
    return a FitHistory.
    Returns the training loss at every evaluation.  Raises TrainingDiverged.
    """
    X, Y = checks.model_data(model, X, Y)
    optimizer, steps, lr, clip, target_loss = checks.fit_settings(
        optimizer, steps, lr, clip, target_loss, DEFAULT_STEPS
    )
    validation = checks.validation(model, X_val, Y_val, patience, DEFAULT_PATIENCE)
    watch = None if validation is None else EarlyStopping(model, *validation)
    params = checks.trainable(model)
    opt = make_optimizer(optimizer, params, lr)
    history = []

    def closure():
        opt.zero_grad()
        loss = mse(model(X), Y)
        history.append(loss.item())
        if not math.isfinite(history[-1]):
            raise TrainingDiverged(diverged_message(len(history)), history)
        if watch is not None:
            watch.update(len(history))
        if target_loss is not None and history[-1] < target_loss:
            raise Stop
        loss.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(params, clip)
        return loss

    model.train()
    try:
        while len(history) < steps:
            before = len(history)
            opt.step(closure)
            # L-BFGS evaluated once and stopped: it has converged
            if optimizer == "lbfgs" and len(history) - before == 1:
                break
    except Stop:
        pass
    if not all(torch.isfinite(p).all() for p in params):
        raise TrainingDiverged(diverged_message(len(history)), history)
    return history if watch is None else watch.restore(history)


def diverged_message(step):
    return (
        f"training diverged at step {step}: the loss or the weights became NaN or "
        "inf.  Rebuild the model and try a smaller lr, or clip= the gradient"
    )


def predict(model, X):
    """One-step-ahead forecasts as a numpy array.  X: (L, N, D) -> (N, D)."""
    checks.model(model).eval()
    with torch.no_grad():
        return model(X).double().numpy()


def evaluate_mse(model, X, Y):
    """Mean squared error of the one-step forecasts of Y (N, D) from X (L, N, D)."""
    checks.model_data(model, X, Y)
    # the targets at their own precision, not the model's
    Y = checks.numbers_array("Y", Y)
    return float(np.mean((predict(model, X) - Y) ** 2))


def as_forecast(model):
    """A function X (L, N, D) -> numpy forecasts, from a course model, a fitted AR
    (its predict method) or such a function itself."""
    if isinstance(model, torch.nn.Module):
        return lambda X: predict(model, X)
    if isinstance(model, AR):
        return model.predict
    return model


def free_run(forecast, window, n_steps):
    """Forecast n_steps ahead by feeding each forecast back in as the newest lag.

    forecast: a course model, or a function X (L, N, D) -> (N, D) such as
    baselines.persistence.  window: (L, D) the last L observed values, oldest first.
    Returns (n_steps, D).
    """
    forecast, window, n_steps = checks.free_run_args(forecast, window, n_steps)
    forecast = as_forecast(forecast)
    values = list(window)
    out = []
    for _ in range(n_steps):
        # the newest L values as one sample: (L, D) -> (L, 1, D)
        X = np.stack(values[-len(window) :])[:, None, :]
        out.append(forecast(X)[0])
        values.append(out[-1])
    return np.array(out)


def free_run_errors(forecast, series, origins, horizon, lags):
    """The free run's error at each horizon, from several forecast origins.

    forecast: a course model or a function X (L, N, D) -> (N, D), as for free_run.
    series: (T,) or (T, D) the observed values.  origins: the series index t0 of each
    run's first forecast; the run starts from the window series[t0 - L : t0] (L =
    lags) and forecasts H = horizon steps, compared with series[t0 : t0 + H].
    Returns the errors (n_origins, H, D): entry [i, h - 1] is forecast minus truth h
    steps ahead of origin i, so np.mean(errors ** 2, axis=0) is the MSE at each
    horizon, averaged over the origins.
    """
    forecast, y, origins, H, L = checks.free_run_errors_args(
        forecast, series, origins, horizon, lags
    )
    errors = []
    for t0 in origins:
        # from the L values before the origin (L, D): the path (H, D)
        path = free_run(forecast, y[t0 - L : t0], H)
        errors.append(path - y[t0 : t0 + H])
    # one row per origin: (n_origins, H, D)
    return np.stack(errors)
