"""The install routes' files: binder/ installs exactly requirements.txt and this checkout with
torch's CPU build, the README's Binder link opens notebook 01, and `make setup` takes torch from
PyTorch's CPU index only when asked (TORCH_CPU_INDEX=1), so CI's set-up is unchanged.

The install itself (a fresh venv, versions compared) is tools/check_binder_install.py: minutes of
downloads, so not part of `make test`.
"""

import pathlib
import re
import shlex
import subprocess
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def requirement_lines(path):
    return [
        line.split("#", 1)[0].strip()
        for line in path.read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]


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


def dry_run(*args):
    """The commands `make -n -B setup` would run (nothing is executed)."""
    out = subprocess.run(
        ["make", "-n", "-B", "setup", *args],
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
