"""The handout (tools/handout.py, `make handout`) and the `student` branch
(tools/publish_student_branch.py): what a student receives is complete, and holds no
solution text and no plain-text answer.

The content checks build the handout once (about 2 s of CPU) and run in `make test`. The
slow ones run only with RNN_COURSE_HANDOUT_RUN=1 (`make test-handout`): the branch
published in a temporary clone, and the handout unpacked from its zip into a fresh venv
under /tmp, installed from its own requirements.txt and executed top to bottom with the
notebooks' solutions appended, as tests/test_student_edition.py's executed run does.
"""

import functools
import importlib.util
import os
import pathlib
import re
import subprocess
import sys
import tomllib
import zipfile

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RUN = os.environ.get("RNN_COURSE_HANDOUT_RUN") == "1"
slow = pytest.mark.skipif(
    not RUN,
    reason="installs the handout in a fresh venv (minutes): set "
    "RNN_COURSE_HANDOUT_RUN=1 or run `make test-handout`",
)


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


handout = load("handout", ROOT / "tools" / "handout.py")
publisher = load("publish_student_branch", ROOT / "tools" / "publish_student_branch.py")
edition = load("test_student_edition", ROOT / "tests" / "test_student_edition.py")
SOLUTION, EXERCISE = edition.SOLUTION, edition.EXERCISE

EXPECTED = {
    "INSTALL.md",
    "GLOSSARY.md",
    "LICENSE",
    "LICENSE-CC-BY-4.0.txt",
    "requirements.txt",
    "pyproject.toml",
    *(f"notebooks/{p.name}" for p in NOTEBOOKS),
    *(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "helpers").rglob("*.py")
        if "__pycache__" not in p.parts
    ),
}


# A solution's line that a check needs to compute the expected answer: check_lstm_step
# writes the LSTM's equations (as helpers/models.py and notebook 03 do) to score the
# learner's step. The only line a solution shares with the handout, and only there.
SHARED_WITH_A_CHECK = {"sig = lambda z: 1 / (1 + np.exp(-z))"}


def tags(cell):
    return cell.metadata.get("tags", [])


@functools.cache
def solution_markers():
    """(whole solution cells, their own lines): the markers of test_student_edition, the
    lines of >= MIN_LINE characters a solution does not share with the teaching text."""
    cells, taught = [], []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            (cells if SOLUTION in tags(cell) else taught).append(cell.source)
    taught = "\n".join(taught)
    own = {
        line.strip()
        for src in cells
        for line in src.splitlines()
        if len(line.strip()) >= edition.MIN_LINE and line.strip() not in taught
    }
    return tuple(cells), frozenset(own)


def leaks(text):
    """What of the solutions, or of a plain multiple-choice answer, text holds."""
    cells, own = solution_markers()
    found = [m for m in ("<details>", "click to reveal") if m in text]
    found += [src[:60] for src in cells if src in text]
    found += [line for line in own if line in text]
    found += re.findall(r"correct\s*=\s*['\"]\w['\"]", text)
    return found


def file_leaks(name, text):
    """leaks(text) of the handout's file name, less SHARED_WITH_A_CHECK in a check module."""
    found = leaks(text)
    if name.startswith("helpers/exercises/"):
        found = [line for line in found if line not in SHARED_WITH_A_CHECK]
    return found


def handout_texts(folder):
    """{relative path: text} of every file in the handout folder."""
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(folder, zip) as `make handout` writes them, through the script's command line."""
    out = tmp_path_factory.mktemp("handout")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "handout.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return out / handout.NAME, out / f"{handout.NAME}.zip"


def test_the_handout_holds_what_a_student_needs_and_nothing_else(built):
    folder, _ = built
    assert set(handout_texts(folder)) == EXPECTED
    # the instructor's page, the tests and the tools stay in the repository
    assert not {"INSTRUCTOR.md", "tests", "tools", "benchmarks"} & {
        p.name for p in folder.iterdir()
    }


def test_the_zip_holds_the_folder_under_one_top_folder(built):
    folder, archive = built
    with zipfile.ZipFile(archive) as zf:
        members = {
            name.removeprefix(f"{handout.NAME}/"): zf.read(name).decode("utf-8")
            for name in zf.namelist()
        }
        assert all(n.startswith(f"{handout.NAME}/") for n in zf.namelist())
    assert members == handout_texts(folder)


