"""The RNN itself, one record at a time: the article's sections 1.4 and 1.5.

    h_0 = 0
    h_t = tanh(W h_{t-1} + U x_t)        x_t is the one-hot of character t
    o   = V h_m                          scores, one per class
    p   = softmax(o), loss = -log p[y]   (computed as a log-sum-exp)

Glossary for readers of other code: W is Karpathy's Whh (fastai h_h), U is
Wxh (fastai i_h), V is Why (fastai h_o).  Shapes: W (nhidden, nhidden),
U (nhidden, nfeatures), V (nclasses, nhidden).  As in the article, every
vector in the equations is a column: h_t is (nhidden, 1), o is (nclasses, 1),
and so are their gradients in `backward`; a word's states side by side form
the matrix whose column t is h_t.  (`WordTrace` stores them transposed, one
row per step, for printing; `batched.py` says why it goes row-major.)
U times a one-hot is a column of U, so the code gathers `U[:, c]` and the
gradient of U is added into one column per character, never a product with a
one-hot vector.

Parameters are a plain dict of arrays: "W", "U", "V", and with biases on also
"bh" (nhidden,) and "bo" (nclasses,).  Gradients use the same keys.
`backward` is the hand-written backpropagation through time (BPTT): it walks
the steps of `forward` in reverse, one equation per line.  `loss` runs the
recurrence and scores only the whole word; `forward` also scores every
prefix, which is what the lessons and the classify screen draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

Params = dict[str, np.ndarray]

INITS = ("default", "article")


def init_params(nfeatures: int, nhidden: int, nclasses: int, *, init: str = "default",
                bias: bool = False, seed: int = 0, dtype: type = np.float32) -> Params:
    """Fresh W, U, V (and zero biases when `bias`), reproducible from `seed`.

    "article": W is the identity, U and V standard normal, as in Parr's notebooks.
    "default": every entry uniform in +-1/sqrt(nhidden), which keeps tanh out of
    saturation at the start (the usual choice of torch.nn.RNN).
    """
    if min(nfeatures, nhidden, nclasses) < 1:
        raise ValueError("nfeatures, nhidden and nclasses must all be at least 1")
    rng = np.random.default_rng(seed)
    if init == "article":
        P = {"W": np.eye(nhidden),
             "U": rng.standard_normal((nhidden, nfeatures)),
             "V": rng.standard_normal((nclasses, nhidden))}
    elif init == "default":
        k = 1.0 / np.sqrt(nhidden)
        P = {"W": rng.uniform(-k, k, (nhidden, nhidden)),
             "U": rng.uniform(-k, k, (nhidden, nfeatures)),
             "V": rng.uniform(-k, k, (nclasses, nhidden))}
    else:
        raise ValueError(f"unknown init {init!r}: choose one of {', '.join(INITS)}")
    if bias:
        P["bh"] = np.zeros(nhidden)
        P["bo"] = np.zeros(nclasses)
    return {k: np.ascontiguousarray(v, dtype=dtype) for k, v in P.items()}


def sizes(P: Params) -> tuple[int, int, int]:
    """(nfeatures, nhidden, nclasses) of a parameter dict."""
    nhidden, nfeatures = P["U"].shape
    return nfeatures, nhidden, P["V"].shape[0]


def log_softmax(o: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(o)) by the log-sum-exp trick: never exp of a large number."""
    shifted = o - o.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(o: np.ndarray, axis: int = -1) -> np.ndarray:
    """Probabilities from scores, stable for any score size."""
    return np.exp(log_softmax(o, axis))


@dataclass(frozen=True)
class WordTrace:
    """Everything one forward pass over a word computed, kept for drawing and for BPTT.

    The maths runs on columns; a trace stores each column h_t as one *row*
    of `hs` so that a word's states print one per line, oldest first:
    hs[t] is h_t (flattened), hs[0] is h_0 = 0, and hs.shape is (m + 1, nhidden).
    probs: (m, nclasses), row t-1 is softmax(V h_t), the guess after t
    characters; a trace made with `prefixes=False` holds only the last row.
    gates: a gated cell's gate activations per step, each (m, nhidden) with
    row t-1 for step t (the vanilla RNN has none).
    """

    codes: np.ndarray
    hs: np.ndarray
    probs: np.ndarray
    gates: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def h(self) -> np.ndarray:
        """The word's embedding h_m, flattened to (nhidden,)."""
        return self.hs[-1]

    @property
    def final_probs(self) -> np.ndarray:
        """Class probabilities for the whole word."""
        return self.probs[-1]


