import numpy as np
import pytest
import torch

from helpers.data import recall_task
from helpers.gradients import (
    input_gradient_norms,
    largest_singular_value,
    parameter_gradient_norm,
    set_largest_singular_value,
)
from helpers.models import LSTM, RNN


def _set(model, **values):
    with torch.no_grad():
        for name, v in values.items():
            getattr(model, name).copy_(torch.as_tensor(v, dtype=torch.float64))


def test_one_lag_rnn_gradient_matches_the_derivative_by_hand():
    # yhat = tanh(x U + b) V + c  =>  d yhat / d x = U diag(1 - h^2) V   (D = 1: a number)
    m = RNN(1, 3).double()
    U, b, V = (
        np.array([[0.5, -1.0, 2.0]]),
        np.array([0.1, 0.2, -0.3]),
        np.array([[1.0], [0.5], [-2.0]]),
    )
    _set(m, U=U, b=b, V=V, c=[0.7])
    x = np.array([0.3, -0.8, 1.5])  # three samples, one lag each
    h = np.tanh(x[:, None] @ U + b)  # (N, q)
    by_hand = ((U * (1 - h**2)) @ V)[:, 0]  # (N,)
    got = input_gradient_norms(m, x.reshape(1, 3, 1))
    assert got.shape == (1,)
    assert got[0] == pytest.approx(np.mean(np.abs(by_hand)), rel=1e-12)


def test_two_lag_rnn_gradient_is_the_chain_through_W():
    # d yhat / d X[0] = U diag(1 - h1^2) W diag(1 - h2^2) V : one factor of W per lag passed
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
    # each lag further back multiplies by W (sigma_max 0.5) and tanh' (<= 1): 11 lags back, <= 0.5^11 = 5e-4
    # up to the ratio of the U-terms at the two ends, which is O(1)
    assert g[0] < 1e-2 * g[-1]
    distance = 11 - np.arange(12)  # lags back from the prediction
    # geometric decay: below 0.6 per lag
    assert np.polyfit(distance, np.log(g), 1)[0] < np.log(0.6)


def test_singular_value_helpers():
    m = RNN(1, 6, seed=2)
    set_largest_singular_value(m, 2.5)
    assert largest_singular_value(m.W) == pytest.approx(2.5, rel=1e-5)
    assert largest_singular_value(np.diag([3.0, -4.0])) == pytest.approx(4.0)


def test_parameter_gradient_norm_is_zero_at_a_perfect_fit():
    m = RNN(1, 2).double()
    _set(m, V=np.zeros((2, 1)), c=[0.25])  # predicts 0.25 whatever the input
    X, Y = np.zeros((3, 4, 1)), np.full((4, 1), 0.25)
    assert parameter_gradient_norm(m, X, Y) == 0.0
    assert parameter_gradient_norm(m, X, Y + 1) > 0


def test_recall_task_targets_follow_their_definition():
    task = recall_task(9, n_train=40, n_test=30, seed=3)
    for X, Y in ((task.X_train, task.Y_train), (task.X_test, task.Y_test)):
        L, N, D = X.shape
        assert (L, D) == (9, 2) and Y.shape == (N, 1)
        marker = X[:, :, 1]
        assert np.all(marker.sum(axis=0) == 1)  # exactly one marked lag per sample
        marks = marker.argmax(axis=0)
        # always in the older half: at least 5 lags to remember across
        assert np.all(marks < 9 // 2)
        np.testing.assert_array_equal(Y[:, 0], X[marks, np.arange(N), 0])
        assert np.all(np.abs(X[:, :, 0]) <= 1)
    np.testing.assert_array_equal(task.marks_test, task.X_test[:, :, 1].argmax(axis=0))
    again = recall_task(9, n_train=40, n_test=30, seed=3)
    np.testing.assert_array_equal(again.X_train, task.X_train)
    assert not np.array_equal(recall_task(9, 40, 30, seed=4).X_train, task.X_train)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"lags": 1}, "lags must be an integer >= 2"),
        ({"lags": 5, "n_train": 0}, "n_train must be"),
        ({"lags": 5.0}, "lags must be an integer"),
    ],
)
def test_recall_task_bad_input(kwargs, words):
    with pytest.raises(ValueError, match=words):
        recall_task(**kwargs)


def test_models_with_their_own_output_size():
    task = recall_task(4, n_train=10, n_test=5)
    for cell in (RNN, LSTM):
        m = cell(2, 3, D_out=1)
        assert tuple(m.V.shape) == (3, 1) and m(task.X_test).shape == (5, 1)
    with pytest.raises(ValueError, match=r"D_out \(output dimension\)"):
        RNN(2, 3, D_out=0)


def test_lstm_starts_with_the_forget_gate_mostly_open():
    m = LSTM(1, 32, seed=0)
    f = m.states(torch.zeros(1, 1, 1), gates=True)["f"]
    # sigmoid(1 +- 1/sqrt(q)): a fresh cell keeps its state
    assert 0.6 < f.mean().item() < 0.85


def test_recall_sensitivity_matches_finite_differences():
    from helpers.gradients import recall_sensitivity

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


@pytest.mark.parametrize("sigma", [0, -1.0, float("nan"), float("inf"), "2", True])
def test_set_largest_singular_value_refuses_a_sigma_that_is_not_a_positive_number(
    sigma,
):
    m = RNN(1, 4, seed=0)
    W_before = m.W.detach().clone()
    with pytest.raises(ValueError, match="sigma must be a positive number"):
        set_largest_singular_value(m, sigma)
    assert torch.equal(m.W, W_before)  # refused before touching W


def test_set_largest_singular_value_names_a_model_without_W():
    with pytest.raises(TypeError, match="model must be an RNN .* got LSTM"):
        set_largest_singular_value(LSTM(1, 4), 1.0)


def test_rnn_gradient_bound_is_the_formula_and_bounds_every_sample():
    from helpers.gradients import rnn_gradient_bound

    rnn = RNN(1, 6, seed=3).double()
    L = 12
    with torch.no_grad():
        rnn.W *= 1.5  # sigma_max above 1, where the bound grows with the lag
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


@pytest.mark.parametrize("lags", [0, -2, 2.0, True, "3"])
def test_rnn_gradient_bound_refuses_bad_lags(lags):
    from helpers.gradients import rnn_gradient_bound

    with pytest.raises(ValueError, match="lags must be an integer >= 1"):
        rnn_gradient_bound(RNN(1, 4), lags)


def test_rnn_gradient_bound_refuses_an_lstm():
    from helpers.gradients import rnn_gradient_bound

    with pytest.raises(TypeError, match="rnn must be an RNN"):
        rnn_gradient_bound(LSTM(1, 4), 5)
