"""Pictures of datasets, training and models.  Each function takes results and an
optional matplotlib `ax`, draws, and returns the ax; none of them trains anything.

Shape letters: T points, L lags, N samples, D state dim, q hidden size.
Every argument is checked (shapes, types) before anything is drawn.  Times and
positions must be finite; the values drawn may hold NaN (and on log scales inf or
values <= 0), which matplotlib leaves out as gaps: a diverged loss or a missing result
shows as a break in its curve, which is the honest picture.
"""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Colormap
from matplotlib.ticker import MaxNLocator

from . import shell_checks as checks
from .data import make_lag_dataset

LAG_COLOR = "tab:blue"
TARGET_COLOR = "tab:red"
SERIES_COLOR = "0.7"
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


def legend_outside(ax):
    """A legend to the right of the axes, where it covers no data."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _check_ax(ax):
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes or None, got {type(ax).__name__}"
        )


def _ax(ax, figsize=(8, 3)):
    _check_ax(ax)
    return plt.subplots(figsize=figsize)[1] if ax is None else ax


def _times(name, t, n=None):
    """Finite times (N,); n: the length they must have."""
    t = checks.float_array(name, t, ndim=1)
    if n is not None and t.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {t.shape}")
    return t


def _values(name, A, ndim):
    """Values to draw: real numbers, NaN and inf allowed (drawn as gaps)."""
    return checks.float_array(name, A, ndim=ndim, finite=False)


def _curves(name, curves, labels, n):
    """A list of (n,) curves (NaN allowed) and as many string labels."""
    if isinstance(curves, (list, tuple)):
        curves = [_values(f"{name}[{k}]", c, (1, 2)) for k, c in enumerate(curves)]
    else:
        # one curve per row
        rows = _values(name, curves, (2, 3))
        curves = list(rows)
    for k, c in enumerate(curves):
        if c.shape[0] != n or (c.ndim == 2 and c.shape[1] == 0):
            raise ValueError(
                f"{name}[{k}] must have shape ({n},) or ({n}, D) like the times, "
                f"got {c.shape}"
            )
    if isinstance(labels, str) or not isinstance(labels, (list, tuple)):
        raise TypeError(
            f"labels must be a list of strings, one per curve, got {labels!r}"
        )
    if len(labels) != len(curves) or not all(isinstance(s, str) for s in labels):
        raise ValueError(
            f"labels must be {len(curves)} strings, one per curve of {name}, "
            f"got {labels!r}"
        )
    # (n,) or (n, D) -> first column (n,)
    return [c.reshape(n, -1)[:, 0] for c in curves]


def plot_lag_window(t, y, lags, sample, ax=None):
    """Mark which points of the series form training sample `sample` for L = lags.

    t, y: (T,) increasing times and a 1-D series (or (T, 1)).  The L inputs
    X[0, sample] .. X[L-1, sample] are blue (labelled with their lag index), the target
    Y[sample] red.
    """
    _check_ax(ax)
    # X: (L, N, 1), Y: (N, 1); checks y and lags
    X, Y = make_lag_dataset(y, lags)
    if X.shape[2] != 1:
        raise ValueError(f"y must be a 1-D series (T,), got D = {X.shape[2]} columns")
    # the series again, (T,)
    y = np.concatenate([X[:, 0, 0], Y[:, 0]])
    t = _times("t", t, len(y))
    if not np.all(np.diff(t) > 0):
        raise ValueError("t must be increasing times")
    sample = checks.integer("sample", sample)
    if not 0 <= sample < Y.shape[0]:
        raise ValueError(
            f"sample must be between 0 and {Y.shape[0] - 1} for lags={lags}, got {sample}"
        )
    ax = _ax(ax)
    ax.plot(t, y, ".-", color=SERIES_COLOR, ms=3, lw=1, label="series y")
    # X[k, n] = y(n + k)
    idx = sample + np.arange(lags)
    ax.plot(
        t[idx],
        X[:, sample, 0],
        "o",
        color=LAG_COLOR,
        label=f"inputs X[0..{lags - 1}, {sample}]",
    )
    ax.plot(
        t[sample + lags],
        Y[sample, 0],
        "s",
        color=TARGET_COLOR,
        ms=8,
        label=f"target Y[{sample}]",
    )
    # label each lag while the labels still fit
    if lags <= 8:
        for k, i in enumerate(idx):
            ax.annotate(
                f"X[{k}]",
                (t[i], X[k, sample, 0]),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=8,
                color=LAG_COLOR,
            )
    lo, hi = max(0, sample - 5), min(len(t) - 1, sample + lags + 5)
    ax.set_xlim(t[lo] - 0.5 * (t[1] - t[0]), t[hi] + 0.5 * (t[1] - t[0]))
    ax.set_xlabel("t")
    ax.set_ylabel("y(t)")
    legend_outside(ax)
    ax.set_title(f"sample n = {sample}: L = {lags} lags in, one target out")
    return ax


def _targets(t_name, t, Y_name, Y):
    """Times (N,) with N >= 1 and targets (N, D), D >= 1 (NaN allowed: gaps)."""
    t, Y = _times(t_name, t), _values(Y_name, Y, 2)
    if Y.shape[0] != t.shape[0] or Y.shape[1] == 0 or Y.shape[0] == 0:
        raise ValueError(
            f"{t_name} (N,) and {Y_name} (N, D) must agree, with N, D >= 1, "
            f"got {t.shape} and {Y.shape}"
        )
    return t, Y


def plot_split(t_train, Y_train, t_test, Y_test, ax=None):
    """The training targets and, after them in time, the test targets (first column of
    D).

    t_*: (N_*,) finite times; Y_*: (N_*, D); NaN targets are drawn as gaps.
    """
    _check_ax(ax)
    t_train, Y_train = _targets("t_train", t_train, "Y_train", Y_train)
    t_test, Y_test = _targets("t_test", t_test, "Y_test", Y_test)
    ax = _ax(ax)
    ax.plot(t_train, Y_train[:, 0], color=LAG_COLOR, label="training targets")
    ax.plot(t_test, Y_test[:, 0], color=TARGET_COLOR, label="test targets")
    ax.axvline(t_test[0], color="k", ls="--", lw=1)
    ax.set_xlabel("t")
    ax.set_ylabel("y(t)")
    legend_outside(ax)
    return ax


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


def plot_loss(history, ax=None, label=None):
    """Training loss against the step (one forward + backward pass each), log scale.

    history: (steps,) losses; NaN, inf and values <= 0 are left out (a gap), so a run
    that diverged can be drawn up to its last finite loss.
    """
    _check_ax(ax)
    history = _values("history", history, 1)
    label = checks.text("label", label, none_ok=True)
    ax = _ax(ax, (5, 3))
    ax.semilogy(np.arange(1, len(history) + 1), history, label=label)
    ax.set_xlabel("step (loss evaluations)")
    ax.set_ylabel("training MSE")
    if label:
        legend_outside(ax)
    return ax


def plot_forecasts(t, truth, forecasts, ax=None, title=None, ylabel="y(t)", xlabel="t"):
    """The truth and each labelled forecast against the times t (N,), finite.

    truth: (N,) or (N, D); forecasts: {label: (N,) or (N, D)}, e.g. {"RNN": Yhat}
    (first column of D drawn; NaN is drawn as a gap).  Each forecast gets its own
    colour and line style (FORECAST_STYLES, in order), so that forecasts which overlap
    (seeds of one network) stay apart.  The legend sits to the right of the axes.
    """
    _check_ax(ax)
    t = _times("t", t)
    N = len(t)
    truth = _column("truth", truth, N)
    if not isinstance(forecasts, Mapping):
        raise TypeError(
            "forecasts must be a dict {label: forecast (N,) or (N, D)}, "
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
    ax.plot(t, truth, color=SERIES_COLOR, lw=3, label="truth")
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
    """Values to draw, (N,) or (N, D) with N, D >= 1 (NaN allowed: a gap), as the
    first column (N,)."""
    v = _values(name, values, (1, 2))
    if N == 0 or v.shape[0] != N or 0 in v.shape:
        other = "t" if name == "truth" else "truth"
        raise ValueError(
            f"{name} has {v.shape[0]} values, {other} {N}: t, truth and each forecast "
            f"must be (N,) or (N, D) with N, D >= 1, got {name} of shape {v.shape}"
        )
    return v if v.ndim == 1 else v[:, 0]


def plot_forecast_error(t, errors, labels, ax=None):
    """Absolute error |yhat - y| over time, one curve per forecast, log scale.

    t: (N,) finite times; errors: a list of (N,) or (N, D) arrays (first column drawn);
    labels: one string per curve.  NaN, inf and zero errors are left out (gaps).
    """
    _check_ax(ax)
    t = _times("t", t)
    curves = _curves("errors", errors, labels, len(t))
    ax = _ax(ax)
    for e, lab in zip(curves, labels):
        ax.semilogy(t, np.abs(e), label=lab)
    ax.set_xlabel("t")
    ax.set_ylabel("|error|")
    legend_outside(ax)
    return ax


STEP_LABEL = "step k (reads X[k-1], lag L-k+1)"


def plot_heatmap(
    A, ax=None, title=None, vmin=None, vmax=None, cmap="viridis", ylabel=STEP_LABEL
):
    """A: (L, q) one sample's values per step k = 1..L of the recurrence (rows; step 1 reads
    X[0], the oldest lag, and sits on top) and per hidden unit (columns).

    NaN entries are drawn blank.  vmin, vmax: the colour scale's ends (None: from A).
    """
    _check_ax(ax)
    A = _values("A", A, None)
    if A.ndim != 2 or A.size == 0:
        raise ValueError(
            f"A must be 2-D (L, q), one sample's lags x hidden units, got shape {A.shape}; "
            "from states of shape (L, N, q) take one sample: A[:, n]"
        )
    title = checks.text("title", title, none_ok=True)
    ylabel = checks.text("ylabel", ylabel)
    vmin = None if vmin is None else checks.real("vmin", vmin)
    vmax = None if vmax is None else checks.real("vmax", vmax)
    if vmin is not None and vmax is not None and vmin > vmax:
        raise ValueError(f"vmin must be <= vmax, got vmin={vmin}, vmax={vmax}")
    if not (
        isinstance(cmap, Colormap) or (isinstance(cmap, str) and cmap in colormaps)
    ):
        raise ValueError(
            f"cmap must be a matplotlib colormap or its name (e.g. 'viridis'), "
            f"got {cmap!r}"
        )
    ax = _ax(ax, (4, 3))
    im = ax.imshow(
        A, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest"
    )
    ax.set_xlabel("hidden unit")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    ax.set_yticks(range(A.shape[0]))
    ax.set_yticklabels([str(k + 1) for k in range(A.shape[0])])
    ax.figure.colorbar(im, ax=ax)
    if title:
        ax.set_title(title)
    return ax


def plot_gradient_norms(distances, norms, labels, ax=None):
    """Gradient size against distance from the prediction (lags back), log scale.

    distances: (L,) finite, the lag j of each input (j = 1 is y_{t-1}, the newest, held in
    X[L-1]); norms: list of (L,) arrays, one per curve (NaN, inf and zeros, e.g. an
    underflowed gradient, are left out as gaps); labels: one string per curve.
    """
    _check_ax(ax)
    distances = _times("distances", distances)
    curves = _curves("norms", norms, labels, len(distances))
    ax = _ax(ax, (6, 3.5))
    for n, lab in zip(curves, labels):
        ax.semilogy(distances, n, "o-", ms=3, label=lab)
    ax.set_xlabel("lag j (the input y_{t-j}, held in X[L-j])")
    ax.set_ylabel("|d yhat / d y_{t-j}|")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend_outside(ax)
    return ax


def check_recall_results(results):
    """Refuse anything but {cell name: {lags: test MSE}} (a TypeError or ValueError
    naming `results`): what plot_recall_errors draws and the recall widget is given."""
    if not isinstance(results, dict):
        raise TypeError(
            f"results must be a dict {{cell name: {{lags: test MSE}}}}, "
            f"got {type(results).__name__}"
        )
    for cell, by_lags in results.items():
        if not isinstance(cell, str) or not isinstance(by_lags, dict):
            raise TypeError(
                f"results must map cell names (str) to dicts {{lags: test MSE}}, "
                f"got {cell!r}: {type(by_lags).__name__}"
            )
        for L, err in by_lags.items():
            checks.integer(f"results[{cell!r}]'s lags", L, 1)
            if checks.is_bool(err) or not isinstance(
                err, (int, float, np.integer, np.floating)
            ):
                raise TypeError(
                    f"results[{cell!r}][{L}] must be a number (a test MSE), got {err!r}"
                )


def _check_spread(spread, results):
    """spread: None or {cell: {lags: (lowest, highest)}} for cells and lags of results."""
    if spread is None:
        return {}
    if not isinstance(spread, dict):
        raise TypeError(
            f"spread must be a dict {{cell name: {{lags: (lowest, highest)}}}} or "
            f"None, got {type(spread).__name__}"
        )
    for cell, by_lags in spread.items():
        if cell not in results or not isinstance(by_lags, dict):
            raise ValueError(
                f"spread must map cells of results to dicts {{lags: (lowest, "
                f"highest)}}, got {cell!r}"
            )
        for L, pair in by_lags.items():
            if L not in results[cell]:
                raise ValueError(
                    f"spread[{cell!r}] has lags {L!r}, which results[{cell!r}] lacks"
                )
            lo, hi = (
                (checks.real(f"spread[{cell!r}][{L}]", v) for v in pair)
                if (isinstance(pair, (tuple, list)) and len(pair) == 2)
                else (None, None)
            )
            if lo is None or lo > hi:
                raise ValueError(
                    f"spread[{cell!r}][{L}] must be a pair (lowest, highest), "
                    f"got {pair!r}"
                )
    return spread


def plot_recall_errors(results, ax=None, highlight=None, baseline=1 / 3, spread=None):
    """Test MSE of each cell against the lags to remember.

    results: {cell name: {lags: test MSE}} (a NaN MSE is left out as a gap); highlight:
    a lags value to mark; baseline: the MSE of always predicting 0 (drawn as a dashed
    line); spread: optional {cell name: {lags: (lowest, highest)}}, drawn as a vertical
    bar at each L (e.g. the range over seeds).
    """
    _check_ax(ax)
    check_recall_results(results)
    spread = _check_spread(spread, results)
    highlight = None if highlight is None else checks.real("highlight", highlight)
    baseline = checks.real("baseline", baseline, positive=True)
    ax = _ax(ax, (6, 3.5))
    for cell, by_lags in results.items():
        lags = sorted(by_lags)
        (line,) = ax.semilogy(lags, [float(by_lags[L]) for L in lags], "o-", label=cell)
        for L, (lo, hi) in spread.get(cell, {}).items():
            ax.plot([L, L], [lo, hi], color=line.get_color(), lw=6, alpha=0.3)
    ax.axhline(baseline, color="k", ls="--", lw=1, label="predict 0")
    if highlight is not None:
        ax.axvline(highlight, color="0.6", lw=6, alpha=0.4)
    ax.set_xlabel("lags L (the value must be kept for at least L/2 lags)")
    ax.set_ylabel("test MSE")
    # a tick at each L tried
    ax.set_xticks(sorted({L for by_lags in results.values() for L in by_lags}))
    legend_outside(ax)
    return ax


def plot_error_by_horizon(curves, ax=None, reference=None, title=None):
    """Error against the lead: curves {label: (H,) MSE at tau = 1..H}, one line each.

    reference: {label: number}, drawn as dotted horizontal lines (e.g. the one-step
    error, or a noise floor).  Nothing is trained here.
    """
    _check_ax(ax)
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(
            "curves must be a non-empty dict {label: (H,) errors}, "
            f"got {type(curves).__name__}"
        )
    ax = _ax(ax, figsize=(6, 3))
    # one colour per curve (matplotlib's ten), the line styles of FORECAST_STYLES
    styles = [ls for _, ls in FORECAST_STYLES]
    for i, (label, curve) in enumerate(curves.items()):
        curve = np.asarray(curve, dtype=float)
        leads = np.arange(1, len(curve) + 1)
        style = {"color": f"C{i % 10}", "ls": styles[i % len(styles)]}
        ax.plot(leads, curve, marker="o", ms=3, label=label, **style)
    for label, value in (reference or {}).items():
        ax.axhline(value, color="k", ls=":", lw=1, label=label)
    ax.set_xlabel("lead τ (steps ahead)")
    ax.set_ylabel("test MSE")
    if title:
        ax.set_title(title)
    legend_outside(ax)
    return ax


def plot_fan(t_past, past, t_future, truth, yhat, delta, ax=None, title=None):
    """A fan chart: the past, the forecast path (H,) and a band yhat +- delta_tau for
    each level in delta {level: (H,) half-widths}, widest first; the truth (H,) on top."""
    _check_ax(ax)
    if not isinstance(delta, Mapping):
        raise TypeError(
            f"delta must be a dict {{level: (H,) half-widths}}, got {type(delta).__name__}"
        )
    ax = _ax(ax, figsize=(8, 3))
    ax.plot(t_past, past, color="k", lw=1, label="observed")
    for level in sorted(delta, reverse=True):
        d = np.asarray(delta[level], dtype=float)
        ax.fill_between(
            t_future, yhat - d, yhat + d, alpha=0.25, label=f"{level:.0%} interval"
        )
    ax.plot(t_future, yhat, color="C3", lw=1.5, label="forecast")
    ax.plot(t_future, truth, color="k", ls="--", lw=1, label="truth")
    if title:
        ax.set_title(title)
    legend_outside(ax)
    return ax
