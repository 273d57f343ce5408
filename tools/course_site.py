"""The course as a website (`make site`): Jupyter Book 1 over the stored notebooks.

    python tools/course_site.py [--out build/site] [--repo OWNER/REPO]

Nothing is executed: the pages show the outputs stored in notebooks/*.ipynb. The script lays
out a source folder (build/site/src) and runs `jupyter-book build` on it (Sphinx + MyST-NB,
offline: MathJax comes from the pinned `sphinx-mathjax-offline` package, no widget JavaScript
is loaded from the internet). The HTML lands in build/site/html. Pages, in teaching order:

- index: the README's opening (up to "Start"), and how to read or run the course;
- every notebooks/NN_*.ipynb, found by glob (a new notebook needs no edit here);
- INSTRUCTOR.md, then GLOSSARY.md.

What the copy changes on its way (the repository's files are only read):

- a widget's output is replaced by the picture its stored state holds (an Output widget's
  captured image, an ipywidgets Image, an ipympl canvas's snapshot) and a note that the
  controls work in JupyterLab; without a stored picture, by that note alone. The widget state
  itself is dropped from the page: no raw JSON, no empty box.
- each notebook page starts with how to run it live (JupyterLab, or Binder when the
  repository is known);
- cells hidden in JupyterLab (the claim cells) are folded on the page too;
- a picture a page shows from a file of the repository is copied along;
- a link to a file that is not a page (benchmarks/README.md, hub/README.md, ...) points to the
  file in the repository (--repo, $GITHUB_REPOSITORY or a GitHub `origin`), or, with no
  repository known, becomes its path in plain text.
"""

import argparse
import copy
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOK_GLOB = "notebooks/[0-9][0-9]_*.ipynb"
# Pages after the notebooks, in this order.
PAGES = ["INSTRUCTOR.md", "GLOSSARY.md"]
# The landing page is the README up to this heading.
README_END = "## Start (two commands)"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
# Said under a widget's stored picture, and instead of it when none is stored.
WIDGET_NOTE = (
    "*A widget: its sliders and buttons work in JupyterLab (run the notebook, then move "
    "them and the picture redraws). Shown here: {what}.*"
)
STORED_PICTURE = "the picture stored with the notebook, at the controls' first values"
NO_PICTURE = "no picture (this widget stores none); run the notebook to see it"
LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")
GITHUB = "https://github.com"
EXTENSIONS = [
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "myst_nb",
    "jupyter_book",
    "sphinx_comments",
    "sphinx_external_toc",
    "sphinx_design",
    "sphinx_book_theme",
    "sphinx-mathjax-offline",
]
BINDER = "https://mybinder.org/v2/gh"


def repository(explicit=None):
    """'OWNER/REPO' of the course on GitHub, or None when it cannot be told."""
    if explicit:
        return explicit
    if os.environ.get("GITHUB_REPOSITORY"):
        return os.environ["GITHUB_REPOSITORY"]
    sys.path.insert(0, str(ROOT / "tools"))
    import binder_badge

    try:
        return binder_badge.github_repo(binder_badge.remote_url())
    except ValueError:
        return None


# ---- widgets: the picture their stored state holds -------------------------------------


def _model_refs(value):
    """Every widget model id a state value refers to ("IPY_MODEL_<id>", nested anywhere)."""
    if isinstance(value, str):
        return [value[len("IPY_MODEL_") :]] if value.startswith("IPY_MODEL_") else []
    if isinstance(value, dict):
        return [ref for v in value.values() for ref in _model_refs(v)]
    if isinstance(value, list):
        return [ref for v in value for ref in _model_refs(v)]
    return []


def _model_outputs(model):
    """The outputs a widget model shows as pictures or text, in notebook output form."""
    state = model.get("state", {})
    name = model.get("model_name", "")
    if name == "OutputModel":
        return list(state.get("outputs", []))
    if name == "ImageModel":
        fmt = state.get("format", "png")
        value = state.get("value")
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"]:
                value = buffer.get("data")
        if isinstance(value, str) and value:
            mime = "image/svg+xml" if fmt == "svg+xml" else f"image/{fmt}"
            return [
                {"output_type": "display_data", "data": {mime: value}, "metadata": {}}
            ]
    # ipympl's canvas keeps a snapshot of the figure as a data URL
    url = state.get("_data_url")
    if isinstance(url, str) and url.startswith("data:image/png;base64,"):
        png = url.split(",", 1)[1]
        return [
            {"output_type": "display_data", "data": {"image/png": png}, "metadata": {}}
        ]
    return []


