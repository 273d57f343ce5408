"""The runners in helpers.experiments compute what their docstrings say: checked here
against computations written out from scratch, without any widget or plot."""

import ast
import dataclasses
import pathlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from contract import refused

from helpers.baselines import fit_ar, persistence
from helpers.data import make_lag_dataset, recall_task, sine_task
from helpers.experiments import (
    BLOCKS,
    CO2,
    CO2_WEEKS,
    MODELS,
    RECALL_Q,
    RECALL_VARIANCE,
    SEASON,
    TASK_SERIES,
    SeriesTask,
    init_gradients,
    series_task,
    train_on_recall,
    train_on_series,
    train_on_sine,
)
from helpers.gradients import input_gradient_norms, rnn_gradient_bound
from helpers.models import RNN, parameter_count
from helpers.series import block_means, load_series, standardize
from helpers.train import predict

HELPERS = pathlib.Path(__file__).resolve().parents[1] / "helpers"


def _scaled(name):
    """The series as series_task sees it, (T,) times and (T,) scaled values, and the
    scaling statistics of its training block, computed here by hand."""
    if name == "sunspots":
        t, y = load_series("sunspots")
    else:
        t, y = block_means(*load_series("co2"), CO2_WEEKS)
    train = y[: len(y) - sum(BLOCKS[name])]
    mean, std = np.nanmean(train), np.nanstd(train)
    return t, (y - mean) / std, mean, std


@pytest.mark.parametrize("name", TASK_SERIES)
def test_series_task_blocks_follow_each_other_in_time_with_the_configured_sizes(name):
    lags = 3
    task = series_task(name, lags)
    assert isinstance(task, SeriesTask) and (task.name, task.lags) == (name, lags)
    n_val, n_test = BLOCKS[name]
    assert task.X_val.shape == (lags, n_val, 1) and task.Y_val.shape == (n_val, 1)
    assert task.X_test.shape == (lags, n_test, 1) and task.Y_test.shape == (n_test, 1)
    assert task.X_train.shape == (lags, len(task.Y_train), 1)
    assert task.t_test.shape == (n_test,) and np.all(np.diff(task.t_test) > 0)
    t, z, mean, std = _scaled(name)
    assert (task.scaler.mean, task.scaler.std) == pytest.approx((mean, std))
    # Every target is the scaled value at some time; the targets of the three blocks,
    # put end to end, are the complete windows' targets in time order, and the last
    # n_test of them sit at the test times.
    Y_all = np.concatenate([task.Y_train, task.Y_val, task.Y_test])[:, 0]
    kept = [i for i in range(lags, len(z)) if not np.isnan(z[i - lags : i + 1]).any()]
    np.testing.assert_allclose(Y_all, z[kept])
    np.testing.assert_array_equal(task.t_test, t[kept[-n_test:]])
    # the inputs of a sample are the lags before its target, oldest first
    X_all = np.concatenate([task.X_train, task.X_val, task.X_test], axis=1)[:, :, 0]
    for n in (0, len(kept) - n_test - 1, len(kept) - 1):
        np.testing.assert_allclose(X_all[:, n], z[kept[n] - lags : kept[n]])


