"""Lesson 3 (section 1.3), one-hot vectors: columns with a single 1, bags of characters,
and h = W h + x with W the identity.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.vocab import Vocab, bag_of_chars
from .common import ARTICLE_VOCAB, clean_word
from .registry import step
from .results import facts, matrix, table


@step
def onehot_columns(word: str, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """A word as one-hot columns: column t has a single 1, in the row of character t."""
    v = Vocab(vocab)
    word = clean_word(word, v, longest=24)
    x = v.onehot(word)
    return {"matrix": matrix(x, v.chars, word, 0),
            "column": {c: [int(b) for b in v.onehot(c)[:, 0]] for c in v.chars},
            "last": [int(b) for b in x[:, -1]], "size": len(v)}


@step
def bag_steps(word: str, scale: int = 1, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h = scale*h + x_t over one-hot columns, every step a row."""
    v = Vocab(vocab)
    word = clean_word(word, v, longest=24)
    steps = bag_of_chars(v.onehot(word), scale)
    rows = [[t + 1, ch, *[int(n) for n in steps[:, t]]] for t, ch in enumerate(word)]
    return {"table": table(["t", "char", *v.chars], rows), "h": [int(n) for n in steps[:, -1]]}


@step
def identity_recurrence(word: str, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h = W h + x_t with W the identity, compared with the two bags."""
    v = Vocab(vocab)
    word = clean_word(word, v, longest=24)
    W = np.eye(len(v))
    h = np.zeros(len(v))
    for t in range(len(word)):
        h = W @ h + v.onehot(word)[:, t]
    bag, weighted = bag_of_chars(v.onehot(word), 1)[:, -1], bag_of_chars(v.onehot(word), 2)[:, -1]
    same = ("the bag of characters" if np.array_equal(h, bag) else
            "the weighted bag" if np.array_equal(h, weighted) else "neither")
    return {"W": matrix(W, v.chars, v.chars, 0), "h": [int(n) for n in h],
            "facts": facts([("h = W h + x", [int(n) for n in h]), ("bag of characters", [int(n) for n in bag]),
                            ("weighted bag", [int(n) for n in weighted]), ("W = I gives", same)]),
            "same_as": same}
