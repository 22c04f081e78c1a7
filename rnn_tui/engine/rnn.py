"""The RNN itself, one record at a time: the article's sections 1.4 and 1.5.

    h_0 = 0
    h_t = tanh(W h_{t-1} + U x_t)        x_t is the one-hot of character t
    o   = V h_m                          scores, one per class
    p   = softmax(o), loss = -log p[y]   (computed as a log-sum-exp)

Glossary for readers of other code: W is Karpathy's Whh (fastai h_h), U is
Wxh (fastai i_h), V is Why (fastai h_o).  Shapes: W (nhidden, nhidden),
U (nhidden, nfeatures), V (nclasses, nhidden); h is a column (nhidden, 1).
U times a one-hot is a column of U, so the code gathers `U[:, c]` and the
gradient of U is added into one column per character, never a product with a
one-hot vector.

Parameters are a plain dict of arrays: "W", "U", "V", and with biases on also
"bh" (nhidden,) and "bo" (nclasses,).  Gradients use the same keys.
`backward` is the hand-written backpropagation through time (BPTT): it walks
the steps of `forward` in reverse, one equation per line.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """Everything one forward pass over a word computed.

    hs: (m + 1, nhidden), row t is h_t and row 0 is h_0 = 0.
    probs: (m, nclasses), row t-1 is softmax(V h_t): the guess after t characters.
    """

    codes: np.ndarray
    hs: np.ndarray
    probs: np.ndarray

    @property
    def h(self) -> np.ndarray:
        """The word's embedding h_m."""
        return self.hs[-1]

    @property
    def final_probs(self) -> np.ndarray:
        """Class probabilities for the whole word."""
        return self.probs[-1]


def forward(P: Params, codes: np.ndarray) -> WordTrace:
    """Run the recurrence over one word's character codes and score every prefix."""
    W, U, V = P["W"], P["U"], P["V"]
    bh = P.get("bh")
    nhidden = W.shape[0]
    h = np.zeros((nhidden, 1), dtype=W.dtype)                # h_0: (nhidden, 1)
    hs = [h]
    for c in codes:
        z = W @ h + U[:, c:c + 1]                             # (nhidden, 1); U x_t is column c of U
        if bh is not None:
            z = z + bh[:, None]
        h = np.tanh(z)                                        # (nhidden, 1)
        hs.append(h)
    H = np.concatenate(hs, axis=1).T                          # (m + 1, nhidden)
    o = H[1:] @ V.T                                           # (m, nclasses): V h_t for every prefix
    if "bo" in P:
        o = o + P["bo"]
    return WordTrace(codes=np.asarray(codes), hs=H, probs=softmax(o, axis=1))


def loss(P: Params, codes: np.ndarray, y: int) -> float:
    """Cross-entropy of one word against its class index."""
    o = forward_scores(P, codes)
    return float(-log_softmax(o)[y])


def forward_scores(P: Params, codes: np.ndarray) -> np.ndarray:
    """Scores o = V h_m (+ bo) for one word: (nclasses,)."""
    trace = forward(P, codes)
    o = P["V"] @ trace.h
    return o + P["bo"] if "bo" in P else o


def backward(P: Params, trace: WordTrace, y: int, weight: float = 1.0,
             grads: Params | None = None) -> float:
    """BPTT for one word: add weight * d(loss)/d(param) into `grads`; returns the loss.

    Pass the same `grads` for several words to sum their losses (the article's
    minibatch `loss += cross_entropy(...)`).
    """
    W, V = P["W"], P["V"]
    G = grads if grads is not None else zero_grads(P)
    hs, codes = trace.hs, trace.codes
    o = V @ hs[-1] + (P["bo"] if "bo" in P else 0.0)          # (nclasses,)
    logp = log_softmax(o)
    do = np.exp(logp)                                          # d loss / d o = p - onehot(y)
    do[y] -= 1.0
    do *= weight
    G["V"] += np.outer(do, hs[-1])                             # (nclasses, nhidden)
    if "bo" in G:
        G["bo"] += do
    dh = V.T @ do                                              # (nhidden,): gradient reaching h_m
    for t in range(len(codes), 0, -1):
        dz = dh * (1.0 - hs[t] ** 2)                           # back through tanh
        G["W"] += np.outer(dz, hs[t - 1])                      # W met h_{t-1} at step t
        G["U"][:, codes[t - 1]] += dz                          # only column c_t of U was used
        if "bh" in G:
            G["bh"] += dz
        dh = W.T @ dz                                          # on to h_{t-1}
    return float(-logp[y])


def zero_grads(P: Params) -> Params:
    """A gradient dict of zeros shaped like `P`."""
    return {k: np.zeros_like(v) for k, v in P.items()}
