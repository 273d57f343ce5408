"""Live widgets on a trained cell: the learner shapes one input window and watches the
cell answer while a slider is dragged (no training in a move: one forward pass of one
window through the model's `states`, then the artists' data are updated in place).

- gate_widget (notebook 03): a sine window, its phase and a spike or level shift added;
  the gates o, i, f, the candidate s~, the cell state s and h at every step, and a
  printout of the forecast and of the largest changes (readout);
- memory_widget (notebook 04): a recall window with its mark placed by hand; the
  LSTM's cell state and the RNN's h, and how much of the mark each still holds.

Each returns a live.LiveInteractive; `.result` holds what the last move computed.
"""

import ipywidgets as widgets
import numpy as np

from . import shell_checks as checks
from .experiments import MAX_RECALL_LAGS, check_integer_in, train_on_recall
from .gate_plots import (
    GATE_PANELS,
    draw_heatmaps,
    draw_marked_window,
    draw_trace,
    draw_window,
    update_heatmaps,
    update_marked_window,
    update_trace,
    update_window,
)
from .live import LiveFigure, LiveInteractive
from .probes import (
    BUMPS,
    bump_effect,
    cell_states,
    check_sine_lstm,
    marked_window,
    sine_window,
)

# the phase slider, degrees: where in the sine's cycle the window ends
PHASE_STEP = 10
# the bump's size: up to one amplitude of the sine either way
BUMP_RANGE = (-1.0, 1.0)
BUMP_STEP = 0.1
SHOW = ("values", "change")
# the y range of the gate widget's window panel: the sine and a bump of 1 on top
WINDOW_YLIM = (-2.2, 2.2)
GATE_MOSAIC = [["window", "o", "i", "f"], ["window", "s_tilde", "s", "h"]]
MEMORY_MOSAIC = [["window", "s", "rnn"], ["trace", "s", "rnn"]]
# the marked value: the recall task's values are uniform in [-1, 1]
VALUE_RANGE = (-1.0, 1.0)
# how many distractor windows the memory widget offers
WINDOWS = 10


def _in_range(name, value, bounds):
    value = checks.real(name, value)
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError(
            f"{name} must be from {bounds[0]} to {bounds[1]} (the slider's range), "
            f"got {value!r}"
        )
    return value


def live_slider(cls, **kwargs):
    """A slider that updates while dragged, marked for the browser tests and the
    latency benchmark (CSS class widget-live)."""
    slider = cls(continuous_update=True, **kwargs)
    slider.add_class("widget-live")
    return slider


def _direction(phase):
    # the sine rises where its cosine is positive
    slope = np.cos(np.deg2rad(phase))
    if abs(slope) < 1e-9:
        return "at a turning point"
    return "rising" if slope > 0 else "falling"


# the readout's columns: the gates, the candidate and the states
READOUT_NAMES = {"f": "f", "i": "i", "o": "o", "s_tilde": "s~", "s": "s", "h": "h"}


def readout(effect, phase, size, lag, kind):
    """The gate widget's printout for one setting: a few short lines (none wraps on a
    projector) with the numbers of probes.bump_effect's dict `effect`."""
    e, L = effect, len(effect["plain"])
    k = e["step"]
    header = " ".join(f"{label:>5}" for label in READOUT_NAMES.values())
    forecasts = (
        f"forecast {e['yhat']:+.3f}; plain {e['plain_yhat']:+.3f}, change "
        f"{e['yhat'] - e['plain_yhat']:+.3f}; sine's next {e['truth']:+.3f}"
    )
    lines = [
        f"phase {phase}°: ends at y = {e['plain'][-1, 0, 0]:+.2f}, {_direction(phase)}",
        f"{kind} of {size:+.1f} at lag {lag} (step k = {k})",
        forecasts,
        f"largest change   {header}",
    ]
    for label, change in (
        (f"at step L = {L}", "change_L"),
        (f"at step k = {k}", "change_k"),
    ):
        values = " ".join(f"{e[change][name]:5.3f}" for name in READOUT_NAMES)
        lines.append(f"  {label:<15}{values}")
    if k == L:
        lines.append("after step k: none (k = L), no forget gate acts on it")
    else:
        # the forget gates after the bump's step, written out when two or one
        later = " x ".join(f"f_{j}" for j in range(k + 1, L + 1))
        if L - k > 2:
            later = f"f_{k + 1} x ... x f_{L}"
        lines.append(
            f"after step k: largest f {e['f_after']:.2f}; {later} <= {e['kept']:.2f}"
        )
    return "\n".join(lines)


