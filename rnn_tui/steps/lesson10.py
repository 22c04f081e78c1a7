"""Lesson 10, classify your name: the pretrained model's guess after every prefix, and its h."""

from __future__ import annotations

from typing import Any

import numpy as np

from .common import read_typed, what_was_read
from .registry import step
from .results import facts, recurrence, table, vector


@step
def read_name(name: str) -> dict[str, Any]:
    """The pretrained model reads a name: its guess after every prefix, and where the guess settles."""
    m, r = read_typed(name, "type a family name with at least one letter")
    assert r.trace is not None                     # read_typed refuses a name with no usable letter
    guesses = [int(np.argmax(p)) for p in r.trace.probs]
    rows = [[r.used[:t], m.languages[i], f"{r.trace.probs[t - 1][i]:.2f}"] for t, i in enumerate(guesses, 1)]
    settles = len(guesses)                         # the first prefix from which the guess never changes
    while settles > 1 and guesses[settles - 2] == guesses[-1]:
        settles -= 1
    top = r.top(m.languages, 3)
    return {"prefixes": table(["read so far", "best guess", "probability"], rows),
            "h": vector(r.trace.h), "top": top[0][0], "settles": settles,
            "facts": facts([("read as", r.used), *what_was_read(r), *[(lang, f"{p:.1%}") for lang, p in top]]),
            "model": facts([("languages the model knows", len(m.languages)), ("numbers in h", int(r.trace.h.size)),
                            ("characters read", len(r.used)), *what_was_read(r),
                            ("scores V h gives", len(m.languages))])}


def _larger(memory: float, character: float) -> str:
    """Which of the two parts of the sum has the larger norm; within a quarter of each other they are about the same."""
    if memory > 1.25 * character:
        return "W h_{t-1}"
    if character > 1.25 * memory:
        return "U x_t"
    return "about the same"


@step
def name_recurrence(name: str) -> dict[str, Any]:
    """The pretrained model's recurrence for a name, every vector of every step, and at the last step
    which part of the sum is larger: the memory W h_{t-1} or the new character's column U x_t."""
    m, r = read_typed(name, "type a family name with at least one letter")
    rec = recurrence(r.used, m.vocab.encode(r.used), m.params["W"], m.params["U"], m.params.get("bh"))
    last = rec.steps[-1]
    memory, character = float(np.linalg.norm(last.Wh)), float(np.linalg.norm(last.Ux))
    larger = _larger(memory, character)
    t = len(rec.steps)
    return {"recurrence": rec, "steps": t, "larger": larger,
            "reading": facts([("read as", r.used), *what_was_read(r), ("characters read", t)]),
            "sizes": facts([("last t", t), (f"x_{t}", repr(last.char)),
                            (f"norm of W h_{t - 1} (the memory)", f"{memory:.2f}"),
                            (f"norm of U x_{t} (the new character)", f"{character:.2f}"),
                            ("the larger", larger)])}
