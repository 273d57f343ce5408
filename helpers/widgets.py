"""Sliders for the classroom: thin wrappers that call data/train functions, then plots.

Each builder returns an ipywidgets.interactive; its `.result` holds what the last
slider move computed (a dict), so the callbacks can be tested without a browser.
Sliders update on release (continuous_update=False): one retrain per move, not per pixel.
"""

import numbers
from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from . import shell_checks as checks
from .data import make_lag_dataset, recall_task, sine_task
from .gradients import input_gradient_norms, largest_singular_value, rnn_gradient_bound
from .models import LSTM, RNN, parameter_count
from .plots import (
    _check_results,
    plot_gradient_norms,
    plot_lag_window,
    plot_predictions,
    plot_recall_errors,
)
from .train import TrainingDiverged, evaluate_mse, fit, predict

MODELS = {"RNN": RNN, "LSTM": LSTM}
LAG_RANGE = (1, 20)
HIDDEN_SIZES = (1, 2, 4, 8, 16, 32, 64)
GRADIENT_LAG_RANGE = (
    2,
    60,
)  # the gradient widget only draws, so it can reach further back
DEFAULT_LAGS = 10
START_LAGS = 2  # the lag window widget's first L
DEFAULT_Q = 8
CELL_BUTTON_WIDTH = "100px"
LABEL_WIDTH = "80px"  # what ipywidgets gives the sliders' labels, so the cell choice lines up with them
# The slider trains until this training MSE (or convergence): far below what the
# plot can show, and it keeps the slowest setting (LSTM, L = 20, q = 64) near 1 s.
WIDGET_TARGET_LOSS = 1e-5
GOOD_TEST_MSE = 1e-3  # what the default fit reaches on the sine task for L >= 2, q >= 4
ONE_LAG_FLOOR = (
    4.8e-3  # best possible test MSE with one lag at time step 0.1 (notebook 01)
)


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

    def show(lags, sample):
        X, Y = make_lag_dataset(y, lags)  # (L, N, 1), (N, 1)
        sample = min(sample, Y.shape[0] - 1)
        fig, ax = plt.subplots(figsize=(8, 3))
        plot_lag_window(t, y, lags, sample, ax=ax)
        display(fig)
        plt.close(fig)
        window = list(range(sample, sample + lags))  # series indices of X[0..L-1, n]
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

    def clamp_sample(change):  # a larger L leaves fewer samples
        sample_slider.max = T - change["new"] - 1

    lag_slider.observe(clamp_sample, names="value")
    return widgets.interactive(show, lags=lag_slider, sample=sample_slider)


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


def _check_start(name, value, allowed, what):
    """Refuse a starting value the slider cannot show; ipywidgets would silently clamp
    it. Sliders hold integers: True and 2.0 are refused, numpy integers accepted."""
    value = checks.integer(name, value)
    if value not in allowed:
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return value


def _check_cell(cell):
    if not isinstance(cell, str) or cell not in MODELS:
        raise ValueError(f"cell must be one of {sorted(MODELS)}, got {cell!r}")
    return cell


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


@lru_cache(maxsize=64)
def _task(lags):
    return sine_task(lags)


def train_on_sine(cell, lags, q, seed=0):
    """Build cell ("RNN" or "LSTM") with hidden size q, fit it on the sine task with L = lags.

    Returns a dict: model, parameters (how many), task, history, test_mse, yhat (N_test, D)
    and a plain-words message about the result (or about why training failed).
    """
    _check_cell(cell)
    lags = checks.integer("lags", lags, 1)
    q = checks.integer("q", q, 1, max(HIDDEN_SIZES))
    seed = checks.seed("seed", seed)
    task = _task(lags)
    model = MODELS[cell](1, q, seed=seed)
    n_params = parameter_count(model)
    try:
        history = fit(model, task.X_train, task.Y_train, target_loss=WIDGET_TARGET_LOSS)
    except TrainingDiverged as err:
        return {
            "model": None,
            "parameters": n_params,
            "task": task,
            "history": None,
            "test_mse": float("nan"),
            "yhat": None,
            "message": f"Training failed: {err}",
        }
    err = evaluate_mse(model, task.X_test, task.Y_test)
    if lags == 1:
        message = (
            f"With L = 1 the model sees only y(t-1): it cannot tell whether the sine is rising or "
            f"falling there, so no model gets below about {ONE_LAG_FLOOR:.1e}. Try L = 2."
        )
    elif err > GOOD_TEST_MSE:
        message = (
            f"q = {q} hidden units could not fit this well (test MSE above {GOOD_TEST_MSE:.0e}); "
            "try q >= 4."
            if q < 4
            else f"This run stopped above {GOOD_TEST_MSE:.0e}; try another q or L."
        )
    else:
        message = "Good fit: the prediction lies on the truth."
    return {
        "model": model,
        "parameters": n_params,
        "task": task,
        "history": history,
        "test_mse": err,
        "yhat": predict(model, task.X_test),
        "message": message,
    }