def gate_widget(model, lags=10, phase=30, size=0.0, lag=3):
    """Sliders for the window's phase (degrees) and a bump's size and lag, buttons for
    the bump's kind (spike or level shift) and for what the heat maps show (the values,
    or their change from the plain sine window).  model: a trained LSTM with D = 1
    (the sine task's); lags: the window's L.  Every move prints readout(...)."""
    check_sine_lstm(model)
    lags = checks.integer("lags", lags, 2)
    lag = checks.integer("lag", lag, 1, lags)
    # start values the sliders can show (ipywidgets would clamp or snap them silently)
    phase = check_integer_in(
        "phase",
        phase,
        range(0, 360, PHASE_STEP),
        f"a multiple of {PHASE_STEP} from 0 to {360 - PHASE_STEP} (the slider's values)",
    )
    size = _in_range("size", size, BUMP_RANGE)
    controls = {
        "phase": live_slider(
            widgets.IntSlider,
            value=phase,
            min=0,
            max=360 - PHASE_STEP,
            step=PHASE_STEP,
            description="phase °",
        ),
        "size": live_slider(
            widgets.FloatSlider,
            value=size,
            min=BUMP_RANGE[0],
            max=BUMP_RANGE[1],
            step=BUMP_STEP,
            description="bump size",
        ),
        "lag": live_slider(
            widgets.IntSlider, value=lag, min=1, max=lags, description="at lag"
        ),
        "kind": widgets.ToggleButtons(options=BUMPS, description="bump"),
        "show": widgets.ToggleButtons(options=SHOW, description="show"),
    }
    for name in ("kind", "show"):
        controls[name].style = {"button_width": "90px", "description_width": "80px"}
        controls[name].layout = {"display": "flex"}
    live = LiveFigure(
        mosaic=GATE_MOSAIC,
        figsize=(10, 5.5),
        gridspec_kw={"wspace": 0.45, "hspace": 0.4},
    )
    plain = sine_window(lags, phase)
    first = cell_states(model, plain)
    artists = draw_window(
        live.panels["window"], plain[:, 0, 0], plain[:, 0, 0], "input"
    )
    # the gates share one colour bar (f's), s~ and h another (h's); s has its own
    images = draw_heatmaps(
        live.panels,
        first,
        GATE_PANELS,
        bars=("f", "s", "h"),
        labelled=("o", "s_tilde"),
    )
    artists["forecast"].axes.set_ylim(*WINDOW_YLIM)
    live.animate([*artists.values(), *images.values()])
    # the colour scales drawn last: a new one needs the whole figure drawn again
    drawn = {"show": None}

    def show(phase, size, lag, kind, show):
        effect = bump_effect(model, lags, phase, size, lag, kind)
        states, base = effect["states"], effect["plain_states"]
        update_window(
            artists, effect["plain"][:, 0, 0], effect["window"][:, 0, 0], states["yhat"]
        )
        update_heatmaps(images, states, change=base if show == "change" else None)
        live.render(relayout=drawn["show"] is None, full=drawn["show"] != show)
        drawn["show"] = show
        print(readout(effect, phase, size, lag, kind))
        print(f"heat maps show: {show}")
        return {**effect, "figure": live.figure}

    return LiveInteractive(show, live, **controls)


def _traces(models, lags, mark_lag, seed):
    """How much the mark's value moves each state: |state(+1) - state(-1)| / 2 per step
    (the norm over units), the LSTM's s and each cell's h."""
    plus = marked_window(lags, mark_lag, 1.0, seed)
    minus = marked_window(lags, mark_lag, -1.0, seed)
    out, slopes = {}, {}
    for cell, model in models.items():
        a, b = cell_states(model, plus), cell_states(model, minus)
        if cell == "LSTM":
            out["LSTM s"] = np.linalg.norm(a["s"] - b["s"], axis=1) / 2
        out[f"{cell} h"] = np.linalg.norm(a["h"] - b["h"], axis=1) / 2
        # the forecast's move per unit of the marked value
        slopes[cell] = (a["yhat"] - b["yhat"]) / 2
    return out, slopes


