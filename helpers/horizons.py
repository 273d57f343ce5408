"""Forecasting H steps ahead: three strategies, and scoring them from many origins.

Shape letters: T points, L lags, N samples (forecast origins), D state dim,
q hidden size, H horizon (steps forecast), tau = 1..H the lead of one of them
(h stays the hidden state).  A sample now has H targets: X (L, N, D) as before and
Y (N, H, D) with Y[n, tau-1] = y_{t0+tau-1} for the origin t0 of sample n (its
first unseen point).
    recursive     the one-step model fed its own forecasts, H times
    direct        one model per lead tau, trained on (X, Y[:, tau-1])
    multi-output  one model whose output layer has H*D columns: all H steps at once
"""

import numpy as np

from . import checks
from .baselines import fit_ar
from .train import as_forecast, fit


def horizon_windows(series, lags, H, start=None, stop=None):
    """Every window whose L lags end just before an origin t0 and whose H targets
    y_{t0} .. y_{t0+H-1} all lie in [start, stop) (default: the whole series).

    series: (T,) or (T, D).  Returns X (L, N, D), Y (N, H, D) and origins (N,).
    The lags may reach back before `start`: only the targets are kept inside.
    """
    y = checks.series("series", series)
    L, H, start, stop = checks.horizon_args(lags, H, start, stop, len(y))
    # the first origin with L lags before it, the last with H targets before stop
    origins = np.arange(max(start, L), stop - H + 1)
    # (L, N, D): entry k of origin t0 is y_{t0-L+k}, X[0] the oldest
    X = np.stack([y[origins - L + k] for k in range(L)])
    # (N, H, D): the target at lead tau of origin t0 is y_{t0+tau-1}
    Y = np.stack([y[origins + tau - 1] for tau in range(1, H + 1)], axis=1)
    return X, Y, origins


def recursive(model, X, H):
    """The one-step model fed its own forecasts: free_run for N origins at once.

    model: a course model (D_out = D) or a function X (L, N, D) -> (N, D).
    X: (L, N, D).  Returns (N, H, D).
    """
    model, X, H = checks.strategy_args(model, X, H, d_out=1)
    forecast = as_forecast(model)
    out = []
    for _ in range(H):
        # (N, D): one step ahead from the current window
        out.append(forecast(X))
        # drop the oldest lag, append the forecast as the newest: (L, N, D)
        X = np.concatenate([X[1:], out[-1][None]])
    # H arrays of (N, D) -> (N, H, D)
    return np.stack(out, axis=1)


def fit_direct(make_model, X, Y, X_val=None, Y_val=None, **fit_args):
    """One model per lead: model tau is make_model(tau), trained on (X, Y[:, tau-1]).

    make_model(tau): a fresh course model with D_out = D, or None for a linear
    least-squares AR (baselines.fit_ar).  X: (L, N, D), Y: (N, H, D); X_val, Y_val
    the same for early stopping.  Returns the list of H fitted models.
    """
    X, Y = checks.horizon_arrays(X, Y)
    models = []
    for tau in range(1, Y.shape[1] + 1):
        model = make_model(tau)
        if model is None:
            models.append(fit_ar(X, Y[:, tau - 1]))
            continue
        val = {} if X_val is None else {"X_val": X_val, "Y_val": Y_val[:, tau - 1]}
        fit(model, X, Y[:, tau - 1], **val, **fit_args)
        models.append(model)
    return models


def direct(models, X):
    """Forecasts of the H direct models (course models or fitted ARs): model tau
    gives lead tau.  X: (L, N, D) -> (N, H, D)."""
    X = checks.lag_input(X)
    forecasts = [as_forecast(m)(X) for m in models]
    # H arrays of (N, D) -> (N, H, D)
    return np.stack(forecasts, axis=1)


def fit_multi_output(model, X, Y, X_val=None, Y_val=None, **fit_args):
    """Train one model with V (q, H*D) and c (H*D,) on all H steps at once.

    model: a course model built with D_out = H*D.  X: (L, N, D), Y: (N, H, D).
    The loss is fit's MSE over the N samples and all H*D outputs.
    """
    X, Y = checks.horizon_arrays(X, Y)
    # (N, H, D) -> (N, H*D): step 1's D values, then step 2's, ...
    flat = Y.reshape(len(Y), -1)
    val = {}
    if X_val is not None:
        val = {"X_val": X_val, "Y_val": np.reshape(Y_val, (len(Y_val), -1))}
    return fit(model, X, flat, **val, **fit_args)


def multi_output(model, X, H):
    """All H steps from one forward pass.  X: (L, N, D) -> (N, H, D)."""
    model, X, H = checks.strategy_args(model, X, H, d_out=H)
    # (N, H*D) -> (N, H, D)
    return as_forecast(model)(X).reshape(X.shape[1], H, -1)


def errors_by_horizon(Yhat, Y):
    """Squared errors averaged over D: Yhat, Y (N, H, D) -> (N, H).

    Row n is origin n's error curve; the mean over rows is the rolling-origin MSE
    at each lead tau, and its spread over rows says how much one origin can vary.
    The average over the D variables only means something when they share a scale
    (each standardized, as series.standardize_each does).
    """
    Yhat, Y = checks.horizon_pair(Yhat, Y)
    # (N, H, D) -> (N, H): the mean over the D variables
    return ((Yhat - Y) ** 2).mean(axis=2)
