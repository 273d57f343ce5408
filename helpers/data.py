"""Lag datasets for one-step-ahead forecasting, in the lecture's layout.

Shape letters, used everywhere in the course:
    T  points in the series            D  dimension of one observation (state dim)
    L  number of lags                  N  number of samples (targets), N = T - L
A series is (T,) or (T, D); inputs X are (L, N, D) with X[0] the OLDEST lag;
targets Y are (N, D).
"""

import numbers
from dataclasses import dataclass

import numpy as np

from . import checks

# Defaults of the course's running example: y(t) = sin(t) sampled every 0.1.
N_POINTS = 600
TIME_STEP = 0.1
TRAIN_FRACTION = 0.8
# The largest series or sample count the functions build (8 MB of floats): far beyond
# any course task, and a typo like n_points=10**10 fails at once instead of exhausting
# memory.
MAX_POINTS = 1_000_000


def _as_series(series):
    """Validate `series` and return it as a float (T, D) array (a copy).

    Any array-like of real numbers: lists, numpy arrays of any strides, byte order or
    float/int dtype, tensors (with or without grad).  A bool array counts as 0/1 values.
    """
    if isinstance(series, (str, bytes)) or series is None:
        raise TypeError(
            f"series must be an array of numbers, got {type(series).__name__}"
        )
    try:
        raw = checks.as_numbers("series", series)
    except TypeError:
        raise TypeError(
            "series must contain only real numbers (int or float values), "
            f"got {_dtype_of(series)}"
        ) from None
    except ValueError:  # numpy refuses ragged nesting
        raise ValueError(
            "series must be rectangular: (T,) numbers or T rows of D numbers each"
        ) from None
    arr = np.array(raw, dtype=float)  # a copy: the caller's data is never touched
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"series must be 1-D (T,) or 2-D (T, D), got {arr.ndim}-D with shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(
            "series is empty: it needs at least 2 points (one lag and one target)"
        )
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise ValueError(
            f"series must have at least one column (D >= 1), got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        bad = int(np.argmax(~np.isfinite(arr).reshape(arr.shape[0], -1).all(axis=1)))
        raise ValueError(
            f"series must be finite (no NaN or inf); the first bad value is at time index {bad}"
        )
    return arr.reshape(arr.shape[0], -1)  # (T,) -> (T, 1); (T, D) unchanged


def _dtype_of(series):
    try:
        return f"dtype {np.asarray(series).dtype}"
    except Exception:  # noqa: BLE001 (only to word the message; the caller raises)
        return type(series).__name__


def _check_lags(lags, T):
    if isinstance(lags, (bool, np.bool_)) or not isinstance(lags, numbers.Integral):
        raise TypeError(
            f"lags must be an integer, got {lags!r} ({type(lags).__name__})"
        )
    if not 1 <= lags <= T - 1:
        if T < 2:
            raise ValueError(
                f"lags must be between 1 and T-1, but a series of {T} point has no room for a target; "
                "it needs at least 2 points"
            )
        raise ValueError(
            f"lags must be between 1 and {T - 1} for a series of {T} points, got {lags}"
        )
    return int(lags)


def make_lag_dataset(series, lags):
    """Turn a series into the lecture's (X, Y) pair.

    series: (T,) or (T, D) numbers.  lags: L, an integer with 1 <= L <= T-1.
    Returns X: (L, N, D) lags, samples, state dim, with X[k, n] = y(n + k), so
    X[0] is the oldest lag and X[L-1] the newest; and Y: (N, D) with
    Y[n] = y(n + L), the point right after window n.  N = T - L.
    The input is not modified; X and Y are new arrays.
    """
    y = _as_series(series)  # (T, D)
    T = y.shape[0]
    L = _check_lags(lags, T)
    N = T - L
    X = np.stack([y[k : k + N] for k in range(L)])  # L slices of (N, D) -> (L, N, D)
    Y = y[L:].copy()  # (N, D)
    return X, Y


def sine_series(n_points=N_POINTS, time_step=TIME_STEP, noise=0.0, seed=0):
    """Sample y(t) = sin(t) at t = 0, dt, 2 dt, ...; optionally add Gaussian noise.

    Returns (t, y), both (T,) with T = n_points.  noise is the noise's standard
    deviation; seed feeds the noise generator only (noise=0 gives the same series
    whatever the seed).
    """
    n_points = checks.integer("n_points", n_points, 2, MAX_POINTS)
    time_step = checks.real("time_step", time_step, positive=True)
    noise = checks.real("noise (a standard deviation)", noise, nonnegative=True)
    seed = checks.seed("seed", seed)
    if not np.isfinite(time_step * (n_points - 1)):
        raise ValueError(f"time_step={time_step} times n_points={n_points} overflows")
    t = np.arange(n_points) * time_step  # (T,)
    y = np.sin(t)
    if noise > 0:
        y = y + np.random.default_rng(seed).normal(0.0, noise, size=n_points)
    return t, y


def _check_fraction(train_fraction):
    train_fraction = checks.real("train_fraction", train_fraction)
    if not 0 < train_fraction < 1:
        raise ValueError(
            f"train_fraction must be strictly between 0 and 1, got {train_fraction!r}"
        )
    return train_fraction


def chronological_split(X, Y, train_fraction=TRAIN_FRACTION):
    """Split samples in time: the first samples train, the later ones test.

    X: (L, N, D), Y: (N, D).  Returns X_train (L, N_train, D), Y_train (N_train, D),
    X_test (L, N_test, D), Y_test (N_test, D) with N_train = round(train_fraction * N).
    Every test target lies after every training target, so no test value can be
    seen during training as a target (shuffling overlapping windows would leak it).
    """
    train_fraction = _check_fraction(train_fraction)
    X, Y = checks.lag_pair(X, Y)  # (L, N, D) and (N, D), agreeing on N and D
    N = Y.shape[0]
    n_train = round(train_fraction * N)
    if not 1 <= n_train <= N - 1:
        raise ValueError(
            f"train_fraction={train_fraction} leaves an empty block for N={N} samples"
        )
    return X[:, :n_train], Y[:n_train], X[:, n_train:], Y[n_train:]


def _check_blocks(task, D, D_out):
    """A task's blocks: X_* (L, N_*, D) and Y_* (N_*, D_out or D) with N_* >= 1."""
    for part in ("train", "test"):
        X = checks.float_array(f"X_{part}", getattr(task, f"X_{part}"), ndim=3)
        Y = checks.float_array(f"Y_{part}", getattr(task, f"Y_{part}"), ndim=2)
        if (
            X.shape[0] != task.lags
            or X.shape[2] != D
            or X.shape[1] != Y.shape[0]
            or Y.shape[0] == 0
            or Y.shape[1] != (D_out or D)
        ):
            raise ValueError(
                f"X_{part} must be (L, N, D) = ({task.lags}, N, {D}) and Y_{part} "
                f"(N, {D_out or D}) with N >= 1, got {X.shape} and {Y.shape}"
            )
        setattr(task, f"X_{part}", X)
        setattr(task, f"Y_{part}", Y)


@dataclass
class LagTask:
    """A series cut into training and test lag datasets (see make_task)."""

    t: np.ndarray  # (T,) times
    y: np.ndarray  # (T, D) series
    lags: int  # L
    X_train: np.ndarray  # (L, N_train, D)
    Y_train: np.ndarray  # (N_train, D)
    X_test: np.ndarray  # (L, N_test, D)
    Y_test: np.ndarray  # (N_test, D)

    def __post_init__(self):
        self.lags = checks.integer("lags", self.lags, 1)
        self.t = checks.float_array("t", self.t, ndim=1)
        self.y = checks.float_array("y", self.y, ndim=2)
        _check_blocks(self, self.y.shape[1], 0)
        if (
            self.y.shape[0] != self.t.shape[0]
            or self.y.shape[0]
            != self.lags + self.Y_train.shape[0] + self.Y_test.shape[0]
        ):
            raise ValueError(
                f"t (T,) and y (T, D) must hold T = L + N_train + N_test points, got "
                f"t {self.t.shape}, y {self.y.shape}, lags {self.lags}, N_train "
                f"{self.Y_train.shape[0]}, N_test {self.Y_test.shape[0]}"
            )

    @property
    def t_test(self):
        """(N_test,) the times of the test targets."""
        return self.t[-self.Y_test.shape[0] :]

    @property
    def t_train(self):
        """(N_train,) the times of the training targets."""
        return self.t[self.lags : self.lags + self.Y_train.shape[0]]


def make_task(series, lags, t=None, train_fraction=TRAIN_FRACTION):
    """Lag dataset of `series`, split in time.  t: (T,) finite times (default 0..T-1)."""
    X, Y = make_lag_dataset(series, lags)
    y = _as_series(series)
    if t is None:
        t = np.arange(y.shape[0], dtype=float)
    t = checks.float_array("t", t)
    if t.shape != (y.shape[0],):
        raise ValueError(
            f"t must have shape ({y.shape[0]},) like the series, got {t.shape}"
        )
    train_fraction = _check_fraction(train_fraction)
    N = Y.shape[0]
    if not 1 <= round(train_fraction * N) <= N - 1:
        raise ValueError(
            f"lags={lags} and train_fraction={train_fraction} leave an empty training "
            f"or test block: {y.shape[0]} points give N = {N} samples"
        )
    return LagTask(t, y, int(lags), *chronological_split(X, Y, train_fraction))


def sine_task(
    lags,
    n_points=N_POINTS,
    time_step=TIME_STEP,
    noise=0.0,
    seed=0,
    train_fraction=TRAIN_FRACTION,
):
    """The course's running example: sin(t) as a LagTask (D = 1)."""
    t, y = sine_series(n_points, time_step, noise, seed)
    return make_task(y, lags, t=t, train_fraction=train_fraction)


@dataclass
class RecallTask:
    """Sequences whose target is one marked input value, read `lags` steps before the end (see recall_task)."""

    lags: int  # L
    X_train: np.ndarray  # (L, N_train, 2): value, marker
    Y_train: np.ndarray  # (N_train, 1)
    X_test: np.ndarray  # (L, N_test, 2)
    Y_test: np.ndarray  # (N_test, 1)
    marks_test: (
        np.ndarray
    )  # (N_test,) lag index k of the marked value of each test sample

    def __post_init__(self):
        self.lags = checks.integer("lags", self.lags, 2)
        _check_blocks(self, 2, 1)
        marks = checks.as_numbers("marks_test", self.marks_test)
        if (
            marks.dtype.kind not in "iu"
            or marks.shape != (self.Y_test.shape[0],)
            or not np.all((marks >= 0) & (marks < self.lags))
        ):
            raise ValueError(
                f"marks_test must be (N_test,) integer lags from 0 to {self.lags - 1}, "
                f"got dtype {marks.dtype}, shape {marks.shape}"
            )
        self.marks_test = np.array(marks)


def _recall_block(lags, n, rng):
    values = rng.uniform(-1.0, 1.0, size=(lags, n))  # (L, N)
    marks = rng.integers(
        0, max(1, lags // 2), size=n
    )  # the marked lag, always in the older half
    marker = np.zeros((lags, n))
    marker[marks, np.arange(n)] = 1.0
    X = np.stack([values, marker], axis=-1)  # (L, N, 2)
    Y = values[marks, np.arange(n)][:, None]  # (N, 1)
    return X, Y, marks


def recall_task(lags, n_train=500, n_test=300, seed=0):
    """A task that needs memory: recall the value marked in the older half of the window.

    Each sample is L lags of D = 2: a random value in [-1, 1] and a marker that is 1 at
    exactly one lag k < L // 2 (0 elsewhere).  The target is the marked value, so the
    network must carry it across at least L - L // 2 later lags of distractors.
    Predicting 0 gives an MSE of 1/3 (the values' variance).
    """
    if isinstance(lags, bool) or not isinstance(lags, numbers.Integral) or lags < 2:
        raise ValueError(
            f"lags must be an integer >= 2 (a marked lag and later ones), got {lags!r}"
        )
    lags = checks.integer("lags", lags, 2, MAX_POINTS)
    n_train = checks.integer("n_train", n_train, 1, MAX_POINTS // lags)
    n_test = checks.integer("n_test", n_test, 1, MAX_POINTS // lags)
    seed = checks.seed("seed", seed)
    rng = np.random.default_rng(seed)
    X_train, Y_train, _ = _recall_block(lags, n_train, rng)
    X_test, Y_test, marks = _recall_block(lags, n_test, rng)
    return RecallTask(int(lags), X_train, Y_train, X_test, Y_test, marks)
