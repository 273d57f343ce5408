"""Exercise checks of notebook 06: a conformal half-width by hand, the size of a
multi-output network, what the conformal guarantee assumes."""

from functools import lru_cache

import numpy as np

from .verdicts import (
    SIG_DIGITS,
    as_number,
    as_whole,
    close_but_rounded,
    escalate,
    judged,
    multiple_choice,
    not_done,
    unanswered,
    verdict,
    within_digits,
)

# notebook 06's sunspot set-up: validation and test years, lags, horizon
SUNSPOT_BLOCKS = (31, 62)
SUNSPOT_LAGS, HORIZON = 10, 8
# exercise 1: the level and the lead tau asked for
EXERCISE_LEVEL, EXERCISE_LEAD = 0.9, 3
# exercise 2: the macro series' D, the hidden size and the horizon asked for
MACRO_D, MACRO_Q, MACRO_H = 3, 8, 4


@lru_cache(maxsize=1)
def _sunspot_residuals():
    """(n, H) validation residuals of the recursive AR(L) on the scaled sunspots,
    computed here from the data (independently of the notebook's variables)."""
    from ..baselines import fit_ar
    from ..series import load_series, standardize

    _, y = load_series("sunspots")
    n_val, n_test = SUNSPOT_BLOCKS
    L, H = SUNSPOT_LAGS, HORIZON
    a, b = len(y) - n_val - n_test, len(y) - n_test
    z = standardize(y[:a]).apply(y)
    # the notebook's training origins keep all H targets before a; AR fits target 1
    train = np.arange(L, a - H + 1)
    X = np.stack([z[train - L + k] for k in range(L)])[:, :, None]
    ar = fit_ar(X, z[train][:, None])
    origins = np.arange(a, b - H + 1)
    out = []
    for o in origins:
        window = list(z[o - L : o])
        for _ in range(H):
            x = np.array(window[-L:])[:, None, None]
            window.append(float(ar.predict(x)[0, 0]))
        out.append(z[o : o + H] - np.array(window[L:]))
    R = np.array(out)
    # cached: nobody may change it
    R.flags.writeable = False
    return R


def check_conformal_radius(answer):
    """The learner's 90 % split-conformal half-width at lead 3, sunspot residuals."""
    if unanswered(answer):
        return not_done()
    return judged("one number", _judge_radius, answer)


def _judge_radius(answer):
    value = as_number(answer)
    if value is None:
        return verdict(False, "Answer with one number: the half-width at lead 3.")
    R = _sunspot_residuals()
    N_val = len(R)
    col = np.abs(R[:, EXERCISE_LEAD - 1])
    ranked = np.sort(col)
    rank = int(np.ceil((N_val + 1) * EXERCISE_LEVEL))
    expected = ranked[rank - 1]
    if within_digits(value, expected):
        return verdict(
            True,
            f"kappa = ceil(({N_val} + 1) * {EXERCISE_LEVEL}) = {rank}: the {rank}-th "
            f"smallest of the {N_val} |residuals| at lead {EXERCISE_LEAD} is "
            f"{expected:.4f}.",
        )
    wrong = [
        (
            ranked[int(np.ceil(N_val * EXERCISE_LEVEL)) - 1],
            (
                "That is the rank ceil(N_val * 0.9): the + 1 is missing, and with it "
                "the guarantee for a finite N_val."
            ),
        ),
        (
            float(np.quantile(col, EXERCISE_LEVEL)),
            (
                "That is numpy's default quantile, which interpolates and has no + 1: "
                "sort the |residuals| and take the kappa-th smallest."
            ),
        ),
        (
            float(np.sort(R[:, EXERCISE_LEAD - 1])[rank - 1]),
            "Take the absolute values first: a residual of -1 is as far off as +1.",
        ),
        (
            2 * expected,
            (
                "That is the width 2 delta, the number section 3 printed: the "
                "exercise asks for the half-width delta."
            ),
        ),
    ]
    wrong += [
        (
            np.sort(np.abs(R[:, col_j]))[rank - 1],
            (
                f"That is column {col_j}, lead {col_j + 1}: lead {EXERCISE_LEAD} is "
                f"column {EXERCISE_LEAD - 1} (Python counts from 0)."
            ),
        )
        for col_j in (EXERCISE_LEAD - 2, EXERCISE_LEAD)
    ]
    for w, hint in wrong:
        if within_digits(value, w):
            return verdict(False, hint)
    if close_but_rounded(value, expected):
        return verdict(
            False,
            f"Your method looks right, but round to {SIG_DIGITS} significant digits "
            "(or hand the check the computed value itself).",
        )
    return verdict(
        False,
        escalate(
            ("check_conformal_radius",),
            "Check the column (lead 3), the absolute values and the rank.",
            "np.sort(np.abs(resid_sun[:, 2]))[rank - 1] with "
            "rank = int(np.ceil((len(resid_sun) + 1) * 0.9)).",
        ),
    )


