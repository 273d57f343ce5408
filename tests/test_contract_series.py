"""helpers.series is correct on generated valid input in every accepted form.

Bad input: test_boundary.py.
"""

import numpy as np
from contract import forms, integers, reals
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.series import (
    Scaler,
    block_means,
    fill_gaps,
    lag_dataset_skipping_gaps,
    standardize,
)

# A series with gaps: finite values, some of them NaN (never all).
GAPPY = hnp.arrays(
    np.float64,
    st.integers(2, 12),
    elements=st.one_of(st.floats(-1e3, 1e3, width=32), st.just(np.nan)),
).filter(lambda v: not np.isnan(v).all())


@given(
    case=GAPPY.flatmap(lambda v: st.tuples(forms(v), st.just(v))),
    how=st.sampled_from(["interpolate", "previous"]),
)
def test_fill_gaps_in_every_form(case, how):
    values, v = case
    filled = fill_gaps(values, how)
    seen = ~np.isnan(v)
    # observations kept
    np.testing.assert_array_equal(filled[seen], v[seen])
    assert np.isfinite(filled).all()
    idx = np.arange(len(v))
    # each gap by hand: its neighbours, or the last observation
    for i in idx[~seen]:
        before, after = idx[seen & (idx < i)], idx[seen & (idx > i)]
        if how == "previous" or not len(before) or not len(after):
            ref = v[before[-1]] if len(before) else v[after[0]]
        else:
            a, b = before[-1], after[0]
            ref = v[a] + (v[b] - v[a]) * (i - a) / (b - a)
        np.testing.assert_allclose(filled[i], ref, rtol=1e-9, atol=1e-9)


@given(
    GAPPY.flatmap(lambda v: st.tuples(forms(v), st.just(v), integers(1, len(v) - 1)))
)
def test_lag_dataset_skipping_gaps_keeps_only_complete_windows(case):
    values, v, lags = case
    X, Y, target = lag_dataset_skipping_gaps(values, lags)
    L = int(lags)
    # windows n .. n + L with no gap
    keep = [n for n in range(len(v) - L) if not np.isnan(v[n : n + L + 1]).any()]
    np.testing.assert_array_equal(target, np.array(keep, dtype=int) + L)
    np.testing.assert_array_equal(Y[:, 0], v[target])
    for k in range(L):
        np.testing.assert_array_equal(X[k, :, 0], v[target - L + k])


@given(GAPPY.flatmap(lambda v: st.tuples(forms(v), st.just(v))))
def test_standardize_and_scaler(case):
    block, v = case
    seen = v[~np.isnan(v)]
    if seen.std() == 0:
        return
    scaler = standardize(block)
    np.testing.assert_allclose(scaler.mean, seen.mean(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaler.std, seen.std(), rtol=1e-9)
    z = scaler.apply(v)
    np.testing.assert_allclose(scaler.invert(z), v, rtol=1e-9, atol=1e-6)
    assert np.isnan(z).sum() == np.isnan(v).sum()


@given(mean=reals(-10, 10), std=reals(0.1, 10))
def test_scaler_applies_and_inverts(mean, std):
    scaler = Scaler(mean, std)
    z = scaler.apply([1.0, np.nan])
    np.testing.assert_allclose(z[0], (1.0 - float(mean)) / float(std))
    assert np.isnan(z[1])
    np.testing.assert_allclose(scaler.invert(z)[0], 1.0, rtol=1e-12)


@given(
    case=GAPPY.flatmap(lambda v: st.tuples(forms(v), st.just(v))),
    size=integers(1, 5),
)
def test_block_means(case, size):
    values, v = case
    times = np.arange(len(v)) * 0.5
    m = int(size)
    if m > len(v):
        m = size = len(v)
    tb, means = block_means(times, values, size)
    assert len(tb) == len(means) == len(v) // m
    # block by block, by hand
    for k in range(len(v) // m):
        block = v[k * m : (k + 1) * m]
        assert tb[k] == times[k * m]
        if np.isnan(block).all():
            assert np.isnan(means[k])
        else:
            np.testing.assert_allclose(means[k], np.nanmean(block), rtol=1e-9)