def test_no_solution_text_and_no_plain_answer_anywhere_in_the_handout(built):
    folder, _ = built
    cells, own = solution_markers()
    # the markers have something to find: the originals hold the solutions
    assert len(cells) == 18 and len(own) > 30
    assert leaks("\n".join(p.read_text() for p in NOTEBOOKS))
    texts = handout_texts(folder)
    for name, text in texts.items():
        assert not file_leaks(name, text), (name, file_leaks(name, text))
    # the exception is still needed (else remove it)
    shared = {line for text in texts.values() for line in leaks(text)}
    assert shared == SHARED_WITH_A_CHECK
    for path in sorted((folder / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert not [c for c in nb.cells if SOLUTION in tags(c)], path.name
        # no stored verdict: an exercise's output would show its answer's verdict
        exercises = [c for c in nb.cells if EXERCISE in tags(c)]
        assert len(exercises) == 3 and not any(c.outputs for c in exercises)


def test_a_plain_answer_would_be_noticed():
    assert leaks('        correct="b",') == ['correct="b"']
    assert leaks("correct = 'f'") and not leaks('correct_digest=("507b...")')


def test_the_multiple_choice_answers_are_digests_in_the_handout(built):
    folder, _ = built
    for module in ("cells", "gradients", "series"):
        text = (folder / "helpers" / "exercises" / f"{module}.py").read_text()
        assert re.search(r"correct_digest=\(\s*\"[0-9a-f]{64}\"", text), module


def test_the_handout_requirements_are_the_course_pins_and_its_helpers(built):
    folder, _ = built
    lines = edition_lines(folder / "requirements.txt")
    course = [
        line
        for line in edition_lines(ROOT / "requirements.txt")
        if not line.startswith("-")
    ]
    assert lines == [*course, "."]
    # nothing of the tests' tools
    tools = {"pytest", "nbval", "ruff", "hypothesis", "playwright"}
    assert not {line.split("==")[0].lower() for line in lines} & tools
    ours = tomllib.loads((ROOT / "pyproject.toml").read_text())
    theirs = tomllib.loads((folder / "pyproject.toml").read_text())
    assert theirs["project"] == ours["project"]
    assert theirs["build-system"] == ours["build-system"]
    assert theirs["tool"] == {"setuptools": ours["tool"]["setuptools"]}


def edition_lines(path):
    return [
        line.split("#", 1)[0].strip()
        for line in path.read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]


def test_the_install_note_states_the_pins(built):
    folder, _ = built
    note = (folder / "INSTALL.md").read_text()
    floor = re.fullmatch(
        r">=(\d+\.\d+)",
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
            "requires-python"
        ],
    ).group(1)
    assert f"**Python {floor} or newer**" in note
    torch = next(
        line
        for line in edition_lines(ROOT / "requirements.txt")
        if line.startswith("torch==")
    )
    assert f"install {torch} --index-url" in note
    assert f"{torch.split('==')[0]} {torch.split('==')[1]} has no build" in note
    # every command runs from the handout's own folder, on files it holds
    assert "-r requirements.txt" in note
    assert "notebooks/01_sine_lag_dataset.ipynb" in note
    assert (folder / "notebooks" / "01_sine_lag_dataset.ipynb").exists()


# -- slow (RNN_COURSE_HANDOUT_RUN=1) -------------------------------------------------------


@slow
def test_the_student_branch_is_published_in_a_temporary_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(clone), *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    head, status = git("rev-parse", "HEAD"), git("status", "--porcelain")
    # a student branch published before, with other content: the new one must follow it
    blob = subprocess.run(
        ["git", "-C", str(clone), "hash-object", "-w", "--stdin"],
        input="last term\n",
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tree = subprocess.run(
        ["git", "-C", str(clone), "mktree"],
        input=f"100644 blob {blob}\told.txt\n",
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    old = subprocess.run(
        ["git", "-C", str(clone), "commit-tree", tree, "-m", "last term"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    git("update-ref", "refs/heads/student", old)
    run = [
        sys.executable,
        str(ROOT / "tools" / "publish_student_branch.py"),
        "--repo",
        str(clone),
    ]
    first = subprocess.run(run, check=True, capture_output=True, text=True).stdout
    assert "committed" in first
    files = set(git("ls-tree", "-r", "--name-only", "student").split())
    assert files == EXPECTED
    # on top of last term's branch (a fast-forward for students who pulled it), and none
    # of the repository's history, which holds the solutions
    assert git("rev-parse", "student^").strip() == old
    assert git("rev-list", "--count", "student").strip() == "2"
    for name in sorted(files):
        text = git("show", f"student:{name}")
        assert not file_leaks(name, text), (name, file_leaks(name, text))
    # the same content as the handout folder, byte for byte
    content = tmp_path / "content"
    handout.write_content(content)
    for name in files:
        assert git("show", f"student:{name}") == (content / name).read_text(), name
    # the checkout is left alone
    assert git("rev-parse", "HEAD") == head and git("status", "--porcelain") == status
    # unchanged content: no new commit
    again = subprocess.run(run, check=True, capture_output=True, text=True).stdout
    assert "unchanged" in again
    assert git("rev-list", "--count", "student").strip() == "2"
    tip = git("rev-parse", "student").strip()
    commit, new = publisher.publish(clone, "student")
    assert (commit, new) == (tip, False)


RUNNER = """
import sys, nbformat
from nbclient import NotebookClient
src, dst, cwd = sys.argv[1:4]
nb = nbformat.read(src, as_version=4)
NotebookClient(nb, timeout=120, kernel_name="python3",
               resources={"metadata": {"path": cwd}}).execute()
nbformat.write(nb, dst)
"""

WHERE = "import helpers, sys\nprint(helpers.__file__)\nprint(sys.executable)"


@slow
def test_the_handout_installs_in_a_fresh_venv_and_its_notebooks_run(built, tmp_path):
    _, archive = built
    # unpacked as a student would, under /tmp, away from this checkout
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / handout.NAME
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    # nothing of this checkout or of the test's environment may leak into the kernel
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH"}
    }
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    for args in (
        ["-m", "pip", "install", "-q", "--upgrade", "pip"],
        ["-m", "pip", "install", "-q", "-r", "requirements.txt"],
    ):
        subprocess.run([str(python), *args], cwd=folder, env=env, check=True)
    freeze = subprocess.run(
        [str(python), "-m", "pip", "freeze"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.lower()
    # a student's environment: the course's packages, none of the tests' tools
    for pin in handout.course_pins():
        # a local label (torch's +cpu) is the same release
        assert re.search(
            rf"^{re.escape(pin.lower())}(\+\w+)?$", freeze, re.MULTILINE
        ), pin
    assert "rnn-forecasting-course-helpers @ file://" in freeze
    tools = r"^(pytest|nbval|ruff|hypothesis|playwright)=="
    assert not re.search(tools, freeze, re.MULTILINE)
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    for path in NOTEBOOKS:
        orig = nbformat.read(path, as_version=4)
        student = nbformat.read(folder / "notebooks" / path.name, as_version=4)
        nb, solved = edition._with_solutions_appended(orig, student)
        assert solved >= 1
        nb.cells.append(nbformat.v4.new_code_cell(WHERE))
        src, dst = tmp_path / f"in_{path.name}", tmp_path / f"out_{path.name}"
        nbformat.write(nb, src)
        subprocess.run(
            [str(python), str(runner), str(src), str(dst), str(folder / "notebooks")],
            env=env,
            check=True,
            cwd=folder / "notebooks",
        )
        done = nbformat.read(dst, as_version=4)
        errors = [
            o
            for c in done.cells
            if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "error"
        ]
        assert not errors, (path.name, errors)
        # the helpers the kernel imported are the handout's, installed in the fresh venv
        module, executable = edition._text(done.cells[-1]).split()
        assert pathlib.Path(executable).parent == venv / "bin", executable
        assert pathlib.Path(module).is_relative_to(venv), module
        blank = [c for c in done.cells if EXERCISE in tags(c)]
        stored = [c for c in orig.cells if EXERCISE in tags(c)]
        assert len(blank) == len(stored) == 3
        for cell, before in zip(blank, stored):
            verdict = edition._text(cell)
            assert verdict.startswith(edition.BLANK_VERDICTS), (path.name, verdict)
            assert verdict == edition._text(before), (path.name, cell.source)
        for cell in [c for c in done.cells if "solved" in tags(c)]:
            text = edition._text(cell)
            assert text.startswith("Correct."), (path.name, cell.source, text)
