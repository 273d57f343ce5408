"""helpers.train is correct on generated valid input in every accepted form, and no
broken model comes back silently.  Bad input: test_boundary.py."""

import math

import numpy as np
import torch
from contract import as_float, forms, integers, reals
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.baselines import persistence
from helpers.data import make_lag_dataset
from helpers.models import LSTM, RNN
from helpers.train import TrainingDiverged, evaluate_mse, fit, free_run, mse, predict

# (3, 11, 1), (11, 1)
X, Y = make_lag_dataset(np.sin(0.4 * np.arange(14)), 3)
# each example trains a little: fewer of them
FIT_EXAMPLES = 20


def model_forms(A):
    """forms(A) but views with negative strides, which models refuse (a core bug: see
    test_boundary.py::test_a_reversed_view_is_valid_model_input)."""
    return forms(A).filter(
        lambda v: not (isinstance(v, np.ndarray) and min(v.strides) < 0)
    )


@settings(max_examples=FIT_EXAMPLES)
@given(
    optimizer=st.sampled_from(["lbfgs", "adam", "sgd"]),
    steps=integers(1, 4),
    lr=st.one_of(st.none(), reals(1e-3, 0.5)),
    clip=st.one_of(st.none(), reals(0.1, 5)),
    target_loss=st.one_of(st.none(), reals(0, 1)),
)
def test_fit_runs_with_every_valid_argument(optimizer, steps, lr, clip, target_loss):
    if optimizer == "sgd" and lr is None:
        lr = 0.1
    model = RNN(1, 3, seed=0)
    history = fit(
        model,
        X,
        Y,
        optimizer=optimizer,
        steps=steps,
        lr=lr,
        clip=clip,
        target_loss=target_loss,
    )
    assert 1 <= len(history) and all(math.isfinite(v) for v in history)
    # L-BFGS may finish the line search of its last chunk past the budget
    assert optimizer == "lbfgs" or len(history) <= steps
    assert all(torch.isfinite(p).all() for p in model.parameters())
    if target_loss is not None and history[-1] < target_loss:
        # stopped at the first one below
        assert all(v >= target_loss for v in history[:-1])


@settings(max_examples=FIT_EXAMPLES)
@given(cell=st.sampled_from([RNN, LSTM]), Xf=model_forms(X), Yf=model_forms(Y))
def test_fit_accepts_data_in_every_form_with_the_same_result(cell, Xf, Yf):
    a, b = cell(1, 2, seed=0), cell(1, 2, seed=0)
    h_any = fit(a, Xf, Yf, steps=3)
    h_ref = fit(b, X, Y, steps=3)
    # the model is float32 whatever the data's form: the same run
    np.testing.assert_allclose(h_any, h_ref, rtol=1e-6)


@given(lr=st.sampled_from([1e38, 1e30, 1e20]), cell=st.sampled_from([RNN, LSTM]))
@settings(max_examples=6)
def test_fit_never_returns_nan_weights(lr, cell):
    model = cell(1, 4, seed=0)
    try:
        fit(model, X, Y, optimizer="adam", lr=lr, steps=1)
    except TrainingDiverged as err:
        assert "diverged" in str(err) and isinstance(err.history, list)
        return
    assert all(torch.isfinite(p).all() for p in model.parameters())


@given(
    shape=st.tuples(st.integers(1, 4), st.integers(1, 3)),
    form=st.sampled_from(["array", "tensor", "list"]),
)
def test_mse_in_every_form(shape, form):
    rng = np.random.default_rng(sum(shape))
    A, B = rng.normal(size=shape), rng.normal(size=shape)
    conv = {
        "array": lambda v: v,
        "list": lambda v: np.asarray(v).tolist(),
        "tensor": lambda v: torch.tensor(v, requires_grad=True),
    }[form]
    value = mse(conv(A), conv(B))
    # torch reads a list of Python floats as float32
    rtol = 1e-6 if form == "list" else 1e-12
    np.testing.assert_allclose(value.item(), np.mean((A - B) ** 2), rtol=rtol)


@given(Xf=model_forms(X), Yf=model_forms(Y).filter(lambda v: not torch.is_tensor(v)))
def test_predict_and_evaluate_mse(Xf, Yf):
    m = RNN(1, 2, seed=1)
    yhat = predict(m, Xf)
    reference = m(torch.tensor(X, dtype=torch.float32)).detach().double().numpy()
    np.testing.assert_allclose(yhat, reference, rtol=1e-6, atol=1e-7)
    assert yhat.dtype == np.float64
    e = evaluate_mse(m, Xf, Yf)
    np.testing.assert_allclose(e, np.mean((yhat - Y) ** 2), rtol=1e-6)


@given(window=model_forms(X[:, 0]), n_steps=integers(1, 4))
def test_free_run(window, n_steps):
    m = RNN(1, 2, seed=2)
    out = free_run(m, window, n_steps)
    assert out.shape == (int(n_steps), 1)
    w = as_float(window)
    # one prediction at a time, fed back by hand
    for k in range(int(n_steps)):
        step = predict(m, w[-3:][:, None, :])[0]
        np.testing.assert_allclose(out[k], step, rtol=1e-6)
        w = np.vstack([w, step])
    np.testing.assert_array_equal(
        free_run(persistence, window, n_steps)[:, 0], [w[2, 0]] * int(n_steps)
    )


@settings(max_examples=6)
@given(
    dtype=st.sampled_from([torch.float16, torch.bfloat16, torch.float64]),
    cell=st.sampled_from([RNN, LSTM]),
)
def test_models_of_any_float_dtype_train_and_predict(dtype, cell):
    m = cell(1, 2, seed=0).to(dtype)
    fit(m, X, Y, steps=2)
    yhat = predict(m, X)
    assert yhat.dtype == np.float64 and yhat.shape == Y.shape
    assert np.isfinite(evaluate_mse(m, X, Y))
    assert free_run(m, X[:, 0], 2).shape == (2, 1)
