"""A whole minibatch at once: the article's section 2.2 (vectorisation).

The article keeps one column of H per word and computes, for each character
position t of a left-padded batch,

    H_t = tanh(W H_{t-1} + U B_t)        H: (nhidden, batch), B_t: (nfeatures, batch)
    o   = V H_m                          (nclasses, batch)

Here the same numbers are stored batch-major, one *row* per word, which is the
article's `o.T` habit applied everywhere: H is (batch, nhidden) and the step
reads `H @ W.T + U.T[codes]`.  `U.T[codes]` gathers one row of U.T (a column of
U) per word instead of multiplying by one-hot columns; the padding code is
`nfeatures` and gathers a zero row, so a padded step adds nothing.

Dropout (optional, training only): `keep`, one multiplier per row and unit
of h_m, either 0 (the unit is dropped for this word) or 1 / (1 - p), scales
the last hidden state before V reads it, o = V (keep * h_m).  The scale keeps
the expected read-out unchanged, so a trained model is used as it is, with
no dropout and no rescaling.

Left padding is exactly neutral without biases: h stays at zero until the
word starts, because tanh(W 0 + 0) = 0.  With biases (or right padding) it is
not, so those batches carry a mask and a padded step keeps h unchanged:
h_t = m_t * tanh(...) + (1 - m_t) * h_{t-1}.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rnn import Params, log_softmax
from .speedups import Workspace, longest_first, scatter_add_columns, started_rows, worked_pairs


@dataclass(frozen=True)
class BatchTrace:
    """What the forward pass keeps for BPTT and for drawing.

    A: (T, batch, nhidden), the tanh outputs of every step.
    H: (T + 1, batch, nhidden), the hidden states with H[0] = 0.
    logits: (batch, nclasses) scores from the last hidden state.
    mask: (T, batch, 1) of 0/1, or None when every step updates every row
    (then A is H[1:], the same memory).
    active: (T,), how many leading rows have started at each step.
    keep: (batch, nhidden) dropout multipliers applied to H[T] before V, or None.
    """

    X: np.ndarray
    A: np.ndarray
    H: np.ndarray
    logits: np.ndarray
    mask: np.ndarray | None
    active: np.ndarray
    keep: np.ndarray | None = None

    @property
    def read_out(self) -> np.ndarray:
        """What V reads: the last hidden state, times the dropout multipliers if any."""
        return self.H[-1] if self.keep is None else self.H[-1] * self.keep


def _input_rows(P: Params) -> np.ndarray:
    """U.T with a zero row appended for the padding code: (nfeatures + 1, nhidden)."""
    U = P["U"]
    rows = np.empty((U.shape[1] + 1, U.shape[0]), dtype=U.dtype)
    rows[:-1] = U.T
    rows[-1] = 0.0
    return rows


def forward(P: Params, X: np.ndarray, mask: bool | None = None,
            ws: Workspace | None = None, keep: np.ndarray | None = None) -> BatchTrace:
    """Run the recurrence over a padded (batch, T) code matrix, padding code = nfeatures.

    mask defaults to True exactly when there is a bias (see the module notes);
    keep, (batch, nhidden), multiplies the last h before V (dropout; None: none).
    """
    W, V = P["W"], P["V"]
    bh = P.get("bh")
    nfeatures = P["U"].shape[1]
    batch, T = X.shape
    nh = W.shape[0]
    ws = ws or Workspace()
    use_mask = ("bh" in P) if mask is None else mask
    M = (X != nfeatures).T[:, :, None].astype(W.dtype) if use_mask else None  # (T, batch, 1)
    active = started_rows(X, nfeatures, skip=use_mask or bh is None)
    UX = np.take(_input_rows(P), X.T, axis=0, mode="clip",    # "clip": no buffering of out=
                 out=ws.array("UX", (T, batch, nh), W.dtype))
    WT = np.ascontiguousarray(W.T)                             # U B_t for every t, as one gather
    H = ws.array("H", (T + 1, batch, nh), W.dtype)
    H[0] = 0.0
    A = H[1:] if M is None else ws.array("A", (T, batch, nh), W.dtype)   # unmasked: A_t is H_t
    for t in range(T):
        k = active[t]                                          # rows [k:] have not started: h stays 0
        A[t, k:] = 0.0
        z = np.matmul(H[t, :k], WT, out=A[t, :k])              # (k, nhidden): W H_{t-1}
        z += UX[t, :k]                                         # + U B_t
        if bh is not None:
            z += bh
        np.tanh(z, out=z)
        if M is not None:                                      # padded rows keep their h
            np.subtract(A[t], H[t], out=H[t + 1])
            H[t + 1] *= M[t]
            H[t + 1] += H[t]
    if keep is not None and keep.shape != (batch, nh):
        raise ValueError(f"keep must have shape {(batch, nh)}, not {keep.shape}")
    logits = (H[T] if keep is None else H[T] * keep) @ V.T    # (batch, nclasses): o.T
    if "bo" in P:
        logits += P["bo"]
    return BatchTrace(X=X, A=A, H=H, logits=logits, mask=M, active=active, keep=keep)


def loss_and_grads(P: Params, X: np.ndarray, y: np.ndarray, reduction: str = "mean",
                   mask: bool | None = None, ws: Workspace | None = None,
                   weights: np.ndarray | None = None,
                   keep: np.ndarray | None = None) -> tuple[float, Params, BatchTrace]:
    """Forward, cross-entropy and BPTT for a padded batch.

    reduction "mean" averages the batch's losses (the vectorised notebook),
    "sum" adds them (the article's `loss += ...` minibatch).  `weights`, one
    per word, scale each word's loss first (class-weighted training); `keep`
    applies dropout to the last h (see the module notes).
    Returns the loss, a gradient dict keyed like P, and the forward trace.
    """
    ws = ws or Workspace()
    tr = forward(P, X, mask, ws, keep)
    loss, do = output_loss(tr.logits, y, reduction, weights)
    G = _backward(P, tr, do, ws)
    return loss, G, tr


def output_loss(logits: np.ndarray, y: np.ndarray, reduction: str = "mean",
                weights: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Cross-entropy of (batch, nclasses) scores, and its gradient d loss / d logits.

    Shared by every cell: the read-out o = V h and its softmax do not depend
    on how h was computed.
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', not {reduction!r}")
    batch = logits.shape[0]
    rows = np.arange(batch)
    logp = log_softmax(logits, axis=1)
    losses = -logp[rows, y]
    scale = np.full(batch, 1.0 / batch if reduction == "mean" else 1.0)
    if weights is not None:
        scale = scale * weights
    do = np.exp(logp)                                          # (batch, nclasses): p - onehot(y)
    do[rows, y] -= 1.0
    do *= scale[:, None].astype(do.dtype)
    return float(losses @ scale), do


def _backward(P: Params, tr: BatchTrace, do: np.ndarray, ws: Workspace) -> Params:
    """BPTT through a batch given d loss / d logits (batch, nclasses)."""
    W, V = P["W"], P["V"]
    T = tr.X.shape[1]
    nh = W.shape[0]
    G: Params = {"V": do.T @ tr.read_out}                     # (nclasses, nhidden)
    if "bo" in P:
        G["bo"] = do.sum(axis=0)
    dZ = ws.array("dZ", tr.A.shape, tr.A.dtype)               # (T, batch, nhidden)
    np.multiply(tr.A, tr.A, out=dZ)
    np.subtract(1.0, dZ, out=dZ)                               # tanh' = 1 - a^2 at every step
    if tr.mask is not None:
        dZ *= tr.mask                                          # padded steps did not apply tanh
    dH = do @ V                                                # (batch, nhidden): reaches H_m
    if tr.keep is not None:
        dH *= tr.keep                                          # a dropped unit passed nothing to V
    for t in range(T - 1, -1, -1):
        k = tr.active[t]
        dZ[t, k:] = 0.0                                        # rows not started: nothing to learn
        dz = dZ[t, :k]
        dz *= dH[:k]                                           # back through tanh, in place
        if tr.mask is None:
            dH = dz @ W                                        # on to H_{t-1}
        else:                                                  # a padded row hands dH straight back
            dH = dH[:k] * (1.0 - tr.mask[t, :k]) + dz @ W
    dZ2 = dZ.reshape(-1, nh)                                   # (T*batch, nhidden), step-major
    H2 = tr.H[:T].reshape(-1, nh)                              # h_{t-1} for the same rows
    codes = tr.X.T.reshape(-1)
    keep = worked_pairs(tr.active, tr.X.shape[0])              # drop (step, row) pairs that did no work
    if keep is not None:
        dZ2, H2, codes = dZ2[keep], H2[keep], codes[keep]
    G["W"] = dZ2.T @ H2                                        # sum over steps of dz_t^T h_{t-1}
    G["U"] = scatter_add_columns(dZ2, codes, P["U"].shape)
    if "bh" in P:
        G["bh"] = dZ2.sum(axis=0)
    return G


def predict_logits(P: Params, seqs: list[np.ndarray], chunk: int = 2048) -> np.ndarray:
    """Scores for many words, padded chunk by chunk: (len(seqs), nclasses).

    Words are grouped by length so padding stays short; rows come back in order.
    """
    from .vocab import pad_batch

    nfeatures = P["U"].shape[1]
    out = np.empty((len(seqs), P["V"].shape[0]), dtype=P["V"].dtype)
    order = longest_first(seqs)
    for start in range(0, len(order), chunk):
        idx = order[start:start + chunk]
        X = pad_batch([seqs[i] for i in idx], pad=nfeatures)
        out[idx] = forward(P, X).logits
    return out