def check_multi_output_params(answer):
    """The learner's parameter count of a multi-output RNN: D = 3, q = 8, H = 4."""
    if unanswered(answer):
        return not_done()
    return judged("a whole number", _judge_params, answer)


def _rnn_count(D, q, D_out):
    # U (D, q), W (q, q), b (q,), V (q, D_out), c (D_out,)
    return q * D + q * q + q + q * D_out + D_out


def _judge_params(answer):
    value = as_whole(answer)
    if value is None:
        return verdict(False, f"Answer with a whole number, got {answer!r}.")
    D, q, H = MACRO_D, MACRO_Q, MACRO_H
    expected = _rnn_count(D, q, H * D)
    if value == expected:
        return verdict(
            True,
            f"U {D * q} + W {q * q} + b {q} + V {q * H * D} + c {H * D} = {expected}: "
            "only V and c grow with H.",
        )
    named = [
        (
            _rnn_count(D, q, D),
            "That is the one-step RNN: the multi-output V is (q, H*D), c is (H*D,).",
        ),
        (
            H * _rnn_count(D, q, D),
            (
                "That is H one-step RNNs, the direct strategy. The multi-output network "
                "is one RNN with a wider V and c."
            ),
        ),
        (
            _rnn_count(D, q, H),
            "V must give H steps of D values each: its width is H*D, not H.",
        ),
        (
            _rnn_count(1, q, H * D),
            "U reads one observation of D = 3 values: it is (D, q), not (1, q).",
        ),
    ]
    for wrong, hint in named:
        if value == wrong:
            return verdict(False, hint)
    return verdict(
        False,
        escalate(
            ("check_multi_output_params",),
            "Write down each parameter's shape: U, W, b, V, c.",
            "U (D, q), W (q, q), b (q,), V (q, H*D), c (H*D,) with D = 3, q = 8, H = 4.",
        ),
    )


EXCHANGE_CHOICES = {
    "a": "the errors follow a normal distribution, with a variance known in advance",
    "b": "the model is the true model of the series",
    "c": "the validation and test errors are exchangeable: they come from one "
    "unchanging process and none of them is special",
}


def check_exchangeable(answer):
    """Multiple choice: what does split conformal's coverage guarantee assume?"""
    return multiple_choice(
        answer,
        EXCHANGE_CHOICES,
        correct_digest=(
            "ea8170659ca4060b4067fadadb77e13e8314a9ca2c5df23ec423908702f155a0"
        ),
        feedback={
            "a": "No distribution is assumed: the half-width is an order statistic of the "
            "residuals, whatever their shape. That is the point of the method.",
            "b": "Any model will do, even a poor one: a poor model has large "
            "validation residuals, hence wide intervals, and the coverage still holds.",
            "c": "If the N_val validation errors and the new one are exchangeable, the "
            "new one is equally likely to take any rank among the N_val + 1, which "
            "gives the level. The sunspots' wilder test block broke exactly this.",
        },
    )
