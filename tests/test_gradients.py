import numpy as np
import pytest
import torch

from helpers.data import recall_task
from helpers.gradients import (
    input_gradient,
    input_gradient_norms,
    largest_singular_value,
    parameter_gradient_norm,
    recall_sensitivity,
    rnn_gradient_bound,
    set_largest_singular_value,
)
from helpers.models import LSTM, RNN


def _set(model, **values):
    with torch.no_grad():
        for name, v in values.items():
            getattr(model, name).copy_(torch.as_tensor(v, dtype=torch.float64))


def test_one_lag_rnn_gradient_matches_the_derivative_by_hand():
    # yhat = tanh(x U + b) V + c  =>  d yhat / d x = U diag(1 - h^2) V
    # (D = 1: a number)
    m = RNN(1, 3).double()
    U, b, V = (
        np.array([[0.5, -1.0, 2.0]]),
        np.array([0.1, 0.2, -0.3]),
        np.array([[1.0], [0.5], [-2.0]]),
    )
    _set(m, U=U, b=b, V=V, c=[0.7])
    # three samples, one lag each
    x = np.array([0.3, -0.8, 1.5])
    # (N, q)
    h = np.tanh(x[:, None] @ U + b)
    # (N,)
    by_hand = ((U * (1 - h**2)) @ V)[:, 0]
    got = input_gradient_norms(m, x.reshape(1, 3, 1))
    assert got.shape == (1,)
    assert got[0] == pytest.approx(np.mean(np.abs(by_hand)), rel=1e-12)


def test_two_lag_rnn_gradient_is_the_chain_through_W():
    # d yhat / d X[0] = U diag(1 - h1^2) W diag(1 - h2^2) V : one factor of W per lag
    # passed
    rng = np.random.default_rng(0)
    q = 4
    U, W, b, V = (
        rng.normal(size=(1, q)),
        rng.normal(size=(q, q)) / 2,
        rng.normal(size=q),
        rng.normal(size=(q, 1)),
    )
    m = RNN(1, q).double()
    _set(m, U=U, W=W, b=b, V=V)
    x0, x1 = 0.4, -0.2
    h1 = np.tanh(x0 * U[0] + b)
    h2 = np.tanh(h1 @ W + x1 * U[0] + b)
    d_oldest = (U * (1 - h1**2)) @ W @ ((1 - h2**2)[:, None] * V)
    d_newest = (U * (1 - h2**2)) @ V
    got = input_gradient_norms(m, np.array([[[x0]], [[x1]]]))
    np.testing.assert_allclose(
        got, [abs(d_oldest.item()), abs(d_newest.item())], rtol=1e-12
    )


def test_with_W_zero_no_gradient_reaches_older_lags():
    m = RNN(1, 5, seed=1).double()
    _set(m, W=np.zeros((5, 5)))
    g = input_gradient_norms(m, np.random.default_rng(1).normal(size=(6, 10, 1)))
    assert np.all(g[:-1] == 0) and g[-1] > 0


def test_rnn_gradient_shrinks_with_distance_at_small_W():
    m = set_largest_singular_value(RNN(1, 16, seed=0).double(), 0.5)
    g = input_gradient_norms(m, np.random.default_rng(2).normal(size=(12, 50, 1)))
    # each lag further back multiplies by W (sigma_max 0.5) and tanh' (<= 1): 11 lags
    # back, <= 0.5^11 = 5e-4 up to the ratio of the U-terms at the two ends, O(1)
    assert g[0] < 1e-2 * g[-1]
    # lags back from the prediction
    distance = 11 - np.arange(12)
    # geometric decay: below 0.6 per lag
    assert np.polyfit(distance, np.log(g), 1)[0] < np.log(0.6)


def test_singular_value_helpers():
    m = RNN(1, 6, seed=2)
    set_largest_singular_value(m, 2.5)
    assert largest_singular_value(m.W) == pytest.approx(2.5, rel=1e-5)
    assert largest_singular_value(np.diag([3.0, -4.0])) == pytest.approx(4.0)


def test_parameter_gradient_norm_is_zero_at_a_perfect_fit():
    m = RNN(1, 2).double()
    # predicts 0.25 whatever the input
    _set(m, V=np.zeros((2, 1)), c=[0.25])
    X, Y = np.zeros((3, 4, 1)), np.full((4, 1), 0.25)
    assert parameter_gradient_norm(m, X, Y) == 0.0
    assert parameter_gradient_norm(m, X, Y + 1) > 0


def test_models_with_their_own_output_size():
    task = recall_task(4, n_train=10, n_test=5)
    for cell in (RNN, LSTM):
        m = cell(2, 3, D_out=1)
        assert tuple(m.V.shape) == (3, 1) and m(task.X_test).shape == (5, 1)


