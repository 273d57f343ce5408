"""The course under a real JupyterHub (`make test-hub`): K students at once.

Each student logs in through the hub's form, gets a server (the local process spawner
running the course's environment), follows the course's nbgitpuller link, which clones
the course from a local git repository into their home folder, runs notebook 02 cell by
cell in a kernel over the server's websocket API, and moves notebook 02's model widget's
slider by the comm message JupyterLab sends. See tools/hub_harness.py.

Needs what `make setup-hub` installs (jupyterhub and nbgitpuller in .venv,
configurable-http-proxy in hub/proxy/); without it these tests are skipped, unless
RNN_COURSE_HUB=require (set by `make test-hub`) makes that a failure.
RNN_COURSE_HUB_STUDENTS sets K (default 3).
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import hub_harness as harness

K = int(os.environ.get("RNN_COURSE_HUB_STUDENTS", "3"))
NOTEBOOK = f"{harness.TARGET}/notebooks/02_vanilla_rnn.ipynb"
# The slider positions each student moves to, in order; the last reading is checked.
MOVES = (1, 4)


def _one_student(hub, name, repo):
    student = hub.create_user(name)
    student.log_in()
    student.start_server()
    student.pull_course(repo)
    kernel, n_cells = student.run_notebook(NOTEBOOK)
    where = kernel.execute("import helpers, json; print(json.dumps(helpers.__file__))")
    built = kernel.execute(harness.WIDGET_CODE)
    sliders = harness.widget_sliders(built["messages"])
    readings = []
    for value in MOVES:
        _, messages = kernel.comm_update(sliders["lags L"], {"value": value})
        back = kernel.execute(harness.READBACK_CODE)
        readings.append(
            {
                "value": value,
                "images": harness.images_in(messages),
                "status": back["status"],
                **json.loads(back["stdout"]),
            }
        )
    kernel.close()
    return {
        "student": student,
        "cells": n_cells,
        "helpers_file": json.loads(where["stdout"]),
        "widget_status": built["status"],
        "sliders": sliders,
        "readings": readings,
    }


@pytest.fixture(scope="module")
def classroom():
    missing = harness.check_prerequisites()
    if missing:
        if os.environ.get("RNN_COURSE_HUB") == "require":
            pytest.fail("RNN_COURSE_HUB=require but missing: " + "; ".join(missing))
        pytest.skip("hub tests need `make setup-hub`; missing: " + "; ".join(missing))
    with tempfile.TemporaryDirectory(prefix="rnn-hub-test-") as work:
        work = pathlib.Path(work)
        repo = harness.publish_course(work)
        with harness.Hub(work / "hub") as hub:
            names = [f"student{i:02d}" for i in range(1, K + 1)]
            with ThreadPoolExecutor(max_workers=K) as pool:
                futures = [pool.submit(_one_student, hub, n, repo) for n in names]
                results = [f.result() for f in futures]
            yield {"hub": hub, "repo": repo, "results": results, "work": work}


def test_every_student_logged_in_and_got_the_course_by_nbgitpuller(classroom):
    assert len(classroom["results"]) == K
    for result in classroom["results"]:
        student = result["student"]
        # The link went through the hub and the server's login to nbgitpuller's page.
        assert student.link_landed_at.startswith(f"{student.base}git-pull?")
        assert (
            student.urlpath
            == f"lab/tree/{harness.TARGET}/notebooks/01_sine_lag_dataset.ipynb"
        )
        course = student.home / harness.TARGET
        # A git clone of the published branch, in the student's own home folder.
        head = subprocess.run(
            ["git", "-C", str(course), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        published = subprocess.run(
            ["git", "-C", str(classroom["repo"]), "rev-parse", harness.BRANCH],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert head == published
        assert sorted(p.name for p in (course / "notebooks").glob("*.ipynb")) == sorted(
            p.name for p in (ROOT / "notebooks").glob("*.ipynb")
        )


def test_every_students_notebook_runs_without_error(classroom):
    # run_notebook raises on the first cell whose execute_reply is an error
    code_cells = sum(
        1
        for c in json.loads((ROOT / "notebooks/02_vanilla_rnn.ipynb").read_text())[
            "cells"
        ]
        if c["cell_type"] == "code"
    )
    for result in classroom["results"]:
        assert result["cells"] == code_cells > 10


def test_the_kernels_import_helpers_from_the_servers_environment(classroom):
    # The single-user environment provides helpers (as a hub image does), not the
    # student's pulled folder: the kernel runs in .../rnn-course/notebooks.
    for result in classroom["results"]:
        assert pathlib.Path(result["helpers_file"]).is_relative_to(ROOT)


def test_a_slider_move_runs_the_callback_in_each_kernel(classroom):
    for result in classroom["results"]:
        assert result["widget_status"] == "ok"
        assert {"lags L", "hidden q"} <= set(result["sliders"])
        one, four = result["readings"]
        # Each move retrained in the student's kernel and sent one new picture.
        assert one["status"] == four["status"] == "ok"
        assert one["images"] == four["images"] == 1
        # L = 1: the one-lag floor of notebook 01, and the widget says why.
        assert one["lags"] == 1 and one["test_mse"] > 4.5e-3
        assert "cannot tell whether the sine is rising or falling" in one["message"]
        # L = 4: a good fit again.
        assert four["lags"] == 4 and four["test_mse"] < 1e-3


def test_pulling_again_brings_new_commits_and_keeps_the_students_edits(classroom):
    """An instructor's fix published mid-course reaches a student who clicks the link
    again; what the student typed stays (nbgitpuller's merge)."""
    student = classroom["results"][0]["student"]
    course = student.home / harness.TARGET
    mine = course / "notebooks" / "02_vanilla_rnn.ipynb"
    edited = mine.read_text().replace(
        '"cells": [',
        '"cells": [\n  {"cell_type": "markdown", "id": "my-note", "metadata": {}, "source": ["my notes"]},',
        1,
    )
    mine.write_text(edited)
    # The instructor publishes one more commit on the course branch.
    clone = classroom["work"] / "instructor"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "-b",
            harness.BRANCH,
            str(classroom["repo"]),
            str(clone),
        ],
        check=True,
    )
    (clone / "ERRATA.md").write_text("A fix published during the course.\n")
    for cmd in (
        ["add", "ERRATA.md"],
        [
            "-c",
            "user.name=I",
            "-c",
            "user.email=i@example.edu",
            "commit",
            "-qm",
            "errata",
        ],
        ["push", "-q", "origin", harness.BRANCH],
    ):
        subprocess.run(["git", "-C", str(clone), *cmd], check=True)
    student.pull_course(classroom["repo"])
    assert (course / "ERRATA.md").read_text() == "A fix published during the course.\n"
    assert '"id": "my-note"' in mine.read_text()
