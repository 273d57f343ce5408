"""Real series: what the loaders return, missing values, scaling from the training
block.  Bad input: test_boundary.py."""

import numpy as np
import pytest
from statsmodels.datasets import co2, sunspots

from helpers.data import make_lag_dataset
from helpers.series import (
    SERIES,
    Scaler,
    block_means,
    fill_gaps,
    lag_dataset_skipping_gaps,
    load_series,
    standardize,
)


def test_sunspots_are_the_yearly_series_without_gaps():
    t, y = load_series("sunspots")
    raw = sunspots.load_pandas().data
    assert t.shape == y.shape == (309,) and t[0] == 1700 and t[-1] == 2008
    np.testing.assert_array_equal(y, raw["SUNACTIVITY"].to_numpy())
    assert not np.isnan(y).any()


def test_co2_keeps_its_missing_weeks_as_nan():
    t, y = load_series("co2")
    raw = co2.load_pandas().data["co2"]
    assert y.shape == t.shape == (2284,)
    assert np.isnan(y).sum() == 59 == raw.isna().sum()
    np.testing.assert_array_equal(y[~np.isnan(y)], raw.dropna().to_numpy())
    # weekly, in years
    assert np.allclose(np.diff(t), 7 / 365.25) and 1958 < t[0] < 1958.5
    # the lag builder refuses, saying where the first gap is
    first = int(np.flatnonzero(np.isnan(y))[0])
    with pytest.raises(ValueError, match=rf"series .*finite.*index \(?{first}\b"):
        make_lag_dataset(y, 2)


def test_the_known_series_are_sunspots_and_co2():
    assert set(SERIES) == {"sunspots", "co2"}


def test_fill_gaps_interpolates_or_carries_forward():
    v = np.array([np.nan, 1.0, np.nan, np.nan, 4.0, np.nan])
    np.testing.assert_allclose(fill_gaps(v), [1, 1, 2, 3, 4, 4])
    np.testing.assert_allclose(fill_gaps(v, how="previous"), [1, 1, 1, 1, 4, 4])
    # the input is not touched
    assert np.isnan(v).sum() == 4
    # a series without gaps comes back as it was, in any form
    np.testing.assert_array_equal(fill_gaps([1, 2, 3]), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(fill_gaps(np.array([[1.0], [np.nan]])), [1, 1])


def test_skipping_gaps_keeps_exactly_the_complete_windows():
    v = np.arange(10.0)
    v[4] = np.nan
    X, Y, target = lag_dataset_skipping_gaps(v, 2)
    # windows (n, n+1 -> n+2) that avoid index 4: targets 2, 3, 7, 8, 9
    np.testing.assert_array_equal(target, [2, 3, 7, 8, 9])
    np.testing.assert_array_equal(Y[:, 0], v[target])
    np.testing.assert_array_equal(X[:, :, 0], np.stack([v[target - 2], v[target - 1]]))
    _, y = load_series("co2")
    X, Y, target = lag_dataset_skipping_gaps(y, 52)
    assert np.isfinite(X).all() and np.isfinite(Y).all()
    assert X.shape == (52, len(target), 1) and len(target) < len(y) - 52


def test_standardize_uses_only_the_block_it_is_given():
    train, later = np.array([1.0, 2.0, 3.0, np.nan]), np.array([100.0])
    s = standardize(train)
    assert s == Scaler(2.0, np.std([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(
        s.apply(np.r_[train, later])[:3], [-1.2247449, 0, 1.2247449]
    )
    np.testing.assert_allclose(s.invert(s.apply(later)), later)


def test_block_means_ignore_nan_and_keep_empty_blocks_missing():
    t = np.arange(9.0)
    v = np.array([1, np.nan, 3, np.nan, np.nan, np.nan, 5, 7, 100.0])
    tb, m = block_means(t, v, 3)
    np.testing.assert_array_equal(tb, [0, 3, 6])
    np.testing.assert_array_equal(m, [2, np.nan, (5 + 7 + 100) / 3])
    # the incomplete last block is left out
    tb, m = block_means(t[:8], v[:8], 3)
    assert len(m) == 2
    # one block of everything, and blocks of one point
    np.testing.assert_allclose(block_means(t, v, 9)[1], [np.nanmean(v)])
    np.testing.assert_array_equal(block_means(t, v, np.int64(1))[1], v)


def test_co2_yearly_means_by_hand():
    t, y = load_series("co2")
    tb, m = block_means(t, y, 52)
    assert len(m) == len(y) // 52
    for k in (0, 10, len(m) - 1):
        block = y[52 * k : 52 * (k + 1)]
        assert tb[k] == t[52 * k]
        assert m[k] == pytest.approx(np.nanmean(block), rel=1e-12)
