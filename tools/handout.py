"""Build what a student receives: handout/rnn-course/ and handout/rnn-course.zip.

    python tools/handout.py [OUT_DIR]      # default: handout/ at the repo root (make handout)

The folder holds, and the zip holds the same under one top folder rnn-course/:

    INSTALL.md            one page: install with pip (any OS), open the course
    requirements.txt      the course's pins (those of requirements.txt), then `.` (helpers)
    pyproject.toml        just enough to `pip install .` the helpers package
    helpers/              the package the notebooks import (source, no caches)
    notebooks/            the student edition (tools/student_edition.py: no solutions,
                          the exercises' stored verdicts cleared)
    GLOSSARY.md           the notation
    LICENSE, LICENSE-CC-BY-4.0.txt

Nothing else: no tests, no INSTRUCTOR.md, no solutions. The multiple-choice answers in
helpers/exercises are stored as salted digests, never as letters.
tools/publish_student_branch.py commits the same content to a `student` branch.
"""

import argparse
import pathlib
import shutil
import sys
import tomllib
import zipfile

# a sibling script: tools/ is on the path when this one runs (and in the tests)
import student_edition

ROOT = pathlib.Path(__file__).resolve().parents[1]
NAME = "rnn-course"
INSTALL_NOTE = ROOT / "tools" / "handout_INSTALL.md"
# Copied as they are.
FILES = ["GLOSSARY.md", "LICENSE", "LICENSE-CC-BY-4.0.txt"]
# Never in a handout, wherever they appear under helpers/.
SKIP = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints"
)


def course_pins(path=ROOT / "requirements.txt"):
    """The name==version lines of requirements.txt, in order (no comments, no -e .)."""
    lines = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
    return [line for line in lines if "==" in line and not line.startswith("-")]


def requirements_text():
    pins = "\n".join(course_pins())
    return (
        "# The course's packages, pinned, then this folder's helpers package.\n"
        "# From this folder:  python -m pip install -r requirements.txt\n"
        f"{pins}\n"
        ".\n"
    )


def pyproject_text():
    """The [build-system] and [project] of the repository's pyproject.toml, nothing of
    its test and lint settings."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = meta["project"]
    deps = ", ".join(f'"{d}"' for d in project["dependencies"])
    packages = ", ".join(f'"{p}"' for p in meta["tool"]["setuptools"]["packages"])
    requires = ", ".join(f'"{r}"' for r in meta["build-system"]["requires"])
    return (
        "[build-system]\n"
        f"requires = [{requires}]\n"
        f'build-backend = "{meta["build-system"]["build-backend"]}"\n'
        "\n"
        "[project]\n"
        f'name = "{project["name"]}"\n'
        f'version = "{project["version"]}"\n'
        f'description = "{project["description"]}"\n'
        f'requires-python = "{project["requires-python"]}"\n'
        f"dependencies = [{deps}]\n"
        "\n"
        "[tool.setuptools]\n"
        f"packages = [{packages}]\n"
    )


def write_content(out):
    """Write the handout's files into the folder out (created; must not exist yet).
    Return the paths written, relative to out, sorted."""
    out = pathlib.Path(out)
    out.mkdir(parents=True)
    student_edition.write_student_edition(out / "notebooks")
    shutil.copytree(ROOT / "helpers", out / "helpers", ignore=SKIP)
    for name in FILES:
        shutil.copy2(ROOT / name, out / name)
    shutil.copy2(INSTALL_NOTE, out / "INSTALL.md")
    (out / "requirements.txt").write_text(requirements_text())
    (out / "pyproject.toml").write_text(pyproject_text())
    return sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())


def build(out_dir):
    """handout/rnn-course/ and handout/rnn-course.zip, rebuilt from scratch."""
    out_dir = pathlib.Path(out_dir)
    folder, archive = out_dir / NAME, out_dir / f"{NAME}.zip"
    if folder.exists():
        shutil.rmtree(folder)
    archive.unlink(missing_ok=True)
    files = write_content(folder)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in files:
            zf.write(folder / rel, f"{NAME}/{rel.as_posix()}")
    return folder, archive, files


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "out_dir",
        nargs="?",
        default=str(ROOT / "handout"),
        help="where to write (default: handout/)",
    )
    args = ap.parse_args(argv)
    folder, archive, files = build(args.out_dir)
    print(f"wrote {folder} ({len(files)} files) and {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
