"""Verdicts: what every exercise check prints and returns, and the shared ways of judging
an answer (unanswered, a whole number, numbers, a function, a multiple choice).

Public to the exercise modules of this package; the package itself exports only
Verdict and NOT_DONE (helpers/exercises/__init__.py)."""

import hashlib
import numbers

import numpy as np

from .. import shell_checks as checks

NOT_DONE = "Not answered yet: replace the ... with your answer and run the cell again."


class Verdict:
    """A check's result: true when the answer is correct (`if check(...)`, `assert check(...)`).

    The check has already printed its message, so Jupyter shows nothing more for this value;
    a bare True or False would be echoed under the message as a stray "False".
    """

    def __init__(self, ok):
        if not checks.is_bool(ok):
            raise TypeError(f"ok must be True or False, got {type(ok).__name__}")
        self.ok = bool(ok)

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"Verdict({self.ok})"

    def _ipython_display_(self):
        pass  # the message is the display


def verdict(ok, message):
    """Print "Correct. " or "Not yet. " and the message; return Verdict(ok)."""
    print(("Correct. " if ok else "Not yet. ") + message)
    return Verdict(ok)


def not_done():
    """Print NOT_DONE (the answer is still ... or None); return Verdict(False)."""
    print(NOT_DONE)
    return Verdict(False)


def unanswered(*answers):
    """True when any answer is still the placeholder ... (or None)."""
    return any(a is ... or a is None for a in answers)


def judged(expected, body, *args):
    """body(*args) judges the answer; whatever it did not foresee gets a verdict too."""
    try:
        return body(*args)
    except Exception as err:  # the learner's answer is arbitrary: never a traceback
        return verdict(
            False,
            f"Your answer could not be checked ({type(err).__name__}: {err}); "
            f"expected {expected}.",
        )


def as_whole(value):
    """value as an int if it is an integer (Python or numpy; not bool, not 2.0)."""
    if checks.is_bool(value) or not isinstance(value, numbers.Integral):
        return None
    return int(value)


def as_float_array(value):
    """The learner's array-like as a float numpy array (tensors detached), or None if it
    holds anything but real numbers or is not rectangular."""
    try:
        return checks.float_array("answer", value, finite=False)
    except (TypeError, ValueError):
        return None


def not_callable(fn, signature):
    """The verdict when the learner passed something else than a function."""
    return verdict(
        False,
        f"Pass your function itself, {signature} (its name without "
        f"parentheses), got {type(fn).__name__}.",
    )


# The multiple-choice answers are stored as digests, not letters, so that the handout's
# source does not show them at a glance (a salted sha256 of the normalised letter).
ANSWER_SALT = "rnn-forecasting-course/multiple-choice/v1"


def answer_digest(answer):
    """The stored form of a multiple-choice answer: sha256 of the salt and the letter,
    normalised as a learner's answer is (surrounding blanks dropped, lower case)."""
    text = f"{ANSWER_SALT}:{answer.strip().lower()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def multiple_choice(answer, choices, correct_digest, feedback):
    """Verdict on a one-letter answer; feedback says why each choice is right or wrong.
    correct_digest is answer_digest of the right letter."""
    if unanswered(answer):
        return not_done()
    if not isinstance(answer, str):
        return verdict(
            False, f"Answer with one letter in quotes: {', '.join(choices)}."
        )
    answer = answer.strip().lower()
    if answer in feedback:
        return verdict(answer_digest(answer) == correct_digest, feedback[answer])
    return verdict(False, f"Answer with one letter: {', '.join(choices)}.")


def as_number(answer):
    """The answer as a float, or None if it is not one finite number (a number, numpy
    scalar, tensor or array of one value; not bool, not text)."""
    try:
        raw = checks.as_numbers("answer", answer)
    except (TypeError, ValueError):
        return None
    if raw.size != 1 or raw.dtype.kind == "b":
        return None
    value = float(raw.reshape(-1)[0])
    return value if np.isfinite(value) else None
