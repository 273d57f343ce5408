"""Prediction intervals with a measured coverage: split conformal, one lead at a time.

Shape letters: N_val calibration origins (the validation block's), N test origins,
H horizon, tau = 1..H the lead (steps ahead).  One variable (D = 1), so forecasts
and targets are (N, H).
    1. residuals on a block the model did not train on: R = Y_val - Yhat_val (N_val, H);
    2. half-width delta_tau: the kappa-th smallest |R[:, tau-1]|, with the rank
       kappa = ceil((N_val + 1) * level);
    3. interval yhat +- delta_tau for every new forecast at lead tau.
If the calibration and test errors are exchangeable (their joint law does not
change when they are shuffled), the interval covers a new target with probability
at least `level`.  Nothing is assumed about the errors' distribution.
"""

import numpy as np

from . import checks


def conformal_radius(residuals, level):
    """Half-widths delta (H,), one per lead, from residuals (N_val, H) at `level`.

    delta_tau is the kappa-th smallest |residual| of column tau - 1, with
    kappa = ceil((N_val + 1) * level), level in (0, 1): the + 1 counts the new
    point among the N_val, which gives the guarantee for a finite N_val.  With
    kappa > N_val (too few residuals for the level) the half-width is infinite.
    """
    R = checks.residuals(residuals)
    level = checks.real("level", level, low=0.0, high=1.0)
    N_val = len(R)
    rank = int(np.ceil((N_val + 1) * level))
    if rank > N_val:
        return np.full(R.shape[1], np.inf)
    # sort each column: row rank - 1 holds the kappa-th smallest |residual| per lead
    return np.sort(np.abs(R), axis=0)[rank - 1]


def coverage(Y, lower, upper):
    """Share of targets inside [lower, upper], per lead: (N, H) each -> (H,)."""
    Y = checks.residuals(Y, "Y")
    lower, upper = np.broadcast_arrays(
        checks.numbers_array("lower", lower), checks.numbers_array("upper", upper), Y
    )[:2]
    # (N, H) inside or not -> (H,): the share of the N origins, per lead
    return ((lower <= Y) & (Y <= upper)).mean(axis=0)
