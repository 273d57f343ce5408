"""Exercise checks of notebook 01: shapes, windows, a lag-dataset function."""

import numpy as np

from .. import shell_checks as checks
from ..data import make_lag_dataset
from .verdicts import (
    as_float_array,
    as_whole,
    as_whole_sequence,
    escalate,
    judged,
    not_callable,
    not_done,
    unanswered,
    verdict,
)


def check_shapes(T, L, D, X_shape, Y_shape):
    """The learner's shapes of X and Y for a series of T points in R^D and L lags."""
    T = checks.integer("T", T, 2)
    L = checks.integer("L", L, 1, T - 1)
    D = checks.integer("D", D, 1)
    if unanswered(X_shape, Y_shape):
        return not_done()
    return judged(
        "two tuples of integers, X's shape and Y's shape",
        _judge_shapes,
        T,
        L,
        D,
        X_shape,
        Y_shape,
    )


def _shape(answer):
    """The learner's shape as a tuple of ints (list, tuple, array, tensor; 4.0 as 4),
    or None."""
    return as_whole_sequence(answer)


def _judge_shapes(T, L, D, X_shape, Y_shape):
    N = T - L
    key = ("check_shapes", T, L, D)
    if getattr(X_shape, "ndim", 1) > 1 or getattr(Y_shape, "ndim", 1) > 1:
        return verdict(
            False,
            "Give the shapes, not the arrays: a tuple like (2, 3, 4) "
            "(an array's .shape).",
        )
    X_shape, Y_shape = _shape(X_shape), _shape(Y_shape)
    if X_shape is None or Y_shape is None:
        return verdict(
            False, "Write each shape as a tuple of whole numbers, e.g. (2, 3, 4)."
        )
    if X_shape == (L, N, D) and Y_shape == (N, D):
        return verdict(
            True,
            f"X is (L, N, D) = {(L, N, D)} and Y is (N, D) = {(N, D)}, with N = T - L = {N}.",
        )
    if X_shape == (N, D) and Y_shape == (L, N, D):
        return verdict(False, "X and Y are swapped: X has three axes, Y two.")
    hints = []
    if len(X_shape) != 3:
        hints.append("X has three axes: (lags, samples, state dim).")
    elif X_shape == (N, L, D):
        hints.append(
            "X's first two axes are swapped: the lecture puts the lags first, (L, N, D)."
        )
    elif X_shape[0] != L:
        hints.append("X's first axis counts the lags: it has L entries.")
    elif X_shape[1] == T:
        hints.append(
            f"N is not T: the first {L} points have no full window before them."
        )
    elif X_shape[1] in (N - 1, N + 1):
        hints.append(
            "N is off by one: count the samples again. Each sample needs L inputs and "
            "one target after them; which is the first point that can be a target?"
        )
    elif X_shape[1] != N:
        hints.append(
            escalate(
                key,
                "X's second axis counts the samples N: how many windows of L inputs "
                "plus one target fit in T points?",
                "N = T - L.",
            )
        )
    elif X_shape[2] != D:
        hints.append("X's last axis is the state dimension D of one point y(t).")
    if len(Y_shape) != 2:
        hints.append("Y has two axes: (samples, state dim), even when D = 1.")
    elif Y_shape != (N, D) and tuple(Y_shape) == tuple(X_shape[1:]):
        # the same N or D slip as X's, named above
        pass
    elif Y_shape != (N, D):
        hints.append(
            "Y has one row per sample (as many as X's second axis) and D columns."
        )
    return verdict(
        False, " ".join(hints) or "Compare each axis with (L, N, D) and (N, D)."
    )


def check_window(lags, sample, window, target):
    """The learner's series indices forming inputs (oldest first) and target of sample n."""
    lags = checks.integer("lags", lags, 1)
    sample = checks.integer("sample", sample, 0)
    if unanswered(window, target):
        return not_done()
    return judged(
        "a list of L integer indices and one integer index",
        _judge_window,
        lags,
        sample,
        window,
        target,
    )


