"""Windows shaped by hand, and what a trained cell does with one: the computations behind
notebook 03's gate widget and notebook 04's memory widget (helpers.gate_widgets draws them).

Shape letters: L lags, D state dim, q hidden size.  A window is X (L, 1, D), one sample,
X[0] the oldest lag; lag j (1 = the newest) sits in X[L - j] and is read at step
k = L - j + 1 (step k reads X[k-1]).
"""

import numpy as np
import torch

from . import shell_checks as checks
from .data import TIME_STEP
from .models import LSTM

BUMPS = ("spike", "level shift")
# the gates, the candidate and the states, in the order of the lecture's equations
STATE_NAMES = ("f", "i", "o", "s_tilde", "s", "h")


def sine_window(lags, phase, time_step=TIME_STEP):
    """L points of the course's sine, time_step apart, the newest at `phase` (degrees
    of the cycle: 0 rising through 0, 90 the top, 180 falling through 0, 270 the
    bottom).  Returns X (L, 1, 1), lag j at X[L - j] = sin(phase - (j - 1) time_step)."""
    lags = checks.integer("lags", lags, 1)
    phase = checks.real("phase", phase)
    # steps back from the newest point: L-1, ..., 1, 0
    back = np.arange(lags - 1, -1, -1) * time_step
    # (L,) -> (L, 1, 1): one sample, D = 1
    return np.sin(np.deg2rad(phase) - back)[:, None, None]


def add_bump(X, size, lag, kind="spike"):
    """A copy of the window X (L, 1, D) with `size` added to its first column: at lag
    `lag` only (kind "spike") or from that lag to the newest (kind "level shift")."""
    X = checks.float_array("X", X, ndim=3)
    size = checks.real("size", size)
    lag = checks.integer("lag", lag, 1, X.shape[0])
    if kind not in BUMPS:
        raise ValueError(f"kind must be one of {BUMPS}, got {kind!r}")
    X = X.copy()
    # the array index of lag `lag` (read at step L - lag + 1)
    row = X.shape[0] - lag
    if kind == "spike":
        X[row, :, 0] += size
    else:
        X[row:, :, 0] += size
    return X


def marked_window(lags, mark_lag, value, seed=0):
    """One window of the recall task (data.recall_block) with its mark placed by hand:
    X (L, 1, 2), column 0 the values (uniform in [-1, 1], drawn from `seed`), column 1
    the marker, 1 at lag `mark_lag` only, where the value is `value`."""
    lags = checks.integer("lags", lags, 2)
    mark_lag = checks.integer("mark_lag", mark_lag, 1, lags)
    value = checks.real("value", value)
    rng = np.random.default_rng(checks.seed("seed", seed))
    X = np.zeros((lags, 1, 2))
    X[:, 0, 0] = rng.uniform(-1.0, 1.0, size=lags)
    X[lags - mark_lag, 0] = (value, 1.0)
    return X


def cell_states(model, X):
    """Every step of the model (helpers.models' RNN or LSTM) on one window X (L, 1, D),
    from its `states` method: a dict of (L, q) arrays (o, i, f, s_tilde, s, h for the
    LSTM; h for the RNN), array row k-1 = step k, and yhat, the forecast (a float)."""
    X = torch.as_tensor(checks.float_array("X", X, ndim=3), dtype=torch.float32)
    if X.shape[1] != 1:
        raise ValueError(f"X must be one window (L, 1, D), got shape {tuple(X.shape)}")
    with torch.no_grad():
        states = model.states(X)
        # h_L (1, q) -> yhat (1, D_out)
        yhat = states["h"][-1] @ model.V + model.c
    # (L, 1, q) -> (L, q)
    out = {name: v[:, 0].numpy().astype(float) for name, v in states.items()}
    out["yhat"] = float(yhat[0, 0])
    return out


def check_sine_lstm(model):
    """Refuse anything but an LSTM with D = 1 (trained on the sine task)."""
    if not isinstance(model, LSTM) or model.D != 1:
        raise TypeError(
            "model must be a helpers.models.LSTM with D = 1 (trained on the sine task), "
            f"got {type(model).__name__}"
        )
    return model


def bump_effect(model, lags, phase, size, lag, kind="spike"):
    """What a bump does to a trained LSTM (D = 1) on the sine window ending at `phase`:
    the shaped and the plain window (each (L, 1, 1)) through cell_states, and numbers:
    yhat and plain_yhat, the forecasts; truth, the sine's next value; step, the bump's
    step k = L - lag + 1; change_L and change_k, {name: largest |shaped - plain|
    over the q units} at step L and at step k; f_after, the largest f at steps
    k+1..L (nan if k = L); kept, the largest product f_{k+1} ... f_L over the units
    (1.0 if k = L: no later step)."""
    check_sine_lstm(model)
    plain = sine_window(lags, phase)
    shaped = add_bump(plain, size, lag, kind)
    states, base = cell_states(model, shaped), cell_states(model, plain)
    step = lags - lag + 1
    # (L, q) each: the change at every step and unit
    change = {name: np.abs(states[name] - base[name]) for name in STATE_NAMES}
    # the forget gates after the bump's step, (lag - 1, q): rows step..L-1
    later = states["f"][step:]
    return {
        "window": shaped,
        "plain": plain,
        "states": states,
        "plain_states": base,
        "yhat": states["yhat"],
        "plain_yhat": base["yhat"],
        "truth": float(np.sin(np.deg2rad(phase) + TIME_STEP)),
        "step": step,
        "change_L": {name: float(c[-1].max()) for name, c in change.items()},
        "change_k": {name: float(c[step - 1].max()) for name, c in change.items()},
        "f_after": float(later.max()) if len(later) else float("nan"),
        # (lag - 1, q) -> (q,): the product over the later steps, per unit
        "kept": float(later.prod(axis=0).max()),
    }
