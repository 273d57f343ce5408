"""Check functions for the notebooks' exercises: each says what is right or what is wrong.

Every check prints its verdict and returns a Verdict, true when the answer is correct.  Nothing
else in `helpers` imports this module.

The learner's answer (a value or a function) never makes a check raise: an answer of any
type, a function that raises or returns something odd, all get "Not yet. ..." saying
what was expected, and only the exact right answer gets "Correct.".  Integers are
answers to count and index questions (2.0 and True are not).  The other arguments
(sizes, lags, cell) are the notebook author's and are checked like any `helpers`
argument (ValueError/TypeError).
"""

import numbers

import numpy as np

from . import checks
from .data import make_lag_dataset

NOT_DONE = "Not answered yet: replace the ... with your answer and run the cell again."


class Verdict:
    """A check's result: true when the answer is correct (`if check(...)`, `assert check(...)`).

    The check has already printed its message, so Jupyter shows nothing more for this value;
    a bare True or False would be echoed under the message as a stray "False".
    """

    def __init__(self, ok):
        if not checks.is_bool(ok):
            raise TypeError(f"ok must be True or False, got {type(ok).__name__}")
        self.ok = bool(ok)

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"Verdict({self.ok})"

    def _ipython_display_(self):
        pass  # the message is the display


def _verdict(ok, message):
    print(("Correct. " if ok else "Not yet. ") + message)
    return Verdict(ok)


def _not_done():
    print(NOT_DONE)
    return Verdict(False)


def _unanswered(*answers):
    return any(a is ... or a is None for a in answers)


def _judged(expected, body, *args):
    """body(*args) judges the answer; whatever it did not foresee gets a verdict too."""
    try:
        return body(*args)
    except Exception as err:  # the learner's answer is arbitrary: never a traceback
        return _verdict(
            False,
            f"Your answer could not be checked ({type(err).__name__}: {err}); "
            f"expected {expected}.",
        )


def _whole(value):
    """value as an int if it is an integer (Python or numpy; not bool, not 2.0)."""
    if checks.is_bool(value) or not isinstance(value, numbers.Integral):
        return None
    return int(value)


def _numbers(value):
    """The learner's array-like as a float numpy array (tensors detached), or None if it
    holds anything but real numbers or is not rectangular."""
    try:
        return checks.float_array("answer", value, finite=False)
    except (TypeError, ValueError):
        return None


def _not_callable(fn, signature):
    return _verdict(
        False,
        f"Pass your function itself, {signature} (its name without "
        f"parentheses), got {type(fn).__name__}.",
    )


def _multiple_choice(answer, choices, correct, feedback):
    """Verdict on a one-letter answer; feedback says why each choice is right or wrong."""
    if _unanswered(answer):
        return _not_done()
    if not isinstance(answer, str):
        return _verdict(
            False, f"Answer with one letter in quotes: {', '.join(choices)}."
        )
    answer = answer.strip().lower()
    if answer in feedback:
        return _verdict(answer == correct, feedback[answer])
    return _verdict(False, f"Answer with one letter: {', '.join(choices)}.")


# ----------------------------------------------------------------- notebook 01


def check_shapes(T, L, D, X_shape, Y_shape):
    """The learner's shapes of X and Y for a series of T points in R^D and L lags."""
    T = checks.integer("T", T, 2)
    L = checks.integer("L", L, 1, T - 1)
    D = checks.integer("D", D, 1)
    if _unanswered(X_shape, Y_shape):
        return _not_done()
    return _judged(
        "two tuples of integers, X's shape and Y's shape",
        _judge_shapes,
        T,
        L,
        D,
        X_shape,
        Y_shape,
    )


def _shape(answer):
    """The learner's shape as a tuple of ints, or None."""
    if (
        isinstance(answer, (str, bytes, dict, set))
        or not hasattr(answer, "__len__")
        or getattr(answer, "ndim", 1) != 1
    ):
        return None
    dims = [_whole(d) for d in answer]
    return None if any(d is None for d in dims) else tuple(dims)


