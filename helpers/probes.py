"""Windows shaped by hand, and what a trained cell does with one: the computations behind
notebook 03's gate widget and notebook 04's memory widget (helpers.gate_widgets draws them).

Shape letters: L lags, D state dim, q hidden size.  A window is X (L, 1, D), one sample,
X[0] the oldest lag; lag j (1 = the newest) sits in X[L - j].
"""

import numpy as np
import torch

from . import shell_checks as checks
from .data import TIME_STEP

BUMPS = ("spike", "step")


def sine_window(lags, phase, time_step=TIME_STEP):
    """L points of the course's sine, time_step apart, the newest at `phase` (degrees
    of the cycle: 0 rising through 0, 90 the top, 180 falling through 0, 270 the
    bottom).  Returns X (L, 1, 1): X[k] = sin(phase - (L - 1 - k) time_step)."""
    lags = checks.integer("lags", lags, 1)
    phase = checks.real("phase", phase)
    # steps back from the newest point: L-1, ..., 1, 0
    back = np.arange(lags - 1, -1, -1) * time_step
    # (L,) -> (L, 1, 1): one sample, D = 1
    return np.sin(np.deg2rad(phase) - back)[:, None, None]


def add_bump(X, size, lag, kind="spike"):
    """A copy of the window X (L, 1, D) with `size` added to its first column: at lag
    `lag` only (kind "spike") or from that lag to the newest (kind "step")."""
    X = checks.float_array("X", X, ndim=3)
    size = checks.real("size", size)
    lag = checks.integer("lag", lag, 1, X.shape[0])
    if kind not in BUMPS:
        raise ValueError(f"kind must be one of {BUMPS}, got {kind!r}")
    X = X.copy()
    k = X.shape[0] - lag
    if kind == "spike":
        X[k, :, 0] += size
    else:
        X[k:, :, 0] += size
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
    LSTM; h for the RNN), row k-1 = step k, and yhat, the forecast (a float)."""
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
