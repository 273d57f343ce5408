"""Argument checks of the shell (plots, widgets, exercise checks): each returns the
value in a plain form or raises a TypeError (wrong kind of value) or ValueError (right
kind, wrong value) that names the argument.  Stricter than the core's boundary
(helpers.checks): an exercise check reads whatever a learner types.

bool is never a number here, although Python counts True as 1: lags=True is a slip.
"""

import math
import numbers
import sys

import numpy as np

# A torch seed must fit in 64 bits; numpy's generators take any integer >= 0.
SEED_LIMIT = 2**64
# Upper limit on step counts (fit's steps, the free runs' n_steps): far beyond any course
# run (fit's defaults are 200-2000), so that a typo such as steps=10**9 is refused
# instead of running for days.
MAX_STEPS = 1_000_000


def is_bool(value):
    return isinstance(value, (bool, np.bool_))


def integer(name, value, minimum=None, maximum=None):
    """An int: a Python or numpy integer (not bool, not 2.0) in [minimum, maximum]."""
    if is_bool(value) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {value!r} ({type(value).__name__})"
        )
    value = int(value)
    if (minimum is not None and value < minimum) or (
        maximum is not None and value > maximum
    ):
        if maximum is None:
            bounds = f">= {minimum}"
        elif minimum is None:
            bounds = f"<= {maximum}"
        else:
            bounds = f"between {minimum} and {maximum}"
        raise ValueError(f"{name} must be an integer {bounds}, got {value}")
    return value


def seed(name, value):
    """A random seed: an integer 0 <= seed < 2**64."""
    return integer(name, value, 0, SEED_LIMIT - 1)


def real(name, value, positive=False, nonnegative=False, finite=True):
    """A float: a Python or numpy real number (not bool), finite unless told."""
    if is_bool(value) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} ({type(value).__name__})"
        )
    value = float(value)
    if math.isnan(value) or (finite and math.isinf(value)):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if positive and not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value}")
    if nonnegative and not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {value}")
    return value


def _torch_tensor(A):
    # a tensor cannot exist unless torch was imported
    torch = sys.modules.get("torch")
    return torch is not None and torch.is_tensor(A)


def as_numbers(name, A):
    """A (array, nested lists, numpy scalar or tensor, with or without grad) as a numpy
    array of real numbers, any strides or byte order.  A bool array counts as 0/1 values
    (a marker series is data), a bool scalar is refused.  Not finite-checked."""
    # a lone True is a slip
    if A is None or isinstance(A, (str, bytes)) or is_bool(A):
        raise TypeError(
            f"{name} must be an array of real numbers, got {type(A).__name__}"
        )
    if _torch_tensor(A):
        A = A.detach().cpu()
        if A.is_complex():
            raise TypeError(
                f"{name} must be an array of real numbers, got dtype {A.dtype}"
            )
        # bfloat16 has no numpy
        A = A.double().numpy() if A.is_floating_point() else A.numpy()
    try:
        raw = np.asarray(A)
    # ragged nesting, objects numpy cannot hold
    except (ValueError, TypeError):
        raise ValueError(
            f"{name} must be a rectangular array of numbers; its rows differ in length"
        ) from None
    # nested lists of Python numbers mixed with other objects
    if raw.dtype.kind == "O":
        if not all(isinstance(v, numbers.Real) and not is_bool(v) for v in raw.flat):
            raise TypeError(f"{name} must contain only real numbers, got dtype object")
        try:
            raw = raw.astype(float)
        # a Python int beyond float's range
        except OverflowError:
            raise ValueError(f"{name} holds a number too large for a float") from None
    # bool, integers, floats; not strings or complex
    if raw.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be an array of real numbers, got dtype {raw.dtype}"
        )
    return raw


def float_array(name, A, ndim=None, finite=True, copy=True):
    """A as a native-order, contiguous float64 numpy array (a copy), checked like
    as_numbers.  ndim: the number of axes required (an int, or a tuple of allowed ones).
    copy=False: a float64 array comes back as it is (a view keeps its strides, and with
    them the exact floating-point results of sums over it); others are converted.
    """
    convert = np.array if copy else np.asarray
    # native order
    arr = convert(as_numbers(name, A), dtype=np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            raise ValueError(
                f"{name} must have {' or '.join(map(str, allowed))} axes, "
                f"got shape {arr.shape}"
            )
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf: it must hold finite numbers")
    return arr


def text(name, value, none_ok=False):
    """A string argument (a label or title); None when none_ok."""
    if value is None and none_ok:
        return None
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string{' or None' if none_ok else ''}, "
            f"got {type(value).__name__}"
        )
    return value


def lag_pair(X, Y):
    """X (L, N, D) and Y (N, D) as numpy arrays that agree on N and D, or a clear error.
    numpy input comes back as it is (views stay views)."""
    X, Y = as_numbers("X", X), as_numbers("Y", Y)
    if Y.ndim != 2:
        raise ValueError(
            f"Y must be 2-D (N, D) = (samples, state dim), got shape {Y.shape}"
        )
    if X.ndim != 3 or X.shape[1] != Y.shape[0] or X.shape[2] != Y.shape[1]:
        raise ValueError(
            f"X must be (L, N, D) with N, D from Y {Y.shape}, got X of shape {X.shape}"
        )
    return X, Y
