"""Real series for notebook 05: loading, missing values, scaling, blocks in time.

Both series ship inside statsmodels (public domain), so nothing is downloaded:
    "sunspots"  yearly sunspot activity 1700-2008, T = 309, no missing values
    "co2"       weekly Mauna Loa CO2 (ppm) from 1958, T = 2284, 59 weeks missing
Shape letters as in helpers.data: T points, L lags, N samples, D state dim.
"""

import math
from dataclasses import dataclass

import numpy as np

from . import checks
from .data import make_lag_dataset

SERIES = ("sunspots", "co2")
DAYS_PER_YEAR = 365.25  # for co2's weekly dates as decimal years
GAP_FILLS = ("interpolate", "previous")


def _sunspots():
    from statsmodels.datasets import sunspots  # imported on use: no work at import

    df = sunspots.load_pandas().data
    return df["YEAR"].to_numpy(float), df["SUNACTIVITY"].to_numpy(float)


def _co2():
    from statsmodels.datasets import co2

    df = co2.load_pandas().data  # indexed by week; missing weeks are NaN
    days = (df.index - df.index[0]).days.to_numpy(float)
    start = df.index[0].year + (df.index[0].day_of_year - 1) / DAYS_PER_YEAR
    return start + days / DAYS_PER_YEAR, df["co2"].to_numpy(float)


def load_series(name):
    """Return (t, values), both (T,) float numpy arrays, for "sunspots" or "co2".

    t is in (decimal) years.  Missing observations stay in `values` as NaN, on
    purpose: whether to fill them or to drop the windows that touch them is a
    modelling choice (see fill_gaps and lag_dataset_skipping_gaps), and the lag
    builder refuses NaN.  co2 has 59 NaN, sunspots none.
    """
    loaders = {"sunspots": _sunspots, "co2": _co2}
    if not isinstance(name, str):
        raise TypeError(
            f"name must be one of {list(SERIES)}, got {type(name).__name__}"
        )
    if name not in loaders:
        raise ValueError(f"name must be one of {list(SERIES)}, got {name!r}")
    return loaders[name]()


def _with_gaps(name, values, copy=True):
    """Real numbers as float64 (a copy unless copy=False: then the caller's float64
    array itself, never written to); NaN marks a missing value, inf is refused."""
    v = checks.float_array(name, values, finite=False, copy=copy)
    if np.isinf(v).any():
        raise ValueError(f"{name} must not contain inf (NaN marks a missing value)")
    return v


def _values(values, name="values"):
    """A non-empty series (T,) with NaN gaps, as a float64 copy."""
    v = checks.as_numbers(name, values)  # the kind first: a TypeError for text
    if v.ndim != 1 or v.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D series (T,), got shape {v.shape}"
        )
    return _with_gaps(name, v)


def fill_gaps(values, how="interpolate"):
    """values (T,) with NaN gaps -> (T,) without: a new array.

    how="interpolate": straight line between the neighbours of each gap (the
    values before the first / after the last observation are held flat);
    how="previous": carry the last observation forward.  Either way the filled
    points are invented: a test score measured on them is flattered.
    """
    if not isinstance(how, str):
        raise TypeError(f"how must be one of {list(GAP_FILLS)}, got {how!r}")
    if how not in GAP_FILLS:
        raise ValueError(f"how must be one of {list(GAP_FILLS)}, got {how!r}")
    v = _values(values)
    seen = ~np.isnan(v)
    if not seen.any():
        raise ValueError("values holds no observation at all (every value is NaN)")
    idx = np.arange(len(v))
    if how == "interpolate":
        v[~seen] = np.interp(idx[~seen], idx[seen], v[seen])
    else:
        last = np.maximum.accumulate(np.where(seen, idx, 0))  # last observed index
        v = v[last]
        first = np.argmax(seen)
        v[:first] = v[first]  # before the first observation: hold it
    return v


