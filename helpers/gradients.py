"""How strongly a prediction depends on each lag: the gradients behind vanishing and
exploding gradients.  Shape letters: L lags, N samples, D state dim, q hidden size.
"""

import numpy as np
import torch

from . import checks
from .train import mse


def input_gradient(model, X):
    """d (sum of yhat) / d X, (L, N, D).

    Samples do not interact, so grad[:, n] is sample n's own gradient.
    """
    X = checks.model_input(checks.model(model), X).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(model(X).sum(), X)
    return grad


def input_gradient_norms(model, X):
    """How much yhat moves per unit change of each lag's input.

    X: (L, N, D).  Returns (L,): entry k is the mean over the N samples of
    || d (sum of yhat[n]) / d X[k, n] ||; entry L-1 is the newest lag, entry 0 the
    oldest.
    """
    grad = input_gradient(model, X)
    # the norm over D, then the mean over N: (L, N, D) -> (L,)
    return grad.norm(dim=-1).mean(dim=1).double().numpy()


def parameter_gradient_norm(model, X, Y):
    """The length of the loss's gradient: all parameters' gradients as one vector."""
    X, Y = checks.model_data(model, X, Y)
    params = checks.trainable(model)
    grads = torch.autograd.grad(mse(model(X), Y), params)
    return float(torch.sqrt(sum((grad**2).sum() for grad in grads)))


def largest_singular_value(W):
    """sigma_max(W): the most W can stretch a vector (the spectral norm).  W: (q, q)."""
    return float(np.linalg.norm(checks.numbers_array("W", W), 2))


def rnn_gradient_bound(rnn, lags):
    """The worst case ||d yhat / d y_{t-j}|| <= ||U|| ||V|| sigma_max(W)^(j-1).

    Returns (L,) in X's order: entry k bounds X[k], which holds lag j = L - k (so
    entry L-1 is lag 1, the newest).  Norms are spectral, and tanh' <= 1.
    """
    rnn, lags = checks.rnn(rnn), checks.count("lags", lags)
    # X[k] holds lag j = L - k
    j = lags - np.arange(lags)
    scale = largest_singular_value(rnn.U) * largest_singular_value(rnn.V)
    return scale * largest_singular_value(rnn.W) ** (j - 1.0)


def set_largest_singular_value(rnn, sigma_max):
    """Rescale the RNN's W in place so that its sigma_max(W) is sigma_max; returns it."""
    rnn, sigma_max = checks.rnn(rnn), checks.positive("sigma_max", sigma_max)
    with torch.no_grad():
        rnn.W *= sigma_max / largest_singular_value(rnn.W)
    return rnn


def recall_sensitivity(model, X, marks):
    """How the prediction responds to the marked value and to the distractors.

    X: (L, N, 2) values and markers of the recall task; marks: (N,) each sample's
    marked entry k.  grad[k, n] = d yhat[n] / d value in X[k, n].  Returns
    (marked, others): the mean of grad at the marked entries (ideal 1: yhat follows
    the marked value) and the mean of |grad| over all the other L - 1 entries of all
    samples (ideal 0).
    """
    grad = input_gradient(model, X)[:, :, 0].double().numpy()
    marks = checks.marks(marks, grad.shape)
    n = np.arange(grad.shape[1])
    others = np.ones(grad.shape, dtype=bool)
    others[marks, n] = False
    return float(grad[marks, n].mean()), float(np.abs(grad[others]).mean())