def test_series_task_baselines_equal_the_baselines_computed_independently():
    lags = 9
    task = series_task("sunspots", lags)
    _, z, _, _ = _scaled("sunspots")
    # sunspots has no gap: every window is complete
    X, Y = make_lag_dataset(z, lags)
    n_val, n_test = BLOCKS["sunspots"]
    n_train = len(Y) - n_val - n_test
    X_train, Y_train = X[:, :n_train], Y[:n_train]
    X_test, Y_test = X[:, -n_test:], Y[-n_test:]
    m = SEASON["sunspots"]
    assert task.baselines == pytest.approx(
        {
            "persistence": np.mean((z[-n_test - 1 : -1] - z[-n_test:]) ** 2),
            f"seasonal naive (m = {m})": np.mean(
                (z[-n_test - m : -m] - z[-n_test:]) ** 2
            ),
            f"AR({lags})": np.mean(
                (fit_ar(X_train, Y_train).predict(X_test) - Y_test) ** 2
            ),
        },
        rel=1e-9,
    )
    np.testing.assert_array_equal(task.t_test, np.arange(1947, 2009))
    # the same baselines on the validation block, the n_val targets before the test's
    val = slice(-n_test - n_val, -n_test)
    X_val, Y_val = X[:, val], Y[val]
    z_val, before = z[val], z[-n_test - n_val - 1 : -n_test - 1]
    assert task.val_baselines == pytest.approx(
        {
            "persistence": np.mean((before - z_val) ** 2),
            f"seasonal naive (m = {m})": np.mean(
                (z[-n_test - n_val - m : -n_test - m] - z_val) ** 2
            ),
            f"AR({lags})": np.mean(
                (fit_ar(X_train, Y_train).predict(X_val) - Y_val) ** 2
            ),
        },
        rel=1e-9,
    )


def test_the_co2_baselines_skip_the_empty_four_week_means():
    task = series_task(CO2, 1)
    # with L = 1 a window is (previous mean, mean): persistence is the previous mean
    np.testing.assert_array_equal(persistence(task.X_test), task.X_test[-1])
    assert task.baselines["persistence"] == pytest.approx(
        np.mean((task.X_test[-1] - task.Y_test) ** 2), rel=1e-9
    )
    assert SEASON[CO2] == 13 and "seasonal naive (m = 13)" in task.baselines


def test_series_task_is_a_frozen_record_shared_by_the_cache():
    task = series_task("sunspots", 4)
    assert series_task("sunspots", np.int64(4)) is task
    with pytest.raises(dataclasses.FrozenInstanceError):
        task.lags = 5


def test_train_on_series_reports_on_test_and_judges_on_validation():
    res = train_on_series("sunspots", "RNN", 3, 2, early_stopping=True, seed=1)
    task, model = res["task"], res["model"]
    assert task is series_task("sunspots", 3)
    assert type(model) is MODELS["RNN"] and model.q == 2
    np.testing.assert_allclose(res["yhat"], predict(model, task.X_test))
    assert res["test_mse"] == pytest.approx(
        np.mean((res["yhat"] - task.Y_test) ** 2), rel=1e-6
    )
    assert res["val_mse"] == pytest.approx(
        np.mean((predict(model, task.X_val) - task.Y_val) ** 2), rel=1e-6
    )
    assert res["parameters"] == parameter_count(model) and res["steps"] >= 1
    # the verdict compares validation MSEs, never test MSEs
    beaten = all(res["val_mse"] < v for v in task.val_baselines.values())
    assert ("beats every baseline" in res["message"]) == beaten
    assert res["message"].startswith("On the validation block")


def test_train_on_sine_scores_the_model_it_returns():
    res = train_on_sine("RNN", 3, 4, seed=2)
    task, model = res["task"], res["model"]
    assert (
        task.lags == 3 and model.q == 4 and res["parameters"] == parameter_count(model)
    )
    fresh = sine_task(3)
    np.testing.assert_array_equal(task.Y_test, fresh.Y_test)
    np.testing.assert_allclose(res["yhat"], predict(model, fresh.X_test))
    assert res["test_mse"] == pytest.approx(
        np.mean((res["yhat"] - fresh.Y_test) ** 2), rel=1e-6
    )
    assert res["history"][-1] <= res["history"][0]


