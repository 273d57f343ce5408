"""fit's validation arguments (X_val, Y_val, patience) and FitHistory keep the contract:
checked by name before the first step; valid ones in any form give the same run."""

import functools

import numpy as np
import torch
from contract import (
    NOT_A_NUMBER,
    NOT_AN_ARRAY,
    NOT_AN_INTEGER,
    forms,
    integers,
    keeps_contract,
    refused,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.data import make_lag_dataset
from helpers.models import RNN
from helpers.train import FitHistory, fit

X, Y = make_lag_dataset(np.sin(0.4 * np.arange(20)), 3)  # (3, 17, 1), (17, 1)
X_tr, Y_tr, X_va, Y_va = X[:, :12], Y[:12], X[:, 12:], Y[12:]
STEPS = 4  # a few evaluations per example


@functools.lru_cache
def _reference(patience):
    model = RNN(1, 2, seed=0)
    return model, fit(
        model, X_tr, Y_tr, steps=STEPS, X_val=X_va, Y_val=Y_va, patience=patience
    )


@settings(max_examples=8)  # each example trains a little
@given(
    Xv=st.one_of(forms(X_va), NOT_AN_ARRAY, st.sampled_from([None, X_va[:2]])),
    Yv=st.one_of(forms(Y_va), st.sampled_from([None, Y_va[:-1], Y_va[:, 0]])),
    patience=st.one_of(st.none(), integers(1, 3), NOT_AN_INTEGER, st.just(0)),
)
def test_fit_checks_its_validation_arguments(Xv, Yv, patience):
    model = RNN(1, 2, seed=0)
    before = [p.detach().clone() for p in model.parameters()]
    outcome, hist = keeps_contract(
        lambda: fit(
            model, X_tr, Y_tr, steps=STEPS, X_val=Xv, Y_val=Yv, patience=patience
        ),
        ["X_val", "Y_val", "patience"],
    )
    if outcome == "refused":  # before any step
        assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
        return
    if Xv is None:  # no validation set: the plain list
        assert isinstance(hist, list)
        return
    _, ref = _reference(None if patience is None else int(patience))
    np.testing.assert_allclose(hist.val, ref.val, rtol=1e-5)
    assert hist.best_step == ref.best_step == 1 + int(np.argmin(hist.val))
    assert hist.best_val == min(hist.val)
    with torch.no_grad():  # the model holds the best weights: its loss is best_val
        got = (
            (
                (
                    model(torch.tensor(X_va, dtype=torch.float32))
                    - torch.tensor(Y_va, dtype=torch.float32)
                )
                ** 2
            )
            .mean()
            .item()
        )
    np.testing.assert_allclose(got, hist.best_val, rtol=1e-5)


@given(
    train=st.one_of(
        st.just([0.5, 0.4, 0.3]),
        st.just(np.array([1.0, 2.0, 3.0])),
        NOT_AN_ARRAY,
        st.just([]),
    ),
    val=st.one_of(st.just((0.9, 0.8, 0.85)), st.just([1.0]), NOT_AN_ARRAY),
    best_step=st.one_of(integers(1, 3), NOT_AN_INTEGER, st.sampled_from([0, 4])),
    stopped_early=st.one_of(st.sampled_from([True, np.False_]), NOT_A_NUMBER),
)
def test_fit_history_checks_its_fields(train, val, best_step, stopped_early):
    outcome, h = keeps_contract(
        lambda: FitHistory(train, val, best_step, stopped_early),
        ["train", "val", "best_step", "stopped_early"],
    )
    if outcome == "ok":
        assert h.train == [float(v) for v in train] and len(h.val) == len(h.train)
        assert h.best_val == float(val[int(best_step) - 1])
        assert h.stopped_early is bool(stopped_early)
    else:
        refused(
            lambda: FitHistory(train, val, best_step, stopped_early),
            ["train", "val", "best_step", "stopped_early"],
        )
