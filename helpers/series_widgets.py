"""Notebook 05's slider: a network on a real series against the baselines.

The series: yearly sunspots, and CO2 averaged over 4 weeks (weekly CO2 would make an
LSTM with L = 20, q = 32 take 4-7 s per move, measured; the 4-week means keep it
under 2 s).

A thin wrapper over two pure functions: series_task (the data, cut and scaled,
with every baseline's test MSE) and train_on_series (one network, trained and
scored).  Shape letters: L lags, N samples, D state dim; X: (L, N, D).
"""

from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from . import shell_checks as checks
from .baselines import fit_ar, persistence
from .data import split_in_time
from .models import parameter_count
from .plots import plot_predictions
from .series import (
    block_means,
    lag_dataset_skipping_gaps,
    load_series,
    standardize,
)
from .train import TrainingDiverged, evaluate_mse, fit, predict
from .widgets import (
    CELL_BUTTON_WIDTH,
    LABEL_WIDTH,
    MODELS,
    _check_start,
    lag_and_q_sliders,
)

CO2_WEEKS = 4  # the widget averages CO2 over 4 weeks: 571 points instead of 2284
CO2 = f"co2, {CO2_WEEKS}-week means"
SERIES = ("sunspots", CO2)
# Period of the seasonal naive forecast y_{t-m}: the ~11-year sunspot cycle, and
# one year (52 weeks = 13 four-week means) for CO2.
SEASON = {"sunspots": 11, CO2: 52 // CO2_WEEKS}
# The last targets of each series: (validation, test) counts, about 10 % and 20 %.
# Counts, not fractions, so every L is scored on the same test targets.
BLOCKS = {"sunspots": (31, 62), CO2: (57, 114)}
SERIES_LAG_RANGE = (1, 20)
SERIES_Q = (1, 2, 4, 8, 16, 32)
DEFAULTS = {
    "name": "sunspots",
    "lags": 10,  # the order notebook 05's validation block picks for AR
    "q": 4,
    "cell": "RNN",
    "early_stopping": True,
}


def _mse(yhat, Y):
    return float(np.mean((yhat - Y) ** 2))


def _check_choice(name, value, allowed):
    """A string among `allowed` (a series or a cell name), or a clear error."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be one of {list(allowed)}, got {type(value).__name__}"
        )
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _check_flag(name, value):
    """True or False (numpy's np.True_ too): a switch, never a number or a string."""
    if not checks.is_bool(value):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_lags(lags):
    return _check_start(
        "lags",
        lags,
        range(SERIES_LAG_RANGE[0], SERIES_LAG_RANGE[1] + 1),
        f"an integer from {SERIES_LAG_RANGE[0]} to {SERIES_LAG_RANGE[1]}",
    )


def _check_q(q):
    return _check_start(
        "q", q, SERIES_Q, f"one of the slider's hidden sizes {SERIES_Q}"
    )


def series_task(name, lags):
    """The series `name` scaled by its training block and cut into lag datasets.

    Windows that touch a missing value are dropped (nothing is invented).
    Returns a dict: t_test (N_test,), blocks (X_train, Y_train, X_val, Y_val,
    X_test, Y_test) with X (L, N, 1), scaler, and baselines {label: test MSE}
    of persistence, seasonal naive and least-squares AR(L), in scaled units.
    """
    lags = _check_lags(lags)
    return _series_task(_check_choice("name", name, SERIES), lags)


@lru_cache(maxsize=64)
def _series_task(name, lags):
    """series_task's work, cached once its arguments are checked (so 2.0 never hits 2)."""
    # weekly CO2 trains 4x longer; its 4-week means keep the trend, the yearly cycle
    # and some gaps (blocks with no observation stay NaN)
    t, y = (
        load_series(name)
        if name == "sunspots"
        else block_means(*load_series("co2"), CO2_WEEKS)
    )
    n_val, n_test = BLOCKS[name]
    scaler = standardize(y[: len(y) - n_val - n_test])  # the training block only
    z = scaler.apply(y)
    X, Y, target = lag_dataset_skipping_gaps(z, lags)  # (L, N, 1), (N, 1), (N,)
    blocks = [A for pair in split_in_time(X, Y, n_val, n_test) for A in pair]
    X_train, Y_train, X_test, Y_test = blocks[0], blocks[1], blocks[4], blocks[5]
    m = SEASON[name]
    test_idx = target[-n_test:]  # series indices of the test targets
    ar = fit_ar(X_train, Y_train)
    baselines = {  # one-step test MSE; seasonal naive by its definition y_{t-m}
        "persistence": _mse(persistence(X_test), Y_test),
        f"seasonal naive (m = {m})": _mse(z[test_idx - m][:, None], Y_test),
        f"AR({lags})": _mse(ar.predict(X_test), Y_test),
    }
    return {
        "t_test": t[test_idx],
        "blocks": blocks,
        "scaler": scaler,
        "baselines": baselines,
    }


def train_on_series(name, cell, lags, q, early_stopping=True, seed=0):
    """Fit cell ("RNN" or "LSTM", hidden size q) on series `name` with L = lags.

    early_stopping: watch the validation block, keep the best weights.
    Returns a dict: model, task, test_mse (scaled units), yhat (N_test, 1), steps
    (loss evaluations), parameters, message.
    """
    _check_choice("cell", cell, tuple(MODELS))
    q = _check_q(q)
    early_stopping = _check_flag("early_stopping", early_stopping)
    seed = checks.seed("seed", seed)
    task = series_task(name, lags)
    X_train, Y_train, X_val, Y_val, X_test, Y_test = task["blocks"]
    model = MODELS[cell](1, q, seed=seed)
    val = {"X_val": X_val, "Y_val": Y_val} if early_stopping else {}
    try:
        history = fit(model, X_train, Y_train, **val)
    except TrainingDiverged as err:
        return {
            "model": None,
            "task": task,
            "test_mse": float("nan"),
            "yhat": None,
            "steps": len(err.history),
            "parameters": parameter_count(model),
            "message": f"Training failed: {err}",
        }
    steps = len(history.train) if early_stopping else len(history)
    err = evaluate_mse(model, X_test, Y_test)
    best = min(task["baselines"], key=task["baselines"].get)
    verdict = (
        "beats every baseline"
        if err < task["baselines"][best]
        else f"does not beat {best}"
    )
    return {
        "model": model,
        "task": task,
        "test_mse": err,
        "yhat": predict(model, X_test),
        "steps": steps,
        "parameters": parameter_count(model),
        "message": f"On this test block the {cell} {verdict}.",
    }


def series_widget(
    name=DEFAULTS["name"],
    lags=DEFAULTS["lags"],
    q=DEFAULTS["q"],
    cell=DEFAULTS["cell"],
    early_stopping=DEFAULTS["early_stopping"],
):
    """Series, L, q, cell and early stopping: retrain, redraw the test forecasts,
    print the network's test MSE beside every baseline's."""
    _check_choice("name", name, SERIES)
    lags, q = _check_lags(lags), _check_q(q)
    _check_choice("cell", cell, tuple(MODELS))
    early_stopping = _check_flag("early_stopping", early_stopping)
    # a drop-down, not buttons, for the series: the cell is the widget's one button row
    style = {"button_width": CELL_BUTTON_WIDTH, "description_width": LABEL_WIDTH}
    controls = {
        **lag_and_q_sliders(lags, q, SERIES_LAG_RANGE, SERIES_Q),
        "name": widgets.Dropdown(
            options=list(SERIES), value=name, description="series"
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

    def show(lags, q, name, cell, early_stopping):
        res = train_on_series(name, cell, lags, q, early_stopping)
        task = res["task"]
        fig, ax = plt.subplots(figsize=(8, 3))
        if res["yhat"] is not None:
            plot_predictions(
                task["t_test"],
                task["blocks"][5],
                res["yhat"],
                ax=ax,
                label=cell,
                title=f"{name}: one-step forecasts, test block",
            )
        ax.set_ylabel("scaled value")
        display(fig)
        plt.close(fig)
        stop = "with" if early_stopping else "without"
        print(
            f"test MSE (scaled units)   {cell} L = {lags}, q = {q}, {stop} early "
            f"stopping: {res['test_mse']:.3f}   ({res['steps']} steps)"
        )
        for label, value in task["baselines"].items():
            print(f"{label:>26}: {value:.3f}")
        print(res["message"])
        res["figure"] = fig
        return res

    return widgets.interactive(show, **controls)
