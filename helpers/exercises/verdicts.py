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
        # the message is the display
        pass


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
    # the learner's answer is arbitrary: never a traceback
    except Exception as err:
        return verdict(
            False,
            f"Your answer could not be checked ({type(err).__name__}: {err}); "
            f"expected {expected}.",
        )


def as_whole(value):
    """value as an int if it is a whole number in any form a person types: a Python or
    numpy integer, an integral float (63.0), a 0-d array or tensor holding one (not
    bool, not text, not 2.5)."""
    if checks.is_bool(value) or isinstance(value, (str, bytes)):
        return None
    # one number in a list, tuple or one-entry array: that number
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return as_whole(value[0])
    if getattr(value, "shape", None) in ((1,), (1, 1)):
        return as_whole(value.reshape(()) if hasattr(value, "reshape") else None)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        v = float(value)
        return int(v) if np.isfinite(v) and v.is_integer() else None
    if getattr(value, "ndim", None) == 0 or getattr(value, "shape", None) == ():
        try:
            raw = checks.as_numbers("answer", value)
        except (TypeError, ValueError):
            return None
        if raw.dtype.kind == "b":
            return None
        return as_whole(raw.reshape(-1)[0].item())
    return None


def as_whole_sequence(value):
    """A tuple of ints from a list, tuple, 1-d array or tensor of whole numbers
    (integral floats too), or None (text, dicts, sets, nested or fractional entries)."""
    if isinstance(value, (str, bytes, dict, set)) or not hasattr(value, "__len__"):
        return None
    if getattr(value, "ndim", 1) != 1:
        return None
    try:
        items = list(value)
    except TypeError:
        return None
    dims = [as_whole(d) for d in items]
    return None if any(d is None for d in dims) else tuple(dims)


# Wrong attempts per check (and its arguments) in this kernel: the first wrong answer
# gets a hint of where to look; a repeated one also gets the formula.
_wrong_attempts = {}


def reset_attempts():
    """Forget every wrong attempt (a fresh kernel, or a test)."""
    _wrong_attempts.clear()


def wrong_attempt(key):
    """Count one more wrong attempt at check `key`; return how many so far (1, 2, ...)."""
    _wrong_attempts[key] = _wrong_attempts.get(key, 0) + 1
    return _wrong_attempts[key]


def escalate(key, where, formula):
    """The hint for a wrong answer of check `key`: `where` to look on the first wrong
    attempt, and the `formula` too from the second on."""
    if wrong_attempt(key) <= 1:
        return where
    return f"{where} {formula}"


SIG_DIGITS = 3


def within_digits(value, expected, digits=SIG_DIGITS):
    """True when value agrees with expected to `digits` significant digits (rounding
    either way: 0.107 and 0.1074 both for 0.10737)."""
    if expected == 0:
        return abs(value) < 10.0 ** (-digits)
    unit = 10.0 ** (np.floor(np.log10(abs(expected))) - digits + 1)
    return abs(value - expected) <= 0.5 * unit * (1 + 1e-9) + 1e-12 * abs(expected)


def close_but_rounded(value, expected):
    """True when value is expected rounded or cut to fewer significant digits than
    asked (0.1 or 0.11 for 0.1074), or off by at most 1.5 in the last asked digit
    (0.108): a rounding slip, not a wrong method."""
    if within_digits(value, expected) or expected == 0:
        return False
    magnitude = np.floor(np.log10(abs(expected)))
    for digits in range(1, SIG_DIGITS + 1):
        unit = 10.0 ** (magnitude - digits + 1)
        rounded = np.round(expected / unit) * unit
        cut = np.trunc(expected / unit) * unit
        if digits < SIG_DIGITS and min(abs(value - rounded), abs(value - cut)) < 1e-9:
            return True
    return abs(value - expected) <= 1.5 * unit


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
    # one answer in a list or tuple is that answer
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]
    if not isinstance(answer, str):
        return verdict(
            False, f"Answer with one letter in quotes: {', '.join(choices)}."
        )
    answer = choice_letter(answer, choices)
    if answer in feedback:
        return verdict(answer_digest(answer) == correct_digest, feedback[answer])
    return verdict(False, f"Answer with one letter: {', '.join(choices)}.")


def choice_letter(answer, choices):
    """The letter a typed answer means: "b", " B ", "(b)", "b)", or a choice's own
    words ("forget gate", "forget") or its symbol with a step ("f_k")."""
    text = answer.strip().lower()
    # "option b", "answer: b", "choice (b)": the letter after the word
    for word in ("option", "answer", "choice"):
        text = text.removeprefix(word).strip()
    text = text.strip("()[]{}.:,;'\"` ").strip()
    if text in choices:
        return text
    for letter, words in choices.items():
        words = words.lower()
        if len(text) >= 3 and (text == words or text == words.split()[0]):
            return letter
    return text.split("_")[0] if "_" in text else text


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
