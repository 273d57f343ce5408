"""The core reads like the lecture: short modules and functions, few guard lines.

The figures come from tools/core_metrics.py (python tools/core_metrics.py prints them).
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import core_metrics

MEASURED = {name: core_metrics.measure(name) for name in core_metrics.CORE}


@pytest.mark.parametrize("name", core_metrics.CORE)
def test_module_is_short(name):
    assert MEASURED[name]["code"] <= core_metrics.MAX_MODULE_LINES


@pytest.mark.parametrize("name", core_metrics.CORE)
def test_functions_fit_on_one_screen(name):
    long = {
        fn: n
        for fn, n in MEASURED[name]["bodies"].items()
        if n > core_metrics.MAX_BODY_LINES
    }
    assert not long, f"function bodies over {core_metrics.MAX_BODY_LINES} lines: {long}"


def test_guards_are_a_small_share_of_the_core():
    code = sum(m["code"] for m in MEASURED.values())
    guards = sum(m["guards"] for m in MEASURED.values())
    assert guards / code <= core_metrics.MAX_GUARD_SHARE


def test_the_counter_sees_guards_and_skips_docstrings():
    source = '''
def f(x):
    """A docstring
    over two lines."""
    # a comment
    if x < 0:
        raise ValueError("x must be >= 0")
    y = checks.count("x", x)
    return y
'''
    tree = core_metrics.ast.parse(source)
    code = core_metrics.code_lines(source)
    assert sorted(code) == [2, 6, 7, 8, 9]
    assert sorted(core_metrics.guard_lines(tree) & code) == [6, 7, 8]
