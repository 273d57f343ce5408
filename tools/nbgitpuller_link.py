"""Make an nbgitpuller link: one click gives a hub user the course in their home folder.

    python tools/nbgitpuller_link.py --hub https://hub.example.edu \\
        --repo https://github.com/OWNER/REPO --branch student \\
        --notebook notebooks/01_sine_lag_dataset.ipynb

prints

    https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FOWNER%2FREPO&branch=student&targetpath=REPO&urlpath=lab%2Ftree%2FREPO%2Fnotebooks%2F01_sine_lag_dataset.ipynb

The link logs the student in (if needed), starts their server, and nbgitpuller (installed
in the single-user image, see hub/README.md) clones the branch into ~/REPO on the first
click and merges new commits on later clicks without overwriting the student's edits;
then it opens the notebook in JupyterLab. `--all` prints one link per notebook in
notebooks/. The format is nbgitpuller's (https://nbgitpuller.readthedocs.io, "link"):
the hub's /hub/user-redirect/git-pull with the parameters repo, branch, targetpath and
urlpath, each percent-encoded.
"""

import argparse
import pathlib
import posixpath
import sys
from urllib.parse import quote, urlencode, urlsplit

ROOT = pathlib.Path(__file__).resolve().parents[1]
APPS = {"lab": "lab/tree", "notebook": "tree"}


def default_targetpath(repo_url):
    """The folder nbgitpuller clones into by default: the repository's last path part."""
    name = repo_url.rstrip("/").split("/")[-1]
    name = name.removesuffix(".git")
    if not name:
        raise ValueError(f"cannot name a folder after repo {repo_url!r}")
    return name


def _relative_posix(path, what):
    path = str(path).replace("\\", "/").strip("/")
    parts = path.split("/") if path else []
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{what} must be a plain relative path, got {path!r}")
    return path


def nbgitpuller_link(
    hub_url, repo_url, branch, notebook_path=None, *, targetpath=None, app="lab"
):
    """The nbgitpuller link that clones `repo_url`'s `branch` and opens `notebook_path`.

    hub_url: the hub's address, with or without a trailing /hub (e.g.
    https://hub.example.edu or https://example.edu/jupyter). notebook_path: relative
    to the repository's root; None opens the repository's folder. targetpath: the
    folder in the user's home (default: the repository's name). app: "lab"
    (JupyterLab) or "notebook" (classic tree view).
    """
    scheme = urlsplit(hub_url).scheme
    if scheme not in ("http", "https") or not urlsplit(hub_url).netloc:
        raise ValueError(
            f"hub_url must start with https:// or http://, got {hub_url!r}"
        )
    if not repo_url:
        raise ValueError("repo_url is empty")
    if not branch or any(c.isspace() for c in branch):
        raise ValueError(f"branch must be a branch name, got {branch!r}")
    if app not in APPS:
        raise ValueError(f"app must be one of {sorted(APPS)}, got {app!r}")
    base = hub_url.rstrip("/")
    base = base.removesuffix("/hub")
    target = _relative_posix(targetpath or default_targetpath(repo_url), "targetpath")
    opened = target
    if notebook_path is not None:
        opened = posixpath.join(target, _relative_posix(notebook_path, "notebook_path"))
    params = {
        "repo": repo_url,
        "branch": branch,
        "targetpath": target,
        "urlpath": f"{APPS[app]}/{opened}",
    }
    query = urlencode(params, quote_via=quote, safe="")
    return f"{base}/hub/user-redirect/git-pull?{query}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hub", required=True, help="the hub's URL")
    parser.add_argument("--repo", required=True, help="the git repository's URL")
    parser.add_argument("--branch", default="student", help="default: student")
    parser.add_argument(
        "--notebook", help="path in the repository, e.g. notebooks/01_..."
    )
    parser.add_argument("--targetpath", help="folder in the user's home")
    parser.add_argument("--app", choices=sorted(APPS), default="lab")
    parser.add_argument(
        "--all", action="store_true", help="one link per notebook in notebooks/"
    )
    args = parser.parse_args(argv)
    if args.all:
        paths = [
            f"notebooks/{p.name}" for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
        ]
    else:
        paths = [args.notebook]
    for path in paths:
        link = nbgitpuller_link(
            args.hub,
            args.repo,
            args.branch,
            path,
            targetpath=args.targetpath,
            app=args.app,
        )
        print(f"{path}: {link}" if args.all else link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
