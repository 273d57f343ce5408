"""Exercise checks of notebook 04: the vanishing bound, the memory gate, clipping."""

import numpy as np

from .. import shell_checks as checks
from .verdicts import (
    SIG_DIGITS,
    as_float_array,
    as_number,
    close_but_rounded,
    escalate,
    judged,
    multiple_choice,
    not_callable,
    not_done,
    unanswered,
    verdict,
    within_digits,
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
    if within_digits(answer, expected):
        return verdict(
            True,
            f"At most sigma_max(W)^{distance} = {expected:.3g} of it: one factor per lag, "
            "and tanh' <= 1 can only shrink it further.",
        )
    if close_but_rounded(answer, expected):
        return verdict(
            False,
            f"Your method looks right, but round to {SIG_DIGITS} significant digits "
            "(or type the expression itself and let Python compute it).",
        )
    if np.isclose(answer, sigma_max * distance, rtol=0.02):
        return verdict(
            False,
            "The factors multiply, they do not add.",
        )
    if np.isclose(answer, sigma_max ** (distance - 1), rtol=0.02) or np.isclose(
        answer, sigma_max ** (distance + 1), rtol=0.02
    ):
        return verdict(
            False,
            "Count the factors again: how many W diag(tanh') does the statement say "
            "the gradient passes through?",
        )
    if np.isclose(answer, 1 - expected, rtol=0.02):
        return verdict(
            False,
            "That is how much is lost; the question asks what fraction can be left.",
        )
    return verdict(
        False,
        escalate(
            ("check_vanishing_bound", sigma_max, distance),
            "Each factor W diag(tanh') can stretch the gradient by at most "
            "sigma_max(W) (and tanh' <= 1): what do the factors give together?",
            "The bound is sigma_max(W) to the power of the number of factors.",
        ),
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
    """Test the learner's fn(grads, max_norm) -> grads rescaled so that their total
    length (all entries laid end to end) is at most max_norm.  grads is a list of
    arrays, one per parameter (vectors and matrices)."""
    if not callable(fn):
        return not_callable(fn, "fn(grads, max_norm)")
    return judged(
        "fn(grads, max_norm) to return a list of arrays of grads' shapes",
        _judge_clip,
        fn,
    )


def _clip_cases():
    rng = np.random.default_rng(4)
    return [
        ([np.array([3.0, 4.0])], 1.0),
        ([np.array([0.3, 0.4])], 1.0),
        ([np.zeros(3)], 2.0),
        ([np.array([[3.0, 0.0], [4.0, 12.0]])], 6.5),
        ([rng.normal(size=(3, 2)) * 4, rng.normal(size=2) * 4], 1.5),
        ([np.array([[0.1, 0.2], [0.0, 0.1]]), np.array([0.3])], 1.0),
        ([np.array([[2.0, -1.0, 0.5]]), np.array([-6.0, 8.0, 0.0])], 5.0),
        # just over the limit (1.3 % too long): a threshold of 1.05 max_norm misses it
        ([np.array([0.6]), np.array([[0.0, 0.816]])], 1.0),
        # length 3 under max_norm 4, but its squared length 9 is over it
        ([np.array([1.0, 2.0]), np.array([[2.0]])], 4.0),
    ]


def _total_norm(grads):
    return float(np.sqrt(sum(np.sum(g**2) for g in grads)))


def _judge_clip(fn):
    for grads, max_norm in _clip_cases():
        norm = _total_norm(grads)
        scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
        expected = [g * scale for g in grads]
        shapes = [g.shape for g in grads]
        shown = (
            f"grads of shapes {shapes} (total length {norm:.4g}), max_norm = {max_norm}"
        )
        try:
            got = fn([g.copy() for g in grads], max_norm)
        # the learner's code: say what went wrong
        except Exception as err:
            return verdict(
                False,
                f"For {shown}: fn raised {type(err).__name__}: {err}. grads is a list "
                "of arrays of different shapes.",
            )
        if got is None:
            return verdict(
                False, "Your function returns None: end it with `return ...`."
            )
        if not isinstance(got, (list, tuple)) or len(got) != len(grads):
            return verdict(
                False,
                f"For {shown}: return a list of {len(grads)} arrays, one per "
                f"gradient in grads, got {type(got).__name__}.",
            )
        arrays = [as_float_array(a) for a in got]
        if any(a is None for a in arrays):
            return verdict(
                False, f"For {shown}: return arrays of numbers, one per gradient."
            )
        if [a.shape for a in arrays] != shapes:
            return verdict(
                False,
                f"For {shown}: each returned array keeps its gradient's shape, "
                f"{shapes}; got {[a.shape for a in arrays]}.",
            )
        if all(np.allclose(a, e) for a, e in zip(arrays, expected)):
            continue
        if not norm > max_norm:
            return verdict(
                False,
                f"For {shown}: the total length is at most max_norm, so grads must "
                "come back unchanged.",
            )
        if all(np.allclose(a, g) for a, g in zip(arrays, grads)):
            return verdict(
                False,
                f"For {shown}: the total length is over max_norm, so "
                "grads must be scaled down; yours came back unchanged.",
            )
        slips = [
            (
                [np.clip(g, -max_norm, max_norm) for g in grads],
                (
                    "That clips each entry; clip the total length instead, keeping the "
                    "direction."
                ),
            ),
            (
                [
                    g * min(1.0, max_norm / n) if (n := np.linalg.norm(g)) > 0 else g
                    for g in grads
                ],
                (
                    "That clips each gradient by its own length; the length is that of "
                    "ALL gradients laid end to end, one factor for all of them."
                ),
            ),
            (
                [
                    g
                    * np.minimum(
                        1.0,
                        max_norm
                        / np.maximum(
                            np.linalg.norm(np.atleast_2d(g), axis=-1, keepdims=True),
                            1e-300,
                        ),
                    ).reshape(g.shape[:-1] + (1,) if g.ndim > 1 else (1,))
                    for g in grads
                ],
                (
                    "That clips each row by its own length; the length is that of all "
                    "entries of all gradients, one factor for all of them."
                ),
            ),
            (
                [
                    g
                    * min(
                        1.0,
                        max_norm / max(np.linalg.norm(np.atleast_2d(g), 2), 1e-300),
                    )
                    for g in grads
                ],
                (
                    "That uses the spectral norm of a matrix; the length here is the "
                    "Euclidean length of all entries laid end to end (the Frobenius norm "
                    "for one matrix)."
                ),
            ),
        ]
        for wrong, hint in slips:
            if all(
                w.shape == a.shape and np.allclose(a, w) for a, w in zip(arrays, wrong)
            ):
                return verdict(False, hint)
        flat_got = np.concatenate([a.ravel() for a in arrays])
        flat_g = np.concatenate([g.ravel() for g in grads])
        factor = float(flat_got @ flat_g / (flat_g @ flat_g))
        if factor > 0 and np.allclose(flat_got, factor * flat_g):
            return verdict(
                False,
                f"For {shown}: the direction is kept, but the total length becomes "
                f"{np.linalg.norm(flat_got):.4g} instead of max_norm: check the factor.",
            )
        return verdict(
            False,
            escalate(
                ("check_clip",),
                f"For {shown} your result is off. Check its total length (it should "
                "be max_norm) and its direction (every entry scaled by the same "
                "factor).",
                "Scale every gradient by max_norm / total length, total length = "
                "sqrt of the sum of all squared entries.",
            ),
        )
    return verdict(
        True,
        "Long gradients are scaled down to max_norm as one vector, their direction "
        "kept, for vectors, matrices and several gradients at once; short ones pass "
        "unchanged.",
    )
