"""The install routes' files: requirements.txt holds the course's packages and
requirements-dev.txt adds the tests' tools, all pinned; environment.yml pins the same versions as
requirements.txt; binder/ installs exactly requirements.txt and this checkout with torch's CPU
build; the README's Binder link opens notebook 01; `make lab` installs the course's packages only
and `make test` the tests' tools as well; and `make setup` takes torch from PyTorch's CPU index
only when asked (TORCH_CPU_INDEX=1), so CI's set-up is unchanged.

The install itself (a fresh venv, versions compared) is tools/check_binder_install.py: minutes of
downloads, so not part of `make test`.
"""

import pathlib
import re
import shlex
import shutil
import subprocess
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
COURSE = ROOT / "requirements.txt"
DEV = ROOT / "requirements-dev.txt"
# conda-forge's names for the packages whose pip name differs
CONDA_TO_PIP = {"pytorch": "torch", "nbconvert-core": "nbconvert"}
# What only the tests, the linter and the browser tests use: never in a learner's install.
TEST_TOOLS = {
    "pytest",
    "pytest-xdist",
    "nbval",
    "nbclient",
    "hypothesis",
    "ruff",
    "playwright",
    # lints the fork's workflow (tests/test_workflow.py)
    "check-jsonschema",
}


def requirement_lines(path):
    return [
        line.split("#", 1)[0].strip()
        for line in path.read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines):
    """{canonical name: version} of requirement lines; every package line must be name==version."""
    out = {}
    for line in lines:
        if line.startswith("-"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line)
        assert m, f"not pinned with ==: {line!r}"
        assert canonical(m.group(1)) not in out, f"pinned twice: {line!r}"
        out[canonical(m.group(1))] = m.group(2)
    return out


def conda_pins(text):
    """{canonical pip name: version} of environment.yml: `- name=version[=build]` under
    dependencies (conda's names mapped to pip's) and `- name==version` under pip:."""
    out = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.fullmatch(r"- ([A-Za-z0-9_.\-]+)(==?)([^=\s]+)(=\S+)?", line)
        if not m or m.group(1) == "python":
            continue
        name = canonical(CONDA_TO_PIP.get(m.group(1), m.group(1)))
        assert name not in out, f"pinned twice in environment.yml: {line!r}"
        out[name] = m.group(3)
    return out


def test_requirements_split_the_course_from_the_test_tools():
    course = requirement_lines(COURSE)
    dev = requirement_lines(DEV)
    # the dev file is the course plus the tools, not a second copy of the course's pins
    assert dev[0] == "-r requirements.txt"
    assert [line for line in dev if line.startswith("-")] == ["-r requirements.txt"]
    course_pins, dev_pins = pins(course), pins(dev)
    assert not course_pins.keys() & dev_pins.keys()
    assert not course_pins.keys() & TEST_TOOLS
    assert dev_pins.keys() == TEST_TOOLS
    # what the notebooks import, and the hand-out tool (make student), are the learner's
    assert {
        "torch",
        "numpy",
        "statsmodels",
        "jupyterlab",
        "nbconvert",
    } <= course_pins.keys()


def test_environment_yml_pins_the_versions_of_requirements_txt():
    text = (ROOT / "environment.yml").read_text()
    conda = conda_pins(text)
    course = pins(requirement_lines(COURSE))
    assert conda == course
    # the same checkout installed by pip, and nothing of the tests' tools
    assert re.search(r"^\s+- -e \.$", text, re.MULTILINE)
    assert not conda.keys() & TEST_TOOLS


def test_a_differing_version_is_noticed():
    # the comparison above must see a version that differs, through conda's naming and its build
    text = (ROOT / "environment.yml").read_text()
    assert "- pytorch=2.13.0=cpu*" in text
    conda = conda_pins(text.replace("- pytorch=2.13.0=", "- pytorch=2.12.0="))
    assert conda["torch"] == "2.12.0"
    assert conda != pins(requirement_lines(COURSE))


def test_binder_reads_only_pip_files_that_point_at_the_root_requirements():
    # repo2docker uses binder/ alone when it exists; an environment.yml there would select conda
    assert sorted(p.name for p in BINDER.iterdir()) == [
        "requirements.txt",
        "runtime.txt",
    ]
    lines = requirement_lines(BINDER / "requirements.txt")
    assert lines == [f"--extra-index-url {CPU_INDEX}", "-r ../requirements.txt"]
    # pip resolves a nested -r relative to the file that names it: binder/../requirements.txt
    assert (BINDER / "../requirements.txt").resolve() == ROOT / "requirements.txt"
    # and the root file installs this checkout; repo2docker runs pip from the repo root, where -e . is it
    assert "-e ." in requirement_lines(ROOT / "requirements.txt")
    assert (ROOT / "pyproject.toml").exists()


def test_binder_python_is_the_one_of_environment_yml():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    conda_python = re.search(
        r"- python=(\S+)", (ROOT / "environment.yml").read_text()
    ).group(1)
    assert runtime == f"python-{conda_python}"


def test_the_readme_binder_link_opens_notebook_01_in_jupyterlab():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### Run in the browser (Binder)") :]
    url = re.search(r"\]\((https://mybinder\.org/v2/gh/[^)]+)\)", section).group(1)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    urlpath = query["urlpath"][0]
    assert urlpath.startswith("lab/tree/")
    assert (ROOT / urlpath.removeprefix("lab/tree/")).exists()
    assert urlpath.endswith("notebooks/01_sine_lag_dataset.ipynb")


def dry_run(*args, target="setup"):
    """The pip installs `make -n -B TARGET` would run (nothing is executed)."""
    if shutil.which("make") is None:
        # Windows has no make (the fork's workflow runs these tests there)
        pytest.skip("no make on this system: the Makefile's dry run needs it")
    out = subprocess.run(
        ["make", "-n", "-B", target, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if "pip install" in line]


def test_make_setup_uses_the_cpu_index_only_when_asked():
    pin = [
        line
        for line in requirement_lines(ROOT / "requirements.txt")
        if line.startswith("torch==")
    ]
    assert len(pin) == 1
    plain = dry_run()
    assert not any(CPU_INDEX in line for line in plain)
    assert plain[-1].endswith("pip install -r requirements.txt")
    asked = dry_run("TORCH_CPU_INDEX=1")
    torch_line = [shlex.split(line) for line in asked if CPU_INDEX in line]
    assert len(torch_line) == 1
    words = torch_line[0]
    assert pin[0] in words and words[words.index("--index-url") + 1] == CPU_INDEX
    # torch first, then the pinned requirements, which the CPU build (2.13.0+cpu) already satisfies
    assert next(i for i, line in enumerate(asked) if CPU_INDEX in line) < asked.index(
        plain[-1]
    )


def test_make_lab_installs_the_course_and_make_test_adds_the_test_tools():
    course = ["pip install --upgrade pip", "pip install -r requirements.txt"]
    lab = dry_run(target="lab")
    assert [line.split("-m ", 1)[1] for line in lab] == course
    dev = [*course, "pip install -r requirements-dev.txt"]
    for target in [
        "test",
        "lint",
        "format",
        "test-browser",
        "test-student",
        "test-cpu-paths",
    ]:
        installs = dry_run(target=target)
        assert [line.split("-m ", 1)[1] for line in installs] == dev, target
