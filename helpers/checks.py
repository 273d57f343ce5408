"""The boundary: the argument checks of the core, kept out of the lecture code.

Every entry point of the core (data, series, models, train, baselines, gradients,
horizons, intervals) calls
one of these first, then does its work on clean values.  Each returns the value in a
plain form or raises, before any work, with a message naming the argument:

- TypeError when the value is not the kind asked for (text where a number goes, an
  object that is not a course model);
- ValueError when it is the right kind with a wrong value: a count that is not a whole
  number or out of range, a wrong shape or axis order, a D that does not match the
  model, NaN or inf in data (with where), NaN weights.

Shape letters: T points, L lags, N samples, D state dim, q hidden size.
"""

import numbers

import numpy as np
import torch


def count(name, value, low=1, high=None):
    """A whole number in [low, high], as an int.  2.0 passes as 2; 2.5 does not."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if not np.isfinite(value) or value != int(value):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f">= {low}" if high is None else f"between {low} and {high}"
        raise ValueError(f"{name} must be {bounds}, got {int(value)}")
    return int(value)


def real(name, value, low=-np.inf, high=np.inf, none_ok=False):
    """A finite number with low < value < high, as a float (or None when none_ok)."""
    if value is None and none_ok:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not (np.isfinite(value) and low < value < high):
        bounds = f"> {low}" if high == np.inf else f"between {low} and {high}"
        raise ValueError(f"{name} must be a finite number {bounds}, got {value!r}")
    return float(value)


def positive(name, value, none_ok=False):
    """A finite number > 0, as a float (or None when none_ok)."""
    return real(name, value, low=0.0, none_ok=none_ok)


def numbers_array(name, A, finite=True):
    """A (list, array or tensor of real numbers) as a float64 numpy array.

    finite=True refuses NaN and inf and says where the first one is.
    """
    if torch.is_tensor(A):
        A = A.detach().cpu()
        # numpy has no bfloat16; complex stays complex, to be refused below
        A = (A if A.is_complex() else A.double()).numpy()
    try:
        A = np.asarray(A)
    except ValueError:
        raise ValueError(
            f"{name} must be rectangular: its rows differ in length"
        ) from None
    # bool, integers and floats are numbers; text, objects and complex are not
    if A.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got {A.dtype}")
    A = A.astype(np.float64, copy=False)
    if finite and not np.isfinite(A).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(A))[0])
        where = where[0] if len(where) == 1 else where
        raise ValueError(
            f"{name} must hold finite numbers; the first NaN or inf is at index {where}"
        )
    return A


def series(name, values, finite=True, one_d=False):
    """A series (T,) or (T, D) as a float64 (T, D) array with T >= 2.

    one_d: only a single series, (T,) or (T, 1), is accepted (notebook 05's gaps).
    """
    y = numbers_array(name, values, finite)
    if y.ndim in (1, 2) and y.shape[0] >= 2 and y.size > 0:
        # (T,) -> (T, 1): one column per dimension of the observation
        y = y.reshape(y.shape[0], -1)
        if not one_d or y.shape[1] == 1:
            return y
    want = "(T,)" if one_d else "(T,) or (T, D)"
    raise ValueError(f"{name} must be {want} with at least 2 points, got {y.shape}")


def times(t, T):
    """t: the (T,) times of a series of T points, finite; None gives 0, 1, ..., T-1."""
    if t is None:
        return np.arange(T, dtype=float)
    t = numbers_array("t", t)
    if t.shape != (T,):
        raise ValueError(f"t must have shape ({T},), one time per point, got {t.shape}")
    return t


def lags(value, T):
    """L, the number of lags, for a series of T points: 1 <= L <= T - 1."""
    L = count("lags", value, low=-np.inf)
    if not 1 <= L <= T - 1:
        raise ValueError(
            f"lags must be between 1 and {T - 1} for a series of {T} points, got {L}"
        )
    return L


def lag_input(X, name="X", L=None, D=None):
    """X (L, N, D) as a float64 array.  L, D: the sizes X must have, if known."""
    X = numbers_array(name, X)
    if (
        X.ndim != 3
        or 0 in X.shape
        or L not in (None, len(X))
        or D
        not in (
            None,
            X.shape[-1],
        )
    ):
        want = f"({'L' if L is None else L}, N, {'D' if D is None else D})"
        raise ValueError(
            f"{name} must be (L, N, D) = {want} (lags, samples, state dim), "
            f"got shape {X.shape}"
        )
    return X


def lag_arrays(X, Y, names=("X", "Y")):
    """X (L, N, D) and Y (N, D) as float64 arrays that agree on N and D."""
    X = lag_input(X, names[0])
    Y = numbers_array(names[1], Y)
    if Y.shape != X.shape[1:]:
        raise ValueError(
            f"{names[1]} must be (N, D) = {X.shape[1:]} to match {names[0]} (L, N, D) "
            f"= {X.shape}, got shape {Y.shape}"
        )
    return X, Y


def model(m):
    """A course model (RNN or LSTM, or one with sizes D, D_out) with finite weights."""
    if not isinstance(m, torch.nn.Module) or not hasattr(m, "D_out"):
        raise TypeError(
            f"model must be a course model such as RNN or LSTM, got {type(m).__name__}"
        )
    for name, p in m.named_parameters():
        if not torch.isfinite(p).all():
            raise ValueError(
                f"model's {name} holds NaN or inf: training diverged; rebuild it"
            )
    return m


def model_input(m, X, name="X"):
    """X as a tensor of the model's dtype, (L, N, D) with the model's D.

    A tensor keeps its autograd graph (gradients flow back to X).
    """
    dtype = m.V.dtype
    if not torch.is_tensor(X):
        X = torch.from_numpy(np.ascontiguousarray(numbers_array(name, X, False)))
    X = X.to(dtype)
    if X.dim() != 3 or 0 in X.shape:
        raise ValueError(
            f"{name} must be (L, N, D) = (lags, samples, state dim), "
            f"got shape {tuple(X.shape)}"
        )
    if X.shape[2] != m.D:
        raise ValueError(
            f"{name} has D = {X.shape[2]} (its last axis), but the model reads "
            f"D = {m.D}; is {name} in (L, N, D) order?"
        )
    if not torch.isfinite(X).all():
        where = tuple(torch.nonzero(~torch.isfinite(X))[0].tolist())
        raise ValueError(
            f"{name} must hold finite numbers; the first NaN or inf is at index {where}"
        )
    return X


def model_data(m, X, Y, names=("X", "Y")):
    """X (L, N, D) and Y (N, D_out) as detached tensors of the model's dtype."""
    X = model_input(model(m), X, names[0]).detach()
    Y = torch.from_numpy(np.ascontiguousarray(numbers_array(names[1], Y)))
    Y = Y.to(X.dtype)
    if tuple(Y.shape) != (X.shape[1], m.D_out):
        hint = (
            f"; is {names[0]} (N, L, D)? Put the lags first" if len(Y) == len(X) else ""
        )
        raise ValueError(
            f"{names[1]} must be (N, D) = ({X.shape[1]}, {m.D_out}) to match "
            f"{names[0]} {tuple(X.shape)} and the model, got shape {tuple(Y.shape)}"
            + hint
        )
    return X, Y


def choice(name, value, allowed):
    """One of the allowed names (strings)."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def free_run_args(forecast, window, n_steps):
    """A course model or a function X -> Yhat, a window (L, D) it can read, a count."""
    if not callable(forecast):
        raise TypeError(
            "forecast must be a course model or a function X (L, N, D) -> (N, D), "
            f"got {type(forecast).__name__}"
        )
    window = numbers_array("window", window)
    if window.ndim != 2 or 0 in window.shape:
        raise ValueError(f"window must be (L, D) with L, D >= 1, got {window.shape}")
    if isinstance(forecast, torch.nn.Module):
        model(forecast)
        if window.shape[1] != forecast.D or forecast.D_out != forecast.D:
            raise ValueError(
                f"window must be (L, D) with the model's D = {forecast.D}, and the "
                f"model must predict what it reads (D_out = D), got window "
                f"{window.shape} and D_out = {forecast.D_out}"
            )
    return forecast, window, count("n_steps", n_steps)


def free_run_errors_args(forecast, values, origins, horizon, lags):
    """A forecast as for free_run, a series (T, D), H = horizon, L = lags, and the
    origins t0 as ints, each with L values before it and H from it: L <= t0 <= T - H."""
    y = series("series", values)
    L = count("lags", lags, high=len(y) - 1)
    H = count("horizon", horizon)
    forecast, _, _ = free_run_args(forecast, y[:L], H)
    t0 = numbers_array("origins", origins)
    if t0.ndim != 1 or t0.size == 0 or np.any(t0 != np.round(t0)):
        raise ValueError(
            f"origins must be a list of whole series indices, got {np.shape(origins)}"
        )
    if t0.min() < L or t0.max() > len(y) - H:
        raise ValueError(
            f"each origin t0 needs L = {L} values before it and H = {H} from it, "
            f"so {L} <= t0 <= {len(y) - H}; got origins from {t0.min():.0f} to "
            f"{t0.max():.0f}"
        )
    return forecast, y, t0.astype(int), H, L


def trainable(m):
    """The model's parameters that training changes (at least one)."""
    params = [p for p in model(m).parameters() if p.requires_grad]
    if not params:
        raise ValueError("model has no trainable parameters (requires_grad is False)")
    return params


def marks(values, shape):
    """marks (N,): one lag index 0 <= k < L per sample, for g of shape (L, N)."""
    L, N = shape
    m = numbers_array("marks", values)
    if m.shape != (N,) or not np.all((m >= 0) & (m < L) & (m == np.round(m))):
        raise ValueError(
            f"marks must be (N,) = ({N},) whole lag indices from 0 to {L - 1}, "
            f"got shape {m.shape}"
        )
    return m.astype(int)


def mse_pair(Yhat, Y):
    """Forecasts and targets as tensors of one shape (N, D): no broadcasting."""
    Yhat, Y = (
        A if torch.is_tensor(A) else torch.from_numpy(numbers_array(name, A))
        for name, A in (("Yhat", Yhat), ("Y", Y))
    )
    if Yhat.shape != Y.shape:
        raise ValueError(
            f"Yhat and Y must have the same shape (N, D), got {tuple(Yhat.shape)} "
            f"and {tuple(Y.shape)}"
        )
    return Yhat, Y


def rnn(m):
    """A vanilla RNN (parameters U, W, b, V, c) with finite weights."""
    if not all(isinstance(getattr(m, n, None), torch.Tensor) for n in "UWV"):
        raise TypeError(f"rnn must be an RNN (weights U, W, V), got {type(m).__name__}")
    return model(m)


def fit_settings(optimizer, steps, lr, clip, target_loss, default_steps):
    """fit's optimizer name and numbers, with the optimizer's default step budget."""
    optimizer = choice("optimizer", optimizer, default_steps)
    steps = count("steps", default_steps[optimizer] if steps is None else steps)
    lr = positive("lr", lr, none_ok=optimizer != "sgd")
    clip = positive("clip", clip, none_ok=True)
    return optimizer, steps, lr, clip, real("target_loss", target_loss, none_ok=True)


def validation(m, X_val, Y_val, patience, default_patience):
    """(X_val, Y_val, patience) for early stopping, or None without a validation set."""
    if X_val is None and Y_val is None:
        if patience is not None:
            raise ValueError("patience needs a validation set: pass X_val and Y_val")
        return None
    X_val, Y_val = model_data(m, X_val, Y_val, ("X_val", "Y_val"))
    patience = default_patience if patience is None else patience
    return X_val, Y_val, count("patience", patience)


def block_sizes(later, N):
    """The later blocks' sample counts, leaving at least one sample of N before them."""
    sizes = [count("block size", n) for n in later]
    if N - sum(sizes) < 1:
        raise ValueError(
            f"blocks of {sizes} samples leave none to train on out of N = {N}"
        )
    return sizes


def horizon_args(lags, H, start, stop, T):
    """L, H and the block [start, stop) of target indices, for a series of T points."""
    L, H = count("lags", lags), count("H", H)
    start = 0 if start is None else count("start", start, low=0, high=T)
    stop = T if stop is None else count("stop", stop, low=0, high=T)
    if stop - max(start, L) < H:
        raise ValueError(
            f"no window fits: H = {H} targets in [{start}, {stop}) after L = {L} lags "
            f"need stop - max(start, L) >= H; use a smaller H or L, or a longer block"
        )
    return L, H, start, stop


def horizon_arrays(X, Y, names=("X", "Y")):
    """X (L, N, D) and Y (N, H, D) as float64 arrays that agree on N and D."""
    X = lag_input(X, names[0])
    Y = numbers_array(names[1], Y)
    if Y.ndim != 3 or Y.shape[0] != X.shape[1] or Y.shape[2] != X.shape[2]:
        raise ValueError(
            f"{names[1]} must be (N, H, D) = ({X.shape[1]}, H, {X.shape[2]}) to match "
            f"{names[0]} (L, N, D) = {X.shape}, got shape {Y.shape}"
        )
    return X, Y


def strategy_args(forecast, X, H, d_out):
    """A course model or function, X (L, N, D), and H; a model must read D and
    predict d_out * D values (d_out = 1 one step, d_out = H all steps)."""
    X, H = lag_input(X), count("H", H)
    if not callable(forecast):
        raise TypeError(
            "model must be a course model or a function X (L, N, D) -> forecasts, "
            f"got {type(forecast).__name__}"
        )
    if isinstance(forecast, torch.nn.Module):
        m = model(forecast)
        D = X.shape[2]
        if m.D != D or m.D_out != d_out * D:
            raise ValueError(
                f"the model reads D = {m.D} and predicts D_out = {m.D_out}; X has "
                f"D = {D}, so D_out must be {d_out} * {D} = {d_out * D}"
            )
    return forecast, X, H


def horizon_pair(Yhat, Y):
    """Forecasts and targets, both (N, H, D), as float64 arrays."""
    Yhat, Y = numbers_array("Yhat", Yhat), numbers_array("Y", Y)
    if Yhat.ndim != 3 or Yhat.shape != Y.shape:
        raise ValueError(
            f"Yhat and Y must both be (N, H, D), got {Yhat.shape} and {Y.shape}"
        )
    return Yhat, Y


def residuals(R, name="residuals"):
    """An (n, H) array of finite numbers with n, H >= 1 (residuals or targets)."""
    R = numbers_array(name, R)
    if R.ndim != 2 or 0 in R.shape:
        raise ValueError(f"{name} must be (n, H) with n, H >= 1, got {R.shape}")
    return R
