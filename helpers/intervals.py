"""Prediction intervals with a measured coverage: split conformal, one horizon at a time.

Shape letters: n calibration origins (the validation block's), N test origins,
H horizon.  One variable (D = 1), so forecasts and targets are (N, H).
    1. residuals on a block the model did not train on: R = Y_val - Yhat_val (n, H);
    2. radius r_h: the k-th smallest |R[:, h]| with k = ceil((n + 1) * level);
    3. interval yhat +- r_h for every new forecast at horizon h.
If the calibration and test errors are exchangeable (their joint law does not
change when they are shuffled), the interval covers a new target with probability
at least `level`.  Nothing is assumed about the errors' distribution.
"""

import numpy as np

from . import checks


def conformal_radius(residuals, level):
    """Per-horizon radius r (H,) from calibration residuals (n, H) at `level` in (0, 1).

    r_h is the k-th smallest |residual| of column h, k = ceil((n + 1) * level): the
    +1 counts the new point among the n, which gives the guarantee for finite n.
    With k > n (too few residuals for the level) the radius is infinite.
    """
    R = checks.residuals(residuals)
    level = checks.real("level", level, low=0.0, high=1.0)
    n = len(R)
    k = int(np.ceil((n + 1) * level))
    if k > n:
        return np.full(R.shape[1], np.inf)
    # sort each column: row k - 1 holds the k-th smallest |residual| per horizon
    return np.sort(np.abs(R), axis=0)[k - 1]


def coverage(Y, lower, upper):
    """Share of targets inside [lower, upper], per horizon: (N, H) each -> (H,)."""
    Y = checks.residuals(Y, "Y")
    lower, upper = np.broadcast_arrays(
        checks.numbers_array("lower", lower), checks.numbers_array("upper", upper), Y
    )[:2]
    return ((lower <= Y) & (Y <= upper)).mean(axis=0)
