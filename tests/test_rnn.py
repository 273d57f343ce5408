import numpy as np
import pytest
import torch
from notebook_code import scratch_namespace

from helpers.models import RNN, parameter_count


def lecture_rnn(X, U, W, b, V, c):
    """The lecture's equations, one sample and one lag at a time (numpy loops)."""
    L, N, _D = X.shape
    out = np.zeros((N, V.shape[1]))
    for n in range(N):
        # h_0 = 0
        h = np.zeros(W.shape[0])
        for k in range(1, L + 1):
            h = np.tanh(h @ W + X[k - 1, n] @ U + b)
        out[n] = h @ V + c
    return out


def set_params(model, **values):
    with torch.no_grad():
        for name, v in values.items():
            getattr(model, name).copy_(torch.as_tensor(v))


def test_parameters_are_the_lectures_theta():
    m = RNN(D=3, q=5)
    shapes = {n: tuple(p.shape) for n, p in m.named_parameters()}
    assert shapes == {"U": (3, 5), "W": (5, 5), "b": (5,), "V": (5, 3), "c": (3,)}


@pytest.mark.parametrize("D, q", [(1, 1), (1, 8), (3, 5), (2, 64)])
def test_parameter_count_formula(D, q):
    assert parameter_count(RNN(D, q)) == q * D + q * q + q + q * D + D


