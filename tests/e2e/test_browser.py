"""What an instructor sees on the projector: every notebook runs in JupyterLab without an
error, every widget fits a 1280 x 720 screen at 125 % zoom (1024 x 576 CSS pixels) without a
horizontal scrollbar, and every control of every widget (sliders, buttons, drop-downs,
checkboxes) reacts: the picture and the printout change, and the printout says what the
control now asks for where the widget prints it."""

import hashlib
import json
import pathlib

from conftest import NOTEBOOK_DIR

NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = pathlib.Path(__file__).parent / "artifacts"
KERNEL_READY_MS = 90_000
RUN_ALL_MS = 180_000
WIDGET_UPDATE_MS = 60_000
# a slow drag: this many mouse moves, this many milliseconds apart
DRAG_MOVES = 20
DRAG_PAUSE_MS = 60
# 1280 x 720 at 125 % zoom, in CSS pixels: what a classroom projector shows
PROJECTOR = {"width": 1024, "height": 576}

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


# The picture of a widget: an Image widget redrawn in place (helpers.live), or a picture in
# its output area.
PICTURE = ".widget-image, .widget-output img"

# Each control of a widget as the browser sees it: its kind (from ipywidgets' CSS classes),
# its label and its current value. Anything else but the picture and the output area is
# reported as "unknown", which fails the test: a free-text box has no place in a classroom
# widget.
CONTROLS_JS = """el => [...el.children].filter(c => !c.classList.contains('widget-output')
    && !c.classList.contains('widget-image')).map(c => {
  // a checkbox's label is the text beside its box
  const label = c.querySelector(c.classList.contains('widget-checkbox') ? '.widget-label-basic' : '.widget-label');
  const name = label ? label.innerText.trim() : '';
  if (c.classList.contains('widget-slider')) {
    return {kind: 'slider', label: name, value: c.querySelector('.widget-readout').innerText.trim()};
  }
  if (c.classList.contains('widget-toggle-buttons')) {
    const on = c.querySelector('button.mod-active');
    return {kind: 'buttons', label: name, value: on ? on.innerText.trim() : ''};
  }
  if (c.classList.contains('widget-dropdown')) {
    return {kind: 'dropdown', label: name, value: c.querySelector('select').value};
  }
  if (c.classList.contains('widget-checkbox')) {
    return {kind: 'checkbox', label: name, value: c.querySelector('input').checked ? 'on' : 'off'};
  }
  return {kind: 'unknown', label: name, value: c.className};
})"""

# The widget against the output area it sits in and the notebook's scroll area: nothing of it
# may reach past the output area's right edge, and no horizontal scrollbar may appear.
FIT_JS = r"""el => {
  const out = el.closest('.jp-OutputArea-output');
  const scroller = el.closest('.jp-WindowedPanel-outer') || el.closest('.jp-Notebook');
  const box = out.getBoundingClientRect();
  const parts = [el, ...el.querySelectorAll('*')].filter(e => e.getClientRects().length);
  const right = Math.max(...parts.map(e => e.getBoundingClientRect().right));
  const scrolls = parts.filter(e => e.scrollWidth > e.clientWidth + 1
      && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).map(e => e.className);
  const imgs = [...el.querySelectorAll('.widget-image, .widget-output img')];
  // printed lines the browser had to wrap: more rendered lines than printed ones
  const pres = [...el.querySelectorAll('.widget-output .jp-RenderedText pre')]
    .filter(p => p.innerText.trim());
  const wrapped = pres.filter(p => {
    const lines = p.innerText.replace(/\n$/, '').split('\n').length;
    const lineHeight = parseFloat(getComputedStyle(p).lineHeight);
    return Math.round(p.getBoundingClientRect().height / lineHeight) > lines;
  }).map(p => p.innerText);
  return {
    width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height,
    left: el.getBoundingClientRect().left, outLeft: box.left, outRight: box.right,
    right: right, scrolls: scrolls, wrapped: wrapped, printed: pres.length,
    outOverflow: out.scrollWidth - out.clientWidth,
    pageOverflow: scroller.scrollWidth - scroller.clientWidth,
    images: imgs.map(i => [i.naturalWidth, Math.round(i.getBoundingClientRect().width)]),
  };
}"""