def _judge_shapes(T, L, D, X_shape, Y_shape):
    N = T - L
    if getattr(X_shape, "ndim", 1) > 1 or getattr(Y_shape, "ndim", 1) > 1:
        return _verdict(
            False,
            "Give the shapes, not the arrays: a tuple like (2, 3, 4) "
            "(an array's .shape).",
        )
    X_shape, Y_shape = _shape(X_shape), _shape(Y_shape)
    if X_shape is None or Y_shape is None:
        return _verdict(
            False, "Write each shape as a tuple of whole numbers, e.g. (2, 3, 4)."
        )
    if X_shape == (L, N, D) and Y_shape == (N, D):
        return _verdict(
            True,
            f"X is (L, N, D) = {(L, N, D)} and Y is (N, D) = {(N, D)}, with N = T - L = {N}.",
        )
    hints = []
    if len(X_shape) != 3:
        hints.append("X has three axes: (lags, samples, state dim).")
    elif X_shape == (N, L, D):
        hints.append(
            "X's first two axes are swapped: the lecture puts the lags first, (L, N, D)."
        )
    elif X_shape[1] == T:
        hints.append(
            f"N is not T: the first {L} points have no full window before them, so N = T - L."
        )
    elif X_shape != (L, N, D):
        hints.append(f"X should be (L, N, D) with N = T - L = {N}.")
    if len(Y_shape) != 2:
        hints.append("Y has two axes: (samples, state dim).")
    elif Y_shape != (N, D):
        hints.append(
            f"Y has one row per sample: N = T - L = {N} rows of D = {D} values."
        )
    return _verdict(False, " ".join(hints))


def check_window(lags, sample, window, target):
    """The learner's series indices forming inputs (oldest first) and target of sample n."""
    lags = checks.integer("lags", lags, 1)
    sample = checks.integer("sample", sample, 0)
    if _unanswered(window, target):
        return _not_done()
    return _judged(
        "a list of L integer indices and one integer index",
        _judge_window,
        lags,
        sample,
        window,
        target,
    )


def _judge_window(lags, sample, window, target):
    expected = list(range(sample, sample + lags))
    indices = _shape(window)  # a list of whole numbers, like a shape
    if indices is None:
        return _verdict(
            False,
            f"window must be a list of L = {lags} whole-number series indices, "
            f"e.g. [{sample}, ...], got {window!r}.",
        )
    window = list(indices)
    if _whole(target) is None:
        return _verdict(
            False, f"target must be one whole-number series index, got {target!r}."
        )
    target = _whole(target)
    if window == expected and target == sample + lags:
        return _verdict(
            True,
            f"X[:, {sample}] = y({expected[0]}), ..., y({expected[-1]}) and Y[{sample}] = y({sample + lags}).",
        )
    hints = []
    if window == expected[::-1]:
        hints.append(
            "Right points, wrong order: X[0] is the OLDEST lag, so list the indices in increasing time."
        )
    elif len(window) != lags:
        hints.append(f"A window holds exactly L = {lags} points.")
    elif window != expected:
        hints.append("Sample n starts at y(n): X[k, n] = y(n + k) for k = 0..L-1.")
    if target != sample + lags:
        hints.append(
            "The target is the point right after the window's newest point: Y[n] = y(n + L)."
        )
    return _verdict(False, " ".join(hints))


def check_lag_function(fn):
    """Test the learner's fn(series, lags) -> (X, Y) against the lecture's definition on several cases."""
    if not callable(fn):
        return _not_callable(fn, "fn(series, lags)")
    return _judged(
        "fn(series, lags) to return (X, Y) with X (L, N, D) and Y (N, D)",
        _judge_lag_function,
        fn,
    )


