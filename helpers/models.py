"""The lecture's two recurrent models as torch modules, parameters named as in its equations.

Shape letters: L lags, N samples, D state dim, q hidden size.  Row-vector
convention: a state is a row and weights multiply on the right (h W, x U).
X is (L, N, D) with X[0] the oldest lag; each model returns yhat (N, D).
"""

import math
import numbers

import numpy as np
import torch
from torch import nn

from . import checks

# Tiny models are faster on one thread, and on a shared classroom server two
# threads can make 200 training steps take 14 s instead of 0.13 s (measured on a
# busy 2-core box).  This is a process-wide torch setting, made once here because
# every course model goes through this module.
TORCH_THREADS = 1
torch.set_num_threads(TORCH_THREADS)


# The largest D, q or D_out a model is built with: a q of 10**6 would ask for terabytes.
MAX_SIZE = 4096


def _check_size(name, value, meaning):
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, numbers.Integral)
        or value < 1
    ):
        raise ValueError(f"{name} ({meaning}) must be an integer >= 1, got {value!r}")
    if value > MAX_SIZE:
        raise ValueError(f"{name} ({meaning}) must be at most {MAX_SIZE}, got {value}")
    return int(value)


def _generator(seed):
    """A torch random generator seeded with seed, which must be an integer."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        # ValueError, not TypeError: a seed's kind was always refused so, and tests pin it
        raise ValueError(f"seed must be an integer, got {seed!r}")  # noqa: TRY004
    return torch.Generator().manual_seed(checks.seed("seed", seed))


def real_tensor(name, A, dtype):
    """A (array of any strides, byte order and real dtype, nested lists, or tensor) as a
    tensor of dtype, after checking that it holds finite real numbers.  Errors call it
    `name`.  A tensor keeps its autograd graph (gradients.py differentiates through X).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(f"dtype must be a torch floating-point dtype, got {dtype!r}")
    if not torch.is_tensor(A):
        A = checks.as_numbers(name, A)
        # torch.from_numpy needs native byte order, strides >= 0 and a writable array;
        # other arrays are copied.  The rest keep their layout, and with it the exact
        # floating-point results of the matrix products (notebook outputs rely on that).
        if (
            A.dtype.byteorder not in "=|"
            or min(A.strides, default=0) < 0
            or not A.flags.writeable
        ):
            A = np.array(A, dtype=np.float64, order="C")
        A = torch.from_numpy(A)
    if A.is_complex():
        raise TypeError(f"{name} must be an array of real numbers, got dtype {A.dtype}")
    A = A.to(dtype)
    # A NaN or inf would come out as a NaN forecast or loss, silently.  The sum is NaN
    # or inf when an entry is, or when finite entries overflow; one reduction is cheaper
    # than isfinite().all(), which then tells the two apart.  This runs on every
    # training step.
    if not math.isfinite(A.sum().item()) and not torch.isfinite(A).all():
        raise ValueError(
            f"{name} contains NaN or inf: it must hold finite numbers "
            f"(within {dtype}'s range)"
        )
    return A


def _init(shape, q, generator):
    """Uniform in [-1/sqrt(q), 1/sqrt(q)], PyTorch's own choice for recurrent layers."""
    bound = 1.0 / math.sqrt(q)
    return nn.Parameter((torch.rand(shape, generator=generator) * 2 - 1) * bound)


class _Recurrent(nn.Module):
    """What both models share: their sizes and the check of the input X."""

    def __init__(self, D, q, D_out):
        super().__init__()
        self.D = _check_size("D", D, "state dimension")
        self.q = _check_size("q", q, "hidden size")
        # Forecasting predicts the next observation, so the output has D entries too; a task whose
        # target is something else (notebook 04's recall task) may ask for D_out of its own.
        self.D_out = (
            self.D if D_out is None else _check_size("D_out", D_out, "output dimension")
        )

    def _init_output_layer(self, generator):
        """The lecture's output layer yhat = h_L V + c: V (q, D_out), c (D_out,)."""
        self.V = _init((self.q, self.D_out), self.q, generator)
        self.c = nn.Parameter(torch.zeros(self.D_out))

    def _check_input(self, X):
        """Return X as a tensor of this model's dtype, after checking it is (L, N, D)."""
        X = real_tensor("X", X, self.V.dtype)
        if X.dim() != 3:
            raise ValueError(
                f"X must be 3-D (L, N, D) = (lags, samples, state dim), got shape {tuple(X.shape)}"
            )
        L, N, D = X.shape
        if L == 0:
            raise ValueError(
                "X has zero lags (L = 0): the model needs at least one lag to read"
            )
        if N == 0:
            raise ValueError(
                "X has zero samples (N = 0): the model needs at least one window of lags"
            )
        if D != self.D:
            raise ValueError(
                f"X's last dimension must be D = {self.D} (the model's state dim), got {D}"
            )
        return X


