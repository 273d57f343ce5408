import numpy as np
import pytest
import torch
from notebook_code import scratch_namespace

from helpers.data import sine_task
from helpers.models import LSTM, cell_step, parameter_count
from helpers.train import evaluate_mse, fit

GATES = ("o", "s", "i", "f")


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lecture_lstm(X, p):
    """The lecture's LSTM equations, one sample and one lag at a time."""
    L, N, _D = X.shape
    q = p["W_o"].shape[0]
    out = np.zeros((N, p["V"].shape[1]))
    for n in range(N):
        h, s = np.zeros(q), np.zeros(q)  # h_0 = s_0 = 0
        for k in range(L):
            x = X[k, n]
            o = sigmoid(h @ p["W_o"] + x @ p["V_o"] + p["b_o"])
            i = sigmoid(h @ p["W_i"] + x @ p["V_i"] + p["b_i"])
            f = sigmoid(h @ p["W_f"] + x @ p["V_f"] + p["b_f"])
            s_tilde = np.tanh(h @ p["W_s"] + x @ p["V_s"] + p["b_s"])
            s = f * s + i * s_tilde
            h = o * np.tanh(s)
        out[n] = h @ p["V"] + p["c"]
    return out


def random_theta(D, q, seed):
    rng = np.random.default_rng(seed)
    p = {}
    for g in GATES:
        p[f"W_{g}"] = rng.normal(size=(q, q)) / np.sqrt(q)
        p[f"V_{g}"] = rng.normal(size=(D, q))
        p[f"b_{g}"] = rng.normal(size=q)
    p["V"], p["c"] = rng.normal(size=(q, D)), rng.normal(size=D)
    return p


def set_params(model, values):
    with torch.no_grad():
        for name, v in values.items():
            getattr(model, name).copy_(torch.as_tensor(v))


def test_parameters_are_the_lectures_Theta():
    D, q = 2, 5
    shapes = {n: tuple(p.shape) for n, p in LSTM(D, q).named_parameters()}
    expected = {"V": (q, D), "c": (D,)}
    for g in GATES:
        expected.update({f"W_{g}": (q, q), f"V_{g}": (D, q), f"b_{g}": (q,)})
    assert shapes == expected


@pytest.mark.parametrize("D, q", [(1, 1), (1, 8), (3, 5), (2, 64)])
def test_parameter_count_formula(D, q):
    assert parameter_count(LSTM(D, q)) == 4 * (q * q + D * q + q) + q * D + D


@pytest.mark.parametrize(
    "L, N, D, q", [(1, 3, 1, 2), (2, 4, 1, 3), (6, 3, 2, 4), (15, 2, 3, 5)]
)
def test_forward_matches_the_lectures_equations(L, N, D, q):
    p = random_theta(D, q, seed=L * 10 + q)
    X = np.random.default_rng(L).normal(size=(L, N, D))
    m = LSTM(D, q).double()
    set_params(m, p)
    with torch.no_grad():
        np.testing.assert_allclose(
            m(torch.from_numpy(X)).numpy(), lecture_lstm(X, p), rtol=1e-12, atol=1e-12
        )


def test_each_gate_does_its_job():
    # Hand-set gates on one unit (q = 1, D = 1, W_g = 0) so each equation can be read off.
    m = LSTM(1, 1).double()
    big = 50.0  # sigmoid(+50) = 1, sigmoid(-50) = 0 to double precision
    p = {f"W_{g}": [[0.0]] for g in GATES}
    p.update(
        V_o=[[0.0]],
        b_o=[big],
        V_i=[[0.0]],
        b_i=[big],
        V_s=[[1.0]],
        b_s=[0.0],
        V_f=[[0.0]],
        b_f=[big],
        V=[[1.0]],
        c=[0.0],
    )
    set_params(m, p)
    X = torch.tensor([[[0.5]], [[0.25]]], dtype=torch.float64)
    st = m.states(X, gates=True)
    # forget gate open (f = 1) and input gate open (i = 1): s accumulates s~ = tanh(x)
    np.testing.assert_allclose(
        st["s"][:, 0, 0].detach(), [np.tanh(0.5), np.tanh(0.5) + np.tanh(0.25)]
    )
    # forget gate shut (f = 0): s keeps only the newest candidate
    set_params(m, {"b_f": [-big]})
    st = m.states(X, gates=True)
    np.testing.assert_allclose(st["s"][-1, 0, 0].item(), np.tanh(0.25))
    # output gate shut (o = 0): nothing of s is exposed, h = 0 and yhat = c
    set_params(m, {"b_o": [-big], "c": [0.125]})
    assert abs(m.states(X)["h"]).max().item() < 1e-20 and m(X).item() == pytest.approx(
        0.125
    )
    # input gate shut (i = 0), forget open: s never leaves s_0 = 0
    set_params(m, {"b_o": [big], "b_i": [-big], "b_f": [big]})
    assert abs(m.states(X)["s"]).max().item() < 1e-20


