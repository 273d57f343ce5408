#!/usr/bin/env bash
# The Littlest JupyterHub (TLJH): install the course into the user environment that every
# student's server and kernel run from (/opt/tljh/user), and set per-user limits.
# Run as root on the TLJH server, once per term (and again after changing helpers/).
# It changes the environment every user of this hub shares: on a hub shared with other
# courses, install the course into a separate environment with its own kernel instead
# (hub/README.md, "The Littlest JupyterHub").
#
#   sudo bash hub/tljh-install.sh https://github.com/OWNER/REPO [BRANCH]
#
# Students then get the notebooks with an nbgitpuller link (tools/nbgitpuller_link.py);
# TLJH's user environment already has nbgitpuller; it is pinned here all the same.
# Not run by this repository's CI (TLJH needs a systemd machine of its own); see
# hub/README.md for what was tested.
set -euo pipefail

REPO=${1:?usage: tljh-install.sh REPO_URL [BRANCH]}
# The student branch (make publish-student): main holds the solutions, and the clone below
# is readable by every user of the hub.
BRANCH=${2:-student}
COURSE_DIR=${COURSE_DIR:-/opt/rnn-course}
USER_PY=${USER_PY:-/opt/tljh/user/bin/python}
# Per-user limits, from the measurements in hub/README.md ("Capacity").
MEM_LIMIT=${MEM_LIMIT:-1536M}
CPU_LIMIT=${CPU_LIMIT:-1}

# The course's pins need Python 3.11 or newer (numpy 2.4.6 and pandas 3.1.1 have no 3.10
# wheels).
if ! "$USER_PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "The TLJH user environment runs $("$USER_PY" --version); the course needs 3.11+." >&2
    echo "See hub/README.md, 'The Littlest JupyterHub', for a separate course kernel." >&2
    exit 1
fi

# The course's helpers package is installed editable from this clone (requirements.txt's
# last line, -e .): a `git pull` here updates every student's helpers at their next kernel.
if [ -d "$COURSE_DIR/.git" ]; then
    git -C "$COURSE_DIR" fetch -q origin "$BRANCH"
    git -C "$COURSE_DIR" checkout -q "$BRANCH"
    git -C "$COURSE_DIR" merge -q --ff-only "origin/$BRANCH"
else
    git clone -q --branch "$BRANCH" "$REPO" "$COURSE_DIR"
fi
chmod -R a+rX "$COURSE_DIR"

# requirements.txt's pins exactly, from the clone's root (for -e .); torch's CPU build from
# PyTorch's CPU index, as binder/requirements.txt does; nbgitpuller as in hub/requirements.txt.
cd "$COURSE_DIR"
"$USER_PY" -m pip install --no-cache-dir \
    --extra-index-url https://download.pytorch.org/whl/cpu \
    -r requirements.txt \
    nbgitpuller==1.3.0

"$USER_PY" -c 'import helpers.widgets, torch; print("helpers from", helpers.__file__, "torch", torch.__version__)'

tljh-config set limits.memory "$MEM_LIMIT"
tljh-config set limits.cpu "$CPU_LIMIT"
tljh-config reload
