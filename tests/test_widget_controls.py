"""Every control of every widget is bounded: a slider, buttons, a drop-down or a checkbox,
never a free-text box a learner could type a wrong value into (issue 20: notebook 02's
RNN-only widget once showed a "cell" text box; "GRU" gave a traceback, "LSTM" an LSTM)."""

import contextlib
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from helpers.data import sine_series
from helpers.experiments import MODELS, TASK_SERIES
from helpers.gate_widgets import gate_widget, memory_widget
from helpers.models import LSTM
from helpers.widgets import (
    gradient_widget,
    lag_window_widget,
    recall_widget,
    series_widget,
    sine_model_widget,
)

BOUNDED = (
    widgets.IntSlider,
    widgets.FloatSlider,
    widgets.SelectionSlider,
    widgets.ToggleButtons,
    widgets.Dropdown,
    widgets.Checkbox,
)


def build(builder, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return builder(*args, **kwargs)


def notebook_widgets():
    """The widgets as the notebooks call them (01-05), built once each."""
    t, y = sine_series(n_points=600, time_step=0.1)
    return {
        "01 lag window": build(lag_window_widget, t[:80], y[:80]),
        "02 RNN only": build(sine_model_widget, cells=("RNN",)),
        "03 LSTM or RNN": build(sine_model_widget, cells=("LSTM", "RNN")),
        "04 gradients": build(gradient_widget),
        "04 recall": build(recall_widget, lags=4),
        "05 series": build(series_widget),
        "03 gates": build(gate_widget, LSTM(1, 4, seed=0)),
        "04 memory": build(memory_widget, lags=4, mark_lag=4),
    }


@pytest.fixture(scope="module")
def built():
    ws = notebook_widgets()
    yield ws
    plt.close("all")


def controls(w):
    """The widget's controls: every child but the picture and the output area."""
    return [c for c in w.children if not isinstance(c, (widgets.Output, widgets.Image))]


def test_every_control_is_bounded(built):
    for name, w in built.items():
        assert controls(w), f"{name}: no controls"
        for c in controls(w):
            assert isinstance(c, BOUNDED), (
                f"{name}: control {c.description!r} is a {type(c).__name__}, "
                "which lets a learner type or pick an unbounded value"
            )
            assert c.description, f"{name}: a control without a label"


def test_a_single_cell_is_fixed_and_several_cells_are_buttons_limited_to_them(built):
    labels = {c.description: c for c in controls(built["02 RNN only"])}
    assert set(labels) == {"lags L", "hidden q"}
    assert type(built["02 RNN only"].result["model"]).__name__ == "RNN"
    cell = {c.description: c for c in controls(built["03 LSTM or RNN"])}["cell"]
    assert isinstance(cell, widgets.ToggleButtons)
    assert tuple(cell.options) == ("LSTM", "RNN")
    series = {c.description: c for c in controls(built["05 series"])}
    assert tuple(series["cell"].options) == tuple(MODELS)
    assert tuple(series["series"].options) == TASK_SERIES


def test_the_one_cell_widget_has_no_cell_argument_to_set():
    # each cell alone gives a widget of that cell and no cell control
    for cell in MODELS:
        w = build(sine_model_widget, cells=(cell,), lags=2, q=4)
        assert "cell" not in {c.description for c in controls(w)}
        assert type(w.result["model"]).__name__ == cell
    plt.close("all")
