"""Autograde the course's exercises with nbgrader, by the course's own check functions.

    python grading/grade.py SUBMISSIONS [--out OUT] [--notebooks 01 02 ...]

SUBMISSIONS holds one folder per student, named by the student, with that student's
filled-in student-edition notebooks anywhere inside it, under their own names
(SUBMISSIONS/alice/01_sine_lag_dataset.ipynb, or nbgrader's own layout
SUBMISSIONS/alice/01_sine_lag_dataset/01_sine_lag_dataset.ipynb). OUT (default:
grades/) receives

    scores.csv        one row per student: points per exercise, total, maximum
    feedback/NAME.md  per student: each exercise's points and the real check's message
    nbgrader/         nbgrader's course folder: gradebook.db, autograded copies

How it works. Each notebook is one nbgrader assignment. Its nbgrader source is made
here, not written by hand: the student edition (tools/student_edition.py) with, after
each exercise cell, a hidden grading cell (an nbgrader autograder test worth the
points in grading/exercises.toml), and every other code cell marked read-only
("locked"). A submission gets the same grading cells, matched by cell id (or, failing
that, by the check its exercise cell calls), and then `nbgrader autograde` runs it in
a clean kernel: it first puts back the source of every grading and locked cell from
its gradebook (what a student changed there is undone), then executes the notebook top
to bottom. A grading cell sets aside the kernel's `helpers` modules, imports
`helpers.exercises` afresh from the installed package, calls the real check with the
arguments of the instructor's exercise cell on what the student's cell defined, and
puts the kernel's modules back; the cell fails (0 points) unless the real check
returns a true Verdict. So a student who redefines a check, or patches
helpers.exercises, is graded by the real check all the same; the grading cell also
names what was changed, and the feedback reports it.

What it cannot stop: code that patches what the real check relies on outside `helpers`
(numpy, torch, builtins) or the class of an object the student hands in. The
feedback's "Changed in the kernel" line and a look at the autograded notebook are the
instructor's guard.
"""

import argparse
import ast
import csv
import dataclasses
import os
import pathlib
import shutil
import sys
import tomllib

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
# tools/student_edition.py makes the student edition the grader starts from
sys.path.insert(0, str(ROOT / "tools"))
import student_edition

SPEC_FILE = ROOT / "grading" / "exercises.toml"
NOTEBOOKS = ROOT / "notebooks"
EXERCISE_TAG = "exercise"
# One cell's time limit in the autograder (nbgrader's default, 30 s, is short for a
# sweep).
CELL_TIMEOUT = 120
# What a grading cell prints when it finds helpers changed in the kernel.
CHANGED = "Changed in the kernel before grading:"


@dataclasses.dataclass(frozen=True)
class Exercise:
    notebook: str
    check: str
    points: float

    @property
    def grade_id(self):
        return f"grade_{self.check}"

    @property
    def column(self):
        return f"{self.notebook[:2]}.{self.check}"


def load_spec(path=SPEC_FILE):
    """The exercises of grading/exercises.toml, in the file's order."""
    with open(path, "rb") as f:
        rows = tomllib.load(f)["exercise"]
    spec = [Exercise(r["notebook"], r["check"], float(r["points"])) for r in rows]
    keys = [(e.notebook, e.check) for e in spec]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path}: an exercise is listed twice")
    return spec


def called_check(cell):
    """The `exercises.CHECK(...)` call of a code cell: (CHECK, its arguments' source),
    or None."""
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "exercises"
        ):
            args = [ast.unparse(a) for a in node.args]
            args += [f"{k.arg}={ast.unparse(k.value)}" for k in node.keywords]
            return node.func.attr, ", ".join(args)
    return None


def exercise_cells(nb):
    """{check name: cell} for the cells tagged `exercise`."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and EXERCISE_TAG in cell.metadata.get("tags", []):
            call = called_check(cell)
            if call is None:
                raise ValueError(f"exercise cell without a check call: {cell.source!r}")
            found[call[0]] = cell
    return found


GRADING_CELL = """\
# Grading cell for `{check}` (grading/grade.py); nbgrader restores it from its db.
# The course's real check, imported afresh, on what the exercise cell above defined.
import sys as _sys


def _grading_{check}():
    def _ours(name):
        return name == "helpers" or name.startswith("helpers.")

    kept = {{n: _sys.modules.pop(n) for n in list(_sys.modules) if _ours(n)}}
    try:
        import helpers.exercises as real

        changed = []
        for name, fresh in list(_sys.modules.items()):
            if not _ours(name) or name not in kept:
                continue
            for attr, obj in vars(fresh).items():
                old = getattr(kept[name], attr, None)
                if not _ours(getattr(obj, "__module__", None) or ""):
                    continue
                if hasattr(obj, "__code__"):
                    same = getattr(old, "__code__", None) == obj.__code__
                elif isinstance(obj, type):
                    same = isinstance(old, type) and (
                        old.__module__,
                        old.__qualname__,
                    ) == (obj.__module__, obj.__qualname__)
                else:
                    continue
                if not same:
                    changed.append(f"{{name}}.{{attr}}")
        if globals().get("exercises") is not kept.get("helpers.exercises"):
            changed.append("the notebook's name `exercises`")
        if changed:
            print("{changed}", ", ".join(changed))
        try:
            verdict = real.{check}({args})
        except NameError as missing:
            print(f"Not yet. {{missing}}: the exercise cell must define it.")
            verdict = None
        return isinstance(verdict, real.Verdict) and verdict.ok is True
    finally:
        for name in [n for n in _sys.modules if _ours(n)]:
            del _sys.modules[name]
        _sys.modules.update(kept)


