"""helpers.models keeps the contract on generated valid and invalid input."""

import numpy as np
import torch
from contract import (
    NOT_AN_ARRAY,
    NOT_AN_INTEGER,
    as_float,
    forms,
    integers,
    keeps_contract,
    refused,
)
from hypothesis import given
from hypothesis import strategies as st

from helpers.models import LSTM, MAX_SIZE, RNN, cell_step, parameter_count, real_tensor

CELLS = st.sampled_from([RNN, LSTM])


def rnn_reference(m, X):
    """h_k = tanh(h_{k-1} W + X[k-1] U + b), yhat = h_L V + c, in float64 numpy."""
    U, W, b, V, c = (getattr(m, n).detach().double().numpy() for n in "UWbVc")
    h = np.zeros((X.shape[1], m.q))
    for x in X:
        h = np.tanh(h @ W + x @ U + b)
    return h @ V + c


@given(
    cell=CELLS,
    D=st.one_of(integers(1, 3), NOT_AN_INTEGER, st.sampled_from([0, MAX_SIZE + 1])),
    q=st.one_of(integers(1, 6), NOT_AN_INTEGER, st.just(-1)),
    seed=st.one_of(integers(0, 2**40), NOT_AN_INTEGER, st.sampled_from([-1, 2**64])),
)
def test_construction(cell, D, q, seed):
    outcome, m = keeps_contract(lambda: cell(D, q, seed=seed), ["D", "q", "seed"])
    if outcome == "ok":
        assert (m.D, m.q) == (int(D), int(q))
        per_gate = q * q + D * q + q
        assert (
            parameter_count(m)
            == (per_gate if cell is RNN else 4 * per_gate) + q * D + D
        )
        m2 = cell(int(D), int(q), seed=int(seed))
        assert all(torch.equal(a, b) for a, b in zip(m.parameters(), m2.parameters()))


@given(
    st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 2)).flatmap(
        lambda s: st.tuples(
            st.just(s), forms(np.random.default_rng(sum(s)).normal(size=s))
        )
    )
)
def test_rnn_forward_is_correct_in_every_form(case):
    (L, _N, D), X = case
    m = RNN(D, 3, seed=L)
    yhat = m(X).detach().double().numpy()
    np.testing.assert_allclose(
        yhat, rnn_reference(m, as_float(X)), rtol=1e-4, atol=1e-5
    )


@given(
    st.tuples(st.integers(1, 6), st.integers(1, 4)).flatmap(
        lambda s: st.tuples(
            st.just(s),
            forms(np.random.default_rng(sum(s)).normal(size=(s[0], s[1], 1))),
        )
    )
)
def test_lstm_forward_equals_its_states_in_every_form(case):
    _, X = case
    m = LSTM(1, 3, seed=1)
    h_L = m.states(X)["h"][-1]
    expected = (h_L @ m.V + m.c).detach().numpy()
    np.testing.assert_allclose(m(X).detach().numpy(), expected, rtol=1e-4, atol=1e-6)


@given(
    cell=CELLS,
    X=st.one_of(
        NOT_AN_ARRAY,
        st.sampled_from(
            [
                np.zeros((2, 3)),
                np.zeros((0, 3, 1)),
                np.zeros((2, 0, 1)),
                np.zeros((2, 3, 2)),
                np.full((2, 3, 1), np.nan),
                np.full((2, 3, 1), 1e300),
                np.zeros((1, 1, 1, 1)),
            ]
        ),
    ),
)
def test_forward_refuses_bad_X_by_name(cell, X):
    refused(lambda: cell(1, 2)(X), ["X"])


@given(gates=st.sampled_from([True, False, np.True_, 1, "yes", None]))
def test_states_gates_must_be_a_bool(gates):
    outcome, out = keeps_contract(
        lambda: LSTM(1, 2).states(np.zeros((3, 2, 1)), gates=gates), ["gates"]
    )
    assert (outcome == "ok") == isinstance(gates, (bool, np.bool_))
    if outcome == "ok":
        assert set(out) == (
            {"h", "s", "o", "i", "f", "s_tilde"} if gates else {"h", "s"}
        )


@given(
    N=st.integers(1, 3),
    q=st.integers(1, 3),
    with_s=st.booleans(),
    bad=st.sampled_from([None, "shape", "nan", "text"]),
    form=st.sampled_from(["tensor", "array"]),
)
def test_cell_step(N, q, with_s, bad, form):
    rng = np.random.default_rng(N * 10 + q)
    z = [rng.normal(size=(N, q)) for _ in range(5)]
    args = [torch.tensor(a) if form == "tensor" else a for a in z]
    if bad is not None:
        args[2] = {
            "shape": np.zeros((N, q + 1)),
            "nan": np.full((N, q), np.nan),
            "text": "z",
        }[bad]
    s_prev = args[4] if with_s else None
    outcome, out = keeps_contract(lambda: cell_step(*args[:4], s_prev), ["z_s"])
    assert (outcome == "ok") == (bad is None)
    if outcome == "ok":
        sig = lambda v: 1 / (1 + np.exp(-v))
        s = sig(z[1]) * (z[4] if with_s else 0) + sig(z[0]) * np.tanh(z[2])
        np.testing.assert_allclose(out["s"].numpy(), s, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(
            out["h"].numpy(), sig(z[3]) * np.tanh(s), rtol=1e-5, atol=1e-7
        )


@given(model=st.sampled_from([None, "RNN", 3, torch.nn.Linear(2, 3)]))
def test_parameter_count(model):
    outcome, n = keeps_contract(lambda: parameter_count(model), ["model"])
    assert (outcome == "ok") == isinstance(model, torch.nn.Module)
    if outcome == "ok":
        assert n == 9


@given(
    name=st.sampled_from(["A", 3]),
    dtype=st.sampled_from([torch.float32, torch.int64, "float"]),
    A=st.one_of(NOT_AN_ARRAY, st.just([[1, 2]])),
)
def test_real_tensor(name, dtype, A):
    outcome, T = keeps_contract(
        lambda: real_tensor(name, A, dtype), ["name", "dtype", "A"]
    )
    if outcome == "ok":
        assert T.dtype == dtype and T.tolist() == [[1.0, 2.0]]
