"""Sliders for the classroom: thin wrappers that call data/train functions, then plots.

Each builder returns an ipywidgets.interactive; its `.result` holds what the last
slider move computed (a dict), so the callbacks can be tested without a browser.
Sliders update on release (continuous_update=False): one retrain per move, not per pixel.
"""
from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from .data import make_lag_dataset, sine_task
from .models import LSTM, RNN
from .plots import plot_lag_window, plot_predictions
from .train import TrainingDiverged, evaluate_mse, fit, predict

MODELS = {"RNN": RNN, "LSTM": LSTM}
LAG_RANGE = (1, 20)
HIDDEN_SIZES = (1, 2, 4, 8, 16, 32, 64)
DEFAULT_LAGS = 10
DEFAULT_Q = 8
# The slider trains until this training MSE (or convergence): far below what the
# plot can show, and it keeps the slowest setting (LSTM, L = 20, q = 64) near 1 s.
WIDGET_TARGET_LOSS = 1e-5
GOOD_TEST_MSE = 1e-3  # what the default fit reaches on the sine task for L >= 2, q >= 4
ONE_LAG_FLOOR = 4.8e-3  # best possible test MSE with one lag at time step 0.1 (notebook 01)


def lag_window_widget(t, y, max_lags=30):
    """Sliders for L and the sample n: draw which points form sample n, print X's and Y's shapes.

    t, y: (T,) times and a 1-D series.
    """
    T = len(y)
    max_lags = min(max_lags, T - 1)
    lag_slider = widgets.IntSlider(value=2, min=1, max=max_lags, description="lags L", continuous_update=False)
    sample_slider = widgets.IntSlider(value=0, min=0, max=T - 2 - 1, description="sample n", continuous_update=False)

    def show(lags, sample):
        X, Y = make_lag_dataset(y, lags)  # (L, N, 1), (N, 1)
        sample = min(sample, Y.shape[0] - 1)
        fig, ax = plt.subplots(figsize=(8, 3))
        plot_lag_window(t, y, lags, sample, ax=ax)
        display(fig)
        plt.close(fig)
        window = list(range(sample, sample + lags))  # series indices of X[0..L-1, n]
        print(f"X: (L, N, D) = {X.shape}    Y: (N, D) = {Y.shape}")
        print(f"sample n = {sample}: X[:, {sample}, 0] = y({window[0]}..{window[-1]}) predicts Y[{sample}] = y({sample + lags})")
        return {"X_shape": X.shape, "Y_shape": Y.shape, "window": window, "target": sample + lags, "figure": fig}

    def clamp_sample(change):  # a larger L leaves fewer samples
        sample_slider.max = T - change["new"] - 1

    lag_slider.observe(clamp_sample, names="value")
    return widgets.interactive(show, lags=lag_slider, sample=sample_slider)


@lru_cache(maxsize=64)
def _task(lags):
    return sine_task(lags)


def train_on_sine(cell, lags, q, seed=0):
    """Build cell ("RNN" or "LSTM") with hidden size q, fit it on the sine task with L = lags.

    Returns a dict: model, task, history, test_mse, yhat (N_test, D) and a plain-words
    message about the result (or about why training failed).
    """
    if cell not in MODELS:
        raise ValueError(f"cell must be one of {sorted(MODELS)}, got {cell!r}")
    task = _task(lags)
    model = MODELS[cell](1, q, seed=seed)
    try:
        history = fit(model, task.X_train, task.Y_train, target_loss=WIDGET_TARGET_LOSS)
    except TrainingDiverged as err:
        return {"model": None, "task": task, "history": None, "test_mse": float("nan"), "yhat": None,
                "message": f"Training failed: {err}"}
    err = evaluate_mse(model, task.X_test, task.Y_test)
    if lags == 1:
        message = (f"With L = 1 the model sees only y(t-1): it cannot tell whether the sine is rising or "
                   f"falling there, so no model gets below about {ONE_LAG_FLOOR:.1e}. Try L = 2.")
    elif err > GOOD_TEST_MSE:
        message = (f"q = {q} hidden units could not fit this well (test MSE above {GOOD_TEST_MSE:.0e}); "
                   "try q >= 4." if q < 4 else
                   f"This run stopped above {GOOD_TEST_MSE:.0e}; try another q or L.")
    else:
        message = "Good fit: the prediction lies on the truth."
    return {"model": model, "task": task, "history": history, "test_mse": err,
            "yhat": predict(model, task.X_test), "message": message}


def sine_model_widget(cells=("RNN",), lags=DEFAULT_LAGS, q=DEFAULT_Q):
    """Sliders for L and q (and a choice of cell if several): retrain, redraw the test block, print the MSE."""
    controls = {
        "lags": widgets.IntSlider(value=lags, min=LAG_RANGE[0], max=LAG_RANGE[1], description="lags L",
                                  continuous_update=False),
        "q": widgets.SelectionSlider(options=HIDDEN_SIZES, value=q, description="hidden q",
                                     continuous_update=False),
    }
    if len(cells) > 1:
        controls["cell"] = widgets.ToggleButtons(options=list(cells), value=cells[0], description="cell")

    def show(lags, q, cell=cells[0]):
        res = train_on_sine(cell, lags, q)
        fig, ax = plt.subplots(figsize=(8, 3))
        task = res["task"]
        if res["yhat"] is not None:
            plot_predictions(task.t_test, task.Y_test, res["yhat"], ax=ax,
                             title=f"{cell}, L = {lags}, q = {q}: one-step-ahead predictions on the test block")
        display(fig)
        plt.close(fig)
        print(f"test MSE = {res['test_mse']:.2e}   ({len(res['history'] or [])} training steps)")
        print(res["message"])
        res["figure"] = fig
        return res

    return widgets.interactive(show, **controls)
