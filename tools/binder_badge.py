"""Point the README's Binder badge at this repository's GitHub copy (your fork).

    python3 tools/binder_badge.py                  # from `git remote get-url origin`
    python3 tools/binder_badge.py --remote upstream
    python3 tools/binder_badge.py --repo alice/rnn-course [--ref main]
    python3 tools/binder_badge.py --check          # exit 1 if the badge points elsewhere

Binder builds a GitHub repository from its address, so the badge's link must name it:
https://mybinder.org/v2/gh/OWNER/REPO/REF?urlpath=... This script reads OWNER/REPO from the
git remote (https://github.com/OWNER/REPO(.git) or git@github.com:OWNER/REPO(.git)) and
rewrites the link in README.md's Binder section, keeping the rest of it (the notebook it
opens). Only GitHub remotes: mybinder.org's gh/ route takes no other host.
Standard library only: it runs before any install.
"""

import argparse
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# The badge's link: owner, repository and ref, then the query that picks the notebook.
LINK = re.compile(
    r"https://mybinder\.org/v2/gh/(?P<owner>[^/\s)]+)/(?P<repo>[^/\s)]+)/(?P<ref>[^?\s)]+)"
)
REMOTE = re.compile(
    r"^(?:https://(?:[^@/]+@)?github\.com/|ssh://git@github\.com/|git@github\.com:)"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)(?:\.git)?/?$"
)


def github_repo(url):
    """'OWNER/REPO' of a GitHub remote URL; ValueError for any other URL."""
    m = REMOTE.match(url.strip())
    if not m:
        raise ValueError(
            f"not a GitHub remote: {url.strip()!r}; Binder's badge needs the repository's "
            "GitHub address (or pass --repo OWNER/REPO)"
        )
    return f"{m.group('owner')}/{m.group('repo')}"


def remote_url(remote="origin", root=ROOT):
    done = subprocess.run(
        ["git", "-C", str(root), "remote", "get-url", remote],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise ValueError(
            f"no git remote {remote!r} here ({done.stderr.strip()}); push the course to "
            "GitHub first, or pass --repo OWNER/REPO"
        )
    return done.stdout.strip()


def badge_links(text):
    """Every Binder link of the README text, as (owner/repo, ref)."""
    return [(f"{m['owner']}/{m['repo']}", m["ref"]) for m in LINK.finditer(text)]


def rewrite(text, repo, ref="HEAD"):
    """text with every Binder link pointed at repo (OWNER/REPO) and ref."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        raise ValueError(f"--repo must be OWNER/REPO, got {repo!r}")
    new, count = LINK.subn(f"https://mybinder.org/v2/gh/{repo}/{ref}", text)
    if count == 0:
        raise ValueError("README.md has no mybinder.org/v2/gh/ link to rewrite")
    return new


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--remote", default="origin", help="git remote (default: origin)")
    ap.add_argument("--repo", help="OWNER/REPO instead of reading the remote")
    ap.add_argument(
        "--ref", default="HEAD", help="branch, tag or commit (default: HEAD)"
    )
    ap.add_argument("--readme", default=str(README), help=argparse.SUPPRESS)
    ap.add_argument(
        "--check", action="store_true", help="only compare; exit 1 if it differs"
    )
    args = ap.parse_args(argv)
    readme = pathlib.Path(args.readme)
    try:
        repo = args.repo or github_repo(remote_url(args.remote))
        text = readme.read_text()
        new = rewrite(text, repo, args.ref)
    except ValueError as err:
        print(f"binder_badge: {err}", file=sys.stderr)
        return 2
    if args.check:
        if new != text:
            print(f"The Binder badge points at {badge_links(text)}, not {repo}.")
            return 1
        print(f"The Binder badge points at {repo}.")
        return 0
    readme.write_text(new)
    print(f"README.md: Binder badge -> https://mybinder.org/v2/gh/{repo}/{args.ref}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
