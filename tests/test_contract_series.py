"""helpers.series keeps the contract on generated valid and invalid input."""

import numpy as np
from contract import (
    NOT_A_NUMBER,
    NOT_AN_ARRAY,
    NOT_AN_INTEGER,
    NOT_FINITE,
    as_float,
    forms,
    integers,
    keeps_contract,
    reals,
    refused,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.data import make_lag_dataset
from helpers.series import (
    Scaler,
    block_means,
    fill_gaps,
    lag_dataset_skipping_gaps,
    load_series,
    split_three,
    standardize,
)

# A series with gaps: finite values, some of them NaN (never all).
GAPPY = hnp.arrays(
    np.float64,
    st.integers(2, 12),
    elements=st.one_of(st.floats(-1e3, 1e3, width=32), st.just(np.nan)),
).filter(lambda v: not np.isnan(v).all())
# Not a series: not numbers, not 1-D, empty, or holding inf.
NOT_A_SERIES = st.one_of(
    NOT_AN_ARRAY,
    st.sampled_from([np.zeros((3, 2)), np.zeros(0), 5.0, [1.0, np.inf], np.True_]),
)


@given(name=st.sampled_from(["sunspot", "CO2", "", None, 3, ["co2"], np.str_("x")]))
def test_load_series_refuses_unknown_names(name):
    refused(lambda: load_series(name), ["name"])


@given(
    case=GAPPY.flatmap(lambda v: st.tuples(forms(v), st.just(v))),
    how=st.sampled_from(["interpolate", "previous"]),
)
def test_fill_gaps_in_every_form(case, how):
    values, v = case
    filled = fill_gaps(values, how)
    seen = ~np.isnan(v)
    np.testing.assert_array_equal(filled[seen], v[seen])  # observations kept
    assert np.isfinite(filled).all()
    idx = np.arange(len(v))
    for i in idx[~seen]:  # each gap by hand: its neighbours, or the last observation
        before, after = idx[seen & (idx < i)], idx[seen & (idx > i)]
        if how == "previous" or not len(before) or not len(after):
            ref = v[before[-1]] if len(before) else v[after[0]]
        else:
            a, b = before[-1], after[0]
            ref = v[a] + (v[b] - v[a]) * (i - a) / (b - a)
        np.testing.assert_allclose(filled[i], ref, rtol=1e-9, atol=1e-9)


@given(
    values=st.one_of(NOT_A_SERIES, st.just([np.nan, np.nan])),
    how=st.one_of(st.just("interpolate"), st.sampled_from(["mean", None, 1, ["a"]])),
)
def test_fill_gaps_refuses_bad_input_by_name(values, how):
    refused(lambda: fill_gaps(values, how), ["values", "how"])


@given(
    GAPPY.flatmap(
        lambda v: st.tuples(
            forms(v), st.just(v), st.one_of(integers(1, len(v) - 1), NOT_AN_INTEGER)
        )
    )
)
def test_lag_dataset_skipping_gaps_keeps_only_complete_windows(case):
    values, v, lags = case
    outcome, out = keeps_contract(
        lambda: lag_dataset_skipping_gaps(values, lags), ["lags", "values"]
    )
    if outcome == "ok":
        X, Y, target = out
        L = int(lags)
        # windows n .. n + L with no gap
        keep = [n for n in range(len(v) - L) if not np.isnan(v[n : n + L + 1]).any()]
        np.testing.assert_array_equal(target, np.array(keep, dtype=int) + L)
        np.testing.assert_array_equal(Y[:, 0], v[target])
        for k in range(L):
            np.testing.assert_array_equal(X[k, :, 0], v[target - L + k])


@given(values=NOT_A_SERIES, lags=st.one_of(st.just(1), NOT_AN_INTEGER, st.just(0)))
def test_lag_dataset_skipping_gaps_refuses_bad_input(values, lags):
    refused(lambda: lag_dataset_skipping_gaps(values, lags), ["values", "lags"])
    refused(lambda: lag_dataset_skipping_gaps([1.0, 2.0, 3.0], [lags]), ["lags"])


@given(GAPPY.flatmap(lambda v: st.tuples(forms(v), st.just(v))))
def test_standardize_and_scaler(case):
    block, v = case
    outcome, scaler = keeps_contract(lambda: standardize(block), ["train_block"])
    seen = v[~np.isnan(v)]
    if outcome == "refused":
        assert len(seen) == 0 or seen.std() == 0
        return
    np.testing.assert_allclose(scaler.mean, seen.mean(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaler.std, seen.std(), rtol=1e-9)
    z = scaler.apply(block)
    np.testing.assert_allclose(scaler.invert(z), v, rtol=1e-9, atol=1e-6)
    assert np.isnan(z).sum() == np.isnan(v).sum()


@given(
    mean=st.one_of(reals(-10, 10), NOT_A_NUMBER, NOT_FINITE),
    std=st.one_of(reals(0.1, 10), NOT_A_NUMBER, st.sampled_from([0, -1.0])),
    values=st.one_of(st.just([1.0, np.nan]), NOT_AN_ARRAY),
)
def test_scaler_checks_its_fields_and_values(mean, std, values):
    outcome, scaler = keeps_contract(lambda: Scaler(mean, std), ["mean", "std"])
    if outcome == "ok":
        outcome, z = keeps_contract(lambda: scaler.apply(values), ["values"])
        if outcome == "ok":
            np.testing.assert_allclose(z[0], (1.0 - float(mean)) / float(std))
            assert np.isnan(z[1])
        keeps_contract(lambda: scaler.invert(values), ["scaled"])


@given(
    N=st.integers(3, 12),
    n_val=st.one_of(integers(1, 4), NOT_AN_INTEGER, st.just(0)),
    n_test=st.one_of(integers(1, 4), NOT_AN_INTEGER),
    form=st.sampled_from(["array", "list", "tensor", "flipped"]),
)
def test_split_three(N, n_val, n_test, form):
    X, Y = make_lag_dataset(np.arange(N + 2.0), 2)  # (2, N, 1), (N, 1)
    conv = {
        "array": lambda A: A,
        "list": lambda A: A.tolist(),
        "tensor": lambda A: __import__("torch").tensor(A, requires_grad=True),
        "flipped": lambda A: np.flip(np.flip(A).copy()),
    }[form]
    outcome, parts = keeps_contract(
        lambda: split_three(conv(X), conv(Y), n_val, n_test), ["n_val", "n_test"]
    )
    if outcome == "ok":
        Xtr, Ytr, Xv, Yv, Xte, Yte = (as_float(p) for p in parts)
        assert (len(Yv), len(Yte)) == (n_val, n_test)
        np.testing.assert_array_equal(np.concatenate([Ytr, Yv, Yte]), Y)
        np.testing.assert_array_equal(np.concatenate([Xtr, Xv, Xte], axis=1), X)
    else:
        whole = [
            isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))
            for n in (n_val, n_test)
        ]
        assert not all(whole) or n_val < 1 or n_val + n_test >= N


