"""Lesson 8 (section 2.2.2), padding on the left: the batch as a rectangle, and which padding
leaves h unchanged, with and without a bias.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import batched, rnn
from ..engine.vocab import Vocab, pad_batch
from .common import ARTICLE_VOCAB, CATS4, StepInputError, article_params, clean_word, words_dataset
from .registry import step
from .results import table


@step
def padding_grid(side: str = "left") -> dict[str, Any]:
    """The 3-D batch tensor seen from above: word by position, '·' for a zero vector."""
    ds, vocab = words_dataset(CATS4)
    X = pad_batch(ds.train.seqs, pad=len(vocab), side=side)
    rows = [[w, *[vocab.chars[c] if c < len(vocab) else "·" for c in X[i]]] for i, w in enumerate(ds.train.names)]
    return {"table": table(["word", *[f"t{j + 1}" for j in range(X.shape[1])]], rows),
            "shape": [X.shape[0], X.shape[1], len(vocab)]}


@step
def padding_effect(word: str = "cat", length: int = 5, nhidden: int = 4, seed: int = 2,
                   tolerance: float = 1e-12, with_bias_rows: bool = True) -> dict[str, Any]:
    """h for a word alone, left padded, and right padded, with and without a bias.

    `with_bias_rows=False` leaves the bias rows out of the table (the answers are still computed),
    so the step that asks about padding without a bias does not show the next step's answer.

    "Unchanged" means equal to within `tolerance`: the batched and the
    per-word code add the same numbers in a different order, so float64
    rounding (about 1e-16) is all that may differ.
    """
    v = Vocab(ARTICLE_VOCAB)
    word = clean_word(word, v)
    if len(word) > length:
        raise StepInputError(f"use a word of at most {length} letters")
    rows, exact = [], {}
    for bias in (False, True):
        P: rnn.Params = article_params(nhidden, 3, seed, v, bias=bias)
        if bias:
            P["bh"] = np.full(nhidden, 0.5)
        alone = rnn.forward(P, v.encode(word)).h
        for side, mask in (("left", False), ("right", False), ("left", True)):
            X = pad_batch([v.encode(word)], pad=len(v), side=side, length=length)
            h = batched.forward(P, X, mask=mask).H[-1][0]
            diff = float(np.abs(h - alone).max())
            label = f"{side} padding" + (", masked" if mask else "")
            if with_bias_rows or not bias:
                rows.append(["with bias" if bias else "no bias", f"{side}, masked" if mask else side, f"{diff:.2e}",
                             "yes" if diff <= tolerance else "no"])
            exact[(bias, label)] = diff <= tolerance
    return {"table": table(["model", "padding", "max |Δh|", "same h"], rows),
            "neutral_without_bias": _neutral([s for s in ("left", "right") if exact[(False, f"{s} padding")]]),
            "fix_with_bias": "masking" if exact[(True, "left padding, masked")] and not exact[(True, "left padding")]
            else "nothing needed"}


def _neutral(sides: list[str]) -> str | list[str]:
    """The right answers to "which padding leaves h unchanged?" given the sides that do.

    When both do (a word that fills every step has no padding), "both" is the
    full answer, and "left" or "right" alone is true as well, so all three count.
    """
    if len(sides) == 2:
        return ["both", *sides]
    return sides[0] if sides else "neither"
