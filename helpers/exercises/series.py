"""Exercise checks of notebook 05: persistence by hand, the AR order by validation,
a leakage bug."""

import numpy as np

from ..data import make_lag_dataset
from .verdicts import (
    as_number,
    as_whole,
    judged,
    multiple_choice,
    not_done,
    unanswered,
    verdict,
)

SUNSPOT_BLOCKS = (31, 62)  # validation and test targets at the end, as in notebook 05


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
    if np.isclose(value, expected, rtol=1e-3):
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
                "training block's mean and std first."
            ),
        ),
        (
            persistence_mse(leaky),
            (
                "Those are leaky units: the mean and std must "
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
        if np.isclose(value, w, rtol=1e-3):
            return verdict(False, hint)
    return verdict(
        False,
        "Compare each of the 62 test targets z[t] with z[t-1], "
        "square the differences and average them.",
    )


def check_ar_order(answer):
    """The learner's AR order L in 1..20, picked by validation MSE on the sunspots."""
    if unanswered(answer):
        return not_done()
    return judged("a whole number of lags L", _judge_ar_order, answer)


def _judge_ar_order(answer):
    from ..baselines import fit_ar
    from ..data import split_in_time

    if as_whole(answer) is None:
        return verdict(False, f"Answer with a whole number of lags L, got {answer!r}.")
    answer = as_whole(answer)
    _, z, _ = _sunspots_scaled()
    val, test = {}, {}
    for L in range(1, 21):
        X, Y = make_lag_dataset(z, L)
        (Xtr, Ytr), (Xv, Yv), (Xte, Yte) = split_in_time(X, Y, *SUNSPOT_BLOCKS)
        ar = fit_ar(Xtr, Ytr)
        val[L] = np.mean((ar.predict(Xv) - Yv) ** 2)
        test[L] = np.mean((ar.predict(Xte) - Yte) ** 2)
    best = min(val, key=val.get)
    if answer == best:
        top = sorted(val, key=val.get)[:3]
        ranked = ", ".join(f"L = {L}: {val[L]:.5f}" for L in top)
        return verdict(
            True,
            f"L = {best} has the lowest validation MSE (best three: "
            f"{ranked}); the test block was not looked at to choose "
            "it.",
        )
    if answer == min(test, key=test.get):
        return verdict(
            False,
            "That is the best order on the TEST block: choosing by "
            "it leaks the test set into the model. Use the "
            "validation MSE.",
        )
    if answer not in val:
        return verdict(False, "Try every L from 1 to 20.")
    return verdict(
        False,
        f"L = {answer} has validation MSE {val[answer]:.5f}; "
        "another L has a lower one.",
    )


LEAK_CHOICES = {
    "a": "nothing: scaling is linear, so it cannot change any result",
    "b": "the mean and std include the test block, so the future leaks into the inputs "
    "and into the units of the score",
    "c": "the std must be computed on the test block instead",
}


def check_leak(answer):
    """Multiple choice: what is wrong with scaling by the whole series' mean and std?"""
    return multiple_choice(
        answer,
        LEAK_CHOICES,
        correct="b",
        feedback={
            "b": "Statistics may come only from data the model could have seen by the end "
            "of training. Here the leak made every scaled score look smaller without "
            "changing a single forecast.",
            "a": "The forecasts of persistence and AR do not change, but the score in "
            "scaled units does, and a network's inputs and training change too.",
            "c": "That leaks even more: nothing about the test block may be used before "
            "scoring. Use the training block.",
        },
    )
