"""Exercise checks of notebook 05: persistence by hand, the AR order by validation,
a leakage bug."""

import numpy as np

from ..data import make_lag_dataset
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

# validation and test targets at the end, as in notebook 05
SUNSPOT_BLOCKS = (31, 62)
# exercise 2 picks the AR order with a shorter validation block (the test block as before)
EXERCISE_VAL = 20


def _sunspots_scaled():
    """Notebook 05's sunspots: (raw, scaled by the training block, leaky-scaled)."""
    from ..series import load_series, standardize

    _, y = load_series("sunspots")
    n_train = len(y) - sum(SUNSPOT_BLOCKS)
    return y, standardize(y[:n_train]).apply(y), standardize(y).apply(y)


def check_persistence_mse(answer):
    """The learner's one-step test MSE of persistence on the scaled sunspots."""
    if unanswered(answer):
        return not_done()
    return judged("one number", _judge_persistence_mse, answer)


def _judge_persistence_mse(answer):
    value = as_number(answer)
    if value is None:
        return verdict(
            False,
            "Answer with one number: the mean of (y_t - y_{t-1})^2 "
            "over the test targets.",
        )
    y, z, leaky = _sunspots_scaled()
    n_test = SUNSPOT_BLOCKS[1]

    def persistence_mse(s, n=n_test):
        return float(np.mean((s[-n:] - s[-n - 1 : -1]) ** 2))

    expected = persistence_mse(z)
    if within_digits(value, expected):
        return verdict(
            True,
            f"mean over the {n_test} test years of (y_t - y_(t-1))^2 "
            f"= {expected:.4f} in scaled units.",
        )
    wrong = [
        (
            persistence_mse(y),
            (
                "That is in the series' own units; scale with the "
                "training block's mean and sd first."
            ),
        ),
        (
            persistence_mse(leaky),
            (
                "Those are leaky units: the mean and sd must "
                "come from the training block only."
            ),
        ),
        (
            persistence_mse(z, len(z) - 1),
            ("That averages over the whole series; use only the 62 test targets."),
        ),
        (
            float(np.sqrt(expected)),
            ("That is the root of the MSE: do not take the square root."),
        ),
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
            ("check_persistence_mse",),
            "Check which points you compare: the targets are the last N_TEST points "
            "of z, and persistence forecasts each one by the point just before it.",
            "The MSE is the mean of (z[t] - z[t-1])^2 over those 62 targets t.",
        ),
    )


def check_ar_order(answer):
    """The learner's AR order L in 1..20 for the sunspots, picked by the validation MSE
    on the EXERCISE_VAL years before the test block (not section 4's 31)."""
    if unanswered(answer):
        return not_done()
    return judged("a whole number of lags L", _judge_ar_order, answer)


def _ar_mse(z, n_val, n_test):
    """{L: (training, validation, test) MSE} of AR(L) fitted on the training block."""
    from ..baselines import fit_ar
    from ..data import split_in_time

    scores = {}
    for L in range(1, 21):
        X, Y = make_lag_dataset(z, L)
        blocks = split_in_time(X, Y, n_val, n_test)
        ar = fit_ar(*blocks[0])
        scores[L] = tuple(
            float(np.mean((ar.predict(Xb) - Yb) ** 2)) for Xb, Yb in blocks
        )
    return scores


def _judge_ar_order(answer):
    if as_whole(answer) is None:
        return verdict(False, f"Answer with a whole number of lags L, got {answer!r}.")
    answer = as_whole(answer)
    _, z, _ = _sunspots_scaled()
    n_val, n_test = SUNSPOT_BLOCKS
    scores = _ar_mse(z, EXERCISE_VAL, n_test)
    val = {L: s[1] for L, s in scores.items()}
    best = min(val, key=val.get)
    # section 4's pick: the same test block, 31 validation years
    section4 = min(_ar_mse(z, n_val, n_test).items(), key=lambda kv: kv[1][1])[0]
    if answer == best:
        top = sorted(val, key=val.get)[:3]
        ranked = ", ".join(f"L = {L}: {val[L]:.5f}" for L in top)
        return verdict(
            True,
            f"L = {best} has the lowest MSE on the {EXERCISE_VAL} validation years "
            f"(best three: {ranked}). With {n_val} validation years section 4 chose "
            f"L = {section4}: the order chosen depends on the validation block, and "
            "neither choice looked at the test block.",
        )
    test_pick = min(scores, key=lambda L: scores[L][2])
    named = []
    if answer in (best - 1, best + 1):
        # an index slip beats any other story: the learner scored the right block
        named.append(
            (
                answer,
                (
                    f"Off by one: L = {answer} is right next to the validation block's "
                    "choice. L runs from 1; an index from np.argmin or a list starts "
                    "at 0, so add 1 (or use a dict keyed by L)."
                    if answer == best - 1
                    else f"Off by one: L = {answer} is right next to the validation "
                    "block's choice. Did you subtract or add 1 when turning an index "
                    "into L?"
                ),
            )
        )
    named += [
        (
            test_pick,
            (
                f"L = {test_pick} is the order the TEST block would pick, not the "
                "validation block's. If you scored on the test block, that leaks the "
                "test set into the choice. split_in_time returns (training, "
                "validation, test) in that order; score on the second, and check "
                f"the block sizes: split_in_time(X, Y, {EXERCISE_VAL}, N_TEST)."
            ),
        ),
        (
            min(scores, key=lambda L: scores[L][0]),
            (
                "That order fits the TRAINING block best: more lags let AR follow the "
                "training years more closely, which says little about new years. Score "
                "each fit on the validation block."
            ),
        ),
        (
            section4,
            (
                f"That is section 4's order, chosen with {n_val} validation years. Here "
                f"the validation block is the {EXERCISE_VAL} years before the test block: "
                f"split_in_time(X, Y, {EXERCISE_VAL}, N_TEST)."
            ),
        ),
    ]
    for wrong, hint in named:
        if answer == wrong:
            return verdict(False, hint)
    if answer not in val:
        return verdict(False, "Try every L from 1 to 20.")
    return verdict(
        False,
        f"L = {answer} has validation MSE {val[answer]:.5f} on the {EXERCISE_VAL} "
        "validation years; another L has a lower one.",
    )


LEAK_CHOICES = {
    "a": "nothing: scaling is linear, so it cannot change any result",
    "b": "the mean and sd include the test block, so the future leaks into the inputs "
    "and into the units of the score",
    "c": "the sd must be computed on the test block instead",
}


def check_leak(answer):
    """Multiple choice: what is wrong with scaling by the whole series' mean and sd?"""
    return multiple_choice(
        answer,
        LEAK_CHOICES,
        correct_digest=(
            "507b497558776491821140c4ee46981d2686db0c8d455c3edba231a7122dec65"
        ),
        feedback={
            "a": "The forecasts of persistence and AR do not change, but the score in "
            "scaled units does, and a network's inputs and training change too.",
            "b": "Statistics may come only from data the model could have seen by the end "
            "of training. Here the leak made every scaled score look smaller without "
            "changing a single forecast.",
            "c": "That leaks even more: nothing about the test block may be used before "
            "scoring. Use the training block.",
        },
    )