class RNN(_Recurrent):
    """Vanilla RNN: h_k = tanh(h_{k-1} W + X[k-1] U + b), h_0 = 0; yhat = h_L V + c.

    Parameters (the lecture's theta): U (D, q), W (q, q), b (q,), V (q, D), c (D,).
    seed makes the initial weights reproducible.  D_out (default D) sizes the output.
    """

    def __init__(self, D=1, q=8, seed=0, D_out=None):
        super().__init__(D, q, D_out)
        g = _generator(seed)
        self.U = _init((self.D, self.q), self.q, g)
        self.W = _init((self.q, self.q), self.q, g)
        self.b = _init((self.q,), self.q, g)
        self._init_output_layer(g)

    def _hidden(self, X, keep):
        """Run the recurrence over the lags; return h_L (N, q), or every h_k stacked (L, N, q) if keep."""
        X = self._check_input(X)
        # The input term X[k-1] U + b does not depend on h, so compute it for all lags at once.
        L, N, D = X.shape
        XU = torch.addmm(self.b, X.reshape(L * N, D), self.U).view(
            L, N, self.q
        )  # X U + b: (L, N, q)
        h = XU.new_zeros(XU.shape[1:])  # h_0 = 0, (N, q)
        hs = []
        for xu in XU.unbind(
            0
        ):  # unbind, not XU[k]: indexing makes backward allocate a full zero tensor per lag
            h = torch.tanh(
                torch.addmm(xu, h, self.W)
            )  # tanh(X[k-1] U + b + h_{k-1} W), (N, q)
            if keep:
                hs.append(h)
        return torch.stack(hs) if keep else h  # L x (N, q) -> (L, N, q)

    def forward(self, X):
        """X: (L, N, D) lags, samples, state dim -> yhat: (N, D)."""
        return torch.addmm(
            self.c, self._hidden(X, keep=False), self.V
        )  # c + (N, q) @ (q, D) -> (N, D)

    def states(self, X):
        """Every lag's hidden state.  X: (L, N, D) -> {"h": (L, N, q)}, entry k-1 is h_k."""
        return {"h": self._hidden(X, keep=True)}


# nn.LSTM's order of the gate blocks in its stacked weights: input, forget, cell (its g, the
# lecture's s_tilde), output.  forward() lays the lecture's Theta out in this order.
TORCH_GATE_ORDER = ("i", "f", "s", "o")


# LSTM.forward runs short windows through the Python loop and longer ones through PyTorch's fused
# kernel, whichever trained faster here (benchmarks/models.py --part step): the loop for up to
# LOOP_MAX_LAGS lags, and for up to SMALL_CELL_MAX_LAGS lags when q <= SMALL_CELL_MAX_Q.
LOOP_MAX_LAGS = 3
SMALL_CELL_MAX_LAGS = 4
SMALL_CELL_MAX_Q = 16


# Start the forget gate mostly open (sigmoid(1) = 0.73) so that a fresh cell remembers rather
# than forgets; with b_f near 0, memory fades as 0.5^L and long-memory tasks fail to train
# (Gers et al. 2000; Jozefowicz et al. 2015).
FORGET_BIAS_INIT = 1.0