assert _grading_{check}(), "{check}: the course's check says not yet"
"""


def grading_cell(exercise, args):
    """The nbgrader autograder test cell of one exercise."""
    cell = nbformat.v4.new_code_cell(
        GRADING_CELL.format(check=exercise.check, args=args, changed=CHANGED)
    )
    cell.id = exercise.grade_id
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": exercise.grade_id,
        "locked": True,
        "points": exercise.points,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    return cell


def lock(cell):
    """Mark a teaching code cell read-only: nbgrader's autograde restores its source."""
    cell.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": f"locked_{cell.id}",
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }


def source_notebook(instructor_nb, exercises):
    """The nbgrader source of one notebook: the student edition, its teaching code
    locked, a grading cell after each exercise cell."""
    nb = student_edition.student_notebook(instructor_nb)
    by_check = exercise_cells(nb)
    wanted = {e.check: e for e in exercises}
    if sorted(by_check) != sorted(wanted):
        raise ValueError(
            f"exercises in the notebook {sorted(by_check)} != "
            f"grading/exercises.toml {sorted(wanted)}"
        )
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        if EXERCISE_TAG in cell.metadata.get("tags", []):
            check, args = called_check(cell)
            cells.append(grading_cell(wanted[check], args))
        else:
            lock(cell)
    nb.cells = cells
    return nb


def submission_notebook(submitted, source):
    """The student's notebook with the source's grading cells and locks put in: grading
    cells after the matching exercise cell (same cell id, or else the same check)."""
    nb = nbformat.from_dict(submitted)
    source_ids = {c.id: c for c in source.cells}
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
        src = source_ids.get(cell.get("id"))
        locked = src is not None and "nbgrader" in src.metadata
        if (
            locked
            and cell.cell_type == "code"
            and not src.metadata["nbgrader"]["grade"]
        ):
            cell.metadata["nbgrader"] = dict(src.metadata["nbgrader"])
    # the submission's own copies of grading cells (if any) are dropped, put in anew
    nb.cells = [c for c in nb.cells if not c.get("id", "").startswith("grade_")]
    for i, cell in enumerate(source.cells):
        if not cell.get("id", "").startswith("grade_"):
            continue
        exercise = source.cells[i - 1]
        check = called_check(exercise)[0]
        at = _find(nb, lambda c, want=exercise.id: c.get("id") == want)
        if at is None:
            at = _find(nb, lambda c, want=check: (called_check(c) or ("",))[0] == want)
        if at is None:
            # the exercise cell is gone: grade where it stood (after the cell before it)
            before = {c.id for c in source.cells[: i - 1]}
            ats = [j for j, c in enumerate(nb.cells) if c.get("id") in before]
            at = ats[-1] if ats else len(nb.cells) - 1
        nb.cells.insert(at + 1, nbformat.from_dict(cell))
    return nb


def _find(nb, pred):
    for j, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and pred(cell):
            return j
    return None


def notebooks_for(spec, selected=None):
    """The course notebooks that have graded exercises (optionally only those whose name
    starts with one of `selected`, e.g. ["01", "02"])."""
    names = list(dict.fromkeys(e.notebook for e in spec))
    if selected:
        names = [n for n in names if any(n.startswith(s) for s in selected)]
    return names


def find_submissions(folder, names):
    """{student: {notebook: path}} under folder/<student>/**/<notebook>.ipynb."""
    found = {}
    for student_dir in sorted(p for p in pathlib.Path(folder).iterdir() if p.is_dir()):
        mine = {}
        for name in names:
            hits = sorted(
                p
                for p in student_dir.rglob(f"{name}.ipynb")
                if ".ipynb_checkpoints" not in p.parts
            )
            if hits:
                mine[name] = hits[0]
        found[student_dir.name] = mine
    return found


