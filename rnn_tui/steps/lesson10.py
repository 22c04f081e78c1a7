"""Lesson 10, classify your name: the pretrained model's guess after every prefix, and its h."""

from __future__ import annotations

from typing import Any

import numpy as np

from .common import StepInputError, pretrained
from .registry import step
from .results import facts, table, vector


@step
def read_name(name: str) -> dict[str, Any]:
    """The pretrained model reads a name: its guess after every prefix."""
    m = pretrained()
    r = m.read(name)
    if r.trace is None:
        raise StepInputError("type a family name with at least one letter")
    rows = []
    for t, p in enumerate(r.trace.probs, 1):
        i = int(np.argmax(p))
        rows.append([r.used[:t], m.languages[i], f"{p[i]:.2f}"])
    top = r.top(m.languages, 3)
    return {"prefixes": table(["read so far", "best guess", "probability"], rows),
            "h": vector(r.trace.h), "top": top[0][0],
            "facts": facts([(lang, f"{p:.1%}") for lang, p in top])}
