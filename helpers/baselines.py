"""The forecasts a recurrent network has to beat, in the lecture's layout.

Shape letters: L lags, N samples, D state dim.  X: (L, N, D) with X[0] the
OLDEST lag and X[L-1] = y_{t-1}; every forecast is (N, D).
    persistence       yhat_t = y_{t-1}                      = X[L-1]
    seasonal naive    yhat_t = y_{t-m}  (m = the period)     = X[L-m]
    AR(L)             yhat_t = sum_k X[k] A[k] + c: the lecture's output layer
                      applied to the lags themselves, with no hidden state.
"""

import numbers
from dataclasses import dataclass

import numpy as np


def _lags(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 3 or 0 in X.shape:
        raise ValueError(f"X must be a non-empty (L, N, D) array, got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or inf: fill the gaps or drop those windows")
    return X


def persistence(X):
    """yhat_t = y_{t-1}: the newest lag, X[L-1].  X: (L, N, D) -> (N, D)."""
    return _lags(X)[-1].copy()


def seasonal_naive(X, period):
    """yhat_t = y_{t-m} with m = period: X[L-m], which needs L >= m.  -> (N, D)."""
    X = _lags(X)
    if (
        isinstance(period, bool)
        or not isinstance(period, numbers.Integral)
        or period < 1
    ):
        raise ValueError(f"period must be an integer >= 1, got {period!r}")
    if period > X.shape[0]:
        raise ValueError(
            f"period m = {period} needs at least m lags, but X has "
            f"L = {X.shape[0]}; build X with lags >= {period}"
        )
    return X[X.shape[0] - period].copy()


@dataclass
class AR:
    """Linear autoregression yhat = sum_k X[k] A[k] + c.  A: (L, D, D), c: (D,)."""

    A: np.ndarray
    c: np.ndarray

    def predict(self, X):
        """X: (L, N, D) -> (N, D)."""
        X = _lags(X)
        if X.shape[0] != self.A.shape[0] or X.shape[2] != self.A.shape[1]:
            raise ValueError(
                f"X must be (L, N, D) = ({self.A.shape[0]}, N, "
                f"{self.A.shape[1]}) for this AR, got {X.shape}"
            )
        return np.einsum("lnd,lde->ne", X, self.A) + self.c


def fit_ar(X, Y):
    """Least-squares AR(L): minimise the mean of (yhat - Y)^2 over A and c.

    X: (L, N, D), Y: (N, D).  Solved in closed form by numpy's lstsq on the
    design matrix [X[0] ... X[L-1] 1] of shape (N, L*D + 1).
    """
    X, Y = _lags(X), np.asarray(Y, dtype=float)
    L, N, D = X.shape
    if Y.shape != (N, D):
        raise ValueError(
            f"Y must be (N, D) = {(N, D)} to match X {X.shape}, got {Y.shape}"
        )
    Z = np.concatenate(list(X) + [np.ones((N, 1))], axis=1)  # (N, L*D + 1)
    theta = np.linalg.lstsq(Z, Y, rcond=None)[0]  # (L*D + 1, D)
    return AR(theta[:-1].reshape(L, D, D), theta[-1])


def free_run(forecast, window, n_steps):
    """Multi-step forecast: feed each one-step forecast back in as the newest lag.

    forecast: a function X (L, N, D) -> (N, D), e.g. persistence or ar.predict.
    window: (L, D) the last L observed values, oldest first.  -> (n_steps, D).
    """
    window = np.asarray(window, dtype=float)
    if window.ndim != 2:
        raise ValueError(f"window must be (L, D), got shape {window.shape}")
    if (
        isinstance(n_steps, bool)
        or not isinstance(n_steps, numbers.Integral)
        or n_steps < 1
    ):
        raise ValueError(f"n_steps must be an integer >= 1, got {n_steps!r}")
    lags, out = list(window), []
    for _ in range(n_steps):
        X = np.stack(lags[-len(window) :])[:, None, :]  # (L, D) -> (L, 1, D)
        out.append(np.asarray(forecast(X))[0])
        lags.append(out[-1])
    return np.array(out)  # (n_steps, D)
