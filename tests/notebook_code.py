"""Load the from-scratch numpy code that a notebook teaches, so tests check the notebook's own version."""

import json
import pathlib

import numpy as np

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"
# cell tag on the notebook cells that define the numpy forward pass
SCRATCH_TAG = "scratch"


def scratch_namespace(notebook):
    """Execute the cells of `notebook` tagged 'scratch' and return the names they define."""
    nb = json.loads((NOTEBOOKS / notebook).read_text())
    cells = [
        c for c in nb["cells"] if SCRATCH_TAG in c.get("metadata", {}).get("tags", [])
    ]
    if not cells:
        raise LookupError(f"{notebook} has no cell tagged {SCRATCH_TAG!r}")
    ns = {"np": np}
    for cell in cells:
        exec("".join(cell["source"]), ns)
    return ns
