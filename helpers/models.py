"""The lecture's two recurrent models as torch modules, parameters named as in its equations.

Shape letters: L lags, N samples, D state dim, q hidden size.  Row-vector
convention: a state is a row and weights multiply on the right (h W, x U).
X is (L, N, D) with X[0] the oldest lag; each model returns yhat (N, D).
"""

import math

import torch
from torch import nn

from . import checks

# Tiny models run faster on one thread, and on a shared classroom server two threads
# made 200 training steps take 14 s instead of 0.13 s.  A process-wide torch setting,
# made when a model is built (not at import).
TORCH_THREADS = 1
# Start the forget gate mostly open (sigmoid(1) = 0.73), so that a fresh cell keeps its
# state: with b_f near 0 memory fades like 0.5^L and long-memory tasks fail to train.
FORGET_BIAS_INIT = 1.0


def uniform_init(shape, q, generator):
    """Uniform in [-1/sqrt(q), 1/sqrt(q)], PyTorch's own choice for recurrent layers."""
    bound = 1.0 / math.sqrt(q)
    return nn.Parameter((torch.rand(shape, generator=generator) * 2 - 1) * bound)


class RNN(nn.Module):
    """Vanilla RNN: h_k = tanh(h_{k-1} W + X[k-1] U + b), h_0 = 0; yhat = h_L V + c.

    Parameters (the lecture's theta): U (D, q), W (q, q), b (q,), V (q, D), c (D,).
    seed makes the initial weights reproducible; D_out (default D) sizes the output.
    """

    def __init__(self, D=1, q=8, seed=0, D_out=None):
        super().__init__()
        torch.set_num_threads(TORCH_THREADS)
        self.D, self.q = checks.count("D", D), checks.count("q", q)
        self.D_out = self.D if D_out is None else checks.count("D_out", D_out)
        rng = torch.Generator().manual_seed(checks.count("seed", seed, low=0))
        self.U = uniform_init((self.D, self.q), self.q, rng)
        self.W = uniform_init((self.q, self.q), self.q, rng)
        self.b = uniform_init((self.q,), self.q, rng)
        self.V = uniform_init((self.q, self.D_out), self.q, rng)
        self.c = nn.Parameter(torch.zeros(self.D_out))

    def step(self, h, x):
        """One step of the recurrence: h (N, q) and x (N, D) -> the next h (N, q)."""
        return torch.tanh(h @ self.W + x @ self.U + self.b)

    def states(self, X):
        """Every step's hidden state.  X: (L, N, D) -> {"h": (L, N, q)}, entry k-1 is h_k."""
        X = checks.model_input(self, X)
        h = X.new_zeros(X.shape[1], self.q)
        hs = []
        # unbind gives the L slices X[k] of (N, D) as views, oldest lag first
        for x in X.unbind(0):
            h = self.step(h, x)
            hs.append(h)
        return {"h": torch.stack(hs)}

    def forward(self, X):
        """X: (L, N, D) lags, samples, state dim -> yhat: (N, D)."""
        h_L = self.states(X)["h"][-1]
        return h_L @ self.V + self.c


