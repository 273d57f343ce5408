"""Exercise checks of notebook 04: the vanishing bound, the memory gate, clipping."""

import numpy as np

from .. import shell_checks as checks
from .verdicts import (
    as_float_array,
    as_number,
    judged,
    multiple_choice,
    not_callable,
    not_done,
    unanswered,
    verdict,
)


def check_vanishing_bound(sigma_max, distance, answer):
    """The learner's bound on the gradient factor left after `distance` lags: sigma_max ** distance."""
    sigma_max = checks.real("sigma_max", sigma_max, positive=True)
    distance = checks.integer("distance", distance, 1)
    if unanswered(answer):
        return not_done()
    return judged("one number", _judge_bound, sigma_max, distance, answer)


def _judge_bound(sigma_max, distance, answer):
    if as_number(answer) is None:
        return verdict(False, f"Answer with one number, e.g. 0.5 ** 3, got {answer!r}.")
    answer = as_number(answer)
    expected = sigma_max**distance
    if np.isclose(answer, expected, rtol=0.02):
        return verdict(
            True,
            f"At most sigma_max(W)^{distance} = {expected:.3g} of it: one factor per lag, "
            "and tanh' <= 1 can only shrink it further.",
        )
    if np.isclose(answer, sigma_max * distance, rtol=0.02):
        return verdict(
            False,
            "The factors multiply, they do not add: sigma_max ** distance, not sigma_max * distance.",
        )
    if np.isclose(answer, sigma_max ** (distance - 1), rtol=0.02) or np.isclose(
        answer, sigma_max ** (distance + 1), rtol=0.02
    ):
        return verdict(
            False,
            f"Count the factors of W again: one per lag passed, {distance} in all.",
        )
    return verdict(
        False,
        "Each lag back multiplies the gradient by W (at most sigma_max(W)) and tanh' (at most 1).",
    )


MEMORY_CHOICES = {"o": "output gate", "i": "input gate", "f": "forget gate"}


def check_memory_gate(answer):
    """Which gate, held near 1, lets a cell keep a value across many lags?"""
    return multiple_choice(
        answer,
        MEMORY_CHOICES,
        correct_digest=(
            "402ee54a249cf69f1e1820cc40a96aaa73e4c4376443d419b0610f721b9eaaeb"
        ),
        feedback={
            "o": "The output gate only decides what is shown as h; s is kept or erased elsewhere.",
            "i": "The input gate writes new candidates in; held at 1 it keeps adding distractors. "
            "Which gate multiplies the OLD cell state?",
            "f": "With f = 1, s_k = s_{k-1} + i * s~: the value (and its gradient) passes unchanged.",
        },
    )


def check_clip(fn):
    """Test the learner's fn(grad, max_norm) -> grad rescaled so that its norm is at most max_norm."""
    if not callable(fn):
        return not_callable(fn, "fn(grad, max_norm)")
    return judged(
        "fn(grad, max_norm) to return a vector of grad's shape", _judge_clip, fn
    )


def _judge_clip(fn):
    cases = [
        (np.array([3.0, 4.0]), 1.0),
        (np.array([0.3, 0.4]), 1.0),
        (np.array([0.0, 0.0, 0.0]), 2.0),
        (np.array([-6.0, 8.0, 0.0]), 5.0),
    ]
    for g, max_norm in cases:
        norm = np.linalg.norm(g)
        expected = g * min(1.0, max_norm / norm) if norm > 0 else g
        try:
            got = fn(g.copy(), max_norm)
        except Exception as err:  # the learner's code: say what went wrong
            return verdict(
                False,
                f"fn({g.tolist()}, {max_norm}) raised {type(err).__name__}: {err}",
            )
        if got is None:
            return verdict(
                False, "Your function returns None: end it with `return ...`."
            )
        if as_float_array(got) is None:
            return verdict(
                False,
                f"Return a vector of numbers of grad's shape {g.shape}, "
                f"got {type(got).__name__}.",
            )
        got = as_float_array(got)
        if got.shape != g.shape:
            return verdict(
                False,
                f"Return a vector of the same shape as grad, {g.shape}; got {got.shape}.",
            )
        if not np.allclose(got, expected):
            if norm <= max_norm:
                return verdict(
                    False,
                    f"grad = {g.tolist()} has norm {norm:g} <= {max_norm}: it must come back unchanged.",
                )
            if np.allclose(got, np.clip(g, -max_norm, max_norm)):
                return verdict(
                    False,
                    "That clips each entry; clip the NORM instead, keeping the direction: "
                    "grad * max_norm / ||grad||.",
                )
            return verdict(
                False,
                f"For grad = {g.tolist()} and max_norm = {max_norm} expected {expected.tolist()}, "
                f"got {got.tolist()}.",
            )
    return verdict(
        True,
        "Long gradients are scaled down to max_norm, their direction kept; short ones pass unchanged.",
    )