def test_init_gradients_are_those_of_fresh_models():
    res = init_gradients(6, 4, seed=3)
    X = sine_task(6).X_test
    rnn = RNN(1, 4, seed=3)
    np.testing.assert_allclose(res["norms"]["RNN"], input_gradient_norms(rnn, X))
    np.testing.assert_allclose(res["bound"], rnn_gradient_bound(rnn, 6))
    np.testing.assert_array_equal(res["distance"], [6, 5, 4, 3, 2, 1])
    sigma = torch.linalg.matrix_norm(rnn.W.detach(), ord=2).item()
    assert res["sigma"] == pytest.approx(sigma, rel=1e-5)
    assert res["norms"]["LSTM"].shape == (6,)


def test_train_on_recall_uses_the_equal_budget_and_scores_against_the_variance():
    res = train_on_recall("LSTM", 4)
    assert train_on_recall("LSTM", 4, seed=0) is res
    assert res["model"].q == RECALL_Q["LSTM"] and res["model"].D_out == 1
    task = recall_task(4, seed=0)
    np.testing.assert_array_equal(res["task"].Y_test, task.Y_test)
    yhat = predict(res["model"], task.X_test)
    assert res["test_mse"] == pytest.approx(
        np.mean((yhat - task.Y_test) ** 2), rel=1e-6
    )
    assert res["relative"] == pytest.approx(res["test_mse"] / RECALL_VARIANCE)
    # the targets are uniform in [-1, 1]: their variance is what RECALL_VARIANCE says
    assert np.var(np.concatenate([task.Y_train, task.Y_test])) == pytest.approx(
        RECALL_VARIANCE, rel=0.15
    )


def test_the_runners_draw_nothing():
    before = plt.get_fignums()
    series_task("sunspots", 2)
    init_gradients(3, 2)
    assert plt.get_fignums() == before


def test_the_scaler_is_the_training_blocks():
    task = series_task("sunspots", 2)
    _, y = load_series("sunspots")
    n_train = len(y) - sum(BLOCKS["sunspots"])
    assert task.scaler == standardize(y[:n_train])


@pytest.mark.parametrize(
    "call, names",
    [
        (lambda: init_gradients(0, 4), ["lags"]),
        (lambda: init_gradients(3.0, 4), ["lags"]),
        (lambda: init_gradients(3, True), ["q"]),
        (lambda: init_gradients(3, 4, seed=-1), ["seed"]),
        (lambda: train_on_sine("GRU", 3, 4), ["cell"]),
        (lambda: train_on_sine("RNN", 3, 65), ["q"]),
        (lambda: series_task("co2", 3), ["name"]),
        (lambda: series_task("sunspots", 21), ["lags"]),
        (lambda: train_on_series("sunspots", "RNN", 3, 3), ["q"]),
        (
            lambda: train_on_series("sunspots", "RNN", 3, 4, early_stopping=1),
            ["early_stopping"],
        ),
    ],
)
def test_the_runners_refuse_bad_arguments_by_name(call, names):
    refused(call, names)


def test_imports_go_one_way_experiments_then_plots_then_widgets():
    def imported(module):
        tree = ast.parse((HELPERS / f"{module}.py").read_text())
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names.add((node.module or "").split(".")[0])
                names.update(a.name for a in node.names if node.module is None)
            elif isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
        return names

    shell = {"plots", "widgets", "experiments", "claims", "exercises"}
    # experiments never draw and never reach the modules above them
    assert not imported("experiments") & (shell | {"matplotlib", "ipywidgets"})
    # plots never train
    assert not imported("plots") & (shell | {"train", "models", "baselines"})
    assert imported("widgets") >= {"experiments", "plots"}


def test_the_co2_task_blocks_are_the_weeks_of_notebook_05_section_1():
    # notebook 05 keeps the last 440 weeks to test and the 220 before them to validate
    t_weeks, _ = load_series("co2")
    task = series_task(CO2, 20)
    n_val, n_test = BLOCKS[CO2]
    assert (n_val * CO2_WEEKS, n_test * CO2_WEEKS) == (220, 440)
    assert task.t_test[0] == t_weeks[-440]
    assert len(task.Y_val) == 55 and len(task.Y_test) == 110
