import numpy as np
import pytest
import torch
from notebook_code import scratch_namespace

from helpers.data import sine_task
from helpers.models import LSTM, parameter_count
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
        # h_0 = s_0 = 0
        h, s = np.zeros(q), np.zeros(q)
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
    # Hand-set gates on one unit (q = 1, D = 1, W_g = 0) so each equation can be
    # read off.
    m = LSTM(1, 1).double()
    # sigmoid(+50) = 1, sigmoid(-50) = 0 to double precision
    big = 50.0
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
    st = m.states(X)
    # forget gate open (f = 1) and input gate open (i = 1): s accumulates s~ = tanh(x)
    np.testing.assert_allclose(
        st["s"][:, 0, 0].detach(), [np.tanh(0.5), np.tanh(0.5) + np.tanh(0.25)]
    )
    # forget gate shut (f = 0): s keeps only the newest candidate
    set_params(m, {"b_f": [-big]})
    st = m.states(X)
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
    # Notebook 03's worked example (q = 1): pre-activations z_i = 1.5, z_f = -2,
    # z_s = 0.75, z_o = 0.5 at the first lag (s_0 = 0, so f plays no part); values
    # worked on paper to four decimals.  With W_g = V_g = 0 each z_g is the bias b_g.
    m = LSTM(1, 1).double()
    p = {f"{w}_{g}": [[0.0]] for g in GATES for w in "WV"}
    p.update(b_i=[1.5], b_f=[-2.0], b_s=[0.75], b_o=[0.5])
    set_params(m, p)
    zero = torch.zeros(1, 1, dtype=torch.float64)
    st = m.step(zero, zero, zero)
    assert set(st) == {"o", "i", "f", "s_tilde", "s", "h"}
    assert st["i"].item() == pytest.approx(0.8176, abs=1e-4)
    assert st["s_tilde"].item() == pytest.approx(0.6351, abs=1e-4)
    assert st["s"].item() == pytest.approx(0.5193, abs=1e-4)
    assert st["o"].item() == pytest.approx(0.6225, abs=1e-4)
    assert st["h"].item() == pytest.approx(0.2970, abs=1e-4)
    # a second step with s given: f = sigmoid(0) = 1/2 keeps half of it
    set_params(m, {f"b_{g}": [0.0] for g in GATES})
    st2 = m.step(zero, st["s"], zero)
    # i * tanh(0) adds nothing
    assert st2["s"].item() == pytest.approx(0.5 * 0.5193, abs=1e-4)
    assert st2["h"].item() == pytest.approx(0.5 * np.tanh(0.5 * 0.5193), abs=1e-4)


@pytest.mark.parametrize("N, D, q", [(1, 1, 1), (4, 2, 3), (3, 3, 5)])
def test_step_matches_a_numpy_cell_step(N, D, q):
    p = random_theta(D, q, seed=N + q)
    m = LSTM(D, q).double()
    set_params(m, p)
    rng = np.random.default_rng(q)
    h, s, x = rng.normal(size=(N, q)), rng.normal(size=(N, q)), rng.normal(size=(N, D))
    o = sigmoid(h @ p["W_o"] + x @ p["V_o"] + p["b_o"])
    i = sigmoid(h @ p["W_i"] + x @ p["V_i"] + p["b_i"])
    f = sigmoid(h @ p["W_f"] + x @ p["V_f"] + p["b_f"])
    s_tilde = np.tanh(h @ p["W_s"] + x @ p["V_s"] + p["b_s"])
    s_new = f * s + i * s_tilde
    expected = {
        "o": o,
        "i": i,
        "f": f,
        "s_tilde": s_tilde,
        "s": s_new,
        "h": o * np.tanh(s_new),
    }
    got = m.step(*(torch.from_numpy(a) for a in (h, s, x)))
    assert set(got) == set(expected)
    for name, value in expected.items():
        np.testing.assert_allclose(
            got[name].detach().numpy(), value, rtol=1e-13, atol=1e-14, err_msg=name
        )


def test_states_are_consistent():
    m = LSTM(2, 4, seed=3)
    X = torch.randn(5, 6, 2)
    st = m.states(X)
    assert set(st) == {"h", "s", "o", "i", "f", "s_tilde"}
    assert all(v.shape == (5, 6, 4) for v in st.values())
    torch.testing.assert_close(st["h"], st["o"] * torch.tanh(st["s"]))
    torch.testing.assert_close(
        st["s"][1:], st["f"][1:] * st["s"][:-1] + st["i"][1:] * st["s_tilde"][1:]
    )
    torch.testing.assert_close(m(X), st["h"][-1] @ m.V + m.c)
    # states() is step() applied L times from h_0 = s_0 = 0
    h = s = torch.zeros(6, 4)
    for k in range(5):
        out = m.step(h, s, X[k])
        h, s = out["h"], out["s"]
        for name in st:
            torch.testing.assert_close(st[name][k], out[name], rtol=0, atol=0)


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


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("L", [1, 2, 7])
def test_every_parameter_gets_a_gradient_like_nn_lstm(L, fused):
    # after backward each of the fourteen parameters has a .grad tensor, as nn.LSTM's
    # do, even where the lecture's equations make it zero (W_g with a single lag,
    # since h_0 = 0)
    m = LSTM(1, 3, fused=fused)
    ((m(torch.randn(L, 5, 1)) - 1) ** 2).mean().backward()
    missing = [n for n, p in m.named_parameters() if p.grad is None]
    assert missing == []


