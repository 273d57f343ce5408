"""Widget callbacks in plain pytest: set a slider's value, check what the callback computed."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.data import sine_series
from helpers.widgets import (
    gradient_widget,
    lag_window_widget,
    recall_widget,
    sine_model_widget,
)


def _sliders(w):
    return {
        c.description: c
        for c in w.children
        if hasattr(c, "description") and c.description
    }


def test_lag_window_widget_follows_the_sliders():
    t, y = sine_series(40, 0.1)
    w = lag_window_widget(t, y)
    s = _sliders(w)
    assert w.result["X_shape"] == (2, 38, 1)  # initial L = 2
    s["lags L"].value = 5
    assert w.result["X_shape"] == (5, 35, 1) and w.result["Y_shape"] == (35, 1)
    s["sample n"].value = 7
    assert w.result["window"] == [7, 8, 9, 10, 11] and w.result["target"] == 12
    # The picture shows exactly those points: inputs and target of sample 7.
    ax = w.result["figure"].axes[0]
    inputs = next(line for line in ax.lines if line.get_label().startswith("inputs"))
    np.testing.assert_allclose(inputs.get_ydata(), y[7:12])
    # A larger L leaves fewer samples: the sample slider's range shrinks with it.
    s["lags L"].value = 30
    assert s["sample n"].max == 40 - 30 - 1
    assert w.result["target"] == s["sample n"].value + 30 <= 39


def test_model_widget_retrains_and_explains_one_lag():
    w = sine_model_widget(cells=("RNN", "LSTM"), lags=5, q=8)
    s = _sliders(w)
    first = w.result
    assert first["test_mse"] < 1e-3 and first["model"].q == 8
    line = first["figure"].axes[0].lines[1]  # the prediction
    np.testing.assert_allclose(line.get_ydata(), first["yhat"][:, 0])

    s["lags L"].value = 1
    one = w.result
    assert one is not first and one["task"].lags == 1
    assert one["test_mse"] > 4.5e-3  # the one-lag floor, measured in notebook 01
    assert "cannot tell whether the sine is rising or falling" in one["message"]

    s["lags L"].value = 4
    s["cell"].value = "LSTM"
    assert type(w.result["model"]).__name__ == "LSTM" and w.result["test_mse"] < 1e-3
    q, D = 8, 1
    # the RNN's U, W, b, V, c
    assert first["parameters"] == q * D + q * q + q + q * D + D
    # the LSTM's fourteen
    assert w.result["parameters"] == 4 * (q * q + D * q + q) + q * D + D


def test_model_widget_explains_too_small_q_in_words():
    w = sine_model_widget(lags=5, q=1)
    res = w.result
    assert res["test_mse"] > 1e-3
    assert "q = 1 hidden units could not fit" in res["message"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_gradient_widget_redraws_for_new_sizes():
    w = gradient_widget(lags=12, q=8)
    s = _sliders(w)
    first = w.result
    assert first["norms"]["RNN"].shape == (12,) and list(first["distance"]) == list(
        range(12, 0, -1)
    )
    s["lags L"].value = 20
    res = w.result
    assert res["norms"]["LSTM"].shape == (20,)
    # at initialisation the RNN's gradient from the oldest lag is far below the newest lag's
    assert res["norms"]["RNN"][0] < 1e-2 * res["norms"]["RNN"][-1]
    s["hidden q"].value = 32
    assert w.result["sigma"] != res["sigma"]  # a new W, a new sigma_max


def test_recall_widget_compares_equal_budget_models():
    w = recall_widget(lags=4)
    res = w.result["results"]
    assert set(res) == {"RNN", "LSTM"}
    assert res["RNN"]["model"].q == 17 and res["LSTM"]["model"].q == 8
    assert all(r["relative"] < 0.1 for r in res.values())  # 4 lags: both remember
    _sliders(w)["lags L"].value = 8
    assert w.result["results"]["LSTM"]["task"].lags == 8
    lines = [
        line
        for line in w.result["figure"].axes[0].lines
        if line.get_label() in ("RNN", "LSTM")
    ]
    # both L = 4 and L = 8 are drawn
    assert all(len(line.get_xdata()) == 2 for line in lines)
    # results passed in are drawn from the start
    w2 = recall_widget(lags=4, results={"RNN": {30: 0.3}, "LSTM": {30: 0.01}})
    rnn_line = next(
        line for line in w2.result["figure"].axes[0].lines if line.get_label() == "RNN"
    )
    assert list(rnn_line.get_xdata()) == [4, 30]


@pytest.mark.parametrize(
    "build, words",
    [
        (
            lambda: sine_model_widget(cells=("GRU",)),
            "cells must be a non-empty tuple of names from",
        ),
        (lambda: sine_model_widget(cells="LSTM"), "cells must be a non-empty tuple"),
        (lambda: sine_model_widget(cells=()), "cells must be a non-empty tuple"),
        (
            lambda: sine_model_widget(lags=99),
            r"lags must be an integer from 1 to 20 \(the slider's range\), got 99",
        ),
        (
            lambda: sine_model_widget(q=5),
            r"q must be one of the slider's hidden sizes \(1, 2, 4, 8, 16, 32, 64\), got 5",
        ),
        (lambda: gradient_widget(lags=1), "lags must be an integer from 2 to 60"),
        (
            lambda: recall_widget(lags=5),
            r"lags must be one of the slider's values \(4, 8",
        ),
    ],
)
def test_a_start_value_the_slider_cannot_show_is_refused_before_any_training(
    build, words
):
    # ipywidgets would clamp it silently (lags=99 would quietly train L = 20).
    with pytest.raises(ValueError, match=words):
        build()