def _judge_lag_function(fn):
    cases = [
        (np.arange(7.0), 2),
        (np.arange(10.0), 1),
        (np.arange(12.0).reshape(6, 2), 3),
    ]
    for series, lags in cases:
        X_ref, Y_ref = make_lag_dataset(series, lags)
        try:
            out = fn(series.copy(), lags)
        except Exception as err:  # the learner's code: report any failure in words
            return _verdict(
                False,
                f"fn(series of shape {series.shape}, lags={lags}) raised {type(err).__name__}: {err}",
            )
        if out is None:
            return _verdict(
                False,
                "Your function returns None: write its body and end it with "
                "`return X, Y`.",
            )
        where = f"For a series of shape {series.shape} and lags={lags}: "
        pair = out if isinstance(out, (tuple, list)) and len(out) == 2 else None
        X, Y = (None, None) if pair is None else (_numbers(pair[0]), _numbers(pair[1]))
        if pair is None or X is None or Y is None:
            return _verdict(
                False,
                where + "return the pair X, Y (`return X, Y`), two arrays of "
                f"numbers; got {type(out).__name__}.",
            )
        if X.shape != X_ref.shape:
            if X.ndim == 2 and series.ndim == 1:
                return _verdict(
                    False,
                    where
                    + f"X has shape {X.shape}; keep the state axis D too: (L, N, D) = {X_ref.shape}.",
                )
            return _verdict(
                False,
                where + f"X has shape {X.shape}, expected (L, N, D) = {X_ref.shape}.",
            )
        if Y.shape != Y_ref.shape:
            return _verdict(
                False,
                where + f"Y has shape {Y.shape}, expected (N, D) = {Y_ref.shape}.",
            )
        if not np.array_equal(X, X_ref) and np.array_equal(X, X_ref[::-1]):
            return _verdict(
                False,
                where
                + "the lags are in reverse order: X[0] must be the OLDEST lag, y(n), not the newest.",
            )
        if not np.array_equal(X, X_ref):
            return _verdict(
                False,
                where
                + "X has the right shape but wrong values; X[k, n] should be y(n + k).",
            )
        if not np.array_equal(Y, Y_ref):
            return _verdict(
                False,
                where
                + "Y has the right shape but wrong values; Y[n] should be y(n + L).",
            )
    return _verdict(
        True,
        "Your function matches the lecture's layout on all test cases, including D = 2.",
    )


# ----------------------------------------------------------------- notebooks 02 and 03


def check_param_count(D, q, answer, cell="RNN"):
    """The learner's parameter count of an RNN or LSTM, state dim D, hidden size q.

    cell: "RNN" or "LSTM" (any case).
    """
    D, q = checks.integer("D", D, 1), checks.integer("q", q, 1)
    if not isinstance(cell, str) or cell.strip().upper() not in ("RNN", "LSTM"):
        raise ValueError(f"cell must be 'RNN' or 'LSTM', got {cell!r}")
    cell = cell.strip().upper()
    if _unanswered(answer):
        return _not_done()
    if _whole(answer) is None:
        return _verdict(
            False,
            f"A parameter count is a whole number: answer with an integer "
            f"such as 42, got {answer!r}.",
        )
    answer = _whole(answer)
    out_layer = q * D + D  # V (q, D) and c (D,)
    if cell == "RNN":
        expected = q * D + q * q + q + out_layer
        parts = f"U: {D}x{q}, W: {q}x{q}, b: {q}, V: {q}x{D}, c: {D}"
    else:
        expected = 4 * (q * q + D * q + q) + out_layer
        parts = f"four gates with W_g: {q}x{q}, V_g: {D}x{q}, b_g: {q} each; V: {q}x{D}, c: {D}"
    if answer == expected:
        return _verdict(True, f"{parts}: {expected} in all.")
    if answer == expected - out_layer:
        return _verdict(
            False,
            "You counted the recurrent part only: add the output layer V (q, D) and c (D,).",
        )
    if cell == "RNN" and answer == expected - q - D:
        return _verdict(False, "Close: count the biases b (q,) and c (D,) too.")
    if cell != "RNN" and answer == (q * q + D * q + q) + out_layer:
        return _verdict(
            False, "Each of the four (o, s~, i, f) has its own W_g, V_g and b_g."
        )
    return _verdict(
        False, "List the parameters with their shapes and add up rows x columns."
    )