def _copied_from(ref, head, fused):
    """An LSTM holding nn.LSTM's weights (and head's output layer)."""
    W_ih, W_hh = ref.weight_ih_l0.chunk(4), ref.weight_hh_l0.chunk(4)
    bias = (ref.bias_ih_l0 + ref.bias_hh_l0).chunk(4)
    values = {"V": head.weight.T, "c": head.bias}
    # nn.LSTM stacks the gates as rows in the order input, forget, cell (= s~), output
    for block, g in enumerate(("i", "f", "s", "o")):
        values.update(
            {f"V_{g}": W_ih[block].T, f"W_{g}": W_hh[block].T, f"b_{g}": bias[block]}
        )
    m = LSTM(ref.input_size, ref.hidden_size, fused=fused).double()
    set_params(m, values)
    return m


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("L", [1, 4, 9])
def test_gradients_match_the_builtin_layer(L, fused):
    D, q, N = 2, 3, 6
    torch.manual_seed(L)
    ref = torch.nn.LSTM(D, q).double()
    head = torch.nn.Linear(q, D).double()
    m = _copied_from(ref, head, fused)
    X = torch.randn(L, N, D, dtype=torch.float64, requires_grad=True)
    Y = torch.randn(N, D, dtype=torch.float64)
    ours = ((m(X) - Y) ** 2).mean()
    theirs = ((head(ref(X)[1][0][0]) - Y) ** 2).mean()
    torch.testing.assert_close(ours, theirs, rtol=1e-12, atol=1e-13)
    # the input's gradient
    g_ours = torch.autograd.grad(ours, X, retain_graph=True)[0]
    g_ref = torch.autograd.grad(theirs, X, retain_graph=True)[0]
    torch.testing.assert_close(g_ours, g_ref, rtol=1e-10, atol=1e-12)
    # every parameter's gradient: nn.LSTM's gate blocks, transposed
    g = dict(
        zip(
            [n for n, _ in m.named_parameters()],
            torch.autograd.grad(ours, list(m.parameters())),
            strict=True,
        )
    )
    refs = [ref.weight_ih_l0, ref.weight_hh_l0, ref.bias_ih_l0, ref.bias_hh_l0]
    g_ih, g_hh, g_bih, g_bhh, g_w, g_b = torch.autograd.grad(
        theirs, [*refs, head.weight, head.bias]
    )
    close = {"rtol": 1e-10, "atol": 1e-12}
    for block, gate in enumerate(("i", "f", "s", "o")):
        torch.testing.assert_close(g[f"V_{gate}"], g_ih.chunk(4)[block].T, **close)
        torch.testing.assert_close(g[f"W_{gate}"], g_hh.chunk(4)[block].T, **close)
        torch.testing.assert_close(g[f"b_{gate}"], g_bih.chunk(4)[block], **close)
        torch.testing.assert_close(g[f"b_{gate}"], g_bhh.chunk(4)[block], **close)
    torch.testing.assert_close(g["V"], g_w.T, **close)
    torch.testing.assert_close(g["c"], g_b, **close)


@pytest.mark.parametrize("L", range(1, 13))
@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_fused_and_lecture_loop_agree_on_outputs_and_every_gradient(L, dtype, tol):
    # forward() with fused=True hands Theta to PyTorch's fused kernel; fused=False and
    # states() run the equations in Python.  Training uses forward, the plots
    # states(), so both must give the same outputs and the same gradient for every
    # parameter.
    fused = LSTM(2, 5, seed=4, fused=True).to(dtype)
    loop = LSTM(2, 5, seed=4, fused=False).to(dtype)
    gen = torch.Generator().manual_seed(L)
    X = torch.randn(L, 7, 2, dtype=dtype, generator=gen)
    Y = torch.randn(7, 2, dtype=dtype, generator=gen)
    names = [n for n, _ in fused.named_parameters()]
    out_fused, out_loop = fused(X), loop(X)
    assert out_fused.dtype == out_loop.dtype == dtype
    torch.testing.assert_close(out_fused, out_loop, rtol=tol, atol=tol)
    torch.testing.assert_close(
        out_loop, loop.states(X)["h"][-1] @ loop.V + loop.c, rtol=0, atol=0
    )
    grads = [
        torch.autograd.grad(((out - Y) ** 2).mean(), list(m.parameters()))
        for out, m in ((out_fused, fused), (out_loop, loop))
    ]
    for name, a, b in zip(names, *grads, strict=True):
        # with one lag h_0 = s_0 = 0 makes h_0 W_g and f * s_0 vanish, so the
        # gradients of every W_g and of the forget gate's V_f, b_f are exactly zero;
        # every other one is not
        zero = L == 1 and (name.startswith("W_") or name.endswith("_f"))
        assert (b.abs().max() == 0) == zero, f"gradient of {name}: {b}"
        torch.testing.assert_close(
            a, b, rtol=tol, atol=tol, msg=f"gradient of {name}: fused vs loop"
        )
    # PyTorch's kernel has an inference path; it must give the same numbers
    fused.eval()
    with torch.no_grad():
        torch.testing.assert_close(fused(X), out_loop, rtol=tol, atol=tol)


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
