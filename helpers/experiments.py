"""The experiments the sliders run, as pure functions: build a task, train, score.

Nothing here draws or builds a widget (helpers.widgets wraps these functions with
sliders and pictures); each runner checks its arguments, then returns what it computed,
so a notebook, a test or a benchmark can call it without a browser.

- the sine task (notebooks 02-03): train_on_sine;
- the gradients of a fresh RNN and LSTM (notebook 04): init_gradients;
- the recall task (notebook 04): train_on_recall, with the RECALL_* settings;
- a real series against the baselines (notebook 05): series_task (a SeriesTask) and
  train_on_series.

Shape letters: L lags, N samples, D state dim, q hidden units; X (L, N, D), Y (N, D).
"""

import numbers
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import shell_checks as checks
from .baselines import fit_ar, persistence
from .data import recall_task, sine_task, split_in_time
from .gradients import input_gradient_norms, largest_singular_value, rnn_gradient_bound
from .models import LSTM, RNN, parameter_count
from .series import (
    Scaler,
    block_means,
    lag_dataset_skipping_gaps,
    load_series,
    standardize,
)
from .train import TrainingDiverged, evaluate_mse, fit, mse, predict

MODELS = {"RNN": RNN, "LSTM": LSTM}

# --- the sine task ---
# the largest hidden size the sine runs train (the top of the widget's q slider)
MAX_SINE_Q = 64
# train_on_sine trains until this training MSE (or convergence): far below what a
# plot can show, and it keeps the slowest setting (LSTM, L = 20, q = 64) near 1 s.
SINE_TARGET_LOSS = 1e-5
# what the default fit reaches on the sine task for L >= 2, q >= 4
GOOD_TEST_MSE = 1e-3
# best possible test MSE with one lag at time step 0.1 (notebook 01)
ONE_LAG_FLOOR = 4.8e-3

# --- the recall task ---
# An equal parameter budget on the recall task (D = 2 in, 1 out): 358 and 361
# parameters.
RECALL_Q = {"RNN": 17, "LSTM": 8}
# test MSE of always predicting 0: the values are uniform in [-1, 1]
RECALL_VARIANCE = 1 / 3
# L-BFGS evaluations per recall run: notebook 04 trains 24 of them (2 cells x 4 L x 3
# seeds), and 150 keeps that under 10 s while every model is well past its first gains.
RECALL_STEPS = 150
# training time grows with L; the notebook goes to 30
MAX_RECALL_LAGS = 100

