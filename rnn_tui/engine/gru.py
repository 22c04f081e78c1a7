"""A gated recurrent unit (GRU) with hand-written backpropagation, in NumPy.

The vanilla RNN overwrites h at every step, h_t = tanh(W h_{t-1} + U x_t), so a
gradient that travels back through many steps is multiplied by W and by
tanh' again and again, and fades.  A GRU (Cho et al. 2014) lets each unit of
h decide how much of itself to keep.  With sigma the logistic function and *
the element-wise product, in columns as in rnn.py:

    r_t = sigma(U_r x_t + W_r h_{t-1})            reset gate: how much old h feeds the candidate
    z_t = sigma(U_z x_t + W_z h_{t-1})            update gate: how much old h is kept
    n_t = tanh(U_n x_t + r_t * (W_n h_{t-1}))     the candidate new state
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}
    o   = V h_m

These are exactly torch.nn.GRU's equations, and the parameters are stored
as torch stores them: W stacks W_r, W_z, W_n (3 nhidden, nhidden), U stacks
U_r, U_z, U_n (3 nhidden, nfeatures).  With biases, "bu" (3 nhidden,) is
added to U x (torch's bias_ih) and "bw" (3 nhidden,) to W h (bias_hh, which
sits inside the reset gate's product for n), plus "bo" for the read-out; so
the weights of a trained `torch.nn.GRU` load here unchanged.

Like batched.py the code keeps one row per word (H is (batch, nhidden)), and
batches are left-padded with the code nfeatures, which gathers a zero input.
Without biases a padded step keeps h = 0 exactly (every gate sees zeros, so
n = 0 and h = (1 - z) 0 + z 0); with biases padded steps are masked.
Training one word at a time uses the same code with a batch of one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .batched import output_loss
from .rnn import Params, WordTrace, softmax
from .speedups import longest_first, scatter_add_columns

GATES = ("r", "z", "n")         # the blocks stacked in W and U, in torch's order


def shapes(nfeatures: int, nhidden: int, nclasses: int, bias: bool) -> dict[str, tuple[int, ...]]:
    """The parameter shapes of a GRU of these sizes."""
    want: dict[str, tuple[int, ...]] = {"W": (3 * nhidden, nhidden), "U": (3 * nhidden, nfeatures),
                                        "V": (nclasses, nhidden)}
    if bias:
        want |= {"bu": (3 * nhidden,), "bw": (3 * nhidden,), "bo": (nclasses,)}
    return want


def init_params(nfeatures: int, nhidden: int, nclasses: int, *, init: str = "default",
                bias: bool = False, seed: int = 0, dtype: type = np.float32) -> Params:
    """Every entry uniform in +-1/sqrt(nhidden), as torch.nn.GRU starts; zero biases when `bias`."""
    if init != "default":
        raise ValueError(f"the GRU starts only from init 'default', not {init!r} "
                         "(the article's W = I is a vanilla RNN's)")
    if min(nfeatures, nhidden, nclasses) < 1:
        raise ValueError("nfeatures, nhidden and nclasses must all be at least 1")
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(nhidden)
    P = {name: rng.uniform(-k, k, shape) if name in ("W", "U", "V") else np.zeros(shape)
         for name, shape in shapes(nfeatures, nhidden, nclasses, bias).items()}
    return {name: np.ascontiguousarray(v, dtype=dtype) for name, v in P.items()}


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * a))          # = 1 / (1 + exp(-a)), with no overflow


@dataclass(frozen=True)
class GRUTrace:
    """What the forward pass keeps for BPTT and for drawing.

    H: (T + 1, batch, nhidden) with H[0] = 0.  R, Z, N: the gates and the
    candidate at every step, (T, batch, nhidden).  Wn: W_n h_{t-1} (+ its
    bias) at every step, needed for the reset gate's gradient.  mask:
    (T, batch, 1) of 0/1, or None when padded steps need none.
    """

    X: np.ndarray
    H: np.ndarray
    R: np.ndarray
    Z: np.ndarray
    N: np.ndarray
    Wn: np.ndarray
    logits: np.ndarray
    mask: np.ndarray | None


def forward(P: Params, X: np.ndarray, mask: bool | None = None) -> GRUTrace:
    """Run the GRU over a left-padded (batch, T) code matrix, padding code = nfeatures.

    mask defaults to True exactly when there are biases (see the module notes).
    """
    W, U, V = P["W"], P["U"], P["V"]
    n = W.shape[1]
    batch, T = X.shape
    nfeatures = U.shape[1]
    use_mask = ("bu" in P) if mask is None else mask
    M = (X != nfeatures).T[:, :, None].astype(W.dtype) if use_mask else None
    rows = np.zeros((nfeatures + 1, 3 * n), dtype=W.dtype)   # U.T plus a zero row for padding
    rows[:-1] = U.T
    UX = rows[X.T]                                           # (T, batch, 3n): U x_t for every t
    if "bu" in P:
        UX += P["bu"]
    H = np.zeros((T + 1, batch, n), dtype=W.dtype)
    R, Z, N, Wn = (np.empty((T, batch, n), dtype=W.dtype) for _ in range(4))
    for t in range(T):
        h = H[t]
        Wh = h @ W.T                                         # (batch, 3n): W_r h, W_z h, W_n h
        if "bw" in P:
            Wh += P["bw"]
        R[t] = _sigmoid(UX[t, :, :n] + Wh[:, :n])
        Z[t] = _sigmoid(UX[t, :, n:2 * n] + Wh[:, n:2 * n])
        Wn[t] = Wh[:, 2 * n:]
        N[t] = np.tanh(UX[t, :, 2 * n:] + R[t] * Wn[t])
        new = N[t] + Z[t] * (h - N[t])                       # (1 - z) n + z h
        H[t + 1] = new if M is None else h + M[t] * (new - h)
    logits = H[T] @ V.T
    if "bo" in P:
        logits += P["bo"]
    return GRUTrace(X=X, H=H, R=R, Z=Z, N=N, Wn=Wn, logits=logits, mask=M)


def loss_and_grads(P: Params, X: np.ndarray, y: np.ndarray, reduction: str = "mean",
                   mask: bool | None = None,
                   weights: np.ndarray | None = None) -> tuple[float, Params, GRUTrace]:
    """Forward, cross-entropy and BPTT for a padded batch; the same contract as batched.loss_and_grads."""
    tr = forward(P, X, mask)
    loss, do = output_loss(tr.logits, np.asarray(y), reduction, weights)
    return loss, backward(P, tr, do), tr


def backward(P: Params, tr: GRUTrace, do: np.ndarray) -> Params:
    """BPTT through a GRU batch given d loss / d logits (batch, nclasses)."""
    W, V = P["W"], P["V"]
    n = W.shape[1]
    T, batch = tr.X.shape[1], tr.X.shape[0]
    G: Params = {"V": do.T @ tr.H[T]}
    if "bo" in P:
        G["bo"] = do.sum(axis=0)
    dAu = np.empty((T, batch, 3 * n), dtype=W.dtype)         # d loss / d (U x + bu), per step
    dAw = np.empty((T, batch, 3 * n), dtype=W.dtype)         # d loss / d (W h + bw), per step
    dH = do @ V                                               # (batch, n): reaches h_m
    for t in range(T - 1, -1, -1):
        h, r, z, cand, wn = tr.H[t], tr.R[t], tr.Z[t], tr.N[t], tr.Wn[t]
        if tr.mask is None:
            dnew, dkeep = dH, 0.0
        else:                                                 # a padded row hands dH straight back
            dnew, dkeep = dH * tr.mask[t], dH * (1.0 - tr.mask[t])
        dz = dnew * (h - cand) * z * (1.0 - z)                # through h = n + z (h - n), then sigma'
        dan = dnew * (1.0 - z) * (1.0 - cand ** 2)            # through (1 - z) n, then tanh'
        dar = dan * wn * r * (1.0 - r)                        # n's input holds r * (W_n h)
        dAu[t, :, :n], dAu[t, :, n:2 * n], dAu[t, :, 2 * n:] = dar, dz, dan
        dAw[t, :, :n], dAw[t, :, n:2 * n], dAw[t, :, 2 * n:] = dar, dz, dan * r
        dH = dnew * z + dkeep + dAw[t] @ W                    # on to h_{t-1}: kept share plus the gates
    flat_w = dAw.reshape(-1, 3 * n)
    G["W"] = flat_w.T @ tr.H[:T].reshape(-1, n)               # sum over steps of dA_t^T h_{t-1}
    G["U"] = scatter_add_columns(dAu.reshape(-1, 3 * n), tr.X.T.reshape(-1), P["U"].shape)
    if "bu" in P:
        G["bu"] = dAu.sum(axis=(0, 1))
        G["bw"] = flat_w.sum(axis=0)
    return G


def read(P: Params, codes: np.ndarray, prefixes: bool = True) -> WordTrace:
    """One word through the GRU: its states, the guess after each prefix, and the gates per step."""
    codes = np.asarray(codes, dtype=np.int64)
    tr = forward(P, codes[None, :], mask=False)               # one word: no padding to mask
    hs = tr.H[:, 0]                                           # (m + 1, nhidden)
    states = hs[1:] if prefixes else hs[-1:]
    o = states @ P["V"].T + (P["bo"] if "bo" in P else 0.0)
    gates = {"r": tr.R[:, 0], "z": tr.Z[:, 0], "n": tr.N[:, 0]}
    return WordTrace(codes=codes, hs=hs, probs=softmax(o, axis=1), gates=gates)


def predict_logits(P: Params, seqs: list[np.ndarray], chunk: int = 2048) -> np.ndarray:
    """Scores for many words, padded chunk by chunk: (len(seqs), nclasses), in input order."""
    from .vocab import pad_batch

    out = np.empty((len(seqs), P["V"].shape[0]), dtype=P["V"].dtype)
    order = longest_first(seqs)
    for start in range(0, len(order), chunk):
        idx = order[start:start + chunk]
        out[idx] = forward(P, pad_batch([seqs[i] for i in idx], pad=P["U"].shape[1])).logits
    return out
