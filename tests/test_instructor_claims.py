"""Every claim INSTRUCTOR.md makes about a slider move, checked in the widgets' callbacks.

Each claim in INSTRUCTOR.md carries a tag like [01-a]; each tag here is one test that moves the
widget's controls as the page says and checks what the page says the class will see. Training
results differ slightly from one CPU to the next, so the checks compare orders of magnitude and
directions with margins, never digits. Deterministic things (shapes, parameter counts) are exact.
"""

import contextlib
import io
import pathlib
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.data import sine_series, sine_task
from helpers.experiments import CO2, DEFAULTS, train_on_series
from helpers.gate_widgets import gate_widget, memory_widget
from helpers.gradients import rnn_gradient_bound
from helpers.models import LSTM, RNN
from helpers.train import fit
from helpers.widgets import (
    HIDDEN_SIZES,
    gradient_widget,
    lag_window_widget,
    recall_widget,
    series_widget,
    sine_model_widget,
)

INSTRUCTOR = pathlib.Path(__file__).resolve().parents[1] / "INSTRUCTOR.md"
# notebook 01's floor for one lag; a one-lag fit cannot go much below it
ONE_LAG_FLOOR = 4.8e-3
GOOD = 1e-4  # "fits the sine": what every widget fit at L >= 2, q >= 2 reaches (about 1e-5 measured)


def controls(w):
    return {c.description: c for c in w.children if getattr(c, "description", "")}


def move(w, **values):
    """Set the named controls (by label) as a learner would; the callback re-runs; return .result."""
    c = controls(w)
    with contextlib.redirect_stdout(io.StringIO()):  # the widget prints its readout
        for label, value in values.items():
            c[label.replace("_", " ")].value = value
    return w.result


