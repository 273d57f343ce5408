"""Exercise checks of notebooks 02 and 03: parameter counts, one RNN and one LSTM step,
a trained model, the forget gate."""

import numpy as np

from .. import shell_checks as checks
from .verdicts import (
    as_float_array,
    as_whole,
    judged,
    multiple_choice,
    not_callable,
    not_done,
    unanswered,
    verdict,
)


def check_param_count(D, q, answer, cell="RNN"):
    """The learner's parameter count of an RNN or LSTM, state dim D, hidden size q.

    cell: "RNN" or "LSTM" (any case).
    """
    D, q = checks.integer("D", D, 1), checks.integer("q", q, 1)
    if not isinstance(cell, str) or cell.strip().upper() not in ("RNN", "LSTM"):
        raise ValueError(f"cell must be 'RNN' or 'LSTM', got {cell!r}")
    cell = cell.strip().upper()
    if unanswered(answer):
        return not_done()
    if as_whole(answer) is None:
        return verdict(
            False,
            f"A parameter count is a whole number: answer with an integer "
            f"such as 42, got {answer!r}.",
        )
    answer = as_whole(answer)
    out_layer = q * D + D  # V (q, D) and c (D,)
    if cell == "RNN":
        expected = q * D + q * q + q + out_layer
        parts = f"U: {D}x{q}, W: {q}x{q}, b: {q}, V: {q}x{D}, c: {D}"
    else:
        expected = 4 * (q * q + D * q + q) + out_layer
        parts = f"four gates with W_g: {q}x{q}, V_g: {D}x{q}, b_g: {q} each; V: {q}x{D}, c: {D}"
    if answer == expected:
        return verdict(True, f"{parts}: {expected} in all.")
    if answer == expected - out_layer:
        return verdict(
            False,
            "You counted the recurrent part only: add the output layer V (q, D) and c (D,).",
        )
    if cell == "RNN" and answer == expected - q - D:
        return verdict(False, "Close: count the biases b (q,) and c (D,) too.")
    if cell == "RNN" and answer == expected + q:
        return verdict(
            False,
            "That is PyTorch's count: nn.RNN keeps two biases (bias_ih and bias_hh). "
            "Count the lecture's theta, with one b.",
        )
    if cell != "RNN" and answer == expected + 4 * q:
        return verdict(
            False,
            "That is PyTorch's count: nn.LSTM keeps two biases per gate (bias_ih and "
            "bias_hh). Count the lecture's Theta, one b_g per gate.",
        )
    if cell != "RNN" and answer == (q * q + D * q + q) + out_layer:
        return verdict(
            False, "Each of the four (o, s~, i, f) has its own W_g, V_g and b_g."
        )
    return verdict(
        False, "List the parameters with their shapes and add up rows x columns."
    )


def check_rnn_step(fn):
    """Test the learner's fn(h, x, U, W, b) -> next hidden state against h_k = tanh(h W + x U + b)."""
    if not callable(fn):
        return not_callable(fn, "fn(h, x, U, W, b)")
    return judged(
        "fn(h, x, U, W, b) to return the new state, an (N, q) array",
        _judge_rnn_step,
        fn,
    )


