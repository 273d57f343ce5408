"""tools/nbgitpuller_link.py: the links an instructor hands out (format checked here;
`make test-hub` follows one through a real hub and nbgitpuller)."""

import importlib.util
import pathlib
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location(
    "nbgitpuller_link", ROOT / "tools" / "nbgitpuller_link.py"
)
tool = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(tool)
link = tool.nbgitpuller_link

NB = "notebooks/01_sine_lag_dataset.ipynb"


def test_the_link_is_exactly_nbgitpullers_format():
    assert link(
        "https://hub.example.edu", "https://github.com/o/rnn", "student", NB
    ) == (
        "https://hub.example.edu/hub/user-redirect/git-pull"
        "?repo=https%3A%2F%2Fgithub.com%2Fo%2Frnn"
        "&branch=student"
        "&targetpath=rnn"
        "&urlpath=lab%2Ftree%2Frnn%2Fnotebooks%2F01_sine_lag_dataset.ipynb"
    )


def test_the_parameters_decode_back_to_what_was_asked():
    url = link(
        "https://example.edu/jupyter/",
        "https://gitlab.example.edu/course/rnn-forecasting.git",
        "week-1",
        "notebooks/05_real_series.ipynb",
        app="notebook",
    )
    parts = urlsplit(url)
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"
    assert parse_qs(parts.query) == {
        "repo": ["https://gitlab.example.edu/course/rnn-forecasting.git"],
        "branch": ["week-1"],
        # .git is not part of the folder's name
        "targetpath": ["rnn-forecasting"],
        "urlpath": ["tree/rnn-forecasting/notebooks/05_real_series.ipynb"],
    }


@pytest.mark.parametrize(
    "hub",
    ["https://h.edu", "https://h.edu/", "https://h.edu/hub", "https://h.edu/hub/"],
)
def test_a_hub_url_with_or_without_hub_gives_one_link(hub):
    assert link(hub, "https://github.com/o/r", "main", NB).startswith(
        "https://h.edu/hub/user-redirect/git-pull?"
    )


def test_targetpath_and_folder_links():
    url = link(
        "https://h.edu", "https://github.com/o/r", "main", targetpath="rnn-course"
    )
    query = parse_qs(urlsplit(url).query)
    assert query["targetpath"] == ["rnn-course"]
    assert query["urlpath"] == ["lab/tree/rnn-course"]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("hub.edu", "https://github.com/o/r", "main"), {}, "hub_url"),
        (("https://h.edu", "", "main"), {}, "repo_url"),
        (("https://h.edu", "https://github.com/o/r", ""), {}, "branch"),
        (("https://h.edu", "https://github.com/o/r", "a b"), {}, "branch"),
        (
            ("https://h.edu", "https://github.com/o/r", "main", "../x.ipynb"),
            {},
            "notebook_path",
        ),
        (("https://h.edu", "https://github.com/o/r", "main"), {"app": "voila"}, "app"),
        (
            ("https://h.edu", "https://github.com/o/r", "main"),
            {"targetpath": "/abs/.."},
            "targetpath",
        ),
    ],
)
def test_wrong_arguments_are_refused_by_name(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        link(*args, **kwargs)


def test_the_command_line_prints_one_link_per_notebook(capsys):
    assert (
        tool.main(
            ["--hub", "https://h.edu", "--repo", "https://github.com/o/r", "--all"]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert [line.split(": ")[0] for line in lines] == [
        f"notebooks/{n}" for n in notebooks
    ]
    assert all("&branch=student&" in line for line in lines)
