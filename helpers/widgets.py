"""Sliders for the classroom: thin wrappers that call helpers.experiments, then plots.

Each builder returns an ipywidgets.interactive (a live.LiveInteractive); its `.result`
holds what the last slider move computed (a dict, with the figure), so the callbacks can
be tested without a browser.  Each widget keeps one figure for its whole life and redraws
it in place (helpers.live).  Sliders that retrain update on release
(continuous_update=False): one retrain per move, not per pixel; a setting trained before
comes from a bounded cache instead of being trained again.
"""

from functools import lru_cache

import ipywidgets as widgets
import numpy as np

from . import shell_checks as checks
from .data import make_lag_dataset
from .experiments import (
    DEFAULTS,
    MAX_SINE_Q,
    MODELS,
    RECALL_Q,
    RECALL_VARIANCE,
    SERIES_LAG_RANGE,
    SERIES_Q,
    TASK_SERIES,
    check_integer_in,
    check_series_config,
    init_gradients,
    train_on_recall,
    train_on_series,
    train_on_sine,
)
from .live import LiveFigure, LiveInteractive
from .plots import (
    check_recall_results,
    plot_forecasts,
    plot_gradient_norms,
    plot_lag_window,
    plot_recall_errors,
)

LAG_RANGE = (1, 20)
HIDDEN_SIZES = (1, 2, 4, 8, 16, 32, MAX_SINE_Q)
# the gradient widget only draws, so it can reach further back
GRADIENT_LAG_RANGE = (2, 60)
DEFAULT_LAGS = 10
# the lag window widget's first L
START_LAGS = 2
DEFAULT_Q = 8
CELL_BUTTON_WIDTH = "100px"
# what ipywidgets gives the sliders' labels, so the cell choice lines up with them
LABEL_WIDTH = "80px"
# the recall widget's L slider
RECALL_LAGS = (4, 8, 12, 16, 20, 24, 30)
# a model "gives up" when its test MSE exceeds this fraction of the targets' variance
GIVES_UP = 0.1
# trained models kept per widget setting (a few MB at most): a slider moved back to a
# setting shows its earlier fit at once
TRAINED_CACHE = 32
# inches kept around a model widget's first picture: its later pictures reuse that box
# (one drawing per move instead of two), and their labels change by a character or two
LAYOUT_SLACK = 0.15


@lru_cache(maxsize=TRAINED_CACHE)
def _sine_run(cell, lags, q):
    return train_on_sine(cell, lags, q)


@lru_cache(maxsize=TRAINED_CACHE)
def _series_run(name, cell, lags, q, early_stopping):
    return train_on_series(name, cell, lags, q, early_stopping)


def lag_window_widget(t, y, max_lags=30):
    """Sliders for L and the sample n: draw which points form sample n, print X's and Y's shapes.

    t, y: (T,) increasing times and a 1-D series, T >= 2.  max_lags: the slider's top
    (at most T - 1).
    """
    y = checks.float_array("y", y)
    if y.ndim != 1 or len(y) < 2:
        raise ValueError(
            f"y must be a 1-D series (T,) of at least 2 points (one lag, one "
            f"target), got shape {y.shape}"
        )
    T = len(y)
    t = checks.float_array("t", t, ndim=1)
    if t.shape != (T,) or not np.all(np.diff(t) > 0):
        raise ValueError(
            f"t must be ({T},) increasing times like y, got shape {t.shape}"
        )
    max_lags = min(checks.integer("max_lags", max_lags, 1), T - 1)
    start = min(START_LAGS, max_lags)
    lag_slider = widgets.IntSlider(
        value=start, min=1, max=max_lags, description="lags L", continuous_update=False
    )
    sample_slider = widgets.IntSlider(
        value=0,
        min=0,
        max=T - start - 1,
        description="sample n",
        continuous_update=False,
    )

    # the legend's label grows by a few characters with L and n: more slack
    live = LiveFigure(figsize=(8, 3), slack=2 * LAYOUT_SLACK)

    def show(lags, sample):
        # (L, N, 1), (N, 1)
        X, Y = make_lag_dataset(y, lags)
        sample = min(sample, Y.shape[0] - 1)
        live.clear()
        plot_lag_window(t, y, lags, sample, ax=live.axes[0])
        live.render(relayout=False)
        fig = live.figure
        # series indices of X[0..L-1, n]
        window = list(range(sample, sample + lags))
        print(f"X: (L, N, D) = {X.shape}    Y: (N, D) = {Y.shape}")
        print(
            f"sample n = {sample}: X[:, {sample}, 0] = y({window[0]}..{window[-1]}) predicts Y[{sample}] = y({sample + lags})"
        )
        return {
            "X_shape": X.shape,
            "Y_shape": Y.shape,
            "window": window,
            "target": sample + lags,
            "figure": fig,
        }

    # a larger L leaves fewer samples
    def clamp_sample(change):
        sample_slider.max = T - change["new"] - 1

    lag_slider.observe(clamp_sample, names="value")
    return LiveInteractive(show, live, lags=lag_slider, sample=sample_slider)


