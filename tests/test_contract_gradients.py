"""helpers.gradients keeps the contract on generated valid and invalid input."""

import numpy as np
import torch
from contract import (
    NOT_A_NUMBER,
    NOT_AN_ARRAY,
    NOT_FINITE,
    as_float,
    forms,
    keeps_contract,
    reals,
    refused,
)
from hypothesis import given
from hypothesis import strategies as st

from helpers.data import make_lag_dataset, recall_task
from helpers.gradients import (
    input_gradient_norms,
    largest_singular_value,
    parameter_gradient_norm,
    recall_sensitivity,
    set_largest_singular_value,
)
from helpers.models import LSTM, RNN

X, Y = make_lag_dataset(np.sin(0.5 * np.arange(9)), 4)  # (4, 5, 1), (5, 1)
NOT_A_MODEL = st.sampled_from([None, "RNN", 3, torch.nn.Linear(1, 1)])


@given(cell=st.sampled_from([RNN, LSTM]), Xf=forms(X))
def test_input_gradient_norms_match_finite_differences(cell, Xf):
    m = cell(1, 3, seed=0).double()
    norms = input_gradient_norms(m, Xf)
    eps = 1e-6
    for k in (0, X.shape[0] - 1):
        up, down = X.copy(), X.copy()
        up[k] += eps
        down[k] -= eps
        # (N,): one sample each
        d = (m(up) - m(down)).detach().numpy()[:, 0] / (2 * eps)
        np.testing.assert_allclose(norms[k], np.abs(d).mean(), rtol=1e-4, atol=1e-10)


@given(model=NOT_A_MODEL, Xf=st.one_of(NOT_AN_ARRAY, st.just(np.zeros((3, 2)))))
def test_gradient_functions_refuse_bad_input_by_name(model, Xf):
    refused(lambda: input_gradient_norms(model, X), ["model"])
    refused(lambda: input_gradient_norms(RNN(1, 2), Xf), ["X"])
    refused(lambda: parameter_gradient_norm(model, X, Y), ["model"])
    refused(lambda: parameter_gradient_norm(RNN(1, 2), Xf, Y), ["X"])


@given(Yf=forms(Y))
def test_parameter_gradient_norm_matches_autograd(Yf):
    m = RNN(1, 2, seed=3)
    loss = (
        (m(torch.tensor(X, dtype=torch.float32)) - torch.tensor(Y, dtype=torch.float32))
        ** 2
    ).mean()
    grads = torch.autograd.grad(loss, list(m.parameters()))
    expected = float(torch.sqrt(sum((g**2).sum() for g in grads)))
    np.testing.assert_allclose(parameter_gradient_norm(m, X, Yf), expected, rtol=1e-3)


@given(
    W=st.one_of(
        st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(
            lambda s: forms(np.random.default_rng(sum(s)).normal(size=s))
        ),
        NOT_AN_ARRAY,
        st.sampled_from([np.zeros(3), np.zeros((0, 2)), np.full((2, 2), np.nan)]),
    )
)
def test_largest_singular_value(W):
    outcome, sigma = keeps_contract(lambda: largest_singular_value(W), ["W"])
    if outcome == "ok":
        np.testing.assert_allclose(
            sigma, np.linalg.svd(as_float(W), compute_uv=False)[0], rtol=1e-6
        )


@given(
    sigma=st.one_of(
        reals(0.01, 100), NOT_A_NUMBER, NOT_FINITE, st.sampled_from([0, -1, 1e300])
    ),
    model=st.sampled_from(["rnn", "zero", "lstm"]),
)
def test_set_largest_singular_value(sigma, model):
    m = LSTM(1, 2) if model == "lstm" else RNN(1, 3, seed=1)
    if model == "zero":
        with torch.no_grad():
            m.W.zero_()
    before = None if model == "lstm" else m.W.detach().clone()
    outcome, out = keeps_contract(
        lambda: set_largest_singular_value(m, sigma), ["sigma", "model"]
    )
    if outcome == "ok":
        np.testing.assert_allclose(
            largest_singular_value(out.W), float(sigma), rtol=1e-5
        )
    else:
        assert model == "lstm" or torch.equal(before, m.W)  # refused before any change


@given(
    marks=st.sampled_from(["ok", "list", "float", "bool", "short", "range", "text"]),
    Xf=st.sampled_from(["ok", "tensor", "one lag", "D=1"]),
)
def test_recall_sensitivity(marks, Xf):
    task = recall_task(6, n_train=1, n_test=4, seed=0)
    m = LSTM(2, 3, seed=0, D_out=1)
    mk = {
        "ok": task.marks_test,
        "list": task.marks_test.tolist(),
        "float": task.marks_test.astype(float),
        "bool": task.marks_test > 0,
        "short": task.marks_test[:2],
        "range": task.marks_test + 6,
        "text": "m",
    }[marks]
    X_in = {
        "ok": task.X_test,
        "tensor": torch.tensor(task.X_test, requires_grad=True),
        "one lag": task.X_test[:1],
        "D=1": task.X_test[..., :1],
    }[Xf]
    outcome, out = keeps_contract(
        lambda: recall_sensitivity(m, X_in, mk), ["marks", "X"]
    )
    assert (outcome == "ok") == (marks in ("ok", "list") and Xf in ("ok", "tensor"))
    if outcome == "ok":
        Xt = torch.tensor(task.X_test, dtype=torch.float32, requires_grad=True)
        (g,) = torch.autograd.grad(m(Xt).sum(), Xt)
        g = g[:, :, 0].numpy()
        n = np.arange(4)
        np.testing.assert_allclose(out[0], g[task.marks_test, n].mean(), rtol=1e-5)