def cell_step(z_i, z_f, z_s, z_o, s):
    """One LSTM cell step, from the gates' pre-activations to the new states.

    z_i, z_f, z_s, z_o: (N, q) each, h W_g + x V_g + b_g for the gates i, f, s_tilde and o.
    s: (N, q) the previous cell state, or None for s_0 = 0 (then f * s is zero and is skipped,
    which makes short windows markedly faster).
    Returns a dict of (N, q) tensors: the gates o, i, f, s_tilde and the new states s, h.
    Arrays are accepted too (as tensors of z_i's floating dtype, else torch's default).
    """
    dtype = (
        z_i.dtype
        if torch.is_tensor(z_i) and z_i.is_floating_point()
        else torch.get_default_dtype()
    )
    z_i, z_f, z_s, z_o = (
        real_tensor(n, z, dtype)
        for n, z in (("z_i", z_i), ("z_f", z_f), ("z_s", z_s), ("z_o", z_o))
    )
    if z_i.dim() != 2:
        raise ValueError(f"z_i must be 2-D (N, q), got shape {tuple(z_i.shape)}")
    for n, z in (("z_f", z_f), ("z_s", z_s), ("z_o", z_o)) + (
        (("s", s),) if s is not None else ()
    ):
        if n == "s":
            z = s = real_tensor("s", s, dtype)
        if z.shape != z_i.shape:
            raise ValueError(
                f"{n} must have z_i's shape (N, q) = {tuple(z_i.shape)}, "
                f"got {tuple(z.shape)}"
            )
    o = torch.sigmoid(z_o)  # output gate
    i = torch.sigmoid(z_i)  # external input gate
    f = torch.sigmoid(z_f)  # forget gate
    s_tilde = torch.tanh(z_s)  # candidate cell state
    s = (
        i * s_tilde if s is None else torch.addcmul(f * s, i, s_tilde)
    )  # s = f * s + i * s_tilde
    h = o * torch.tanh(s)
    return {"o": o, "i": i, "f": f, "s_tilde": s_tilde, "s": s, "h": h}


