"""How fast the widgets answer in a real browser: JupyterLab in headless Chromium.

    python benchmarks/widgets.py                  # every notebook, 3 key presses per widget
    python benchmarks/widgets.py --notebooks 03 --presses 5 --drag-seconds 4

For every notebook: Run All, then for each widget (in page order) focus its first slider's
handle and press ArrowRight (ArrowLeft at the slider's end) a few times, each a value not
shown before (so nothing comes from a cache unless the widget cached it itself). Measured in
the page: from the keydown event to the first animation frame after the new picture has
been decoded ("key press to new pixels"). For every widget whose first slider updates while
dragged (notebook 03's and 04's live widgets), drag that handle back and forth with the
mouse for --drag-seconds and count the new pictures the page shows per second.

Targets (issue 24): key press to new pixels <= 0.2 s at the defaults for every notebook's
first slider, and >= 5 redraws per second while dragging the gate widget. The box is
shared: run it a few times and report the spread.
"""

import argparse
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from conftest import CHROMIUM_FLAGS, NOTEBOOK_DIR, chromium_path, running_lab
from test_browser import KERNEL_IDLE_JS, PROJECTOR, run_all

UPDATE_TIMEOUT_MS = 30_000
# the pictures a widget shows: an Image widget's, or a picture in its output area
PICTURE = ".widget-image, .widget-output img"
# a pause between moves so that each press starts from an idle kernel
SETTLE_S = 0.3
# the mouse's step while dragging: one move every this many milliseconds
DRAG_STEP_MS = 16

# Resolves with the milliseconds from the next keydown to the frame after the widget's
# picture has changed and been decoded.
ARM_PRESS_JS = """el => {
  const pic = () => { const i = el.querySelector(PICTURE); return i ? i.getAttribute('src') : null; };
  const old = pic();
  window.__latency = new Promise(resolve => {
    let t0 = null;
    document.addEventListener('keydown', () => { t0 = performance.now(); },
                              {capture: true, once: true});
    const seen = () => {
      const img = el.querySelector(PICTURE);
      if (t0 === null || !img || img.getAttribute('src') === old) return;
      observer.disconnect();
      img.decode().catch(() => null).then(() => requestAnimationFrame(() =>
        setTimeout(() => resolve(performance.now() - t0), 0)));
    };
    const observer = new MutationObserver(seen);
    observer.observe(el, {subtree: true, childList: true, attributes: true,
                          attributeFilter: ['src']});
  });
}""".replace("PICTURE", repr(PICTURE))

# Counts the distinct pictures shown from now on, with their times.
ARM_DRAG_JS = """el => {
  window.__shown = [];
  let last = null;
  const observer = new MutationObserver(() => {
    const img = el.querySelector(PICTURE);
    const src = img && img.getAttribute('src');
    if (src && src !== last) { last = src; window.__shown.push(performance.now()); }
  });
  observer.observe(el, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['src']});
  window.__stopDrag = () => { observer.disconnect(); return window.__shown; };
}""".replace("PICTURE", repr(PICTURE))


def open_and_run(browser, lab, notebook):
    page = browser.new_page(viewport=PROJECTOR)
    run_all(page, lab, notebook)
    return page


def press_latencies(page, widget, presses):
    """Seconds from key press to new pixels, one per press of the first slider."""
    handle = widget.locator(".widget-slider .noUi-handle").first
    out = []
    for _ in range(presses):
        page.wait_for_function(KERNEL_IDLE_JS, timeout=UPDATE_TIMEOUT_MS)
        time.sleep(SETTLE_S)
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute(
            "aria-valuemax"
        )
        widget.evaluate(ARM_PRESS_JS)
        handle.focus()
        handle.press("ArrowLeft" if at_end else "ArrowRight")
        ms = page.evaluate(
            "() => Promise.race([window.__latency, new Promise(r => "
            f"setTimeout(() => r(null), {UPDATE_TIMEOUT_MS}))])"
        )
        out.append(float("nan") if ms is None else ms / 1000)
    return out


def drag_rate(page, widget, seconds):
    """Pictures per second while the first slider's handle is dragged to and fro."""
    slider = widget.locator(".widget-slider").first
    handle = slider.locator(".noUi-handle")
    track = slider.locator(".noUi-target").bounding_box()
    box = handle.bounding_box()
    y = box["y"] + box["height"] / 2
    page.wait_for_function(KERNEL_IDLE_JS, timeout=UPDATE_TIMEOUT_MS)
    widget.evaluate(ARM_DRAG_JS)
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    start = time.perf_counter()
    lo, hi = track["x"] + 2, track["x"] + track["width"] - 2
    x, direction, step = box["x"] + box["width"] / 2, 1, 2.0
    while time.perf_counter() - start < seconds:
        x += direction * step
        if not lo <= x <= hi:
            direction = -direction
            x = min(max(x, lo), hi)
        page.mouse.move(x, y)
        page.wait_for_timeout(DRAG_STEP_MS)
    page.mouse.up()
    elapsed = time.perf_counter() - start
    shown = page.evaluate("() => window.__stopDrag()")
    page.wait_for_function(KERNEL_IDLE_JS, timeout=UPDATE_TIMEOUT_MS)
    return len(shown) / elapsed


def continuous(widget):
    """Whether the first slider updates while dragged (its model says so)."""
    return widget.evaluate(
        """el => { const s = el.querySelector('.widget-slider');
        return !!s && s.classList.contains('widget-live'); }"""
    )


def load():
    """The 1-, 5- and 15-minute load averages (Linux), to report with the figures."""
    return pathlib.Path("/proc/loadavg").read_text().split()[:3]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", nargs="*", help="prefixes, e.g. 01 03")
    parser.add_argument("--presses", type=int, default=3)
    parser.add_argument("--drag-seconds", type=float, default=4.0)
    args = parser.parse_args()
    if chromium_path() is None:
        sys.exit("needs Chromium at /usr/bin/chromium (apt-get install chromium)")
    notebooks = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        notebooks = [n for n in notebooks if n[:2] in args.notebooks]
    from playwright.sync_api import sync_playwright

    print(f"load average before: {load()}")
    print(f"{'notebook':<22} {'widget':>6}  key press to new pixels, s (each press)")
    with running_lab() as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS
        )
        for notebook in notebooks:
            page = open_and_run(browser, lab, notebook)
            widgets = page.locator(".widget-interact")
            for w in range(widgets.count()):
                widget = widgets.nth(w)
                widget.scroll_into_view_if_needed()
                widget.locator(PICTURE).first.wait_for(timeout=UPDATE_TIMEOUT_MS)
                times = press_latencies(page, widget, args.presses)
                shown = " ".join(f"{s:.3f}" for s in times)
                print(
                    f"{notebook[:22]:<22} {w:>6}  {shown}   "
                    f"median {statistics.median(times):.3f}, max {max(times):.3f}"
                )
                if continuous(widget):
                    rate = drag_rate(page, widget, args.drag_seconds)
                    print(f"{'':<22} {w:>6}  dragging: {rate:.1f} redraws/s")
            page.close()
        browser.close()
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
