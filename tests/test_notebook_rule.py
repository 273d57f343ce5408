"""The portable-outputs rule (README, "Which outputs are compared"), checked on every notebook:
an output nbval does not compare is a widget's or is followed by checked claims."""

import json
import pathlib

import pytest

from helpers.claims import MARK

NOTEBOOKS = sorted(
    (pathlib.Path(__file__).resolve().parents[1] / "notebooks").glob(
        "[0-9][0-9]_*.ipynb"
    )
)
IGNORE = "nbval-ignore-output"


def code_cells(path):
    nb = json.loads(path.read_text())
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_ignored_cell_is_a_widget_or_is_followed_by_claims(path):
    cells = code_cells(path)
    for index, cell in enumerate(cells):
        if IGNORE not in cell.get("metadata", {}).get("tags", []):
            continue
        if "_widget(" in source(cell):
            continue
        # a claim cell may follow a second printing cell
        following = cells[index + 1 : index + 3]
        assert any("claim(" in source(c) for c in following), (
            f"{path.name}: an ignored cell has no claims after it:\n{source(cell)[:300]}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_claim_cells_are_compared_and_print_only_checked_statements(path):
    claim_cells = [c for c in code_cells(path) if "claim(" in source(c)]
    for cell in claim_cells:
        assert IGNORE not in cell.get("metadata", {}).get("tags", []), source(cell)[
            :200
        ]
        text = "".join("".join(o.get("text", "")) for o in cell["outputs"])
        lines = text.splitlines()
        assert lines and all(line.startswith(MARK + " ") for line in lines), (
            f"{path.name}: a claim cell's stored output is not only checked claims: {text[:300]}"
        )
        assert len(lines) == source(cell).count("claim("), source(cell)[:200]


def test_every_notebook_that_trains_checks_claims():
    for path in NOTEBOOKS:
        trains = any(
            "fit(" in source(c) or "train_on_" in source(c) for c in code_cells(path)
        )
        claims = any("claim(" in source(c) for c in code_cells(path))
        assert claims or not trains, f"{path.name} trains but checks no claim"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_claim_cells_are_collapsed_so_the_projector_shows_teaching_code(path):
    # JupyterLab shows a hidden source as one line and keeps the ✓ output visible
    for cell in code_cells(path):
        if "claim(" in source(cell) and "from helpers" not in source(cell):
            hidden = cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")
            assert hidden is True, f"{path.name}: {source(cell)[:120]}"
