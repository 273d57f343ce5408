"""Notebook 05's widget callback in plain pytest: move a control, check what was computed."""

import numpy as np
import pytest

from helpers.experiments import CO2, SEASON
from helpers.widgets import series_widget


def _controls(w):
    return {c.description: c for c in w.children if getattr(c, "description", "")}


def test_widget_retrains_on_every_control_and_prints_the_baselines(capsys):
    w = series_widget()
    c = _controls(w)
    first = w.result
    assert first["model"].q == 4 and type(first["model"]).__name__ == "RNN"
    line = first["figure"].axes[0].lines[1]  # the network's forecasts
    np.testing.assert_allclose(line.get_ydata(), first["yhat"][:, 0])
    c["lags L"].value = 3
    assert w.result is not first and w.result["task"].X_train.shape[0] == 3
    assert "AR(3)" in w.result["task"].baselines
    c["cell"].value = "LSTM"
    assert type(w.result["model"]).__name__ == "LSTM"
    with_es = w.result["steps"]
    c["early stopping"].value = False
    # fit's whole budget without a validation set
    assert w.result["steps"] >= 200 > with_es
    c["series"].value = CO2
    res = w.result
    assert f"seasonal naive (m = {SEASON[CO2]})" in res["task"].baselines
    assert len(res["task"].t_test) == len(res["yhat"]) == 110
    out = capsys.readouterr().out
    assert (
        "persistence:" in out and "AR(3):" in out and "seasonal naive (m = 13)" in out
    )
    # each row: validation MSE, then test MSE; the verdict is the validation block's
    row = next(ln for ln in out.splitlines()[::-1] if ln.strip().startswith("LSTM:"))
    val, test = (float(x) for x in row.split(":")[1].split())
    assert (val, test) == (round(res["val_mse"], 3), round(res["test_mse"], 3))
    assert "validation" in out and res["message"].startswith("On the validation block")


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
