"""How the core reads: module sizes, function lengths and the share of argument guards.

    python tools/core_metrics.py

The core is what a student opens: helpers/{data,series,models,train,baselines,
gradients,horizons,intervals}.py.  Counted over code lines (not blank, not comment-only, not docstrings):
- a module's code lines (goal: at most MAX_MODULE_LINES);
- each function's body lines (goal: at most MAX_BODY_LINES);
- guard lines: a call into helpers.checks, and every line of an `if ...: raise ...`
  block that refuses input or a diverged model (not fit's Stop, which ends training) (goal: at most MAX_GUARD_SHARE of the core's code lines).
"""

import ast
import io
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = (
    "data",
    "series",
    "models",
    "train",
    "baselines",
    "gradients",
    "horizons",
    "intervals",
)
MAX_MODULE_LINES = 250
MAX_BODY_LINES = 40
MAX_GUARD_SHARE = 0.15


def code_lines(source):
    """The set of line numbers holding code: no blank lines, comments or docstrings."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            lines.update(range(tok.start[0], tok.end[0] + 1))
    return lines - docstrings


def is_refusal(statement):
    """A raise that refuses input or a diverged model; not the Stop of training."""
    if not isinstance(statement, ast.Raise) or statement.exc is None:
        return False
    exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
    return getattr(exc, "id", None) != "Stop"


def guard_lines(tree):
    """Line numbers of checks.* calls and of `if ...: raise` blocks."""
    guards = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "checks"
        ):
            guards.update(range(node.lineno, node.end_lineno + 1))
        if isinstance(node, ast.If) and any(is_refusal(s) for s in node.body):
            guards.update(range(node.lineno, node.end_lineno + 1))
    return guards


def measure(name):
    """A dict of one core module's figures."""
    source = (ROOT / "helpers" / f"{name}.py").read_text()
    tree = ast.parse(source)
    code = code_lines(source)
    bodies = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0].lineno
            bodies[node.name] = len({n for n in code if first <= n <= node.end_lineno})
    return {
        "code": len(code),
        "guards": len(guard_lines(tree) & code),
        "bodies": bodies,
    }


def main():
    total = guards = 0
    print(f"{'module':<12}{'code lines':>11}{'guards':>8}  longest function body")
    for name in CORE:
        m = measure(name)
        total, guards = total + m["code"], guards + m["guards"]
        longest = max(m["bodies"].items(), key=lambda kv: kv[1], default=("-", 0))
        print(f"{name:<12}{m['code']:>11}{m['guards']:>8}  {longest[0]} ({longest[1]})")
    print(
        f"{'core':<12}{total:>11}{guards:>8}  guards {guards / total:.1%} of code lines"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
