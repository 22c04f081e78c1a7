"""Lesson 13, vanishing and exploding gradients: |dL/dh_1| as inputs grow longer."""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import step
from .results import facts, table


@step
def gradient_vs_length(lengths: list[int], radius: float = 4.0, clip: float = 5.0, seed: int = 0) -> dict[str, Any]:
    """|dL/dh_1| for inputs of growing length, through tanh and through relu, with clipping."""
    rng = np.random.default_rng(seed)
    n = 32
    W = rng.standard_normal((n, n))
    W *= radius / np.abs(np.linalg.eigvals(W)).max()
    U = rng.standard_normal((n, 8)) * 0.5
    rows: list[list[Any]] = []
    last: dict[str, float] = {}
    first: dict[str, float] = {}
    for m in lengths:
        xs = rng.integers(0, 8, m)
        row: list[Any] = [m]
        for act in ("tanh", "relu"):
            h, hs = np.zeros(n), []
            for x in xs:
                z = W @ h + U[:, x]
                h = np.tanh(z) if act == "tanh" else np.maximum(z, 0)
                hs.append((z, h))
            g = np.ones(n)
            for z, h in reversed(hs):
                g = W.T @ (g * ((1 - h ** 2) if act == "tanh" else (z > 0)))
            norm = float(np.linalg.norm(g))
            row.append(f"{norm:.3g}")
            first.setdefault(act, norm)
            last[act] = norm
        row.append(f"{min(last['relu'], clip):.3g}")
        rows.append(row)
    growth = {act: last[act] / max(first[act], 1e-300) for act in last}
    return {"table": table(["length", "tanh", "relu", f"relu clipped at {clip:g}"], rows),
            "grows_faster": max(growth, key=lambda act: growth[act]),
            "tanh_trend": "it shrinks" if growth["tanh"] < 1 else "it grows",
            "facts": facts([(f"{act}: longest / shortest", f"{g:.3g}x") for act, g in growth.items()])}
