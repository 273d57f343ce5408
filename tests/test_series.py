"""Real series: what the loaders return, missing values, scaling from the training block."""

import numpy as np
import pytest
from statsmodels.datasets import co2, sunspots

from helpers.data import make_lag_dataset
from helpers.series import (
    SERIES,
    Scaler,
    fill_gaps,
    lag_dataset_skipping_gaps,
    load_series,
    split_three,
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
    # the lag builder refuses
    with pytest.raises(ValueError, match="finite .* time index 6"):
        make_lag_dataset(y, 2)


@pytest.mark.parametrize("name", ["sunspot", "CO2", "", None, 3])
def test_unknown_names_list_the_known_ones(name):
    with pytest.raises(
        (ValueError, TypeError), match=r"name must be one of \[.sunspots., .co2.\]"
    ):
        load_series(name)
    assert SERIES == ("sunspots", "co2")


def test_fill_gaps_interpolates_or_carries_forward():
    v = np.array([np.nan, 1.0, np.nan, np.nan, 4.0, np.nan])
    np.testing.assert_allclose(fill_gaps(v), [1, 1, 2, 3, 4, 4])
    np.testing.assert_allclose(fill_gaps(v, how="previous"), [1, 1, 1, 1, 4, 4])
    assert np.isnan(v).sum() == 4  # the input is not touched
    with pytest.raises(ValueError, match="how must be one of"):
        fill_gaps(v, how="mean")
    with pytest.raises(ValueError, match="no observation"):
        fill_gaps([np.nan, np.nan])
    with pytest.raises(ValueError, match="1-D"):
        fill_gaps(np.ones((3, 2)))
    with pytest.raises(ValueError, match="inf"):
        fill_gaps([1.0, np.inf])


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
    with pytest.raises(ValueError, match="constant"):
        standardize([5.0, 5.0])
    with pytest.raises(ValueError, match="no observation"):
        standardize([np.nan])


def test_split_three_keeps_time_order_and_counts():
    X, Y = make_lag_dataset(np.arange(20.0), 3)  # N = 17
    _Xtr, Ytr, _Xv, Yv, Xte, Yte = split_three(X, Y, n_val=4, n_test=5)
    assert (len(Ytr), len(Yv), len(Yte)) == (8, 4, 5)
    assert Ytr.max() < Yv.min() and Yv.max() < Yte.min()
    np.testing.assert_array_equal(Xte[:, 0, 0], [12, 13, 14])
    with pytest.raises(ValueError, match="leaves no training"):
        split_three(X, Y, 10, 7)
    with pytest.raises(ValueError, match="n_val must be an integer"):
        split_three(X, Y, 0, 5)


def test_block_means_ignore_nan_and_keep_empty_blocks_missing():
    from helpers.series import block_means

    t = np.arange(9.0)
    v = np.array([1, np.nan, 3, np.nan, np.nan, np.nan, 5, 7, 100.0])
    tb, m = block_means(t, v, 3)
    np.testing.assert_array_equal(tb, [0, 3, 6])
    np.testing.assert_array_equal(m, [2, np.nan, (5 + 7 + 100) / 3])
    tb, m = block_means(t[:8], v[:8], 3)  # the incomplete last block is left out
    assert len(m) == 2
    with pytest.raises(ValueError, match="size must be an integer"):
        block_means(t, v, 0)
