"""No black boxes: every function of the core a notebook calls is shown before its use.

The core is the modules tools/core_metrics.py lists (helpers.data, series, models,
train, baselines, gradients, horizons, intervals), and the experiments a notebook runs
(helpers.experiments) count too.  For each
notebook, in teaching order, every call of a core function (and every model built from
RNN or LSTM, whose methods do the work) must come after a `show(...)` of it in that
notebook or an earlier one, and each stored `show` output must be the helper's
current source.
"""

import ast
import importlib
import inspect
import json
from pathlib import Path

import core_metrics
import pytest

from helpers.show import source_of

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# the core modules students read (tools/core_metrics.py), and the experiments they call
CORE = (*core_metrics.CORE, "experiments")
# what a call needs shown, where the work is not (only) in the function called: a
# model's work is in its methods; an experiment's in its cached worker
METHODS = {
    "RNN": ("uniform_init", "RNN.__init__", "RNN.step", "RNN.states", "RNN.forward"),
    "LSTM": (
        "LSTM.__init__",
        "LSTM.step",
        "LSTM.states",
        "LSTM.forward",
        "LSTM.fused_h_L",
    ),
    "train_on_recall": ("train_on_recall", "recall_run"),
    "series_task": ("series_task", "build_series_task", "SeriesTask"),
    "free_run_errors": ("free_run_errors", "free_run"),
}
# fit with a validation set stops early: its machinery must be shown too
EARLY_STOPPING = ("EarlyStopping", "FitHistory")


def code_cells(path):
    """(index, parsed module) of each code cell; magics blanked."""
    cells = json.loads(path.read_text())["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        lines = "".join(cell["source"]).splitlines()
        source = "\n".join("" if ln.lstrip()[:1] in "%!" else ln for ln in lines)
        yield i, cell, ast.parse(source)


def dotted(node):
    """'name' or 'Class.method' for a Name or Attribute node, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def core_callables(names):
    """Which imported names are functions or classes of the core modules."""
    found = set()
    for module, name in names:
        obj = getattr(importlib.import_module(f"helpers.{module}"), name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            found.add(name)
    return found


def unshown_uses():
    """[(notebook, cell index, name)] of each core call before its show."""
    shown, missing = set(), []
    for path in NOTEBOOKS:
        core = set()
        for i, _, tree in code_cells(path):
            events = []
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    parts = node.module.split(".")
                    if parts[0] == "helpers" and parts[-1] in CORE:
                        pairs = [(parts[-1], a.name) for a in node.names]
                        core |= core_callables(pairs)
                if isinstance(node, ast.Call):
                    name = dotted(node.func)
                    if name == "show":
                        events.append((node.lineno, "show", node.args))
                    elif name in core:
                        events.append((node.lineno, "use", name))
                    if name == "fit" and any(k.arg == "X_val" for k in node.keywords):
                        events.append((node.lineno, "use", "fit(X_val=...)"))
            for _, kind, what in sorted(events, key=lambda e: (e[0], e[1] != "show")):
                if kind == "show":
                    for arg in what:
                        shown.add(dotted(arg))
                        shown.update(METHODS.get(dotted(arg), ()))
                    continue
                needed = METHODS.get(what, (what,))
                if what == "fit(X_val=...)":
                    needed = EARLY_STOPPING
                missing += [(path.name, i, n) for n in needed if n not in shown]
                # report each missing name once, at its first use
                shown.update(needed)
    return missing


def test_every_core_function_is_shown_before_its_first_use():
    assert unshown_uses() == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_show_outputs_are_the_current_source(path):
    namespace = {}
    for _, cell, tree in code_cells(path):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "helpers"
            ):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    namespace[alias.asname or alias.name] = getattr(
                        module, alias.name, None
                    )
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and dotted(n.func) == "show"
        ]
        if not calls:
            continue
        stored = [
            "".join(o["data"]["text/markdown"])
            for o in cell["outputs"]
            if "text/markdown" in o.get("data", {})
        ]
        for call in calls:
            for arg in call.args:
                name, source = source_of(eval(ast.unparse(arg), namespace))
                assert any(f"```python\n{source}```" in s for s in stored), (
                    f"{path.name}: the stored output of show({ast.unparse(arg)}) is "
                    f"not the current source of {name}: run `make notebooks`"
                )


def test_the_rule_sees_a_missing_show(tmp_path, monkeypatch):
    cells = [
        {"cell_type": "code", "source": "from helpers.train import fit, predict\n"},
        {"cell_type": "code", "source": "show(fit)\nfit(m, X, Y)\npredict(m, X)\n"},
    ]
    for c in cells:
        c.update(metadata={}, outputs=[], execution_count=None)
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps({"cells": cells}))
    monkeypatch.setattr(__import__(__name__), "NOTEBOOKS", [path])
    assert unshown_uses() == [("01_x.ipynb", 1, "predict")]
