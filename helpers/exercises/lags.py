"""Exercise checks of notebook 01: shapes, windows, a lag-dataset function."""

import numpy as np

from .. import shell_checks as checks
from ..data import make_lag_dataset
from .verdicts import (
    as_float_array,
    as_whole,
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
    """The learner's shape as a tuple of ints, or None."""
    if (
        isinstance(answer, (str, bytes, dict, set))
        or not hasattr(answer, "__len__")
        or getattr(answer, "ndim", 1) != 1
    ):
        return None
    dims = [as_whole(d) for d in answer]
    return None if any(d is None for d in dims) else tuple(dims)


def _judge_shapes(T, L, D, X_shape, Y_shape):
    N = T - L
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
    return verdict(False, " ".join(hints))


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
    indices = _shape(window)  # a list of whole numbers, like a shape
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
    elif window != expected:
        hints.append("Sample n starts at y(n): X[k, n] = y(n + k) for k = 0..L-1.")
    if target != sample + lags:
        hints.append(
            "The target is the point right after the window's newest point: Y[n] = y(n + L)."
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
        if X.shape != X_ref.shape:
            if X.ndim == 2 and series.ndim == 1:
                return verdict(
                    False,
                    where
                    + f"X has shape {X.shape}; keep the state axis D too: (L, N, D) = {X_ref.shape}.",
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
        if not np.array_equal(X, X_ref) and np.array_equal(X, X_ref[::-1]):
            return verdict(
                False,
                where
                + "the lags are in reverse order: X[0] must be the OLDEST lag, y(n), not the newest.",
            )
        if not np.array_equal(X, X_ref):
            return verdict(
                False,
                where
                + "X has the right shape but wrong values; X[k, n] should be y(n + k).",
            )
        if not np.array_equal(Y, Y_ref):
            return verdict(
                False,
                where
                + "Y has the right shape but wrong values; Y[n] should be y(n + L).",
            )
    return verdict(
        True,
        "Your function matches the lecture's layout on all test cases, including D = 2.",
    )
