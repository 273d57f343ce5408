"""Checked claims: what a training cell must show, on any machine.

A training run's digits differ from one CPU to the next (the order of floating-point
operations differs between torch's code paths), so the notebooks do not byte-compare
them.  A training cell prints its real numbers and is left out of the comparison; the
cell after it states, with `claim`, each thing the text says about those numbers, with a
tolerance that would fail if the statement were false.  `claim` prints only the
statement, so its line reads the same on every machine exactly when the claim holds,
and the comparison of stored outputs covers it.

    claim("the test MSE is below 1e-5", test_mse < 1e-5, test_mse=test_mse)
    ✓ the test MSE is below 1e-5
"""

import numbers

import numpy as np

# the check mark printed before a claim that holds
MARK = "\u2713"


class ClaimFailed(AssertionError):
    """A claim the notebook's text makes about a computed result does not hold."""


def _shown(value):
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return f"{float(value):.4g}"
    return repr(value)


def claim(statement, holds, **values):
    """Print "✓ statement" if `holds` is true; otherwise raise ClaimFailed with `values`.

    statement: the sentence the text relies on, e.g. "the test MSE is below 1e-5".
    holds: a bool (Python or numpy, or a 0-d bool array or tensor), the condition that
    makes the statement true.
    values: the numbers the condition was computed from, named; shown only on failure
    (they vary in the last digits between machines, so a passing claim never prints them).
    """
    if not isinstance(statement, str) or not statement.strip():
        raise TypeError(f"statement must be a non-empty string, got {statement!r}")
    # a 0-d bool array or tensor, e.g. a comparison of tensors
    dtype = str(getattr(holds, "dtype", ""))
    if getattr(holds, "shape", None) == () and dtype in ("bool", "torch.bool"):
        holds = bool(holds)
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(
            "holds must be a bool, the condition that makes the statement true "
            f"(e.g. mse < 1e-5), got {type(holds).__name__}"
        )
    if not holds:
        shown = ", ".join(f"{name} = {_shown(v)}" for name, v in values.items())
        raise ClaimFailed(
            f"the claim '{statement}' does not hold" + (f": {shown}" if shown else "")
        )
    print(f"{MARK} {statement}")
