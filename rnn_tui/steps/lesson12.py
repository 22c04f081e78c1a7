"""Lesson 12, BPTT made visible: how much gradient reaches each character of a name, measured
against its true language, and the NumPy engine's gradients against torch autograd.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..engine import batched
from ..engine.vocab import pad_batch
from .common import StepInputError, bptt, read_typed, what_was_read
from .registry import step
from .results import facts, table, vector


@functools.lru_cache(maxsize=1)
def _corpus_labels() -> dict[str, list[str]]:
    """Lower-cased name -> the languages the shipped corpus lists it under."""
    from .. import data

    corpus = data.load("names")
    labels: dict[str, list[str]] = {}
    for name, lang in zip(corpus.names, corpus.languages):
        if lang not in labels.setdefault(name.lower(), []):
            labels[name.lower()].append(lang)
    return labels


def _name_and_label(typed: str) -> tuple[str, str]:
    """'Papadopoulos' (looked up in the corpus) or 'Smith English' -> (name, language)."""
    from .common import pretrained

    parts = typed.split()
    if not parts:
        raise StepInputError("type a family name, optionally followed by its language, e.g. 'Smith English'")
    languages = {lang.lower(): lang for lang in pretrained().languages}
    if len(parts) > 1 and parts[-1].lower() in languages:
        return " ".join(parts[:-1])[:64], languages[parts[-1].lower()]
    if len(parts) > 1 and parts[-1].isalpha() and parts[-1][:1].isupper():
        known = ", ".join(sorted(languages.values()))
        raise StepInputError(f"the model does not know {parts[-1]!r}; use one of: {known}"
                             if parts[-1].isprintable() else "use one of the model's languages")
    name = " ".join(parts)[:64]
    shown = name if len(name) <= 24 else name[:24] + "…"
    listed = [lang for lang in _corpus_labels().get(name.lower(), []) if lang in pretrained().languages]
    if len(listed) > 1 and name.isprintable():
        raise StepInputError(f"{shown!r} is listed under {' and '.join(listed)}: type the one you mean after it")
    label = listed[0] if listed else None
    if label is None:
        raise StepInputError(f"{shown!r} is not in the corpus: type its language after it, e.g. '{shown} English'"
                             if name.isprintable() else "type a family name and its language, e.g. 'Smith English'")
    return name, label


@step
def bptt_trace(word: str) -> dict[str, Any]:
    """How much gradient reaches each step of one name, against its true language; NumPy against autograd."""
    name, language = _name_and_label(word)
    m, r = read_typed(name)
    used = r.used
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    codes = m.vocab.encode(used)
    y = m.languages.index(language)
    _, norms = bptt(P, codes, y, None)
    X = pad_batch([codes], pad=len(m.vocab))
    _, G, _ = batched.loss_and_grads(P, X, np.array([y]))
    agree, rel = _autograd_agreement(P, X, y, G)
    rows = [[t + 1, ch, f"{n:.3g}"] for t, (ch, n) in enumerate(zip(used, norms))]
    ratio = norms[0] / max(norms[-1], 1e-300)
    return {"table": table(["t", "char", "|dL/dh_t|"], rows),
            "norms": vector(norms, 4), "agree": agree, "strongest": int(np.argmax(norms)) + 1,
            "first_vs_last": "weaker" if ratio < 1 else "stronger",
            "label": facts([("name", used), *what_was_read(r), ("true language", language),
                            ("the model's probability for it", f"{np.exp(-_loss(P, codes, y)):.1%}")]),
            "ratio": facts([("|dL/dh_1| / |dL/dh_m|", f"{ratio:.3g}"),
                            ("the largest at t", int(np.argmax(norms)) + 1)]),
            "facts": facts([("name", used), ("largest relative difference, NumPy vs autograd", rel)])}


def _loss(P: dict[str, np.ndarray], codes: np.ndarray, y: int) -> float:
    from ..engine import rnn

    return rnn.loss(P, codes, y)


def _autograd_agreement(P: dict[str, np.ndarray], X: np.ndarray, y: int,
                        G: dict[str, np.ndarray]) -> tuple[str, str]:
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