def widget_outputs(states, model_id):
    """What a widget view shows, from the stored state: the outputs of every model under it
    (depth first, children in order), each model once. A widget displayed inside an Output
    widget is walked in its place."""
    seen, found = set(), []

    def walk(mid):
        if mid in seen or mid not in states:
            return
        seen.add(mid)
        model = states[mid]
        for out in _model_outputs(model):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                found.append(copy.deepcopy(out))
            else:
                walk(view.get("model_id"))
        for ref in _model_refs(model.get("state", {})):
            walk(ref)

    walk(model_id)
    return found


def has_picture(outputs):
    return any(mime in out.get("data", {}) for out in outputs for mime in IMAGE_TYPES)


def _note(what):
    text = WIDGET_NOTE.format(what=what)
    return {
        "output_type": "display_data",
        "data": {"text/markdown": text},
        "metadata": {},
    }


def replace_widgets(nb):
    """The notebook with every widget view replaced by its stored picture and a note."""
    meta = nb.get("metadata", {})
    states = meta.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(out)
                continue
            shown = widget_outputs(states, view["model_id"])
            what = STORED_PICTURE if has_picture(shown) else NO_PICTURE
            outputs.extend(shown + [_note(what)])
        cell["outputs"] = outputs
    return nb


# ---- links ---------------------------------------------------------------------------


class Links:
    """Rewrites a page's relative links: to a page of the site, kept (README -> index); to
    any other file of the repository, a link to it on GitHub or its path in plain text."""

    def __init__(self, pages, repo):
        # repository path -> path of the page in the site's source folder
        self.pages = pages
        self.repo = repo

    def rewrite(self, text, source):
        """`text` of the page made from repository file `source` (a relative path)."""

        def fix(m):
            bang, label, target = m.groups()
            if bang or re.match(r"^[a-z][a-z0-9+.-]*:", target):
                return m.group(0)
            path, _, anchor = target.partition("#")
            if not path:
                if anchor in self._slugs(text):
                    return m.group(0)
                return self._repo_link(label, source, anchor)
            file = os.path.normpath(os.path.join(os.path.dirname(source), path))
            if file in self.pages:
                here = os.path.dirname(self.pages[source])
                rel = os.path.relpath(self.pages[file], here or ".")
                return f"[{label}]({rel}{'#' + anchor if anchor else ''})"
            return self._repo_link(label, file, anchor)

        return LINK.sub(fix, text)

    @staticmethod
    def _slugs(text):
        """GitHub-style anchors of the text's headings (what MyST's heading anchors make)."""
        heads = re.findall(r"^#{1,6} +(.+?) *$", text, flags=re.MULTILINE)
        return {
            re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in heads
        }

    def _repo_link(self, label, file, anchor):
        if self.repo is None:
            return label if label.strip("`") == file else f"{label} (`{file}`)"
        url = f"{GITHUB}/{self.repo}/blob/HEAD/{file}{'#' + anchor if anchor else ''}"
        return f"[{label}]({url})"


# ---- pages ---------------------------------------------------------------------------


def landing_page(readme, notebooks, repo):
    """The README's opening, the notebooks' table linked to their pages, and how to run them."""
    opening = readme.split(README_END)[0].rstrip()
    for nb in notebooks:
        name = pathlib.Path(nb).name
        opening = opening.replace(f"| `{name}` |", f"| [`{name}`]({nb}) |")
    return (
        opening
        + "\n\n"
        + run_live_text(None, repo, heading="## Read it here, run it live")
    )


def run_live_text(notebook, repo, heading=None):
    """How to run a notebook (or the course) live: JupyterLab locally, or Binder."""
    target = f"`{notebook}`" if notebook else "the notebooks"
    lines = [heading, ""] if heading else []
    # (a notebook's page puts this under the title "Run this notebook live")
    lines.append(
        "These pages show the outputs stored with the notebooks; nothing here runs. To run "
        f"{'it' if notebook else 'them'} and move the "
        "widgets' sliders: get the course's repository, then `make lab` (Linux, macOS) or "
        "`python -m tools.course lab` (any system, Windows too) opens JupyterLab, where you "
        f"open {target} and choose *Run All*."
    )
    if repo:
        path = notebook or "notebooks/01_sine_lag_dataset.ipynb"
        url = f"{BINDER}/{repo}/HEAD?urlpath=lab/tree/{path}"
        lines.append(
            f"Or, with nothing to install, on [Binder]({url}) (its first start takes a few "
            "minutes)."
        )
    else:
        lines.append(
            "Or, with nothing to install, on Binder, from the badge in the README of the "
            "course's repository."
        )
    return "\n".join(lines) + "\n"


def notebook_page(nb, notebook, links, repo):
    """The notebook as shown on the site: widgets as pictures, a "run it live" note after
    the title, hidden cells folded, links rewritten."""
    nb = replace_widgets(copy.deepcopy(nb))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = links.rewrite("".join(cell["source"]), notebook)
        hidden = cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")
        if cell["cell_type"] == "code" and hidden:
            tags = cell["metadata"].setdefault("tags", [])
            tags.append("hide-input")
    note = {
        "cell_type": "markdown",
        "id": "run-it-live",
        "metadata": {},
        "source": "```{admonition} Run this notebook live\n:class: tip\n\n"
        + run_live_text(notebook, repo)
        + "```\n",
    }
    # after the title cell
    nb["cells"].insert(1, note)
    return nb


