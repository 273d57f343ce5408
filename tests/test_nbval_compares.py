"""The suite must compare stored outputs: a notebook with one altered number must fail it."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_sine_lag_dataset.ipynb"
STORED = "lowest possible test MSE with one lag"


def test_an_altered_stored_output_fails_the_suite(tmp_path):
    nb = json.loads(NOTEBOOK.read_text())
    altered = []
    for index, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", ""))
            if out["output_type"] == "stream" and STORED in text:
                out["text"] = text.replace("e-03", "e-02")  # off by a factor of ten
                altered.append(index)
    assert len(altered) == 1, "the output this test alters is no longer in notebook 01"
    nb["cells"] = nb["cells"][: altered[0] + 1]  # the cells after it need not run
    copy = tmp_path / NOTEBOOK.name
    copy.write_text(json.dumps(nb))
    # Same configuration as the real run (pyproject's addopts), pointed at the altered copy.
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            str(copy),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )  # the return code is what this test checks
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "1 failed" in proc.stdout and STORED in proc.stdout
