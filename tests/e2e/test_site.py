"""The course's website (`make site`, tools/course_site.py) in Chromium, served from 127.0.0.1.

Every page loads with no console error and asks nothing of the internet; each notebook page
shows as many pictures as its notebook stores (image outputs, plus the pictures kept in a
widget's stored state); every widget is shown as a picture or a note, never as raw JSON; no
math is left untypeset; every internal link resolves; the search finds notebook 04.

The site must be built first: `make test-site` builds it, then runs this file. Run alone,
the file is skipped when build/site/html is missing, unless RNN_COURSE_SITE=require.
Notebooks are found by glob, so a new notebook (06) or a rewritten widget is checked as it is.
"""

import functools
import http.server
import json
import os
import pathlib
import re
import threading
import urllib.parse

import pytest
from conftest import NOTEBOOK_DIR

SITE = pathlib.Path(
    os.environ.get(
        "RNN_COURSE_SITE_DIR", NOTEBOOK_DIR.parent / "build" / "site" / "html"
    )
)
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# What the site says where a widget's controls would be (tools/course_site.py, WIDGET_NOTE).
WIDGET_NOTE = "A widget: its sliders and buttons work in JupyterLab"
# A word of notebook 04's text, not of its title (truncated BPTT, 04 section 1): the
# full-text search must find that page.
SEARCH_TERM = "truncated"
SEARCH_PAGE_04 = "04_why_gates"
PAGE_MS = 30_000
MATHJAX_MS = 30_000

# The page's prose as a reader sees it: code blocks and typeset math taken out.
PROSE_JS = """() => {
  const main = document.querySelector('main') || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('pre, code, mjx-container, script, style, .highlight').forEach(e => e.remove());
  return copy.innerText;
}"""
# Sphinx puts each formula in an element of class "math"; MathJax adds an mjx-container to it.
UNTYPESET_JS = """() => [...document.querySelectorAll('.math')]
  .filter(e => !e.querySelector('mjx-container'))
  .map(e => e.textContent.slice(0, 80))"""
MATHJAX_DONE_JS = """async () => {
  if (!document.querySelector('.math')) return 'no math';
  for (let i = 0; i < 300 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 100));
  await MathJax.startup.promise;
  return 'typeset';
}"""
# Pictures in the notebook cells' outputs, and whether each one loaded.
OUTPUT_IMAGES_JS = """() => [...document.querySelectorAll('.cell_output img')]
  .map(img => ({src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0}))"""
# Raw TeX a reader must never see in prose: display math, fractions, inline delimiters,
# or a $...$ span holding TeX.
RAW_TEX = re.compile(r"\$\$|\\frac|\\\(|\\\[|\$[^$\n]*[\\_^{][^$\n]*\$")


@pytest.fixture(scope="module")
def site():
    if not (SITE / "index.html").exists():
        if os.environ.get("RNN_COURSE_SITE") == "require":
            pytest.fail(
                f"RNN_COURSE_SITE=require but {SITE} has no site: run `make site`"
            )
        pytest.skip(f"no site at {SITE}: `make test-site` builds it and runs this test")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _pages():
    """Every HTML page of the site, relative to its root."""
    return sorted(
        p.relative_to(SITE).as_posix()
        for p in SITE.rglob("*.html")
        if not p.relative_to(SITE).parts[0].startswith("_")
    )


@pytest.fixture
def page(browser, site):
    """A page that records console errors, page errors and any request off this machine."""
    context = browser.new_context()
    pg = context.new_page()
    pg.problems, pg.outside = [], []
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))

    def route(r):
        host = urllib.parse.urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return r.continue_()
        pg.outside.append(r.request.url)
        return r.abort()

    pg.route("**/*", route)
    yield pg
    context.close()


def _open(page, site, path):
    page.goto(f"{site}/{path}", wait_until="load", timeout=PAGE_MS)
    page.evaluate(MATHJAX_DONE_JS)
    page.wait_for_timeout(200)


# ---- what the notebooks store -----------------------------------------------------------


