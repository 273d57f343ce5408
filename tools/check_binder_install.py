"""Install the course as Binder's repo2docker would, in a fresh venv, and compare versions.

    python3 tools/check_binder_install.py [--venv /tmp/binder-venv] [--pytest ARGS...]

repo2docker runs `pip install --no-cache-dir -r binder/requirements.txt` from the
repository's root.  This script does the same in a fresh venv, then compares `pip freeze`
with every `name==version` pin of requirements.txt, the learner's packages (a local label
such as torch's `+cpu` is the same release and is printed, not counted as a difference),
lists which of requirements-dev.txt's test tools came along anyway (as dependencies; Binder
does not install that file), checks that `helpers` is imported from this checkout, and says
whether torch is a CPU build.  With --pytest it then adds requirements-dev.txt's tools to
the venv (as `make setup-dev` does) and runs those pytest arguments with the venv's Python.
Exit status 1 on any difference.
PyTorch's CPU index unreachable (as on the build machines) is reported, not an error: pip
then takes torch from the other indexes it is configured with.
"""

import argparse
import os
import pathlib
import re
import socket
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s#;]+)")
TORCH_INDEX_HOST = "download.pytorch.org"
CONNECT_TIMEOUT_S = 5


def reachable(host, port=443):
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
        return True
    except OSError:
        return False


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path):
    """{canonical name: version} of the name==version lines of a requirements file."""
    out = {}
    for line in path.read_text().splitlines():
        m = PIN.match(line.strip())
        if m:
            out[canonical(m.group(1))] = m.group(2)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--venv", default="/tmp/binder-venv", help="where to create the fresh venv"
    )
    ap.add_argument(
        "--pytest",
        nargs=argparse.REMAINDER,
        help="then run pytest with these arguments",
    )
    args = ap.parse_args(argv)
    venv = pathlib.Path(args.venv)
    py = venv / "bin" / "python"

    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    env = dict(os.environ)
    if reachable(TORCH_INDEX_HOST):
        print(f"{TORCH_INDEX_HOST}: reachable")
    else:
        # pip would retry the dead index for every package (minutes); one try each says the same
        env["PIP_RETRIES"] = "0"
        print(
            f"{TORCH_INDEX_HOST}: UNREACHABLE from here; pip skips that index and takes torch from "
            "the other indexes it is configured with (the CPU-index part is not tested here)"
        )
    print(
        f"$ cd {ROOT} && pip install --no-cache-dir -r binder/requirements.txt",
        flush=True,
    )
    proc = subprocess.run(
        [
            str(py),
            "-m",
            "pip",
            "install",
            "--no-cache-dir",
            "-r",
            "binder/requirements.txt",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode:
        print((proc.stdout + proc.stderr)[-4000:])
        print("FAILED: pip install -r binder/requirements.txt")
        return 1

    frozen = {}
    for line in subprocess.run(
        [str(py), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout.splitlines():
        m = PIN.match(line)
        if m:
            frozen[canonical(m.group(1))] = m.group(2)
    wanted = pins(ROOT / "requirements.txt")
    bad = 0
    print(f"{'package':<22}{'requirements.txt':>18}{'installed':>16}")
    for name, version in wanted.items():
        got = frozen.get(name, "missing")
        same = got.split("+")[0] == version
        bad += not same
        print(f"{name:<22}{version:>18}{got:>16}  {'ok' if same else 'DIFFERENT'}")

    where = subprocess.run(
        [
            str(py),
            "-c",
            (
                "import helpers, torch; print(helpers.__file__); "
                "print(torch.__version__, torch.version.cuda)"
            ),
        ],
        cwd="/",
        capture_output=True,
        text=True,
    )
    if where.returncode:
        print(where.stderr[-2000:])
        return 1
    helpers_file, torch_build = where.stdout.splitlines()
    from_checkout = pathlib.Path(helpers_file).resolve().is_relative_to(ROOT)
    bad += not from_checkout
    print(
        f"helpers imported from {helpers_file} ({'this checkout' if from_checkout else 'NOT this checkout'})"
    )
    tools = pins(ROOT / "requirements-dev.txt")
    came_along = [f"{name} {frozen[name]}" for name in tools if name in frozen]
    print(
        "test tools of requirements-dev.txt installed as dependencies: "
        + (", ".join(came_along) or "none")
    )
    version, cuda = torch_build.split()
    print(
        f"torch {version}: {'CPU build' if cuda == 'None' else 'CUDA ' + cuda + ' build'}"
    )
    if bad:
        print(f"FAILED: {bad} difference(s)")
        return 1
    print(
        "OK: the Binder install has every pinned version of requirements.txt and this checkout"
    )
    if args.pytest is not None:
        print("$ pip install -r requirements-dev.txt  (the tests' tools)", flush=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-r", "requirements-dev.txt"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        return subprocess.run(
            [str(py), "-m", "pytest", *args.pytest], cwd=ROOT
        ).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
