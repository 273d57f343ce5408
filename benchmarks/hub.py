"""A class on one JupyterHub server: K students at once, measured (not a test).

    .venv/bin/python benchmarks/hub.py                 # K = 1, 5, 10, 20
    .venv/bin/python benchmarks/hub.py --students 1 5 --moves 3 --think 2

Needs `make setup-hub`. For each K, a fresh hub (tools/hub_harness.py: dummy
authenticator, local process spawner, the course's environment) and K students who,
all at the same time, as a class does when told "open the link now":

1. log in and get their server (server start: the API's POST until the hub says ready);
2. pull the course with nbgitpuller;
3. open notebook 02 (or --notebook) and run it top to bottom (kernel start; notebook
   run: all code cells, as Run All; CPU seconds of the student's processes for both);
4. once everyone has run it (a barrier), build notebook 02's model widget and explore
   it: --moves slider moves each, each followed by --think seconds of looking at the
   picture (the think time), the students' first moves spread over one think time.
   Callback latency: from the comm message JupyterLab sends to the kernel's idle
   (retrain + redraw + the picture sent); CPU seconds per move;
5. memory per user: RSS and USS of the student's server and kernel, both alive (and
   the server's RSS alone).

Prints one row per K and writes the figures as JSON (--json).
"""

import argparse
import json
import os
import pathlib
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import hub_harness as harness

NOTEBOOK = "02_vanilla_rnn.ipynb"
# Slider positions (lags L) a student tries, in order, cycling.
LAGS = (1, 4, 7, 10, 2, 5, 3, 8)


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def one_student(hub, name, repo, barrier, moves, think, rng_seed, record, notebook):
    try:
        _one_student(hub, name, repo, barrier, moves, think, rng_seed, record, notebook)
    except BaseException:
        # The others must not wait at the barrier for a student who failed.
        barrier.abort()
        raise


def _one_student(hub, name, repo, barrier, moves, think, rng_seed, record, notebook):
    rng = random.Random(rng_seed)
    student = hub.create_user(name)
    student.log_in()
    student.start_server()
    student.pull_course(repo)
    cpu_before_run = harness.cpu_seconds_of(name)
    kernel, _ = student.run_notebook(f"{harness.TARGET}/notebooks/{notebook}")
    # CPU seconds of the kernel start and the run (server and kernel processes).
    cpu_run = harness.cpu_seconds_of(name) - cpu_before_run
    built = kernel.execute(harness.WIDGET_CODE)
    slider = harness.widget_sliders(built["messages"])["lags L"]
    barrier.wait()
    time.sleep(rng.uniform(0, think))
    latencies = []
    cpu_before_moves = harness.cpu_seconds_of(name)
    for i in range(moves):
        seconds, messages = kernel.comm_update(slider, {"value": LAGS[i % len(LAGS)]})
        if harness.images_in(messages) != 1:
            raise harness.HubError(f"{name}: move {i} sent no picture")
        latencies.append(seconds)
        time.sleep(think)
    cpu_per_move = (harness.cpu_seconds_of(name) - cpu_before_moves) / moves
    memory = harness.memory_of(name)
    record[name] = {
        **student.times,
        "latencies": latencies,
        "cpu_run_s": cpu_run,
        "cpu_per_move_s": cpu_per_move,
        **memory,
    }
    # Everyone measured their memory before any kernel goes away.
    barrier.wait()
    kernel.close()


def run_class(k, moves, think, notebook=NOTEBOOK):
    # The 1-minute load average before the class starts: other work on the box.
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="rnn-hub-bench-") as work:
        work = pathlib.Path(work)
        repo = harness.publish_course(work)
        with harness.Hub(work / "hub", spawn_timeout=900) as hub:
            record = {}
            barrier = threading.Barrier(k)
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=k) as pool:
                futures = [
                    pool.submit(
                        one_student,
                        hub,
                        f"student{i:02d}",
                        repo,
                        barrier,
                        moves,
                        think,
                        i,
                        record,
                        notebook,
                    )
                    for i in range(1, k + 1)
                ]
                for f in futures:
                    f.result()
            wall = time.perf_counter() - t0
            hub_start = hub.start_seconds
    students = list(record.values())
    lat = [x for s in students for x in s["latencies"]]

    def summary(key):
        values = [s[key] for s in students]
        return {
            "median": statistics.median(values),
            "max": max(values),
        }

    return {
        "K": k,
        "load_before": load_before,
        "hub_start_s": hub_start,
        "wall_s": wall,
        "server_start_s": summary("server_start"),
        "pull_s": summary("pull"),
        "kernel_start_s": summary("kernel_start"),
        "notebook_run_s": summary("notebook_run"),
        "callback_p50_s": percentile(lat, 50),
        "callback_p95_s": percentile(lat, 95),
        "callback_max_s": max(lat),
        "callbacks": len(lat),
        "cpu_run_s": summary("cpu_run_s"),
        "cpu_per_move_s": summary("cpu_per_move_s"),
        "rss_mb_per_user": summary("rss_mb"),
        "server_rss_mb": summary("server_rss_mb"),
        "uss_mb_per_user": summary("uss_mb"),
    }


def pair(summary, fmt):
    """median / max of a summary, formatted."""
    return f"{fmt.format(summary['median'])} / {fmt.format(summary['max'])}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--moves", type=int, default=8, help="slider moves per student")
    parser.add_argument(
        "--think", type=float, default=5.0, help="seconds between a student's moves"
    )
    parser.add_argument(
        "--notebook", default=NOTEBOOK, help=f"the notebook run (default {NOTEBOOK})"
    )
    parser.add_argument("--json", type=pathlib.Path, help="write the figures here")
    args = parser.parse_args()
    missing = harness.check_prerequisites()
    if missing:
        sys.exit("run `make setup-hub` first; missing: " + "; ".join(missing))
    print(
        f"{os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.0f} GB; "
        f"{args.notebook}; {args.moves} moves per student, think time {args.think:g} s"
    )
    header = (
        "| K | server start s (median / max) | notebook run s (median / max) "
        "| callback p50 / p95 / max s | RSS MB per user (median / max) "
        "| USS MB per user (median) | CPU s per run / per move (median) | wall s "
        "| load before |"
    )
    print(header)
    print("|" + "---|" * 9)
    rows = []
    for k in args.students:
        row = run_class(k, args.moves, args.think, args.notebook)
        rows.append(row)
        cells = [
            str(k),
            pair(row["server_start_s"], "{:.1f}"),
            pair(row["notebook_run_s"], "{:.1f}"),
            " / ".join(
                f"{row[key]:.2f}"
                for key in ("callback_p50_s", "callback_p95_s", "callback_max_s")
            ),
            pair(row["rss_mb_per_user"], "{:.0f}"),
            f"{row['uss_mb_per_user']['median']:.0f}",
            f"{row['cpu_run_s']['median']:.1f} / {row['cpu_per_move_s']['median']:.2f}",
            f"{row['wall_s']:.0f}",
            f"{row['load_before']:.1f}",
        ]
        print("| " + " | ".join(cells) + " |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
