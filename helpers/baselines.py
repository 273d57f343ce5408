"""The forecasts a recurrent network has to beat, in the lecture's layout.

Shape letters: L lags, N samples, D state dim.  X: (L, N, D) with X[0] the
OLDEST lag and X[L-1] = y_{t-1}; every forecast is (N, D).
    persistence       yhat_t = y_{t-1}                      = X[L-1]
    seasonal naive    yhat_t = y_{t-m}  (m = the period)     = X[L-m]
    AR(L)             yhat_t = sum_k X[k] A[k] + c: the lecture's output layer
                      applied to the lags themselves, with no hidden state.
Multi-step forecasts of any of them: helpers.train.free_run.
"""

from dataclasses import dataclass

import numpy as np

from . import checks


def persistence(X):
    """yhat_t = y_{t-1}: the newest lag, X[L-1].  X: (L, N, D) -> (N, D)."""
    return checks.lag_input(X)[-1].copy()


def seasonal_naive(X, period):
    """yhat_t = y_{t-m} with m = period: X[L-m], which needs L >= m.  -> (N, D)."""
    X = checks.lag_input(X)
    m = checks.count("period", period, high=X.shape[0])
    return X[X.shape[0] - m].copy()


@dataclass
class AR:
    """Linear autoregression yhat = sum_k X[k] A[k] + c.  A: (L, D, D), c: (D,)."""

    A: np.ndarray
    c: np.ndarray

    def predict(self, X):
        """X: (L, N, D) -> (N, D)."""
        X = checks.lag_input(X, L=self.A.shape[0], D=self.A.shape[1])
        # sum over the lags k of X[k] (N, D) @ A[k] (D, D) -> (N, D)
        return np.einsum("lnd,lde->ne", X, self.A) + self.c


def fit_ar(X, Y):
    """Least-squares AR(L): minimise the mean of (yhat - Y)^2 over A and c.

    X: (L, N, D), Y: (N, D).  Solved in closed form by numpy's lstsq on the
    design matrix [X[0] ... X[L-1] 1] of shape (N, L*D + 1).
    """
    X, Y = checks.lag_arrays(X, Y)
    L, N, D = X.shape
    # the lags side by side, then a column of ones for c: (N, L*D + 1)
    Z = np.concatenate([*X, np.ones((N, 1))], axis=1)
    # (L*D + 1, D): the rows of A[0], ..., A[L-1], then c
    coef = np.linalg.lstsq(Z, Y, rcond=None)[0]
    return AR(coef[:-1].reshape(L, D, D), coef[-1])
