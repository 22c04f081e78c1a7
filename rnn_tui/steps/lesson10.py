"""Lesson 10, classify your name: the pretrained model's guess after every prefix, and its h."""

from __future__ import annotations

from typing import Any

import numpy as np

from .common import StepInputError, pretrained
from .registry import step
from .results import facts, recurrence, table, vector


@step
def read_name(name: str) -> dict[str, Any]:
    """The pretrained model reads a name: its guess after every prefix, and where the guess settles."""
    m = pretrained()
    r = m.read(name[:64])
    if r.trace is None:
        raise StepInputError("type a family name with at least one letter")
    guesses = [int(np.argmax(p)) for p in r.trace.probs]
    rows = [[r.used[:t], m.languages[i], f"{r.trace.probs[t - 1][i]:.2f}"] for t, i in enumerate(guesses, 1)]
    settles = len(guesses)                         # the first prefix from which the guess never changes
    while settles > 1 and guesses[settles - 2] == guesses[-1]:
        settles -= 1
    top = r.top(m.languages, 3)
    return {"prefixes": table(["read so far", "best guess", "probability"], rows),
            "h": vector(r.trace.h), "top": top[0][0], "settles": settles,
            "facts": facts([(lang, f"{p:.1%}") for lang, p in top]),
            "model": facts([("languages the model knows", len(m.languages)), ("numbers in h", int(r.trace.h.size)),
                            ("characters read", len(r.used)),
                            ("scores V h gives", len(m.languages))])}


@step
def name_recurrence(name: str) -> dict[str, Any]:
    """The pretrained model's recurrence for a name, every vector of every step."""
    m = pretrained()
    r = m.read(name)
    if r.trace is None:
        raise StepInputError("type a family name with at least one letter")
    rec = recurrence(r.used, m.vocab.encode(r.used), m.params["W"], m.params["U"], m.params.get("bh"))
    return {"recurrence": rec, "steps": len(r.used)}
