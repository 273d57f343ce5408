"""Real series for notebook 05: loading, missing values, scaling, blocks in time.

Both series ship inside statsmodels (public domain), so nothing is downloaded:
    "sunspots"  yearly sunspot activity 1700-2008, T = 309, no missing values
    "co2"       weekly Mauna Loa CO2 (ppm) from 1958, T = 2284, 59 weeks missing
Shape letters as in helpers.data: T points, L lags, N samples, D state dim.
"""

from dataclasses import dataclass

import numpy as np

from . import checks
from .data import make_lag_dataset

# For co2's weekly dates as decimal years.
DAYS_PER_YEAR = 365.25


def sunspots():
    """(t, values): years 1700-2008 and the yearly sunspot activity."""
    # imported on use: no work at import
    from statsmodels.datasets import sunspots

    df = sunspots.load_pandas().data
    return df["YEAR"].to_numpy(float), df["SUNACTIVITY"].to_numpy(float)


def co2():
    """(t, values): weekly Mauna Loa CO2 in ppm, dates as decimal years; NaN gaps."""
    from statsmodels.datasets import co2

    # indexed by week; missing weeks are NaN
    df = co2.load_pandas().data
    days = (df.index - df.index[0]).days.to_numpy(float)
    start = df.index[0].year + (df.index[0].day_of_year - 1) / DAYS_PER_YEAR
    return start + days / DAYS_PER_YEAR, df["co2"].to_numpy(float)


SERIES = {"sunspots": sunspots, "co2": co2}

# notebook 06's three quarterly US series (billions of chained 2005 dollars)
MACRO_COLUMNS = ("realgdp", "realcons", "realinv")
# quarters per year, for the dates
QUARTERS = 4


def macro_growth():
    """(t, values): quarterly growth in % of real GDP, consumption and investment.

    statsmodels' macrodata, 1959Q1-2009Q3 (T = 203 levels).  Growth is the log-
    difference times 100, so T = 202 and values is (202, 3), D = 3 in the order
    MACRO_COLUMNS; t (202,) the decimal year of each growth's quarter.
    """
    from statsmodels.datasets import macrodata

    df = macrodata.load_pandas().data
    # (T + 1, 3) levels -> (T, 3) growth of each quarter over the one before it
    growth = 100 * np.diff(np.log(df[list(MACRO_COLUMNS)].to_numpy(float)), axis=0)
    t = (df["year"] + (df["quarter"] - 1) / QUARTERS).to_numpy(float)
    return t[1:], growth


def load_series(name):
    """(t, values), both (T,) float arrays, for "sunspots" or "co2".

    t is in (decimal) years.  Missing observations stay in `values` as NaN, on
    purpose: whether to fill them or to drop the windows that touch them is a
    modelling choice (fill_gaps, lag_dataset_skipping_gaps), and the lag builder
    refuses NaN.  co2 has 59 NaN, sunspots none.
    """
    return SERIES[checks.choice("name", name, SERIES)]()


def fill_gaps(values, how="interpolate"):
    """values (T,) with NaN gaps -> a new (T,) array without them.

    how="interpolate": a straight line between the neighbours of each gap (held
    flat before the first and after the last observation); how="previous": carry
    the last observation forward.  Either way the filled points are invented: a
    test score measured on them is flattered.
    """
    how = checks.choice("how", how, ("interpolate", "previous"))
    v = checks.series("values", values, finite=False, one_d=True)[:, 0].copy()
    seen = ~np.isnan(v)
    idx = np.arange(len(v))
    if how == "interpolate":
        v[~seen] = np.interp(idx[~seen], idx[seen], v[seen])
        return v
    # index of the last observation at or before each point (the first one before it)
    last = np.maximum.accumulate(np.where(seen, idx, np.argmax(seen)))
    return v[last]


def lag_dataset_skipping_gaps(values, lags):
    """The lag dataset of a series with NaN gaps, keeping only complete windows.

    values: (T,) with NaN for missing points.  Returns X (L, N, 1), Y (N, 1) and
    target_idx (N,): the series index of each kept target.  Sample n is kept only if
    none of its L lags and its target is missing, so nothing is invented.
    """
    v = checks.series("values", values, finite=False, one_d=True)[:, 0]
    X, Y = make_lag_dataset(np.nan_to_num(v), lags)
    L, N = X.shape[:2]
    missing = np.isnan(v)
    # window n covers the series indices n .. n + L; keep it if none is missing
    touched = np.stack([missing[k : k + N] for k in range(L + 1)]).any(axis=0)
    keep = ~touched
    return X[:, keep], Y[keep], np.arange(L, len(v))[keep]


@dataclass
class Scaler:
    """z = (y - mean) / std, with statistics fixed once (from the training block)."""

    mean: float
    std: float

    def apply(self, values):
        """Scaled copy of values (any shape; NaN stays NaN)."""
        return (checks.numbers_array("values", values, False) - self.mean) / self.std

    def invert(self, scaled):
        """Back to the series' own units."""
        return checks.numbers_array("scaled", scaled, False) * self.std + self.mean


def standardize(train_block):
    """A Scaler whose mean and std come from train_block alone (NaN ignored).

    Pass only the training block: statistics from later points would leak
    information about the validation and test blocks into training.
    """
    v = checks.series("train_block", train_block, finite=False)
    return Scaler(float(np.nanmean(v)), float(np.nanstd(v)))


def standardize_each(train_block):
    """A Scaler with one mean and one std per column of train_block (T, D): (D,) each.

    For a series of D variables in their own units; as with standardize, pass only
    the training block.
    """
    v = checks.series("train_block", train_block)
    return Scaler(v.mean(axis=0), v.std(axis=0))


def block_means(t, values, size):
    """Means over consecutive blocks of `size` points, ignoring NaN.

    t, values: (T,).  Returns (t_blocks, means), both (T // size,): each block's
    first time and its mean (NaN for a block with no observation).  The last
    T % size points (an incomplete block) are left out.
    """
    v = checks.series("values", values, finite=False, one_d=True)[:, 0]
    size = checks.count("size", size, high=len(v))
    n = len(v) // size
    # (T // size, size): one row per block
    blocks = v[: n * size].reshape(n, size)
    seen = (~np.isnan(blocks)).sum(axis=1)
    means = np.divide(
        np.nansum(blocks, axis=1), seen, np.full(n, np.nan), where=seen > 0
    )
    return checks.times(t, len(v))[: n * size : size], means
