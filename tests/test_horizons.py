"""helpers.horizons and helpers.intervals against independent references: the course's
own free_run and make_lag_dataset, numpy's least squares and quantiles, statsmodels'
OLS and VAR; and the boundary checks a learner meets first."""

import numpy as np
import pytest
import torch
from statsmodels.regression.linear_model import OLS
from statsmodels.tsa.vector_ar.var_model import VAR

from helpers.baselines import fit_ar, persistence
from helpers.data import make_lag_dataset, sine_series
from helpers.horizons import (
    direct,
    errors_by_horizon,
    fit_direct,
    fit_multi_output,
    horizon_windows,
    multi_output,
    recursive,
)
from helpers.intervals import chance_range, conformal_radius, coverage
from helpers.models import LSTM, RNN
from helpers.series import macro_growth, standardize_each
from helpers.train import free_run, free_run_errors, predict


def noisy_sine(T=200):
    return sine_series(T, noise=0.1, seed=3)[1]


def test_windows_by_hand_and_one_step_windows_are_the_lag_dataset():
    y = np.arange(10.0)
    X, Y, origins = horizon_windows(y, 3, 2)
    assert origins.tolist() == list(range(3, 9))
    # origin 3: lags y0 y1 y2 (oldest first), targets y3 y4
    assert X[:, 0, 0].tolist() == [0, 1, 2] and Y[0, :, 0].tolist() == [3, 4]
    assert Y[-1, :, 0].tolist() == [8, 9]
    X1, Y1, _ = horizon_windows(noisy_sine(), 5, 1)
    Xr, Yr = make_lag_dataset(noisy_sine(), 5)
    np.testing.assert_array_equal(X1, Xr)
    np.testing.assert_array_equal(Y1[:, 0], Yr)


def test_windows_keep_the_targets_inside_the_block_and_lags_may_reach_back():
    y = np.arange(30.0)
    X, Y, origins = horizon_windows(y, 4, 3, 10, 20)
    assert origins[0] == 10 and origins[-1] + 3 == 20
    assert Y.min() >= 10 and Y.max() < 20
    # the first origin's lags are 6..9, before the block
    assert X[:, 0, 0].tolist() == [6, 7, 8, 9]


def test_recursive_is_free_run_at_every_origin():
    X, Y, _ = horizon_windows(noisy_sine(), 6, 5)
    ar = fit_ar(X, Y[:, 0])
    paths = recursive(ar.predict, X, 5)
    for n in (0, 17, len(Y) - 1):
        np.testing.assert_allclose(paths[n], free_run(ar.predict, X[:, n], 5))
    model = RNN(1, 4, seed=1)
    nets = recursive(model, X[:, :3], 5)
    for n in range(3):
        np.testing.assert_allclose(nets[n], free_run(model, X[:, n], 5), atol=1e-6)


def test_recursive_minus_targets_is_notebook_05s_free_run_errors():
    y = noisy_sine()
    X, Y, origins = horizon_windows(y, 6, 5)
    ar = fit_ar(X, Y[:, 0])
    picked = origins[[0, 9, -1]]
    errors = free_run_errors(ar.predict, y, picked, 5, 6)
    np.testing.assert_allclose(
        recursive(ar.predict, X[:, [0, 9, -1]], 5) - Y[[0, 9, -1]], errors
    )


def test_persistence_recursive_repeats_the_last_value():
    X, _, _ = horizon_windows(noisy_sine(), 4, 3)
    paths = recursive(persistence, X, 3)
    np.testing.assert_array_equal(paths, np.repeat(X[-1][:, None], 3, axis=1))


def test_direct_linear_models_are_ols_per_horizon():
    X, Y, _ = horizon_windows(noisy_sine(), 4, 3)
    ars = fit_direct(lambda tau: None, X, Y)
    Z = np.column_stack([*X[:, :, 0], np.ones(X.shape[1])])
    for h, ar in enumerate(ars):
        ref = OLS(Y[:, h, 0], Z).fit().params
        np.testing.assert_allclose(ar.A[:, 0, 0], ref[:-1], atol=1e-10)
        np.testing.assert_allclose(ar.c, ref[-1:], atol=1e-10)
    forecasts = direct(ars, X)
    assert forecasts.shape == Y.shape
    np.testing.assert_allclose(forecasts[:, 1], ars[1].predict(X))


