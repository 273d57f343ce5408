"""helpers.series_plots keeps the contract: every argument checked before drawing, NaN
values drawn as gaps."""

import matplotlib.pyplot as plt
import numpy as np
from contract import (
    NOT_A_NUMBER,
    NOT_AN_ARRAY,
    NOT_FINITE,
    as_float,
    forms,
    keeps_contract,
)
from hypothesis import given
from hypothesis import strategies as st

from helpers.series_plots import plot_blocks, plot_forecasts

T = np.arange(6.0) + 1900  # (T,) years
Y = np.array([1.0, np.nan, 3.0, 2.0, 5.0, 4.0])  # a gap at 1901


@given(
    t=st.one_of(forms(T), NOT_AN_ARRAY, st.sampled_from([T[::-1], T[:1], T[:5]])),
    y=st.one_of(st.just(Y), forms(np.nan_to_num(Y)), NOT_AN_ARRAY),
    t_val=st.one_of(st.just(1902.0), NOT_A_NUMBER, NOT_FINITE, st.just(1950)),
    t_test=st.one_of(st.just(np.int64(1904)), st.just(1901.0)),
    ax=st.sampled_from([None, "ax", 3]),
)
def test_plot_blocks(t, y, t_val, t_test, ax):
    axes = plt.subplots()[1] if ax == "ax" else ax
    outcome, drawn = keeps_contract(
        lambda: plot_blocks(t, y, t_val, t_test, ax=axes),
        ["t", "y", "t_val", "t_test", "ax"],
    )
    if outcome == "ok":
        line = drawn.lines[0]
        np.testing.assert_array_equal(line.get_xdata(), T)
        np.testing.assert_array_equal(line.get_ydata(), as_float(y))
        assert [p.get_label() for p in drawn.patches] == ["validation", "test"]
    plt.close("all")


@given(
    truth=st.one_of(forms(Y[:, None]), st.just(Y), NOT_AN_ARRAY, st.just(Y[:4])),
    forecasts=st.one_of(
        st.just({"a": np.zeros(6), "b": np.ones((6, 1))}),
        st.just({}),
        st.sampled_from(
            [{"a": np.zeros(5)}, {"a": np.zeros((6, 2))}, {3: np.zeros(6)}, [1.0], None]
        ),
        NOT_AN_ARRAY.map(lambda v: {"a": v}),
    ),
    title=st.sampled_from([None, "t", 3]),
)
def test_plot_forecasts(truth, forecasts, title):
    outcome, drawn = keeps_contract(
        lambda: plot_forecasts(T, truth, forecasts, title=title),
        ["truth", "forecasts", "forecast", "title"],
    )
    if outcome == "ok":
        ys = [line.get_ydata() for line in drawn.lines]
        np.testing.assert_array_equal(ys[0], as_float(truth).ravel())
        for got, f in zip(ys[1:], forecasts.values()):
            np.testing.assert_array_equal(got, np.ravel(f))
        assert len(ys) == 1 + len(forecasts)
    plt.close("all")
