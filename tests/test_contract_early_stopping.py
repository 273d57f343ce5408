"""fit's validation set (X_val, Y_val, patience): valid ones in any form give the same
run, and the model comes back holding the best weights.  Bad input: test_boundary.py."""

import functools

import numpy as np
import torch
from contract import forms, integers
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.data import make_lag_dataset
from helpers.models import RNN
from helpers.train import FitHistory, fit

# (3, 17, 1), (17, 1)
X, Y = make_lag_dataset(np.sin(0.4 * np.arange(20)), 3)
X_tr, Y_tr, X_va, Y_va = X[:, :12], Y[:12], X[:, 12:], Y[12:]
# a few evaluations per example
STEPS = 4


def model_forms(A):
    """forms(A) but views with negative strides, which models refuse (a core bug: see
    test_boundary.py::test_a_reversed_view_is_valid_model_input)."""
    return forms(A).filter(
        lambda v: not (isinstance(v, np.ndarray) and min(v.strides) < 0)
    )


@functools.lru_cache
def _reference(patience):
    model = RNN(1, 2, seed=0)
    kwargs = {} if patience is None else {"patience": patience}
    return model, fit(model, X_tr, Y_tr, steps=STEPS, X_val=X_va, Y_val=Y_va, **kwargs)


# each example trains a little
@settings(max_examples=8)
@given(
    Xv=model_forms(X_va),
    Yv=model_forms(Y_va),
    patience=st.one_of(st.none(), integers(1, 3)),
)
def test_fit_with_a_validation_set_in_every_form(Xv, Yv, patience):
    model = RNN(1, 2, seed=0)
    kwargs = {} if patience is None else {"patience": patience}
    hist = fit(model, X_tr, Y_tr, steps=STEPS, X_val=Xv, Y_val=Yv, **kwargs)
    assert isinstance(hist, FitHistory)
    _, ref = _reference(None if patience is None else int(patience))
    np.testing.assert_allclose(hist.val, ref.val, rtol=1e-5)
    assert hist.best_step == ref.best_step == 1 + int(np.argmin(hist.val))
    assert hist.best_val == min(hist.val)
    # the model holds the best weights: its loss is best_val
    with torch.no_grad():
        Yhat = model(torch.tensor(X_va, dtype=torch.float32))
        got = ((Yhat - torch.tensor(Y_va, dtype=torch.float32)) ** 2).mean().item()
    np.testing.assert_allclose(got, hist.best_val, rtol=1e-5)


@given(
    val=st.lists(st.floats(0, 10), min_size=1, max_size=6),
    stopped_early=st.booleans(),
)
def test_fit_history_best_val_is_the_val_at_best_step(val, stopped_early):
    best_step = 1 + int(np.argmin(val))
    h = FitHistory(list(val), list(val), best_step, stopped_early)
    assert h.best_val == min(val) and h.stopped_early is stopped_early
