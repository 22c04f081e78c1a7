"""A long short-term memory (LSTM) cell in NumPy, forward only: reading an LSTM model.

LSTMs are trained here by torch.nn.LSTM (the nnrnn backend); this module
runs a trained one without torch, so a model file with an LSTM classifies a
name and shows its gates like any other.  torch.nn.LSTM's equations, in
columns, with sigma the logistic function and * the element-wise product:

    i_t = sigma(U_i x_t + W_i h_{t-1} + b_i)      input gate: how much of g to write
    f_t = sigma(U_f x_t + W_f h_{t-1} + b_f)      forget gate: how much of c to keep
    g_t = tanh(U_g x_t + W_g h_{t-1} + b_g)       what to write
    o_t = sigma(U_o x_t + W_o h_{t-1} + b_o)      output gate: how much of c to show
    c_t = f_t * c_{t-1} + i_t * g_t               the cell's memory
    h_t = o_t * tanh(c_t)
    scores = V h_m + bo

W stacks W_i, W_f, W_g, W_o (4 nhidden, nhidden) and U the same blocks for
the input (torch's weight_hh and weight_ih); "bh" (4 nhidden,) is torch's two
biases summed, since both only add; "bo" is the read-out's bias.  Batches are
left-padded and padded steps masked (the biases would move h otherwise).
"""

from __future__ import annotations

import numpy as np

from .rnn import Params, WordTrace, softmax
from .speedups import longest_first

GATES = ("i", "f", "g", "o")    # the blocks stacked in W and U, in torch's order


def shapes(nfeatures: int, nhidden: int, nclasses: int, bias: bool) -> dict[str, tuple[int, ...]]:
    """The parameter shapes of an LSTM of these sizes."""
    want: dict[str, tuple[int, ...]] = {"W": (4 * nhidden, nhidden), "U": (4 * nhidden, nfeatures),
                                        "V": (nclasses, nhidden)}
    if bias:
        want |= {"bh": (4 * nhidden,), "bo": (nclasses,)}
    return want


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def forward(P: Params, X: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Hidden states (T + 1, batch, nhidden) of a left-padded batch, and the gates and c per step."""
    W, U = P["W"], P["U"]
    n = W.shape[1]
    batch, T = X.shape
    nfeatures = U.shape[1]
    M = (X != nfeatures).T[:, :, None].astype(W.dtype)       # (T, batch, 1)
    rows = np.zeros((nfeatures + 1, 4 * n), dtype=W.dtype)
    rows[:-1] = U.T
    A_in = rows[X.T]                                          # (T, batch, 4n)
    if "bh" in P:
        A_in += P["bh"]
    H = np.zeros((T + 1, batch, n), dtype=W.dtype)
    c = np.zeros((batch, n), dtype=W.dtype)
    seen = {k: np.empty((T, batch, n), dtype=W.dtype) for k in (*GATES, "c")}
    for t in range(T):
        a = A_in[t] + H[t] @ W.T
        i, f = _sigmoid(a[:, :n]), _sigmoid(a[:, n:2 * n])
        g, o = np.tanh(a[:, 2 * n:3 * n]), _sigmoid(a[:, 3 * n:])
        c = c + M[t] * (f * c + i * g - c)                    # padded rows keep c and h
        H[t + 1] = H[t] + M[t] * (o * np.tanh(c) - H[t])
        for k, v in zip(("i", "f", "g", "o", "c"), (i, f, g, o, c)):
            seen[k][t] = v
    return H, seen


def logits_of(P: Params, states: np.ndarray) -> np.ndarray:
    """Scores V h (+ bo) for rows of hidden states."""
    o = states @ P["V"].T
    return o + P["bo"] if "bo" in P else o


def read(P: Params, codes: np.ndarray, prefixes: bool = True) -> WordTrace:
    """One word through the LSTM: states, the guess after each prefix, the gates and c per step."""
    codes = np.asarray(codes, dtype=np.int64)
    H, seen = forward(P, codes[None, :])
    hs = H[:, 0]
    probs = softmax(logits_of(P, hs[1:] if prefixes else hs[-1:]), axis=1)
    return WordTrace(codes=codes, hs=hs, probs=probs, gates={k: v[:, 0] for k, v in seen.items()})


def predict_logits(P: Params, seqs: list[np.ndarray], chunk: int = 2048) -> np.ndarray:
    """Scores for many words: (len(seqs), nclasses), in input order."""
    from .vocab import pad_batch

    out = np.empty((len(seqs), P["V"].shape[0]), dtype=P["V"].dtype)
    order = longest_first(seqs)
    for start in range(0, len(order), chunk):
        idx = order[start:start + chunk]
        H, _ = forward(P, pad_batch([seqs[i] for i in idx], pad=P["U"].shape[1]))
        out[idx] = logits_of(P, H[-1])
    return out
