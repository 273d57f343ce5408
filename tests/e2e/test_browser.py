"""What an instructor sees: every notebook runs in JupyterLab without an error, and every
widget renders and reacts to its slider (readout, picture and printed numbers change)."""

import hashlib
import pathlib

from conftest import NOTEBOOK_DIR

NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = pathlib.Path(__file__).parent / "artifacts"
KERNEL_READY_MS = 90_000
RUN_ALL_MS = 180_000
WIDGET_UPDATE_MS = 60_000

KERNEL_IDLE_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

ALL_RUN_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  return k.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""

ERRORS_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const errors = [];
  w.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    const outs = c.model.outputs.toJSON();
    outs.filter(o => o.output_type === 'error').forEach(o => errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`));
  });
  return errors;
}"""


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _widget_state(interact):
    """Readout of the first slider, the picture's source and the printed text of one interact widget."""
    return {
        "readout": interact.locator(".widget-readout").first.inner_text(),
        "image": interact.locator(".widget-output img").first.get_attribute("src"),
        "text": interact.locator(
            ".widget-output .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']"
        ).all_inner_texts(),
    }


def _state_after_update(page, interact, old, readout_changes):
    """Wait until the widget shows a new picture (and, if readout_changes, a new slider readout);
    return its new state."""
    page.wait_for_function(
        """([el, old, readoutChanges]) => {
            const img = el.querySelector('.widget-output img');
            const readout = el.querySelector('.widget-readout');
            return img && img.getAttribute('src') !== old.image
                && (!readoutChanges || (readout && readout.innerText !== old.readout));
        }""",
        arg=[interact.element_handle(), old, readout_changes],
        timeout=WIDGET_UPDATE_MS,
    )
    page.wait_for_timeout(300)  # the printout follows the picture in the same callback
    return _widget_state(interact)


def _check_cell_choice(page, interact, notebook, w):
    """If the widget offers a choice of cell (RNN or LSTM buttons), pick the other one: the
    button must show as selected and the picture and the printout must change."""
    buttons = interact.locator(".widget-toggle-buttons button")
    if buttons.count() < 2:
        return
    other = buttons.locator("xpath=self::*[not(contains(@class, 'mod-active'))]").first
    name = other.inner_text().strip()
    old = _widget_state(interact)
    other.click()
    new = _state_after_update(page, interact, old, readout_changes=False)
    selected = (
        interact.locator(".widget-toggle-buttons button.mod-active")
        .inner_text()
        .strip()
    )
    assert selected == name, (
        f"{notebook}: widget {w} shows {selected!r} selected after clicking {name!r}"
    )
    assert new["text"] and new["text"] != old["text"], (
        f"{notebook}: widget {w}'s printout ignored the cell choice"
    )


def check_notebook_in_browser(lab, browser, notebook):
    before = _digest(NOTEBOOK_DIR / notebook)
    files_before = sorted(p.name for p in NOTEBOOK_DIR.iterdir())
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    js_errors = []
    page.on("pageerror", lambda e: js_errors.append(str(e)))
    try:
        page.goto(lab.url(notebook))
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
            "&& window.jupyterapp.shell.currentWidget.sessionContext",
            timeout=KERNEL_READY_MS,
        )
        page.wait_for_function(KERNEL_IDLE_JS, timeout=KERNEL_READY_MS)
        page.evaluate(
            "() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
        )
        page.wait_for_timeout(500)  # let the first cells start before waiting for idle
        page.wait_for_function(ALL_RUN_JS, timeout=RUN_ALL_MS, polling=250)
        assert page.evaluate(ERRORS_JS) == [], f"{notebook}: a cell shows an error"

        interacts = page.locator(".widget-interact")
        n = interacts.count()
        assert n >= 1, f"{notebook}: no widget rendered"
        for w in range(n):
            interact = interacts.nth(w)
            interact.scroll_into_view_if_needed()
            interact.locator(".widget-output img").first.wait_for(
                timeout=WIDGET_UPDATE_MS
            )
            old = _widget_state(interact)
            assert old["text"], f"{notebook}: widget {w} printed nothing"
            handle = interact.locator(".noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")
            new = _state_after_update(page, interact, old, readout_changes=True)
            assert new["readout"] != old["readout"] and new["image"] != old["image"]
            assert new["text"] and new["text"] != old["text"], (
                f"{notebook}: widget {w}'s printout did not update"
            )
            _check_cell_choice(page, interact, notebook, w)
        assert page.evaluate(ERRORS_JS) == []
        assert js_errors == [], f"JavaScript errors: {js_errors}"
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{notebook}.png"), full_page=True)
        raise
    finally:
        page.close()
    assert _digest(NOTEBOOK_DIR / notebook) == before, (
        f"{notebook} was modified by the browser run"
    )
    assert sorted(p.name for p in NOTEBOOK_DIR.iterdir()) == files_before, (
        "the browser run left files in notebooks/"
    )


def _notebook_test_class(notebook):
    class TestNotebook:
        def test_runs_and_its_widgets_respond(self, lab, browser):
            check_notebook_in_browser(lab, browser, notebook)

    return TestNotebook


# One class per notebook rather than one parametrized function: `pytest -n 2 --dist loadscope`
# (`make test-browser`) hands out whole classes, so the browser runs of different notebooks can
# go to different workers. loadscope hands out the scopes with the most tests first and, among
# equal ones (each class here has one test), keeps collection order. Later notebooks take
# longest: defined last notebook first, the longest runs start first and the short ones fill in.
for _nb in reversed(NOTEBOOKS):
    globals()[f"TestNotebook{_nb[:2]}"] = _notebook_test_class(_nb)
