"""helpers.gradients is correct on generated valid input in every accepted form.

Bad input: test_boundary.py.
"""

import numpy as np
import torch
from contract import as_float, forms, reals
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

# (4, 5, 1), (5, 1)
X, Y = make_lag_dataset(np.sin(0.5 * np.arange(9)), 4)


def model_forms(A):
    """forms(A) but views with negative strides, which models refuse (a core bug: see
    test_boundary.py::test_a_reversed_view_is_valid_model_input)."""
    return forms(A).filter(
        lambda v: not (isinstance(v, np.ndarray) and min(v.strides) < 0)
    )


@given(cell=st.sampled_from([RNN, LSTM]), Xf=model_forms(X))
def test_input_gradient_norms_match_finite_differences(cell, Xf):
    m = cell(1, 3, seed=0).double()
    norms = input_gradient_norms(m, Xf)
    assert norms.shape == (4,) and norms.dtype == np.float64
    eps = 1e-6
    Xv = as_float(Xf)
    for k in (0, X.shape[0] - 1):
        up, down = Xv.copy(), Xv.copy()
        up[k] += eps
        down[k] -= eps
        # (N,): one sample each
        d = (m(up) - m(down)).detach().numpy()[:, 0] / (2 * eps)
        np.testing.assert_allclose(norms[k], np.abs(d).mean(), rtol=1e-4, atol=1e-10)


@given(Yf=model_forms(Y))
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
    W=st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(
        lambda s: forms(np.random.default_rng(sum(s)).normal(size=s))
    )
)
def test_largest_singular_value(W):
    sigma = largest_singular_value(W)
    np.testing.assert_allclose(
        sigma, np.linalg.svd(as_float(W), compute_uv=False)[0], rtol=1e-6
    )


@given(sigma=reals(0.01, 100))
def test_set_largest_singular_value(sigma):
    m = RNN(1, 3, seed=1)
    out = set_largest_singular_value(m, sigma)
    assert out is m
    np.testing.assert_allclose(largest_singular_value(out.W), float(sigma), rtol=1e-5)


@given(
    marks=st.sampled_from(["ok", "list", "float"]),
    Xf=st.sampled_from(["ok", "tensor", "list"]),
)
def test_recall_sensitivity(marks, Xf):
    task = recall_task(6, n_train=1, n_test=4, seed=0)
    m = LSTM(2, 3, seed=0, D_out=1)
    mk = {
        "ok": task.marks_test,
        "list": task.marks_test.tolist(),
        "float": task.marks_test.astype(float),
    }[marks]
    X_in = {
        "ok": task.X_test,
        "tensor": torch.tensor(task.X_test, requires_grad=True),
        "list": task.X_test.tolist(),
    }[Xf]
    marked, others = recall_sensitivity(m, X_in, mk)
    Xt = torch.tensor(task.X_test, dtype=torch.float32, requires_grad=True)
    (g,) = torch.autograd.grad(m(Xt).sum(), Xt)
    g = g[:, :, 0].numpy()
    n = np.arange(4)
    np.testing.assert_allclose(marked, g[task.marks_test, n].mean(), rtol=1e-5)
    rest = np.ones(g.shape, dtype=bool)
    rest[task.marks_test, n] = False
    np.testing.assert_allclose(others, np.abs(g[rest]).mean(), rtol=1e-5)
