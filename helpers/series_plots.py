"""Pictures for notebook 05: a series cut into blocks, and forecasts against the truth.

Like helpers.plots: each function takes results and an optional `ax`, draws, and
returns the ax; none of them trains or fits anything.
"""

import matplotlib.pyplot as plt
import numpy as np

from .plots import legend_outside

BLOCK_COLORS = {"validation": "tab:orange", "test": "tab:red"}
BLOCK_ALPHA = 0.12
# One (colour, line style) per forecast, in order, so that lines which overlap (seeds
# of one network) stay apart by style as well as by colour.
FORECAST_STYLES = (
    ("tab:blue", "--"),
    ("tab:orange", "-."),
    ("tab:green", ":"),
    ("tab:purple", "-"),
    ("tab:brown", (0, (8, 2))),
)


def plot_blocks(t, y, t_val, t_test, ax=None, ylabel="y", xlabel="year"):
    """The series y (T,) against t (T,), with the validation block (from t_val) and
    the test block (from t_test) shaded.  Missing values (NaN) show as breaks.
    The legend sits to the right of the axes, off the data."""
    ax = plt.subplots(figsize=(8, 2.6))[1] if ax is None else ax
    t, y = np.asarray(t, dtype=float), np.asarray(y, dtype=float)
    ax.plot(t, y, color="0.3", lw=1)
    ax.axvspan(
        t_val,
        t_test,
        color=BLOCK_COLORS["validation"],
        alpha=BLOCK_ALPHA,
        label="validation",
    )
    ax.axvspan(
        t_test, t[-1], color=BLOCK_COLORS["test"], alpha=BLOCK_ALPHA, label="test"
    )
    ax.set_xlim(t[0], t[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    legend_outside(ax)
    return ax


def plot_forecasts(t, truth, forecasts, ax=None, title=None, ylabel="y", xlabel="year"):
    """truth (N,) and each forecast in `forecasts` {label: (N,)} against t (N,).
    Each forecast gets its own colour and line style (FORECAST_STYLES, in order).
    The legend sits to the right of the axes, off the data."""
    ax = plt.subplots(figsize=(8, 3))[1] if ax is None else ax
    t, truth = np.asarray(t, dtype=float), np.asarray(truth, dtype=float).ravel()
    ax.plot(t, truth, color="0.7", lw=3, label="truth")
    for k, (label, f) in enumerate(forecasts.items()):
        f = np.asarray(f, dtype=float).ravel()
        if f.shape != truth.shape:
            raise ValueError(
                f"forecast {label!r} has {f.size} values, truth {truth.size}"
            )
        color, style = FORECAST_STYLES[k % len(FORECAST_STYLES)]
        ax.plot(t, f, color=color, ls=style, lw=1.5, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    legend_outside(ax)
    if title:
        ax.set_title(title)
    return ax