def _widget_pictures(states, model_id, seen=None):
    """Pictures kept in a widget's stored state: in an Output widget's outputs, an Image
    widget's value, a canvas's data-URL snapshot; under the widget and its children."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in states:
        return 0
    seen.add(model_id)
    model = states[model_id]
    state = model.get("state", {})
    found = 0
    if model.get("model_name") == "OutputModel":
        found += sum(
            any(m in o.get("data", {}) for m in IMAGE_TYPES)
            for o in state.get("outputs", [])
        )
    if model.get("model_name") == "ImageModel":
        found += 1
    if str(state.get("_data_url", "")).startswith("data:image/"):
        found += 1
    # children by reference, and widgets displayed inside an Output widget by model_id
    text = json.dumps(state)
    refs = re.findall(r"IPY_MODEL_(\w+)", text) + re.findall(
        r'"model_id": "(\w+)"', text
    )
    return found + sum(_widget_pictures(states, ref, seen) for ref in refs)


def stored_pictures(notebook):
    """(image outputs + pictures in widget states, number of widget views) of a notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    widgets = nb["metadata"].get("widgets", {})
    states = widgets.get("application/vnd.jupyter.widget-state+json", {}).get(
        "state", {}
    )
    images = views = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                views += 1
                images += _widget_pictures(states, data[WIDGET_VIEW]["model_id"])
            elif any(m in data for m in IMAGE_TYPES):
                images += 1
    return images, views


# ---- the tests ---------------------------------------------------------------------------


def test_the_site_has_every_page_in_teaching_order():
    index = (SITE / "index.html").read_text(encoding="utf-8")
    wanted = [f"notebooks/{nb.stem}.html" for nb in NOTEBOOKS] + [
        "INSTRUCTOR.html",
        "GLOSSARY.html",
    ]
    for path in wanted:
        assert (SITE / path).exists(), f"{path} was not built"
    # the navigation lists them in this order
    positions = [index.find(f'href="{path}"') for path in wanted]
    assert -1 not in positions, f"missing from the navigation: {wanted}, {positions}"
    assert positions == sorted(positions), "the navigation is not in teaching order"


@pytest.mark.parametrize("path", _pages() if SITE.exists() else ["index.html"])
def test_page_loads_offline_with_no_error_and_no_raw_math(page, site, path):
    _open(page, site, path)
    assert not page.problems, f"{path}: console errors {page.problems}"
    assert not page.outside, f"{path}: requests off this machine {page.outside}"
    untypeset = page.evaluate(UNTYPESET_JS)
    assert not untypeset, f"{path}: math MathJax did not typeset: {untypeset[:3]}"
    prose = page.evaluate(PROSE_JS)
    raw = [
        prose[max(m.start() - 40, 0) : m.end() + 40] for m in RAW_TEX.finditer(prose)
    ]
    assert not raw, f"{path}: raw TeX left in the text: {raw[:3]}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_page_shows_every_stored_picture(page, site, notebook):
    images, views = stored_pictures(notebook)
    path = f"notebooks/{notebook.stem}.html"
    _open(page, site, path)
    shown = page.evaluate(OUTPUT_IMAGES_JS)
    assert len(shown) == images, (
        f"{path}: {len(shown)} pictures in outputs, the notebook stores {images} "
        f"(image outputs plus pictures in its {views} widgets' state)"
    )
    broken = [img["src"] for img in shown if not img["loaded"]]
    assert not broken, f"{path}: pictures that did not load: {broken}"
    text = page.inner_text("main")
    # every widget is shown as its picture with a note, or the note alone
    assert text.count(WIDGET_NOTE) == views, f"{path}: {views} widgets, notes: {text}"
    for raw in ("model_id", "widget-view+json", "interactive(children="):
        assert raw not in text, f"{path}: a widget shown as raw data ({raw!r})"
    # each notebook page says how to run it live
    assert "Run this notebook live" in text and notebook.name in text


def test_every_internal_link_resolves(site):
    """Every link between the site's pages reaches a page that exists, and its #anchor an
    element of that page."""
    ids = {}
    broken = []
    for path in _pages():
        html = (SITE / path).read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"]+)"', html):
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = (SITE / path).parent / urllib.parse.unquote(parts.path)
            target = target.resolve() if parts.path else (SITE / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path}: {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    text = target.read_text(encoding="utf-8")
                    ids[target] = set(re.findall(r'id="([^"]+)"', text))
                if urllib.parse.unquote(parts.fragment) not in ids[target]:
                    broken.append(f"{path}: {href} (no such anchor)")
    assert not broken, f"{len(broken)} broken links: {broken[:10]}"


def test_search_finds_notebook_04(page, site):
    _open(page, site, f"search.html?q={SEARCH_TERM}")
    page.wait_for_selector("#search-results li a", timeout=PAGE_MS)
    hrefs = page.eval_on_selector_all(
        "#search-results li a", "els => els.map(a => a.getAttribute('href'))"
    )
    assert any(SEARCH_PAGE_04 in h for h in hrefs), (
        f"search for {SEARCH_TERM!r}: {hrefs}"
    )
    assert not page.problems, page.problems
