import numpy as np
import pytest
import torch
from notebook_code import scratch_namespace

from helpers.models import RNN, parameter_count


def lecture_rnn(X, U, W, b, V, c):
    """The lecture's equations, one sample and one lag at a time (plain Python loops over numpy)."""
    L, N, _D = X.shape
    out = np.zeros((N, V.shape[1]))
    for n in range(N):
        h = np.zeros(W.shape[0])  # h_0 = 0
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
    # Feeding the lags newest-first must give a different prediction: X[0] is the oldest.
    m = RNN(1, 4, seed=1)
    X = torch.linspace(0, 1, 3).reshape(3, 1, 1)
    assert not torch.allclose(m(X), m(X.flip(0)))


@pytest.mark.parametrize("L, q", [(1, 1), (3, 4), (10, 16)])
def test_parity_with_torch_nn_rnn(L, q):
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
    assert a.W.abs().max() <= 1 / np.sqrt(8)  # PyTorch's recurrent-layer range


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"D": 0, "q": 4}, r"D \(state dimension\) must be an integer >= 1, got 0"),
        ({"D": 1, "q": 0}, r"q \(hidden size\) must be an integer >= 1, got 0"),
        ({"D": 1, "q": 2.5}, "q .* got 2.5"),
        ({"D": "1", "q": 4}, "D .* got '1'"),
    ],
)
def test_bad_sizes(kwargs, words):
    with pytest.raises(ValueError, match=words):
        RNN(**kwargs)


@pytest.mark.parametrize(
    "shape, words",
    [
        ((5, 1), r"X must be 3-D \(L, N, D\)"),
        ((2, 3, 4, 1), "X must be 3-D"),
        ((3, 4, 2), "X's last dimension must be D = 1"),
        ((0, 4, 1), "zero lags"),
        ((4, 0, 1), r"zero samples \(N = 0\)"),
    ],
)
def test_bad_inputs(shape, words):
    with pytest.raises(ValueError, match=words):
        RNN(1, 3)(torch.zeros(shape))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_input_is_an_error_not_a_nan_forecast(bad):
    X = torch.zeros(3, 2, 1)
    X[1, 0, 0] = bad
    with pytest.raises(ValueError, match="X contains NaN or inf"):
        RNN(1, 3)(X)


@pytest.mark.parametrize(
    "X, error, words",
    [
        ("abc", TypeError, "X must be an array of real numbers"),
        (None, TypeError, "X must be an array of real numbers"),
        (np.zeros((2, 3, 1), dtype=complex), TypeError, "got dtype complex128"),
        (
            torch.zeros(2, 3, 1, dtype=torch.complex64),
            TypeError,
            "got dtype torch.complex64",
        ),
        ([[[1.0]], [[2.0, 3.0]]], ValueError, "rectangular"),
    ],
)
def test_input_that_is_not_an_array_of_real_numbers(X, error, words):
    with pytest.raises(error, match=words):
        RNN(1, 3)(X)


@pytest.mark.parametrize("seed", [1.5, None, "0", True])
def test_seed_must_be_an_integer(seed):
    with pytest.raises(ValueError, match="seed must be an integer"):
        RNN(1, 3, seed=seed)


def test_numpy_input_is_accepted():
    m = RNN(1, 3)
    X = np.zeros((4, 2, 1))
    assert m(X).shape == (2, 1)
