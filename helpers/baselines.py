"""The forecasts a recurrent network has to beat, in the lecture's layout.

Shape letters: L lags, N samples, D state dim.  X: (L, N, D) with X[0] the
OLDEST lag and X[L-1] = y_{t-1}; every forecast is (N, D).
    persistence       yhat_t = y_{t-1}                      = X[L-1]
    seasonal naive    yhat_t = y_{t-m}  (m = the period)     = X[L-m]
    AR(L)             yhat_t = sum_k X[k] A[k] + c: the lecture's output layer
                      applied to the lags themselves, with no hidden state.
"""

from dataclasses import dataclass

import numpy as np

from . import checks


def _lags(X, name="X"):
    """X (L, N, D), finite, as float64; a float64 array comes back as it is (a view
    keeps its strides, and with them the exact sums of AR.predict)."""
    X = checks.float_array(name, X, finite=False, copy=False)
    if X.ndim != 3 or 0 in X.shape:
        raise ValueError(
            f"{name} must be a non-empty (L, N, D) array, got shape {X.shape}"
        )
    if not np.isfinite(X).all():
        raise ValueError(
            f"{name} contains NaN or inf: fill the gaps or drop those windows"
        )
    return X


def persistence(X):
    """yhat_t = y_{t-1}: the newest lag, X[L-1].  X: (L, N, D) -> (N, D)."""
    return _lags(X)[-1].copy()


def seasonal_naive(X, period):
    """yhat_t = y_{t-m} with m = period: X[L-m], which needs L >= m.  -> (N, D)."""
    X = _lags(X)
    period = checks.integer("period", period, 1)
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

    def __post_init__(self):
        A = checks.float_array("A", self.A, ndim=3, copy=False)
        c = checks.float_array("c", self.c, ndim=1, copy=False)
        L, D, D2 = A.shape
        if L == 0 or D == 0 or D2 != D or c.shape != (D,):
            raise ValueError(
                "A must be (L, D, D) with L, D >= 1 and c (D,), "
                f"got A {A.shape} and c {c.shape}"
            )
        self.A, self.c = A, c

    def predict(self, X):
        """X: (L, N, D) -> (N, D)."""
        X = _lags(X)
        if X.shape[0] != self.A.shape[0] or X.shape[2] != self.A.shape[1]:
            raise ValueError(
                f"X must be (L, N, D) = ({self.A.shape[0]}, N, "
                f"{self.A.shape[1]}) for this AR, got {X.shape}"
            )
        with np.errstate(over="ignore", invalid="ignore"):  # refused below
            Yhat = np.einsum("lnd,lde->ne", X, self.A) + self.c  # (N, D)
        if not np.isfinite(Yhat).all():
            raise ValueError("X: the forecast overflows; its values are too large")
        return Yhat


def fit_ar(X, Y):
    """Least-squares AR(L): minimise the mean of (yhat - Y)^2 over A and c.

    X: (L, N, D), Y: (N, D).  Solved in closed form by numpy's lstsq on the
    design matrix [X[0] ... X[L-1] 1] of shape (N, L*D + 1).
    """
    X, Y = _lags(X), checks.float_array("Y", Y, copy=False)
    L, N, D = X.shape
    if Y.shape != (N, D):
        raise ValueError(
            f"Y must be (N, D) = {(N, D)} to match X {X.shape}, got {Y.shape}"
        )
    Z = np.concatenate(list(X) + [np.ones((N, 1))], axis=1)  # (N, L*D + 1)
    try:
        with np.errstate(all="ignore"):  # overflow: refused below
            theta = np.linalg.lstsq(Z, Y, rcond=None)[0]  # (L*D + 1, D)
    except np.linalg.LinAlgError as err:  # huge values: the SVD does not converge
        raise ValueError(
            f"X and Y: no least-squares fit found ({err}); are the values too large?"
        ) from None
    if not np.isfinite(theta).all():
        raise ValueError("X and Y: the least-squares fit overflows; values too large")
    return AR(theta[:-1].reshape(L, D, D), theta[-1])


def free_run(forecast, window, n_steps):
    """Multi-step forecast: feed each one-step forecast back in as the newest lag.

    forecast: a function X (L, N, D) -> (N, D), e.g. persistence or ar.predict.
    window: (L, D) the last L observed values, oldest first.  -> (n_steps, D).
    """
    if not callable(forecast):
        raise TypeError(
            "forecast must be a function X (L, N, D) -> (N, D), such as persistence "
            f"or ar.predict, got {type(forecast).__name__}"
        )
    window = checks.float_array("window", window)
    if window.ndim != 2 or 0 in window.shape:
        raise ValueError(
            f"window must be (L, D) with L, D >= 1, got shape {window.shape}"
        )
    n_steps = checks.integer("n_steps", n_steps, 1, checks.MAX_STEPS)
    D = window.shape[1]
    lags, out = list(window), []
    for k in range(n_steps):
        X = np.stack(lags[-len(window) :])[:, None, :]  # (L, D) -> (L, 1, D)
        yhat = checks.as_numbers("forecast(X)", forecast(X))  # (1, D)
        if yhat.shape != (1, D) or not np.isfinite(yhat).all():
            raise ValueError(
                f"forecast(X) must return (N, D) = (1, {D}) finite numbers for one "
                f"window X (L, 1, D), got shape {yhat.shape} at step {k + 1}"
                + ("" if yhat.shape != (1, D) else " holding NaN or inf")
            )
        out.append(yhat[0])
        lags.append(out[-1])
    return np.array(out)  # (n_steps, D)
