"""helpers.plots keeps the contract: shapes and types checked before drawing; NaN values
drawn as gaps where the docstring says so."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from contract import (
    NOT_A_NUMBER,
    NOT_AN_ARRAY,
    NOT_AN_INTEGER,
    NOT_FINITE,
    as_float,
    forms,
    integers,
    keeps_contract,
)
from hypothesis import given
from hypothesis import strategies as st

from helpers import plots

T = 12
t = np.arange(T) * 0.5
y = np.sin(t)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@given(
    tf=st.one_of(
        forms(t), NOT_AN_ARRAY, st.sampled_from([t[::-1], t[:5], np.full(T, np.nan)])
    ),
    yf=st.one_of(
        forms(y), NOT_AN_ARRAY, st.just(y[:, None]), st.just(np.tile(y, (2, 1)).T)
    ),
    lags=st.one_of(integers(1, T - 1), NOT_AN_INTEGER, st.just(T)),
    sample=st.one_of(integers(0, 3), NOT_AN_INTEGER, st.just(-1)),
    ax=st.sampled_from([None, "axes", "ax"]),
)
def test_plot_lag_window(tf, yf, lags, sample, ax):
    axes = plt.subplots()[1] if ax == "axes" else ax
    outcome, out = keeps_contract(
        lambda: plots.plot_lag_window(tf, yf, lags, sample, ax=axes),
        ["t", "y", "series", "lags", "sample", "ax"],
    )
    if outcome == "ok":
        inputs = next(ln for ln in out.lines if ln.get_label().startswith("inputs"))
        np.testing.assert_allclose(inputs.get_ydata(), y[sample : sample + lags])


@given(
    n_train=st.integers(1, 5),
    gap=st.booleans(),
    bad=st.sampled_from([None, "t_test", "Y_train", "ax", "Y_test"]),
)
def test_plot_split(n_train, gap, bad):
    args = {
        "t_train": np.arange(n_train),
        "Y_train": np.ones((n_train, 1)),
        "t_test": np.arange(n_train, n_train + 3),
        "Y_test": np.ones((3, 1)),
        "ax": None,
    }
    if gap:
        args["Y_test"][1] = np.nan  # a gap is drawn, not refused
    if bad:
        args[bad] = {
            "t_test": np.arange(2),
            "Y_train": np.ones(n_train),
            "ax": 3,
            "Y_test": "y",
        }[bad]
    outcome, _ax = keeps_contract(lambda: plots.plot_split(**args), [bad or "-"])
    assert (outcome == "ok") == (bad is None)


@given(
    history=st.one_of(
        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=8),
        NOT_AN_ARRAY,
        st.just(torch.tensor([1.0, 0.5], requires_grad=True)),
    ),
    label=st.one_of(st.none(), st.just("run"), NOT_A_NUMBER),
)
def test_plot_loss_draws_nan_as_gaps(history, label):
    outcome, ax = keeps_contract(
        lambda: plots.plot_loss(history, label=label), ["history", "label"]
    )
    if outcome == "ok":
        np.testing.assert_array_equal(ax.lines[0].get_ydata(), as_float(history))


def _first_column(A):
    A = as_float(A)
    return A if A.ndim == 1 else A[:, 0]


YEARS = np.arange(6.0) + 1900
# a gap at 1901
GAPPY = np.array([1.0, np.nan, 3.0, 2.0, 5.0, 4.0])


@given(
    t=st.one_of(
        st.just(YEARS), NOT_AN_ARRAY, st.sampled_from([YEARS[:5], np.full(6, np.inf)])
    ),
    truth=st.one_of(
        forms(GAPPY[:, None]),
        st.just(GAPPY),
        st.just(np.tile(GAPPY, (2, 1)).T),
        NOT_AN_ARRAY,
        st.sampled_from([GAPPY[:4], np.zeros((6, 0))]),
    ),
    forecasts=st.one_of(
        st.just({"a": np.zeros(6), "b": np.ones((6, 1)), "c": np.ones((6, 2))}),
        st.just({}),
        st.sampled_from([{"a": np.zeros(5)}, {3: np.zeros(6)}, [1.0], None]),
        NOT_AN_ARRAY.map(lambda v: {"a": v}),
    ),
    title=st.sampled_from([None, "t", 3]),
    ylabel=st.sampled_from(["y", ["y"]]),
    ax=st.sampled_from([None, "axes", "ax"]),
)
def test_plot_forecasts(t, truth, forecasts, title, ylabel, ax):
    axes = plt.subplots()[1] if ax == "axes" else ax
    outcome, drawn = keeps_contract(
        lambda: plots.plot_forecasts(
            t, truth, forecasts, ax=axes, title=title, ylabel=ylabel
        ),
        ["t", "truth", "forecasts", "forecast", "title", "ylabel", "ax"],
    )
    if outcome == "ok":
        ys = [line.get_ydata() for line in drawn.lines]
        assert len(ys) == 1 + len(forecasts)
        np.testing.assert_array_equal(ys[0], _first_column(truth))
        for got, f in zip(ys[1:], forecasts.values()):
            np.testing.assert_array_equal(got, _first_column(f))
        # each forecast its own colour and line style
        styles = [(ln.get_color(), ln.get_linestyle()) for ln in drawn.lines[1:]]
        assert len(set(styles)) == len(styles)


@given(
    t=st.one_of(
        forms(YEARS), NOT_AN_ARRAY, st.sampled_from([YEARS[::-1], YEARS[:1], YEARS[:5]])
    ),
    y=st.one_of(st.just(GAPPY), forms(np.nan_to_num(GAPPY)), NOT_AN_ARRAY),
    t_val=st.one_of(st.just(1902.0), NOT_A_NUMBER, NOT_FINITE, st.just(1950)),
    t_test=st.one_of(st.just(np.int64(1904)), st.just(1901.0)),
    ax=st.sampled_from([None, "ax", 3]),
)
def test_plot_blocks(t, y, t_val, t_test, ax):
    axes = plt.subplots()[1] if ax == "ax" else ax
    outcome, drawn = keeps_contract(
        lambda: plots.plot_blocks(t, y, t_val, t_test, ax=axes),
        ["t", "y", "t_val", "t_test", "ax"],
    )
    if outcome == "ok":
        line = drawn.lines[0]
        np.testing.assert_array_equal(line.get_xdata(), YEARS)
        np.testing.assert_array_equal(line.get_ydata(), as_float(y))
        assert [p.get_label() for p in drawn.patches] == ["validation", "test"]


@given(
    n_curves=st.integers(1, 3),
    bad=st.sampled_from([None, "labels", "length", "errors", "one label"]),
)
def test_plot_forecast_error_and_gradient_norms(n_curves, bad):
    x = np.arange(1.0, 6.0)
    curves = [np.linspace(1, 2, 5) * (k + 1) for k in range(n_curves)]
    curves[0][2] = np.nan
    labels = [f"c{k}" for k in range(n_curves)]
    if bad == "labels":
        labels = labels + ["extra"]
    elif bad == "one label":
        labels = "c0"
    elif bad == "length":
        curves[-1] = curves[-1][:3]
    elif bad == "errors":
        curves = "e"
    for fn, names in (
        (plots.plot_forecast_error, ["labels", "errors"]),
        (plots.plot_gradient_norms, ["labels", "norms"]),
    ):
        outcome, ax = keeps_contract(lambda fn=fn: fn(x, curves, labels), names)
        assert (outcome == "ok") == (bad is None)
        if outcome == "ok":
            assert [ln.get_label() for ln in ax.lines] == labels
            np.testing.assert_array_equal(ax.lines[-1].get_ydata(), np.abs(curves[-1]))


@given(
    A=st.one_of(
        forms(np.arange(6.0).reshape(2, 3)),
        NOT_AN_ARRAY,
        st.sampled_from([np.zeros(3), np.zeros((0, 3)), np.full((2, 2), np.nan)]),
    ),
    vmin=st.one_of(st.none(), st.just(-1.0), NOT_A_NUMBER),
    vmax=st.sampled_from([None, 9.0, -5.0]),
    cmap=st.sampled_from(["viridis", "RdBu_r", "no such map", 3]),
)
def test_plot_heatmap(A, vmin, vmax, cmap):
    outcome, ax = keeps_contract(
        lambda: plots.plot_heatmap(A, vmin=vmin, vmax=vmax, cmap=cmap),
        ["A", "vmin", "vmax", "cmap"],
    )
    if outcome == "ok":
        shown = ax.images[0].get_array()
        np.testing.assert_array_equal(
            np.ma.filled(shown.astype(float), np.nan), as_float(A)
        )


@given(
    results=st.sampled_from(
        [
            {"RNN": {4: 0.1, 8: float("nan")}, "LSTM": {4: 0.01}},
            {},
            {"RNN": {4.0: 0.1}},
            {"RNN": {True: 0.1}},
            {"RNN": {4: "x"}},
            {"RNN": [0.1]},
            [("RNN", {4: 0.1})],
            {3: {4: 0.1}},
        ]
    ),
    highlight=st.one_of(st.none(), st.just(8), NOT_A_NUMBER),
    baseline=st.one_of(st.just(1 / 3), st.just(0), NOT_A_NUMBER),
)
def test_plot_recall_errors(results, highlight, baseline):
    outcome, ax = keeps_contract(
        lambda: plots.plot_recall_errors(
            results, highlight=highlight, baseline=baseline
        ),
        ["results", "highlight", "baseline"],
    )
    if outcome == "ok":
        curves = {ln.get_label(): ln for ln in ax.lines}
        for cell, by_lags in results.items():
            np.testing.assert_array_equal(curves[cell].get_xdata(), sorted(by_lags))
