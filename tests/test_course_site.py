"""tools/course_site.py's source folder for the website (no Jupyter Book needed): every
notebook in order, widgets turned into their stored pictures and a note, no widget state
left, links to pages kept and links to other files pointing at the repository.
tools/course.py runs what the Makefile runs. The built site itself is tested in a browser
(tests/e2e/test_site.py, `make test-site`)."""

import base64
import json
import os
import re

import course
import course_site
import pytest

ROOT = course_site.ROOT
NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix() for p in ROOT.glob("notebooks/[0-9][0-9]_*.ipynb")
)
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fake").decode()


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    src = tmp_path_factory.mktemp("site") / "src"
    course_site.stage(src, repo=None)
    return src


def test_the_table_of_contents_is_the_teaching_order(staged):
    toc = json.loads((staged / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for c in toc["chapters"]]
    assert toc["root"] == "index"
    assert files == [nb.removesuffix(".ipynb") for nb in NOTEBOOKS] + [
        "INSTRUCTOR",
        "GLOSSARY",
    ]


def test_the_build_executes_nothing_and_loads_no_widget_script(staged):
    cfg = json.loads((staged / "_config.yml").read_text(encoding="utf-8"))
    assert cfg["execute"]["execute_notebooks"] == "off"
    assert cfg["sphinx"]["config"]["nb_ipywidgets_js"] == {}
    assert "sphinx_thebe" not in cfg["sphinx"]["config"]["extensions"]
    assert "sphinx-mathjax-offline" in cfg["sphinx"]["config"]["extensions"]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_widgets_become_their_stored_pictures(staged, notebook):
    page = json.loads((staged / notebook).read_text(encoding="utf-8"))
    original = json.loads((ROOT / notebook).read_text(encoding="utf-8"))
    assert "widgets" not in page["metadata"]
    text = json.dumps(page)
    assert course_site.WIDGET_VIEW not in text
    views = json.dumps(original).count(course_site.WIDGET_VIEW + '"')
    notes = text.count("A widget: its sliders and buttons work in JupyterLab")
    assert notes == views
    # the page's first cells: the title, then how to run it live
    assert "Run this notebook live" in "".join(page["cells"][1]["source"])


def _state(models):
    return {"application/vnd.jupyter.widget-state+json": {"state": models}}


def test_a_picture_is_found_in_an_output_an_image_widget_or_a_canvas_and_nested():
    models = {
        "box": {
            "model_name": "VBoxModel",
            "state": {"children": ["IPY_MODEL_out", "IPY_MODEL_img", "IPY_MODEL_cv"]},
        },
        "out": {
            "model_name": "OutputModel",
            "state": {
                "outputs": [
                    {"output_type": "display_data", "data": {"image/png": PNG}},
                    {"output_type": "stream", "name": "stdout", "text": "x\n"},
                    {
                        "output_type": "display_data",
                        "data": {
                            course_site.WIDGET_VIEW: {"model_id": "in"},
                            "text/plain": "Image()",
                        },
                    },
                ]
            },
        },
        "in": {"model_name": "ImageModel", "state": {"format": "png", "value": PNG}},
        "img": {
            "model_name": "ImageModel",
            "state": {"format": "png", "value": {}},
            "buffers": [{"path": ["value"], "data": PNG, "encoding": "base64"}],
        },
        "cv": {
            "model_name": "CanvasModel",
            "state": {"_data_url": "data:image/png;base64," + PNG},
        },
    }
    nb = {
        "metadata": {"widgets": _state(models)},
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": "",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {
                            course_site.WIDGET_VIEW: {"model_id": "box"},
                            "text/plain": "VBox()",
                        },
                        "metadata": {},
                    }
                ],
            }
        ],
    }
    outputs = course_site.replace_widgets(nb)["cells"][0]["outputs"]
    pictures = [o for o in outputs if "image/png" in o.get("data", {})]
    # the Output's picture, the Image displayed inside it, the Image child, the canvas
    assert len(pictures) == 4
    assert not any("text/plain" in o.get("data", {}) for o in outputs)
    assert any(o["output_type"] == "stream" for o in outputs)
    assert course_site.STORED_PICTURE in outputs[-1]["data"]["text/markdown"]
    assert "widgets" not in nb["metadata"]


