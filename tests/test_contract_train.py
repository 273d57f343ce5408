"""helpers.train keeps the contract on generated valid and invalid input: every argument
of fit is checked before the first step, and no broken model comes back silently."""

import math

import numpy as np
import torch
from contract import (
    NOT_A_NUMBER,
    NOT_AN_ARRAY,
    NOT_AN_INTEGER,
    NOT_FINITE,
    as_float,
    forms,
    integers,
    keeps_contract,
    reals,
    refused,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.data import make_lag_dataset
from helpers.models import LSTM, RNN
from helpers.train import TrainingDiverged, evaluate_mse, fit, free_run, mse, predict

X, Y = make_lag_dataset(np.sin(0.4 * np.arange(14)), 3)  # (3, 11, 1), (11, 1)
FIT_EXAMPLES = 20  # each example trains a little: fewer of them

NOT_A_MODEL = st.sampled_from([None, "RNN", 3, torch.nn.Linear(1, 1), RNN])


@settings(max_examples=FIT_EXAMPLES)
@given(
    optimizer=st.sampled_from(["lbfgs", "adam", "sgd", "LBFGS", None, ["adam"], 1]),
    steps=st.one_of(integers(1, 4), NOT_AN_INTEGER, st.just(0)),
    lr=st.one_of(st.none(), reals(1e-3, 0.5), NOT_A_NUMBER, NOT_FINITE, st.just(-1.0)),
    clip=st.one_of(st.none(), reals(0.1, 5), NOT_A_NUMBER, st.just(0)),
    target_loss=st.one_of(st.none(), reals(0, 1), NOT_A_NUMBER, NOT_FINITE),
    callback=st.sampled_from([None, lambda step, loss: False, 5, "stop"]),
)
def test_fit_checks_every_argument_before_the_first_step(
    optimizer, steps, lr, clip, target_loss, callback
):
    model = RNN(1, 3, seed=0)
    before = [p.detach().clone() for p in model.parameters()]
    outcome, history = keeps_contract(
        lambda: fit(
            model,
            X,
            Y,
            optimizer=optimizer,
            steps=steps,
            lr=lr,
            clip=clip,
            target_loss=target_loss,
            callback=callback,
        ),
        ["optimizer", "steps", "lr", "clip", "target_loss", "callback"],
    )
    if outcome == "refused":  # before any work: the weights are untouched
        assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
    else:
        assert 1 <= len(history) and all(math.isfinite(v) for v in history)
        assert all(torch.isfinite(p).all() for p in model.parameters())
        if target_loss is not None and history[-1] < target_loss:
            # stopped at the first one below
            assert all(v >= target_loss for v in history[:-1])


@settings(max_examples=FIT_EXAMPLES)
@given(cell=st.sampled_from([RNN, LSTM]), Xf=forms(X), Yf=forms(Y))
def test_fit_accepts_data_in_every_form_with_the_same_result(cell, Xf, Yf):
    a, b = cell(1, 2, seed=0), cell(1, 2, seed=0)
    h_any = fit(a, Xf, Yf, steps=3)
    h_ref = fit(b, X, Y, steps=3)
    tolerance = (
        1e-3
        if any(
            getattr(A, "dtype", None) in (np.float16, torch.float32) for A in (Xf, Yf)
        )
        else 1e-6
    )
    np.testing.assert_allclose(h_any, h_ref, rtol=tolerance)


@settings(max_examples=FIT_EXAMPLES)
@given(
    model=NOT_A_MODEL,
    bad=st.one_of(
        st.none(),
        NOT_AN_ARRAY,
        st.sampled_from([X[0], X[:, :5], np.full_like(X, np.inf)]),
    ),
)
def test_fit_refuses_bad_model_or_data_by_name(model, bad):
    # a string stands for a valid model
    m = RNN(1, 2) if isinstance(model, str) else model
    X_in = X if bad is None else bad
    if bad is None and isinstance(model, str):
        return
    refused(lambda: fit(m, X_in, Y, steps=2), ["model", "X", "N"])


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
    shape=st.tuples(st.integers(1, 4), st.integers(0, 3)),
    other=st.sampled_from(["same", "column", "row", "text", "nan"]),
    form=st.sampled_from(["array", "tensor", "list"]),
)
def test_mse_refuses_broadcasting(shape, other, form):
    rng = np.random.default_rng(sum(shape))
    A = rng.normal(size=shape)
    B = {
        "same": rng.normal(size=shape),
        "column": rng.normal(size=(shape[0], 1, 1)),
        "row": rng.normal(size=shape[:1]),
        "text": "B",
        "nan": np.full(shape, np.nan),
    }[other]
    conv = {
        "array": lambda v: v,
        "list": lambda v: np.asarray(v).tolist(),
        "tensor": lambda v: torch.tensor(v, requires_grad=True),
    }[form]
    outcome, value = keeps_contract(
        lambda: mse(conv(A), B if other == "text" else conv(B)), ["Yhat", "Y"]
    )
    assert (outcome == "ok") == (other == "same" and A.size > 0)
    if outcome == "ok":
        np.testing.assert_allclose(float(value), np.mean((A - B) ** 2), rtol=1e-12)


@given(
    model=st.one_of(NOT_A_MODEL, st.just("ok")), Xf=st.one_of(forms(X), NOT_AN_ARRAY)
)
def test_predict_and_evaluate_mse(model, Xf):
    m = RNN(1, 2, seed=1) if model == "ok" else model
    outcome, yhat = keeps_contract(lambda: predict(m, Xf), ["model", "X"])
    if outcome == "ok":
        reference = m(torch.tensor(X, dtype=torch.float32)).detach().double().numpy()
        np.testing.assert_allclose(yhat, reference, rtol=1e-3, atol=1e-4)
        assert yhat.dtype == np.float64
        e = evaluate_mse(m, Xf, torch.tensor(Y, requires_grad=True))
        np.testing.assert_allclose(e, np.mean((yhat - Y) ** 2), rtol=1e-6)


@given(
    window=st.one_of(
        forms(X[:, 0]),
        NOT_AN_ARRAY,
        st.sampled_from([X[:, 0, 0], np.zeros((0, 1)), np.zeros((3, 2))]),
    ),
    n_steps=st.one_of(integers(1, 4), NOT_AN_INTEGER, st.just(0)),
)
def test_free_run(window, n_steps):
    m = RNN(1, 2, seed=2)
    outcome, out = keeps_contract(
        lambda: free_run(m, window, n_steps), ["window", "n_steps"]
    )
    if outcome == "ok":
        w = as_float(window)
        for k in range(int(n_steps)):  # one prediction at a time, fed back by hand
            step = predict(m, w[-3:][:, None, :])[0]
            np.testing.assert_allclose(out[k], step, rtol=1e-6)
            w = np.vstack([w, step])


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
