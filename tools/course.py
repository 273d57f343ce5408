"""`make lab` and `make test` without make (Windows, or any system): standard library only.

    python -m tools.course lab      # set up the course in .venv, open it in JupyterLab
    python -m tools.course test     # set up the course and the test tools, lint, run the tests
    python -m tools.course test --no-install   # use .venv as it is

Run from the repository's root folder with Python 3.11 or newer (Windows: `py -3.11 -m
tools.course lab`). It does what the Makefile's targets do, with the same virtual environment
(.venv) and the same stamps (.venv/.installed, .venv/.installed-dev), so the two routes can be
mixed: packages are (re)installed only when requirements.txt, requirements-dev.txt or
pyproject.toml is newer than its stamp.
"""

import argparse
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"
DEV_STAMP = VENV / ".installed-dev"
FIRST_NOTEBOOK = "notebooks/01_sine_lag_dataset.ipynb"
# `make test`'s pytest call: two workers, each notebook's cells on one of them
PYTEST_ARGS = [
    "-n",
    "2",
    "--dist",
    "loadscope",
    "--ignore=tests/e2e",
    "--ignore=tests/hub",
]


def venv_python():
    """The venv's interpreter: Scripts\\python.exe on Windows, bin/python elsewhere."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def run(*cmd):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    # UTF-8 files read as UTF-8 on Windows too (its default text encoding is a code page)
    env = dict(os.environ, PYTHONUTF8="1")
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True, env=env)


def stale(stamp, *sources):
    """True when the stamp is missing or older than any of its sources (make's rule)."""
    if not stamp.exists():
        return True
    made = stamp.stat().st_mtime
    return any((ROOT / s).stat().st_mtime > made for s in sources)


def setup(dev):
    """The course's packages in .venv (and the test tools with dev), as `make setup(-dev)`."""
    python = venv_python()
    if stale(STAMP, "requirements.txt", "pyproject.toml") or not python.exists():
        run(sys.executable, "-m", "venv", VENV)
        run(python, "-m", "pip", "install", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "-r", "requirements.txt")
        STAMP.touch()
    if dev and (
        stale(DEV_STAMP, "requirements-dev.txt")
        or DEV_STAMP.stat().st_mtime < STAMP.stat().st_mtime
    ):
        run(python, "-m", "pip", "install", "-r", "requirements-dev.txt")
        DEV_STAMP.touch()
    return python


def lab(python):
    cmd = [python, "-m", "jupyterlab", FIRST_NOTEBOOK]
    # JupyterLab refuses to run as root unless told to (containers, classroom VMs)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    run(*cmd)


def test(python):
    """`make test`: ruff check, ruff format --check, the comment check, then pytest."""
    run(python, "-m", "ruff", "check", ".")
    run(python, "-m", "ruff", "format", "--check", ".")
    run(python, "tools/check_comment_splits.py")
    run(python, "-m", "pytest", *PYTEST_ARGS)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["lab", "test"])
    parser.add_argument(
        "--no-install", action="store_true", help="use .venv as it is; install nothing"
    )
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):  # noqa: UP036 (a learner may run an older Python)
        sys.exit(
            "the course needs Python 3.11 or newer (see README, 'Which computers')"
        )
    python = venv_python() if args.no_install else setup(dev=args.command == "test")
    try:
        {"lab": lab, "test": test}[args.command](python)
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode)


if __name__ == "__main__":
    main()
