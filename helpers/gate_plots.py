"""Pictures of one window going through a trained cell, drawn once and then updated in
place (the gate widget of notebook 03, the memory widget of notebook 04).

Each draw_* function takes results (a window and helpers.probes.cell_states' dicts) and
named axes, draws, and returns the artists that its update_* partner changes; neither
trains or computes anything.  Shape letters: L lags, q hidden size.
"""

import numpy as np

from .plots import LAG_COLOR, SERIES_COLOR, TARGET_COLOR, plot_heatmap

# the panels of the gate widget, in the lecture's order, with their colour scales
GATE_PANELS = {
    "o": ("output gate o", 0.0, 1.0),
    "i": ("input gate i", 0.0, 1.0),
    "f": ("forget gate f", 0.0, 1.0),
    "s_tilde": (r"candidate $\tilde s$", -1.0, 1.0),
    "s": ("cell state s", -2.5, 2.5),
    "h": ("h = o tanh(s)", -1.0, 1.0),
}
GATE_CMAP = "viridis"
STATE_CMAP = "coolwarm"
# "change" mode: shaped minus plain window, on one symmetric scale
CHANGE_LIMIT = 0.5
STEP_AXIS = "step k (lag L-k+1)"
FONT_SIZE = 8
# the memory widget's trace axis ends at a multiple of this
TRACE_ROUND = 0.5


def _cmap(name):
    return GATE_CMAP if name in ("o", "i", "f") else STATE_CMAP


def _small(ax):
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.xaxis.label.set_size(FONT_SIZE)
    ax.yaxis.label.set_size(FONT_SIZE)
    ax.title.set_size(FONT_SIZE + 1)


def draw_window(ax, plain, shaped, title):
    """The window before and after shaping, (L,) each, against the step k = 1..L,
    with the forecast at step L + 1 (set by update_window).  Returns the artists."""
    steps = np.arange(1, len(plain) + 1)
    (plain_line,) = ax.plot(steps, plain, "o-", color=SERIES_COLOR, ms=3, label="sine")
    (shaped_line,) = ax.plot(steps, shaped, "o-", color=LAG_COLOR, ms=4, label="input")
    (forecast,) = ax.plot(
        [len(plain) + 1], [np.nan], "*", color=TARGET_COLOR, ms=10, label="forecast"
    )
    ax.set_xlim(0.5, len(plain) + 1.5)
    ax.set_xlabel("step k (reads X[k-1])")
    ax.legend(loc="lower left", fontsize=FONT_SIZE - 1, frameon=False)
    ax.set_title(title)
    _small(ax)
    return {"plain": plain_line, "shaped": shaped_line, "forecast": forecast}


def update_window(artists, plain, shaped, forecast):
    artists["plain"].set_ydata(plain)
    artists["shaped"].set_ydata(shaped)
    artists["forecast"].set_ydata([forecast])


def draw_heatmaps(panels, states, scales, bars=None, labelled=None):
    """One heat map per name in `scales` ({name: (title, vmin, vmax)}), states[name]
    (L, q) drawn in panels[name]; returns {name: the image}.  bars, labelled: the names
    whose panels keep a colour bar and the step axis's label and numbers (None: all)."""
    images = {}
    for name, (title, vmin, vmax) in scales.items():
        ax = plot_heatmap(
            states[name],
            ax=panels[name],
            title=title,
            vmin=vmin,
            vmax=vmax,
            cmap=_cmap(name),
            ylabel=STEP_AXIS,
        )
        _small(ax)
        images[name] = ax.images[0]
        images[name].colorbar.ax.tick_params(labelsize=FONT_SIZE - 1)
        if bars is not None and name not in bars:
            images[name].colorbar.remove()
        if labelled is not None and name not in labelled:
            # the rows are the steps of the labelled panel to the left
            ax.set_ylabel("")
            ax.tick_params(labelleft=False)
    return images


def update_heatmaps(images, states, change=None):
    """New (L, q) values for each image; change: the plain window's states, to show
    the difference from them on the CHANGE_LIMIT scale (None: the values themselves,
    on the panel's own scale)."""
    for name, im in images.items():
        if change is None:
            _, vmin, vmax = GATE_PANELS.get(name, (None, -1.0, 1.0))
            im.set_data(states[name])
            im.set_cmap(_cmap(name))
            im.set_clim(vmin, vmax)
        else:
            im.set_data(states[name] - change[name])
            im.set_cmap(STATE_CMAP)
            im.set_clim(-CHANGE_LIMIT, CHANGE_LIMIT)


def draw_trace(ax, traces):
    """The mark's trace per step: {label: (L,)} lines against the step k."""
    lines = {}
    for label, trace in traces.items():
        steps = np.arange(1, len(trace) + 1)
        (lines[label],) = ax.plot(steps, trace, "o-", ms=3, label=label)
    lines["mark"] = ax.axvline(np.nan, color=TARGET_COLOR, ls=":", lw=1)
    ax.set_xlabel("step k (reads X[k-1])")
    ax.set_ylabel("|state(+1) - state(-1)| / 2")
    ax.set_title("what the mark changed")
    ax.legend(loc="upper left", fontsize=FONT_SIZE - 1, frameon=False)
    _small(ax)
    return lines


def update_trace(lines, traces, mark_step, top=0.0):
    """New traces ({label: (L,)}) and the mark's step (a dotted line).  The y axis
    only grows (from `top`, in steps of TRACE_ROUND), so that most moves keep it;
    returns its top."""
    for label, trace in traces.items():
        lines[label].set_ydata(trace)
    lines["mark"].set_xdata([mark_step, mark_step])
    high = max(np.nanmax(t) for t in traces.values())
    top = max(top, TRACE_ROUND * max(1, np.ceil(1.1 * high / TRACE_ROUND)))
    lines["mark"].axes.set_ylim(0, top)
    return top


def draw_marked_window(ax, values, forecasts):
    """The recall window's values (L,) against the step, the mark (set by
    update_marked_window) and each cell's forecast at step L + 1 ({cell: float})."""
    L = len(values)
    steps = np.arange(1, L + 1)
    (line,) = ax.plot(steps, values, "o-", color=SERIES_COLOR, ms=3, label="values")
    (mark,) = ax.plot([np.nan], [np.nan], "s", color=TARGET_COLOR, ms=8, label="mark")
    (target,) = ax.plot([0.5, L + 1.5], [np.nan] * 2, ":", color=TARGET_COLOR, lw=1)
    stars = {}
    for k, cell in enumerate(forecasts):
        (stars[cell],) = ax.plot(
            [L + 1], [np.nan], "*", ms=10, color=f"C{k}", label=f"{cell} forecast"
        )
    ax.set_xlim(0.5, L + 1.5)
    ax.set_ylim(-1.3, 1.3)
    ax.set_xlabel("step k (reads X[k-1])")
    ax.set_title("the window and the forecasts")
    ax.legend(loc="lower left", fontsize=FONT_SIZE - 1, frameon=False, ncol=2)
    _small(ax)
    return {"values": line, "mark": mark, "target": target, "stars": stars}


def update_marked_window(artists, values, mark_step, value, forecasts):
    artists["values"].set_ydata(values)
    artists["mark"].set_data([mark_step], [value])
    artists["target"].set_ydata([value, value])
    for cell, yhat in forecasts.items():
        artists["stars"][cell].set_ydata([yhat])
