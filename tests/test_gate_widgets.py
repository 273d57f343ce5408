"""The live widgets' parts in plain pytest: the shaped windows, one window through the
model's `states`, the in-place picture (blitting draws what a full drawing draws), the
PNG a page without a kernel shows, and the widgets' callbacks."""

import base64
import contextlib
import io

import numpy as np
import PIL.Image
import pytest
import torch

from helpers.data import TIME_STEP, recall_block
from helpers.gate_widgets import gate_widget, memory_widget, readout
from helpers.live import LiveFigure
from helpers.models import LSTM, RNN
from helpers.probes import (
    add_bump,
    bump_effect,
    cell_states,
    marked_window,
    sine_window,
)


def build(builder, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return builder(*args, **kwargs)


def controls(w):
    return {c.description: c for c in w.children if getattr(c, "description", "")}


def set_quietly(control, value):
    with contextlib.redirect_stdout(io.StringIO()):
        control.value = value


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


def test_sine_window_ends_at_its_phase_one_time_step_apart():
    X = sine_window(5, 90)
    assert X.shape == (5, 1, 1)
    # the newest point (X[L-1]) is the top of the cycle; X[k] = sin(pi/2 - (4 - k) 0.1)
    np.testing.assert_allclose(
        X[:, 0, 0], np.sin(np.pi / 2 - np.arange(4, -1, -1) * TIME_STEP)
    )
    assert X[-1, 0, 0] == pytest.approx(1.0)


def test_a_spike_changes_one_lag_a_level_shift_every_newer_one():
    X = sine_window(6, 0)
    spike, shift = add_bump(X, 0.5, 3, "spike"), add_bump(X, 0.5, 3, "level shift")
    # lag 3 is X[L - 3] = X[3]
    np.testing.assert_allclose((spike - X)[:, 0, 0], [0, 0, 0, 0.5, 0, 0])
    np.testing.assert_allclose((shift - X)[:, 0, 0], [0, 0, 0, 0.5, 0.5, 0.5])
    assert np.all(X == sine_window(6, 0)), "the window given is left as it was"
    with pytest.raises(ValueError, match="lag"):
        add_bump(X, 0.5, 7)
    with pytest.raises(ValueError, match="kind"):
        add_bump(X, 0.5, 1, "ramp")


def test_marked_window_is_a_recall_window_with_the_mark_placed():
    X = marked_window(8, 5, 0.3, seed=1)
    assert X.shape == (8, 1, 2)
    # the marker column is one at X[8 - 5] only, and the value there is the one given
    np.testing.assert_array_equal(X[:, 0, 1], np.eye(8)[3])
    assert X[3, 0, 0] == 0.3
    # the other values: uniform in [-1, 1], the same for the same seed
    assert np.all(np.abs(X[:, 0, 0]) <= 1)
    np.testing.assert_array_equal(
        X[:, 0, 0][[0, 1, 2, 4]], marked_window(8, 5, -1, 1)[[0, 1, 2, 4], 0, 0]
    )
    # the same two columns as the task's own windows
    Xr, _, _ = recall_block(8, 2, np.random.default_rng(0))
    assert Xr.shape[2] == X.shape[2] and set(np.unique(Xr[..., 1])) == {0.0, 1.0}


@pytest.mark.parametrize("cell", [RNN, LSTM])
def test_cell_states_are_the_models_states_and_forecast(cell):
    model = cell(2, 4, seed=3, D_out=1)
    X = marked_window(6, 4, 0.7)
    out = cell_states(model, X)
    with torch.no_grad():
        ref = model.states(torch.tensor(X, dtype=torch.float32))
        yhat = model(torch.tensor(X, dtype=torch.float32))
    for name, value in ref.items():
        np.testing.assert_allclose(out[name], value[:, 0].numpy(), rtol=1e-6)
    assert out["yhat"] == pytest.approx(float(yhat[0, 0]), abs=1e-6)
    with pytest.raises(ValueError, match="one window"):
        cell_states(model, np.zeros((6, 2, 2)))


def test_bump_effect_measures_the_change_by_hand():
    model = LSTM(1, 4, seed=1)
    e = bump_effect(model, 6, 30, 0.5, 3)
    plain, shaped = sine_window(6, 30), add_bump(sine_window(6, 30), 0.5, 3)
    a, b = cell_states(model, shaped), cell_states(model, plain)
    # lag 3 of L = 6 is read at step k = 4, array row 3
    assert e["step"] == 4
    for name in ("f", "i", "o", "s_tilde", "s", "h"):
        assert e["change_k"][name] == pytest.approx(
            np.abs(a[name][3] - b[name][3]).max()
        )
        assert e["change_L"][name] == pytest.approx(
            np.abs(a[name][5] - b[name][5]).max()
        )
    # the forget gates after step 4: steps 5 and 6, rows 4 and 5
    assert e["f_after"] == pytest.approx(a["f"][4:].max())
    assert e["kept"] == pytest.approx((a["f"][4] * a["f"][5]).max())
    assert e["yhat"] == pytest.approx(a["yhat"]) and e["plain_yhat"] == b["yhat"]
    assert e["truth"] == pytest.approx(np.sin(np.pi / 6 + TIME_STEP))
    # a bump at lag 1 has no later forget gate; a bump of 0 changes nothing
    last = bump_effect(model, 6, 30, 0.5, 1)
    assert last["kept"] == 1.0 and np.isnan(last["f_after"])
    assert max(bump_effect(model, 6, 30, 0.0, 2)["change_L"].values()) == 0.0
    with pytest.raises(TypeError, match="LSTM with D = 1"):
        bump_effect(RNN(1, 4), 6, 30, 0.5, 3)


def test_the_readout_prints_the_numbers_the_notebook_cites():
    model = LSTM(1, 4, seed=1)
    e = bump_effect(model, 6, 150, 0.5, 3, "level shift")
    text = readout(e, 150, 0.5, 3, "level shift")
    lines = text.splitlines()
    assert lines[0] == "phase 150°: ends at y = +0.50, falling"
    assert lines[1] == "level shift of +0.5 at lag 3 (step k = 4)"
    assert f"forecast {e['yhat']:+.3f}" in lines[2]
    assert f"change {e['yhat'] - e['plain_yhat']:+.3f}" in lines[2]
    assert f"sine's next {e['truth']:+.3f}" in lines[2]
    names = ("f", "i", "o", "s_tilde", "s", "h")
    assert lines[4].split()[-6:] == [f"{e['change_L'][n]:.3f}" for n in names]
    assert lines[5].split()[-6:] == [f"{e['change_k'][n]:.3f}" for n in names]
    assert f"f_5 x f_6 <= {e['kept']:.2f}" in lines[-1]
    # a few short lines: none wraps on a projector (the browser test measures it)
    assert len(lines) <= 7 and max(map(len, lines)) <= 66
    at_last = readout(bump_effect(model, 6, 30, 0.5, 1), 30, 0.5, 1, "spike")
    assert "none (k = L)" in at_last


def test_blitting_draws_what_a_full_drawing_draws():
    live = LiveFigure(1, 2, figsize=(6, 2.5))
    ax = live.axes[0]
    (line,) = ax.plot(np.arange(10), np.zeros(10))
    im = live.axes[1].imshow(np.zeros((4, 3)), vmin=-1, vmax=1)
    ax.set_ylim(-1, 1)
    live.animate([line, im])
    live.render()
    line.set_ydata(np.linspace(-1, 1, 10))
    im.set_data(np.eye(4, 3))
    fast = pixels(live.render(relayout=False, full=False))
    slow = pixels(live.render(relayout=False, full=True))
    assert fast.shape == slow.shape
    np.testing.assert_array_equal(fast, slow)
    assert live.image.value == live.png


def test_gate_widget_redraws_in_place_and_carries_a_static_picture():
    model = LSTM(1, 4, seed=0)
    w = build(gate_widget, model, lags=6)
    figure, image = w.result["figure"], w.live.image
    first = image.value
    c = controls(w)
    set_quietly(c["phase °"], 120)
    set_quietly(c["bump size"], 0.5)
    # one figure and one picture widget for the widget's life; new pixels each move
    assert w.result["figure"] is figure and w.live.image is image
    assert image.value != first
    np.testing.assert_allclose(
        w.result["window"][:, 0, 0], add_bump(sine_window(6, 120), 0.5, 3)[:, 0, 0]
    )
    # the forecast is the model's own
    with torch.no_grad():
        yhat = model(torch.tensor(w.result["window"], dtype=torch.float32))
    assert w.result["states"]["yhat"] == pytest.approx(float(yhat[0, 0]), abs=1e-6)
    # every control updates while dragged, except the buttons
    assert all(
        getattr(x, "continuous_update", True)
        for x in c.values()
        if hasattr(x, "continuous_update")
    )
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == image.value


def test_gate_widget_change_mode_shows_differences_from_the_plain_window():
    w = build(gate_widget, LSTM(1, 4, seed=0), lags=6)
    c = controls(w)
    set_quietly(c["bump size"], 1.0)
    set_quietly(c["show"], "change")
    assert w.result["change_k"]["s"] > 0
    # every move prints the readout of what it computed, and the heat maps' mode
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        c["at lag"].value = 2
    res = w.result
    # (outside a notebook, the output area's clearing prints terminal codes first)
    assert printed.getvalue().endswith(
        readout(res, 30, 1.0, 2, "spike") + "\nheat maps show: change\n"
    )
    f = w.live.panels["f"].images[0]
    np.testing.assert_allclose(
        f.get_array(), w.result["states"]["f"] - w.result["plain_states"]["f"]
    )


@pytest.mark.parametrize(
    "build_it, words",
    [
        (
            lambda: gate_widget(RNN(1, 4)),
            "model must be a helpers.models.LSTM with D = 1",
        ),
        (
            lambda: gate_widget(LSTM(2, 4)),
            "model must be a helpers.models.LSTM with D = 1",
        ),
        (lambda: gate_widget(LSTM(1, 4), lag=11), "lag"),
        (lambda: memory_widget(lags=24, mark_lag=25), "mark_lag"),
        (lambda: gate_widget(LSTM(1, 4), phase=35), "phase must be a multiple of 10"),
        (lambda: gate_widget(LSTM(1, 4), size=2), "size must be from -1.0 to 1.0"),
        (
            lambda: memory_widget(lags=4, mark_lag=4, value=-1.5),
            "value must be from -1.0 to 1.0",
        ),
    ],
)
def test_bad_start_values_are_refused_by_name(build_it, words):
    with pytest.raises((TypeError, ValueError), match=words):
        build_it()


def test_memory_widget_uses_the_recall_runs_and_moves_the_mark():
    w = build(memory_widget, lags=4, mark_lag=4)
    set_quietly(controls(w)["mark at lag"], 2)
    res = w.result
    assert res["window"][2, 0, 1] == 1 and res["window"][:, 0, 1].sum() == 1
    # nothing before the mark's step changes
    for trace in res["traces"].values():
        assert np.all(trace[:2] == 0) and trace[2] > 0


def test_a_legend_beside_the_axes_is_in_the_picture():
    # the model widgets' legends sit right of the axes, past the figure's edge
    live = LiveFigure(figsize=(4, 2))
    ax = live.axes[0]
    ax.plot([0, 1], [0, 1], label="a long legend entry")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    width = pixels(live.render()).shape[1]
    assert width > 4 * live.figure.dpi
    # the same box for a move that keeps the layout
    ax.lines[0].set_ydata([1, 0])
    assert pixels(live.render(relayout=False)).shape[1] == width