def nbgrader_api(course):
    """nbgrader's Python API on the course folder (one process for every step)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    # nbgrader runs the `alembic` command of its environment: found without activation
    bin_dir = str(pathlib.Path(sys.executable).parent)
    os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    config = Config()
    config.CourseDirectory.root = str(course)
    config.Execute.timeout = CELL_TIMEOUT
    return NbGraderAPI(config=config)


def _ran(step, result):
    if not result["success"]:
        log, error = result.get("log", ""), result.get("error", "")
        raise RuntimeError(f"nbgrader {step} failed:\n{log}\n{error}")


def _grading_output(cell):
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    errors = [o for o in cell.outputs if o.output_type == "error"]
    if errors and errors[0].ename not in ("AssertionError",):
        text += f"The grading cell failed: {errors[0].ename}: {errors[0].evalue}\n"
    return text.strip()


def grade(submissions, out, selected=None, spec_file=SPEC_FILE):
    """Autograde every student's notebooks; write scores.csv and feedback/; return
    {student: {column: points or None}}."""
    from nbgrader.api import Gradebook

    spec = load_spec(spec_file)
    names = notebooks_for(spec, selected)
    out = pathlib.Path(out).resolve()
    course = out / "nbgrader"
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    api = nbgrader_api(course)
    students = find_submissions(submissions, names)
    sources, failed = {}, {}
    for name in names:
        instructor = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        mine = [e for e in spec if e.notebook == name]
        sources[name] = source_notebook(instructor, mine)
        target = course / "source" / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(sources[name], target)
        _ran(f"generate_assignment {name}", api.generate_assignment(name))
        for student, paths in students.items():
            if name not in paths:
                continue
            # one unreadable or ungradable notebook must not stop the class's grading
            try:
                sub = nbformat.read(paths[name], as_version=4)
                target = course / "submitted" / student / name / f"{name}.ipynb"
                target.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(submission_notebook(sub, sources[name]), target)
                _ran(f"autograde {name} {student}", api.autograde(name, student))
            except (
                OSError,
                ValueError,
                KeyError,
                AttributeError,
                RuntimeError,
                nbformat.ValidationError,
            ) as err:
                failed[student, name] = f"could not be graded ({err})".strip()
                print(f"{student}/{name}: {failed[student, name]}", file=sys.stderr)

    scores, notes = {}, {}
    db = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db) as gb:
        for student, paths in students.items():
            scores[student], notes[student] = {}, {}
            for name in names:
                for e in [e for e in spec if e.notebook == name]:
                    if name not in paths or (student, name) in failed:
                        scores[student][e.column] = 0.0
                        notes[student][e.column] = failed.get(
                            (student, name), "notebook not submitted"
                        )
                        continue
                    g = gb.find_grade(e.grade_id, name, name, student)
                    scores[student][e.column] = float(g.score)
                graded = course / "autograded" / student / name / f"{name}.ipynb"
                if name in paths and (student, name) not in failed:
                    done = nbformat.read(graded, as_version=4)
                    for cell in done.cells:
                        if cell.get("id", "").startswith("grade_"):
                            col = f"{name[:2]}.{cell.id.removeprefix('grade_')}"
                            notes[student][col] = _grading_output(cell)
    write_report(out, spec, names, scores, notes)
    return scores


def write_report(out, spec, names, scores, notes):
    exercises = [e for e in spec if e.notebook in names]
    maximum = sum(e.points for e in exercises)
    with open(out / "scores.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", *[e.column for e in exercises], "total", "max"])
        for student, mine in scores.items():
            total = sum(mine.values())
            w.writerow(
                [student, *[_num(mine[e.column]) for e in exercises]]
                + [_num(total), _num(maximum)]
            )
    fb = out / "feedback"
    fb.mkdir(exist_ok=True)
    for student, mine in scores.items():
        lines = [
            f"# Feedback for {student}",
            "",
            f"Total: {_num(sum(mine.values()))} / {_num(maximum)} points.",
        ]
        for name in names:
            mine_nb = [e for e in exercises if e.notebook == name]
            got = sum(mine[e.column] for e in mine_nb)
            worth = sum(e.points for e in mine_nb)
            lines += ["", f"## {name}: {_num(got)} / {_num(worth)}", ""]
            for k, e in enumerate(mine_nb, 1):
                note = _feedback(notes[student].get(e.column, ""))
                lines.append(
                    f"- Exercise {k}, `{e.check}`: "
                    f"{_num(mine[e.column])} / {_num(e.points)}. {note}"
                )
        (fb / f"{student}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _feedback(output):
    """A grading cell's output on one line: the check's message, then what changed."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    changed = [ln.rstrip(".") for ln in lines if ln.startswith(CHANGED)]
    text = " ".join(ln for ln in lines if not ln.startswith(CHANGED)) or "(no message)"
    if changed:
        text += f" ({changed[0]}; graded by the course's own check.)"
    return text


def _num(x):
    return f"{x:g}"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("submissions", help="one folder per student")
    ap.add_argument("--out", default=str(ROOT / "grades"), help="default: grades/")
    ap.add_argument(
        "--notebooks",
        nargs="*",
        help="grade only these notebooks (name prefixes, e.g. 01 02); default: all",
    )
    args = ap.parse_args(argv)
    scores = grade(args.submissions, args.out, args.notebooks)
    out = pathlib.Path(args.out)
    print(f"graded {len(scores)} students: {out / 'scores.csv'}, {out / 'feedback'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
