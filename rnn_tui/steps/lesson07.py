"""Lesson 7 (section 2.2), vectorising the batch: B_t holds every word's one-hot at time step t,
H one h per word, o = V H one column of scores per word, the same as running each word alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import batched, rnn
from ..engine.vocab import pad_batch
from .common import CATS4, StepInputError, words_dataset
from .registry import step
from .results import facts, matrix, table


@step
def batch_at_step(t: str = "3", side: str = "left") -> dict[str, Any]:
    """B_t: the one-hot columns of every word of the batch at time step t (left padded)."""
    ds, vocab = words_dataset(CATS4)
    X = pad_batch(ds.train.seqs, pad=len(vocab), side=side)
    typed = str(t).strip()
    if not typed.isdigit() or not 1 <= int(typed) <= X.shape[1]:
        raise StepInputError(f"type a time step, a whole number from 1 to {X.shape[1]}")
    t_int = int(typed)
    B = np.zeros((len(vocab), X.shape[0]))
    for j, code in enumerate(X[:, t_int - 1]):
        if code < len(vocab):
            B[code, j] = 1
    words = ds.train.names
    padded = ", ".join(w for w, c in zip(words, X[:, t_int - 1]) if c == len(vocab)) or "none"
    return {"B": matrix(B, vocab.chars, words, 0), "shape": list(B.shape),
            "real": int(B.sum()),
            "facts": facts([("B_t", f"{B.shape[0]} x {B.shape[1]} (nfeatures x batch)"),
                            ("H", f"nhidden x {B.shape[1]}"), ("zero columns (padding)", padded)])}


@step
def batch_forward(batch: int = 1, batch_size: int = 2, nhidden: int = 4, seed: int = 0) -> dict[str, Any]:
    """One batch of the four words, vectorised: the last step H_m = tanh(W H_{m-1} + U B_m), and
    o = V H_m, against each word run alone.

    W is not the identity here (as after training), so that W H differs from H.
    """
    ds, vocab = words_dataset(CATS4)
    P = rnn.init_params(len(vocab), nhidden, len(ds.classes), init="default", seed=seed, dtype=np.float64)
    start = (batch - 1) * batch_size
    words, seqs = ds.train.names[start:start + batch_size], ds.train.seqs[start:start + batch_size]
    if not words:
        raise StepInputError(f"there are only {len(ds.train) // batch_size} batches")
    X = pad_batch(seqs, pad=len(vocab))
    tr = batched.forward(P, X)
    H = tr.H[-1].T                                          # (nhidden, batch): one column per word
    H_prev = tr.H[-2].T                                     # the step before the last
    o = P["V"] @ H                                          # (nclasses, batch)
    alone = np.stack([P["V"] @ rnn.forward(P, s).h for s in seqs], axis=1)
    gap = float(np.abs(o - alone).max())
    hidden = [f"h{i}" for i in range(nhidden)]
    rows = [[w, f"{float(np.abs(o[:, j] - alone[:, j]).max()):.1e}"] for j, w in enumerate(words)]
    return {"H": matrix(H, hidden, words), "H_prev": matrix(H_prev, hidden, words),
            "WH": matrix(P["W"] @ H_prev, hidden, words),
            "o": matrix(o, ds.classes, words), "o_shape": list(o.shape),
            "same": "yes" if gap < 1e-12 else "no",
            "alone": table(["word", "largest |o - V h(word alone)|"], rows),
            "facts": facts([("H", f"{H.shape[0]} x {H.shape[1]} (nhidden x batch)"),
                            ("o = V H", f"{o.shape[0]} x {o.shape[1]} (nclasses x batch)"),
                            ("the same as each word alone", "yes" if gap < 1e-12 else "no")])}