@pytest.mark.parametrize(
    "L, N, D, q", [(1, 4, 1, 3), (2, 5, 1, 2), (7, 3, 2, 4), (20, 6, 3, 8)]
)
def test_forward_matches_the_lectures_equations(L, N, D, q):
    rng = np.random.default_rng(L * 100 + q)
    theta = {
        "U": rng.normal(size=(D, q)),
        "W": rng.normal(size=(q, q)) / q,
        "b": rng.normal(size=q),
        "V": rng.normal(size=(q, D)),
        "c": rng.normal(size=D),
    }
    X = rng.normal(size=(L, N, D))
    m = RNN(D, q).double()
    set_params(m, **theta)
    with torch.no_grad():
        yhat = m(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(yhat, lecture_rnn(X, **theta), rtol=1e-12, atol=1e-12)


def test_hand_checked_two_lag_example():
    # D = 1, q = 2, L = 2, one sample; worked out on paper:
    # h1 = tanh([0.5, -1] * 1 + [0, 0.5]) = tanh([0.5, -0.5])
    # h2 = tanh(h1 W + [0.5, -1] * 2 + [0, 0.5]) with W = I  ->  tanh(h1 + [1, -1.5])
    m = RNN(1, 2).double()
    set_params(
        m, U=[[0.5, -1.0]], W=np.eye(2), b=[0.0, 0.5], V=[[2.0], [1.0]], c=[0.25]
    )
    h1 = np.tanh(np.array([0.5, -0.5]))
    h2 = np.tanh(h1 + np.array([1.0, -1.5]))
    # X[0] = oldest lag = 1, X[1] = 2
    X = torch.tensor([[[1.0]], [[2.0]]], dtype=torch.float64)
    states = m.states(X)["h"][:, 0].detach().numpy()
    np.testing.assert_allclose(states, [h1, h2], rtol=1e-14)
    assert m(X).item() == pytest.approx(2 * h2[0] + h2[1] + 0.25, rel=1e-14)


def test_order_of_lags_matters():
    # Feeding the lags newest-first must give a different prediction: X[0] is the
    # oldest.
    m = RNN(1, 4, seed=1)
    X = torch.linspace(0, 1, 3).reshape(3, 1, 1)
    assert not torch.allclose(m(X), m(X.flip(0)))


@pytest.mark.parametrize("L, q", [(1, 1), (3, 4), (10, 16)])
def test_parity_with_torch_nn_rnn_including_gradients(L, q):
    D, N = 2, 7
    torch.manual_seed(L + q)
    ref = torch.nn.RNN(D, q, nonlinearity="tanh").double()
    head = torch.nn.Linear(q, D).double()
    m = RNN(D, q).double()
    set_params(
        m,
        U=ref.weight_ih_l0.T,
        W=ref.weight_hh_l0.T,
        b=ref.bias_ih_l0 + ref.bias_hh_l0,
        V=head.weight.T,
        c=head.bias,
    )
    # nn.RNN also takes (L, N, D), first step first
    X = torch.randn(L, N, D, dtype=torch.float64)
    out, h_last = ref(X)
    with torch.no_grad():
        np.testing.assert_allclose(
            m.states(X)["h"].numpy(), out.numpy(), rtol=1e-12, atol=1e-13
        )
        np.testing.assert_allclose(
            m(X).numpy(), head(h_last[0]).numpy(), rtol=1e-12, atol=1e-13
        )
    # the same loss gives the same gradients, parameter by parameter
    Y = torch.randn(N, D, dtype=torch.float64)
    ours = torch.autograd.grad(((m(X) - Y) ** 2).mean(), list(m.parameters()))
    g = dict(zip([n for n, _ in m.named_parameters()], ours, strict=True))
    ref_loss = ((head(ref(X)[1][0]) - Y) ** 2).mean()
    refs = [ref.weight_ih_l0, ref.weight_hh_l0, ref.bias_ih_l0, ref.bias_hh_l0]
    refs += [head.weight, head.bias]
    g_ih, g_hh, g_bih, g_bhh, g_head_w, g_head_b = torch.autograd.grad(ref_loss, refs)
    torch.testing.assert_close(g["U"], g_ih.T, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(g["W"], g_hh.T, rtol=1e-10, atol=1e-12)
    # b stands for both of nn.RNN's biases, which get the same gradient
    torch.testing.assert_close(g["b"], g_bih, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(g["b"], g_bhh, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(g["V"], g_head_w.T, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(g["c"], g_head_b, rtol=1e-10, atol=1e-12)


def test_numpy_forward_taught_in_notebook_02_agrees_with_the_module():
    ns = scratch_namespace("02_vanilla_rnn.ipynb")
    rng = np.random.default_rng(7)
    L, N, D, q = 6, 5, 2, 3
    X = rng.normal(size=(L, N, D))
    m = RNN(D, q, seed=3).double()
    theta = {k: v.detach().numpy() for k, v in m.named_parameters()}
    with torch.no_grad():
        np.testing.assert_allclose(
            ns["rnn_forward"](X, **theta), m(torch.from_numpy(X)).numpy(), rtol=1e-12
        )
    # and the single step
    h = rng.normal(size=(N, q))
    np.testing.assert_allclose(
        ns["rnn_step"](h, X[0], theta["U"], theta["W"], theta["b"]),
        np.tanh(h @ theta["W"] + X[0] @ theta["U"] + theta["b"]),
        rtol=1e-14,
    )


def test_seeded_initialisation():
    a, b, c = RNN(1, 8, seed=0), RNN(1, 8, seed=0), RNN(1, 8, seed=1)
    assert all(torch.equal(p, r) for p, r in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.W, c.W)
    # PyTorch's recurrent-layer range
    assert a.W.abs().max() <= 1 / np.sqrt(8)


def test_step_is_one_line_of_the_recurrence():
    m = RNN(2, 3, seed=5).double()
    rng = np.random.default_rng(5)
    h, x = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    U, W, b = (getattr(m, n).detach().numpy() for n in "UWb")
    got = m.step(torch.from_numpy(h), torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(got, np.tanh(h @ W + x @ U + b), rtol=1e-14)
    # states() is step() applied L times from h_0 = 0
    X = torch.from_numpy(rng.normal(size=(3, 4, 2)))
    h = torch.zeros(4, 3, dtype=torch.float64)
    for k in range(3):
        h = m.step(h, X[k])
        torch.testing.assert_close(m.states(X)["h"][k], h, rtol=0, atol=0)
    assert set(m.states(X)) == {"h"}


@pytest.mark.parametrize(
    "X",
    [
        np.zeros((4, 2, 1)),
        np.zeros((4, 2, 1)).tolist(),
        np.zeros((4, 2, 1), dtype=np.float32),
        torch.zeros(4, 2, 1, requires_grad=True),
    ],
)
def test_numpy_lists_and_tensors_are_accepted(X):
    m = RNN(1, 3)
    expected = m(torch.zeros(4, 2, 1))
    torch.testing.assert_close(m(X), expected)
    assert m(X).shape == (2, 1)


def test_gradients_flow_back_to_a_tensor_input():
    m = RNN(1, 3, seed=2)
    X = torch.randn(4, 2, 1, requires_grad=True)
    m(X).sum().backward()
    assert X.grad is not None and X.grad.abs().sum() > 0
