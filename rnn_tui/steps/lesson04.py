"""Lesson 4 (section 1.4), matrix transforms: the size of W alone, U picking a column,
h = W h + U x unrolled, and tanh keeping h in range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import rnn
from ..engine.vocab import Vocab
from .common import ARTICLE_VOCAB, article_params, clean_word
from .registry import step
from .results import facts, matrix, vector


@step
def matrix_sizes(vocab_size: int = 100_000, nhidden: int = 100, bytes_per: int = 4) -> dict[str, Any]:
    """Elements and memory of W applied to one-hots, against W plus U."""
    alone = vocab_size ** 2
    with_u = nhidden ** 2 + nhidden * vocab_size
    return {"facts": facts([("vocabulary", f"{vocab_size:,}"), ("W on one-hots", f"{alone:,} numbers"),
                            ("  in float32", f"{alone * bytes_per / 1e9:,.0f} GB"),
                            (f"W ({nhidden}x{nhidden}) plus U ({nhidden}x{vocab_size:,})", f"{with_u:,} numbers"),
                            ("  in float32", f"{with_u * bytes_per / 1e6:,.0f} MB")]),
            "w_gb": alone * bytes_per / 1e9, "with_u_mb": with_u * bytes_per / 1e6}


@step
def u_column(char: str, nhidden: int = 4, seed: int = 1, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """U times a one-hot is one column of U: the character's embedding."""
    v = Vocab(vocab)
    char = clean_word(char, v)[:1]
    U = article_params(nhidden, 3, seed, v)["U"]
    x = v.onehot(char)[:, 0]
    product = U @ x
    code = v.code(char)
    return {"U": matrix(U, [f"h{i}" for i in range(nhidden)], v.chars),
            "product": vector(product), "code": code,
            "facts": facts([("character", char), ("its code", code),
                            ("U @ onehot equals column", f"{code} of U: {np.allclose(product, U[:, code])}")])}


@step
def unroll_hidden(word: str, nhidden: int = 4, seed: int = 1, squash: bool = False,
                  vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h_t = W h_{t-1} + U x_t (tanh if squash) with W = I, one column per character."""
    v = Vocab(vocab)
    word = clean_word(word, v)
    P = article_params(nhidden, 3, seed, v)
    h, cols = np.zeros(nhidden), []
    for c in word:
        h = P["W"] @ h + P["U"][:, v.code(c)]
        if squash:
            h = np.tanh(h)
        cols.append(h)
    H = np.stack(cols, axis=1)
    plain = _unrolled_max(word, P, v, False)
    squashed = _unrolled_max(word, P, v, True)
    bounded = ("both" if plain <= 1 and squashed <= 1 else "with tanh" if squashed <= 1 < plain
               else "neither")
    return {"H": matrix(H, [f"h{i}" for i in range(nhidden)], word),
            "steps": len(word), "largest": float(np.abs(H).max()), "bounded": bounded,
            "facts": facts([("largest |h| without tanh", f"{plain:.3f}"),
                            ("largest |h| with tanh", f"{squashed:.3f}")])}


def _unrolled_max(word: str, P: rnn.Params, v: Vocab, squash: bool) -> float:
    """The largest |h| reached while reading word, with or without tanh."""
    h, biggest = np.zeros(P["W"].shape[0]), 0.0
    for c in word:
        h = P["W"] @ h + P["U"][:, v.code(c)]
        h = np.tanh(h) if squash else h
        biggest = max(biggest, float(np.abs(h).max()))
    return biggest