def lag_and_q_sliders(lags, q, lag_range, sizes):
    """The two sliders every model widget has: lags L over lag_range (lowest, highest) and
    the hidden size q over sizes; they update on release, one retrain per move."""
    return {
        "lags": widgets.IntSlider(
            value=lags,
            min=lag_range[0],
            max=lag_range[1],
            description="lags L",
            continuous_update=False,
        ),
        "q": widgets.SelectionSlider(
            options=sizes, value=q, description="hidden q", continuous_update=False
        ),
    }


def _check_cells(cells):
    if (
        not isinstance(cells, (tuple, list))
        or not cells
        or any(not isinstance(c, str) or c not in MODELS for c in cells)
        or len(set(cells)) != len(cells)
    ):
        raise ValueError(
            f"cells must be a non-empty tuple of names from {sorted(MODELS)}, each "
            f"once, got {cells!r}"
        )
    return tuple(cells)


def sine_model_widget(cells=("RNN",), lags=DEFAULT_LAGS, q=DEFAULT_Q):
    """Sliders for L and q (and a choice of cell if several): retrain
    (experiments.train_on_sine), redraw the test block, print the MSE."""
    cells = _check_cells(cells)
    lo, hi = LAG_RANGE
    lags = check_integer_in(
        "lags",
        lags,
        range(lo, hi + 1),
        f"an integer from {lo} to {hi} (the slider's range)",
    )
    q = check_integer_in(
        "q", q, HIDDEN_SIZES, f"one of the slider's hidden sizes {HIDDEN_SIZES}"
    )
    controls = lag_and_q_sliders(lags, q, LAG_RANGE, HIDDEN_SIZES)
    # One cell: no control at all (a fixed value; a bare default would make interactive
    # draw a free-text box). Several: buttons offering exactly those cells.
    controls["cell"] = widgets.fixed(cells[0])
    if len(cells) > 1:
        # ToggleButtons lays out as a block, which puts its label on a line of its
        # own; as a flex row the label sits left of the buttons, like the sliders'
        style = {"button_width": CELL_BUTTON_WIDTH, "description_width": LABEL_WIDTH}
        controls["cell"] = widgets.ToggleButtons(
            options=list(cells),
            value=cells[0],
            description="cell",
            style=style,
            layout={"display": "flex"},
        )

    live = LiveFigure(figsize=(8, 3), slack=LAYOUT_SLACK)

    def show(lags, q, cell):
        res = dict(_sine_run(cell, lags, q))
        live.clear()
        ax = live.axes[0]
        task = res["task"]
        if res["yhat"] is not None:
            plot_forecasts(
                task.t_test,
                task.Y_test,
                {"prediction": res["yhat"]},
                ax=ax,
                title=(
                    f"{cell}, L = {lags}, q = {q}: one-step-ahead predictions on the "
                    "test block"
                ),
            )
        live.render(relayout=False)
        # the parameter count lets the learner set up notebook 03's equal-budget
        # comparison by hand
        steps = len(res["history"] or [])
        print(
            f"test MSE = {res['test_mse']:.2e}   ({steps} training steps, "
            f"{res['parameters']} parameters)"
        )
        print(res["message"])
        res["figure"] = live.figure
        return res

    return LiveInteractive(show, live, **controls)


def gradient_widget(lags=30, q=16, seed=0):
    """Sliders for L and q: redraw |d yhat / d X[k]| against the distance from the
    prediction for a fresh RNN and LSTM on the sine inputs (experiments.init_gradients),
    with the RNN's bound ||U|| ||V|| sigma_max(W)^(j-1)."""
    lo, hi = GRADIENT_LAG_RANGE
    lags = check_integer_in(
        "lags",
        lags,
        range(lo, hi + 1),
        f"an integer from {lo} to {hi} (the slider's range)",
    )
    q = check_integer_in(
        "q", q, HIDDEN_SIZES, f"one of the slider's hidden sizes {HIDDEN_SIZES}"
    )
    seed = checks.seed("seed", seed)
    controls = lag_and_q_sliders(lags, q, GRADIENT_LAG_RANGE, HIDDEN_SIZES)

    live = LiveFigure(figsize=(7, 3.5), slack=LAYOUT_SLACK)

    def show(lags, q):
        res = init_gradients(lags, q, seed)
        norms, sigma = res["norms"], res["sigma"]
        live.clear()
        ax = live.axes[0]
        plot_gradient_norms(
            res["distance"],
            [norms["RNN"], norms["LSTM"], res["bound"]],
            ["RNN", "LSTM", f"RNN bound |U| |V| {sigma:.2f}^(j-1)"],
            ax=ax,
        )
        ax.set_title(f"at initialisation, L = {lags}, q = {q}")
        live.render(relayout=False)
        ratios = {k: v[0] / v[-1] for k, v in norms.items()}
        print(
            f"oldest / newest lag: RNN {ratios['RNN']:.1e}, LSTM "
            f"{ratios['LSTM']:.1e};  sigma_max(W) = {sigma:.2f}"
        )
        res["figure"] = live.figure
        return res

    return LiveInteractive(show, live, **controls)