@given(
    bad=st.sampled_from(
        [("X", np.zeros((2, 5))), ("Y", np.zeros(5)), ("X", np.zeros((2, 4, 1)))]
    )
    | NOT_AN_ARRAY.map(lambda v: ("X", v))
)
def test_split_three_refuses_mismatched_arrays(bad):
    args = {"X": np.zeros((2, 5, 1)), "Y": np.zeros((5, 1))}
    args[bad[0]] = bad[1]
    refused(lambda: split_three(args["X"], args["Y"], 1, 1), ["X", "Y"])


@given(
    case=GAPPY.flatmap(lambda v: st.tuples(forms(v), st.just(v))),
    size=st.one_of(integers(1, 5), NOT_AN_INTEGER, st.sampled_from([0, 100])),
    t=st.sampled_from(["ok", "short", "nan", "text"]),
)
def test_block_means(case, size, t):
    values, v = case
    times = {
        "ok": np.arange(len(v)) * 0.5,
        "short": np.arange(len(v) - 1.0),
        "nan": np.full(len(v), np.nan),
        "text": "t",
    }[t]
    outcome, out = keeps_contract(
        lambda: block_means(times, values, size), ["size", "t", "values"]
    )
    if outcome == "ok":
        tb, means = out
        m = int(size)
        for k in range(len(v) // m):  # block by block, by hand
            block = v[k * m : (k + 1) * m]
            assert tb[k] == times[k * m]
            if np.isnan(block).all():
                assert np.isnan(means[k])
            else:
                np.testing.assert_allclose(means[k], np.nanmean(block), rtol=1e-9)
