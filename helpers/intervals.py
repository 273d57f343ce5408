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
at least `level`.  Nothing is assumed about the errors' distribution.  The guarantee
is per lead, not for a whole path of H steps.  Errors from overlapping origins of one
series are correlated, so they are at best approximately exchangeable (a stationary
series): the guarantee is then approximate.
"""

import math

import numpy as np

from . import checks

# the share of chance outcomes that chance_range keeps: the central 95 %
CHANCE_MASS = 0.95
# a running sum of probabilities may fall short of a tail by rounding alone
ROUNDING_SLACK = 1e-12


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


def chance_range(n, level):
    """The central 95 % range (low, high) of the share of n independent hits, each
    with probability `level`: binomial quantiles divided by n.

    A coverage measured on n test origins strays from `level` by chance even when the
    guarantee holds.  Correlated origins stray further, so this is a lower bound on
    that spread.  low is the smallest share k / n with P(hits <= k) >= 2.5 %, high
    the smallest with P(hits <= k) >= 97.5 %.
    """
    n = checks.count("n", n)
    level = checks.real("level", level, low=0.0, high=1.0)
    k = np.arange(n + 1)
    # log of n choose k, through log-gamma so that a large n cannot overflow
    log_choose = np.array(
        [math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) for j in k]
    )
    # the binomial probabilities of k = 0..n hits, then their running sum: (n + 1,)
    cdf = np.cumsum(np.exp(log_choose + k * np.log(level) + (n - k) * np.log1p(-level)))
    tail = (1 - CHANCE_MASS) / 2
    # the first k whose cumulative probability reaches each tail
    low, high = np.searchsorted(cdf, [tail - ROUNDING_SLACK, 1 - tail - ROUNDING_SLACK])
    return float(low / n), float(min(high, n) / n)
