"""A real JupyterHub on 127.0.0.1 with simulated students, for `make test-hub` and
benchmarks/hub.py.

The hub: JupyterHub (hub/requirements.txt) with configurable-http-proxy
(hub/proxy/, npm), the dummy authenticator (any name, one shared password) and the
local process spawner (one process per student, home folders under a temporary
directory, no system users). Each student's single-user server is
`jupyterhub-singleuser` from the course's environment (the Python running this
file), so its kernels import `helpers` as a hub image's would.

A student: created through the hub's REST API with a service token; logs in through
the hub's login form; their server started through the API; follows the course's
nbgitpuller link (tools/nbgitpuller_link.py) and pulls the course from a local git
repository with nbgitpuller's own handler (the request the link's page makes); runs a
notebook cell by cell in a kernel over the server's websocket kernel API, as
JupyterLab does; moves a widget's slider by sending the comm message JupyterLab sends
and waits for the kernel to finish the callback.
"""

import json
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import requests
import websocket
from jupyter_server.services.kernels.connection.base import deserialize_binary_message

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from nbgitpuller_link import nbgitpuller_link

PROXY = ROOT / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
BIN = pathlib.Path(sys.executable).parent
SERVICE = "course-test"
BRANCH = "course"
TARGET = "rnn-course"
HUB_START_TIMEOUT = 60
SPAWN_TIMEOUT = 300
CELL_TIMEOUT = 600

# The widget a student moves: notebook 02's model widget (retrain + redraw per move).
WIDGET_CODE = """\
from helpers.widgets import sine_model_widget
w = sine_model_widget(lags=5, q=8)
display(w)
"""
READBACK_CODE = """\
import json
print(json.dumps({"lags": w.result["task"].lags,
                  "test_mse": float(w.result["test_mse"]),
                  "message": w.result["message"]}))
"""


class HubError(RuntimeError):
    pass


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _msg(msg_type, content, channel, session):
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": session,
            "username": "student",
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