def config(repo):
    """Jupyter Book's _config.yml: stored outputs, offline MathJax, no widget JavaScript."""
    theme = {
        "search_bar_text": "Search the course...",
        "use_download_button": False,
    }
    if repo:
        theme.update(
            repository_url=f"{GITHUB}/{repo}",
            repository_branch="HEAD",
            use_repository_button=True,
            launch_buttons={
                "binderhub_url": "https://mybinder.org",
                "notebook_interface": "jupyterlab",
            },
        )
    return {
        "title": "Recurrent neural networks for time-series forecasting",
        "author": "the course's authors",
        "copyright": "the course's authors; text and figures CC BY 4.0, code MIT",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": ["dollarmath", "amsmath", "colon_fence"]},
        "sphinx": {
            "config": {
                # Jupyter Book's list without sphinx_thebe (live code from a CDN; it also
                # declares its script twice); MathJax from a package
                "extensions": EXTENSIONS,
                # no require.js or widget manager from a CDN: widgets are shown as pictures
                "nb_ipywidgets_js": {},
                "html_show_sourcelink": False,
                "myst_heading_anchors": 3,
                "html_theme_options": theme,
                # a fresh browser has no stored colour mode; without a default the theme
                # logs an error
                "html_context": {"default_mode": "light"},
            },
        },
    }


def copy_pictures(text, source, src):
    """Copy the local pictures a page shows (![...](file)) beside the page in `src`."""
    for bang, _, target in LINK.findall(text):
        if not bang or re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue
        file = os.path.normpath(os.path.join(os.path.dirname(source), target))
        if (ROOT / file).is_file() and not file.startswith(".."):
            (src / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / file, src / file)


def stage(src, repo):
    """Write the site's source folder `src`: pages, _config.yml, _toc.yml."""
    if src.exists():
        shutil.rmtree(src)
    notebooks = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob(NOTEBOOK_GLOB))
    pages = {"README.md": "index.md"}
    pages.update({nb: nb for nb in notebooks})
    pages.update({p: p for p in PAGES})
    links = Links(pages, repo)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (src / "notebooks").mkdir(parents=True)
    index = links.rewrite(landing_page(readme, notebooks, repo), "README.md")
    (src / "index.md").write_text(index, encoding="utf-8")
    for nb_path in notebooks:
        nb = json.loads((ROOT / nb_path).read_text(encoding="utf-8"))
        page = notebook_page(nb, nb_path, links, repo)
        for cell in page["cells"]:
            if cell["cell_type"] == "markdown":
                copy_pictures("".join(cell["source"]), nb_path, src)
        (src / nb_path).write_text(
            json.dumps(page, ensure_ascii=False), encoding="utf-8"
        )
    for page in PAGES:
        text = (ROOT / page).read_text(encoding="utf-8")
        copy_pictures(text, page, src)
        (src / page).write_text(links.rewrite(text, page), encoding="utf-8")
    chapters = [{"file": p.rsplit(".", 1)[0]} for p in notebooks + PAGES]
    toc = {"format": "jb-book", "root": "index", "chapters": chapters}
    # YAML is a superset of JSON: no YAML writer needed
    (src / "_toc.yml").write_text(json.dumps(toc, indent=1), encoding="utf-8")
    (src / "_config.yml").write_text(
        json.dumps(config(repo), indent=1), encoding="utf-8"
    )


def build(out, repo, jupyter_book="jupyter-book"):
    src, html = out / "src", out / "html"
    stage(src, repo)
    # -W: a broken cross-reference or a missing page fails the build; -n: nitpicky
    cmd = [
        jupyter_book,
        "build",
        str(src),
        "--path-output",
        str(out / "jb"),
        "-W",
        "-n",
    ]
    cmd += ["--keep-going"]
    subprocess.run(cmd, check=True)
    if html.exists():
        shutil.rmtree(html)
    shutil.copytree(out / "jb" / "_build" / "html", html)
    return html


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "site"))
    parser.add_argument(
        "--repo", help="OWNER/REPO on GitHub (default: $GITHUB_REPOSITORY or origin)"
    )
    parser.add_argument(
        "--jupyter-book",
        default=str(pathlib.Path(sys.executable).with_name("jupyter-book")),
        help="the jupyter-book command (default: beside this Python)",
    )
    args = parser.parse_args(argv)
    html = build(
        pathlib.Path(args.out).resolve(), repository(args.repo), args.jupyter_book
    )
    print(f"site: {html / 'index.html'}")


if __name__ == "__main__":
    main()