def check_rnn_step(fn):
    """Test the learner's fn(h, x, U, W, b) -> next hidden state against h_k = tanh(h W + x U + b)."""
    if not callable(fn):
        return _not_callable(fn, "fn(h, x, U, W, b)")
    return _judged(
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
        return _verdict(False, f"fn raised {type(err).__name__}: {err}.{hint}")
    if got is None:
        return _verdict(False, "Your function returns None: end it with `return ...`.")
    if _numbers(got) is None:
        return _verdict(
            False,
            f"Return the new state as an array of numbers (N, q) = "
            f"{expected.shape}, got {type(got).__name__}.",
        )
    got = _numbers(got)
    if got.shape != expected.shape:
        return _verdict(
            False,
            f"The new state should have shape (N, q) = {expected.shape}, got {got.shape}.",
        )
    if np.allclose(got, expected):
        return _verdict(
            True, "h_k = tanh(h_{k-1} W + x_k U + b), for all N samples at once."
        )
    if np.allclose(got, h @ W + x @ U + b):
        return _verdict(False, "Apply tanh to the sum: without it the cell is linear.")
    if np.allclose(got, np.tanh(h @ W + x @ U)):
        return _verdict(False, "The bias b is missing.")
    if np.allclose(got, np.tanh(x @ U + b)):
        return _verdict(
            False,
            "The previous state h is missing: h W is what makes the network recurrent.",
        )
    return _verdict(False, "The values differ from tanh(h W + x U + b).")


def check_sine_model(model, lags, target=1e-4):
    """Evaluate the learner's trained model on the sine task's test block."""
    from .data import sine_task

    lags = checks.integer("lags", lags, 1)
    target = checks.real("target", target, positive=True)
    task = sine_task(lags)
    if _unanswered(model):
        return _not_done()
    return _judged(
        "a trained RNN or LSTM from helpers.models with D = 1",
        _judge_sine_model,
        model,
        lags,
        target,
        task,
    )


def _judge_sine_model(model, lags, target, task):
    import torch

    from .train import evaluate_mse

    if not isinstance(model, torch.nn.Module):
        return _verdict(
            False,
            "Pass your trained model, an RNN or LSTM from helpers.models "
            f"(e.g. RNN(D=1, q=8) after fit), got {type(model).__name__}.",
        )
    try:
        err = evaluate_mse(model, task.X_test, task.Y_test)
    except (
        TypeError,
        ValueError,
    ) as problem:  # the model does not fit the task: say why
        return _verdict(
            False,
            f"Your model cannot forecast the sine task with L = {lags}: {problem}.",
        )
    if not np.isfinite(err):
        return _verdict(
            False,
            f"The test MSE is {err}: the model's weights are broken; "
            "build it again and train it.",
        )
    if err < target:
        return _verdict(True, f"test MSE {err:.1e} < {target:.0e} with L = {lags}.")
    if lags == 1:
        return _verdict(
            False,
            f"test MSE {err:.1e}: with one lag the floor is about 4.8e-3. Use L >= 2.",
        )
    return _verdict(
        False,
        f"test MSE {err:.1e} is above {target:.0e}: train longer (fit) or use q >= 4.",
    )


def check_lstm_step(fn):
    """Test the learner's fn(h, s, x, p) -> (h_new, s_new) against the lecture's LSTM equations.

    p is a dict with W_g (q, q), V_g (D, q), b_g (q,) for g in o, s, i, f.
    """
    if not callable(fn):
        return _not_callable(fn, "fn(h, s, x, p)")
    return _judged(
        "fn(h, s, x, p) to return (h, s), two (N, q) arrays", _judge_lstm_step, fn
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
        return _verdict(False, f"fn raised {type(err).__name__}: {err}")
    if out is None:
        return _verdict(False, "Your function returns None: end it with `return h, s`.")
    pair = out if isinstance(out, (tuple, list)) and len(out) == 2 else None
    got_h, got_s = (
        (None, None) if pair is None else (_numbers(pair[0]), _numbers(pair[1]))
    )
    if got_h is None or got_s is None:
        return _verdict(
            False, "Return two arrays: the new hidden state h and the new cell state s."
        )
    if got_h.shape != (N, q) or got_s.shape != (N, q):
        return _verdict(
            False,
            f"h and s should both have shape (N, q) = {(N, q)}, got {got_h.shape} and {got_s.shape}.",
        )
    s_ok, h_ok = np.allclose(got_s, s_new), np.allclose(got_h, h_new)
    if s_ok and h_ok:
        return _verdict(
            True,
            "s = f * s + i * s~ and h = o * tanh(s), with every gate as in the lecture.",
        )
    if np.allclose(got_h, s_new) and np.allclose(got_s, h_new):
        return _verdict(
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
                return _verdict(False, hint)
        return _verdict(False, "The new cell state s is off: s = f * s_prev + i * s~.")
    if np.allclose(got_h, o * s_new):
        return _verdict(
            False,
            "s is right; h = o * tanh(s): squash s with tanh before the output gate.",
        )
    if np.allclose(got_h, np.tanh(s_new)):
        return _verdict(
            False, "s is right; the output gate is missing: h = o * tanh(s)."
        )
    return _verdict(False, "s is right, but h is off: h = o * tanh(s).")


FORGET_CHOICES = {
    "a": "s keeps almost all of its old value",
    "b": "s forgets its old value and holds (almost) only i * s~, the newly admitted part",
    "c": "h becomes 0",
}


def check_forget_gate(answer):
    """Multiple choice: what happens to the cell state when the forget gate f is near 0?"""
    return _multiple_choice(
        answer,
        FORGET_CHOICES,
        correct="b",
        feedback={
            "b": "With f = 0, s = 0 * s_prev + i * s~ = i * s~: the old memory is wiped.",
            "a": "That is f near 1: f multiplies the old s, so f = 0 erases it.",
            "c": "h = o * tanh(s) is shut by the output gate o, not by f; with f = 0, s = i * s~ can still be large.",
        },
    )


# ----------------------------------------------------------------- notebook 04


def check_vanishing_bound(sigma, distance, answer):
    """The learner's bound on the gradient factor left after `distance` lags: sigma ** distance."""
    sigma = checks.real("sigma", sigma, positive=True)
    distance = checks.integer("distance", distance, 1)
    if _unanswered(answer):
        return _not_done()
    return _judged("one number", _judge_bound, sigma, distance, answer)


def _judge_bound(sigma, distance, answer):
    if _number(answer) is None:
        return _verdict(
            False, f"Answer with one number, e.g. 0.5 ** 3, got {answer!r}."
        )
    answer = _number(answer)
    expected = sigma**distance
    if np.isclose(answer, expected, rtol=0.02):
        return _verdict(
            True,
            f"At most sigma_max(W)^{distance} = {expected:.3g} of it: one factor per lag, "
            "and tanh' <= 1 can only shrink it further.",
        )
    if np.isclose(answer, sigma * distance, rtol=0.02):
        return _verdict(
            False,
            "The factors multiply, they do not add: sigma ** distance, not sigma * distance.",
        )
    if np.isclose(answer, sigma ** (distance - 1), rtol=0.02) or np.isclose(
        answer, sigma ** (distance + 1), rtol=0.02
    ):
        return _verdict(
            False,
            f"Count the factors of W again: one per lag passed, {distance} in all.",
        )
    return _verdict(
        False,
        "Each lag back multiplies the gradient by W (at most sigma_max(W)) and tanh' (at most 1).",
    )


MEMORY_CHOICES = {"o": "output gate", "i": "input gate", "f": "forget gate"}


def check_memory_gate(answer):
    """Which gate, held near 1, lets a cell keep a value across many lags?"""
    return _multiple_choice(
        answer,
        MEMORY_CHOICES,
        correct="f",
        feedback={
            "f": "With f = 1, s_k = s_{k-1} + i * s~: the value (and its gradient) passes unchanged.",
            "i": "The input gate writes new candidates in; held at 1 it keeps adding distractors. "
            "Which gate multiplies the OLD cell state?",
            "o": "The output gate only decides what is shown as h; s is kept or erased elsewhere.",
        },
    )


def check_clip(fn):
    """Test the learner's fn(g, max_norm) -> g rescaled so that its norm is at most max_norm."""
    if not callable(fn):
        return _not_callable(fn, "fn(g, max_norm)")
    return _judged("fn(g, max_norm) to return a vector of g's shape", _judge_clip, fn)


def _judge_clip(fn):
    cases = [
        (np.array([3.0, 4.0]), 1.0),
        (np.array([0.3, 0.4]), 1.0),
        (np.array([0.0, 0.0, 0.0]), 2.0),
        (np.array([-6.0, 8.0, 0.0]), 5.0),
    ]
    for g, max_norm in cases:
        norm = np.linalg.norm(g)
        expected = g * min(1.0, max_norm / norm) if norm > 0 else g
        try:
            got = fn(g.copy(), max_norm)
        except Exception as err:  # the learner's code: say what went wrong
            return _verdict(
                False,
                f"fn({g.tolist()}, {max_norm}) raised {type(err).__name__}: {err}",
            )
        if got is None:
            return _verdict(
                False, "Your function returns None: end it with `return ...`."
            )
        if _numbers(got) is None:
            return _verdict(
                False,
                f"Return a vector of numbers of g's shape {g.shape}, "
                f"got {type(got).__name__}.",
            )
        got = _numbers(got)
        if got.shape != g.shape:
            return _verdict(
                False,
                f"Return a vector of the same shape as g, {g.shape}; got {got.shape}.",
            )
        if not np.allclose(got, expected):
            if norm <= max_norm:
                return _verdict(
                    False,
                    f"g = {g.tolist()} has norm {norm:g} <= {max_norm}: it must come back unchanged.",
                )
            if np.allclose(got, np.clip(g, -max_norm, max_norm)):
                return _verdict(
                    False,
                    "That clips each entry; clip the NORM instead, keeping the direction: "
                    "g * max_norm / ||g||.",
                )
            return _verdict(
                False,
                f"For g = {g.tolist()} and max_norm = {max_norm} expected {expected.tolist()}, "
                f"got {got.tolist()}.",
            )
    return _verdict(
        True,
        "Long gradients are scaled down to max_norm, their direction kept; short ones pass unchanged.",
    )


# ----------------------------------------------------------------- notebook 05

SUNSPOT_BLOCKS = (31, 62)  # validation and test targets at the end, as in notebook 05


def _sunspots_scaled():
    """Notebook 05's sunspots: (raw, scaled by the training block, leaky-scaled)."""
    from .series import load_series, standardize

    _, y = load_series("sunspots")
    n_train = len(y) - sum(SUNSPOT_BLOCKS)
    return y, standardize(y[:n_train]).apply(y), standardize(y).apply(y)


def _number(answer):
    """The answer as a float, or None if it is not one finite number (a number, numpy
    scalar, tensor or array of one value; not bool, not text)."""
    try:
        raw = checks.as_numbers("answer", answer)
    except (TypeError, ValueError):
        return None
    if raw.size != 1 or raw.dtype.kind == "b":
        return None
    value = float(raw.reshape(-1)[0])
    return value if np.isfinite(value) else None


def check_persistence_mse(answer):
    """The learner's one-step test MSE of persistence on the scaled sunspots."""
    if _unanswered(answer):
        return _not_done()
    return _judged("one number", _judge_persistence_mse, answer)


def _judge_persistence_mse(answer):
    value = _number(answer)
    if value is None:
        return _verdict(
            False,
            "Answer with one number: the mean of (y_t - y_{t-1})^2 "
            "over the test targets.",
        )
    y, z, leaky = _sunspots_scaled()
    n_test = SUNSPOT_BLOCKS[1]

    def persistence_mse(s, n=n_test):
        return float(np.mean((s[-n:] - s[-n - 1 : -1]) ** 2))

    expected = persistence_mse(z)
    if np.isclose(value, expected, rtol=1e-3):
        return _verdict(
            True,
            f"mean over the {n_test} test years of (y_t - y_(t-1))^2 "
            f"= {expected:.4f} in scaled units.",
        )
    wrong = [
        (
            persistence_mse(y),
            (
                "That is in the series' own units; scale with the "
                "training block's mean and std first."
            ),
        ),
        (
            persistence_mse(leaky),
            (
                "Those are leaky units: the mean and std must "
                "come from the training block only."
            ),
        ),
        (
            persistence_mse(z, len(z) - 1),
            ("That averages over the whole series; use only the 62 test targets."),
        ),
        (
            float(np.sqrt(expected)),
            ("That is the root of the MSE: do not take the square root."),
        ),
    ]
    for w, hint in wrong:
        if np.isclose(value, w, rtol=1e-3):
            return _verdict(False, hint)
    return _verdict(
        False,
        "Compare each of the 62 test targets z[t] with z[t-1], "
        "square the differences and average them.",
    )


def check_ar_order(answer):
    """The learner's AR order L in 1..20, picked by validation MSE on the sunspots."""
    if _unanswered(answer):
        return _not_done()
    return _judged("a whole number of lags L", _judge_ar_order, answer)


def _judge_ar_order(answer):
    from .baselines import fit_ar
    from .series import split_three

    if _whole(answer) is None:
        return _verdict(False, f"Answer with a whole number of lags L, got {answer!r}.")
    answer = _whole(answer)
    _, z, _ = _sunspots_scaled()
    val, test = {}, {}
    for L in range(1, 21):
        blocks = split_three(*make_lag_dataset(z, L), *SUNSPOT_BLOCKS)
        Xtr, Ytr, Xv, Yv, Xte, Yte = blocks
        ar = fit_ar(Xtr, Ytr)
        val[L] = np.mean((ar.predict(Xv) - Yv) ** 2)
        test[L] = np.mean((ar.predict(Xte) - Yte) ** 2)
    best = min(val, key=val.get)
    if answer == best:
        top = sorted(val, key=val.get)[:3]
        ranked = ", ".join(f"L = {L}: {val[L]:.5f}" for L in top)
        return _verdict(
            True,
            f"L = {best} has the lowest validation MSE (best three: "
            f"{ranked}); the test block was not looked at to choose "
            "it.",
        )
    if answer == min(test, key=test.get):
        return _verdict(
            False,
            "That is the best order on the TEST block: choosing by "
            "it leaks the test set into the model. Use the "
            "validation MSE.",
        )
    if answer not in val:
        return _verdict(False, "Try every L from 1 to 20.")
    return _verdict(
        False,
        f"L = {answer} has validation MSE {val[answer]:.5f}; "
        "another L has a lower one.",
    )


LEAK_CHOICES = {
    "a": "nothing: scaling is linear, so it cannot change any result",
    "b": "the mean and std include the test block, so the future leaks into the inputs "
    "and into the units of the score",
    "c": "the std must be computed on the test block instead",
}


def check_leak(answer):
    """Multiple choice: what is wrong with scaling by the whole series' mean and std?"""
    return _multiple_choice(
        answer,
        LEAK_CHOICES,
        correct="b",
        feedback={
            "b": "Statistics may come only from data the model could have seen by the end "
            "of training. Here the leak made every scaled score look smaller without "
            "changing a single forecast.",
            "a": "The forecasts of persistence and AR do not change, but the score in "
            "scaled units does, and a network's inputs and training change too.",
            "c": "That leaks even more: nothing about the test block may be used before "
            "scoring. Use the training block.",
        },
    )