# --- the real series (notebook 05) ---
# CO2 averaged over 4 weeks: 571 points instead of 2284 (weekly CO2 makes an LSTM with
# L = 20, q = 32 take 4-7 s per move, measured; the 4-week means keep it under 2 s)
CO2_WEEKS = 4
CO2 = f"co2, {CO2_WEEKS}-week means"
TASK_SERIES = ("sunspots", CO2)
# Period of the seasonal naive forecast y_{t-m}: the ~11-year sunspot cycle, and
# one year (52 weeks = 13 four-week means) for CO2.
SEASON = {"sunspots": 11, CO2: 52 // CO2_WEEKS}
# The last targets of each series: (validation, test) counts, about 10 % and 20 %.
# Counts, not fractions, so every L is scored on the same test targets.  CO2's are
# notebook 05's 220 and 440 weeks, in 4-week means: the same weeks as its text's blocks.
BLOCKS = {"sunspots": (31, 62), CO2: (55, 110)}
SERIES_LAG_RANGE = (1, 20)
SERIES_Q = (1, 2, 4, 8, 16, 32)
# notebook 05's starting configuration (the widget's start values);
# lags 10: the order notebook 05's validation block picks for AR
DEFAULTS = {
    "name": "sunspots",
    "lags": 10,
    "q": 4,
    "cell": "RNN",
    "early_stopping": True,
}


def check_integer_in(name, value, allowed, what):
    """An integer among `allowed` (a range or a tuple), or a ValueError naming `name`
    and saying `what` was expected.  Integers only: True and 2.0 are refused, numpy
    integers accepted.  The widgets use it for start values, which ipywidgets would
    otherwise clamp silently."""
    value = checks.integer(name, value)
    if value not in allowed:
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return value


def check_cell(cell):
    """A cell name from MODELS ("RNN" or "LSTM"), or a ValueError naming `cell`."""
    if not isinstance(cell, str) or cell not in MODELS:
        raise ValueError(f"cell must be one of {sorted(MODELS)}, got {cell!r}")
    return cell


def _check_choice(name, value, allowed):
    """A string among `allowed` (a series or a cell name), or a clear error."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be one of {list(allowed)}, got {type(value).__name__}"
        )
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _check_series_lags(lags):
    lo, hi = SERIES_LAG_RANGE
    return check_integer_in(
        "lags", lags, range(lo, hi + 1), f"an integer from {lo} to {hi}"
    )


def check_series_config(name, cell, lags, q, early_stopping):
    """The arguments of train_on_series (and the series widget's start values),
    checked: name in TASK_SERIES, cell in MODELS, lags in SERIES_LAG_RANGE, q in SERIES_Q,
    early_stopping True or False (numpy's np.True_ too).  Returns them as Python
    values, in this order."""
    name = _check_choice("name", name, TASK_SERIES)
    cell = _check_choice("cell", cell, tuple(MODELS))
    lags = _check_series_lags(lags)
    q = check_integer_in(
        "q", q, SERIES_Q, f"one of the slider's hidden sizes {SERIES_Q}"
    )
    if not checks.is_bool(early_stopping):
        raise TypeError(f"early_stopping must be True or False, got {early_stopping!r}")
    return name, cell, lags, q, bool(early_stopping)


@lru_cache(maxsize=64)
def _sine_task(lags):
    return sine_task(lags)


def train_on_sine(cell, lags, q, seed=0):
    """Build cell ("RNN" or "LSTM") with hidden size q (1 <= q <= MAX_SINE_Q), fit it
    on the sine task with L = lags until SINE_TARGET_LOSS.

    Returns a dict: model, parameters (how many), task (a data.LagTask), history,
    test_mse, yhat (N_test, 1) and a plain-words message about the result (or about
    why training failed; then model, history and yhat are None, test_mse NaN).
    """
    check_cell(cell)
    lags = checks.integer("lags", lags, 1)
    q = checks.integer("q", q, 1, MAX_SINE_Q)
    seed = checks.seed("seed", seed)
    task = _sine_task(lags)
    model = MODELS[cell](1, q, seed=seed)
    n_params = parameter_count(model)
    try:
        history = fit(model, task.X_train, task.Y_train, target_loss=SINE_TARGET_LOSS)
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
            "With L = 1 the model sees only y(t-1): it cannot tell whether the sine "
            "is rising or falling there, so no model gets below about "
            f"{ONE_LAG_FLOOR:.1e}. Try L = 2."
        )
    elif err > GOOD_TEST_MSE and q < 4:
        message = (
            f"q = {q} hidden units could not fit this well (test MSE above "
            f"{GOOD_TEST_MSE:.0e}); try q >= 4."
        )
    elif err > GOOD_TEST_MSE:
        message = f"This run stopped above {GOOD_TEST_MSE:.0e}; try another q or L."
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


def init_gradients(lags, q, seed=0):
    """How much a fresh (untrained) RNN's and LSTM's prediction depends on each lag of
    the sine task's test inputs, with hidden size q and L = lags.

    Returns a dict: norms {"RNN": (L,), "LSTM": (L,)}, the mean |d yhat / d X[k]| for
    k = 0..L-1; distance (L,), the lag j = L - k of X[k] (the newest, X[L-1], is lag
    1); sigma, the RNN's sigma_max(W); bound (L,), the RNN's bound
    ||U|| ||V|| sigma_max(W)^(j-1) per lag.
    """
    lags = checks.integer("lags", lags, 1)
    q = checks.integer("q", q, 1)
    seed = checks.seed("seed", seed)
    # (L, N, 1)
    X = _sine_task(lags).X_test
    rnn, lstm = RNN(1, q, seed=seed), LSTM(1, q, seed=seed)
    return {
        "norms": {
            "RNN": input_gradient_norms(rnn, X),
            "LSTM": input_gradient_norms(lstm, X),
        },
        "distance": lags - np.arange(lags),
        "sigma": largest_singular_value(rnn.W),
        "bound": rnn_gradient_bound(rnn, lags),
    }


def train_on_recall(cell, lags, seed=0):
    """Fit cell ("RNN" or "LSTM", hidden size RECALL_Q[cell]) on recall_task(lags)
    with L-BFGS, a budget of RECALL_STEPS evaluations; 2 <= lags <= MAX_RECALL_LAGS.

    Cached: the notebook's sweep and the widget share the trained models.  lags and
    seed are integers (2.0 is refused, as everywhere: the arguments are checked before
    the cache).  Returns a dict: model, task (a data.RecallTask, X (L, N, 2), Y (N, 1)),
    test_mse, relative (test MSE / RECALL_VARIANCE, the variance of the targets).
    """
    check_cell(cell)
    if (
        checks.is_bool(lags)
        or not isinstance(lags, numbers.Integral)
        or not 2 <= lags <= MAX_RECALL_LAGS
    ):
        raise ValueError(
            f"lags must be an integer from 2 (a marked lag and later ones) to "
            f"{MAX_RECALL_LAGS}, got {lags!r}"
        )
    return recall_run(cell, int(lags), checks.seed("seed", seed))


@lru_cache(maxsize=32)
def recall_run(cell, lags, seed):
    """train_on_recall's work, for checked arguments; cached, so the notebook's sweep
    and the widget share the trained models."""
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


@dataclass(frozen=True, eq=False)
class SeriesTask:
    """A real series scaled by its training block and cut into lag datasets, in time
    order: training, then validation, then test (series_task builds it).

    name: the series (one of TASK_SERIES); lags: L.
    scaler: the Scaler fitted on the training block's values; every array below is in
    its scaled units (scaler.invert brings values back to the series' own).
    X_train (L, N_train, 1), Y_train (N_train, 1): the training block.
    X_val (L, N_val, 1), Y_val (N_val, 1): the validation block.
    X_test (L, N_test, 1), Y_test (N_test, 1): the test block.
    t_test: (N_test,) the time of each test target.
    baselines: {label: test MSE} of persistence, seasonal naive and least-squares
    AR(L), one step ahead on the test block.
    val_baselines: {label: validation MSE} of the same three, on the validation block
    (train_on_series's verdict compares with these, never with the test MSEs).
    """

    name: str
    lags: int
    scaler: Scaler
    X_train: np.ndarray
    Y_train: np.ndarray
    X_val: np.ndarray
    Y_val: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    t_test: np.ndarray
    baselines: dict
    val_baselines: dict


def series_task(name, lags):
    """The series `name` (one of TASK_SERIES) with L = lags (in SERIES_LAG_RANGE), scaled
    by its training block and cut into its blocks: a SeriesTask.

    The last BLOCKS[name] = (N_val, N_test) targets validate and test, the others
    train.  Windows that touch a missing value are dropped (nothing is invented).
    Cached: the same SeriesTask comes back for the same arguments (do not modify its
    arrays).
    """
    name = _check_choice("name", name, TASK_SERIES)
    return build_series_task(name, _check_series_lags(lags))


@lru_cache(maxsize=64)
def build_series_task(name, lags):
    """series_task's work, for checked arguments; cached (do not modify the arrays)."""
    # weekly CO2 trains 4x longer; its 4-week means keep the trend, the yearly cycle
    # and some gaps (blocks with no observation stay NaN)
    if name == "sunspots":
        t, y = load_series(name)
    else:
        t, y = block_means(*load_series("co2"), CO2_WEEKS)
    n_val, n_test = BLOCKS[name]
    # the statistics come from the training block only
    scaler = standardize(y[: len(y) - n_val - n_test])
    z = scaler.apply(y)
    # X (L, N, 1), Y (N, 1), target_idx (N,): the series index of each target
    X, Y, target_idx = lag_dataset_skipping_gaps(z, lags)
    (X_train, Y_train), (X_val, Y_val), (X_test, Y_test) = split_in_time(
        X, Y, n_val, n_test
    )
    m = SEASON[name]
    # series indices of the validation and of the test targets
    val_idx, test_idx = target_idx[-n_val - n_test : -n_test], target_idx[-n_test:]
    ar = fit_ar(X_train, Y_train)

    def scores(X_b, Y_b, idx):
        # one-step MSE on a block; seasonal naive by its definition y_{t-m}
        return {
            "persistence": float(mse(persistence(X_b), Y_b)),
            f"seasonal naive (m = {m})": float(mse(z[idx - m][:, None], Y_b)),
            f"AR({lags})": float(mse(ar.predict(X_b), Y_b)),
        }

    return SeriesTask(
        name=name,
        lags=lags,
        scaler=scaler,
        X_train=X_train,
        Y_train=Y_train,
        X_val=X_val,
        Y_val=Y_val,
        X_test=X_test,
        Y_test=Y_test,
        t_test=t[test_idx],
        baselines=scores(X_test, Y_test, test_idx),
        val_baselines=scores(X_val, Y_val, val_idx),
    )


def train_on_series(name, cell, lags, q, early_stopping=True, seed=0):
    """Fit cell ("RNN" or "LSTM", hidden size q in SERIES_Q) on series_task(name, lags).

    early_stopping: watch the validation block, keep the best weights.
    Returns a dict: model, task (the SeriesTask), val_mse and test_mse (scaled units),
    yhat (N_test, 1), steps (loss evaluations), parameters, message (whether the
    network beats every baseline on the validation block: choices are made there; the
    test MSE is only reported).  If training diverges: model and yhat None, the MSEs
    NaN.
    """
    name, cell, lags, q, early_stopping = check_series_config(
        name, cell, lags, q, early_stopping
    )
    seed = checks.seed("seed", seed)
    task = series_task(name, lags)
    model = MODELS[cell](1, q, seed=seed)
    val = {"X_val": task.X_val, "Y_val": task.Y_val} if early_stopping else {}
    try:
        history = fit(model, task.X_train, task.Y_train, **val)
    except TrainingDiverged as err:
        return {
            "model": None,
            "task": task,
            "val_mse": float("nan"),
            "test_mse": float("nan"),
            "yhat": None,
            "steps": len(err.history),
            "parameters": parameter_count(model),
            "message": f"Training failed: {err}",
        }
    steps = len(history.train) if early_stopping else len(history)
    val_err = evaluate_mse(model, task.X_val, task.Y_val)
    # the verdict is the validation block's: the test MSE is reported, never used
    best = min(task.val_baselines, key=task.val_baselines.get)
    if val_err < task.val_baselines[best]:
        verdict = "beats every baseline"
    else:
        verdict = f"does not beat {best}"
    return {
        "model": model,
        "task": task,
        "val_mse": val_err,
        "test_mse": evaluate_mse(model, task.X_test, task.Y_test),
        "yhat": predict(model, task.X_test),
        "steps": steps,
        "parameters": parameter_count(model),
        "message": f"On the validation block the {cell} {verdict}.",
    }
