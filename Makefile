# Two commands for a newcomer:  `make lab` (set up, open the course)  and  `make test` (set up, run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup lab lint test test-browser test-cpu-paths notebooks bench

# The virtual environment is (re)built whenever the pinned requirements change.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

# JupyterLab refuses to run as root unless told to (containers and classroom VMs often are root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/01_sine_lag_dataset.ipynb

# Two workers share the two cores; loadscope keeps each notebook's nbval cells (one kernel) on one worker.
# Without reordering, scopes start in collection order, which puts the long browser tests first.
test: setup lint
	$(BIN)/python -m pytest -n 2 --dist loadscope --ignore=tests/e2e

# The linter and formatter keep notebooks, helpers, tests and benchmarks in one style.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive JupyterLab in Chromium: every notebook run, every widget moved.
# They repeat every notebook's run in a browser, so they live outside `make test`'s minute.
test-browser: setup
	$(BIN)/python -m pytest -n 2 --dist loadscope tests/e2e

# The notebooks' stored outputs must hold on any CPU: re-run nbval under torch's other CPU code
# paths (scalar kernels, AVX2), which add floating-point numbers in other orders, as other machines do.
CPU_PATHS ?= default avx2
test-cpu-paths: setup
	@set -e; for path in $(CPU_PATHS); do \
	    echo "== nbval with ATEN_CPU_CAPABILITY=$$path"; \
	    ATEN_CPU_CAPABILITY=$$path $(BIN)/python -m pytest -q -n 2 --dist loadscope notebooks/; \
	done

# Re-execute every notebook and store its outputs (after changing helpers/), printing times and memory.
notebooks: setup
	$(BIN)/python benchmarks/notebooks.py --write

bench: setup
	$(BIN)/python benchmarks/notebooks.py