def _judge_rnn_step(fn):
    rng = np.random.default_rng(0)
    N, D, q = 4, 2, 3  # D != q, so a U/W mix-up shows as a shape error
    h, x = rng.normal(size=(N, q)), rng.normal(size=(N, D))
    U, W, b = rng.normal(size=(D, q)), rng.normal(size=(q, q)), rng.normal(size=q)
    expected = np.tanh(h @ W + x @ U + b)
    try:
        got = fn(h.copy(), x.copy(), U.copy(), W.copy(), b.copy())
    except Exception as err:  # the learner's code: say what went wrong
        hint = (
            " Check which weight multiplies which: x (N, D) needs U (D, q), h (N, q) needs W (q, q)."
            if isinstance(err, ValueError) and "matmul" in str(err)
            else ""
        )
        return verdict(False, f"fn raised {type(err).__name__}: {err}.{hint}")
    if got is None:
        return verdict(False, "Your function returns None: end it with `return ...`.")
    if as_float_array(got) is None:
        return verdict(
            False,
            f"Return the new state as an array of numbers (N, q) = "
            f"{expected.shape}, got {type(got).__name__}.",
        )
    got = as_float_array(got)
    if got.shape != expected.shape:
        return verdict(
            False,
            f"The new state should have shape (N, q) = {expected.shape}, got {got.shape}.",
        )
    if np.allclose(got, expected):
        return verdict(
            True, "h_k = tanh(h_{k-1} W + x_k U + b), for all N samples at once."
        )
    if np.allclose(got, h @ W + x @ U + b):
        return verdict(False, "Apply tanh to the sum: without it the cell is linear.")
    if np.allclose(got, np.tanh(h @ W + x @ U)):
        return verdict(False, "The bias b is missing.")
    if np.allclose(got, np.tanh(x @ U + b)):
        return verdict(
            False,
            "The previous state h is missing: h W is what makes the network recurrent.",
        )
    return verdict(False, "The values differ from tanh(h W + x U + b).")


def check_sine_model(model, lags, target=1e-4):
    """Evaluate the learner's trained model on the sine task's test block."""
    from ..data import sine_task

    lags = checks.integer("lags", lags, 1)
    target = checks.real("target", target, positive=True)
    task = sine_task(lags)
    if unanswered(model):
        return not_done()
    return judged(
        "a trained RNN or LSTM from helpers.models with D = 1",
        _judge_sine_model,
        model,
        lags,
        target,
        task,
    )


def _judge_sine_model(model, lags, target, task):
    import torch

    from ..train import evaluate_mse

    if not isinstance(model, torch.nn.Module):
        return verdict(
            False,
            "Pass your trained model, an RNN or LSTM from helpers.models "
            f"(e.g. RNN(D=1, q=8) after fit), got {type(model).__name__}.",
        )
    # the model does not fit the task: say why
    try:
        err = evaluate_mse(model, task.X_test, task.Y_test)
    except (TypeError, ValueError) as problem:
        return verdict(
            False,
            f"Your model cannot forecast the sine task with L = {lags}: {problem}.",
        )
    if not np.isfinite(err):
        return verdict(
            False,
            f"The test MSE is {err}: the model's weights are broken; "
            "build it again and train it.",
        )
    if err < target:
        return verdict(True, f"test MSE {err:.1e} < {target:.0e} with L = {lags}.")
    if lags == 1:
        return verdict(
            False,
            f"test MSE {err:.1e}: with one lag the floor is about 4.8e-3. Use L >= 2.",
        )
    return verdict(
        False,
        f"test MSE {err:.1e} is above {target:.0e}. Did you train the model? "
        "fit(my_model, X_train, Y_train) changes its weights in place; a model just "
        "built has random ones. If you did, train longer or use q >= 4.",
    )


def check_lstm_step(fn):
    """Test the learner's fn(h, s, x, params) -> (h_new, s_new) against the lecture's LSTM equations.

    p is a dict with W_g (q, q), V_g (D, q), b_g (q,) for g in o, s, i, f.
    """
    if not callable(fn):
        return not_callable(fn, "fn(h, s, x, params)")
    return judged(
        "fn(h, s, x, params) to return (h, s), two (N, q) arrays", _judge_lstm_step, fn
    )


