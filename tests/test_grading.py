"""Grading (grading/grade.py, `make grade`): nbgrader autogrades submitted student notebooks by
the course's real checks.

The fast tests build the nbgrader notebooks without running them. The end-to-end test makes
three submissions at test time from the student edition (all right, on all five notebooks;
partly right and tampered, on notebooks 01 and 02), grades them with nbgrader in clean kernels
and checks the scores and the feedback. It takes about 90 s of CPU, so it runs only with
RNN_COURSE_GRADE_RUN=1 (`make test-grade`, which needs requirements-grade.txt).
"""

import csv
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


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


grade = _load("grade", ROOT / "grading" / "grade.py")
student_edition = _load("student_edition", ROOT / "tools" / "student_edition.py")
RUN = os.environ.get("RNN_COURSE_GRADE_RUN") == "1"
SPEC = grade.load_spec()

# Solutions the instructor edition writes as prose, as code a student would type (each value
# is quoted from the solution's text: test_prose_answers_are_the_solutions_own checks it).
PROSE_ANSWERS = {
    ("01", "check_shapes"): ("X_shape = (4, 46, 2)\nY_shape = (46, 2)", ["(4, 46, 2)"]),
    ("01", "check_window"): (
        "window = [10, 11, 12]\ntarget = 13",
        ["[10, 11, 12]", "13"],
    ),
    ("02", "check_param_count"): ("n_params = 63", ["63"]),
    ("03", "check_forget_gate"): ('answer = "b"', ["(b)"]),
    ("03", "check_param_count"): ("n_params = 80", ["80"]),
    ("04", "check_vanishing_bound"): ("fraction = 0.8**10", ["0.8^{10}"]),
    ("04", "check_memory_gate"): ('gate = "f"', ['`"f"`']),
    ("05", "check_leak"): ('answer = "b"', ['`"b"`']),
    ("06", "check_exchangeable"): ('answer = "c"', ['`"c"`']),
}


def tags(cell):
    return cell.metadata.get("tags", [])


def solutions(nb):
    """{check: solution markdown} for one instructor notebook."""
    cells = nb.cells
    return {
        grade.called_check(cells[i])[0]: cells[i + 1].source
        for i, c in enumerate(cells)
        if "exercise" in tags(c)
    }


def solution_code(nb_name, check, solution_md):
    m = re.search(r"```python\n(.*?)```", solution_md, re.DOTALL)
    if m:
        return m.group(1)
    return PROSE_ANSWERS[(nb_name[:2], check)][0]


def check_lines(cell):
    return "\n".join(ln for ln in cell.source.splitlines() if "exercises.check_" in ln)


def fill(student_nb, answers):
    """The student notebook with each exercise cell named in answers ({check: code}) replaced
    by that code followed by the cell's own check call, as a learner fills it in."""
    nb = nbformat.from_dict(student_nb)
    for cell in nb.cells:
        if "exercise" in tags(cell):
            check = grade.called_check(cell)[0]
            if check in answers:
                cell.source = answers[check] + "\n\n" + check_lines(cell)
    return nb


# -- fast: the spec and the notebooks nbgrader receives ---------------------------------------


def test_the_spec_lists_every_exercise_of_every_notebook_once():
    listed = sorted((e.notebook, e.check) for e in SPEC)
    found = sorted(
        (p.stem, check)
        for p in NOTEBOOKS
        for check in grade.exercise_cells(nbformat.read(p, as_version=4))
    )
    assert listed == found and len(found) == 18
    assert all(e.points > 0 for e in SPEC)


def test_the_source_has_a_grading_cell_after_each_exercise_and_locks_the_teaching_code():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        mine = [e for e in SPEC if e.notebook == path.stem]
        src = grade.source_notebook(nb, mine)
        student = student_edition.student_notebook(nb)
        graders = [c for c in src.cells if c.id.startswith("grade_")]
        assert [c.id for c in graders] == [f"grade_{e.check}" for e in mine]
        # the student edition, cell for cell, with the grading cells in between
        assert [c.source for c in src.cells if not c.id.startswith("grade_")] == [
            c.source for c in student.cells
        ]
        for i, cell in enumerate(src.cells):
            meta = cell.metadata.get("nbgrader")
            if cell.id.startswith("grade_"):
                exercise = src.cells[i - 1]
                assert "exercise" in tags(exercise)
                assert meta["grade"] and meta["locked"]
                assert (
                    meta["points"]
                    == {e.check: e.points for e in mine}[
                        grade.called_check(exercise)[0]
                    ]
                )
                # the instructor's call, with the real check
                args = grade.called_check(exercise)[1]
                assert f"real.{cell.id[6:]}({args})" in cell.source
                compile(cell.source, cell.id, "exec")
            elif cell.cell_type == "code" and "exercise" not in tags(cell):
                assert meta["locked"] and not meta["grade"], cell.source[:60]
            else:
                assert meta is None