def _rnn_parameters(q):
    # U, W, b, V, c for D = 1
    return q * q + 3 * q + 1


def _lstm_parameters(q):
    # four gates' W, U, b, then V, c for D = 1
    return 4 * (q * q + 2 * q) + q + 1


def _expected_printout(notebook, values):
    """What the printout must say for the controls' current values (label -> shown value);
    widgets whose printout does not echo a setting (notebook 04's) get only the generic
    checks (picture and printout change)."""
    if notebook.startswith("01"):
        return [
            f"X: (L, N, D) = ({values['lags L']}, ",
            f"sample n = {values['sample n']}:",
        ]
    if "phase °" in values:
        # notebook 03's gate widget
        return [
            f"phase {values['phase °']}°: ends at",
            f"{values['bump']} of ",
            f" at lag {values['at lag']}",
            f"heat maps show: {values['show']}",
        ]
    if "mark at lag" in values:
        # notebook 04's memory widget
        return [f"mark at lag {values['mark at lag']} (step ", "LSTM: forecast "]
    if notebook[:2] in ("02", "03"):
        q = int(values["hidden q"])
        count = {"RNN": _rnn_parameters, "LSTM": _lstm_parameters}
        # notebook 02's widget has no cell control: it is the RNN
        return [f"{count[values.get('cell', 'RNN')](q)} parameters)"]
    if notebook.startswith("05"):
        stop = "with" if values["early stopping"] == "on" else "without"
        season = {"sunspots": 11, "co2, 4-week means": 13}[values["series"]]
        setting = f"{values['cell']} L = {values['lags L']}, q = {values['hidden q']}"
        return [f"{setting}, {stop} early stopping (", f"seasonal naive (m = {season})"]
    if notebook.startswith("04") and "hidden q" not in values:
        # the recall widget: both cells, each with its verdict
        return [
            "remembers = test MSE under 10 % of the variance; gives up = over",
            " RNN (q = 17): test MSE ",
            "LSTM (q =  8): test MSE ",
        ]
    return []


def _widget_state(interact):
    """The controls, the picture's source and the printed text of one interact widget."""
    return {
        "controls": interact.evaluate(CONTROLS_JS),
        "image": interact.locator(PICTURE).first.get_attribute("src"),
        "text": interact.locator(
            ".widget-output .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']"
        ).all_inner_texts(),
    }


def _state_after_update(page, interact, old):
    """Wait until the widget shows a new picture and the kernel has finished the callback
    (the printout follows the picture in the same callback); return its new state."""
    page.wait_for_function(
        """([el, oldImage, picture]) => {
            const img = el.querySelector(picture);
            return img && img.getAttribute('src') !== oldImage;
        }""",
        arg=[interact.element_handle(), old["image"], PICTURE],
        timeout=WIDGET_UPDATE_MS,
    )
    page.wait_for_function(KERNEL_IDLE_JS, timeout=WIDGET_UPDATE_MS)
    return _widget_state(interact)


def _move(interact, i, control):
    """Move control i as a learner would: a slider one step (right, or left at its end),
    the other button, the drop-down's next entry, the checkbox clicked."""
    node = interact.locator(":scope > :not(.widget-output)").nth(i)
    kind = control["kind"]
    if kind == "slider":
        handle = node.locator(".noUi-handle")
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute(
            "aria-valuemax"
        )
        handle.focus()
        handle.press("ArrowLeft" if at_end else "ArrowRight")
    elif kind == "buttons":
        node.locator("button:not(.mod-active)").first.click()
    elif kind == "dropdown":
        select = node.locator("select")
        options = select.locator("option").all_inner_texts()
        now = options.index(select.evaluate("s => s.options[s.selectedIndex].text"))
        select.select_option(index=(now + 1) % len(options))
    elif kind == "checkbox":
        node.locator("input").click()
    else:
        raise AssertionError(f"unknown control {control}")


