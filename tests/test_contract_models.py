"""helpers.models is correct on generated valid input in every accepted form.

Bad input: test_boundary.py.
"""

import numpy as np
import torch
from contract import as_float, forms, integers
from hypothesis import given
from hypothesis import strategies as st

from helpers.models import LSTM, RNN, parameter_count

CELLS = st.sampled_from([RNN, LSTM])


def model_forms(A):
    """forms(A) but views with negative strides, which models refuse (a core bug: see
    test_boundary.py::test_a_reversed_view_is_valid_model_input)."""
    return forms(A).filter(
        lambda v: not (isinstance(v, np.ndarray) and min(v.strides) < 0)
    )


def rnn_reference(m, X):
    """h_k = tanh(h_{k-1} W + X[k-1] U + b), yhat = h_L V + c, in float64 numpy."""
    U, W, b, V, c = (getattr(m, n).detach().double().numpy() for n in "UWbVc")
    h = np.zeros((X.shape[1], m.q))
    for x in X:
        h = np.tanh(h @ W + x @ U + b)
    return h @ V + c


@given(
    cell=CELLS,
    D=integers(1, 3),
    q=integers(1, 6),
    seed=integers(0, 2**40),
    D_out=st.one_of(st.none(), integers(1, 3)),
)
def test_construction(cell, D, q, seed, D_out):
    m = cell(D, q, seed=seed, D_out=D_out)
    out = int(D) if D_out is None else int(D_out)
    assert (m.D, m.q, m.D_out) == (int(D), int(q), out)
    assert all(type(v) is int for v in (m.D, m.q, m.D_out))
    per_gate = q * q + D * q + q
    assert (
        parameter_count(m)
        == (per_gate if cell is RNN else 4 * per_gate) + q * out + out
    )
    m2 = cell(int(D), int(q), seed=int(seed), D_out=D_out)
    assert all(torch.equal(a, b) for a, b in zip(m.parameters(), m2.parameters()))


@given(
    st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 2)).flatmap(
        lambda s: st.tuples(
            st.just(s), model_forms(np.random.default_rng(sum(s)).normal(size=s))
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
    case=st.tuples(st.integers(1, 6), st.integers(1, 4)).flatmap(
        lambda s: st.tuples(
            st.just(s),
            model_forms(np.random.default_rng(sum(s)).normal(size=(s[0], s[1], 1))),
        )
    ),
    fused=st.booleans(),
)
def test_lstm_forward_equals_its_states_in_every_form(case, fused):
    _, X = case
    m = LSTM(1, 3, seed=1, fused=fused)
    st_ = m.states(X)
    assert set(st_) == {"h", "s", "o", "i", "f", "s_tilde"}
    expected = (st_["h"][-1] @ m.V + m.c).detach().numpy()
    np.testing.assert_allclose(m(X).detach().numpy(), expected, rtol=1e-4, atol=1e-6)


@given(model=st.sampled_from([torch.nn.Linear(2, 3), RNN(1, 1), LSTM(2, 1)]))
def test_parameter_count(model):
    assert parameter_count(model) == sum(p.numel() for p in model.parameters())
    assert parameter_count(torch.nn.Linear(2, 3)) == 9
