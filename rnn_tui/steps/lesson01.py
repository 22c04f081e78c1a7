"""Lesson 1 (section 1.1), words need vectors: class numbers, numbering words, and a trained RNN's h."""

from __future__ import annotations

from typing import Any

from .common import StepInputError, clean_word, read_typed, what_was_read
from .registry import step
from .results import facts, table, vector


@step
def label_encode(words: list[str], languages: list[str]) -> dict[str, Any]:
    """Targets as class numbers: each language gets an integer in order of first appearance."""
    classes = list(dict.fromkeys(languages))
    rows = [[w, lang, classes.index(lang)] for w, lang in zip(words, languages)]
    return {"table": table(["word", "language", "class"], rows),
            "words": table(["word", "language"], [[w, lang] for w, lang in zip(words, languages)]),
            "nclasses": len(classes), "class_of": {w: classes.index(lang) for w, lang in zip(words, languages)}}


@step
def integer_ids(words: list[str], word: str = "") -> dict[str, Any]:
    """Number the words alphabetically 0, 1, 2, ... and show the arithmetic those numbers invent.

    `word` is added to the list, so the numbering (and the word the numbers
    put "halfway" between two others) moves with what is typed.
    """
    seen = {w.strip().lower() for w in words if w.strip()}
    if word.strip():
        new = clean_word(word)
        if not new.isalpha():
            raise StepInputError("type a word made of letters only")
        seen.add(new[:40])
    ordered = sorted(seen)
    ids = {w: i for i, w in enumerate(ordered)}
    triple = _first_midpoint(ordered, ids)
    items: list[tuple[str, Any]] = [("words", len(ordered)), ("largest id", len(ordered) - 1)]
    if triple:
        a, b, c = triple
        items.append(("arithmetic a model would believe", f"{a} = ({b} + {c}) / 2"))
    # every word with a neighbour on each side sits halfway between them: each is a right answer
    halfway = ordered[1:-1] or ["none"]
    return {"table": table(["word", "id"], ids.items()), "ids": ids, "halfway": halfway,
            "words": ordered, "facts": facts(items)}


def _first_midpoint(words: list[str], ids: dict[str, int]) -> tuple[str, str, str] | None:
    """(a, b, c) with id(a) exactly halfway between id(b) and id(c), b and c as close as possible."""
    for gap in range(1, len(words)):
        for a in words:
            below, above = ids[a] - gap, ids[a] + gap
            if below >= 0 and above < len(words):
                return a, words[below], words[above]
    return None


@step
def word_vector(word: str, compare: str = "Papadopoulos") -> dict[str, Any]:
    """The pretrained RNN's fixed-length vector h for a word, beside a word of another length."""
    m, r = read_typed(word, "type a word with at least one letter")
    assert r.trace is not None                     # read_typed refuses a word with no usable letter
    other = m.read(compare)
    assert other.trace is not None                 # compare is a lesson's own fixed word
    h, h2 = r.trace.h, other.trace.h
    verdict = ("the same" if h.size == h2.size else
               f"{r.used}'s is shorter" if h.size < h2.size else f"{r.used}'s is longer")
    return {"h": vector(h), "length": int(h.size), "characters": len(r.used), "lengths_compare": verdict,
            "facts": facts([("word", r.used), *what_was_read(r), ("characters", len(r.used)),
                            ("numbers in h", int(h.size)),
                            (f"{other.used}: characters", len(other.used)),
                            (f"{other.used}: numbers in h", int(h2.size)),
                            ("smallest, largest in h", f"{h.min():+.3f}, {h.max():+.3f}")])}