PRINTED_JS = """el => [...el.querySelectorAll('.widget-output .jp-RenderedText pre')]
    .some(p => p.innerText.trim())"""


def _check_fits_the_projector(page, interact, notebook, w):
    # the printout follows the picture: wait for it before measuring. JupyterLab
    # renders no text out of view, and cells above may grow meanwhile (they are laid
    # out lazily): bring the printout into view before each wait
    printout = interact.locator(".widget-output").first
    printout.scroll_into_view_if_needed()
    page.wait_for_function(
        PRINTED_JS, arg=interact.element_handle(), timeout=WIDGET_UPDATE_MS
    )
    page.wait_for_timeout(300)
    printout.scroll_into_view_if_needed()
    page.wait_for_function(
        PRINTED_JS, arg=interact.element_handle(), timeout=WIDGET_UPDATE_MS
    )
    fit = interact.evaluate(FIT_JS)
    where = f"{notebook}: widget {w}"
    # what the projector shows, kept for a look (tests/e2e/artifacts/, git-ignored)
    ARTIFACTS.mkdir(exist_ok=True)
    stem = f"{notebook[:2]}-widget{w}"
    interact.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
    page.screenshot(path=str(ARTIFACTS / f"{stem}-screen.png"))
    (ARTIFACTS / f"{stem}-fit.json").write_text(json.dumps(fit, indent=1))
    assert fit["left"] >= fit["outLeft"] - 1 and fit["right"] <= fit["outRight"] + 1, (
        f"{where} reaches past its output area at 1024 x 576: {fit}"
    )
    assert fit["scrolls"] == [] and fit["outOverflow"] <= 1, (
        f"{where} has a horizontal scrollbar: {fit}"
    )
    assert fit["pageOverflow"] <= 1, f"{where}: the notebook scrolls sideways: {fit}"
    assert fit["printed"] and fit["wrapped"] == [], (
        f"{where}: printed lines wrap on the projector: {fit['wrapped']}"
    )
    return fit


# Counts the pictures the widget shows while a slider is dragged.
COUNT_PICTURES_JS = """([el, picture]) => {
  window.__pictures = 0;
  let last = el.querySelector(picture).getAttribute('src');
  window.__pictureWatch = new MutationObserver(() => {
    const img = el.querySelector(picture);
    const src = img && img.getAttribute('src');
    if (src && src !== last) { last = src; window.__pictures += 1; }
  });
  window.__pictureWatch.observe(el, {subtree: true, childList: true, attributes: true});
}"""


def _check_drag_updates_live(page, interact, notebook, w):
    """A live slider (CSS class widget-live) redraws while its handle is dragged, before
    the mouse is released: several new pictures during one slow drag."""
    where = f"{notebook}: widget {w}"
    live = interact.locator(".widget-slider.widget-live")
    for i in range(live.count()):
        handle = live.nth(i).locator(".noUi-handle")
        track = live.nth(i).locator(".noUi-target").bounding_box()
        box = handle.bounding_box()
        y = box["y"] + box["height"] / 2
        page.evaluate(COUNT_PICTURES_JS, [interact.element_handle(), PICTURE])
        page.mouse.move(box["x"] + box["width"] / 2, y)
        page.mouse.down()
        # from the handle towards the far end of the track, in small steps
        start = box["x"] + box["width"] / 2
        end = (
            track["x"]
            + (0.1 if start > track["x"] + track["width"] / 2 else 0.9) * track["width"]
        )
        for k in range(1, DRAG_MOVES + 1):
            page.mouse.move(start + (end - start) * k / DRAG_MOVES, y)
            page.wait_for_timeout(DRAG_PAUSE_MS)
        during = page.evaluate("() => window.__pictures")
        page.mouse.up()
        page.evaluate("() => window.__pictureWatch.disconnect()")
        page.wait_for_function(KERNEL_IDLE_JS, timeout=WIDGET_UPDATE_MS)
        assert during >= 2, (
            f"{where}: dragging a live slider showed {during} new pictures"
        )


