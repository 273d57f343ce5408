"""Execute every notebook; print each one's wall time and its kernel's peak memory.

    python benchmarks/notebooks.py            # measure only, notebooks untouched
    python benchmarks/notebooks.py --write    # also store the fresh outputs (re-execute the course)

Each notebook runs in its own child process, which starts the kernel; after the kernel
has exited, the child reads its peak resident memory (RUSAGE_CHILDREN).  Targets on a
2-core CPU: <= 15 s and <= 600 MB per notebook.
"""

import argparse
import json
import pathlib
import resource
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 120  # seconds; nbconvert has been seen to stall on widget notebooks, so always bound it
TIME_TARGET_S = 15
MEMORY_TARGET_MB = 600


def run_one(path, write):
    """Execute one notebook in this process's child kernel; return wall seconds and the kernel's peak MB."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    wall = time.perf_counter() - start
    if write:
        # execution timestamps change on every run and say nothing to a reader
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
    # Linux reports KiB
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall_s": wall, "peak_mb": peak_mb}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--write",
        action="store_true",
        help="store the executed outputs in the notebooks",
    )
    # internal: run a single notebook in this process
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument(
        "notebooks", nargs="*", help="notebooks to run (default: all in notebooks/)"
    )
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(pathlib.Path(args.one), args.write)))
        return 0
    paths = [pathlib.Path(p).resolve() for p in args.notebooks] or NOTEBOOKS
    print(f"{'notebook':<32} {'wall s':>7} {'kernel peak MB':>15}")
    total, worst = 0.0, 0
    for path in paths:
        cmd = [sys.executable, __file__, "--one", str(path)] + (
            ["--write"] if args.write else []
        )
        # check=False: a failing notebook is reported below, with its stderr
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode:
            print(f"{path.name:<32} FAILED\n{proc.stderr[-3000:]}")
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        flag = (
            ""
            if r["wall_s"] <= TIME_TARGET_S and r["peak_mb"] <= MEMORY_TARGET_MB
            else "  over target"
        )
        print(f"{path.name:<32} {r['wall_s']:7.1f} {r['peak_mb']:15.0f}{flag}")
        total += r["wall_s"]
        worst = max(worst, r["peak_mb"])
    print(f"{'total':<32} {total:7.1f} {worst:15.0f} (largest)")
    print(f"targets: <= {TIME_TARGET_S} s and <= {MEMORY_TARGET_MB} MB per notebook")
    return 0


if __name__ == "__main__":
    sys.exit(main())