def test_a_submission_gets_the_grading_cells_by_cell_id_or_by_its_check():
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    mine = [e for e in SPEC if e.notebook == NOTEBOOKS[0].stem]
    src = grade.source_notebook(nb, mine)
    sub = student_edition.student_notebook(nb)
    exercises = [c for c in sub.cells if "exercise" in tags(c)]
    # a recreated cell (new id) is found by its check call
    exercises[1].id = "recreated"
    # a forged grading cell is dropped, and a cell the student added is kept
    forged = nbformat.v4.new_code_cell("assert True")
    forged.id = "grade_check_window"
    mine_cell = nbformat.v4.new_code_cell("print('scratch')")
    sub.cells.insert(3, forged)
    sub.cells.insert(3, mine_cell)
    out = grade.submission_notebook(sub, src)
    ids = [c.get("id") for c in out.cells]
    for e in mine:
        at = ids.index(f"grade_{e.check}")
        assert grade.called_check(out.cells[at - 1])[0] == e.check
        assert (
            out.cells[at].source
            == next(c for c in src.cells if c.id == e.grade_id).source
        )
    assert ids.count("grade_check_window") == 1 and mine_cell.id in ids
    assert "assert True" not in [c.source for c in out.cells]


def test_prose_answers_are_the_solutions_own():
    by_nb = {p.stem[:2]: solutions(nbformat.read(p, as_version=4)) for p in NOTEBOOKS}
    for (nb, check), (_, quoted) in PROSE_ANSWERS.items():
        text = by_nb[nb][check]
        assert "```python" not in text, (nb, check)
        for q in quoted:
            assert q in text, (nb, check, q)


# -- end to end: three submissions graded by nbgrader (RNN_COURSE_GRADE_RUN=1) -----------------

PARTIAL = {
    "01_sine_lag_dataset": {
        "check_shapes": PROSE_ANSWERS[("01", "check_shapes")][0],
        # newest first: the check says not yet
        "check_window": "window = [12, 11, 10]\ntarget = 13",
        "check_lag_function": (
            "def my_lag_dataset(series, lags):\n"
            "    y = np.asarray(series, dtype=float).reshape(len(series), -1)\n"
            "    N = len(y) - lags\n"
            "    X = np.stack([y[lags - k - 1 : lags - k - 1 + N] for k in range(lags)])\n"
            "    return X, y[lags:]"
        ),
    },
    "02_vanilla_rnn": {
        "check_param_count": "n_params = 63",
        "check_rnn_step": (
            "def my_rnn_step(h, x, U, W, b):\n    return np.tanh(h @ W + x @ U + b)"
        ),
        # check_sine_model left blank
    },
}
PARTIAL_SCORES = {
    "01.check_shapes": 1,
    "01.check_window": 0,
    "01.check_lag_function": 0,
    "02.check_param_count": 1,
    "02.check_rnn_step": 2,
    "02.check_sine_model": 0,
}

FAKE = "lambda *a, **k: (print('Correct. Well done.'), True)[1]"
TAMPERED = {
    "01_sine_lag_dataset": {
        # patches the package's name, then answers wrongly
        "check_shapes": f"exercises.check_shapes = {FAKE}\nX_shape = (46, 4, 2)\nY_shape = (46, 2)",
        # its own `exercises`
        "check_window": (
            "class exercises:\n"
            f"    check_window = staticmethod({FAKE})\n"
            "window = [12, 11, 10]\ntarget = 10"
        ),
        # patches the verdict the real module prints and returns
        "check_lag_function": (
            "import helpers.exercises.lags as lags_module\n"
            "from helpers import exercises\n"
            "lags_module.verdict = lambda ok, message: (\n"
            "    print('Correct. ' + message), exercises.Verdict(True)\n"
            ")[1]\n"
            "def my_lag_dataset(series, lags):\n    return None, None"
        ),
    },
    "02_vanilla_rnn": {
        "check_param_count": "n_params = 60",
        "check_rnn_step": "def my_rnn_step(h, x, U, W, b):\n    return np.tanh(x @ U + b)",
    },
}
# 02's tampering is in cells of its own: a new cell, and a teaching cell (locked: nbgrader puts
# its source back, so that patch never runs)
NEW_CELL = (
    "import helpers.exercises as ex\n"
    f"ex.check_param_count = ex.check_rnn_step = {FAKE}\n"
)
LOCKED_PATCH = f"\nexercises.check_sine_model = {FAKE}\n"