def sine_model_widget(cells=("RNN",), lags=DEFAULT_LAGS, q=DEFAULT_Q):
    """Sliders for L and q (and a choice of cell if several): retrain, redraw the test block, print the MSE."""
    cells = _check_cells(cells)
    lags = _check_start(
        "lags",
        lags,
        range(LAG_RANGE[0], LAG_RANGE[1] + 1),
        f"an integer from {LAG_RANGE[0]} to {LAG_RANGE[1]} (the slider's range)",
    )
    q = _check_start(
        "q", q, HIDDEN_SIZES, f"one of the slider's hidden sizes {HIDDEN_SIZES}"
    )
    controls = lag_and_q_sliders(lags, q, LAG_RANGE, HIDDEN_SIZES)
    if len(cells) > 1:
        # ToggleButtons lays out as a block, which puts its label on a line of its own; as a flex row
        # the label sits left of the buttons, like the sliders' labels
        style = {"button_width": CELL_BUTTON_WIDTH, "description_width": LABEL_WIDTH}
        controls["cell"] = widgets.ToggleButtons(
            options=list(cells),
            value=cells[0],
            description="cell",
            style=style,
            layout={"display": "flex"},
        )

    def show(lags, q, cell=cells[0]):
        res = train_on_sine(cell, lags, q)
        fig, ax = plt.subplots(figsize=(8, 3))
        task = res["task"]
        if res["yhat"] is not None:
            plot_predictions(
                task.t_test,
                task.Y_test,
                res["yhat"],
                ax=ax,
                title=f"{cell}, L = {lags}, q = {q}: one-step-ahead predictions on the test block",
            )
        display(fig)
        plt.close(fig)
        # the parameter count lets the learner set up notebook 03's equal-budget comparison by hand
        print(
            f"test MSE = {res['test_mse']:.2e}   ({len(res['history'] or [])} training steps, "
            f"{res['parameters']} parameters)"
        )
        print(res["message"])
        res["figure"] = fig
        return res

    return widgets.interactive(show, **controls)


def gradient_widget(lags=30, q=16, seed=0):
    """Sliders for L and q: redraw |d yhat / d X[k]| against the distance from the prediction
    for a fresh RNN and LSTM on the sine inputs, with the RNN's bound ||U|| ||V|| sigma_max(W)^(j-1)."""
    lags = _check_start(
        "lags",
        lags,
        range(GRADIENT_LAG_RANGE[0], GRADIENT_LAG_RANGE[1] + 1),
        f"an integer from {GRADIENT_LAG_RANGE[0]} to {GRADIENT_LAG_RANGE[1]} "
        "(the slider's range)",
    )
    q = _check_start(
        "q", q, HIDDEN_SIZES, f"one of the slider's hidden sizes {HIDDEN_SIZES}"
    )
    seed = checks.seed("seed", seed)
    controls = lag_and_q_sliders(lags, q, GRADIENT_LAG_RANGE, HIDDEN_SIZES)

    def show(lags, q):
        X = _task(lags).X_test  # (L, N, 1)
        rnn, lstm = RNN(1, q, seed=seed), LSTM(1, q, seed=seed)
        norms = {
            "RNN": input_gradient_norms(rnn, X),
            "LSTM": input_gradient_norms(lstm, X),
        }
        sigma = largest_singular_value(rnn.W)
        distance = lags - np.arange(
            lags
        )  # X[k] holds lag j = L - k; the newest is lag 1
        bound = rnn_gradient_bound(rnn, lags)
        fig, ax = plt.subplots(figsize=(7, 3.5))
        plot_gradient_norms(
            distance,
            [norms["RNN"], norms["LSTM"], bound],
            ["RNN", "LSTM", f"RNN bound |U| |V| {sigma:.2f}^(j-1)"],
            ax=ax,
        )
        ax.set_title(f"at initialisation, L = {lags}, q = {q}")
        display(fig)
        plt.close(fig)
        ratios = {k: v[0] / v[-1] for k, v in norms.items()}
        print(
            f"oldest / newest lag: RNN {ratios['RNN']:.1e}, LSTM {ratios['LSTM']:.1e};  sigma_max(W) = {sigma:.2f}"
        )
        return {"norms": norms, "sigma": sigma, "distance": distance, "figure": fig}

    return widgets.interactive(show, **controls)


