"""free_run_errors, the free run's error by horizon from many origins, against
computations that do not go through it or free_run: closed forms for persistence and a
linear AR(1), and a hand loop of the model's own forward pass for a network."""

import numpy as np
import pytest
import torch

from helpers.baselines import fit_ar, persistence
from helpers.data import make_lag_dataset
from helpers.models import LSTM, RNN
from helpers.train import free_run_errors

RNG = np.random.default_rng(0)
# a noisy cycle with a trend: nothing a forecast gets exactly right
SERIES = np.sin(0.5 * np.arange(60)) + 0.02 * np.arange(60) + 0.1 * RNG.normal(size=60)


def test_persistence_errors_are_the_last_value_minus_the_truth():
    origins, H = [3, 10, 40], 7
    e = free_run_errors(persistence, SERIES, origins, H, 1)
    assert e.shape == (3, H, 1)
    for i, t0 in enumerate(origins):
        # persistence repeats y[t0 - 1] at every horizon h = 1..H
        np.testing.assert_allclose(e[i, :, 0], SERIES[t0 - 1] - SERIES[t0 : t0 + H])


def test_ar1_errors_follow_the_closed_form():
    X, Y = make_lag_dataset(SERIES, 1)
    ar = fit_ar(X, Y)
    a, c = ar.A[0, 0, 0], ar.c[0]
    origins, H = np.arange(5, 50, 4), 10
    e = free_run_errors(ar.predict, SERIES, origins, H, 1)
    h = np.arange(1, H + 1)
    for i, t0 in enumerate(origins):
        # yhat_{t0-1+h} = a^h y_{t0-1} + c (1 + a + ... + a^(h-1))
        forecast = a**h * SERIES[t0 - 1] + c * (1 - a**h) / (1 - a)
        np.testing.assert_allclose(e[i, :, 0], forecast - SERIES[t0 : t0 + H])


@pytest.mark.parametrize("cell", [RNN, LSTM])
def test_a_network_against_a_hand_loop_of_its_forward_pass(cell):
    model, L, H = cell(1, 5, seed=3), 4, 6
    origins = [4, 17, 54]
    e = free_run_errors(model, SERIES, origins, H, L)
    for i, t0 in enumerate(origins):
        values = list(SERIES[t0 - L : t0])
        for k in range(H):
            # the newest L values, oldest first, as one sample: (L, 1, 1)
            X = torch.tensor(values[-L:], dtype=torch.float32)[:, None, None]
            with torch.no_grad():
                values.append(model(X)[0, 0].item())
            assert e[i, k, 0] == pytest.approx(values[-1] - SERIES[t0 + k], abs=1e-6)


def test_a_series_of_several_columns_keeps_its_columns():
    Y2 = np.stack([SERIES, -SERIES], axis=1)
    e = free_run_errors(persistence, Y2, [5, 6], 3, 2)
    assert e.shape == (2, 3, 2)
    np.testing.assert_allclose(e[..., 1], -e[..., 0])


@pytest.mark.parametrize(
    "origins, horizon, lags, word",
    [
        ([2], 3, 3, "origins"),
        ([58], 3, 1, "origins"),
        ([], 3, 1, "origins"),
        ([4.5], 3, 1, "origins"),
        ([[4, 5]], 3, 1, "origins"),
        ([4], 0, 1, "horizon"),
        ([4], 3, 0, "lags"),
    ],
)
def test_origins_out_of_reach_are_refused_by_name(origins, horizon, lags, word):
    with pytest.raises(ValueError, match=word):
        free_run_errors(persistence, SERIES, origins, horizon, lags)


def test_a_model_that_reads_another_d_is_refused():
    with pytest.raises(ValueError, match="window"):
        free_run_errors(RNN(2, 3), SERIES, [5], 2, 3)


def test_the_last_origin_that_fits_is_accepted():
    e = free_run_errors(persistence, SERIES, [1, len(SERIES) - 3], 3, 1)
    assert e.shape == (2, 3, 1) and np.isfinite(e).all()