def _judge_lstm_step(fn):
    rng = np.random.default_rng(1)
    N, D, q = 3, 2, 4
    h, s, x = rng.normal(size=(N, q)), rng.normal(size=(N, q)), rng.normal(size=(N, D))
    p = {}
    for g in ("o", "s", "i", "f"):
        p.update(
            {
                f"W_{g}": rng.normal(size=(q, q)),
                f"V_{g}": rng.normal(size=(D, q)),
                f"b_{g}": rng.normal(size=q),
            }
        )

    def gate(g, act):
        return act(h @ p[f"W_{g}"] + x @ p[f"V_{g}"] + p[f"b_{g}"])

    sig = lambda z: 1 / (1 + np.exp(-z))
    o, i, f, s_tilde = (
        gate("o", sig),
        gate("i", sig),
        gate("f", sig),
        gate("s", np.tanh),
    )
    s_new = f * s + i * s_tilde
    h_new = o * np.tanh(s_new)
    try:
        out = fn(h.copy(), s.copy(), x.copy(), {k: v.copy() for k, v in p.items()})
    except Exception as err:  # the learner's code: say what went wrong
        return verdict(False, f"fn raised {type(err).__name__}: {err}")
    if out is None:
        return verdict(False, "Your function returns None: end it with `return h, s`.")
    pair = out if isinstance(out, (tuple, list)) and len(out) == 2 else None
    got_h, got_s = (
        (None, None)
        if pair is None
        else (as_float_array(pair[0]), as_float_array(pair[1]))
    )
    if got_h is None or got_s is None:
        return verdict(
            False, "Return two arrays: the new hidden state h and the new cell state s."
        )
    if got_h.shape != (N, q) or got_s.shape != (N, q):
        return verdict(
            False,
            f"h and s should both have shape (N, q) = {(N, q)}, got {got_h.shape} and {got_s.shape}.",
        )
    s_ok, h_ok = np.allclose(got_s, s_new), np.allclose(got_h, h_new)
    if s_ok and h_ok:
        return verdict(
            True,
            "s = f * s + i * s~ and h = o * tanh(s), with every gate as in the lecture.",
        )
    if np.allclose(got_h, s_new) and np.allclose(got_s, h_new):
        return verdict(
            False, "You return (s, h): return the hidden state first, (h, s)."
        )
    if not s_ok:
        for wrong, hint in [
            (
                i * s + f * s_tilde,
                "The forget gate f multiplies the old s; the input gate i multiplies s~.",
            ),
            (
                f * s + i,
                "The input gate admits the candidate s~: the new part is i * s~.",
            ),
            (
                s + i * s_tilde,
                "The old cell state passes through the forget gate: f * s.",
            ),
            (
                f * s + i * np.tanh(h @ p["W_s"] + x @ p["V_o"] + p["b_s"]),
                "Each gate has its own input weights: s~ uses V_s.",
            ),
        ]:
            if np.allclose(got_s, wrong):
                return verdict(False, hint)
        return verdict(False, "The new cell state s is off: s = f * s_prev + i * s~.")
    if np.allclose(got_h, o * s_new):
        return verdict(
            False,
            "s is right; h = o * tanh(s): squash s with tanh before the output gate.",
        )
    if np.allclose(got_h, np.tanh(s_new)):
        return verdict(
            False, "s is right; the output gate is missing: h = o * tanh(s)."
        )
    return verdict(False, "s is right, but h is off: h = o * tanh(s).")


FORGET_CHOICES = {
    "a": "s keeps almost all of its old value",
    "b": "s forgets its old value and holds (almost) only i * s~, the newly admitted part",
    "c": "h becomes 0",
}


def check_forget_gate(answer):
    """Multiple choice: what happens to the cell state when the forget gate f is near 0?"""
    return multiple_choice(
        answer,
        FORGET_CHOICES,
        correct_digest=(
            "507b497558776491821140c4ee46981d2686db0c8d455c3edba231a7122dec65"
        ),
        feedback={
            "a": "That is f near 1: f multiplies the old s, so f = 0 erases it.",
            "b": "With f = 0, s = 0 * s_prev + i * s~ = i * s~: the old memory is wiped.",
            "c": "h = o * tanh(s) is shut by the output gate o, not by f; with f = 0, s = i * s~ can still be large.",
        },
    )
