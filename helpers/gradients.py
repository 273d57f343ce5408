"""Measure how strongly a prediction depends on each lag: the gradients behind vanishing and
exploding gradients.  Shape letters: L lags, N samples, D state dim, q hidden size.
"""

import math
import numbers

import numpy as np
import torch

from . import checks
from .models import real_tensor
from .train import check_data, check_model, mse


def _input_gradient(model, X):
    """d (sum of yhat) / d X, (L, N, D): samples do not interact, so grad[:, n] is sample n's own gradient."""
    X = (
        real_tensor("X", X, next(check_model(model).parameters()).dtype)
        .detach()
        .requires_grad_(True)
    )
    (grad,) = torch.autograd.grad(model(X).sum(), X)
    return grad


def input_gradient_norms(model, X):
    """How much yhat moves per unit change of each lag's input.

    X: (L, N, D).  Returns (L,) numpy: entry k is the mean over the N samples of
    || d (sum of yhat[n]) / d X[k, n] ||, so entry L-1 is the newest lag and entry 0 the
    oldest.
    """
    grad = _input_gradient(model, X)  # (L, N, D)
    return grad.norm(dim=-1).mean(dim=1).double().numpy()  # (L, N) -> (L,)


def parameter_gradient_norm(model, X, Y):
    """|| d L(theta) / d theta || of the mean squared error over all parameters."""
    X, Y = check_data(model, X, Y)
    loss = mse(model(X), Y)
    grads = torch.autograd.grad(loss, list(model.parameters()))
    return float(torch.sqrt(sum((g**2).sum() for g in grads)))


def largest_singular_value(W):
    """sigma_max(W): the most W can stretch a vector.  W: (q, q) array or tensor."""
    W = checks.float_array("W", W, ndim=2)
    if W.size == 0:
        raise ValueError(f"W must not be empty, got shape {W.shape}")
    return float(np.linalg.norm(W, 2))


def rnn_gradient_bound(rnn, lags):
    """The worst case of notebook 04, section 1: ||d yhat / d y_{t-j}|| <= ||U|| ||V|| sigma_max(W)^(j-1).

    rnn: an RNN (parameters U, W, V); lags: L.  Returns (L,) numpy in X's order: entry k is
    the bound for X[k], which holds lag j = L - k (so entry L-1 is lag 1, the newest).
    Norms are spectral (largest singular values), since tanh' <= 1 shrinks nothing further.
    """
    if not all(isinstance(getattr(rnn, n, None), torch.Tensor) for n in "UWV"):
        raise TypeError(
            f"rnn must be an RNN (parameters U, W, V), got {type(rnn).__name__}"
        )
    if isinstance(lags, bool) or not isinstance(lags, numbers.Integral) or lags < 1:
        raise ValueError(f"lags must be an integer >= 1, got {lags!r}")
    j = lags - np.arange(lags)  # X[k] holds lag j = L - k
    scale = largest_singular_value(rnn.U) * largest_singular_value(rnn.V)
    return scale * largest_singular_value(rnn.W) ** (j - 1.0)


def set_largest_singular_value(model, sigma):
    """Rescale the RNN's W in place so that sigma_max(W) = sigma; returns the model."""
    if not isinstance(getattr(model, "W", None), torch.Tensor):
        raise TypeError(
            f"model must be an RNN (a model with one recurrent matrix W), got {type(model).__name__}"
        )
    if (
        isinstance(sigma, (bool, np.bool_))
        or not isinstance(sigma, numbers.Real)
        or not (0 < sigma < math.inf)
    ):
        raise ValueError(f"sigma must be a positive number, got {sigma!r}")
    now = largest_singular_value(model.W)
    if now == 0:
        raise ValueError(
            "model's W is zero: no rescaling gives it a largest singular value of sigma"
        )
    scale = torch.tensor(float(sigma) / now, dtype=model.W.dtype)
    if not (torch.isfinite(scale) and torch.isfinite(model.W * scale).all()):
        raise ValueError(
            f"sigma = {sigma} is too large for the model's {model.W.dtype} weights"
        )
    with torch.no_grad():
        model.W *= scale
    return model


def recall_sensitivity(model, X, marks):
    """How the prediction responds to the marked value and to the distractors (recall task).

    X: (L, N, 2) values and markers; marks: (N,) the marked lag of each sample.  Returns
    (marked, distractors): the mean of d yhat / d value at the marked lag (ideal 1: yhat
    follows the marked value) and the mean |d yhat / d value| at the other lags (ideal 0).
    """
    check_model(model)
    X = real_tensor("X", X, next(model.parameters()).dtype)
    if X.dim() != 3 or X.shape[0] < 2 or X.shape[1] < 1 or X.shape[2] != model.D:
        raise ValueError(
            f"X must be (L, N, D) with L >= 2 lags, N >= 1 and the model's D = "
            f"{model.D}, got shape {tuple(X.shape)}"
        )
    L, N = X.shape[:2]
    marks = checks.as_numbers("marks", marks)
    if marks.dtype.kind not in "iu":
        raise TypeError(f"marks must hold integer lag indices, got dtype {marks.dtype}")
    if marks.shape != (N,) or not np.all((marks >= 0) & (marks < L)):
        raise ValueError(
            f"marks must be (N,) = ({N},) lag indices from 0 to {L - 1}, got shape "
            f"{marks.shape}"
            + (f" and values {marks.min()}..{marks.max()}" if marks.size else "")
        )
    g = (
        _input_gradient(model, X)[:, :, 0].double().numpy()
    )  # (L, N): d yhat[n] / d value at lag k
    n = np.arange(g.shape[1])
    marked = g[marks, n]  # (N,)
    others = np.ones(g.shape, dtype=bool)
    others[marks, n] = False
    return float(marked.mean()), float(np.abs(g[others]).mean())
