"""Pictures for notebook 05: a series cut into blocks, and forecasts against the truth.

Like helpers.plots: each function takes results and an optional `ax`, draws, and
returns the ax; none of them trains or fits anything.  Every argument is checked before
anything is drawn; times must be finite, the values drawn may hold NaN (a gap).
"""

from collections.abc import Mapping

import numpy as np

from . import shell_checks as checks
from .plots import _ax, _check_ax, _times, _values, legend_outside

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
    the test block (from t_test) shaded.  t: increasing finite times, T >= 2, with
    t[0] <= t_val <= t_test <= t[-1].  Missing values (NaN) in y show as breaks.
    The legend sits to the right of the axes, off the data."""
    _check_ax(ax)
    t = _times("t", t)
    y = _values("y", y, 1)
    if len(t) < 2 or not np.all(np.diff(t) > 0) or y.shape != t.shape:
        raise ValueError(
            "t must be (T,) increasing times with T >= 2 and y (T,) like it, "
            f"got t {t.shape} and y {y.shape}"
        )
    t_val, t_test = checks.real("t_val", t_val), checks.real("t_test", t_test)
    if not t[0] <= t_val <= t_test <= t[-1]:
        raise ValueError(
            f"t_val and t_test must satisfy t[0] = {t[0]} <= t_val <= t_test <= "
            f"t[-1] = {t[-1]}, got t_val = {t_val} and t_test = {t_test}"
        )
    ylabel, xlabel = checks.text("ylabel", ylabel), checks.text("xlabel", xlabel)
    ax = _ax(ax, (8, 2.6))
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
    truth and the forecasts may also be (N, 1); NaN in them is drawn as a gap.
    Each forecast gets its own colour and line style (FORECAST_STYLES, in order).
    The legend sits to the right of the axes, off the data."""
    _check_ax(ax)
    t = _times("t", t)
    N = len(t)
    truth = _column("truth", truth, N)
    if not isinstance(forecasts, Mapping):
        raise TypeError(
            "forecasts must be a dict {label: forecast (N,)}, "
            f"got {type(forecasts).__name__}"
        )
    curves = {}
    for label, f in forecasts.items():
        if not isinstance(label, str):
            raise TypeError(
                f"forecasts' labels must be strings, got {type(label).__name__}"
            )
        curves[label] = _column(f"forecast {label!r}", f, N)
    title = checks.text("title", title, none_ok=True)
    ylabel, xlabel = checks.text("ylabel", ylabel), checks.text("xlabel", xlabel)
    ax = _ax(ax)
    ax.plot(t, truth, color="0.7", lw=3, label="truth")
    for k, (label, f) in enumerate(curves.items()):
        color, style = FORECAST_STYLES[k % len(FORECAST_STYLES)]
        ax.plot(t, f, color=color, ls=style, lw=1.5, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    legend_outside(ax)
    if title:
        ax.set_title(title)
    return ax


def _column(name, values, N):
    """Values to draw, (N,) or (N, 1) (NaN allowed: a gap), as (N,); N >= 1."""
    v = _values(name, values, (1, 2))
    if N == 0 or v.shape not in ((N,), (N, 1)):
        other = "t" if name == "truth" else "truth"
        raise ValueError(
            f"{name} has {v.size} values, {other} {N}: t, truth and each forecast "
            f"must be (N,) or (N, 1) with N >= 1, got {name} of shape {v.shape}"
        )
    return v.ravel()
