"""Lag datasets for one-step-ahead forecasting, in the lecture's layout.

Shape letters, used everywhere in the course:
    T  points in the series            D  dimension of one observation (state dim)
    L  number of lags                  N  number of samples (targets), N = T - L
A series is (T,) or (T, D); inputs X are (L, N, D) with X[0] the OLDEST lag;
targets Y are (N, D).
"""

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from . import checks

# The course's running example: y(t) = sin(t) sampled every 0.1.
N_POINTS = 600
TIME_STEP = 0.1
TRAIN_FRACTION = 0.8


def make_lag_dataset(series, lags):
    """Turn a series into the lecture's (X, Y) pair.

    series: (T,) or (T, D) numbers.  lags: L, with 1 <= L <= T - 1.
    Returns X: (L, N, D) with X[k, n] = y(n + k), so X[0] is the oldest lag and
    X[L-1] the newest; and Y: (N, D) with Y[n] = y(n + L), the point right after
    window n.  N = T - L.
    """
    y = checks.series("series", series)
    T = y.shape[0]
    L = checks.lags(lags, T)
    N = T - L
    # L slices of (N, D), each shifted by one step -> (L, N, D)
    X = np.stack([y[k : k + N] for k in range(L)])
    Y = y[L:].copy()
    return X, Y


def sine_series(n_points=N_POINTS, time_step=TIME_STEP, noise=0.0, seed=0):
    """y(t) = sin(t) at t = 0, dt, 2 dt, ...; plus Gaussian noise of std `noise`.

    Returns (t, y), both (T,) with T = n_points.  seed feeds the noise only.
    """
    n_points = checks.count("n_points", n_points, low=2)
    noise = checks.positive("noise", noise) if noise else 0.0
    seed = checks.count("seed", seed, low=0)
    t = np.arange(n_points) * time_step
    y = np.sin(t)
    if noise > 0:
        y = y + np.random.default_rng(seed).normal(0.0, noise, size=n_points)
    return t, y


def split_in_time(X, Y, *later):
    """Cut the samples into consecutive blocks in time: the last blocks hold `later`.

    X: (L, N, D), Y: (N, D).  split_in_time(X, Y, n_test) gives
    [(X_train, Y_train), (X_test, Y_test)] with n_test test samples at the end;
    split_in_time(X, Y, n_val, n_test) also cuts a validation block before the test
    block.  Every later block lies after every earlier one, so no target of a later
    block is ever seen while training on an earlier one.
    """
    X, Y = checks.lag_arrays(X, Y)
    later = checks.block_sizes(later, len(Y))
    # the first block holds the samples the later blocks leave
    sizes = [len(Y) - sum(later), *later]
    # where each block starts and ends along N
    edges = np.cumsum([0, *sizes])
    return [(X[:, a:b], Y[a:b]) for a, b in pairwise(edges)]


@dataclass
class LagTask:
    """A series cut into training and test lag datasets (see make_task)."""

    # t (T,) times; y (T, D) the series; lags = L
    t: np.ndarray
    y: np.ndarray
    lags: int
    # X_* (L, N_*, D) and Y_* (N_*, D)
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray

    @property
    def t_train(self):
        """(N_train,) the times of the training targets."""
        return self.t[self.lags : self.lags + len(self.Y_train)]

    @property
    def t_test(self):
        """(N_test,) the times of the test targets."""
        return self.t[-len(self.Y_test) :]


def make_task(series, lags, t=None, train_fraction=TRAIN_FRACTION):
    """The lag dataset of `series`, split in time: a LagTask.

    The first round(train_fraction * N) samples train, the rest test.
    t: (T,) the times of the points (default 0, 1, ..., T - 1).
    """
    X, Y = make_lag_dataset(series, lags)
    y = checks.series("series", series)
    t = checks.times(t, len(y))
    train_fraction = checks.real("train_fraction", train_fraction, low=0.0, high=1.0)
    n_test = len(Y) - round(train_fraction * len(Y))
    (X_train, Y_train), (X_test, Y_test) = split_in_time(X, Y, n_test)
    return LagTask(t, y, X.shape[0], X_train, Y_train, X_test, Y_test)


def sine_task(lags, n_points=N_POINTS, noise=0.0, seed=0):
    """The course's running example: sin(t) as a LagTask (D = 1)."""
    t, y = sine_series(n_points, TIME_STEP, noise, seed)
    return make_task(y, lags, t=t)


@dataclass
class RecallTask:
    """Windows whose target is the one marked value (see recall_task)."""

    lags: int
    # X_* (L, N_*, 2): value and marker at each lag; Y_* (N_*, 1) the marked value
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    # (N_test,) the entry k of X (0-based) that holds each test sample's marked value
    marks_test: np.ndarray


def recall_block(lags, N, rng):
    """N windows of L lags: X (L, N, 2), Y (N, 1) and each window's marked entry k (N,)."""
    values = rng.uniform(-1.0, 1.0, size=(lags, N))
    # the marked lag, always in the older half of the window
    marks = rng.integers(0, max(1, lags // 2), size=N)
    marker = np.zeros((lags, N))
    marker[marks, np.arange(N)] = 1.0
    # (L, N) values and (L, N) markers -> (L, N, 2)
    X = np.stack([values, marker], axis=-1)
    Y = values[marks, np.arange(N)][:, None]
    return X, Y, marks


def recall_task(lags, n_train=500, n_test=300, seed=0):
    """A task that needs memory: recall the value marked in the older half of the window.

    Each sample is L lags of D = 2: a random value in [-1, 1] and a marker that is 1 at
    exactly one entry X[k] with k < L // 2 (0-based; 0 elsewhere).  The target is the
    marked value, so the network must carry it across at least L - L // 2 later lags
    of distractors.
    Predicting 0 gives an MSE of 1/3 (the values' variance).
    """
    lags = checks.count("lags", lags, low=2)
    n_train, n_test = checks.count("n_train", n_train), checks.count("n_test", n_test)
    rng = np.random.default_rng(checks.count("seed", seed, low=0))
    X_train, Y_train, _ = recall_block(lags, n_train, rng)
    X_test, Y_test, marks = recall_block(lags, n_test, rng)
    return RecallTask(lags, X_train, Y_train, X_test, Y_test, marks)
