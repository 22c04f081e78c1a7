"""Lesson 11, the TL;DR quiz: each point checked on the engine's own state."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .common import StepInputError, bptt, known_letters, pretrained
from .registry import step
from .results import facts, table


@step
def model_anatomy() -> dict[str, Any]:
    """What a trained model stores: its parameters and their shapes (and no h)."""
    m = pretrained()
    rows = [[k, " x ".join(map(str, v.shape)), f"{v.size:,}"] for k, v in m.params.items()]
    return {"table": table(["parameter", "shape", "numbers"], rows),
            "h_is_parameter": "yes" if "h" in m.params else "no",
            "total": int(sum(v.size for v in m.params.values()))}


@step
def fresh_state(words: list[str]) -> dict[str, Any]:
    """Each word's h_0 and final h: h starts from zero for every record."""
    m = pretrained()
    rows = []
    for w in words:
        r = m.read(w)
        if r.trace is None:
            raise StepInputError(f"{w!r} has no letter the model knows")
        rows.append([w, f"{np.linalg.norm(r.trace.hs[0]):.1f}", f"{np.linalg.norm(r.trace.h):.2f}", len(r.used)])
    return {"table": table(["word", "|h_0|", "|h_m|", "steps of W"], rows),
            "h0_norm": 0.0 if all(r[1] == "0.0" for r in rows) else 1.0,
            "steps": {w: len(m.read(w).used) for w in words}}


@step
def updates_per_epoch(names: int = 10699, batch_size: int = 32) -> dict[str, Any]:
    """How often W, U and V change: once per batch, never inside a word."""
    n = math.ceil(names / batch_size)
    return {"updates": n, "facts": facts([("names", f"{names:,}"), ("batch size", batch_size),
                                          ("updates per epoch", n), ("updates inside a word", 0)])}


@step
def truncated_bptt(word: str, window: int = 3) -> dict[str, Any]:
    """Full against truncated BPTT on the pretrained model: h is the same, dW is not."""
    m, used = known_letters(word)
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    trace = m.read(used).trace
    assert trace is not None                       # known_letters refuses a word with no known letter
    codes, y = m.vocab.encode(used), int(np.argmax(trace.final_probs))
    full, _ = bptt(P, codes, y, None)
    cut, _ = bptt(P, codes, y, window)
    diff = float(np.abs(full - cut).max() / max(np.abs(full).max(), 1e-12))
    return {"facts": facts([("word", used), ("steps", len(used)), ("window", window),
                            ("forward h", "computed over every character either way"),
                            ("dW relative difference", f"{diff:.3f}")]),
            "h_changes": "no", "dw_changes": "yes" if diff > 1e-9 else "no"}
