"""The multiple-choice answers are stored as salted digests, not as letters: the source a
student receives (helpers/exercises/) does not show them, and each digest is the digest of
exactly one of its question's choices, the one the check accepts."""

import ast
import pathlib
import re

import pytest

from helpers import exercises
from helpers.exercises.verdicts import answer_digest

EXERCISES = pathlib.Path(exercises.__file__).parent
# (check, its choices, the module that stores its digest)
QUESTIONS = [
    (exercises.check_forget_gate, exercises.FORGET_CHOICES, "cells.py"),
    (exercises.check_memory_gate, exercises.MEMORY_CHOICES, "gradients.py"),
    (exercises.check_leak, exercises.LEAK_CHOICES, "series.py"),
    (exercises.check_exchangeable, exercises.EXCHANGE_CHOICES, "horizons.py"),
]


def stored_calls():
    """Every multiple_choice(...) call in helpers/exercises: {module: [keyword names]}."""
    out = {}
    for path in sorted(EXERCISES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "multiple_choice"
            ):
                out.setdefault(path.name, []).append(
                    {kw.arg: kw.value for kw in node.keywords}
                )
    return out


def test_every_multiple_choice_stores_a_digest_and_no_letter():
    calls = stored_calls()
    assert sorted(calls) == sorted(module for _, _, module in QUESTIONS)
    for module, found in calls.items():
        for keywords in found:
            assert "correct" not in keywords, module
            digest = ast.literal_eval(keywords["correct_digest"])
            assert re.fullmatch(r"[0-9a-f]{64}", digest), module
    for path in EXERCISES.glob("*.py"):
        assert not re.search(r"correct\s*=\s*['\"]", path.read_text()), path.name


@pytest.mark.parametrize(
    "check, choices, module", QUESTIONS, ids=[q[0].__name__ for q in QUESTIONS]
)
def test_the_digest_is_the_one_choice_the_check_accepts(check, choices, module, capsys):
    digests = [ast.literal_eval(kw["correct_digest"]) for kw in stored_calls()[module]]
    right = [letter for letter in choices if answer_digest(letter) in digests]
    assert len(right) == 1, (module, right)
    accepted = [letter for letter in choices if check(letter)]
    assert accepted == right
    # the letter is normalised as a learner types it before its digest is compared
    assert check(f" {right[0].upper()} ")
    capsys.readouterr()


def test_the_feedback_follows_the_choices_order_not_the_right_one_first():
    for _, choices, module in QUESTIONS:
        (keywords,) = stored_calls()[module]
        keys = [ast.literal_eval(k) for k in keywords["feedback"].keys]
        assert keys == list(choices), module


def test_the_digest_is_salted_and_normalised():
    import hashlib

    from helpers.exercises.verdicts import ANSWER_SALT

    assert ANSWER_SALT
    # an unsalted digest of the letter would be found by any sha256 lookup table
    assert answer_digest("b") != hashlib.sha256(b"b").hexdigest()
    assert answer_digest("b") == answer_digest(" B ")
    assert answer_digest("b") != answer_digest("c")
