"""Lesson 1 (section 1.1), words need vectors: class numbers, numbering words, and a trained RNN's h."""

from __future__ import annotations

from typing import Any

from .common import StepInputError, clean_word, pretrained
from .registry import step
from .results import facts, table, vector


@step
def label_encode(words: list[str], languages: list[str]) -> dict[str, Any]:
    """Targets as class numbers: each language gets an integer in order of first appearance."""
    classes = list(dict.fromkeys(languages))
    rows = [[w, lang, classes.index(lang)] for w, lang in zip(words, languages)]
    return {"table": table(["word", "language", "class"], rows),
            "nclasses": len(classes), "class_of": {w: classes.index(lang) for w, lang in zip(words, languages)}}


@step
def integer_ids(words: list[str], word: str = "") -> dict[str, Any]:
    """Number the words 0, 1, 2, ... and show the arithmetic those numbers invent."""
    seen = list(dict.fromkeys(w.strip().lower() for w in words if w.strip()))
    if word.strip():
        new = clean_word(word)
        if new not in seen:
            seen.append(new)
    ids = {w: i for i, w in enumerate(seen)}
    triple = _first_midpoint(seen, ids)
    items: list[tuple[str, Any]] = [("words", len(seen)), ("largest id", len(seen) - 1)]
    if triple:
        a, b, c = triple
        items.append(("arithmetic a model would believe", f"{a} = ({b} + {c}) / 2"))
    halfway = triple[0] if triple else ""
    return {"table": table(["word", "id"], ids.items()), "ids": ids, "halfway": halfway,
            "words": seen, "facts": facts(items)}


def _first_midpoint(words: list[str], ids: dict[str, int]) -> tuple[str, str, str] | None:
    """(a, b, c) with id(a) exactly halfway between id(b) and id(c), if the words allow one."""
    for a in words:
        for b in words:
            for c in words:
                if ids[b] < ids[a] < ids[c] and 2 * ids[a] == ids[b] + ids[c]:
                    return a, b, c
    return None


@step
def word_vector(word: str) -> dict[str, Any]:
    """The pretrained RNN's fixed-length vector h for any word: the goal of the whole article."""
    m = pretrained()
    r = m.read(word)
    if r.trace is None:
        raise StepInputError("type a word with at least one letter")
    h = r.trace.h
    return {"h": vector(h), "length": int(h.size), "characters": len(r.used),
            "facts": facts([("word", r.used), ("characters", len(r.used)), ("numbers in h", int(h.size)),
                            ("smallest, largest", f"{h.min():+.3f}, {h.max():+.3f}")])}
