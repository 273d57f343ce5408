"""Pictures of datasets, training and models.  Each function takes results and an
optional matplotlib `ax`, draws, and returns the ax; none of them trains anything.

Shape letters: T points, L lags, N samples, D state dim, q hidden size.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .data import make_lag_dataset

LAG_COLOR = "tab:blue"
TARGET_COLOR = "tab:red"
SERIES_COLOR = "0.7"


def _legend_outside(ax):
    """A legend to the right of the axes, where it covers no data."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _ax(ax, figsize=(8, 3)):
    return plt.subplots(figsize=figsize)[1] if ax is None else ax


def plot_lag_window(t, y, lags, sample, ax=None):
    """Mark which points of the series form training sample `sample` for L = lags.

    t, y: (T,) times and a 1-D series.  The L inputs X[0, sample] .. X[L-1, sample]
    are blue (labelled with their lag index), the target Y[sample] red.
    """
    ax = _ax(ax)
    X, Y = make_lag_dataset(y, lags)  # X: (L, N, 1), Y: (N, 1)
    if not 0 <= sample < Y.shape[0]:
        raise ValueError(f"sample must be between 0 and {Y.shape[0] - 1} for lags={lags}, got {sample}")
    t = np.asarray(t, dtype=float)
    ax.plot(t, y, ".-", color=SERIES_COLOR, ms=3, lw=1, label="series y")
    idx = sample + np.arange(lags)  # X[k, n] = y(n + k)
    ax.plot(t[idx], X[:, sample, 0], "o", color=LAG_COLOR, label=f"inputs X[0..{lags - 1}, {sample}]")
    ax.plot(t[sample + lags], Y[sample, 0], "s", color=TARGET_COLOR, ms=8, label=f"target Y[{sample}]")
    if lags <= 8:  # label each lag while the labels still fit
        for k, i in enumerate(idx):
            ax.annotate(f"X[{k}]", (t[i], X[k, sample, 0]), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize=8, color=LAG_COLOR)
    lo, hi = max(0, sample - 5), min(len(t) - 1, sample + lags + 5)
    ax.set_xlim(t[lo] - 0.5 * (t[1] - t[0]), t[hi] + 0.5 * (t[1] - t[0]))
    ax.set_xlabel("t")
    ax.set_ylabel("y(t)")
    _legend_outside(ax)
    ax.set_title(f"sample n = {sample}: L = {lags} lags in, one target out")
    return ax


def plot_split(t_train, Y_train, t_test, Y_test, ax=None):
    """The training targets and, after them in time, the test targets (first column of D)."""
    ax = _ax(ax)
    ax.plot(t_train, np.asarray(Y_train)[:, 0], color=LAG_COLOR, label="training targets")
    ax.plot(t_test, np.asarray(Y_test)[:, 0], color=TARGET_COLOR, label="test targets")
    ax.axvline(t_test[0], color="k", ls="--", lw=1)
    ax.set_xlabel("t")
    ax.set_ylabel("y(t)")
    _legend_outside(ax)
    return ax


def plot_loss(history, ax=None, label=None):
    """Training loss against the step (one forward + backward pass each), log scale."""
    ax = _ax(ax, (5, 3))
    ax.semilogy(np.arange(1, len(history) + 1), history, label=label)
    ax.set_xlabel("step (loss evaluations)")
    ax.set_ylabel("training MSE")
    if label:
        _legend_outside(ax)
    return ax


def plot_predictions(t, Y, Yhat, ax=None, label="prediction", title=None):
    """Truth Y (N, D) and predictions Yhat (N, D) against time t (N,), first column of D."""
    t, Y, Yhat = np.asarray(t), np.asarray(Y), np.asarray(Yhat)
    if Y.ndim != 2 or Yhat.shape != Y.shape or t.shape != Y.shape[:1]:
        raise ValueError(f"t (N,), Y (N, D) and Yhat (N, D) must agree, "
                         f"got t {t.shape}, Y {Y.shape}, Yhat {Yhat.shape}")
    ax = _ax(ax)
    ax.plot(t, Y[:, 0], color=SERIES_COLOR, lw=3, label="truth")
    ax.plot(t, Yhat[:, 0], "--", color=TARGET_COLOR, label=label)
    ax.set_xlabel("t")
    ax.set_ylabel("y(t)")
    _legend_outside(ax)
    if title:
        ax.set_title(title)
    return ax


def plot_forecast_error(t, errors, labels, ax=None):
    """Absolute error |yhat - y| over time, one curve per forecast, log scale."""
    ax = _ax(ax)
    for e, lab in zip(errors, labels):
        ax.semilogy(t, np.abs(np.asarray(e)).reshape(len(t), -1)[:, 0], label=lab)
    ax.set_xlabel("t")
    ax.set_ylabel("|error|")
    _legend_outside(ax)
    return ax


STEP_LABEL = "step k (reads X[k-1], lag L-k+1)"


def plot_heatmap(A, ax=None, title=None, vmin=None, vmax=None, cmap="viridis", ylabel=STEP_LABEL):
    """A: (L, q) one sample's values per step k = 1..L of the recurrence (rows; step 1 reads
    X[0], the oldest lag, and sits on top) and per hidden unit (columns)."""
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D (L, q), one sample's lags x hidden units, got shape {A.shape}; "
                         "from states of shape (L, N, q) take one sample: A[:, n]")
    ax = _ax(ax, (4, 3))
    im = ax.imshow(A, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
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

    distances: (L,) the lag j of each input (j = 1 is y_{t-1}, the newest, held in X[L-1]);
    norms: list of (L,) arrays, one per curve.
    """
    ax = _ax(ax, (6, 3.5))
    for n, lab in zip(norms, labels):
        ax.semilogy(distances, n, "o-", ms=3, label=lab)
    ax.set_xlabel("lag j (the input y_{t-j}, held in X[L-j])")
    ax.set_ylabel("|d yhat / d y_{t-j}|")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _legend_outside(ax)
    return ax


def plot_recall_errors(results, ax=None, highlight=None, baseline=1 / 3, spread=None):
    """Test MSE of each cell against the lags to remember.

    results: {cell name: {lags: test MSE}}; highlight: a lags value to mark; baseline: the
    MSE of always predicting 0 (drawn as a dashed line); spread: optional
    {cell name: {lags: (lowest, highest)}}, drawn as a vertical bar (e.g. over seeds).
    """
    ax = _ax(ax, (6, 3.5))
    for cell, by_lags in results.items():
        lags = sorted(by_lags)
        line, = ax.semilogy(lags, [by_lags[L] for L in lags], "o-", label=cell)
        for L, (lo, hi) in (spread or {}).get(cell, {}).items():
            ax.plot([L, L], [lo, hi], color=line.get_color(), lw=6, alpha=0.3)
    ax.axhline(baseline, color="k", ls="--", lw=1, label="predict 0")
    if highlight is not None:
        ax.axvline(highlight, color="0.6", lw=6, alpha=0.4)
    ax.set_xlabel("lags L (the value must be kept for at least L/2 lags)")
    ax.set_ylabel("test MSE")
    ax.set_xticks(sorted({L for by_lags in results.values() for L in by_lags}))  # the L tried
    _legend_outside(ax)
    return ax
