"""The student edition (tools/student_edition.py, `make student`): no solution left,
nothing else lost, exercise verdicts cleared; executed, it runs clean and its checks work.

The execution tests take about 50 s of CPU for the five notebooks, so they run only with
RNN_COURSE_STUDENT_RUN=1 (`make test-student`, which CI runs after `make test`).
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SPEC = importlib.util.spec_from_file_location(
    "student_edition", ROOT / "tools" / "student_edition.py"
)
student_edition = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(student_edition)

SOLUTION, EXERCISE = student_edition.SOLUTION_TAG, student_edition.EXERCISE_TAG
RUN = os.environ.get("RNN_COURSE_STUDENT_RUN") == "1"
CELL_TIMEOUT = 120  # seconds, as in benchmarks/notebooks.py
BLANK_VERDICTS = ("Not answered yet", "Not yet. Your function returns None")
MIN_LINE = 12  # shorter solution lines ("</details>", "```python") are checked by the whole-cell test


def tags(cell):
    return cell.metadata.get("tags", [])


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """{name: (original, student)} with the student edition written by the script's command line."""
    out = tmp_path_factory.mktemp("student")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "student_edition.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return {
        p.name: (
            nbformat.read(p, as_version=4),
            nbformat.read(out / p.name, as_version=4),
        )
        for p in NOTEBOOKS
    }


def test_the_script_writes_every_notebook(editions):
    assert sorted(editions) == [p.name for p in NOTEBOOKS] and len(editions) == 6


def test_the_originals_are_tagged_as_the_script_expects():
    # a folded solution without its tag would be handed out; an exercise without its tag keeps a verdict
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        solutions = [c for c in nb.cells if SOLUTION in tags(c)]
        exercises = [c for c in nb.cells if EXERCISE in tags(c)]
        assert len(solutions) == len(exercises) == 3, path.name
        for cell in nb.cells:
            folded = cell.cell_type == "markdown" and "<details>" in cell.source
            assert folded == (SOLUTION in tags(cell)), (path.name, cell.source[:60])
            fill_in = (
                cell.cell_type == "code"
                and "exercises.check_" in cell.source
                and "..." in cell.source
            )
            assert fill_in == (EXERCISE in tags(cell)), (path.name, cell.source[:60])
        # each solution holds the solution only: it starts and ends the folded block
        for cell in solutions:
            assert cell.source.startswith(
                "<details>"
            ) and cell.source.rstrip().endswith("</details>")


def test_no_solution_text_of_any_notebook_is_left(editions):
    solution_cells = [
        c.source
        for orig, _ in editions.values()
        for c in orig.cells
        if SOLUTION in tags(c)
    ]
    taught = "\n".join(
        c.source
        for orig, _ in editions.values()
        for c in orig.cells
        if SOLUTION not in tags(c)
    )
    # lines a solution shares with the teaching text (e.g. an import) may stay; none other
    own_lines = {
        line.strip()
        for src in solution_cells
        for line in src.splitlines()
        if len(line.strip()) >= MIN_LINE and line.strip() not in taught
    }
    assert len(own_lines) > 30  # the check has something to find
    for name, (_, student) in editions.items():
        text = nbformat.writes(student)  # sources, outputs and metadata
        assert "<details>" not in text and "click to reveal" not in text, name
        assert not [src for src in solution_cells if src in text], name
        left = [
            line
            for line in own_lines
            if line in "\n".join(c.source for c in student.cells)
        ]
        assert not left, (name, left)


def test_every_other_cell_is_kept_in_order(editions):
    for name, (orig, student) in editions.items():
        kept = [c for c in orig.cells if SOLUTION not in tags(c)]
        assert [(c.cell_type, c.source) for c in student.cells] == [
            (c.cell_type, c.source) for c in kept
        ], name
        assert [c.metadata for c in student.cells] == [c.metadata for c in kept], name
        for before, after in zip(kept, student.cells):
            if before.cell_type == "code" and EXERCISE not in tags(before):
                # stored figures, tables
                assert after.outputs == before.outputs, (name, before.source[:60])
        assert student.metadata == orig.metadata, name  # kernel, widget state
        # the widgets' saved views are there to keep (06 has no widget)
        if any("_widget(" in c.source for c in orig.cells):
            assert student.metadata.get("widgets"), name


def test_exercise_outputs_are_cleared(editions):
    for name, (orig, student) in editions.items():
        stored = [c for c in orig.cells if EXERCISE in tags(c)]
        # the originals hold a verdict to clear
        assert all(c.outputs for c in stored), name
        cleared = [c for c in student.cells if EXERCISE in tags(c)]
        assert len(cleared) == 3 and all(
            c.outputs == [] and c.execution_count is None for c in cleared
        ), name


def test_the_student_edition_of_a_notebook_node_leaves_the_original_alone(editions):
    orig, student = editions[NOTEBOOKS[0].name]
    before = nbformat.writes(orig)
    again = student_edition.student_notebook(orig)
    assert nbformat.writes(orig) == before
    assert [c.source for c in again.cells] == [c.source for c in student.cells]


# -- executed (RNN_COURSE_STUDENT_RUN=1) ---------------------------------------------------------


def _solution_code(solution_md):
    """The python block of a folded solution, or None when the solution is prose."""
    m = re.search(r"```python\n(.*?)```", solution_md, re.DOTALL)
    return m.group(1) if m else None


def _with_solutions_appended(orig, student):
    """The student notebook with, after each blank exercise, a cell that runs the original's
    solution code (where the solution is code) and then the exercise's own check line."""
    solutions = [c.source for c in orig.cells if SOLUTION in tags(c)]
    cells, solved = [], 0
    exercises = iter(solutions)
    for cell in student.cells:
        cells.append(cell)
        if EXERCISE in tags(cell):
            code = _solution_code(next(exercises))
            if code is not None:
                check = "\n".join(
                    line
                    for line in cell.source.splitlines()
                    if "exercises.check_" in line
                )
                new = nbformat.v4.new_code_cell(code + "\n" + check)
                new.metadata["tags"] = ["solved"]
                cells.append(new)
                solved += 1
    nb = nbformat.from_dict(dict(student))
    nb.cells = cells
    return nb, solved


def _text(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.skipif(
    not RUN,
    reason="executes the student edition (~50 s): set RNN_COURSE_STUDENT_RUN=1 "
    "or run `make test-student`",
)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_student_edition_runs_top_to_bottom_and_its_checks_work(path, tmp_path):
    from nbclient import NotebookClient

    orig = nbformat.read(path, as_version=4)
    student = student_edition.student_notebook(orig)
    nb, solved = _with_solutions_appended(orig, student)
    assert solved >= 1  # every notebook has at least one solution written as code
    # run where the notebooks live, as a learner's copy in student/ would find the same files
    NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()  # raises on any error
    assert not [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    blank = [c for c in nb.cells if EXERCISE in tags(c)]
    stored = [c for c in orig.cells if EXERCISE in tags(c)]
    assert len(blank) == len(stored) == 3
    for cell, before in zip(blank, stored):
        # a blank answer gets a verdict, not a traceback: "Not answered yet" for a value left as ...,
        # "Not yet. Your function returns None" for a function whose body is still ...;
        # the same verdict the original notebook stores for that cell
        verdict = _text(cell)
        assert verdict.startswith(BLANK_VERDICTS), (path.name, cell.source, verdict)
        assert verdict == _text(before), (path.name, cell.source)
    for cell in [c for c in nb.cells if "solved" in tags(c)]:
        assert _text(cell).startswith("Correct."), (path.name, cell.source, _text(cell))
