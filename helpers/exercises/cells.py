"""Exercise checks of notebooks 02 and 03: parameter counts, one RNN and one LSTM step,
a trained model, the forget gate."""

import numpy as np

from .. import shell_checks as checks
from .verdicts import (
    as_float_array,
    as_whole,
    escalate,
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
    # V (q, D) and c (D,)
    out_layer = q * D + D
    if cell == "RNN":
        expected = q * D + q * q + q + out_layer
        parts = f"U: {D}x{q}, W: {q}x{q}, b: {q}, V: {q}x{D}, c: {D}"
    else:
        expected = 4 * (q * q + D * q + q) + out_layer
        parts = f"four gates with W_g: {q}x{q}, V_g: {D}x{q}, b_g: {q} each; V: {q}x{D}, c: {D}"
    if answer == expected:
        return verdict(True, f"{parts}: {expected} in all.")
    for wrong, hint in _count_slips(cell, D, q, expected, out_layer):
        if answer == wrong:
            return verdict(False, hint)
    if cell == "RNN":
        where = (
            "List theta's five parameters U, W, b, V, c with their shapes (section 5) "
            "and add up their entries."
        )
        formula = "U is (D, q), W (q, q), b (q,), V (q, D), c (D,)."
    else:
        where = (
            "List Theta's parameters with their shapes (section 2): each of the four "
            "gate blocks o, s~, i, f has its own W_g, V_g, b_g; then the output layer."
        )
        formula = "W_g is (q, q), V_g (D, q), b_g (q,); V (q, D), c (D,)."
    return verdict(False, escalate(("check_param_count", D, q, cell), where, formula))


def _count_slips(cell, D, q, expected, out_layer):
    """(count, what it is) for the usual wrong counts, the most telling first."""
    slips = [
        (
            expected - out_layer,
            "You counted the recurrent part only: add the output layer V (q, D) and c (D,).",
        ),
        (expected - D, "The output layer's bias c (D,) is missing."),
        (expected - q * D, "The output layer's weights V (q, D) are missing."),
    ]
    if cell == "RNN":
        slips += [
            (
                expected + q,
                (
                    "That is PyTorch's count: nn.RNN keeps two biases (bias_ih and "
                    "bias_hh). Count the lecture's theta, with one b."
                ),
            ),
            (expected - q - D, "Close: count the biases b (q,) and c (D,) too."),
            (expected - q, "The cell's bias b (q,) is missing."),
            (expected - q * q, "The recurrent weights W (q, q) are missing."),
            (
                expected + q * q - q * D,
                "U multiplies x (D values): it is (D, q), not (q, q).",
            ),
        ]
    else:
        gate = q * q + D * q + q
        slips += [
            (
                expected + 4 * q,
                (
                    "That is PyTorch's count: nn.LSTM keeps two biases per gate (bias_ih "
                    "and bias_hh). Count the lecture's Theta, one b_g per gate."
                ),
            ),
            (
                gate + out_layer,
                "Each of the four (o, s~, i, f) has its own W_g, V_g and b_g.",
            ),
            (
                3 * gate + out_layer,
                (
                    "You counted three gate blocks: the candidate s~ has its own W_s, V_s, "
                    "b_s too, four blocks in all (o, s~, i, f)."
                ),
            ),
            (
                5 * gate + out_layer,
                (
                    "You counted five blocks: there are four, o, s~, i, f (h and s are "
                    "states, not parameters)."
                ),
            ),
            (expected - 4 * q, "The gates' biases b_g (q,) are missing, one per gate."),
            (expected - q, "One gate's bias is missing: each of the four has a b_g."),
            (
                expected - 4 * q * q,
                "The recurrent weights W_g (q, q) of each gate are missing.",
            ),
            (expected - 4 * q - D, "The biases are missing: b_g per gate and c."),
        ]
    return [(w, h) for w, h in slips if w != expected]


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
    # D != q, so a U/W mix-up shows as a shape error
    N, D, q = 4, 2, 3
    h, x = rng.normal(size=(N, q)), rng.normal(size=(N, D))
    U, W, b = rng.normal(size=(D, q)), rng.normal(size=(q, q)), rng.normal(size=q)
    expected = np.tanh(h @ W + x @ U + b)
    try:
        got = fn(h.copy(), x.copy(), U.copy(), W.copy(), b.copy())
    # the learner's code: say what went wrong
    except Exception as err:
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
        return _rnn_step_other_sizes(fn)
    if np.allclose(got, h @ W + x @ U + b):
        return verdict(False, "Apply tanh to the sum: without it the cell is linear.")
    if np.allclose(got, np.tanh(h @ W + x @ U)):
        return verdict(False, "The bias b is missing.")
    if np.allclose(got, np.tanh(x @ U + b)):
        return verdict(
            False,
            "The previous state h is missing: h W is what makes the network recurrent.",
        )
    if np.allclose(got, np.tanh(h @ W + b)):
        return verdict(False, "The input x is missing: x U feeds the new point in.")
    if np.allclose(got, 1 / (1 + np.exp(-(h @ W + x @ U + b)))):
        return verdict(False, "The cell's activation is tanh, not the sigmoid.")
    if np.allclose(got, np.tanh(h @ W.T + x @ U + b)):
        return verdict(
            False, "W is used transposed: the state is a row, h W (not h W^T)."
        )
    return verdict(
        False,
        escalate(
            ("check_rnn_step",),
            "The values differ from the lecture's step: compare each term with "
            "the lecture's cell equation (which weight meets h, which meets x, the bias, "
            "the activation).",
            "h_k = tanh(h_{k-1} W + x_k U + b).",
        ),
    )


def _rnn_step_other_sizes(fn):
    """Right on (N, D, q) = (4, 2, 3): the same step must hold at other sizes."""
    rng = np.random.default_rng(1)
    for N, D, q in ((3, 2, 3), (1, 1, 2), (5, 3, 1)):
        h, x = rng.normal(size=(N, q)), rng.normal(size=(N, D))
        U, W, b = rng.normal(size=(D, q)), rng.normal(size=(q, q)), rng.normal(size=q)
        expected = np.tanh(h @ W + x @ U + b)
        try:
            got = as_float_array(fn(h, x, U, W, b))
        # the learner's code: say what went wrong
        except Exception as err:
            got, problem = None, f"it raised {type(err).__name__}: {err}"
        else:
            problem = "its values differ"
        if got is None or got.shape != expected.shape or not np.allclose(got, expected):
            return verdict(
                False,
                f"Right for N = 4, D = 2, q = 3, but at N = {N}, D = {D}, q = {q} "
                f"{problem}: does your step depend on the sizes (a transpose, a fixed "
                "number)?",
            )
    return verdict(
        True, "h_k = tanh(h_{k-1} W + x_k U + b), for all N samples at once."
    )


def check_sine_model(model, lags, target=1e-4):
    """Evaluate the learner's trained RNN on fresh windows of the sine (lags L), which
    the check draws itself, so the notebook's test block plays no part in the verdict."""
    from ..data import sine_task

    lags = checks.integer("lags", lags, 1)
    target = checks.real("target", target, positive=True)
    task = sine_task(lags)
    if unanswered(model):
        return not_done()
    return judged(
        "a trained RNN from helpers.models with D = 1",
        _judge_sine_model,
        model,
        lags,
        target,
        task,
    )


def _fresh_sine(lags, n=200, seed=2026):
    """n windows of L lags of sin(t + phase) at the course's time step, random phases:
    data no notebook cell has seen."""
    from ..data import TIME_STEP

    rng = np.random.default_rng(seed)
    start = rng.uniform(0, 2 * np.pi, size=n)
    t = start[None, :] + TIME_STEP * np.arange(lags + 1)[:, None]
    y = np.sin(t)
    return y[:lags, :, None], y[lags, :, None]


def _judge_sine_model(model, lags, target, task):
    import torch

    from ..models import LSTM, RNN
    from ..train import evaluate_mse

    if not isinstance(model, torch.nn.Module):
        return verdict(
            False,
            "Pass your trained model, an RNN from helpers.models "
            f"(e.g. RNN(D=1, q=8) after fit), got {type(model).__name__}.",
        )
    # by name and parameters, not by class identity: a grader re-imports helpers
    is_rnn = type(model).__name__ == RNN.__name__ and all(
        isinstance(getattr(model, n, None), torch.Tensor) for n in "UWbVc"
    )
    if isinstance(model, LSTM) or not is_rnn:
        return verdict(
            False,
            f"The exercise asks for the course's RNN, built with RNN(...); got "
            f"{type(model).__name__}. Build an RNN(D=1, q=...) and fit it.",
        )
    X_new, Y_new = _fresh_sine(lags)
    try:
        err = evaluate_mse(model, X_new, Y_new)
    except (TypeError, ValueError) as problem:
        return verdict(
            False,
            f"Your model cannot forecast the sine task with L = {lags}: {problem}.",
        )
    if not np.isfinite(err):
        return verdict(
            False,
            f"The MSE is {err}: the model's weights are broken; "
            "build it again and train it.",
        )
    if err < target:
        return verdict(
            True,
            f"MSE {err:.1e} < {target:.0e} on 200 fresh windows of the sine with "
            f"L = {lags}, drawn by the check (not the notebook's test block).",
        )
    test_err = evaluate_mse(model, task.X_test, task.Y_test)
    if test_err < target:
        return verdict(
            False,
            f"MSE {test_err:.1e} on the notebook's test block but {err:.1e} on fresh "
            "windows of the same sine: the model learned the test block. Fit it on "
            "the training block only, fit(my_model, task3.X_train, task3.Y_train).",
        )
    for other in (*range(2, 21), 30):
        if other != lags and evaluate_mse(model, *_fresh_sine(other)) < target:
            return verdict(
                False,
                f"Your model forecasts well from L = {other} lags but not from "
                f"L = {lags}: it was trained on another task. Train it on "
                f"sine_task(lags={lags})'s training block.",
            )
    if lags == 1:
        return verdict(
            False,
            f"MSE {err:.1e}: with one lag the floor is about 4.8e-3. Use L >= 2.",
        )
    return verdict(
        False,
        f"MSE {err:.1e} is above {target:.0e}. Did you train the model? "
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

    sig = lambda z: 1 / (1 + np.exp(-z))
    act = {"o": sig, "i": sig, "f": sig, "s": np.tanh}

    def gate(g, fn=None, W=None, V=None, b=None, use_h=True, use_x=True, use_b=True):
        W = p[f"W_{W or g}"]
        z = (h @ W if use_h else 0) + (x @ p[f"V_{V or g}"] if use_x else 0)
        z = z + (p[f"b_{b or g}"] if use_b else 0)
        return (fn or act[g])(z)

    right = {g: gate(g) for g in ("o", "i", "f", "s")}

    def step(**gates):
        G = {**right, **gates}
        s_k = G["f"] * s + G["i"] * G["s"]
        return G["o"] * np.tanh(s_k), s_k

    h_new, s_new = step()
    try:
        out = fn(h.copy(), s.copy(), x.copy(), {k: v.copy() for k, v in p.items()})
    # the learner's code: say what went wrong
    except Exception as err:
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
    o, i, f, s_tilde = right["o"], right["i"], right["f"], right["s"]
    names = {
        "o": "output gate o",
        "i": "input gate i",
        "f": "forget gate f",
        "s": "candidate s~",
    }
    # one gate computed the wrong way: (the gates as the learner has them, the slip)
    slips = []
    for g in ("s", "o", "i", "f"):
        other = "sigmoid" if g == "s" else "tanh"
        slips += [
            (
                {g: gate(g, fn=sig if g == "s" else np.tanh)},
                (
                    f"The {names[g]} uses {other}; it should use "
                    f"{'tanh' if g == 's' else 'the sigmoid'}."
                ),
            ),
            ({g: gate(g, use_b=False)}, f"The {names[g]} has no bias: add b_{g}."),
            (
                {g: gate(g, use_h=False)},
                f"The {names[g]} ignores the previous state h: add h W_{g}.",
            ),
            (
                {g: gate(g, use_x=False)},
                f"The {names[g]} ignores the input x: add x V_{g}.",
            ),
        ]
        Wt = {**p, f"W_{g}": p[f"W_{g}"].T}
        z = h @ Wt[f"W_{g}"] + x @ p[f"V_{g}"] + p[f"b_{g}"]
        slips.append(
            (
                {g: act[g](z)},
                f"The {names[g]} uses W_{g} transposed: h W_{g}, with h a row.",
            )
        )
    for a, b in (("o", "i"), ("o", "f")):
        slips.append(
            (
                {a: right[b], b: right[a]},
                (
                    f"The {names[a]} and the {names[b]} are swapped: check which "
                    "parameters (W_g, V_g, b_g) each one uses."
                ),
            )
        )
    for g in ("o", "i", "f", "s"):
        for other in ("o", "i", "f", "s"):
            if other != g:
                slips.append(
                    (
                        {g: gate(g, W=other, V=other, b=other)},
                        (
                            f"The {names[g]} uses the parameters of the "
                            f"{names[other]}: it has its own W_{g}, V_{g}, b_{g}."
                        ),
                    )
                )
    slips += [
        (
            {"i": 1 - f},
            (
                "The input gate is coupled to the forget gate (i = 1 - f): the "
                "lecture's i has its own parameters W_i, V_i, b_i."
            ),
        ),
        (
            {"f": 1 - i},
            (
                "The forget gate is coupled to the input gate (f = 1 - i): the "
                "lecture's f has its own parameters W_f, V_f, b_f."
            ),
        ),
    ]
    # the same slip made in every gate at once
    every = ("o", "i", "f", "s")
    slips += [
        ({g: gate(g, use_b=False) for g in every}, "No gate has its bias: add b_g."),
        (
            {g: gate(g, use_h=False) for g in every},
            "No gate reads the previous state h: add h W_g to each.",
        ),
        (
            {g: gate(g, use_x=False) for g in every},
            "No gate reads the input x: add x V_g to each.",
        ),
        (
            {
                g: act[g](h @ p[f"W_{g}"].T + x @ p[f"V_{g}"] + p[f"b_{g}"])
                for g in every
            },
            "Every W_g is used transposed: h W_g, with h a row.",
        ),
        (
            {
                g: np.tanh(h @ p[f"W_{g}"] + x @ p[f"V_{g}"] + p[f"b_{g}"])
                for g in every
            },
            "The gates o, i, f use tanh; they use the sigmoid (only s~ uses tanh).",
        ),
    ]
    slips += [
        (
            {g: gate(g, W=other, V=other, b=other) for g in every},
            f"Every gate uses the parameters of the {names[other]}: each has its own.",
        )
        for other in every
    ]
    for gates, hint in slips:
        h_w, s_w = step(**gates)
        if np.allclose(got_s, s_w) and np.allclose(got_h, h_w):
            return verdict(False, hint)
    key = ("check_lstm_step",)
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
                f * s + s_tilde,
                "The candidate passes through the input gate: i * s~.",
            ),
        ]:
            if np.allclose(got_s, wrong):
                return verdict(False, hint)
        return verdict(
            False,
            escalate(
                key,
                "The new cell state s is off, and not by one of the usual slips (a "
                "gate's activation, bias, transposed W, missing h or x, swapped or "
                "borrowed parameters). Compute o, i, f and s~ one at a time and "
                "compare each with section 2's gate equation.",
                "Each gate g is act(h W_g + x V_g + b_g), sigmoid for o, i, f and "
                "tanh for s~; then s = f * s_prev + i * s~.",
            ),
        )
    if np.allclose(got_h, o * s_new):
        return verdict(
            False,
            "s is right; h = o * tanh(s): squash s with tanh before the output gate.",
        )
    if np.allclose(got_h, np.tanh(s_new)):
        return verdict(
            False, "s is right; the output gate is missing: h = o * tanh(s)."
        )
    if np.allclose(got_h, o * np.tanh(s)):
        return verdict(False, "s is right; h uses the NEW cell state s, not s_prev.")
    return verdict(
        False,
        escalate(
            key + ("h",),
            "s is right, but h is off: compare your output gate o and the line that "
            "makes h with the lecture's.",
            "h = o * tanh(s), o = sigmoid(h W_o + x V_o + b_o).",
        ),
    )


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
            "a": "That is what happens when f is near 1. Look at what f multiplies in "
            "s_k = f_k * s_{k-1} + i_k * s~_k.",
            "b": "With f = 0, s = 0 * s_prev + i * s~ = i * s~: the old memory is wiped.",
            "c": "h = o * tanh(s) is shut by the output gate o, not by f. Look at what f "
            "multiplies in the cell state's update.",
        },
    )
