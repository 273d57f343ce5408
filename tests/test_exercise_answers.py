"""The exercise checks seen from the student's side: for every exercise of notebooks
01-06, answers a student types (wrong ones, each a known slip, and right ones in the
forms people write them) are run through the exercise cell's own check call, read from
the notebook, and each must get its verdict and the words that name the slip.

The first wrong attempt must say where to look without giving the answer away; the
formula comes only on a repeated wrong attempt (tested at the end).
"""

import json
import pathlib
import re
import textwrap

import numpy as np
import pytest
import torch

from helpers import exercises
from helpers.exercises.verdicts import reset_attempts

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"


def _check_lines():
    """{(notebook prefix, check name): the exercise cell's lines that call the check}."""
    lines = {}
    for path in sorted(NOTEBOOKS.glob("0[1-6]_*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if "exercise" not in cell.get("metadata", {}).get("tags", []):
                continue
            src = "".join(cell["source"])
            calls = [ln for ln in src.splitlines() if "exercises.check_" in ln]
            for ln in calls:
                name = re.search(r"exercises\.(check_\w+)", ln).group(1)
                lines[(path.name[:2], name)] = ln
    return lines


CHECK_LINES = _check_lines()


def _namespace():
    from helpers.baselines import fit_ar
    from helpers.data import make_lag_dataset, sine_task, split_in_time
    from helpers.intervals import conformal_radius
    from helpers.models import LSTM, RNN, parameter_count
    from helpers.series import load_series, standardize
    from helpers.train import fit

    _, y = load_series("sunspots")
    n_train = len(y) - sum(exercises.SUNSPOT_BLOCKS)
    return {
        "np": np,
        "torch": torch,
        "exercises": exercises,
        "make_lag_dataset": make_lag_dataset,
        "split_in_time": split_in_time,
        "fit_ar": fit_ar,
        "sine_task": sine_task,
        "RNN": RNN,
        "LSTM": LSTM,
        "fit": fit,
        "y": y,
        "z": standardize(y[:n_train]).apply(y),
        "N_TEST": exercises.SUNSPOT_BLOCKS[1],
        "resid_sun": _resid_sun(y, n_train),
        "conformal_radius": conformal_radius,
        "parameter_count": parameter_count,
    }


def _resid_sun(y, n_train):
    """Notebook 06's validation residuals (n, H) of the recursive AR(10), built as the
    notebook builds them (helpers.horizons), not as the check does."""
    from helpers.horizons import fit_direct, horizon_windows, recursive
    from helpers.series import standardize

    z = standardize(y[:n_train]).apply(y)
    n_val = exercises.SUNSPOT_BLOCKS[0]
    X, Y, _ = horizon_windows(z, 10, 8, 0, n_train)
    X_v, Y_v, _ = horizon_windows(z, 10, 8, n_train, n_train + n_val)
    ar = fit_direct(lambda tau: None, X, Y)[0]
    return Y_v[:, :, 0] - recursive(ar.predict, X_v, 8)[:, :, 0]


def run_answer(nb, check, code, capsys):
    """Run the student's answer code, then the exercise cell's check call; return
    (verdict, printed message)."""
    ns = _namespace()
    exec(textwrap.dedent(code), ns)  # noqa: S102 - the answer a student types
    capsys.readouterr()
    v = eval(CHECK_LINES[(nb, check)].strip(), ns)
    return bool(v), capsys.readouterr().out


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()


# ----------------------------------------------------------------- the answers

LAG_RIGHT = """
def my_lag_dataset(series, lags):
    y = np.asarray(series, dtype=float).reshape(len(series), -1)
    N = len(y) - lags
    X = np.stack([y[k:k + N] for k in range(lags)])
    return X, y[lags:]
"""

LAG_INT_ZEROS = """
def my_lag_dataset(series, lags):
    y = np.asarray(series).reshape(len(series), -1)
    T, D = y.shape
    N = T - lags
    X = np.zeros((lags, N, D), dtype=int)
    Y = np.zeros((N, D), dtype=int)
    for n in range(N):
        for k in range(lags):
            X[k, n] = y[n + k]
        Y[n] = y[n + lags]
    return X, Y
"""

RNN_STEP = "def my_rnn_step(h, x, U, W, b):\n    return {}\n"

RADIUS = """
N_val = len(resid_sun)
rank = int(np.ceil((N_val + 1) * 0.9))
delta_90_lead3 = np.sort(np.abs(resid_sun[:, 2]))[rank - 1]
"""

LSTM_TEMPLATE = """
def my_lstm_step(h, s, x, p):
    sig = lambda z: 1 / (1 + np.exp(-z))
    o = {o}
    i = {i}
    f = {f}
    s_tilde = {st}
    s = {s}
    h = {h}
    return {ret}
"""


def lstm(**over):
    parts = {
        "o": 'sig(h @ p["W_o"] + x @ p["V_o"] + p["b_o"])',
        "i": 'sig(h @ p["W_i"] + x @ p["V_i"] + p["b_i"])',
        "f": 'sig(h @ p["W_f"] + x @ p["V_f"] + p["b_f"])',
        "st": 'np.tanh(h @ p["W_s"] + x @ p["V_s"] + p["b_s"])',
        "s": "f * s + i * s_tilde",
        "h": "o * np.tanh(s)",
        "ret": "h, s",
    }
    return LSTM_TEMPLATE.format(**{**parts, **over})


CLIP_RIGHT = """
def my_clip(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    if norm <= max_norm:
        return grads
    return [g * (max_norm / norm) for g in grads]
"""

CLIP_TEMPLATE = "def my_clip(grads, max_norm):\n    return {}\n"

SINE_RIGHT = """
task3 = sine_task(lags=3)
my_model = RNN(D=1, q=8, seed=0)
losses = fit(my_model, task3.X_train, task3.Y_train)
"""

AR_LOOP = """
val = []
for lags in range(1, 21):
    Xa, Ya = make_lag_dataset(z, lags)
    (Xt, Yt), (Xv, Yv), _ = split_in_time(Xa, Ya, 20, N_TEST)
    val.append(np.mean((fit_ar(Xt, Yt).predict(Xv) - Yv) ** 2))
"""

# (notebook, check, answer code, right?, words the message must contain)
CASES = [
    # 01 exercise 1: shapes
    ("01", "check_shapes", "X_shape = (4, 46, 2)\nY_shape = (46, 2)", True, []),
    (
        "01",
        "check_shapes",
        "X_shape = [4, 46, 2]\nY_shape = np.array([46, 2])",
        True,
        [],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (4.0, 46.0, 2.0)\nY_shape = torch.Size([46, 2])",
        True,
        [],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = torch.tensor([4, 46, 2])\nY_shape = (46.0, 2)",
        True,
        [],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (46, 4, 2)\nY_shape = (46, 2)",
        False,
        ["swapped"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (4, 50, 2)\nY_shape = (50, 2)",
        False,
        ["N is not T"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (4, 47, 2)\nY_shape = (47, 2)",
        False,
        ["off by one"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (4, 45, 2)\nY_shape = (45, 2)",
        False,
        ["off by one"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (4, 46, 1)\nY_shape = (46, 1)",
        False,
        ["state dimension"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (46, 2)\nY_shape = (4, 46, 2)",
        False,
        ["swapped"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (4, 46, 2)\nY_shape = (46,)",
        False,
        ["two axes"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = (4, 46.5, 2)\nY_shape = (46, 2)",
        False,
        ["whole numbers"],
    ),
    (
        "01",
        "check_shapes",
        "X_shape = '(4, 46, 2)'\nY_shape = (46, 2)",
        False,
        ["tuple"],
    ),
    # 01 exercise 2: window and target
    ("01", "check_window", "window = [10, 11, 12]\ntarget = 13", True, []),
    ("01", "check_window", "window = [10.0, 11.0, 12.0]\ntarget = 13.0", True, []),
    (
        "01",
        "check_window",
        "window = np.arange(10, 13)\ntarget = np.int64(13)",
        True,
        [],
    ),
    (
        "01",
        "check_window",
        "window = (10, 11, 12)\ntarget = torch.tensor(13)",
        True,
        [],
    ),
    ("01", "check_window", "window = [12, 11, 10]\ntarget = 13", False, ["OLDEST"]),
    (
        "01",
        "check_window",
        "window = [11, 12, 13]\ntarget = 14",
        False,
        ["shifted by one"],
    ),
    ("01", "check_window", "window = [7, 8, 9]\ntarget = 10", False, ["starts"]),
    (
        "01",
        "check_window",
        "window = [10, 11, 12]\ntarget = 12",
        False,
        ["newest input"],
    ),
    ("01", "check_window", "window = [10, 11]\ntarget = 13", False, ["exactly L = 3"]),
    (
        "01",
        "check_window",
        "window = [10, 11.5, 12]\ntarget = 13",
        False,
        ["whole-number"],
    ),
    # 01 exercise 3: a lag-dataset function
    ("01", "check_lag_function", LAG_RIGHT, True, ["N = 1"]),
    (
        "01",
        "check_lag_function",
        "from helpers.data import make_lag_dataset as my_lag_dataset",
        True,
        [],
    ),
    (
        "01",
        "check_lag_function",
        LAG_INT_ZEROS,
        False,
        ["whole numbers only", "dtype=int"],
    ),
    (
        "01",
        "check_lag_function",
        LAG_RIGHT.replace("return X, y[lags:]", "return y[lags:], X"),
        False,
        ["(Y, X)"],
    ),
    (
        "01",
        "check_lag_function",
        LAG_RIGHT.replace("return X, y[lags:]", "return X[::-1], y[lags:]"),
        False,
        ["reverse order"],
    ),
    (
        "01",
        "check_lag_function",
        LAG_RIGHT.replace("return X, y[lags:]", "return X[..., 0], y[lags:]"),
        False,
        ["state axis D"],
    ),
    (
        "01",
        "check_lag_function",
        LAG_RIGHT.replace("N = len(y) - lags", "N = len(y) - lags - 1").replace(
            "y[lags:]", "y[lags:-1]"
        ),
        False,
        ["N = T - L"],
    ),
    (
        "01",
        "check_lag_function",
        LAG_RIGHT.replace("return X, y[lags:]", "return X, y[lags - 1:-1]"),
        False,
        ["Y has the right shape but wrong values"],
    ),
    (
        "01",
        "check_lag_function",
        LAG_RIGHT.replace("np.stack(", "np.swapaxes(np.stack(").replace(
            "range(lags)])", "range(lags)]), 0, 1)"
        ),
        False,
        ["the lags come first"],
    ),
    # 02 exercise 1 and 03 exercise 3: parameter counts
    ("02", "check_param_count", "n_params = 63", True, []),
    ("02", "check_param_count", "n_params = 63.0", True, []),
    ("02", "check_param_count", "n_params = torch.tensor(63)", True, []),
    ("02", "check_param_count", "n_params = np.int64(63)", True, []),
    (
        "02",
        "check_param_count",
        "n_params = torch.tensor([15, 25, 5, 15, 3]).sum()",
        True,
        [],
    ),
    ("02", "check_param_count", "n_params = 68", False, ["PyTorch"]),
    ("02", "check_param_count", "n_params = 60", False, ["bias c"]),
    ("02", "check_param_count", "n_params = 58", False, ["bias b"]),
    ("02", "check_param_count", "n_params = 55", False, ["biases b", "c"]),
    ("02", "check_param_count", "n_params = 45", False, ["output layer"]),
    ("02", "check_param_count", "n_params = 38", False, ["W (q, q)"]),
    ("02", "check_param_count", "n_params = 73", False, ["(D, q)"]),
    ("02", "check_param_count", "n_params = 50", False, ["shapes"]),
    ("02", "check_param_count", "n_params = 63.5", False, ["whole number"]),
    ("02", "check_param_count", "n_params = '63'", False, ["whole number"]),
    ("03", "check_param_count", "n_params = 80", True, []),
    ("03", "check_param_count", "n_params = 80.0", True, []),
    ("03", "check_param_count", "n_params = np.array(80)", True, []),
    ("03", "check_param_count", "n_params = 92", False, ["PyTorch"]),
    ("03", "check_param_count", "n_params = 62", False, ["three gate blocks"]),
    ("03", "check_param_count", "n_params = 26", False, ["four"]),
    ("03", "check_param_count", "n_params = 78", False, ["bias c"]),
    ("03", "check_param_count", "n_params = 68", False, ["b_g"]),
    ("03", "check_param_count", "n_params = 72", False, ["output layer"]),
    ("03", "check_param_count", "n_params = 98", False, ["five blocks"]),
    ("03", "check_param_count", "n_params = 50", False, ["Theta"]),
    # 02 exercise 2: one RNN step
    ("02", "check_rnn_step", RNN_STEP.format("np.tanh(h @ W + x @ U + b)"), True, []),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("torch.tanh(torch.tensor(h @ W + x @ U + b))"),
        True,
        [],
    ),
    ("02", "check_rnn_step", RNN_STEP.format("h @ W + x @ U + b"), False, ["tanh"]),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("np.tanh(h @ W + x @ U)"),
        False,
        ["bias"],
    ),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("np.tanh(x @ U + b)"),
        False,
        ["previous state h"],
    ),
    ("02", "check_rnn_step", RNN_STEP.format("np.tanh(h @ W + b)"), False, ["input x"]),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("np.tanh(h @ U + x @ W + b)"),
        False,
        ["which weight"],
    ),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("np.tanh(h @ W.T + x @ U + b)"),
        False,
        ["transposed"],
    ),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("1 / (1 + np.exp(-(h @ W + x @ U + b)))"),
        False,
        ["tanh, not the sigmoid"],
    ),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("np.tanh(2 * h @ W + x @ U + b)"),
        False,
        ["compare"],
    ),
    # 02 exercise 3: a trained RNN
    ("02", "check_sine_model", SINE_RIGHT, True, ["fresh"]),
    (
        "02",
        "check_sine_model",
        "task3 = sine_task(lags=3)\nmy_model = RNN(D=1, q=8, seed=0)",
        False,
        ["train"],
    ),
    (
        "02",
        "check_sine_model",
        (
            "task3 = sine_task(lags=3)\nmy_model = LSTM(D=1, q=4, seed=0)\n"
            "fit(my_model, task3.X_train, task3.Y_train)"
        ),
        False,
        ["RNN(...)"],
    ),
    (
        "02",
        "check_sine_model",
        (
            "task = sine_task(lags=10)\nmy_model = RNN(D=1, q=8, seed=0)\n"
            "fit(my_model, task.X_train, task.Y_train)"
        ),
        False,
        ["L = 10", "sine_task(lags=3)"],
    ),
    ("02", "check_sine_model", "my_model = 'RNN'", False, ["Pass your trained model"]),
    # 03 exercise 1: one LSTM step
    ("03", "check_lstm_step", lstm(), True, []),
    ("03", "check_lstm_step", lstm(ret="[h, s]"), True, []),
    ("03", "check_lstm_step", lstm(ret="h, s"), True, []),
    ("03", "check_lstm_step", lstm(ret="s, h"), False, ["(h, s)"]),
    (
        "03",
        "check_lstm_step",
        lstm(st='sig(h @ p["W_s"] + x @ p["V_s"] + p["b_s"])'),
        False,
        ["candidate s~", "sigmoid"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(f='np.tanh(h @ p["W_f"] + x @ p["V_f"] + p["b_f"])'),
        False,
        ["forget gate f", "tanh"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(i='sig(h @ p["W_i"] + x @ p["V_i"])'),
        False,
        ["input gate i", "no bias"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(o='sig(h @ p["W_o"].T + x @ p["V_o"] + p["b_o"])'),
        False,
        ["output gate o", "transposed"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(f='sig(x @ p["V_f"] + p["b_f"])'),
        False,
        ["forget gate f", "ignores the previous state h"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(i='sig(h @ p["W_i"] + p["b_i"])'),
        False,
        ["input gate i", "ignores the input x"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(i='1 - sig(h @ p["W_f"] + x @ p["V_f"] + p["b_f"])'),
        False,
        ["coupled"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(
            o='sig(h @ p["W_i"] + x @ p["V_i"] + p["b_i"])',
            i='sig(h @ p["W_o"] + x @ p["V_o"] + p["b_o"])',
        ),
        False,
        ["output gate o", "input gate i", "swapped"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(s="i * s + f * s_tilde"),
        False,
        ["forget gate f multiplies the old s"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(s="s + i * s_tilde"),
        False,
        ["through the forget gate"],
    ),
    (
        "03",
        "check_lstm_step",
        lstm(s="f * s + s_tilde"),
        False,
        ["through the input gate"],
    ),
    ("03", "check_lstm_step", lstm(h="o * s"), False, ["squash s with tanh"]),
    ("03", "check_lstm_step", lstm(h="np.tanh(s)"), False, ["output gate is missing"]),
    (
        "03",
        "check_lstm_step",
        lstm(s="0.5 * (f * s + i * s_tilde)"),
        False,
        ["one at a time"],
    ),
    # 03 exercise 2: the forget gate
    ("03", "check_forget_gate", 'answer = "b"', True, []),
    ("03", "check_forget_gate", 'answer = " B "', True, []),
    (
        "03",
        "check_forget_gate",
        'answer = "a"',
        False,
        ["f is near 1", "what f multiplies"],
    ),
    ("03", "check_forget_gate", 'answer = "c"', False, ["output gate o"]),
    ("03", "check_forget_gate", "answer = 2", False, ["one letter"]),
    # 04 exercise 1: the vanishing bound
    ("04", "check_vanishing_bound", "fraction = 0.8**10", True, []),
    ("04", "check_vanishing_bound", "fraction = 0.107", True, []),
    ("04", "check_vanishing_bound", "fraction = 0.1074", True, []),
    ("04", "check_vanishing_bound", "fraction = torch.tensor(0.8) ** 10", True, []),
    ("04", "check_vanishing_bound", "fraction = np.float32(0.8) ** 10", True, []),
    ("04", "check_vanishing_bound", "fraction = 0.1", False, ["3 significant digits"]),
    ("04", "check_vanishing_bound", "fraction = 0.11", False, ["3 significant digits"]),
    ("04", "check_vanishing_bound", "fraction = 8.0", False, ["multiply"]),
    ("04", "check_vanishing_bound", "fraction = 0.8**11", False, ["Count the factors"]),
    ("04", "check_vanishing_bound", "fraction = 0.8**9", False, ["Count the factors"]),
    ("04", "check_vanishing_bound", "fraction = 1 - 0.8**10", False, ["lost"]),
    ("04", "check_vanishing_bound", "fraction = 0.5", False, ["sigma_max"]),
    ("04", "check_vanishing_bound", "fraction = '0.107'", False, ["one number"]),
    # 04 exercise 2: the memory gate
    ("04", "check_memory_gate", 'gate = "f"', True, []),
    ("04", "check_memory_gate", 'gate = "F "', True, []),
    ("04", "check_memory_gate", 'gate = "i"', False, ["OLD cell state"]),
    ("04", "check_memory_gate", 'gate = "o"', False, ["output gate"]),
    # 04 exercise 3: clipping by the length of all gradients
    ("04", "check_clip", CLIP_RIGHT, True, ["matrices", "several gradients"]),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format(
            "tuple(torch.tensor(g) * min(1.0, max_norm / max(np.sqrt(sum((a**2).sum() "
            "for a in grads)), 1e-12)) for g in grads)"
        ),
        True,
        [],
    ),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format("[np.clip(g, -max_norm, max_norm) for g in grads]"),
        False,
        ["each entry"],
    ),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format(
            "[g * min(1.0, max_norm / np.linalg.norm(g)) if np.linalg.norm(g) > 0 "
            "else g for g in grads]"
        ),
        False,
        ["its own length", "ALL gradients"],
    ),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format(
            "[g * min(1.0, max_norm / np.linalg.norm(np.atleast_2d(g), 2)) if "
            "np.any(g) else g for g in grads]"
        ),
        False,
        ["spectral norm"],
    ),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format(
            "[g * max_norm / max(np.sqrt(sum((a**2).sum() for a in grads)), 1e-12) "
            "for g in grads]"
        ),
        False,
        ["unchanged"],
    ),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format("[g / 2 for g in grads]"),
        False,
        ["direction is kept", "check the factor"],
    ),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format("grads[0] * 0.5"),
        False,
        ["list of"],
    ),
    # 05 exercise 1: persistence by hand
    (
        "05",
        "check_persistence_mse",
        "mse_persistence = np.mean((z[-N_TEST:] - z[-N_TEST - 1:-1]) ** 2)",
        True,
        [],
    ),
    ("05", "check_persistence_mse", "mse_persistence = 0.947", True, []),
    ("05", "check_persistence_mse", "mse_persistence = torch.tensor(0.9468)", True, []),
    (
        "05",
        "check_persistence_mse",
        "mse_persistence = 0.95",
        False,
        ["3 significant digits"],
    ),
    (
        "05",
        "check_persistence_mse",
        "mse_persistence = 0.9",
        False,
        ["3 significant digits"],
    ),
    (
        "05",
        "check_persistence_mse",
        "mse_persistence = np.mean((y[-N_TEST:] - y[-N_TEST - 1:-1]) ** 2)",
        False,
        ["own units"],
    ),
    (
        "05",
        "check_persistence_mse",
        "mse_persistence = np.sqrt(np.mean((z[-N_TEST:] - z[-N_TEST - 1:-1]) ** 2))",
        False,
        ["square root"],
    ),
    (
        "05",
        "check_persistence_mse",
        "mse_persistence = np.mean((z[1:] - z[:-1]) ** 2)",
        False,
        ["whole series"],
    ),
    (
        "05",
        "check_persistence_mse",
        "zl = (y - y.mean()) / y.std()\nmse_persistence = np.mean((zl[-N_TEST:] - zl[-N_TEST - 1:-1]) ** 2)",
        False,
        ["leaky"],
    ),
    ("05", "check_persistence_mse", "mse_persistence = 0.3", False, ["which points"]),
    # 05 exercise 2: the AR order by validation
    ("05", "check_ar_order", AR_LOOP + "best_L = int(np.argmin(val)) + 1", True, []),
    ("05", "check_ar_order", AR_LOOP + "best_L = np.argmin(val) + 1.0", True, []),
    (
        "05",
        "check_ar_order",
        AR_LOOP + "best_L = torch.tensor(val).argmin() + 1",
        True,
        [],
    ),
    (
        "05",
        "check_ar_order",
        AR_LOOP + "best_L = np.argmin(val)",
        False,
        ["Off by one", "argmin"],
    ),
    (
        "05",
        "check_ar_order",
        AR_LOOP + "best_L = np.argmin(val) + 2",
        False,
        ["Off by one"],
    ),
    ("05", "check_ar_order", "best_L = 9", False, ["TEST block"]),
    ("05", "check_ar_order", "best_L = 18", False, ["TRAINING block"]),
    ("05", "check_ar_order", "best_L = 10", False, ["section 4"]),
    ("05", "check_ar_order", "best_L = 25", False, ["1 to 20"]),
    ("05", "check_ar_order", "best_L = 3", False, ["another L has a lower one"]),
    ("05", "check_ar_order", "best_L = 15.5", False, ["whole number"]),
    # 05 exercise 3: the leak
    ("05", "check_leak", 'answer = "b"', True, []),
    ("05", "check_leak", 'answer = "a"', False, ["scaled units"]),
    ("05", "check_leak", 'answer = "c"', False, ["training block"]),
    # 06 exercise 1: a conformal radius by hand
    ("06", "check_conformal_radius", RADIUS, True, []),
    (
        "06",
        "check_conformal_radius",
        "delta_90_lead3 = conformal_radius(resid_sun, 0.9)[2]",
        True,
        [],
    ),
    ("06", "check_conformal_radius", "delta_90_lead3 = 1.04", True, []),
    (
        "06",
        "check_conformal_radius",
        RADIUS.replace("(N_val + 1)", "N_val"),
        False,
        ["+ 1"],
    ),
    (
        "06",
        "check_conformal_radius",
        "delta_90_lead3 = np.quantile(np.abs(resid_sun[:, 2]), 0.9)",
        False,
        ["default quantile"],
    ),
    ("06", "check_conformal_radius", RADIUS.replace("2]", "3]"), False, ["column 3"]),
    ("06", "check_conformal_radius", "delta_90_lead3 = 1.0", False, ["round to"]),
    (
        "06",
        "check_conformal_radius",
        "delta_90_lead3 = 2 * conformal_radius(resid_sun, 0.9)[2]",
        False,
        ["half-width"],
    ),
    ("06", "check_conformal_radius", "delta_90_lead3 = [1, 2]", False, ["one number"]),
    # 06 exercise 2: the multi-output network's size
    ("06", "check_multi_output_params", "n_params = 204", True, []),
    (
        "06",
        "check_multi_output_params",
        "n_params = parameter_count(RNN(3, 8, D_out=12))",
        True,
        [],
    ),
    ("06", "check_multi_output_params", "n_params = 123", False, ["one-step"]),
    ("06", "check_multi_output_params", "n_params = 492", False, ["direct"]),
    ("06", "check_multi_output_params", "n_params = 132", False, ["H*D, not H"]),
    ("06", "check_multi_output_params", "n_params = 188", False, ["(D, q)"]),
    ("06", "check_multi_output_params", "n_params = 200", False, ["each parameter"]),
    # 06 exercise 3: what the guarantee assumes
    ("06", "check_exchangeable", 'answer = "c"', True, []),
    ("06", "check_exchangeable", 'answer = "a"', False, ["No distribution"]),
    ("06", "check_exchangeable", 'answer = "b"', False, ["Any model"]),
]


def test_every_exercise_has_a_table():
    checked = {(nb, check) for nb, check, *_ in CASES}
    assert set(CHECK_LINES) == checked
    for key in CHECK_LINES:
        rights = [c for c in CASES if c[:2] == key and c[3]]
        wrongs = [c for c in CASES if c[:2] == key and not c[3]]
        assert rights and wrongs, key


@pytest.mark.parametrize(
    "nb, check, code, right, words",
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_answer(nb, check, code, right, words, capsys):
    ok, out = run_answer(nb, check, code, capsys)
    assert out.startswith("Correct. " if right else "Not yet. "), out
    assert ok == right, out
    for word in words:
        assert word in out, (word, out)


# --------------------------------------------- no give-away on a first wrong attempt

# (notebook, check, a wrong answer no slip explains, what it must not say the first
# time, what it says on the second)
FIRST_THEN_FORMULA = [
    (
        "01",
        "check_shapes",
        "X_shape = (4, 40, 2)\nY_shape = (40, 2)",
        ["46"],
        "N = T - L",
    ),
    (
        "01",
        "check_window",
        "window = [3, 8, 1]\ntarget = 13",
        ["10, 11, 12"],
        "X[k, n] = y(n + k)",
    ),
    ("02", "check_param_count", "n_params = 50", ["63"], "U is (D, q)"),
    ("03", "check_param_count", "n_params = 50", ["80"], "W_g is (q, q)"),
    (
        "02",
        "check_rnn_step",
        RNN_STEP.format("np.tanh(2 * h @ W + x @ U + b)"),
        ["tanh(h"],
        "h_k = tanh(",
    ),
    (
        "03",
        "check_lstm_step",
        lstm(s="0.5 * (f * s + i * s_tilde)"),
        ["f * s_prev"],
        "s = f * s_prev + i * s~",
    ),
    (
        "04",
        "check_vanishing_bound",
        "fraction = 0.5",
        ["0.107", "10 in all", "** 10"],
        "power",
    ),
    (
        "04",
        "check_clip",
        CLIP_TEMPLATE.format(
            "[g + 0.1 for g in grads] if sum((a**2).sum() for a in grads) > max_norm**2 else grads"
        ),
        ["max_norm / total length"],
        "max_norm / total length",
    ),
    (
        "05",
        "check_persistence_mse",
        "mse_persistence = 0.3",
        ["0.94"],
        "mean of (z[t] - z[t-1])^2",
    ),
    (
        "06",
        "check_conformal_radius",
        "delta_90_lead3 = 5.0",
        ["1.04", "np.sort"],
        "np.sort(np.abs(resid_sun[:, 2]))",
    ),
    (
        "06",
        "check_multi_output_params",
        "n_params = 200",
        ["204", "(q, H*D)"],
        "V (q, H*D)",
    ),
]


@pytest.mark.parametrize("nb, check, code, hidden, formula", FIRST_THEN_FORMULA)
def test_the_formula_comes_on_the_second_wrong_attempt(
    nb, check, code, hidden, formula, capsys
):
    ok, first = run_answer(nb, check, code, capsys)
    assert not ok and first.startswith("Not yet. ")
    for text in hidden + [formula]:
        assert text not in first, (text, first)
    ok, second = run_answer(nb, check, code, capsys)
    assert not ok and formula in second, second


def test_multiple_choice_feedback_does_not_name_the_right_letter(capsys):
    for nb, check, code in [
        ("03", "check_forget_gate", 'answer = "a"'),
        ("03", "check_forget_gate", 'answer = "c"'),
        ("04", "check_memory_gate", 'gate = "i"'),
        ("04", "check_memory_gate", 'gate = "o"'),
        ("06", "check_exchangeable", 'answer = "a"'),
        ("06", "check_exchangeable", 'answer = "b"'),
    ]:
        _, out = run_answer(nb, check, code, capsys)
        assert "f = 0 erases" not in out and "s = i * s~" not in out, out
        assert "exchangeable" not in out, out