def hidden_states(P: Params, codes: np.ndarray) -> np.ndarray:
    """The recurrence alone: h_0 .. h_m as the columns of an (nhidden, m + 1) matrix."""
    W = P["W"]
    UX = P["U"][:, codes]                                      # column t-1 is U x_t: column c_t of U
    if "bh" in P:
        UX = UX + P["bh"][:, None]
    H = np.zeros((W.shape[0], len(codes) + 1), dtype=W.dtype, order="F")   # column 0 is h_0 = 0
    for t in range(1, len(codes) + 1):                         # (Fortran order: a column is contiguous)
        z = W @ H[:, t - 1:t]                                  # (nhidden, 1)
        z += UX[:, t - 1:t]
        np.tanh(z, out=H[:, t:t + 1])
    return H


def scores(P: Params, H: np.ndarray) -> np.ndarray:
    """o = V h (+ bo) for every column h of H: (nclasses, columns)."""
    o = P["V"] @ H
    return o + P["bo"][:, None] if "bo" in P else o


def forward(P: Params, codes: np.ndarray, prefixes: bool = True) -> WordTrace:
    """Run the recurrence over one word's character codes; score every prefix (or only the word)."""
    H = hidden_states(P, codes)
    o = scores(P, H[:, 1:] if prefixes else H[:, -1:])       # (nclasses, m) or (nclasses, 1)
    return WordTrace(codes=np.asarray(codes), hs=H.T, probs=softmax(o, axis=0).T)


def loss(P: Params, codes: np.ndarray, y: int) -> float:
    """Cross-entropy of one word against its class index (scores the whole word only)."""
    o = scores(P, hidden_states(P, codes)[:, -1:])             # (nclasses, 1)
    return float(-log_softmax(o, axis=0)[y, 0])


def backward(P: Params, trace: WordTrace, y: int, weight: float = 1.0,
             grads: Params | None = None) -> float:
    """BPTT for one word: add weight * d(loss)/d(param) into `grads`; returns the loss.

    Pass the same `grads` for several words to sum their losses (the article's
    minibatch `loss += cross_entropy(...)`).  Every vector here is a column:
    the loop walks the steps in reverse and keeps dz_t = d loss / d z_t as
    column t of DZ; the weight gradients are then sums over the steps,
    dW = sum_t dz_t h_{t-1}^T = DZ H_prev^T, one matrix product.
    """
    W, V = P["W"], P["V"]
    G = grads if grads is not None else zero_grads(P)
    codes = trace.codes
    m = len(codes)
    H = trace.hs.T                                             # (nhidden, m + 1): column t is h_t
    h_m = H[:, m:]
    logp = log_softmax(scores(P, h_m), axis=0)                 # (nclasses, 1)
    do = np.exp(logp)                                          # d loss / d o = p - onehot(y)
    do[y] -= 1.0
    do *= weight
    G["V"] += do @ h_m.T                                       # (nclasses, nhidden)
    if "bo" in G:
        G["bo"] += do[:, 0]
    dh = V.T @ do                                              # (nhidden, 1): gradient reaching h_m
    WT = W.T
    tanh_grad = 1.0 - H[:, 1:] ** 2                            # column t-1: tanh'(z_t) = 1 - h_t^2
    DZ = np.empty_like(tanh_grad)                              # column t-1: dz_t
    for t in range(m, 0, -1):
        dz = dh * tanh_grad[:, t - 1:t]                        # back through tanh
        DZ[:, t - 1:t] = dz
        dh = WT @ dz                                           # on to h_{t-1}
    G["W"] += DZ @ H[:, :m].T                                  # W met h_{t-1} at step t
    np.add.at(G["U"].T, codes, DZ.T)                           # only column c_t of U was used at step t
    if "bh" in G:
        G["bh"] += DZ.sum(axis=1)
    return float(-logp[y, 0])


def zero_grads(P: Params) -> Params:
    """A gradient dict of zeros shaped like `P`."""
    return {k: np.zeros_like(v) for k, v in P.items()}
