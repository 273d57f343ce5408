"""The hub recipes in hub/ (nothing here builds an image or deploys a hub: no container
engine or cluster on the build machines; `make test-hub` runs a real JupyterHub)."""

import pathlib
import re
import shlex
import subprocess

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
HUB = ROOT / "hub"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _requirement_lines(text):
    """Requirement lines of a requirements file: no comments, blanks or options."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("--")]


def _pins(path):
    return {
        line.split("==")[0].lower().replace("_", "-"): line.split("==")[1]
        for line in _requirement_lines(path.read_text())
        if "==" in line
    }


def _dockerfile_run_commands():
    """Each RUN instruction of hub/Dockerfile, continuation lines joined, split on &&."""
    text = (HUB / "Dockerfile").read_text().replace("\\\n", " ")
    runs = [
        line[len("RUN ") :] for line in text.splitlines() if line.startswith("RUN ")
    ]
    return [shlex.split(cmd) for run in runs for cmd in run.split("&&")]


def _pip_installs(commands):
    return [c for c in commands if c[:2] == ["pip", "install"]]


def test_the_image_installs_exactly_requirements_txts_pins(tmp_path):
    commands = _dockerfile_run_commands()
    # The Dockerfile's own sed turns requirements.txt into the file pip installs:
    # run that very command on this checkout's requirements.txt.
    (sed,) = [c for c in commands if c[0] == "sed"]
    derived_name = sed[sed.index(">") + 1]
    source = ROOT / sed[sed.index(">") - 1]
    assert source == ROOT / "requirements.txt"
    result = subprocess.run(
        sed[: sed.index(">")], cwd=ROOT, capture_output=True, text=True, check=True
    )
    derived = _requirement_lines(result.stdout)
    original = _requirement_lines(source.read_text())
    # Pin for pin the same, in the same order; only the editable checkout is a plain install.
    assert original[-1] == "-e ."
    assert derived == [*original[:-1], "."]
    (pip,) = _pip_installs(commands)
    assert pip[pip.index("-r") + 1] == derived_name
    # torch's CPU build from PyTorch's CPU index, as Binder's install does
    assert pip[pip.index("--extra-index-url") + 1] == CPU_INDEX
    assert (
        f"--extra-index-url {CPU_INDEX}"
        in (ROOT / "binder/requirements.txt").read_text()
    )
    # Beyond requirements.txt: nbgitpuller, pinned as in hub/requirements.txt; never
    # jupyterhub (the base image's jupyterhub-singleuser must stay the hub's own).
    extras = [
        a
        for a in pip[2:]
        if not a.startswith("-") and a not in (derived_name, CPU_INDEX)
    ]
    assert extras == [f"nbgitpuller=={_pins(HUB / 'requirements.txt')['nbgitpuller']}"]
    assert not any("jupyterhub" in arg for c in commands for arg in c)


def test_the_image_builds_from_a_pinned_base_with_the_files_pip_needs():
    text = (HUB / "Dockerfile").read_text()
    base = re.search(r"^ARG BASE_IMAGE=(\S+)$", text, re.MULTILINE).group(1)
    name, tag = base.rsplit(":", 1)
    assert name.startswith("quay.io/") and tag != "latest"
    # The base image's hub version is the one `make test-hub` runs.
    assert tag == f"hub-{_pins(HUB / 'requirements.txt')['jupyterhub']}"
    assert "FROM ${BASE_IMAGE}" in text
    copied = {
        part
        for line in text.splitlines()
        if line.startswith("COPY ")
        for part in line.split()[1:-1]
        if not part.startswith("--")
    }
    assert copied == {"requirements.txt", "pyproject.toml", "helpers"}
    assert all((ROOT / p).exists() for p in copied)


def test_z2jh_config_sets_the_image_and_consistent_resources():
    config = yaml.safe_load((HUB / "z2jh-config.yaml").read_text())
    single = config["singleuser"]
    assert set(single["image"]) == {"name", "tag"}
    assert single["defaultUrl"] == "/lab"
    assert 0 < single["cpu"]["guarantee"] <= single["cpu"]["limit"]

    def mb(value):
        number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([MG])", value).groups()
        return float(number) * (1024 if unit == "G" else 1)

    guarantee, limit = mb(single["memory"]["guarantee"]), mb(single["memory"]["limit"])
    assert 0 < guarantee <= limit
    # The README's capacity section states these same figures.
    readme = (HUB / "README.md").read_text()
    for value in (
        single["memory"]["guarantee"],
        single["memory"]["limit"],
        f"guarantee: {single['cpu']['guarantee']}",
        f"limit: {single['cpu']['limit']}",
    ):
        assert str(value) in readme


def test_tljh_script_installs_requirements_txt_and_pins_nbgitpuller():
    text = (HUB / "tljh-install.sh").read_text()
    # bash parses it (syntax only; nothing runs)
    subprocess.run(["bash", "-n", str(HUB / "tljh-install.sh")], check=True)
    pattern = r'"\$USER_PY" -m pip install(.*?)\n\n'
    install = re.search(pattern, text, re.DOTALL).group(1)
    args = shlex.split(install.replace("\\\n", " "))
    assert args[args.index("-r") + 1] == "requirements.txt"
    assert args[args.index("--extra-index-url") + 1] == CPU_INDEX
    assert f"nbgitpuller=={_pins(HUB / 'requirements.txt')['nbgitpuller']}" in args
    assert "set limits.memory" in text and "set limits.cpu" in text
    # The same per-user limits as Zero to JupyterHub's
    single = yaml.safe_load((HUB / "z2jh-config.yaml").read_text())["singleuser"]
    assert f"MEM_LIMIT=${{MEM_LIMIT:-{single['memory']['limit']}}}" in text
    assert f"CPU_LIMIT=${{CPU_LIMIT:-{single['cpu']['limit']}}}" in text


def test_the_proxy_is_pinned_in_package_json_and_its_lock():
    import json

    package = json.loads((HUB / "proxy/package.json").read_text())
    lock = json.loads((HUB / "proxy/package-lock.json").read_text())
    (version,) = package["dependencies"].values()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert (
        lock["packages"]["node_modules/configurable-http-proxy"]["version"] == version
    )


def test_make_test_leaves_the_hub_tests_to_make_test_hub():
    makefile = (ROOT / "Makefile").read_text()
    test_line = re.search(r"^test: .*\n\t(.*)$", makefile, re.MULTILINE).group(1)
    assert "--ignore=tests/hub" in test_line
    assert re.search(r"^test-hub: setup-hub$", makefile, re.MULTILINE)