class LSTM(_Recurrent):
    """The lecture's LSTM (Theta: W_g, V_g, b_g for g in o, s, i, f; output layer V, c).

        o = sigmoid(h W_o + x V_o + b_o)      output gate
        i = sigmoid(h W_i + x V_i + b_i)      external input gate
        f = sigmoid(h W_f + x V_f + b_f)      forget gate
        s_tilde = tanh(h W_s + x V_s + b_s)   candidate cell state
        s = f * s + i * s_tilde ;  h = o * tanh(s) ;  h_0 = s_0 = 0 ;  yhat = h_L V + c

    W_g (q, q) hidden-to-hidden, V_g (D, q) input-to-hidden, b_g (q,); V (q, D), c (D,).
    seed makes the initial weights reproducible.  D_out (default D) sizes the output.
    The forget gate's bias starts at FORGET_BIAS_INIT, so a new cell keeps its state.
    """

    def __init__(self, D=1, q=8, seed=0, D_out=None):
        super().__init__(D, q, D_out)
        g = _generator(seed)
        for gate in ("o", "s", "i", "f"):  # Theta's order in the lecture
            setattr(self, f"W_{gate}", _init((self.q, self.q), self.q, g))
            setattr(self, f"V_{gate}", _init((self.D, self.q), self.q, g))
            setattr(self, f"b_{gate}", _init((self.q,), self.q, g))
        with torch.no_grad():
            self.b_f += FORGET_BIAS_INIT
        self._init_output_layer(g)

    def _stacked(self):
        """Theta in nn.LSTM's layout: the four gates' blocks side by side in TORCH_GATE_ORDER.

        Returns V_all (D, 4q), W_all (q, 4q), b_all (4q,); column block j belongs to gate
        TORCH_GATE_ORDER[j].  torch.cat passes gradients back to each named parameter.
        """
        V_all = torch.cat(
            [getattr(self, f"V_{g}") for g in TORCH_GATE_ORDER], dim=1
        )  # 4 x (D, q) -> (D, 4q)
        W_all = torch.cat(
            [getattr(self, f"W_{g}") for g in TORCH_GATE_ORDER], dim=1
        )  # 4 x (q, q) -> (q, 4q)
        b_all = torch.cat(
            [getattr(self, f"b_{g}") for g in TORCH_GATE_ORDER]
        )  # 4 x (q,) -> (4q,)
        return V_all, W_all, b_all

    def _gates_stacked(self):
        """The four gates' weights stacked gate by gate, in TORCH_GATE_ORDER, for batched matmuls.

        Returns V4 (4, D, q), W4 (4, q, q), b4 (4, 1, q).  torch.stack passes gradients back to
        each named parameter.
        """
        V4 = torch.stack(
            [getattr(self, f"V_{g}") for g in TORCH_GATE_ORDER]
        )  # 4 x (D, q) -> (4, D, q)
        W4 = torch.stack(
            [getattr(self, f"W_{g}") for g in TORCH_GATE_ORDER]
        )  # 4 x (q, q) -> (4, q, q)
        b4 = torch.stack([getattr(self, f"b_{g}") for g in TORCH_GATE_ORDER]).unsqueeze(
            1
        )  # -> (4, 1, q)
        return V4, W4, b4

    def _run(self, X, keep):
        """The lecture's equations, one lag at a time in Python.  X: (L, N, D), already checked.

        Returns a dict: for each name in keep (from "h", "s", "o", "i", "f", "s_tilde"),
        a list of L tensors (N, q), entry k-1 for lag k.
        """
        V4, W4, b4 = self._gates_stacked()
        L, N, D = X.shape
        q = self.q
        # The four gates are computed side by side as a batch of 4, gate-major: each gate's (N, q)
        # block is then contiguous, which PyTorch's elementwise kernels run several times faster
        # (for q < 32) than on column blocks of one (N, 4q) matrix.
        # input terms x V_g + b_g of all gates at all lags: 4 x (L*N, D) @ (D, q) -> (4, L, N, q)
        XV = torch.baddbmm(b4, X.reshape(1, L * N, D).expand(4, L * N, D), V4).view(
            4, L, N, q
        )
        kept = {name: [] for name in keep}
        # h_0 = s_0 = 0, so at the first lag h W_g and f * s are zero: the loop and cell_step skip
        # them.  With a single lag that would leave W_g out of the graph entirely, and its gradient
        # None instead of the zeros nn.LSTM gives, so then h_0 is a real zero tensor.
        h = XV.new_zeros(N, q) if L == 1 else None
        s = None
        for xv in XV.unbind(
            1
        ):  # lag by lag: (4, N, q); unbind, not XV[:, k]: see RNN._hidden
            z = (
                xv if h is None else torch.baddbmm(xv, h.expand(4, N, q), W4)
            )  # h W_g + x V_g + b_g, (4, N, q)
            values = cell_step(*z.unbind(0), s)
            h, s = values["h"], values["s"]
            for name in keep:
                kept[name].append(values[name])
        return kept

    def _kernel(self, X):
        """h_L from PyTorch's fused LSTM kernel, given the lecture's Theta.  X: (L, N, D) -> (N, q).

        nn.LSTM writes the row-vector product h W_g as W_g^T h with column vectors, hence the
        transposes; the lecture has one bias per gate where PyTorch has two, so the second is zero.
        """
        V_all, W_all, b_all = self._stacked()
        h_0 = X.new_zeros(1, X.shape[1], self.q)  # h_0 = s_0 = 0, (layers = 1, N, q)
        _, h_L, _ = torch.lstm(
            X,
            (h_0, h_0),
            [V_all.t(), W_all.t(), b_all, torch.zeros_like(b_all)],
            True,
            1,
            0.0,
            self.training,
            False,
            False,  # has biases, 1 layer, no dropout, train, one-way, (L, N, D)
        )  # h_L: (1, N, q)
        return h_L[0]

    def forward(self, X):
        """X: (L, N, D) lags, samples, state dim -> yhat: (N, D).

        Short windows run the equations lag by lag in Python, as states() does; longer ones go to
        PyTorch's fused LSTM kernel, whose start-up cost only pays off there (see LOOP_MAX_LAGS;
        a test checks that both ways agree).
        """
        X = self._check_input(X)
        L = X.shape[0]
        short = L <= LOOP_MAX_LAGS or (
            L <= SMALL_CELL_MAX_LAGS and self.q <= SMALL_CELL_MAX_Q
        )
        h_L = self._run(X, ("h",))["h"][-1] if short else self._kernel(X)  # (N, q)
        return torch.addmm(self.c, h_L, self.V)  # c + (N, q) @ (q, D) -> (N, D)

    def states(self, X, gates=False):
        """Every lag's states, from the lecture's equations run lag by lag.

        X: (L, N, D) -> dict of (L, N, q) tensors, entry k-1 for lag k.
        Always "h" and "s"; with gates=True also "o", "i", "f", "s_tilde" (for plots).
        """
        if not isinstance(gates, (bool, np.bool_)):
            raise TypeError(f"gates must be True or False, got {gates!r}")
        keep = ("h", "s", "o", "i", "f", "s_tilde") if gates else ("h", "s")
        kept = self._run(self._check_input(X), keep)
        return {
            name: torch.stack(v) for name, v in kept.items()
        }  # each L x (N, q) -> (L, N, q)


def parameter_count(model):
    """Number of scalars in the model's parameters (what numel() adds up)."""
    if not isinstance(model, nn.Module):
        raise TypeError(
            "model must be a torch.nn.Module such as RNN or LSTM, "
            f"got {type(model).__name__}"
        )
    return sum(p.numel() for p in model.parameters())
