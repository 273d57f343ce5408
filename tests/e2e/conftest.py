"""End-to-end fixtures: a JupyterLab server of our own on 127.0.0.1 and headless Chromium.

Chromium is Debian's (/usr/bin/chromium); Playwright only drives it and downloads nothing.
Without Chromium these tests are skipped, unless RNN_COURSE_E2E=require (CI), where a
missing browser is a failure.
"""

import contextlib
import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 60  # seconds
HOW_TO_ENABLE = (
    "browser tests skipped: they need Chromium at /usr/bin/chromium "
    "(Debian/Ubuntu: sudo apt-get install chromium); set RNN_COURSE_E2E=require to make this an error"
)
# Settings for the test server only: no autosave (the run must not touch tracked files), no news pop-up.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        if os.environ.get("RNN_COURSE_E2E") == "require":
            pytest.fail(
                "RNN_COURSE_E2E=require but Chromium is not installed (apt-get install chromium)"
            )
        pytest.skip(HOW_TO_ENABLE)
    return path


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes_mentioning(text):
    """PIDs whose command line contains `text` (Linux /proc; empty elsewhere)."""
    found = []
    for cmdline in pathlib.Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmdline.read_bytes().decode(errors="replace"):
                found.append(int(cmdline.parent.name))
        except OSError:  # the process ended while we looked
            pass
    return found


class LabServer:
    def __init__(self, port, token, proc):
        self.port, self.token, self.proc = port, token, proc
        self.base = f"http://127.0.0.1:{port}"

    def api(self, path, method="GET"):
        req = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def url(self, notebook):
        return f"{self.base}/lab/tree/{notebook}?token={self.token}&reset"


@contextlib.contextmanager
def running_lab():
    """JupyterLab on 127.0.0.1 with a random port and token, stopped by process id at the
    end (the browser tests' fixture and benchmarks/widgets.py share it)."""
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="rnn-course-e2e-"))
    for name, values in SETTINGS.items():
        f = tmp / "settings" / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values))
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.token={token}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={NOTEBOOK_DIR}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",  # absolute: keeps notebooks/ untouched
        "--expose-app-in-browser",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "server.log", "w")  # noqa: SIM115 (the server writes to it until teardown closes it)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = LabServer(port, token, proc)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            try:
                server.api("/api/status")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not start; see {tmp / 'server.log'}"
                    )
                time.sleep(0.3)
        yield server
    finally:
        try:  # kernels live on unless their sessions are deleted
            for session in server.api("/api/sessions") or []:
                server.api(f"/api/sessions/{session['id']}", method="DELETE")
        except OSError:
            pass
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        # kernels are started with a connection file in tmp
        leftovers = _processes_mentioning(str(tmp))
        shutil.rmtree(tmp, ignore_errors=True)
        assert not leftovers, f"processes left behind by the test server: {leftovers}"


@pytest.fixture(scope="session")
def lab(chromium):
    with running_lab() as server:
        yield server


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()
