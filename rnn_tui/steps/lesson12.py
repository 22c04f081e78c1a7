"""Lesson 12, BPTT made visible: how much gradient reaches each character, and the NumPy
engine's gradients against torch autograd.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import batched, rnn
from ..engine.vocab import pad_batch
from .common import bptt, known_letters
from .registry import step
from .results import facts, table, vector


@step
def bptt_trace(word: str) -> dict[str, Any]:
    """How much gradient reaches each step of one word, and NumPy against torch autograd."""
    m, used = known_letters(word)
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    codes = m.vocab.encode(used)
    y = int(np.argmax(rnn.forward(P, codes).final_probs))
    _, norms = bptt(P, codes, y, None)
    X = pad_batch([codes], pad=len(m.vocab))
    _, G, _ = batched.loss_and_grads(P, X, np.array([y]))
    agree, rel = _autograd_agreement(P, X, y, G)
    rows = [[t + 1, ch, f"{n:.4f}"] for t, (ch, n) in enumerate(zip(used, norms))]
    return {"table": table(["t", "char", "|dL/dh_t|"], rows),
            "norms": vector(norms, 4), "agree": agree,
            "facts": facts([("largest relative difference, NumPy vs autograd", rel)])}


def _autograd_agreement(P: rnn.Params, X: np.ndarray, y: int, G: rnn.Params) -> tuple[str, str]:
    """Whether torch autograd's gradients match G (and the largest relative difference)."""
    try:
        import torch

        from ..engine import torch_rnn
    except ImportError:
        return "torch is not installed", "-"
    T = torch_rnn.to_tensors(P)
    torch_rnn.batch_loss(T, torch.as_tensor(X), torch.as_tensor([y])).backward()
    rel = 0.0
    for k in G:
        grad = T[k].grad
        theirs = grad.numpy() if grad is not None else np.zeros_like(G[k])
        rel = max(rel, float(np.abs(G[k] - theirs).max() / max(np.abs(G[k]).max(), 1e-12)))
    return ("yes" if rel < 1e-6 else "no"), f"{rel:.1e}"