def build(builder, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return builder(*args, **kwargs)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


CLAIMS = {}


def claim(tag):
    def register(fn):
        CLAIMS[tag] = fn
        return fn

    return register


# -- notebook 01: the lag window ------------------------------------------------------------------


@claim("01-a")
def test_01_a_each_extra_lag_costs_one_sample():
    t, y = sine_series(n_points=600, time_step=0.1)
    w = build(lag_window_widget, t[:80], y[:80])  # the notebook's call
    assert w.result["X_shape"] == (2, 78, 1)
    res = move(w, lags_L=5)
    assert res["X_shape"] == (5, 75, 1) and res["Y_shape"] == (75, 1)
    assert controls(w)["sample n"].max == 74  # the sample slider shrinks with it


@claim("01-b")
def test_01_b_x0_is_the_oldest_point_of_the_window():
    t, y = sine_series(n_points=600, time_step=0.1)
    w = build(lag_window_widget, t[:80], y[:80])
    res = move(w, lags_L=5, sample_n=10)
    assert res["window"] == [10, 11, 12, 13, 14] and res["target"] == 15
    # the first entry of the window, X[0], is the leftmost (oldest) input point drawn
    ax = res["figure"].axes[0]
    inputs = next(line for line in ax.lines if line.get_label().startswith("inputs"))
    assert inputs.get_xdata()[0] == t[10] == min(inputs.get_xdata())


# -- notebook 02: the RNN's sliders ---------------------------------------------------------------


@pytest.fixture(scope="module")
def rnn_lags():
    w = build(sine_model_widget, cells=("RNN",))
    return {L: move(w, lags_L=L) for L in (10, 1, 2)}


@claim("02-a")
def test_02_a_one_lag_stops_at_the_floor_two_lags_fit(rnn_lags):
    assert rnn_lags[10]["test_mse"] < GOOD
    # "about 5e-3"
    assert 0.9 * ONE_LAG_FLOOR < rnn_lags[1]["test_mse"] < 2 * ONE_LAG_FLOOR
    assert "cannot tell whether the sine is rising or falling" in rnn_lags[1]["message"]
    assert (
        rnn_lags[2]["test_mse"] < GOOD
        and rnn_lags[1]["test_mse"] > 100 * rnn_lags[2]["test_mse"]
    )


@claim("02-d")
def test_02_d_the_parameter_count_does_not_depend_on_l(rnn_lags):
    assert [r["parameters"] for r in rnn_lags.values()] == [89, 89, 89]


@claim("02-b")
def test_02_b_more_hidden_units_do_not_lower_the_error():
    w = build(sine_model_widget, cells=("RNN",))
    res = {q: dict(move(w, hidden_q=q)) for q in (8, 64)}
    assert res[8]["parameters"] == 89 and res[64]["parameters"] == 4289
    # the widget trains every size to the same target: the larger q is not an order of magnitude better
    assert (
        res[64]["test_mse"] > res[8]["test_mse"] / 10
        and max(r["test_mse"] for r in res.values()) < GOOD
    )


@claim("02-c")
def test_02_c_one_unit_falls_short_at_five_lags_two_units_fit():
    w = build(sine_model_widget, cells=("RNN",), lags=5, q=1)
    assert (
        w.result["test_mse"] > 1e-3
        and "q = 1 hidden units could not fit" in w.result["message"]
    )
    assert move(w, hidden_q=2)["test_mse"] < GOOD


# -- notebook 03: RNN or LSTM ---------------------------------------------------------------------


@claim("03-a")
def test_03_a_the_lstm_has_four_times_the_parameters_for_the_same_fit():
    w = build(sine_model_widget, cells=("LSTM", "RNN"))
    lstm = dict(w.result)
    rnn = move(w, cell="RNN")
    assert lstm["parameters"] == 329 and rnn["parameters"] == 89
    assert lstm["test_mse"] < GOOD and rnn["test_mse"] < GOOD


@claim("03-b")
def test_03_b_gates_do_not_beat_the_one_lag_floor():
    w = build(sine_model_widget, cells=("LSTM", "RNN"))
    res = move(w, lags_L=1)
    assert type(res["model"]).__name__ == "LSTM"
    # "about the floor"
    assert 0.9 * ONE_LAG_FLOOR < res["test_mse"] < 2 * ONE_LAG_FLOOR


@claim("03-c")
def test_03_c_equal_budget_both_fit():
    w = build(sine_model_widget, cells=("LSTM", "RNN"))
    lstm = dict(w.result)
    rnn = move(w, cell="RNN", hidden_q=16)
    assert (lstm["parameters"], rnn["parameters"]) == (329, 305)
    assert lstm["test_mse"] < GOOD and rnn["test_mse"] < GOOD
    # section 10's q = 17 is not among the slider's sizes; 16 is the nearest, 7 % under 329
    offered = tuple(controls(w)["hidden q"].options)
    assert offered == HIDDEN_SIZES == (1, 2, 4, 8, 16, 32, 64) and 17 not in offered
    assert round(100 * (1 - 305 / 329)) == 7


# -- notebook 03: the gate widget on the trained LSTM ---------------------------------------------


@pytest.fixture(scope="module")
def gates():
    """The widget as notebook 03 builds it, on the LSTM its section 7 trains."""
    task = sine_task(lags=10)
    lstm = LSTM(D=1, q=8, seed=0)
    fit(lstm, task.X_train, task.Y_train, target_loss=1e-6)
    return build(gate_widget, lstm)


def gate_move(w, **values):
    """move() for the gate widget's labels (phase °, bump size, at lag, bump, show)."""
    names = {"phase": "phase °", "size": "bump size", "lag": "at lag", "kind": "bump"}
    return dict(move(w, **{names.get(k, k): v for k, v in values.items()}))


@claim("03-d")
def test_03_d_rising_or_falling_at_the_same_value(gates):
    up = gate_move(gates, size=0.0, phase=30)
    down = gate_move(gates, phase=150)
    assert up["plain"][-1, 0, 0] == pytest.approx(down["plain"][-1, 0, 0]) == 0.5
    # the forecast follows the direction, each close to the sine's next value
    assert up["states"]["yhat"] > 0.5 > down["states"]["yhat"]
    for res in (up, down):
        assert abs(res["states"]["yhat"] - res["truth"]) < 0.02
    # at the last step the gates hardly differ, the cell state clearly does
    gap = {k: np.abs(up["states"][k][-1] - down["states"][k][-1]).max() for k in "oifs"}
    gates_gap = max(gap[g] for g in "oif")
    assert gates_gap < 0.05 and gap["s"] > 0.1 and gap["s"] > 3 * gates_gap


@claim("03-e")
def test_03_e_a_spike_moves_nothing_before_it_and_the_later_f_stay_below_one(gates):
    gate_move(gates, phase=30, kind="spike", lag=3)
    for lag in range(1, 11):
        res = gate_move(gates, size=0.5, lag=lag)
        # array row of the spike's step k = L - lag + 1
        row = 10 - lag
        for name in ("o", "i", "f", "s_tilde", "s", "h"):
            # the rows above the spike's step are exactly the plain window's
            np.testing.assert_array_equal(
                res["states"][name][:row], res["plain_states"][name][:row]
            )
        # at the spike's step f moves a little (measured 0.05), s~ and s a lot
        assert res["change_k"]["f"] < 0.1
        assert min(res["change_k"]["s_tilde"], res["change_k"]["s"]) > 0.2
        # the forget gates after the spike's step (measured at most 0.78)
        assert np.all(res["states"]["f"][row + 1 :] < 0.8)
    assert 0.4 < gate_move(gates, lag=3)["kept"] < 0.7


@claim("03-f")
def test_03_f_the_spike_fades_within_the_later_forget_gates_a_level_shift_stays(gates):
    gate_move(gates, phase=30, kind="spike", size=0.5)
    shift, kept = {}, {}
    for lag in range(1, 11):
        res = gate_move(gates, lag=lag)
        shift[lag] = abs(res["yhat"] - res["plain_yhat"])
        kept[lag] = res["kept"]
    # more than the spike at lag 1 (measured 0.78); 0.05 at lag 5, less further back
    assert shift[1] > 0.5
    assert all(shift[lag] < 0.1 for lag in range(5, 11))
    assert all(shift[lag] / shift[1] < kept[lag] for lag in range(2, 11))
    gate_move(gates, kind="level shift")
    for lag in range(2, 11):
        res = gate_move(gates, lag=lag)
        assert 0.45 < res["yhat"] - res["plain_yhat"] < 0.65


# -- notebook 04: gradients and memory ------------------------------------------------------------


def ratio(res, cell):
    n = res["norms"][cell]
    return n[0] / n[-1]  # oldest lag / newest lag, what the widget prints


@claim("04-a")
def test_04_a_the_rnns_gradient_from_lag_30_vanishes_the_lstms_far_less():
    # the notebook's call: L = 30, q = 16, untrained
    res = build(gradient_widget).result
    # both fall with distance
    assert ratio(res, "RNN") < 1e-6 and 1e-4 < ratio(res, "LSTM") < 1


@claim("04-b")
def test_04_b_the_rnns_ratio_falls_geometrically_with_l():
    w = build(gradient_widget)
    r = {L: ratio(dict(move(w, lags_L=L)), "RNN") for L in (5, 30, 60)}
    assert r[5] > 0.1 and r[30] < 1e-6 and r[60] < 1e-12
    # "about the same factor per lag": the log-rate from L = 5 to 30 and from 30 to 60 agree within 25 %
    rate_near, rate_far = np.log(r[30] / r[5]) / 25, np.log(r[60] / r[30]) / 30
    assert abs(rate_far / rate_near - 1) < 0.25


@claim("04-c")
def test_04_c_sigma_above_one_and_still_vanishing_under_the_bound():
    w = build(gradient_widget)
    for q in (4, 16, 64):
        res = move(w, hidden_q=q)
        # the widget's dashed line, seed 0
        bound = rnn_gradient_bound(RNN(1, q, seed=0), 30)
        # the RNN's curve never crosses its bound
        assert np.all(res["norms"]["RNN"] <= bound)
        # measured 5e-6 (q = 64) and far less at q = 4, 16
        assert ratio(res, "RNN") < 1e-4
        assert (res["sigma"] > 1) == (q >= 16)  # q = 4 starts below 1; q = 16, 64 above


@pytest.fixture(scope="module")
def recall():
    w = build(recall_widget, lags=16)
    return {L: move(w, lags_L=L)["results"] for L in (16, 4, 24)}


@claim("04-d")
def test_04_d_recall_both_remember_at_4_the_rnn_gives_up_at_24(recall):
    # "remembers" for both
    assert all(r["relative"] < 0.1 for r in recall[4].values())
    assert recall[16]["RNN"]["test_mse"] > 3 * recall[16]["LSTM"]["test_mse"]
    # gives up / remembers
    assert recall[24]["RNN"]["relative"] > 0.1 and recall[24]["LSTM"]["relative"] < 0.1
    # "over a quarter of the variance" (measured: 120 % native, 34 % on the scalar path)
    assert recall[24]["RNN"]["relative"] > 0.25
    # "under a tenth of the RNN's error" (measured: 2 % and 5 %)
    assert recall[24]["LSTM"]["test_mse"] < 0.1 * recall[24]["RNN"]["test_mse"]


def test_04_d_the_verdict_prints_its_one_meaning():
    w = build(recall_widget, lags=4)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        controls(w)["lags L"].value = 24
    lines = out.getvalue().splitlines()
    rnn = next(line for line in lines if line.lstrip().startswith("RNN"))
    lstm = next(line for line in lines if line.startswith("LSTM"))
    assert rnn.endswith(": gives up") and lstm.endswith(": remembers")
    assert "remembers = test MSE under 10 % of the variance; gives up = over" in lines


# -- notebook 04: the memory widget (L = 24, seed 0, the sweep's models) --------------------------


@pytest.fixture(scope="module")
def memory():
    return build(memory_widget, lags=24)


def memory_slopes(w, mark_lags):
    """The forecast's move per unit of the marked value, per cell, over mark lags and the
    widget's windows 0, 3, 6, 9."""
    slopes = {"RNN": [], "LSTM": []}
    for lag in mark_lags:
        for window in range(0, 10, 3):
            res = move(w, mark_at_lag=lag, window=window)
            for cell, slope in res["slopes"].items():
                slopes[cell].append(slope)
    return {cell: np.array(v) for cell, v in slopes.items()}


@pytest.fixture(scope="module")
def older_half(memory):
    """The slopes with the mark in the older half (lags 13-24), where training put it."""
    return memory_slopes(memory, range(13, 25))


@claim("04-e")
def test_04_e_the_lstms_forecast_follows_the_mark_the_rnns_does_not(memory, older_half):
    # measured LSTM 0.76-0.95 on both CPU paths; RNN median -0.02 natively, 0.53 with
    # ATEN_CPU_CAPABILITY=default (that one run of seed 0 trained differently)
    slopes = older_half
    assert slopes["LSTM"].min() > 0.6
    assert np.median(slopes["RNN"]) < np.median(slopes["LSTM"]) - 0.25
    # dragging the value: the LSTM's forecast goes along, the RNN's hardly
    forecasts = {
        v: move(memory, mark_at_lag=20, window=0, marked_value=v) for v in (-1, 1)
    }
    lstm = [forecasts[v]["states"]["LSTM"]["yhat"] for v in (-1, 1)]
    assert lstm[1] - lstm[0] > 1.2


@claim("04-f")
def test_04_f_the_mark_changes_nothing_before_it_and_s_keeps_it(memory):
    for lag in (24, 20, 16, 13):
        for window in (0, 3, 7):
            res = move(memory, mark_at_lag=lag, window=window)
            k = 24 - lag
            for trace in res["traces"].values():
                assert np.all(trace[:k] == 0)
            s_trace = res["traces"]["LSTM s"]
            # "does not fade": at the last step at least half of the mark step's, and
            # never more than 3 times apart from the mark to the last step
            assert s_trace[-1] > 0.5 * s_trace[k]
            assert s_trace[k:].max() < 3 * s_trace[k:].min()
    # "in proportion to the marked value": s at the last step is linear in it
    values = np.linspace(-1, 1, 9)
    last = np.array(
        [
            move(memory, mark_at_lag=20, window=0, marked_value=round(v, 1))["states"][
                "LSTM"
            ]["s"][-1]
            for v in values
        ]
    )
    centred = last - last.mean(axis=0)
    beta = values @ centred / (values @ values)
    residual = centred - np.outer(values, beta)
    assert 1 - (residual**2).sum() / (centred**2).sum() > 0.95


@claim("04-g")
def test_04_g_in_the_newer_half_the_lstm_follows_less_closely(memory, older_half):
    older = older_half["LSTM"]
    newer = memory_slopes(memory, range(1, 13))["LSTM"]
    # measured medians 0.88 and 0.66
    assert np.median(newer) < np.median(older) - 0.1
    assert np.median(newer) > 0.3


# -- notebook 05: a real series -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sunspots():
    w = build(series_widget)  # sunspots, RNN, L = 10, q = 4, early stopping on
    out = {"default": dict(w.result)}
    out["q32"] = dict(move(w, hidden_q=32))
    out["lstm32"] = dict(move(w, cell="LSTM"))
    out["lstm32 off"] = dict(move(w, early_stopping=False))
    out["L1"] = dict(move(w, cell="RNN", hidden_q=4, early_stopping=True, lags_L=1))
    return out


@pytest.fixture(scope="module")
def sunspot_seeds(sunspots):
    """The widget's opening setting from seeds 0 (the widget's own run), 1 and 2: what
    train_on_series, the widget's callback's function, computes for each seed."""
    d = DEFAULTS
    setting = (d["name"], d["cell"], d["lags"], d["q"], d["early_stopping"])
    return [sunspots["default"]["test_mse"]] + [
        train_on_series(*setting, seed=seed)["test_mse"] for seed in (1, 2)
    ]


@claim("05-a")
def test_05_a_one_seed_above_ar10_the_three_seeds_tie_it(sunspots, sunspot_seeds):
    res = sunspots["default"]
    base = res["task"].baselines
    ar = base["AR(10)"]
    # seed 0, as the widget opens
    assert 1 < res["test_mse"] / ar < 1.25
    assert res["test_mse"] < 0.5 * base["persistence"]
    assert ar < 0.5 * base["persistence"]
    _, seed1, seed2 = sunspot_seeds
    # seed 1 more than 15 % below AR(10) and below every baseline; seed 2 within 10 %
    assert seed1 < 0.85 * ar and seed1 < min(base.values())
    assert abs(seed2 / ar - 1) < 0.1
    # the median of the three ties AR(10)
    assert abs(np.median(sunspot_seeds) / ar - 1) < 0.1


@claim("05-b")
def test_05_b_without_early_stopping_the_big_lstm_overfits(sunspots):
    on, off = sunspots["lstm32"]["test_mse"], sunspots["lstm32 off"]["test_mse"]
    assert off > 1.5 * on and off > 2 * sunspots["default"]["task"].baselines["AR(10)"]


@claim("05-c")
def test_05_c_more_hidden_units_do_not_help_on_sunspots(sunspots):
    assert sunspots["q32"]["test_mse"] > 0.95 * sunspots["default"]["test_mse"]


@claim("05-d")
def test_05_d_one_lag_is_close_to_persistence(sunspots):
    res = sunspots["L1"]
    base = res["task"].baselines
    assert abs(res["test_mse"] / base["persistence"] - 1) < 0.15
    assert abs(base["AR(1)"] / base["persistence"] - 1) < 0.15


@claim("05-e")
def test_05_e_on_co2_ar_wins_and_the_rnn_loses_even_to_persistence():
    w = build(series_widget, name=CO2)
    for L in (9, 13):
        res = move(w, lags_L=L)
        base = res["task"].baselines
        seasonal = next(v for k, v in base.items() if k.startswith("seasonal naive"))
        assert (
            base[f"AR({L})"] < base["persistence"] / 2
            and base["persistence"] < seasonal
        )
        assert res["test_mse"] > base["persistence"]


def test_every_claim_on_the_page_is_checked_here_and_every_check_is_on_the_page():
    tags = set(re.findall(r"\[(0[1-5]-[a-z])\]", INSTRUCTOR.read_text()))
    assert tags == set(CLAIMS)
