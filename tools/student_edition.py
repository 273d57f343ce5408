"""Write the student edition of the course: the notebooks without their solutions.

    python tools/student_edition.py [OUT_DIR]      # default: student/ at the repo root

Each notebook in notebooks/ is copied with every cell tagged `solution` removed
(nbconvert's TagRemovePreprocessor) and the outputs of every cell tagged `exercise`
cleared; every other cell, its outputs and the notebook's widget state stay as they are.
Needs nbconvert only, not the course's helpers.
"""

import argparse
import pathlib
import sys

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# A folded solution: removed.
SOLUTION_TAG = "solution"
# A cell the learner fills in: kept, its stored verdict cleared.
EXERCISE_TAG = "exercise"


class ClearExerciseOutputs(Preprocessor):
    """Clear the outputs of cells tagged `exercise`: the stored run shows a verdict the
    learner has not earned yet."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and EXERCISE_TAG in cell.metadata.get("tags", []):
            cell.outputs = []
            cell.execution_count = None
        return cell, resources


def exporter():
    """A notebook-to-notebook exporter with the two steps.  TagRemovePreprocessor is off
    by default for --to notebook, so it is enabled here explicitly."""
    ex = NotebookExporter()
    ex.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True),
        enabled=True,
    )
    ex.register_preprocessor(ClearExerciseOutputs(enabled=True), enabled=True)
    return ex


def student_notebook(nb):
    """The student edition of one notebook (a NotebookNode); nb itself is not changed."""
    body, _ = exporter().from_notebook_node(nb)
    return nbformat.reads(body, as_version=4)


def write_student_edition(out_dir, notebooks=NOTEBOOKS):
    """Write the student edition of each notebook into out_dir; return the paths written."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ex = exporter()
    written = []
    for path in notebooks:
        body, _ = ex.from_filename(str(path))
        target = out_dir / path.name
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "out_dir",
        nargs="?",
        default=str(ROOT / "student"),
        help="where to write (default: student/)",
    )
    args = ap.parse_args(argv)
    for target in write_student_edition(args.out_dir):
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