class LSTM(nn.Module):
    """The lecture's LSTM; Theta holds W_g (q, q), V_g (D, q), b_g (q,) for each gate g.

        o = sigmoid(h W_o + x V_o + b_o)      output gate
        i = sigmoid(h W_i + x V_i + b_i)      external input gate
        f = sigmoid(h W_f + x V_f + b_f)      forget gate
        s_tilde = tanh(h W_s + x V_s + b_s)   candidate cell state
        s = f * s + i * s_tilde ;  h = o * tanh(s) ;  h_0 = s_0 = 0 ;  yhat = h_L V + c

    V (q, D) and c (D,) are the output layer.  seed makes the initial weights
    reproducible; D_out (default D) sizes the output.  The forget gate's bias starts at
    FORGET_BIAS_INIT, so a new cell keeps its state.

    fused: how forward runs the same equations.  False: step by step in Python, as
    written above (what states() always does).  True (default): PyTorch's fused LSTM
    kernel, one call for all L steps, about twice as fast for training at L = 10.  A
    test checks that both give the same forecasts and gradients.
    """

    def __init__(self, D=1, q=8, seed=0, D_out=None, fused=True):
        super().__init__()
        torch.set_num_threads(TORCH_THREADS)
        self.D, self.q = checks.count("D", D), checks.count("q", q)
        self.D_out = self.D if D_out is None else checks.count("D_out", D_out)
        self.fused = fused
        rng = torch.Generator().manual_seed(checks.count("seed", seed, low=0))
        # Theta's order in the lecture: o, s, i, f
        for gate in ("o", "s", "i", "f"):
            setattr(self, f"W_{gate}", uniform_init((self.q, self.q), self.q, rng))
            setattr(self, f"V_{gate}", uniform_init((self.D, self.q), self.q, rng))
            setattr(self, f"b_{gate}", uniform_init((self.q,), self.q, rng))
        with torch.no_grad():
            self.b_f += FORGET_BIAS_INIT
        self.V = uniform_init((self.q, self.D_out), self.q, rng)
        self.c = nn.Parameter(torch.zeros(self.D_out))

    def step(self, h, s, x):
        """One cell step: h, s (N, q) and x (N, D) -> the gates and the new h, s.

        Returns a dict of (N, q) tensors with keys o, i, f, s_tilde, s, h.
        """
        o = torch.sigmoid(h @ self.W_o + x @ self.V_o + self.b_o)
        i = torch.sigmoid(h @ self.W_i + x @ self.V_i + self.b_i)
        f = torch.sigmoid(h @ self.W_f + x @ self.V_f + self.b_f)
        s_tilde = torch.tanh(h @ self.W_s + x @ self.V_s + self.b_s)
        s = f * s + i * s_tilde
        h = o * torch.tanh(s)
        return {"o": o, "i": i, "f": f, "s_tilde": s_tilde, "s": s, "h": h}

    def states(self, X):
        """Every step's gates and states.  X: (L, N, D) -> dict of (L, N, q) tensors.

        Keys o, i, f, s_tilde, s, h; entry k-1 belongs to step k (which reads X[k-1]).
        """
        X = checks.model_input(self, X)
        h = s = X.new_zeros(X.shape[1], self.q)
        steps = []
        for x in X.unbind(0):
            steps.append(self.step(h, s, x))
            h, s = steps[-1]["h"], steps[-1]["s"]
        # L dicts of (N, q) -> one dict of (L, N, q)
        return {name: torch.stack([k[name] for k in steps]) for name in steps[0]}

    def fused_h_L(self, X):
        """h_L (N, q) from PyTorch's fused kernel, fed the lecture's Theta.

        nn.LSTM stacks the four blocks (three gates and the candidate) in the order
        i, f, s_tilde (its "g"), o, and writes column vectors (W^T h where we write
        h W), hence the transposes; it has two biases per block where the lecture has
        one, so the second is zero.
        """
        gates = ("i", "f", "s", "o")
        V_all = torch.cat([getattr(self, f"V_{g}") for g in gates], dim=1)
        W_all = torch.cat([getattr(self, f"W_{g}") for g in gates], dim=1)
        b_all = torch.cat([getattr(self, f"b_{g}") for g in gates])
        # h_0 = s_0 = 0, shaped (layers = 1, N, q)
        zero = X.new_zeros(1, X.shape[1], self.q)
        weights = [V_all.t(), W_all.t(), b_all, torch.zeros_like(b_all)]
        _, h_L, _ = torch.lstm(
            X,
            (zero, zero),
            weights,
            has_biases=True,
            num_layers=1,
            dropout=0.0,
            train=self.training,
            bidirectional=False,
            batch_first=False,
        )
        return h_L[0]

    def forward(self, X):
        """X: (L, N, D) lags, samples, state dim -> yhat: (N, D)."""
        if self.fused:
            h_L = self.fused_h_L(checks.model_input(self, X))
        else:
            h_L = self.states(X)["h"][-1]
        return h_L @ self.V + self.c


def parameter_count(model):
    """Number of scalars in the model's parameters (what numel() adds up)."""
    return sum(p.numel() for p in model.parameters())
