"""Plot functions draw exactly the results they are given, and refuse mismatched shapes."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plots import plot_blocks, plot_forecasts, plot_heatmap


def test_plot_forecasts_draws_truth_and_each_forecast_on_the_given_ax():
    t = np.linspace(0, 1, 6)
    # (N, D) = (6, 2): the first column is drawn
    Y = np.arange(12.0).reshape(6, 2)
    Yhat = Y + 0.5
    fig, ax = plt.subplots()
    assert plot_forecasts(t, Y, {"RNN": Yhat, "flat": np.zeros(6)}, ax=ax) is ax
    truth, pred, flat = ax.lines
    np.testing.assert_array_equal(truth.get_ydata(), Y[:, 0])
    np.testing.assert_array_equal(pred.get_ydata(), Yhat[:, 0])
    np.testing.assert_array_equal(flat.get_ydata(), np.zeros(6))
    assert [line.get_label() for line in ax.lines] == ["truth", "RNN", "flat"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("t", "y(t)")
    plt.close(fig)


def test_plot_heatmap_shows_lags_as_rows_numbered_from_one():
    A = np.arange(12.0).reshape(3, 4)  # (L, q) = (3 lags, 4 units)
    fig, ax = plt.subplots()
    plot_heatmap(A, ax=ax, vmin=0, vmax=11)
    np.testing.assert_array_equal(ax.images[0].get_array(), A)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["1", "2", "3"]
    plt.close(fig)


@pytest.mark.parametrize(
    "plot, words",
    [
        (
            lambda: plot_forecasts(np.arange(5), np.zeros((5, 1)), {"a": np.zeros(4)}),
            r"forecast 'a' has 4 values, truth 5",
        ),
        (
            lambda: plot_forecasts(np.arange(5), np.zeros((5, 0)), {}),
            r"must be \(N,\) or \(N, D\) with N, D >= 1, got truth of shape \(5, 0\)",
        ),
        (
            lambda: plot_heatmap(np.zeros((10, 118, 8))),
            r"A must be 2-D \(L, q\).*take one sample: A\[:, n\]",
        ),
    ],
)
def test_mismatched_shapes_are_refused_before_drawing(plot, words):
    figures_before = plt.get_fignums()
    with pytest.raises(ValueError, match=words):
        plot()
    assert plt.get_fignums() == figures_before  # no empty figure left behind


def test_forecasts_and_blocks_draw_what_they_are_given():
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


def test_forecasts_and_blocks_label_both_axes_and_keep_the_legend_off_the_data():
    t = np.arange(5.0)
    for ax, ylabel in [
        (
            plot_forecasts(
                t,
                np.ones(5),
                {"a": np.zeros(5)},
                ylabel="sunspots (scaled)",
                xlabel="year",
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


def test_error_by_horizon_draws_one_line_per_curve_and_the_references():
    from helpers.plots import plot_error_by_horizon

    fig, ax = plt.subplots()
    curves = {f"c{i}": np.arange(1.0, 5.0) * i for i in range(7)}
    assert plot_error_by_horizon(curves, ax=ax, reference={"floor": 0.5}) is ax
    assert len(ax.lines) == 8
    # seven curves, seven colours: none repeats as in a five-style cycle
    assert len({line.get_color() for line in ax.lines[:7]}) == 7
    assert ax.lines[0].get_xdata().tolist() == [1, 2, 3, 4]
    with pytest.raises(TypeError, match="curves must be"):
        plot_error_by_horizon([1, 2], ax=ax)
    plt.close(fig)


def test_fan_draws_a_band_per_level_and_the_paths():
    from helpers.plots import plot_fan

    fig, ax = plt.subplots()
    H = 4
    plot_fan(
        np.arange(5),
        np.zeros(5),
        np.arange(5, 5 + H),
        np.ones(H),
        np.zeros(H),
        {0.8: np.ones(H), 0.95: 2 * np.ones(H)},
        ax=ax,
    )
    assert len(ax.collections) == 2 and len(ax.lines) == 3
    with pytest.raises(TypeError, match="delta must be"):
        plot_fan([0], [0], [1], [1], [1], [1.0], ax=ax)
    plt.close(fig)
