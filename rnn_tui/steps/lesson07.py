"""Lesson 7 (section 2.2), vectorising the batch: B_t holds every word's one-hot at time step t."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.vocab import pad_batch
from .common import CATS4, StepInputError, words_dataset
from .registry import step
from .results import facts, matrix


@step
def batch_at_step(t: str = "3", side: str = "left") -> dict[str, Any]:
    """B_t: the one-hot columns of every word of the batch at time step t (left padded)."""
    ds, vocab = words_dataset(CATS4)
    try:
        t_int = int(str(t).strip())
    except ValueError:
        raise StepInputError(f"type a time step, a whole number from 1 to 5, not {t!r}") from None
    X = pad_batch(ds.train.seqs, pad=len(vocab), side=side)
    if not 1 <= t_int <= X.shape[1]:
        raise StepInputError(f"time steps run from 1 to {X.shape[1]}")
    B = np.zeros((len(vocab), X.shape[0]))
    for j, code in enumerate(X[:, t_int - 1]):
        if code < len(vocab):
            B[code, j] = 1
    words = ds.train.names
    padded = ", ".join(w for w, c in zip(words, X[:, t_int - 1]) if c == len(vocab)) or "none"
    return {"B": matrix(B, vocab.chars, words, 0), "shape": list(B.shape),
            "facts": facts([("B_t", f"{B.shape[0]} x {B.shape[1]} (nfeatures x batch)"),
                            ("H", f"nhidden x {B.shape[1]}"), ("padding at this step", padded)])}