def test_one_cell_step_by_hand():
    # Notebook 03's worked example (q = 1): pre-activations z_i = 1.5, z_s = 0.75, z_o = 0.5 at the
    # first lag (s_0 = 0, so f plays no part); values worked on paper to four decimals.
    # z_i, z_f, z_s, z_o, each (1, 1)
    z = torch.tensor([[1.5], [-2.0], [0.75], [0.5]], dtype=torch.float64)
    st = cell_step(*z.unsqueeze(1), None)
    assert st["i"].item() == pytest.approx(0.8176, abs=1e-4)
    assert st["s_tilde"].item() == pytest.approx(0.6351, abs=1e-4)
    assert st["s"].item() == pytest.approx(0.5193, abs=1e-4)
    assert st["o"].item() == pytest.approx(0.6225, abs=1e-4)
    assert st["h"].item() == pytest.approx(0.2970, abs=1e-4)
    # a second step with s_prev given: f = sigmoid(0) = 1/2 keeps half of it
    zero = torch.zeros(1, 1, dtype=torch.float64)
    st2 = cell_step(zero, zero, zero, zero, st["s"])
    # i * tanh(0) adds nothing
    assert st2["s"].item() == pytest.approx(0.5 * 0.5193, abs=1e-4)
    assert st2["h"].item() == pytest.approx(0.5 * np.tanh(0.5 * 0.5193), abs=1e-4)


def test_states_are_consistent():
    m = LSTM(2, 4, seed=3)
    X = torch.randn(5, 6, 2)
    st = m.states(X, gates=True)
    assert set(st) == {"h", "s", "o", "i", "f", "s_tilde"}
    assert all(v.shape == (5, 6, 4) for v in st.values())
    torch.testing.assert_close(st["h"], st["o"] * torch.tanh(st["s"]))
    torch.testing.assert_close(
        st["s"][1:], st["f"][1:] * st["s"][:-1] + st["i"][1:] * st["s_tilde"][1:]
    )
    torch.testing.assert_close(m(X), st["h"][-1] @ m.V + m.c)
    assert set(m.states(X)) == {"h", "s"}