def recall_widget(lags=16, results=None):
    """A slider for the memory needed: retrain RNN and LSTM (equal budget,
    experiments.train_on_recall) on the recall task and redraw every result computed
    so far, saying where the RNN gives up.

    results: {cell: {lags: test MSE}} already computed (e.g. by the notebook's sweep),
    drawn too.
    """
    lags = check_integer_in(
        "lags", lags, RECALL_LAGS, f"one of the slider's values {RECALL_LAGS}"
    )
    if results is not None:
        check_recall_results(results)
        if set(results) - set(MODELS):
            raise ValueError(
                f"results' keys must be cell names from {sorted(MODELS)}, "
                f"got {sorted(results, key=str)}"
            )
    slider = widgets.SelectionSlider(
        options=RECALL_LAGS, value=lags, description="lags L", continuous_update=False
    )
    done = {cell: dict((results or {}).get(cell, {})) for cell in MODELS}

    live = LiveFigure(figsize=(7, 3.5), slack=LAYOUT_SLACK)

    def show(lags):
        res = {cell: train_on_recall(cell, lags) for cell in MODELS}
        for cell, r in res.items():
            done.setdefault(cell, {})[lags] = r["test_mse"]
        live.clear()
        ax = live.axes[0]
        plot_recall_errors(done, ax=ax, highlight=lags, baseline=RECALL_VARIANCE)
        # the same axis for every move
        ax.set_xlim(RECALL_LAGS[0] - 1, RECALL_LAGS[-1] + 1)
        live.render(relayout=False)
        # one meaning of "gives up", printed with the verdicts; lines short enough not
        # to wrap on a projector (1280 x 720 at 125 % zoom)
        limit = f"{100 * GIVES_UP:.0f} %"
        print(f"remembers = test MSE under {limit} of the variance; gives up = over")
        for cell, r in res.items():
            verdict = "gives up" if r["relative"] > GIVES_UP else "remembers"
            print(
                f"{cell:>4} (q = {RECALL_Q[cell]:2d}): test MSE {r['test_mse']:.1e}, "
                f"{100 * r['relative']:5.1f} % of the variance: {verdict}"
            )
        return {"results": res, "figure": live.figure}

    return LiveInteractive(show, live, lags=slider)


def series_widget(
    name=DEFAULTS["name"],
    lags=DEFAULTS["lags"],
    q=DEFAULTS["q"],
    cell=DEFAULTS["cell"],
    early_stopping=DEFAULTS["early_stopping"],
):
    """Notebook 05's controls: series, L, q, cell and early stopping.  Each move
    retrains (experiments.train_on_series), redraws the test forecasts and prints the
    network's validation and test MSEs beside every baseline's; its verdict is the
    validation block's (the test column only reports)."""
    name, cell, lags, q, early_stopping = check_series_config(
        name, cell, lags, q, early_stopping
    )
    # a drop-down, not buttons, for the series: the cell is the widget's one button row
    style = {"button_width": CELL_BUTTON_WIDTH, "description_width": LABEL_WIDTH}
    controls = {
        **lag_and_q_sliders(lags, q, SERIES_LAG_RANGE, SERIES_Q),
        "name": widgets.Dropdown(
            options=list(TASK_SERIES), value=name, description="series"
        ),
        "cell": widgets.ToggleButtons(
            options=list(MODELS),
            value=cell,
            description="cell",
            style=style,
            layout={"display": "flex"},
        ),
        "early_stopping": widgets.Checkbox(
            value=early_stopping, description="early stopping"
        ),
    }

    live = LiveFigure(figsize=(8, 3), slack=LAYOUT_SLACK)

    def show(lags, q, name, cell, early_stopping):
        res = dict(_series_run(name, cell, lags, q, early_stopping))
        task = res["task"]
        live.clear()
        ax = live.axes[0]
        if res["yhat"] is not None:
            plot_forecasts(
                task.t_test,
                task.Y_test,
                {cell: res["yhat"]},
                ax=ax,
                title=f"{name}: one-step forecasts, test block",
                ylabel="scaled value",
                xlabel="year",
            )
        live.render(relayout=False)
        stop = "with" if early_stopping else "without"
        # a table of short lines: none wraps on a projector (1024 CSS pixels wide)
        print(
            f"{cell} L = {lags}, q = {q}, {stop} early stopping ({res['steps']} steps)"
        )
        print(f"{'MSE (scaled units)':>26}  {'validation':>10}  {'test':>6}")
        rows = {cell: (res["val_mse"], res["test_mse"])}
        rows.update({k: (task.val_baselines[k], v) for k, v in task.baselines.items()})
        for label, (val, test) in rows.items():
            print(f"{label:>26}: {val:10.3f}  {test:6.3f}")
        print(res["message"])
        print("(choose by the validation column; the test column only reports)")
        res["figure"] = live.figure
        return res

    return LiveInteractive(show, live, **controls)
