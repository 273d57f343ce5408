"""Plot functions draw exactly the results they are given, and refuse mismatched shapes."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plots import plot_heatmap, plot_predictions


def test_plot_predictions_draws_truth_and_prediction_on_the_given_ax():
    t = np.linspace(0, 1, 6)
    Y, Yhat = np.arange(6.0)[:, None], np.arange(6.0)[:, None] + 0.5  # (N, D) = (6, 1)
    fig, ax = plt.subplots()
    assert plot_predictions(t, Y, Yhat, ax=ax) is ax
    truth, pred = ax.lines
    np.testing.assert_array_equal(truth.get_ydata(), Y[:, 0])
    np.testing.assert_array_equal(pred.get_ydata(), Yhat[:, 0])
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
            lambda: plot_predictions(np.arange(5), np.zeros((5, 1)), np.zeros((4, 1))),
            r"must agree, got t \(5,\), Y \(5, 1\), Yhat \(4, 1\)",
        ),
        (
            lambda: plot_predictions(np.arange(5), np.zeros(5), np.zeros(5)),
            "Y \\(N, D\\)",
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