def test_direct_trains_one_network_per_horizon_and_its_first_is_the_one_step_fit():
    X, Y, _ = horizon_windows(noisy_sine(120), 4, 3)
    models = fit_direct(lambda tau: RNN(1, 3, seed=tau), X, Y, steps=20)
    assert len(models) == 3 and len({id(m) for m in models}) == 3
    from helpers.train import fit

    alone = RNN(1, 3, seed=1)
    fit(alone, X, Y[:, 0], steps=20)
    torch.testing.assert_close(alone.V, models[0].V)


def test_multi_output_columns_are_step_major_and_training_lowers_the_loss():
    H, D = 3, 2
    model = RNN(D, 4, seed=0, D_out=H * D)
    with torch.no_grad():
        model.V.zero_()
        # output column j = step j // D, variable j % D
        model.c.copy_(torch.arange(H * D, dtype=model.c.dtype))
    X = np.zeros((2, 5, D))
    out = multi_output(model, X, H)
    assert out.shape == (5, H, D)
    np.testing.assert_array_equal(out[0], np.arange(H * D).reshape(H, D))
    Xs, Ys, _ = horizon_windows(noisy_sine(120), 4, 3)
    net = RNN(1, 4, seed=0, D_out=3)
    before = errors_by_horizon(multi_output(net, Xs, 3), Ys).mean()
    fit_multi_output(net, Xs, Ys, steps=30)
    assert errors_by_horizon(multi_output(net, Xs, 3), Ys).mean() < 0.5 * before


def test_errors_by_horizon_by_hand():
    Y = np.zeros((2, 3, 2))
    Yhat = np.ones((2, 3, 2))
    Yhat[1, 2] = [3.0, 1.0]
    e = errors_by_horizon(Yhat, Y)
    assert e.shape == (2, 3)
    assert e[0].tolist() == [1, 1, 1] and e[1, 2] == 5.0


def test_conformal_radius_is_the_corrected_order_statistic():
    rng = np.random.default_rng(0)
    R = rng.normal(size=(37, 4))
    for level in (0.5, 0.8, 0.9, 0.95):
        k = int(np.ceil((37 + 1) * level))
        ref = np.quantile(np.abs(R), k / 37, axis=0, method="inverted_cdf")
        np.testing.assert_array_equal(conformal_radius(R, level), ref)
    # by hand: |R| = 1..9, n = 9, level 0.8 -> k = ceil(8) = 8
    R9 = np.arange(1.0, 10.0)[:, None] * np.array([[1, -1]])
    assert conformal_radius(R9, 0.8).tolist() == [8.0, 8.0]
    # too few residuals for the level: an infinite interval, not a wrong one
    assert np.isinf(conformal_radius(R[:10], 0.95)).all()


def test_conformal_coverage_holds_on_exchangeable_errors():
    rng = np.random.default_rng(1)
    hits = []
    for _ in range(400):
        cal, new = rng.standard_t(3, size=(20, 1)), rng.standard_t(3, size=(50, 1))
        r = conformal_radius(cal, 0.8)
        hits.append(coverage(new, -r, r)[0])
    # the guarantee: at least 0.8 on average (exactly 17/21 here); 400 trials
    assert 0.8 <= np.mean(hits) < 0.85


def test_chance_range_is_scipys_binomial_interval():
    from scipy.stats import binom

    for n in (1, 7, 24, 55, 113, 2000):
        for level in (0.1, 0.5, 0.8, 0.95, 0.99):
            ref = np.array(binom.interval(0.95, n, level)) / n
            np.testing.assert_allclose(chance_range(n, level), ref)
    # by hand: n = 1, level 0.5: no hit and one hit each have probability 1/2
    assert chance_range(1, 0.5) == (0.0, 1.0)


def test_direct_takes_fitted_ars_and_networks_alike():
    X, Y, _ = horizon_windows(noisy_sine(120), 4, 2)
    ars = fit_direct(lambda tau: None, X, Y)
    net = RNN(1, 3, seed=0)
    out = direct([ars[0], net], X)
    np.testing.assert_allclose(out[:, 0], ars[0].predict(X))
    np.testing.assert_allclose(out[:, 1], predict(net, X), atol=1e-6)


def test_coverage_by_hand():
    Y = np.array([[0.0, 1.0], [2.0, 5.0]])
    cov = coverage(Y, Y - 1, np.array([[1.0, 0.5], [3.0, 5.0]]))
    assert cov.tolist() == [1.0, 0.5]


