"""helpers.widgets keeps the contract: start values, cells and sizes are refused by name
before any training, the same way every time (the caches never see an unchecked value).
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from contract import NOT_AN_INTEGER, integers, keeps_contract, refused
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import experiments, widgets

WIDGET_EXAMPLES = 12  # a valid case trains or draws: fewer of them


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@settings(max_examples=WIDGET_EXAMPLES)
@given(
    T=st.integers(2, 8),
    max_lags=st.one_of(integers(1, 30), NOT_AN_INTEGER, st.just(0)),
    y_form=st.integers(0, 6),
)
def test_lag_window_widget_on_short_series(T, max_lags, y_form):
    t = np.arange(T) * 0.1
    y = [
        np.sin(t),
        np.sin(t).tolist(),
        np.flip(np.flip(np.sin(t)).copy()),
        np.sin(t).astype(">f8"),
        "y",
        None,
        np.sin(t)[:, None].T,
    ][y_form]
    outcome, w = keeps_contract(
        lambda: widgets.lag_window_widget(t, y, max_lags=max_lags),
        ["y", "max_lags", "t"],
    )
    if outcome == "ok":
        L = min(widgets.START_LAGS, int(max_lags), T - 1)
        assert w.result["X_shape"] == (L, T - L, 1)
        assert w.result["target"] == L


@given(
    lags=st.one_of(
        st.sampled_from([1, 10, 20]), NOT_AN_INTEGER, st.sampled_from([0, 21])
    ),
    q=st.one_of(st.sampled_from([1, 8]), NOT_AN_INTEGER, st.sampled_from([3, 128])),
    cells=st.sampled_from(
        [("RNN",), ["LSTM", "RNN"], "RNN", (), ("GRU",), (["RNN"],), ("RNN", "RNN")]
    ),
)
def test_sine_model_widget_refuses_bad_start_values(lags, q, cells):
    valid = (
        isinstance(lags, int)
        and not isinstance(lags, bool)
        and lags in (1, 10, 20)
        and isinstance(q, int)
        and not isinstance(q, bool)
        and q in (1, 8)
        and cells in (("RNN",), ["LSTM", "RNN"])
    )
    if valid:
        return  # building a valid widget trains once; tests/test_widgets.py covers that
    refused(
        lambda: widgets.sine_model_widget(cells=cells, lags=lags, q=q),
        ["lags", "q", "cells"],
    )


@settings(max_examples=WIDGET_EXAMPLES)
@given(
    cell=st.sampled_from(["RNN", "LSTM", "rnn", None, 3]),
    lags=st.one_of(st.sampled_from([2, 3]), NOT_AN_INTEGER, st.just(0)),
    q=st.one_of(st.sampled_from([4]), NOT_AN_INTEGER, st.just(0)),
    seed=st.one_of(st.just(0), NOT_AN_INTEGER, st.just(-1)),
)
def test_train_on_sine(cell, lags, q, seed):
    outcome, res = keeps_contract(
        lambda: experiments.train_on_sine(cell, lags, q, seed=seed),
        ["cell", "lags", "q", "seed"],
    )
    assert (outcome == "ok") == (
        cell in ("RNN", "LSTM")
        and lags in (2, 3)
        and not isinstance(lags, (bool, float))
        and q == 4
        and not isinstance(q, (bool, float))
        and seed == 0
        and not isinstance(seed, (bool, float))
    )
    if outcome == "ok":
        yhat = res["model"](res["task"].X_test).detach().numpy()
        np.testing.assert_allclose(res["yhat"], yhat, rtol=1e-6)


@given(
    lags=st.one_of(NOT_AN_INTEGER, st.sampled_from([1, 0, 10**6])),
    cell=st.sampled_from(["RNN", "GRU", None]),
)
def test_train_on_recall_refuses_the_same_way_every_time(lags, cell):
    first = refused(lambda: experiments.train_on_recall(cell, lags), ["lags", "cell"])
    second = refused(lambda: experiments.train_on_recall(cell, lags), ["lags", "cell"])
    assert type(first) is type(second) and str(first) == str(second)


@given(
    lags=st.one_of(NOT_AN_INTEGER, st.sampled_from([5, 1, 61])),
    q=st.one_of(NOT_AN_INTEGER, st.sampled_from([3, 0])),
    seed=st.one_of(NOT_AN_INTEGER, st.just(-1)),
)
def test_gradient_and_recall_widgets_refuse_bad_start_values(lags, q, seed):
    # 5 is on the gradient slider, not the recall one
    if not (isinstance(lags, int) and lags == 5):
        refused(lambda: widgets.gradient_widget(lags=lags, q=16, seed=0), ["lags"])
    refused(lambda: widgets.gradient_widget(lags=30, q=q, seed=0), ["q"])
    refused(lambda: widgets.gradient_widget(lags=30, q=16, seed=seed), ["seed"])
    refused(lambda: widgets.recall_widget(lags=lags), ["lags"])


@given(
    results=st.sampled_from(
        [{"GRU": {4: 0.1}}, {"RNN": [0.1]}, {"RNN": {4: "x"}}, "r", {"RNN": {4.5: 0.1}}]
    )
)
def test_recall_widget_refuses_bad_results(results):
    refused(lambda: widgets.recall_widget(lags=16, results=results), ["results"])


def test_a_float_lags_stays_refused_after_the_integer_was_trained():
    assert experiments.train_on_recall("RNN", 2)["task"].lags == 2
    refused(lambda: experiments.train_on_recall("RNN", 2.0), ["lags"])
    trained = experiments.train_on_recall("RNN", 2)
    assert experiments.train_on_recall("RNN", np.int64(2)) is trained
