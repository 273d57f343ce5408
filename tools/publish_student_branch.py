"""Publish the handout as a `student` branch, for nbgitpuller or a plain `git clone`.

    python tools/publish_student_branch.py [--repo PATH] [--branch student] [--push REMOTE]

Builds the same content as `make handout` (tools/handout.py: the student notebooks, the
helpers package, requirements.txt, pyproject.toml, INSTALL.md, GLOSSARY.md, the licenses)
from this checkout and commits it as the whole tree of BRANCH in the git repository at
PATH (default: this checkout's repository). The new commit's parent is the branch's
previous tip, so students who pulled it before get a fast-forward; nothing is committed
when the content has not changed. Only git's plumbing is used (a temporary index, write-tree,
commit-tree, update-ref): the checked-out branch, its working tree and its index are not
touched. With --push REMOTE, `git push REMOTE BRANCH` follows.

Then, for nbgitpuller, point the link at this branch (branch=student); the notebooks are in
notebooks/, and the hub's image must install the helpers package (pip install from the
branch's root, or the course's own requirements).
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

# a sibling script: tools/ is on the path when this one runs (and in the tests)
import handout

ROOT = pathlib.Path(__file__).resolve().parents[1]


def git(repo, *args, env=None, check=True):
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env=env,
    )
    if check and done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed:\n{done.stderr}")
    return done


def source_commit():
    """This checkout's HEAD, named in the commit message (or None outside git)."""
    done = git(ROOT, "rev-parse", "--short", "HEAD", check=False)
    dirty = git(ROOT, "status", "--porcelain", check=False).stdout.strip()
    if done.returncode != 0:
        return None
    return done.stdout.strip() + ("+uncommitted changes" if dirty else "")


def _identity(repo):
    """The environment for commit-tree: the repository's user, or a stated one when git
    has none configured (a CI clone)."""
    env = dict(os.environ)
    for key, var in [("user.name", "NAME"), ("user.email", "EMAIL")]:
        if not git(repo, "config", key, check=False).stdout.strip():
            fallback = "Course handout" if var == "NAME" else "handout@localhost"
            env.setdefault(f"GIT_AUTHOR_{var}", fallback)
            env.setdefault(f"GIT_COMMITTER_{var}", fallback)
    return env


def publish(repo, branch="student", message=None):
    """Commit the handout as BRANCH's tree in repo; return (commit, created_new_commit)."""
    repo = pathlib.Path(repo)
    ref = f"refs/heads/{branch}"
    old = git(repo, "rev-parse", "--verify", "--quiet", ref, check=False)
    parent = old.stdout.strip() if old.returncode == 0 else None
    with tempfile.TemporaryDirectory() as tmp:
        content = pathlib.Path(tmp) / "content"
        handout.write_content(content)
        env = dict(os.environ, GIT_INDEX_FILE=str(pathlib.Path(tmp) / "index"))
        git(repo, f"--work-tree={content}", "add", "--all", "--force", ".", env=env)
        tree = git(repo, "write-tree", env=env).stdout.strip()
    if parent and git(repo, "rev-parse", f"{parent}^{{tree}}").stdout.strip() == tree:
        return parent, False
    if message is None:
        made_from = source_commit()
        message = "Student handout" + (f" from {made_from}" if made_from else "")
    args = ["commit-tree", tree, "-m", message]
    if parent:
        args += ["-p", parent]
    commit = git(repo, *args, env=_identity(repo)).stdout.strip()
    update = ["update-ref", "-m", f"publish {branch}", ref, commit]
    # Refuse to move the branch if someone else moved it meanwhile.
    git(repo, *update, parent or "0" * 40)
    return commit, True


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repo", default=str(ROOT), help="git repository (default: here)")
    ap.add_argument(
        "--branch", default="student", help="branch name (default: student)"
    )
    ap.add_argument("--push", metavar="REMOTE", help="then git push REMOTE BRANCH")
    args = ap.parse_args(argv)
    commit, new = publish(args.repo, args.branch)
    state = "committed" if new else "unchanged, still"
    print(f"{args.branch}: {state} {commit[:12]}")
    if args.push:
        git(args.repo, "push", args.push, f"refs/heads/{args.branch}")
        print(f"pushed {args.branch} to {args.push}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