def _check_every_control(page, interact, notebook, w):
    """Move each control in turn: the control shows its new value, the picture and the
    printout change, and the printout says what it should for the new values."""
    state = _widget_state(interact)
    where = f"{notebook}: widget {w}"
    assert state["text"], f"{where} printed nothing"
    kinds = [c["kind"] for c in state["controls"]]
    assert "unknown" not in kinds, f"{where} has a control of unknown kind: {state}"
    for i, control in enumerate(state["controls"]):
        _move(interact, i, control)
        new = _state_after_update(page, interact, state)
        moved = new["controls"][i]
        assert moved["value"] != control["value"], (
            f"{where}: {control['label']!r} still shows {control['value']!r}"
        )
        others = [c for j, c in enumerate(new["controls"]) if j != i]
        assert others == [c for j, c in enumerate(state["controls"]) if j != i] or (
            # a larger L shrinks notebook 01's sample slider, which may clamp it
            control["label"] == "lags L"
        ), f"{where}: moving {control['label']!r} changed other controls"
        assert new["image"] != state["image"]
        assert new["text"] and new["text"] != state["text"], (
            f"{where}: the printout ignored {control['label']!r}"
        )
        values = {c["label"]: c["value"] for c in new["controls"]}
        printout = "\n".join(new["text"])
        for expected in _expected_printout(notebook, values):
            assert expected in printout, (
                f"{where}: after {control['label']!r} -> {moved['value']!r} the "
                f"printout lacks {expected!r}:\n{printout}"
            )
        state = new
    return kinds


def run_all(page, lab, notebook):
    """Open the notebook in JupyterLab, wait for its kernel, Run All, wait until idle."""
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
    # let the first cells start before waiting for idle
    page.wait_for_timeout(500)
    page.wait_for_function(ALL_RUN_JS, timeout=RUN_ALL_MS, polling=250)


def check_notebook_in_browser(lab, browser, notebook):
    before = _digest(NOTEBOOK_DIR / notebook)
    files_before = sorted(p.name for p in NOTEBOOK_DIR.iterdir())
    page = browser.new_page(viewport=PROJECTOR)
    js_errors = []
    page.on("pageerror", lambda e: js_errors.append(str(e)))
    try:
        run_all(page, lab, notebook)
        assert page.evaluate(ERRORS_JS) == [], f"{notebook}: a cell shows an error"

        interacts = page.locator(".widget-interact")
        n = interacts.count()
        # notebook 06 has no widget: its run must still show no error
        assert n >= 1 or not CONTROL_KINDS[notebook[:2]], f"{notebook}: no widget"
        kinds = []
        for w in range(n):
            interact = interacts.nth(w)
            interact.scroll_into_view_if_needed()
            interact.locator(PICTURE).first.wait_for(timeout=WIDGET_UPDATE_MS)
            _check_fits_the_projector(page, interact, notebook, w)
            kinds += _check_every_control(page, interact, notebook, w)
            _check_drag_updates_live(page, interact, notebook, w)
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
    # what each notebook's widgets offer, in order: a control lost from the page fails here
    assert kinds == CONTROL_KINDS[notebook[:2]], f"{notebook}: controls {kinds}"


CONTROL_KINDS = {
    "01": ["slider", "slider"],
    "02": ["slider", "slider"],
    # the gate widget (phase, bump size, at lag, bump, show), then RNN or LSTM
    "03": ["slider", "slider", "slider", "buttons", "buttons"]
    + ["slider", "slider", "buttons"],
    # gradients, recall, then the memory widget (mark at lag, marked value, window)
    "04": ["slider", "slider", "slider"] + ["slider", "slider", "slider"],
    "05": ["slider", "slider", "dropdown", "buttons", "checkbox"],
    "06": [],
}


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
