"""Small data sets and gradient helpers shared by the engine tests."""

from __future__ import annotations

import numpy as np

from rnn_tui.engine import rnn
from rnn_tui.engine.train import Dataset, Split
from rnn_tui.engine.vocab import Vocab, pad_batch

CATS = [("cat", 0), ("chat", 1), ("katze", 2), ("kat", 3)]
CAT_VOCAB = Vocab("acehktz")


def mixed_batch(nfeatures: int = 7, seed: int = 3, sizes=(1, 4, 2, 6, 3)):
    """Random words of mixed lengths as code arrays, with random labels."""
    rng = np.random.default_rng(seed)
    seqs = [rng.integers(0, nfeatures, n) for n in sizes]
    return seqs, rng.integers(0, 3, len(sizes))


def params64(bias: bool, seed: int = 0, nfeatures: int = 7, nhidden: int = 5, nclasses: int = 3):
    """Small float64 parameters, with non-zero biases when asked."""
    P = rnn.init_params(nfeatures, nhidden, nclasses, bias=bias, seed=seed, dtype=np.float64)
    P["W"] *= 3.0                       # bigger weights: tanh is not near-linear, so BPTT is really tested
    if bias:
        rng = np.random.default_rng(seed + 100)
        P["bh"] = rng.normal(0, 0.5, P["bh"].shape)
        P["bo"] = rng.normal(0, 0.5, P["bo"].shape)
    return P


def numeric_grads(loss_fn, P, eps: float = 1e-6):
    """Central finite differences of loss_fn() with respect to every entry of P."""
    G = {}
    for k, A in P.items():
        g = np.zeros_like(A)
        it = np.nditer(A, flags=["multi_index"])
        for _ in it:
            i = it.multi_index
            old = A[i]
            A[i] = old + eps
            up = loss_fn()
            A[i] = old - eps
            down = loss_fn()
            A[i] = old
            g[i] = (up - down) / (2 * eps)
        G[k] = g
    return G


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| relative to the larger of the two magnitudes (1e-12 floor)."""
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-12))


def assert_matches_autograd(torch_loss, loss: float, G: dict, T: dict, tol: float) -> None:
    """Back-propagate torch's loss and check the engine's loss and every gradient against it."""
    import pytest

    torch_loss.backward()
    assert torch_loss.item() == pytest.approx(loss, rel=1e-12)
    for k in G:
        assert rel_error(G[k], T[k].grad.numpy()) <= tol, k


def padded(seqs, nfeatures: int = 7, side: str = "left", length=None):
    """The padded code matrix of seqs (padding code = nfeatures)."""
    return pad_batch(seqs, pad=nfeatures, side=side, length=length)


def cats_dataset() -> Dataset:
    """The article's four words, used both to train and to validate."""
    split = Split([CAT_VOCAB.encode(w) for w, _ in CATS], np.array([c for _, c in CATS]),
                  [w for w, _ in CATS])
    return Dataset(split, split, len(CAT_VOCAB), ("English", "French", "German", "Afrikaans"))


def toy_names(n_per_class: int = 60, seed: int = 0) -> Dataset:
    """Three made-up 'languages' told apart by their endings; enough to learn in seconds."""
    rng = np.random.default_rng(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    endings = ["ov", "son", "ini"]
    names, labels = [], []
    for c, end in enumerate(endings):
        for _ in range(n_per_class):
            stem = "".join(rng.choice(list(letters), rng.integers(2, 7)))
            names.append(stem + end)
            labels.append(c)
    vocab = Vocab.from_words(names)
    order = rng.permutation(len(names))
    cut = int(0.8 * len(names))
    def split(idx):
        return Split([vocab.encode(names[i]) for i in idx], np.array([labels[i] for i in idx]),
                     [names[i] for i in idx])
    return Dataset(split(order[:cut]), split(order[cut:]), len(vocab), ("ov", "son", "ini"))
