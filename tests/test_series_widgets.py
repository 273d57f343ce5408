"""Notebook 05's widget callback in plain pytest: move a control, check what was computed."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.baselines import fit_ar
from helpers.data import make_lag_dataset
from helpers.series import load_series, split_three, standardize
from helpers.series_widgets import CO2, SEASON, series_task, series_widget


def _controls(w):
    return {c.description: c for c in w.children if getattr(c, "description", "")}


def test_the_task_and_its_baselines_match_a_computation_from_scratch():
    task = series_task("sunspots", 9)
    _, y = load_series("sunspots")
    z = standardize(y[: 309 - 31 - 62]).apply(y)
    X, Y = make_lag_dataset(z, 9)
    Xtr, Ytr, _, _, Xte, Yte = split_three(X, Y, 31, 62)
    base = task["baselines"]
    assert base["persistence"] == pytest.approx(np.mean((z[-63:-1] - z[-62:]) ** 2))
    assert base["seasonal naive (m = 11)"] == pytest.approx(
        np.mean((z[-73:-11] - z[-62:]) ** 2)
    )
    assert base["AR(9)"] == pytest.approx(
        np.mean((fit_ar(Xtr, Ytr).predict(Xte) - Yte) ** 2)
    )
    np.testing.assert_array_equal(task["t_test"], np.arange(1947, 2009))


def test_widget_retrains_on_every_control_and_prints_the_baselines(capsys):
    w = series_widget()
    c = _controls(w)
    first = w.result
    assert first["model"].q == 4 and type(first["model"]).__name__ == "RNN"
    line = first["figure"].axes[0].lines[1]  # the network's forecasts
    np.testing.assert_allclose(line.get_ydata(), first["yhat"][:, 0])
    c["lags L"].value = 3
    assert w.result is not first and w.result["task"]["blocks"][0].shape[0] == 3
    assert "AR(3)" in w.result["task"]["baselines"]
    c["cell"].value = "LSTM"
    assert type(w.result["model"]).__name__ == "LSTM"
    with_es = w.result["steps"]
    c["early stopping"].value = False
    # fit's whole budget without a validation set
    assert w.result["steps"] >= 200 > with_es
    c["series"].value = CO2
    res = w.result
    assert f"seasonal naive (m = {SEASON[CO2]})" in res["task"]["baselines"]
    assert len(res["task"]["t_test"]) == len(res["yhat"]) == 114
    out = capsys.readouterr().out
    assert (
        "persistence:" in out and "AR(3):" in out and "seasonal naive (m = 13)" in out
    )


def test_widget_refuses_starting_values_it_cannot_show():
    for kwargs, words in [
        ({"lags": 0}, "lags must be"),
        ({"q": 3}, "q must be one of"),
        ({"name": "co2"}, "name must be one of"),
        ({"cell": "GRU"}, "cell must be one of"),
        ({"early_stopping": "yes"}, "early_stopping must be"),
    ]:
        with pytest.raises((ValueError, TypeError), match=words):
            series_widget(**kwargs)


def test_series_plots_draw_what_they_are_given():
    from helpers.series_plots import plot_blocks, plot_forecasts

    t = np.arange(5.0)
    ax = plot_forecasts(t, np.ones(5), {"a": np.zeros((5, 1)), "b": np.arange(5.0)})
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), np.zeros(5))
    assert [line.get_label() for line in ax.lines] == ["truth", "a", "b"]
    styles = [(line.get_color(), line.get_linestyle()) for line in ax.lines[1:]]
    assert len({c for c, _ in styles}) == len({ls for _, ls in styles}) == 2
    with pytest.raises(ValueError, match="forecast 'a' has 4 values, truth 5"):
        plot_forecasts(t, np.ones(5), {"a": np.zeros(4)})
    ax = plot_blocks(t, [1.0, np.nan, 2.0, 3.0, 4.0], 2.0, 3.0)
    assert [p.get_label() for p in ax.patches] == ["validation", "test"]


def test_series_plots_label_both_axes_and_keep_the_legend_off_the_data():
    from helpers.series_plots import plot_blocks, plot_forecasts

    t = np.arange(5.0)
    for ax, ylabel in [
        (
            plot_forecasts(
                t, np.ones(5), {"a": np.zeros(5)}, ylabel="sunspots (scaled)"
            ),
            "sunspots (scaled)",
        ),
        (plot_blocks(t, np.ones(5), 2.0, 3.0, ylabel="ppm"), "ppm"),
    ]:
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("year", ylabel)
        ax.figure.canvas.draw()
        legend_box = ax.get_legend().get_window_extent()
        assert legend_box.x0 >= ax.get_window_extent().x1  # right of the axes
        plt.close(ax.figure)
