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

Left padding is exactly neutral without biases: h stays at zero until the
word starts, because tanh(W 0 + 0) = 0.  With biases (or right padding) it is
not, so those batches carry a mask and a padded step keeps h unchanged:
h_t = m_t * tanh(...) + (1 - m_t) * h_{t-1}.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rnn import Params, log_softmax


@dataclass(frozen=True)
class BatchTrace:
    """What the forward pass keeps for BPTT and for drawing.

    A: (T, batch, nhidden), the tanh outputs of every step.
    H: (T + 1, batch, nhidden), the hidden states with H[0] = 0.
    logits: (batch, nclasses) scores from the last hidden state.
    mask: (T, batch) of 0/1, or None when every step updates every row.
    """

    X: np.ndarray
    A: np.ndarray
    H: np.ndarray
    logits: np.ndarray
    mask: np.ndarray | None


def needs_mask(P: Params, side: str = "left") -> bool:
    """Whether padded steps must be masked to leave h unchanged."""
    return "bh" in P or side != "left"


def _input_rows(P: Params) -> np.ndarray:
    """U.T with a zero row appended for the padding code: (nfeatures + 1, nhidden)."""
    U = P["U"]
    rows = np.empty((U.shape[1] + 1, U.shape[0]), dtype=U.dtype)
    rows[:-1] = U.T
    rows[-1] = 0.0
    return rows


def forward(P: Params, X: np.ndarray, mask: bool | None = None) -> BatchTrace:
    """Run the recurrence over a padded (batch, T) code matrix, padding code = nfeatures."""
    W, V = P["W"], P["V"]
    bh = P.get("bh")
    nfeatures = P["U"].shape[1]
    batch, T = X.shape
    use_mask = ("bh" in P) if mask is None else mask
    M = (X != nfeatures).T[:, :, None].astype(W.dtype) if use_mask else None  # (T, batch, 1)
    Ut = _input_rows(P)
    WT = np.ascontiguousarray(W.T)
    A = np.empty((T, batch, W.shape[0]), dtype=W.dtype)
    H = np.zeros((T + 1, batch, W.shape[0]), dtype=W.dtype)
    for t in range(T):
        z = H[t] @ WT                                          # (batch, nhidden): W H_{t-1}
        z += Ut[X[:, t]]                                       # + U B_t, as a gather
        if bh is not None:
            z += bh
        np.tanh(z, out=A[t])
        if M is None:
            H[t + 1] = A[t]
        else:                                                  # padded rows keep their h
            H[t + 1] = H[t] + M[t] * (A[t] - H[t])
    logits = H[T] @ V.T                                        # (batch, nclasses): o.T
    if "bo" in P:
        logits += P["bo"]
    return BatchTrace(X=X, A=A, H=H, logits=logits, mask=None if M is None else M)


def loss_and_grads(P: Params, X: np.ndarray, y: np.ndarray, reduction: str = "mean",
                   mask: bool | None = None) -> tuple[float, Params, BatchTrace]:
    """Forward, cross-entropy and BPTT for a padded batch.

    reduction "mean" averages the batch's losses (the vectorised notebook),
    "sum" adds them (the article's `loss += ...` minibatch).  Returns the loss,
    a gradient dict keyed like P, and the forward trace.
    """
    tr = forward(P, X, mask)
    batch = X.shape[0]
    rows = np.arange(batch)
    logp = log_softmax(tr.logits, axis=1)
    losses = -logp[rows, y]
    scale = 1.0 / batch if reduction == "mean" else 1.0
    loss = float(losses.sum() * scale)
    do = np.exp(logp)                                          # (batch, nclasses): p - onehot(y)
    do[rows, y] -= 1.0
    do *= scale
    G = _backward(P, tr, do)
    return loss, G, tr


def _backward(P: Params, tr: BatchTrace, do: np.ndarray) -> Params:
    """BPTT through a batch given d loss / d logits (batch, nclasses)."""
    W, V = P["W"], P["V"]
    nfeatures = P["U"].shape[1]
    T = tr.X.shape[1]
    G: Params = {"V": do.T @ tr.H[T]}                         # (nclasses, nhidden)
    if "bo" in P:
        G["bo"] = do.sum(axis=0)
    dH = do @ V                                                # (batch, nhidden): reaches H_m
    dZ = np.empty_like(tr.A)                                   # (T, batch, nhidden)
    for t in range(T - 1, -1, -1):
        dz = dH * (1.0 - tr.A[t] * tr.A[t])                    # back through tanh
        if tr.mask is not None:
            dz *= tr.mask[t]
            dH = dH - tr.mask[t] * dH                          # the kept part flows straight back
            dH += dz @ W
        else:
            dH = dz @ W                                        # on to H_{t-1}
        dZ[t] = dz
    nh = W.shape[0]
    dZ2 = dZ.reshape(-1, nh)                                   # (T*batch, nhidden)
    G["W"] = dZ2.T @ tr.H[:T].reshape(-1, nh)                 # sum over steps of dz_t^T h_{t-1}
    dUt = np.zeros((nfeatures + 1, nh), dtype=W.dtype)
    np.add.at(dUt, tr.X.T.reshape(-1), dZ2)                    # scatter-add into used columns of U
    G["U"] = np.ascontiguousarray(dUt[:-1].T)                  # drop the padding row
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
    order = np.argsort([len(s) for s in seqs], kind="stable")
    for start in range(0, len(order), chunk):
        idx = order[start:start + chunk]
        X = pad_batch([seqs[i] for i in idx], pad=nfeatures)
        out[idx] = forward(P, X).logits
    return out