def test_a_widget_with_no_stored_picture_gets_the_note_not_an_empty_box():
    nb = {
        "metadata": {
            "widgets": _state({"s": {"model_name": "IntSliderModel", "state": {}}})
        },
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": "",
                "outputs": [
                    {
                        "output_type": "execute_result",
                        "data": {
                            course_site.WIDGET_VIEW: {"model_id": "s"},
                            "text/plain": "IntSlider()",
                        },
                        "metadata": {},
                    }
                ],
            }
        ],
    }
    outputs = course_site.replace_widgets(nb)["cells"][0]["outputs"]
    assert (
        len(outputs) == 1
        and course_site.NO_PICTURE in outputs[0]["data"]["text/markdown"]
    )


def test_links_to_pages_stay_and_others_point_at_the_repository():
    pages = {
        "README.md": "index.md",
        "GLOSSARY.md": "GLOSSARY.md",
        "notebooks/01_a.ipynb": "notebooks/01_a.ipynb",
    }
    with_repo = course_site.Links(pages, "alice/course")
    text = "[notation](../GLOSSARY.md) and [hub](../hub/README.md#setup), [web](https://x.org)"
    out = with_repo.rewrite(text, "notebooks/01_a.ipynb")
    assert "[notation](../GLOSSARY.md)" in out
    assert "[hub](https://github.com/alice/course/blob/HEAD/hub/README.md#setup)" in out
    assert "[web](https://x.org)" in out
    plain = course_site.Links(pages, None).rewrite(
        "see [hub/README.md](hub/README.md)", "README.md"
    )
    assert plain == "see hub/README.md"
    # an anchor of a heading on the same page stays; one of a heading not on it goes out
    readme = "# Title\n\n## Here\n\n[a](#here) [b](#gone)"
    out = course_site.Links(pages, None).rewrite(readme, "README.md")
    assert "[a](#here)" in out and "[b](" not in out


def test_tools_course_runs_what_the_makefile_runs():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test: .*\n\t(.*)$", makefile, flags=re.MULTILINE).group(1)
    assert recipe == "$(BIN)/python -m pytest " + " ".join(course.PYTEST_ARGS)
    lint = re.search(r"^lint: .*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
    assert "ruff check ." in lint and "ruff format --check ." in lint
    assert "tools/check_comment_splits.py" in lint
    assert course.FIRST_NOTEBOOK in re.search(
        r"^lab: .*\n\t(.*)$", makefile, flags=re.MULTILINE
    ).group(1)


def test_tools_course_reinstalls_only_when_a_requirements_file_is_newer(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(course, "ROOT", tmp_path)
    req, stamp = tmp_path / "requirements.txt", tmp_path / ".installed"
    req.write_text("x==1\n")
    assert course.stale(stamp, "requirements.txt")
    stamp.touch()
    assert not course.stale(stamp, "requirements.txt")
    later = stamp.stat().st_mtime + 10
    os.utime(req, (later, later))
    assert course.stale(stamp, "requirements.txt")


def test_a_picture_a_page_shows_is_copied_along(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "notebooks" / "figures").mkdir(parents=True)
    (root / "notebooks" / "figures" / "cell.png").write_bytes(b"png")
    monkeypatch.setattr(course_site, "ROOT", root)
    src = tmp_path / "src"
    course_site.copy_pictures(
        "![a cell](figures/cell.png) ![web](https://x.org/a.png) ![gone](nope.png)",
        "notebooks/06_x.ipynb",
        src,
    )
    assert (src / "notebooks" / "figures" / "cell.png").read_bytes() == b"png"
    assert [p.name for p in src.rglob("*") if p.is_file()] == ["cell.png"]
