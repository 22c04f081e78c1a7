"""Lesson 2 (section 1.2), words as integers: character codes, the order-blind sum h = h + x
and the order-aware h = 2h + x.
"""

from __future__ import annotations

from typing import Any

from ..engine.vocab import Vocab, sum_encoding, weighted_encoding
from .common import ARTICLE_VOCAB, clean_word
from .registry import step
from .results import Table, facts, table, text


@step
def vocabulary(words: list[str]) -> dict[str, Any]:
    """The sorted characters of some words, each numbered from 0."""
    v = Vocab.from_words(w.lower() for w in words)
    return {"chars": v.chars, "size": len(v), "codes": {c: i for i, c in enumerate(v.chars)},
            "letters": text("   ".join(v.chars)),
            "table": table(["character", *v.chars], [["code", *range(len(v))]])}


@step
def encode_words(words: list[str], vocab: str = ARTICLE_VOCAB, word: str = "") -> dict[str, Any]:
    """Each word as its list of character codes: one number per character, so lengths differ.

    `word` (typed) joins the table, and `typed_codes` holds its codes.
    """
    v = Vocab(vocab)
    todo = [clean_word(w, v) for w in words]
    typed = clean_word(word, v, longest=24) if word.strip() else ""
    if typed and typed not in todo:
        todo.append(typed)
    codes = {w: [int(c) for c in v.encode(w)] for w in todo}
    width = max(len(w) for w in todo)
    rows = [[w, *codes[w], *[""] * (width - len(w)), len(w)] for w in todo]
    return {"table": table(["word", *[f"x{t}" for t in range(1, width + 1)], "length"], rows),
            "codes": codes, "lengths": {w: len(w) for w in todo},
            "typed_codes": codes[typed] if typed else []}


def _codes(v: Vocab, word: str) -> list[int]:
    """The word's character codes as plain ints."""
    return [int(c) for c in v.encode(word)]


def _running_table(word: str, v: Vocab, values: list[int], weights: list[int] | None) -> Table:
    """One row per character: t, the character, its code, (its final weight,) and h_t."""
    codes = [int(c) for c in v.encode(word)]
    columns = ["t", "char", "x_t"] + (["weight in the end"] if weights else []) + ["h_t"]
    rows = [[t + 1, ch, x] + ([weights[t]] if weights else []) + [h]
            for t, (ch, x, h) in enumerate(zip(word, codes, values))]
    return table(columns, rows)


@step
def running_sum(word: str, vocab: str = ARTICLE_VOCAB, compare: str | None = None) -> dict[str, Any]:
    """h = h + x_t, character by character; `compare`'s total is shown beside it."""
    v = Vocab(vocab)
    word = clean_word(word, v, longest=24)
    values = sum_encoding(_codes(v, word))
    out: dict[str, Any] = {"steps": _running_table(word, v, values, None), "total": values[-1], "values": values}
    if compare is not None:                      # an emptied text box is an input error, not a missing field
        other = clean_word(compare, v, longest=24)
        total = sum_encoding(_codes(v, other))[-1]
        same = "the same number: the sum cannot tell them apart" if total == values[-1] else "different numbers"
        out["facts"] = facts([(word, values[-1]), (other, total), ("verdict", same)])
        out["compare_total"] = total
    return out


@step
def running_weighted_sum(word: str, vocab: str = ARTICLE_VOCAB, scale: int = 2,
                         compare: str | None = None) -> dict[str, Any]:
    """h = scale*h + x_t: character t ends up multiplied by scale**(m - t)."""
    v = Vocab(vocab)
    word = clean_word(word, v, longest=24)
    values = weighted_encoding(_codes(v, word), scale)
    m = len(word)
    weights = [scale ** (m - t) for t in range(1, m + 1)]
    out: dict[str, Any] = {"steps": _running_table(word, v, values, weights), "total": values[-1],
                           "weights": weights, "values": values}
    if compare is not None:                      # an emptied text box is an input error, not a missing field
        other = clean_word(compare, v, longest=24)
        total = weighted_encoding(_codes(v, other), scale)[-1]
        out["facts"] = facts([(word, values[-1]), (other, total),
                              ("verdict", "different numbers: order now matters" if total != values[-1]
                               else "still the same number")])
        out["compare_total"] = total
    return out


@step
def compare_encodings(words: list[str], vocab: str = ARTICLE_VOCAB, scale: int = 2) -> dict[str, Any]:
    """Both encodings for several words, and which one gives every word its own number."""
    v = Vocab(vocab)
    words = [clean_word(w, v) for w in words]
    sums = {w: sum_encoding(_codes(v, w))[-1] for w in words}
    weighted = {w: weighted_encoding(_codes(v, w), scale)[-1] for w in words}
    distinct = {"sum": len(set(sums.values())) == len(words),
                "weighted": len(set(weighted.values())) == len(words)}
    winners = [name for name, ok in distinct.items() if ok]
    return {"table": table(["word", "h = h + x", f"h = {scale}h + x"], [[w, sums[w], weighted[w]] for w in words]),
            "sums": sums, "weighted": weighted, "distinct": distinct,
            "tells_apart": winners[0] if len(winners) == 1 else "both" if winners else "neither"}
