"""tools/binder_badge.py (`make binder-badge`): the README's Binder badge pointed at a fork
from its git remote; and the README's badge is either that or the placeholder OWNER/REPO
with the one command that fills it in next to it."""

import importlib.util
import pathlib
import re
import subprocess
import sys
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "binder_badge.py"
SPEC = importlib.util.spec_from_file_location("binder_badge", TOOL)
badge = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(badge)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/alice/rnn-course",
        "https://github.com/alice/rnn-course.git",
        "https://github.com/alice/rnn-course/",
        "git@github.com:alice/rnn-course.git",
        "ssh://git@github.com/alice/rnn-course.git",
        "https://token@github.com/alice/rnn-course.git\n",
    ],
)
def test_a_github_remote_gives_owner_and_repo(url):
    assert badge.github_repo(url) == "alice/rnn-course"


@pytest.mark.parametrize(
    "url",
    [
        "https://gitlab.com/alice/rnn-course.git",
        "/srv/git/rnn-course",
        "https://github.com/alice",
    ],
)
def test_any_other_remote_is_refused_with_what_to_do(url):
    with pytest.raises(ValueError, match="--repo OWNER/REPO"):
        badge.github_repo(url)


def test_the_rewrite_keeps_the_notebook_the_badge_opens():
    text = (ROOT / "README.md").read_text()
    new = badge.rewrite(text, "alice/rnn-course", "main")
    assert badge.badge_links(new) == [("alice/rnn-course", "main")]
    (old_url,) = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", text)
    (new_url,) = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", new)
    assert urllib.parse.urlparse(new_url).query == urllib.parse.urlparse(old_url).query
    # nothing else of the README changes
    assert new.replace(new_url, old_url) == text
    with pytest.raises(ValueError):
        badge.rewrite(text, "not a repo")


def test_the_command_reads_the_remote_of_a_clone(tmp_path):
    repo = tmp_path / "fork"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    readme = tmp_path / "README.md"
    readme.write_text((ROOT / "README.md").read_text())
    run = [sys.executable, str(TOOL), "--readme", str(readme)]
    # no remote yet: a message saying what to do, the README untouched
    no_remote = subprocess.run(
        [*run, "--remote", "nowhere"], check=False, capture_output=True, text=True
    )
    assert no_remote.returncode == 2 and "--repo OWNER/REPO" in no_remote.stderr
    assert readme.read_text() == (ROOT / "README.md").read_text()
    subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "remote",
            "add",
            "origin",
            "git@github.com:bob/rnn.git",
        ],
        check=True,
    )
    # the tool reads the remote of the checkout it lives in; here, the fork's
    fork_tool = repo / "tools" / "binder_badge.py"
    fork_tool.parent.mkdir()
    fork_tool.write_text(TOOL.read_text())
    subprocess.run(
        [sys.executable, str(fork_tool), "--readme", str(readme)], check=True
    )
    assert badge.badge_links(readme.read_text()) == [("bob/rnn", "HEAD")]
    check = [sys.executable, str(fork_tool), "--readme", str(readme), "--check"]
    assert subprocess.run(check, check=False, capture_output=True).returncode == 0
    other = [*check[:-1], "--repo", "carol/rnn", "--check"]
    assert subprocess.run(other, check=False, capture_output=True).returncode == 1


def test_the_readme_badge_is_a_repository_or_the_explained_placeholder():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### Run in the browser (Binder)") :]
    section = section[: section.index("\n### ", 1)]
    ((repo, ref),) = badge.badge_links(section)
    if repo == "OWNER/REPO":
        # the placeholder is explained where it stands, with the command that fills it in
        assert "make binder-badge" in section and "OWNER/REPO" in section
        assert "tools/binder_badge.py --repo" in section
    else:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo)
    assert ref == "HEAD"