def _judge_window(lags, sample, window, target):
    expected = list(range(sample, sample + lags))
    key = ("check_window", lags, sample)
    # a list of whole numbers, like a shape
    indices = _shape(window)
    if indices is None:
        return verdict(
            False,
            f"window must be a list of L = {lags} whole-number series indices, "
            f"e.g. [{sample}, ...], got {window!r}.",
        )
    window = list(indices)
    if as_whole(target) is None:
        return verdict(
            False, f"target must be one whole-number series index, got {target!r}."
        )
    target = as_whole(target)
    if window == expected and target == sample + lags:
        return verdict(
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
    elif window in (
        [j + 1 for j in expected],
        [j - 1 for j in expected],
    ):
        hints.append(
            "The window is shifted by one: sample n = 0 starts at the series' first "
            "point y(0)."
        )
    elif window == list(range(sample - lags, sample)) or window == list(
        range(sample - lags + 1, sample + 1)
    ):
        hints.append(
            "n counts windows from the start of the series: sample n's window starts "
            "at y(n), it does not end there."
        )
    elif window != expected:
        hints.append(
            escalate(
                key + ("window",),
                "Look at sample 0 first: which points are its inputs? Sample n is the "
                "same window moved n steps later.",
                "X[k, n] = y(n + k) for k = 0..L-1.",
            )
        )
    if target != sample + lags:
        if window == expected and target == expected[-1]:
            hints.append(
                "That target is the window's newest input; the target is the point "
                "after it."
            )
        else:
            hints.append(
                escalate(
                    key + ("target",),
                    "The target is the point right after the window's newest point.",
                    "Y[n] = y(n + L).",
                )
            )
    return verdict(False, " ".join(hints))


def check_lag_function(fn):
    """Test the learner's fn(series, lags) -> (X, Y) against the lecture's definition on several cases."""
    if not callable(fn):
        return not_callable(fn, "fn(series, lags)")
    return judged(
        "fn(series, lags) to return (X, Y) with X (L, N, D) and Y (N, D)",
        _judge_lag_function,
        fn,
    )


def _lag_cases():
    """Series the check feeds: fractional, not symmetric, 1-D and 2-D, D > 1, L = 1,
    N = 1 (a series of L + 1 points)."""
    rng = np.random.default_rng(7)
    return [
        (rng.normal(size=9) * 3 + 0.5, 2),
        (rng.normal(size=6) + 1.25, 1),
        (rng.normal(size=(8, 3)) - 0.3, 3),
        (rng.normal(size=4) * 0.7, 3),
        (rng.normal(size=(7, 2)), 2),
        (rng.normal(size=(5, 1)), 4),
    ]


def _judge_lag_function(fn):
    key = ("check_lag_function",)
    for series, lags in _lag_cases():
        X_ref, Y_ref = make_lag_dataset(series, lags)
        try:
            out = fn(series.copy(), lags)
        # the learner's code: report any failure in words
        except Exception as err:
            return verdict(
                False,
                f"fn(series of shape {series.shape}, lags={lags}) raised {type(err).__name__}: {err}",
            )
        if out is None:
            return verdict(
                False,
                "Your function returns None: write its body and end it with "
                "`return X, Y`.",
            )
        where = f"For a series of shape {series.shape} and lags={lags}: "
        pair = out if isinstance(out, (tuple, list)) and len(out) == 2 else None
        X, Y = (
            (None, None)
            if pair is None
            else (as_float_array(pair[0]), as_float_array(pair[1]))
        )
        if pair is None or X is None or Y is None:
            return verdict(
                False,
                where + "return the pair X, Y (`return X, Y`), two arrays of "
                f"numbers; got {type(out).__name__}.",
            )
        if X.shape != X_ref.shape and Y.shape == X_ref.shape and X.shape == Y_ref.shape:
            return verdict(
                False,
                where + "you return (Y, X): return X first, `return X, Y`.",
            )
        if X.shape != X_ref.shape:
            if X.ndim == 2 and X.shape == X_ref.shape[:2]:
                return verdict(
                    False,
                    where
                    + f"X has shape {X.shape}; keep the state axis D too: (L, N, D) = {X_ref.shape}.",
                )
            if X.shape == (X_ref.shape[1], X_ref.shape[0], X_ref.shape[2]):
                return verdict(
                    False,
                    where
                    + f"X has shape {X.shape}: the lags come first, (L, N, D) = {X_ref.shape}.",
                )
            if X.ndim == 3 and X.shape[0] == lags and X.shape[1] != X_ref.shape[1]:
                return verdict(
                    False,
                    where
                    + f"X has {X.shape[1]} samples; a series of T = {len(series)} "
                    f"points gives N = T - L = {X_ref.shape[1]}.",
                )
            return verdict(
                False,
                where + f"X has shape {X.shape}, expected (L, N, D) = {X_ref.shape}.",
            )
        if Y.shape != Y_ref.shape:
            return verdict(
                False,
                where + f"Y has shape {Y.shape}, expected (N, D) = {Y_ref.shape}.",
            )
        for name, got, ref in (("X", X, X_ref), ("Y", Y, Y_ref)):
            if not np.allclose(got, ref) and np.allclose(got, np.trunc(ref)):
                return verdict(
                    False,
                    where + f"{name} holds whole numbers only, but the series has "
                    "fractions: build it as a float array (np.zeros(shape) or "
                    "np.empty(shape) without dtype=int, or from the series itself).",
                )
        if not np.allclose(X, X_ref) and np.allclose(X, X_ref[::-1]):
            return verdict(
                False,
                where
                + "the lags are in reverse order: X[0] must be the OLDEST lag, y(n), not the newest.",
            )
        if not np.allclose(X, X_ref):
            return verdict(
                False,
                where
                + escalate(
                    key + ("X",),
                    "X has the right shape but wrong values; compare X[:, 0] with the "
                    "first L points of the series.",
                    "X[k, n] should be y(n + k).",
                ),
            )
        if not np.allclose(Y, Y_ref):
            return verdict(
                False,
                where
                + escalate(
                    key + ("Y",),
                    "Y has the right shape but wrong values; compare Y[0] with the "
                    "point right after X[:, 0].",
                    "Y[n] should be y(n + L).",
                ),
            )
    return verdict(
        True,
        "Your function matches the lecture's layout on all test cases: fractional "
        "data, 1-D and 2-D series, D up to 3, L = 1 and N = 1.",
    )