def memory_widget(lags=24, mark_lag=20, value=0.8, seed=0):
    """Sliders for where the mark sits (its lag), the marked value and which window of
    other values surrounds it; the recall task's trained RNN and LSTM
    (experiments.train_on_recall(cell, lags, seed), cached: the notebook's sweep
    trained them) read the window, and the picture shows the LSTM's cell state s, the
    RNN's h and, per step, how much the mark changes each."""
    lags = checks.integer("lags", lags, 2, MAX_RECALL_LAGS)
    mark_lag = checks.integer("mark_lag", mark_lag, 1, lags)
    value = _in_range("value", value, VALUE_RANGE)
    seed = checks.seed("seed", seed)
    runs = {cell: train_on_recall(cell, lags, seed) for cell in ("RNN", "LSTM")}
    models = {cell: r["model"] for cell, r in runs.items()}
    controls = {
        "mark_lag": live_slider(
            widgets.IntSlider,
            value=mark_lag,
            min=1,
            max=lags,
            description="mark at lag",
        ),
        "value": live_slider(
            widgets.FloatSlider,
            value=value,
            min=VALUE_RANGE[0],
            max=VALUE_RANGE[1],
            step=BUMP_STEP,
            description="marked value",
        ),
        "window": live_slider(
            widgets.IntSlider, value=0, min=0, max=WINDOWS - 1, description="window"
        ),
    }
    live = LiveFigure(
        mosaic=MEMORY_MOSAIC,
        figsize=(11, 5),
        gridspec_kw={"wspace": 0.35, "hspace": 0.5, "width_ratios": [1.3, 1, 1.4]},
    )
    X = marked_window(lags, mark_lag, value, seed)
    first = {cell: cell_states(m, X) for cell, m in models.items()}
    artists = draw_marked_window(
        live.panels["window"], X[:, 0, 0], {cell: np.nan for cell in models}
    )
    images = draw_heatmaps(
        {"s": live.panels["s"], "h": live.panels["rnn"]},
        {"s": first["LSTM"]["s"], "h": first["RNN"]["h"]},
        {
            "s": ("LSTM: cell state s", -2.5, 2.5),
            "h": (f"RNN: h (q = {models['RNN'].q})", -1.0, 1.0),
        },
    )
    traces, _ = _traces(models, lags, mark_lag, seed)
    lines = draw_trace(live.panels["trace"], traces)
    live.animate([*artists["stars"].values(), *images.values(), *lines.values()])
    live.animate([artists[name] for name in ("values", "mark", "target")])
    # the trace panel's height drawn last: a new one needs the whole figure drawn again
    drawn = {"top": None}

    def show(mark_lag, value, window):
        X = marked_window(lags, mark_lag, value, seed + window)
        states = {cell: cell_states(m, X) for cell, m in models.items()}
        forecasts = {cell: s["yhat"] for cell, s in states.items()}
        mark_step = lags - mark_lag + 1
        update_marked_window(artists, X[:, 0, 0], mark_step, value, forecasts)
        images["s"].set_data(states["LSTM"]["s"])
        images["h"].set_data(states["RNN"]["h"])
        traces, slopes = _traces(models, lags, mark_lag, seed + window)
        top = update_trace(lines, traces, mark_step, drawn["top"] or 0.0)
        live.render(relayout=drawn["top"] is None, full=drawn["top"] != top)
        drawn["top"] = top
        print(
            f"mark at lag {mark_lag} (step {mark_step} of {lags}), value {value:+.1f}"
        )
        print(f"(training put the marks at lags {lags - lags // 2 + 1}-{lags})")
        for cell, yhat in forecasts.items():
            print(
                f"{cell:>4}: forecast {yhat:+.2f}, moves {slopes[cell]:+.2f} per unit "
                "of the value"
            )
        return {
            "window": X,
            "states": states,
            "traces": traces,
            "slopes": slopes,
            "figure": live.figure,
        }

    return LiveInteractive(show, live, **controls)