def _stop_with_parent():
    """In the hub's process, before exec: SIGTERM when the process that started it dies
    (Linux), so a killed test or benchmark leaves no hub and no servers behind."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        # PR_SET_PDEATHSIG = 1
        libc.prctl(1, signal.SIGTERM)
    except OSError:
        pass


def check_prerequisites():
    """What `make test-hub` must have installed; a message naming what is missing."""
    missing = []
    if not PROXY.exists():
        missing.append(f"{PROXY} (npm ci --prefix hub/proxy)")
    for name in ("jupyterhub", "jupyterhub-singleuser"):
        if not (BIN / name).exists():
            missing.append(f"{BIN / name} (pip install -r hub/requirements.txt)")
    if shutil.which("git") is None:
        missing.append("git")
    return missing


def publish_course(workdir):
    """A local git repository with this checkout's HEAD as branch `course`.

    The stand-in for the course's repository on GitHub: nbgitpuller clones it by path.
    """
    repo = pathlib.Path(workdir) / f"{TARGET}.git"
    subprocess.run(
        ["git", "init", "--bare", "-q", str(repo)], check=True, capture_output=True
    )
    subprocess.run(
        ["git", "-C", str(ROOT), "push", "-q", str(repo), f"HEAD:refs/heads/{BRANCH}"],
        check=True,
        capture_output=True,
    )
    return repo


class Hub:
    """JupyterHub and its proxy, started in a temporary folder; `with Hub() as hub:`."""

    def __init__(self, workdir=None, spawn_timeout=SPAWN_TIMEOUT):
        self._own_dir = workdir is None
        self.dir = pathlib.Path(workdir or tempfile.mkdtemp(prefix="rnn-hub-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.password = secrets.token_hex(8)
        self.homes = self.dir / "home"
        self.spawn_timeout = spawn_timeout
        self.proc = None
        self.log_path = self.dir / "jupyterhub.log"

    def config(self):
        env_path = os.pathsep.join([str(BIN), os.environ.get("PATH", "/usr/bin:/bin")])
        args = ["--allow-root"] if os.geteuid() == 0 else []
        return f"""\
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {_free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(self.dir / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{self.dir / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(self.dir / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {self.password!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(self.homes / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"PATH": {env_path!r}, "LANG": "C.UTF-8"}}
c.Spawner.start_timeout = {self.spawn_timeout}
c.Spawner.http_timeout = {self.spawn_timeout}
c.JupyterHub.services = [{{"name": {SERVICE!r}, "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "course-test-admin",
    "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"],
    "services": [{SERVICE!r}],
}}]
"""

    def __enter__(self):
        missing = check_prerequisites()
        if missing:
            raise HubError("missing: " + "; ".join(missing))
        self.homes.mkdir(parents=True, exist_ok=True)
        (self.dir / "jupyterhub_config.py").write_text(self.config())
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", "jupyterhub_config.py"],
            cwd=self.dir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # Started from the main thread before any student thread exists.
            preexec_fn=_stop_with_parent,  # noqa: PLW1509
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_up(self):
        t0 = time.perf_counter()
        while True:
            if self.proc.poll() is not None:
                raise HubError(f"JupyterHub exited:\n{self.log_tail()}")
            try:
                if self.api("GET", "/").status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.perf_counter() - t0 > HUB_START_TIMEOUT:
                raise HubError(f"JupyterHub did not answer:\n{self.log_tail()}")
            time.sleep(0.3)
        self.start_seconds = time.perf_counter() - t0

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            # The hub stops its users' servers (local processes) and its proxy.
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        self._kill_leftovers()
        if self._own_dir and not os.environ.get("RNN_COURSE_KEEP_HUB"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def _kill_leftovers(self):
        """Processes of this hub still alive after it stopped (it should leave none)."""
        import psutil

        mine = str(self.dir)
        for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
            try:
                text = (
                    " ".join(proc.info["cmdline"] or [])
                    + " "
                    + (proc.info["cwd"] or "")
                )
                if mine in text and proc.pid != os.getpid():
                    proc.kill()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass

    def log_tail(self, n=40):
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-n:])
        except OSError:
            return "(no log)"

    def api(self, method, path, **kw):
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=120, **kw
        )

    def create_user(self, name):
        r = self.api("POST", f"/users/{name}")
        if r.status_code not in (201, 409):
            raise HubError(f"creating {name}: {r.status_code} {r.text}")
        return Student(self, name)


class Student:
    """One simulated student: a browser-like session, kernel calls on their server."""

    def __init__(self, hub, name):
        self.hub = hub
        self.name = name
        self.session = requests.Session()
        self.home = hub.homes / name
        self.times = {}

    # --- the hub ---------------------------------------------------------------
    def log_in(self):
        """The hub's login form, as a browser fills it (with its _xsrf field)."""
        page = self.session.get(f"{self.hub.url}/hub/login", timeout=60)
        page.raise_for_status()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        data = {"username": self.name, "password": self.hub.password}
        if xsrf:
            data["_xsrf"] = xsrf.group(1)
        r = self.session.post(
            f"{self.hub.url}/hub/login", data=data, allow_redirects=False, timeout=60
        )
        if r.status_code != 302 or not any(
            c.name.startswith("jupyterhub-session") for c in self.session.cookies
        ):
            raise HubError(
                f"{self.name} could not log in: {r.status_code} {r.text[:300]}"
            )

    def start_server(self):
        """POST /users/NAME/server with the service token; wait until it is ready."""
        t0 = time.perf_counter()
        r = self.hub.api("POST", f"/users/{self.name}/server")
        if r.status_code not in (201, 202, 400):
            raise HubError(f"starting {self.name}'s server: {r.status_code} {r.text}")
        while True:
            model = self.hub.api("GET", f"/users/{self.name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                break
            if not model.get("pending") and not server:
                raise HubError(
                    f"{self.name}'s server failed to start:\n{self.hub.log_tail()}"
                )
            if time.perf_counter() - t0 > self.hub.spawn_timeout:
                raise HubError(
                    f"{self.name}'s server not ready after {self.hub.spawn_timeout} s"
                )
            time.sleep(0.2)
        self.times["server_start"] = time.perf_counter() - t0
        self.base = f"{self.hub.url}/user/{self.name}/"

    # --- nbgitpuller -------------------------------------------------------------
    def pull_course(self, repo):
        """Follow the course's nbgitpuller link, then make the request its page makes.

        The link (/hub/user-redirect/git-pull?...) goes through the hub and the server's
        OAuth login to nbgitpuller's status page; that page's script opens an
        EventSource on git-pull/api with the same parameters, which clones (first
        time) or merges. Both requests carry the student's cookies, as a browser's do.
        """
        t0 = time.perf_counter()
        link = nbgitpuller_link(
            self.hub.url,
            f"file://{repo}",
            BRANCH,
            "notebooks/01_sine_lag_dataset.ipynb",
            targetpath=TARGET,
        )
        page = self.session.get(link, timeout=120)
        if page.status_code != 200 or "data-repo" not in page.text:
            raise HubError(
                f"{self.name}: the nbgitpuller link gave {page.status_code} at "
                f"{page.url}: {page.text[:300]}"
            )
        self.link_landed_at = page.url
        params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        api = {k: params[k] for k in ("repo", "branch", "targetpath")}
        xsrf = self.session.cookies.get("_xsrf", path=f"/user/{self.name}/")
        if xsrf:
            api["_xsrf"] = xsrf
        events = []
        with self.session.get(
            f"{self.base}git-pull/api", params=api, stream=True, timeout=300
        ) as r:
            if r.status_code != 200:
                raise HubError(
                    f"{self.name}: git-pull/api {r.status_code} {r.text[:300]}"
                )
            for line in r.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    event = json.loads(line[len("data: ") :])
                    events.append(event)
                    if event.get("phase") in ("finished", "error"):
                        break
        if not events or events[-1].get("phase") != "finished":
            raise HubError(f"{self.name}: nbgitpuller did not finish: {events[-3:]}")
        self.urlpath = params["urlpath"]
        self.times["pull"] = time.perf_counter() - t0
        return events

    # --- the server's APIs, with the service token ---------------------------------
    def server_api(self, method, path, **kw):
        headers = {"Authorization": f"token {self.hub.token}"}
        r = requests.request(
            method, f"{self.base}api/{path}", headers=headers, timeout=300, **kw
        )
        if r.status_code >= 400:
            raise HubError(
                f"{self.name}: {method} api/{path}: {r.status_code} {r.text[:300]}"
            )
        return r.json() if r.content else None

    def notebook(self, path):
        """The notebook as the server sees it in the student's folder (contents API)."""
        return self.server_api("GET", f"contents/{path}")["content"]

    def open_kernel(self, notebook_path):
        """A session for the notebook (its kernel in the notebook's folder), as in
        JupyterLab."""
        t0 = time.perf_counter()
        model = self.server_api(
            "POST",
            "sessions",
            json={
                "path": notebook_path,
                "name": pathlib.PurePosixPath(notebook_path).name,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        kernel = Kernel(self, model["kernel"]["id"])
        kernel.wait_ready()
        self.times["kernel_start"] = time.perf_counter() - t0
        return kernel

    def run_notebook(self, notebook_path):
        """Every code cell in order in one kernel; the first error stops the run."""
        nb = self.notebook(notebook_path)
        kernel = self.open_kernel(notebook_path)
        t0 = time.perf_counter()
        cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for index, cell in enumerate(cells):
            source = (
                "".join(cell["source"])
                if isinstance(cell["source"], list)
                else cell["source"]
            )
            reply = kernel.execute(source)
            if reply["status"] != "ok":
                raise HubError(
                    f"{self.name}: {notebook_path} code cell {index} failed: "
                    f"{reply.get('ename')}: {reply.get('evalue')}\n"
                    f"{reply.get('traceback', '')}"
                )
        self.times["notebook_run"] = time.perf_counter() - t0
        return kernel, len(cells)


class Kernel:
    """A kernel over the server's websocket, speaking the Jupyter protocol as
    JupyterLab does."""

    def __init__(self, student, kernel_id):
        self.student = student
        self.id = kernel_id
        self.session = uuid.uuid4().hex
        ws_url = student.base.replace("http://", "ws://", 1)
        self.ws = websocket.create_connection(
            f"{ws_url}api/kernels/{kernel_id}/channels?session_id={self.session}",
            header=[f"Authorization: token {student.hub.token}"],
            timeout=CELL_TIMEOUT,
        )
        self.lock = threading.Lock()

    def _send(self, msg_type, content, channel="shell"):
        msg = _msg(msg_type, content, channel, self.session)
        self.ws.send(json.dumps(msg))
        return msg["header"]["msg_id"]

    def _until_idle(self, msg_id, want_reply=True):
        """Messages answering msg_id until the kernel is idle (and its reply is in)."""
        reply, messages, idle = None, [], False
        deadline = time.perf_counter() + CELL_TIMEOUT
        while not (idle and (reply is not None or not want_reply)):
            if time.perf_counter() > deadline:
                raise HubError(f"{self.student.name}: no answer from the kernel")
            raw = self.ws.recv()
            # a message with binary buffers (a picture widget's new PNG) comes as bytes
            msg = json.loads(raw) if isinstance(raw, str) else decode_binary(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            messages.append(msg)
            kind = msg["header"]["msg_type"]
            if msg["channel"] == "shell" and kind.endswith("_reply"):
                reply = msg["content"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return reply, messages

    def wait_ready(self):
        for _ in range(60):
            msg_id = self._send("kernel_info_request", {})
            try:
                self.ws.settimeout(10)
                reply, _ = self._until_idle(msg_id)
                if reply is not None:
                    return reply
            except websocket.WebSocketTimeoutException:
                continue
            finally:
                self.ws.settimeout(CELL_TIMEOUT)
        raise HubError(f"{self.student.name}: kernel never answered kernel_info")

    def execute(self, code):
        """execute_request; the reply's content plus the iopub messages it caused."""
        with self.lock:
            msg_id = self._send(
                "execute_request",
                {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            )
            reply, messages = self._until_idle(msg_id)
        out = dict(reply)
        if reply["status"] == "error":
            out["traceback"] = "\n".join(reply.get("traceback", []))
        out["messages"] = messages
        out["stdout"] = "".join(
            m["content"]["text"]
            for m in messages
            if m["header"]["msg_type"] == "stream" and m["content"]["name"] == "stdout"
        )
        return out

    def comm_update(self, comm_id, state):
        """What JupyterLab sends when a slider is moved; returns the seconds until the
        kernel is idle again (the callback done) and the messages the callback
        caused."""
        with self.lock:
            t0 = time.perf_counter()
            msg_id = self._send(
                "comm_msg",
                {
                    "comm_id": comm_id,
                    "data": {"method": "update", "state": state, "buffer_paths": []},
                },
            )
            _, messages = self._until_idle(msg_id, want_reply=False)
            return time.perf_counter() - t0, messages

    def close(self):
        try:
            self.ws.close()
        finally:
            self.student.server_api("DELETE", f"kernels/{self.id}")


def widget_sliders(messages):
    """{description: comm_id} of the sliders among the comm_open messages of a cell."""
    found = {}
    for m in messages:
        if m["header"]["msg_type"] != "comm_open":
            continue
        state = m["content"]["data"].get("state", {})
        if state.get("_model_name", "").endswith("SliderModel") and state.get(
            "description"
        ):
            found[state["description"]] = m["content"]["comm_id"]
    return found


def decode_binary(raw):
    """A kernel message sent as bytes (Jupyter Server's binary websocket frame: a JSON
    part and its buffers) as a dict, its buffers under "buffers"."""
    return deserialize_binary_message(raw)


PNG_SIGNATURE = b"\x89PNG"


def images_in(messages):
    """How many PNG pictures the messages carry: displayed (display_data /
    update_display_data) or sent to a picture widget in place (a comm_msg whose
    buffers hold a PNG, helpers.live)."""
    shown = 0
    for m in messages:
        kind = m["header"]["msg_type"]
        if kind in ("display_data", "update_display_data"):
            shown += "image/png" in m["content"].get("data", {})
        elif kind == "comm_msg":
            shown += any(bytes(b[:4]) == PNG_SIGNATURE for b in m.get("buffers", []))
    return shown


def _processes_of(name):
    """The user's single-user server and its kernels (they carry JUPYTERHUB_USER)."""
    import psutil

    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get("JUPYTERHUB_USER") == name:
                yield proc
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass


def cpu_seconds_of(name):
    """CPU time (user + system, s) used so far by a user's server and kernels."""
    import psutil

    total = 0.0
    for proc in _processes_of(name):
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return total


def memory_of(name):
    """RSS and USS (MB) of a user's processes: their server and its kernels."""
    import psutil

    rss = uss = server_rss = 0
    count = 0
    for proc in _processes_of(name):
        try:
            info = proc.memory_full_info()
            if any("jupyterhub-singleuser" in part for part in proc.cmdline()):
                server_rss += info.rss
            rss += info.rss
            uss += info.uss
            count += 1
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return {
        "rss_mb": rss / 2**20,
        "uss_mb": uss / 2**20,
        "server_rss_mb": server_rss / 2**20,
        "processes": count,
    }