# An equal parameter budget on the recall task (D = 2 in, 1 out): 358 and 361 parameters.
RECALL_Q = {"RNN": 17, "LSTM": 8}
RECALL_LAGS = (4, 8, 12, 16, 20, 24, 30)
# test MSE of always predicting 0: the values are uniform in [-1, 1]
RECALL_VARIANCE = 1 / 3
# L-BFGS evaluations per recall run: notebook 04 trains 24 of them (2 cells x 4 L x 3
# seeds), and 150 keeps that under 10 s while every model is well past its first gains.
RECALL_STEPS = 150
MAX_RECALL_LAGS = 100  # training time grows with L; the notebook goes to 30
GIVES_UP = (
    0.1  # a model "gives up" when its test MSE exceeds this fraction of that variance
)


def train_on_recall(cell, lags, seed=0):
    """Fit cell ("RNN" or "LSTM", sizes from RECALL_Q) on recall_task(lags) with L-BFGS,
    at most RECALL_STEPS evaluations.

    Cached: the notebook's sweep and the widget share the trained models.  lags and seed
    are integers (2.0 is refused, as everywhere: the arguments are checked before the
    cache). Returns a dict: model, task, test_mse, relative (test MSE / variance of the
    targets).
    """
    _check_cell(cell)
    if (
        checks.is_bool(lags)
        or not isinstance(lags, numbers.Integral)
        or not 2 <= lags <= MAX_RECALL_LAGS
    ):
        raise ValueError(
            f"lags must be an integer from 2 (a marked lag and later ones) to "
            f"{MAX_RECALL_LAGS}, got {lags!r}"
        )
    return _train_on_recall(cell, int(lags), checks.seed("seed", seed))


@lru_cache(maxsize=32)
def _train_on_recall(cell, lags, seed):
    task = recall_task(lags, seed=seed)
    model = MODELS[cell](2, RECALL_Q[cell], seed=seed, D_out=1)
    fit(model, task.X_train, task.Y_train, steps=RECALL_STEPS)
    err = evaluate_mse(model, task.X_test, task.Y_test)
    return {
        "model": model,
        "task": task,
        "test_mse": err,
        "relative": err / RECALL_VARIANCE,
    }


def recall_widget(lags=16, results=None):
    """A slider for the memory needed: retrain RNN and LSTM (equal budget) on the recall task and
    redraw every result computed so far, saying where the RNN gives up.

    results: {cell: {lags: test MSE}} already computed (e.g. by the notebook's sweep), drawn too.
    """
    lags = _check_start(
        "lags", lags, RECALL_LAGS, f"one of the slider's values {RECALL_LAGS}"
    )
    if results is not None:
        _check_results(results)
        if set(results) - set(MODELS):
            raise ValueError(
                f"results' keys must be cell names from {sorted(MODELS)}, "
                f"got {sorted(results, key=str)}"
            )
    slider = widgets.SelectionSlider(
        options=RECALL_LAGS, value=lags, description="lags L", continuous_update=False
    )
    done = {cell: dict((results or {}).get(cell, {})) for cell in MODELS}

    def show(lags):
        res = {cell: train_on_recall(cell, lags) for cell in MODELS}
        for cell, r in res.items():
            done.setdefault(cell, {})[lags] = r["test_mse"]
        fig, ax = plt.subplots(figsize=(7, 3.5))
        plot_recall_errors(done, ax=ax, highlight=lags, baseline=RECALL_VARIANCE)
        ax.set_xlim(
            RECALL_LAGS[0] - 1, RECALL_LAGS[-1] + 1
        )  # the same axis for every move
        display(fig)
        plt.close(fig)
        for cell, r in res.items():
            verdict = "gives up" if r["relative"] > GIVES_UP else "remembers"
            print(
                f"{cell:>4} (q = {RECALL_Q[cell]}): test MSE {r['test_mse']:.1e} = "
                f"{100 * r['relative']:.1f} % of the targets' variance -> {verdict}"
            )
        return {"results": res, "figure": fig}

    return widgets.interactive(show, lags=slider)