def lag_dataset_skipping_gaps(values, lags):
    """The lag dataset of a series with NaN gaps, keeping only complete windows.

    values: (T,) with NaN for missing points.  Returns X (L, N, 1), Y (N, 1) and
    target (N,), the series index of each kept target: sample n is kept only if
    none of its L lags and its target is missing, so nothing is invented.
    """
    v = _values(values)
    if len(v) < 2:
        raise ValueError(
            f"values must hold at least 2 points (one lag, one target), got {len(v)}"
        )
    lags = checks.integer("lags", lags, 1, len(v) - 1)
    X, Y = make_lag_dataset(np.nan_to_num(v), lags)  # (L, N_all, 1), (N_all, 1)
    bad = np.isnan(v)
    N_all = len(v) - X.shape[0]
    # a window n covers the series indices n .. n + L; it is kept when none is missing
    touched = np.stack([bad[k : k + N_all] for k in range(X.shape[0] + 1)]).any(axis=0)
    keep = ~touched
    return X[:, keep], Y[keep], np.arange(X.shape[0], len(v))[keep]


@dataclass
class Scaler:
    """z = (y - mean) / std, with statistics fixed once (from the training block)."""

    mean: float
    std: float

    def __post_init__(self):
        self.mean = checks.real("mean", self.mean)
        self.std = checks.real("std", self.std, positive=True)

    def apply(self, values):
        """Scaled copy of values (any shape; NaN stays NaN)."""
        return (_with_gaps("values", values, copy=False) - self.mean) / self.std

    def invert(self, scaled):
        """Back to the series' own units."""
        return _with_gaps("scaled", scaled, copy=False) * self.std + self.mean


def standardize(train_block):
    """A Scaler whose mean and std come from train_block alone (NaN ignored).

    Pass only the training block: statistics from later points would leak
    information about the validation and test blocks into training.
    """
    v = _values(train_block, "train_block")
    if np.isnan(v).all():
        raise ValueError("train_block holds no observation (every value is NaN)")
    with np.errstate(over="ignore", invalid="ignore"):  # overflow: refused below
        mean, std = float(np.nanmean(v)), float(np.nanstd(v))
    if not (math.isfinite(mean) and math.isfinite(std)):
        raise ValueError(
            "train_block's values are too large: their mean or std overflows"
        )
    if not std > 0:
        raise ValueError("train_block is constant (std = 0): it cannot be standardized")
    return Scaler(mean, std)


def _count(name, n):
    return checks.integer(name, n, 1)


def split_three(X, Y, n_val, n_test):
    """Cut samples into training, validation and test blocks, in this order in time.

    X: (L, N, D), Y: (N, D).  The last n_test samples test, the n_val before
    them validate, the rest train.  Returns (X_train, Y_train, X_val, Y_val,
    X_test, Y_test).  Fixing the counts (not fractions) keeps the same test
    targets for every L.
    """
    n_val, n_test = _count("n_val", n_val), _count("n_test", n_test)
    # numpy arrays come back as views, as before; lists and tensors as numpy arrays
    X, Y = checks.lag_pair(X, Y)  # (L, N, D) and (N, D), agreeing on N and D
    N = Y.shape[0]
    a = N - n_val - n_test  # samples in the training block
    if a < 1:
        raise ValueError(
            f"n_val + n_test = {n_val + n_test} leaves no training "
            f"samples out of N = {N}"
        )
    b = a + n_val
    return X[:, :a], Y[:a], X[:, a:b], Y[a:b], X[:, b:], Y[b:]


def block_means(t, values, size):
    """Means over consecutive blocks of `size` points, ignoring NaN.

    t, values: (T,).  Returns (t_blocks, means), both (T // size,): each block's
    first time and its mean; a block with no observation at all stays NaN.  The
    last T % size points (an incomplete block) are left out.
    """
    size = _count("size", size)
    v, t = _values(values), checks.float_array("t", t)
    if t.shape != v.shape:
        raise ValueError(f"t must have the shape of values {v.shape}, got {t.shape}")
    n = len(v) // size
    if n == 0:
        raise ValueError(f"size = {size} is longer than the series (T = {len(v)})")
    blocks = v[: n * size].reshape(n, size)  # (T // size, size)
    seen = (~np.isnan(blocks)).sum(axis=1)
    sums = np.nansum(blocks, axis=1)
    means = np.divide(sums, seen, out=np.full(n, np.nan), where=seen > 0)
    return t[: n * size : size], means