def test_lstm_starts_with_the_forget_gate_mostly_open():
    m = LSTM(1, 32, seed=0)
    f = m.states(torch.zeros(1, 1, 1))["f"]
    # sigmoid(1 +- 1/sqrt(q)): a fresh cell keeps its state
    assert 0.6 < f.mean().item() < 0.85


def test_recall_sensitivity_matches_finite_differences():
    task = recall_task(6, n_train=2, n_test=20, seed=5)
    m = LSTM(2, 4, seed=1, D_out=1).double()
    marked, distractors = recall_sensitivity(m, task.X_test, task.marks_test)
    eps = 1e-6
    n = np.arange(20)
    base = m(torch.from_numpy(task.X_test)).detach().numpy()[:, 0]
    X = task.X_test.copy()
    # nudge every sample's marked value (samples are independent)
    X[task.marks_test, n, 0] += eps
    fd = (m(torch.from_numpy(X)).detach().numpy()[:, 0] - base) / eps
    assert marked == pytest.approx(fd.mean(), rel=1e-5)
    fd_others = []
    for k in range(6):
        X = task.X_test.copy()
        X[k, :, 0] += eps
        d = (m(torch.from_numpy(X)).detach().numpy()[:, 0] - base) / eps
        fd_others.extend(abs(d[task.marks_test != k]))
    assert distractors == pytest.approx(np.mean(fd_others), rel=1e-5)


def test_rnn_gradient_bound_is_the_formula_and_bounds_every_sample():
    rnn = RNN(1, 6, seed=3).double()
    L = 12
    with torch.no_grad():
        # sigma_max above 1, where the bound grows with the lag
        rnn.W *= 1.5
    U, W, V = (getattr(rnn, n).detach().numpy() for n in "UWV")
    sigma = np.linalg.svd(W, compute_uv=False)[0]
    expected = (
        np.linalg.norm(U, 2) * np.linalg.norm(V, 2) * sigma ** (L - 1 - np.arange(L))
    )
    bound = rnn_gradient_bound(rnn, L)
    np.testing.assert_allclose(bound, expected, rtol=1e-12)
    X = torch.from_numpy(np.random.default_rng(0).uniform(-1, 1, size=(L, 50, 1)))
    X.requires_grad_(True)
    # (L, N, D): each sample's own gradient
    (grad,) = torch.autograd.grad(rnn(X).sum(), X)
    assert np.all(grad.norm(dim=-1).numpy() <= bound[:, None] * (1 + 1e-12))


def test_input_gradient_is_autograd_of_the_summed_forecast():
    m = LSTM(2, 3, seed=1).double()
    X = np.random.default_rng(4).normal(size=(5, 4, 2))
    Xt = torch.tensor(X, requires_grad=True)
    (expected,) = torch.autograd.grad(m(Xt).sum(), Xt)
    torch.testing.assert_close(input_gradient(m, X), expected, rtol=0, atol=0)
    # a tensor that needs a gradient is read, not changed
    got = input_gradient(m, Xt)
    torch.testing.assert_close(got, expected, rtol=0, atol=0)
    assert Xt.grad is None


def test_parameter_gradient_norm_is_the_norm_of_autograd_gradients():
    m = RNN(1, 3, seed=2).double()
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(4, 6, 1)), rng.normal(size=(6, 1))
    loss = ((m(torch.from_numpy(X)) - torch.from_numpy(Y)) ** 2).mean()
    grads = torch.autograd.grad(loss, list(m.parameters()))
    expected = np.sqrt(sum(float((g**2).sum()) for g in grads))
    assert parameter_gradient_norm(m, X, Y) == pytest.approx(expected, rel=1e-12)
    # only the trainable parameters count
    m.c.requires_grad_(False)
    loss = ((m(torch.from_numpy(X)) - torch.from_numpy(Y)) ** 2).mean()
    grads = torch.autograd.grad(loss, [p for p in m.parameters() if p.requires_grad])
    expected = np.sqrt(sum(float((g**2).sum()) for g in grads))
    assert parameter_gradient_norm(m, X, Y) == pytest.approx(expected, rel=1e-12)


def test_set_largest_singular_value_changes_only_the_scale_of_W():
    m = RNN(1, 5, seed=3).double()
    W0 = m.W.detach().clone()
    assert set_largest_singular_value(m, 0.9) is m
    ratio = (m.W / W0).detach()
    torch.testing.assert_close(ratio, torch.full_like(ratio, ratio[0, 0].item()))
    assert largest_singular_value(m.W) == pytest.approx(0.9, rel=1e-12)
    # rnn_gradient_bound follows: sigma^(j - 1) from the newest lag (j = 1) back
    bound = rnn_gradient_bound(m, 4)
    np.testing.assert_allclose(bound[:-1] / bound[1:], 0.9, rtol=1e-12)