def make_submissions(folder):
    editions = {
        p.stem: (
            nbformat.read(p, as_version=4),
            student_edition.student_notebook(nbformat.read(p, as_version=4)),
        )
        for p in NOTEBOOKS
    }
    for name, (orig, student) in editions.items():
        right = {
            check: solution_code(name, check, md)
            for check, md in solutions(orig).items()
        }
        nbformat.write(fill(student, right), _target(folder, "right", name))
    for name, answers in PARTIAL.items():
        nbformat.write(
            fill(editions[name][1], answers), _target(folder, "partial", name)
        )
    for name, answers in TAMPERED.items():
        nb = fill(editions[name][1], answers)
        if name.startswith("02"):
            imports = next(
                c for c in nb.cells if "from helpers import exercises" in c.source
            )
            imports.source += LOCKED_PATCH
            at = nb.cells.index(imports)
            nb.cells.insert(at + 1, nbformat.v4.new_code_cell(NEW_CELL))
        nbformat.write(nb, _target(folder, "tampered", name))
    # a file that is not a notebook: graded 0, the others still graded
    _target(folder, "broken", "01_sine_lag_dataset").write_text("not a notebook")


def _target(folder, student, name):
    path = folder / student / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("grading")
    make_submissions(folder / "submitted")
    out = folder / "grades"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "grading" / "grade.py"),
            str(folder / "submitted"),
            "--out",
            str(out),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    with open(out / "scores.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return out, rows


needs_run = pytest.mark.skipif(
    not RUN,
    reason="grades three submissions with nbgrader (~90 s): set RNN_COURSE_GRADE_RUN=1 "
    "or run `make test-grade`",
)


def _autograded(out, student, name):
    return nbformat.read(
        out / "nbgrader" / "autograded" / student / name / f"{name}.ipynb", as_version=4
    )


def _text(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@needs_run
def test_all_right_scores_full_marks_on_every_notebook(graded):
    out, rows = graded
    row = rows["right"]
    for e in SPEC:
        assert float(row[e.column]) == e.points, (e.column, row)
    assert float(row["total"]) == float(row["max"]) == sum(e.points for e in SPEC) == 25
    feedback = (out / "feedback" / "right.md").read_text()
    assert (
        feedback.count(". Correct.") == 18 and "Changed in the kernel" not in feedback
    )


@needs_run
def test_partly_right_scores_what_is_right(graded):
    out, rows = graded
    row = rows["partial"]
    for column, points in PARTIAL_SCORES.items():
        assert float(row[column]) == points, (column, row)
    # notebooks 03-05 were not handed in
    assert float(row["total"]) == 4
    feedback = (out / "feedback" / "partial.md").read_text()
    assert "## 01_sine_lag_dataset: 1 / 4" in feedback
    assert "## 02_vanilla_rnn: 3 / 5" in feedback
    assert (
        "## 03_lstm_gates: 0 / 4" in feedback and "notebook not submitted" in feedback
    )
    # the real check's own message, for the learner
    assert "`check_sine_model`: 0 / 2. Not answered yet" in feedback


@needs_run
def test_tampered_checks_do_not_score_and_are_reported(graded):
    out, rows = graded
    row = rows["tampered"]
    for column in PARTIAL_SCORES:
        assert float(row[column]) == 0, (column, row)
    assert float(row["total"]) == 0
    # in the autograded kernel the student's own calls did print "Correct." (the tampering
    # worked there), except the patch in a teaching cell, whose source nbgrader put back
    for name, checks in [
        ("01_sine_lag_dataset", ["check_shapes", "check_window", "check_lag_function"]),
        ("02_vanilla_rnn", ["check_param_count", "check_rnn_step"]),
    ]:
        nb = _autograded(out, "tampered", name)
        for check in checks:
            cell = next(
                c for c in nb.cells if "exercise" in tags(c) and check in c.source
            )
            assert _text(cell).startswith("Correct."), (check, _text(cell))
    nb = _autograded(out, "tampered", "02_vanilla_rnn")
    assert not [c for c in nb.cells if LOCKED_PATCH.strip() in c.source]
    sine = next(
        c for c in nb.cells if "exercise" in tags(c) and "sine_model" in c.source
    )
    assert _text(sine).startswith("Not answered yet")
    feedback = (out / "feedback" / "tampered.md").read_text()
    assert (
        "Changed in the kernel before grading: helpers.exercises.check_shapes"
        in feedback
    )
    assert "the notebook's name `exercises`" in feedback
    assert "helpers.exercises.lags.verdict" in feedback
    assert "helpers.exercises.check_param_count" in feedback
    assert "Correct." not in feedback


@needs_run
def test_a_broken_notebook_scores_zero_without_stopping_the_others(graded):
    out, rows = graded
    assert set(rows) == {"right", "partial", "tampered", "broken"}
    assert float(rows["broken"]["total"]) == 0
    feedback = (out / "feedback" / "broken.md").read_text()
    assert (
        "01_sine_lag_dataset: 0 / 4" in feedback and "could not be graded" in feedback
    )
