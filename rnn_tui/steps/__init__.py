"""What lessons can compute: named functions over the engine, called from lesson.toml.

A lesson step names one of these (`call = "sum_encoding"`) with arguments;
the function returns a dict of named results, and the step shows some of
them (`show = [{ visual = "table", field = "steps" }]`) and may check a
question against another (`answer = "total"`).  Functions are pure, fast
(well under a second) and raise StepInputError with a one-line message when
a user's typed input cannot be used.  Nothing here imports a UI toolkit.

Result conventions, so any visual can draw them:
- a table is {"columns": [...], "rows": [[...], ...]}
- a vector is a list of numbers, a matrix a list of lists
- facts are {"items": [[label, value], ...]}
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from ..engine.vocab import Vocab
from ..engine.vocab import sum_encoding as _sum
from ..engine.vocab import weighted_encoding as _weighted

ARTICLE_VOCAB = "acehktz"
STEPS: dict[str, Callable[..., dict[str, Any]]] = {}


class StepInputError(ValueError):
    """Typed input a step cannot use; the message says what to type instead."""


def step(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Register a function under its name for lessons to call."""
    STEPS[fn.__name__] = fn
    return fn


def remembered(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Keep the results of a slow, deterministic step (training runs) per set of arguments.

    Lessons show the same run over several steps; this way it is trained once.
    Results are shared, so callers must not change them (visuals only read).
    """
    import functools
    import json

    cache: dict[str, dict[str, Any]] = {}

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        key = json.dumps([args, kwargs], sort_keys=True, default=str)
        if key not in cache:
            cache[key] = fn(*args, **kwargs)
        return cache[key]

    return wrapper


def _clean_word(word: str, vocab: Vocab | None = None) -> str:
    word = word.strip().lower()
    if not word:
        raise StepInputError("type a word first (letters only)")
    if vocab is not None:
        unknown = "".join(dict.fromkeys(c for c in word if c not in vocab))
        if unknown:
            raise StepInputError(f"{unknown!r} is not in the vocabulary {vocab.chars}; "
                                 f"use words made of these letters, such as 'hat' or 'tack'")
    return word


# ----------------------------------------------------------------------------
# section 1.1: words need vectors

@step
def label_encode(words: list[str], languages: list[str]) -> dict[str, Any]:
    """Targets as class numbers: each language gets an integer in order of first appearance."""
    classes = list(dict.fromkeys(languages))
    rows = [[w, lang, classes.index(lang)] for w, lang in zip(words, languages)]
    return {"table": {"columns": ["word", "language", "class"], "rows": rows},
            "nclasses": len(classes), "class_of": {w: classes.index(lang) for w, lang in zip(words, languages)}}


@step
def integer_ids(words: list[str], word: str = "") -> dict[str, Any]:
    """Number the words 0, 1, 2, ... and show the arithmetic those numbers invent."""
    seen = list(dict.fromkeys(w.strip().lower() for w in words if w.strip()))
    if word.strip():
        new = _clean_word(word)
        if new not in seen:
            seen.append(new)
    ids = {w: i for i, w in enumerate(seen)}
    rows = [[w, i] for w, i in ids.items()]
    triple = _first_midpoint(seen, ids)
    facts = [["words", len(seen)], ["largest id", len(seen) - 1]]
    if triple:
        a, b, c = triple
        facts.append(["arithmetic a model would believe", f"{a} = ({b} + {c}) / 2"])
    halfway = triple[0] if triple else ""
    return {"table": {"columns": ["word", "id"], "rows": rows}, "ids": ids, "halfway": halfway,
            "words": seen, "facts": {"items": facts}}


def _first_midpoint(words: list[str], ids: dict[str, int]) -> tuple[str, str, str] | None:
    """(a, b, c) with id(a) exactly halfway between id(b) and id(c), if the words allow one."""
    for a in words:
        for b in words:
            for c in words:
                if ids[b] < ids[a] < ids[c] and 2 * ids[a] == ids[b] + ids[c]:
                    return a, b, c
    return None


@lru_cache(maxsize=1)
def _pretrained():
    from ..model import load
    from ..resources import pretrained_model

    return load(pretrained_model())


@step
def word_vector(word: str) -> dict[str, Any]:
    """The pretrained RNN's fixed-length vector h for any word: the goal of the whole article."""
    m = _pretrained()
    r = m.read(word)
    if r.trace is None:
        raise StepInputError("type a word with at least one letter")
    h = r.trace.h
    return {"h": [round(float(v), 3) for v in h], "length": int(h.size), "characters": len(r.used),
            "facts": {"items": [["word", r.used], ["characters", len(r.used)], ["numbers in h", int(h.size)],
                                ["smallest, largest", f"{h.min():+.3f}, {h.max():+.3f}"]]}}


# ----------------------------------------------------------------------------
# section 1.2: integer codes, the sum and the order-aware h = 2h + x

@step
def vocabulary(words: list[str]) -> dict[str, Any]:
    """The sorted characters of some words, each numbered from 0."""
    v = Vocab.from_words(w.lower() for w in words)
    return {"chars": v.chars, "size": len(v), "codes": {c: i for i, c in enumerate(v.chars)},
            "table": {"columns": ["character", *v.chars], "rows": [["code", *range(len(v))]]}}


@step
def encode_words(words: list[str], vocab: str = ARTICLE_VOCAB, word: str = "") -> dict[str, Any]:
    """Each word as its list of character codes: one number per character, so lengths differ."""
    v = Vocab(vocab)
    todo = [_clean_word(w, v) for w in words]
    if word.strip():
        todo.append(_clean_word(word, v))
    codes = {w: [int(c) for c in v.encode(w)] for w in todo}
    width = max(len(w) for w in todo)
    rows = [[w, *codes[w], *[""] * (width - len(w)), len(w)] for w in todo]
    return {"table": {"columns": ["word", *[f"x{t}" for t in range(1, width + 1)], "length"], "rows": rows},
            "codes": codes, "lengths": {w: len(w) for w in todo}}


def _running_table(word: str, v: Vocab, values: list[int], weights: list[int] | None) -> dict:
    codes = [int(c) for c in v.encode(word)]
    columns = ["t", "char", "x_t"] + (["weight in the end"] if weights else []) + ["h_t"]
    rows = [[t + 1, ch, x] + ([weights[t]] if weights else []) + [h]
            for t, (ch, x, h) in enumerate(zip(word, codes, values))]
    return {"columns": columns, "rows": rows}


@step
def sum_encoding(word: str, vocab: str = ARTICLE_VOCAB, compare: str = "") -> dict[str, Any]:
    """h = h + x_t, character by character; `compare`'s total is shown beside it."""
    v = Vocab(vocab)
    word = _clean_word(word, v)
    values = _sum(v.encode(word))
    out = {"steps": _running_table(word, v, values, None), "total": values[-1], "values": values}
    if compare:
        other = _clean_word(compare, v)
        total = _sum(v.encode(other))[-1]
        same = "the same number: the sum cannot tell them apart" if total == values[-1] else "different numbers"
        out["facts"] = {"items": [[word, values[-1]], [other, total], ["verdict", same]]}
        out["compare_total"] = total
    return out


@step
def weighted_encoding(word: str, vocab: str = ARTICLE_VOCAB, scale: int = 2, compare: str = "") -> dict[str, Any]:
    """h = scale*h + x_t: character t ends up multiplied by scale**(m - t)."""
    v = Vocab(vocab)
    word = _clean_word(word, v)
    values = _weighted(v.encode(word), scale)
    m = len(word)
    weights = [scale ** (m - t) for t in range(1, m + 1)]
    out = {"steps": _running_table(word, v, values, weights), "total": values[-1], "weights": weights,
           "values": values}
    if compare:
        other = _clean_word(compare, v)
        total = _weighted(v.encode(other), scale)[-1]
        out["facts"] = {"items": [[word, values[-1]], [other, total],
                                  ["verdict", "different numbers: order now matters" if total != values[-1]
                                   else "still the same number"]]}
        out["compare_total"] = total
    return out


@step
def compare_encodings(words: list[str], vocab: str = ARTICLE_VOCAB, scale: int = 2) -> dict[str, Any]:
    """Both encodings for several words, and which one gives every word its own number."""
    v = Vocab(vocab)
    words = [_clean_word(w, v) for w in words]
    sums = {w: _sum(v.encode(w))[-1] for w in words}
    weighted = {w: _weighted(v.encode(w), scale)[-1] for w in words}
    distinct = {"sum": len(set(sums.values())) == len(words),
                "weighted": len(set(weighted.values())) == len(words)}
    winners = [name for name, ok in distinct.items() if ok]
    return {"table": {"columns": ["word", "h = h + x", f"h = {scale}h + x"],
                      "rows": [[w, sums[w], weighted[w]] for w in words]},
            "sums": sums, "weighted": weighted, "distinct": distinct,
            "tells_apart": winners[0] if len(winners) == 1 else "both" if winners else "neither"}


def run(call: str, args: dict[str, Any]) -> dict[str, Any]:
    """Call a registered step by name."""
    if call not in STEPS:
        raise KeyError(f"no step function named {call!r}")
    return STEPS[call](**args)


def resolve(result: dict[str, Any], path: str) -> Any:
    """A value inside a result by dotted path: 'codes.k', 'values.2', 'table.rows'."""
    value: Any = result
    for part in path.split("."):
        if isinstance(value, dict):
            if part not in value:
                raise KeyError(f"no field {part!r} in {path!r}")
            value = value[part]
        elif isinstance(value, (list, tuple, np.ndarray)):
            try:
                value = value[int(part)]
            except (ValueError, IndexError):
                raise KeyError(f"no index {part!r} in {path!r}") from None
        else:
            raise KeyError(f"{path!r} goes past a plain value at {part!r}")
    return value


# the course's later lessons register their steps from their own module
from . import beyond, course  # noqa: E402,F401