def test_fit_ar_with_three_variables_is_statsmodels_var():
    _, g = macro_growth()
    z = standardize_each(g[:140]).apply(g)
    L = 3
    X, Y, _ = horizon_windows(z, L, 1, 0, 140)
    var = fit_ar(X, Y[:, 0])
    ref = VAR(z[:140]).fit(L, trend="c")
    ours = np.stack([var.A[L - j].T for j in range(1, L + 1)])
    np.testing.assert_allclose(ours, ref.coefs, atol=1e-10)
    np.testing.assert_allclose(var.c, ref.intercept, atol=1e-10)
    X_te, _, o_te = horizon_windows(z, L, 1, 160, len(z))
    fc = np.stack([ref.forecast(z[o - L : o], steps=1)[0] for o in o_te])
    np.testing.assert_allclose(var.predict(X_te), fc, atol=1e-10)
    # three steps: VAR's own forecast equals the recursive strategy
    X3, _, o3 = horizon_windows(z, L, 3, 160, len(z))
    fc3 = ref.forecast(z[o3[0] - L : o3[0]], steps=3)
    np.testing.assert_allclose(recursive(var.predict, X3, 3)[0], fc3, atol=1e-10)


def test_standardize_each_scales_every_column_by_its_own_statistics():
    v = np.column_stack([np.arange(10.0), 100 + 5 * np.arange(10.0)])
    z = standardize_each(v).apply(v)
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=0), 1)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: horizon_windows(np.arange(10.0), 3, 0), "H must be >= 1"),
        (lambda: horizon_windows(np.arange(10.0), 3, 8), "no window fits"),
        (lambda: horizon_windows(np.arange(30.0), 3, 5, 20, 22), "no window fits"),
        (lambda: recursive(RNN(2, 3), np.zeros((3, 4, 1)), 2), "D_out must be"),
        (lambda: recursive(persistence, np.zeros((3, 4, 1)), 0), "H must be >= 1"),
        (lambda: multi_output(RNN(1, 3), np.zeros((3, 4, 1)), 4), "D_out must be 4"),
        (lambda: multi_output(LSTM(1, 3, D_out=3), np.zeros((4, 1)), 3), "(L, N, D)"),
        (
            lambda: fit_direct(lambda tau: None, np.zeros((3, 4, 1)), np.zeros((4, 2))),
            "(N, H, D)",
        ),
        (
            lambda: fit_multi_output(
                RNN(1, 3, D_out=2), np.zeros((3, 4, 1)), np.zeros((5, 2, 1))
            ),
            "(N, H, D)",
        ),
        (lambda: errors_by_horizon(np.zeros((4, 2)), np.zeros((4, 2))), "(N, H, D)"),
        (lambda: conformal_radius(np.zeros(5), 0.9), "(n, H)"),
        (lambda: conformal_radius(np.zeros((5, 2)), 1.0), "level"),
        (lambda: coverage(np.zeros(3), 0, 1), "Y must be (n, H)"),
        (lambda: chance_range(0, 0.8), "n must be >= 1"),
        (lambda: chance_range(55, 1.0), "level"),
    ],
)
def test_learner_mistakes_get_a_clear_error(call, words):
    with pytest.raises(ValueError, match=None) as err:
        call()
    assert words in str(err.value)


def test_macro_growth_by_hand():
    from statsmodels.datasets import macrodata

    df = macrodata.load_pandas().data
    t, g = macro_growth()
    assert g.shape == (len(df) - 1, 3) and t.shape == (len(df) - 1,)
    assert t[0] == 1959.25 and t[-1] == 2009.5
    gdp = df["realgdp"].to_numpy()
    assert np.isclose(g[0, 0], 100 * np.log(gdp[1] / gdp[0]))
    inv = df["realinv"].to_numpy()
    assert np.isclose(g[-1, 2], 100 * np.log(inv[-1] / inv[-2]))


def test_nan_and_samples_first_are_refused_by_name():
    y = noisy_sine()
    y[17] = np.nan
    with pytest.raises(ValueError, match="series must hold finite numbers"):
        horizon_windows(y, 3, 2)
    X, _, _ = horizon_windows(noisy_sine(), 4, 2)
    # a model that reads D = 2 refuses lags of D = 1, naming both
    with pytest.raises(ValueError, match="reads D = 2"):
        recursive(RNN(2, 3), X, 2)
    with pytest.raises(ValueError, match="train_block must hold finite numbers"):
        standardize_each(np.array([[1.0, np.nan], [2.0, 3.0]]))
