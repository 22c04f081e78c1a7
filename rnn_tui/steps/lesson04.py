"""Lesson 4 (section 1.4), matrix transforms: the size of W alone, U picking a column,
h = W h + U x unrolled into one matrix W^(m-t) U per position, tanh making order count
even with W = I, and tanh keeping h in range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import rnn
from ..engine.vocab import Vocab
from .common import ARTICLE_VOCAB, StepInputError, article_params, clean_word
from .registry import step
from .results import facts, matrix, recurrence, table, vector


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
    char = clean_word(char, v)
    if len(char) != 1:
        raise StepInputError("type a single character of a c e h k t z")
    U = article_params(nhidden, 3, seed, v)["U"]
    x = v.onehot(char)[:, 0]
    product = U @ x
    code = v.code(char)
    return {"U": matrix(U, [f"h{i}" for i in range(nhidden)], v.chars, highlight=[code]),
            "product": vector(product), "code": code,
            "facts": facts([("character", char), ("its code", code),
                            ("U @ onehot equals column", f"{code} of U: {np.allclose(product, U[:, code])}")])}


@step
def unroll_hidden(word: str, nhidden: int = 4, seed: int = 1, squash: bool = False,
                  vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h_t = W h_{t-1} + U x_t (tanh if squash) with W = I, one column per character."""
    v = Vocab(vocab)
    word = clean_word(word, v, longest=24)
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


def _trained_like_w(nhidden: int, seed: int) -> np.ndarray:
    """A W that is not the identity: I plus a small random part, as training leaves it."""
    rng = np.random.default_rng(seed + 100)
    return np.eye(nhidden) + 0.4 * rng.standard_normal((nhidden, nhidden))


@step
def effective_matrices(word: str, nhidden: int = 4, seed: int = 1, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """Unroll h_t = W h_{t-1} + U x_t: character t of m is multiplied by the matrix W^(m-t) U.

    W is one constant matrix, yet each position meets a different power of it.
    The step checks that the sum over positions equals the loop's h_m, and that
    it stops being true once tanh is applied at every step.
    """
    v = Vocab(vocab)
    word = clean_word(word, v, longest=24)
    P = article_params(nhidden, 3, seed, v)
    W, U = _trained_like_w(nhidden, seed), P["U"]
    m = len(word)
    rows, total = [], np.zeros(nhidden)
    for t, ch in enumerate(word, 1):
        M = np.linalg.matrix_power(W, m - t) @ U          # (nhidden, nfeatures): what x_t is multiplied by
        part = M[:, v.code(ch)]                           # x_t one-hot picks one column of it
        total += part
        rows.append([t, ch, f"W^{m - t} U", *(f"{x:+.3f}" for x in part)])
    h_lin, h_tanh = np.zeros(nhidden), np.zeros(nhidden)
    for ch in word:
        h_lin = W @ h_lin + U[:, v.code(ch)]
        h_tanh = np.tanh(W @ h_tanh + U[:, v.code(ch)])
    gap_lin = float(np.abs(total - h_lin).max())
    gap_tanh = float(np.abs(np.tanh(total) - h_tanh).max())
    hidden = [f"h{i}" for i in range(nhidden)]
    return {"table": table(["t", "char", "matrix", *hidden], rows),
            "first_power": m - 1, "sum_matches": "yes" if gap_lin < 1e-9 else "no",
            "W": matrix(W, hidden, hidden),
            "facts": facts([("word", word), ("h_m from the loop (no tanh)", " ".join(f"{x:+.3f}" for x in h_lin)),
                            ("sum of the rows above", " ".join(f"{x:+.3f}" for x in total)),
                            ("largest difference", f"{gap_lin:.1e}"),
                            ("with tanh: loop against tanh(sum)", f"{gap_tanh:.3f}")])}


@step
def order_with_identity(word: str = "cat", compare: str = "act", nhidden: int = 4, seed: int = 1,
                        vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """With W = I, do two words get the same h, without tanh and with it?"""
    v = Vocab(vocab)
    word, other = clean_word(word, v, longest=24), clean_word(compare, v, longest=24)
    P = article_params(nhidden, 3, seed, v)
    gaps = {}
    for squash in (False, True):
        hs = []
        for w in (word, other):
            h = np.zeros(nhidden)
            for ch in w:
                h = P["W"] @ h + P["U"][:, v.code(ch)]
                h = np.tanh(h) if squash else h
            hs.append(h)
        gaps[squash] = float(np.abs(hs[0] - hs[1]).max())
    same = {k: g < 1e-12 for k, g in gaps.items()}
    verdict = ("both" if same[False] and same[True] else "only without tanh" if same[False]
               else "only with tanh" if same[True] else "neither")
    return {"same_h": verdict,
            "facts": facts([("words", f"{word} and {other}"), ("W", "the identity"),
                            ("largest |h difference|, no tanh", f"{gaps[False]:.3g}"),
                            ("largest |h difference|, tanh", f"{gaps[True]:.3g}"),
                            ("the same h", verdict)])}


@step
def recurrence_steps(word: str, nhidden: int = 4, seed: int = 1, init: str = "article",
                     vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h_t = tanh(W h_{t-1} + U x_t) for a typed word with every vector in it (W = I with the article's init).

    The question asks for the signs of h_1 before the panel shows it: with h_0 = 0, W h_0 vanishes, so
    h_1 = tanh(U x_1), and tanh keeps the sign of every number of the column x_1 selects.
    """
    v = Vocab(vocab)
    word = clean_word(word, v)
    P = rnn.init_params(len(v), nhidden, 3, init=init, seed=seed, dtype=np.float64)
    codes = v.encode(word)
    r = recurrence(word, codes, P["W"], P["U"])
    hidden = [f"h{i}" for i in range(nhidden)]
    return {"recurrence": r, "h": list(r.steps[-1].h), "steps": len(word), "h1": list(r.steps[0].h),
            "h1_signs": [int(np.sign(x)) for x in r.steps[0].h],
            "U": matrix(P["U"], hidden, v.chars, highlight=[codes[0]])}