@pytest.mark.parametrize("L, q", [(1, 1), (4, 3), (12, 16)])
def test_parity_with_torch_nn_lstm(L, q):
    D, N = 2, 5
    torch.manual_seed(L * q)
    ref = torch.nn.LSTM(D, q).double()
    head = torch.nn.Linear(q, D).double()
    # nn.LSTM stacks the gates as rows in the order input, forget, cell (= s~), output
    W_ih, W_hh = ref.weight_ih_l0.chunk(4), ref.weight_hh_l0.chunk(4)
    bias = (ref.bias_ih_l0 + ref.bias_hh_l0).chunk(4)
    values = {"V": head.weight.T, "c": head.bias}
    for block, g in enumerate(("i", "f", "s", "o")):
        values.update(
            {f"V_{g}": W_ih[block].T, f"W_{g}": W_hh[block].T, f"b_{g}": bias[block]}
        )
    m = LSTM(D, q).double()
    set_params(m, values)
    X = torch.randn(L, N, D, dtype=torch.float64)
    out, (h_last, s_last) = ref(X)
    with torch.no_grad():
        st = m.states(X)
        torch.testing.assert_close(st["h"], out, rtol=1e-12, atol=1e-13)
        torch.testing.assert_close(st["s"][-1], s_last[0], rtol=1e-12, atol=1e-13)
        torch.testing.assert_close(m(X), head(h_last[0]), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("L", [1, 2, 7])
def test_every_parameter_gets_a_gradient_like_nn_lstm(L):
    # after backward each of the fourteen parameters has a .grad tensor, as nn.LSTM's do, even
    # where the lecture's equations make it zero (W_g with a single lag, since h_0 = 0)
    m = LSTM(1, 3)
    ((m(torch.randn(L, 5, 1)) - 1) ** 2).mean().backward()
    missing = [n for n, p in m.named_parameters() if p.grad is None]
    assert missing == []


def test_gradients_match_the_builtin_layer():
    D, q, L = 1, 3, 4
    ref = torch.nn.LSTM(D, q).double()
    m = LSTM(D, q).double()
    W_ih, W_hh = ref.weight_ih_l0.chunk(4), ref.weight_hh_l0.chunk(4)
    bias = (ref.bias_ih_l0 + ref.bias_hh_l0).chunk(4)
    values = {}
    for block, g in enumerate(("i", "f", "s", "o")):
        values.update(
            {f"V_{g}": W_ih[block].T, f"W_{g}": W_hh[block].T, f"b_{g}": bias[block]}
        )
    set_params(m, values)
    X = torch.randn(L, 6, D, dtype=torch.float64, requires_grad=True)
    g_ours = torch.autograd.grad(m.states(X)["h"][-1].sum(), X)[0]
    g_ref = torch.autograd.grad(ref(X)[0][-1].sum(), X)[0]
    torch.testing.assert_close(g_ours, g_ref, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("L, q", [(1, 5), (3, 5), (4, 16), (5, 4), (9, 5), (4, 32)])
@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_fused_kernel_and_the_lag_by_lag_loop_agree_with_their_gradients(
    L, q, dtype, tol
):
    # forward() hands Theta to PyTorch's fused kernel for long windows and runs the equations in
    # Python for short ones, as states() always does.  Training uses forward, the plots states(),
    # so both ways must give the same outputs and the same gradient for every parameter.
    m = LSTM(2, q, seed=4).to(dtype)
    X = torch.randn(L, 7, 2, dtype=dtype, generator=torch.Generator().manual_seed(2))
    Y = torch.randn(7, 2, dtype=dtype, generator=torch.Generator().manual_seed(3))
    names = [n for n, _ in m.named_parameters()]
    via_kernel = m._kernel(X) @ m.V + m.c
    via_loop = m.states(X)["h"][-1] @ m.V + m.c
    via_forward = m(X)
    torch.testing.assert_close(via_kernel, via_loop, rtol=tol, atol=tol)
    torch.testing.assert_close(via_forward, via_loop, rtol=tol, atol=tol)
    grads = [
        torch.autograd.grad(((out - Y) ** 2).mean(), list(m.parameters()))
        for out in (via_kernel, via_loop, via_forward)
    ]
    for name, a, b, c in zip(names, *grads):
        # with one lag h_0 = s_0 = 0 makes h_0 W_g and f * s_0 vanish, so the gradients of every W_g
        # and of the forget gate's V_f, b_f are exactly zero; every other one is not
        zero = L == 1 and (name.startswith("W_") or name.endswith("_f"))
        assert (a.abs().max() == 0) == zero, f"gradient of {name}: {a}"
        torch.testing.assert_close(
            a, b, rtol=tol, atol=tol, msg=f"gradient of {name}: kernel vs loop"
        )
        torch.testing.assert_close(
            c, b, rtol=tol, atol=tol, msg=f"gradient of {name}: forward vs loop"
        )
    m.eval()  # PyTorch's kernel has an inference path; it must give the same numbers
    torch.testing.assert_close(m._kernel(X) @ m.V + m.c, via_kernel, rtol=tol, atol=tol)


def test_numpy_forward_taught_in_notebook_03_agrees_with_the_module():
    ns = scratch_namespace("03_lstm_gates.ipynb")
    D, q = 2, 3
    m = LSTM(D, q, seed=5).double()
    theta = {k: v.detach().numpy() for k, v in m.named_parameters()}
    X = np.random.default_rng(1).normal(size=(7, 4, D))
    with torch.no_grad():
        np.testing.assert_allclose(
            ns["lstm_forward"](X, theta), m(torch.from_numpy(X)).numpy(), rtol=1e-12
        )


def test_fit_trains_the_lstm():
    task = sine_task(5)
    m = LSTM(1, 8, seed=0)
    fit(m, task.X_train, task.Y_train)
    assert evaluate_mse(m, task.X_test, task.Y_test) < 1e-3


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: LSTM(0, 3), r"D \(state dimension\) must be an integer >= 1"),
        (lambda: LSTM(1, -1), r"q \(hidden size\) must be an integer >= 1, got -1"),
        (lambda: LSTM(1, 3)(torch.zeros(4, 1)), "X must be 3-D"),
        (lambda: LSTM(1, 3)(torch.zeros(4, 2, 3)), "X's last dimension must be D = 1"),
        (lambda: LSTM(1, 3)(torch.zeros(0, 2, 1)), "zero lags"),
        (lambda: LSTM(1, 3)(torch.zeros(4, 0, 1)), r"zero samples \(N = 0\)"),
        (
            lambda: LSTM(1, 3)(torch.tensor([[[0.5]], [[float("nan")]]])),
            "X contains NaN or inf",
        ),
        (
            lambda: LSTM(1, 3).states(torch.tensor([[[float("inf")]]])),
            "X contains NaN or inf",
        ),
        (lambda: LSTM(1, 3, seed=0.5), "seed must be an integer, got 0.5"),
    ],
)
def test_bad_inputs(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_input_of_strings_or_complex_numbers_is_refused():
    with pytest.raises(TypeError, match="X must be an array of real numbers"):
        LSTM(1, 3)([[["a"]]])
    with pytest.raises(TypeError, match="got dtype complex128"):
        LSTM(1, 3).states(np.ones((2, 3, 1), dtype=complex))
