"""Lesson 13, vanishing and exploding gradients: the gradient reaching the first character as
W's spectral radius and the input's length change, and clipping as torch does it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.optim import clip_by_norm
from .common import StepInputError
from .registry import step
from .results import facts, table

NHIDDEN, NFEATURES = 32, 8


def _number(typed: str | float, what: str, low: float, high: float) -> float:
    """A typed number within [low, high], or a one-line StepInputError."""
    try:
        value = float(str(typed).strip())
    except ValueError:
        raise StepInputError(f"type {what} as a number from {low:g} to {high:g}") from None
    if not low <= value <= high:                   # also refuses nan
        raise StepInputError(f"type {what} from {low:g} to {high:g}")
    return value


def _weights(radius: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random W rescaled to the given spectral radius (largest |eigenvalue|), and a U."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((NHIDDEN, NHIDDEN))
    W *= radius / np.abs(np.linalg.eigvals(W)).max()
    return W, rng.standard_normal((NHIDDEN, NFEATURES)) * 0.5


def _backprop(W: np.ndarray, U: np.ndarray, xs: np.ndarray, act: str) -> dict[str, np.ndarray]:
    """Forward over xs, then send dL/dh_m = 1 back: dL/dh_1, and dW, dU summed over the steps."""
    h, steps = np.zeros(NHIDDEN), []
    for x in xs:
        z = W @ h + U[:, x]
        steps.append((x, h, z))
        h = np.tanh(z) if act == "tanh" else np.maximum(z, 0)
    g, dW, dU = np.ones(NHIDDEN), np.zeros_like(W), np.zeros_like(U)
    for x, h_prev, z in reversed(steps):
        dz = g * ((1 - np.tanh(z) ** 2) if act == "tanh" else (z > 0))
        dW += np.outer(dz, h_prev)
        dU[:, x] += dz
        g = W.T @ dz                               # now dL/dh_{t-1}
    return {"dh1": g, "W": dW, "U": dU}


@step
def gradient_vs_length(lengths: list[int], radius: str = "4", seed: int = 0) -> dict[str, Any]:
    """|dL/dh_1| for inputs of growing length, through tanh and relu, for W of a typed spectral radius."""
    rho = _number(radius, "the spectral radius", 0.05, 10)
    W, U = _weights(rho, seed)
    rng = np.random.default_rng(seed + 1)
    rows: list[list[Any]] = []
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for m in lengths:
        xs = rng.integers(0, NFEATURES, m)
        row: list[Any] = [m]
        for act in ("tanh", "relu"):
            norm = float(np.linalg.norm(_backprop(W, U, xs, act)["dh1"]))
            row.append(f"{norm:.3g}")
            first.setdefault(act, norm)
            last[act] = norm
        rows.append(row)
    growth = {act: last[act] / max(first[act], 1e-300) for act in last}
    return {"table": table(["length", "tanh", "relu"], rows),
            "relu_trend": "it grows" if growth["relu"] > 1 else "it shrinks",
            "tanh_trend": "it grows" if growth["tanh"] > 1 else "it shrinks",
            "facts": facts([("spectral radius of W", f"{rho:g}")] +
                           [(f"{act}: longest / shortest", f"{g:.3g}x") for act, g in growth.items()])}


@step
def clipping(length: str = "20", radius: float = 2.5, clip: float = 5.0, seed: int = 0) -> dict[str, Any]:
    """Clip the relu gradient of one input as torch's clip_grad_norm_ does, and elementwise as min-char-rnn does."""
    m = int(_number(length, "the input length", 1, 200))
    W, U = _weights(radius, seed)
    xs = np.random.default_rng(seed + 1).integers(0, NFEATURES, m)
    raw = _backprop(W, U, xs, "relu")
    G = {"W": raw["W"].copy(), "U": raw["U"].copy()}
    before = clip_by_norm(G, clip)                 # the engine's clipping: all gradients scaled together
    after = float(np.sqrt(sum(float(np.vdot(g, g)) for g in G.values())))
    flat_raw = np.concatenate([raw["W"].ravel(), raw["U"].ravel()])
    flat_norm = np.concatenate([G["W"].ravel(), G["U"].ravel()])
    flat_elem = np.clip(flat_raw, -clip, clip)     # Karpathy's min-char-rnn: each entry clipped alone

    def cosine(a: np.ndarray) -> float:
        return float(a @ flat_raw / max(np.linalg.norm(a) * np.linalg.norm(flat_raw), 1e-300))

    torch_says = _torch_clip_norm(raw, clip)
    return {"before": facts([("input length", m), ("spectral radius of W", f"{radius:g}"),
                             ("gradient norm before clipping", f"{before:.4g}")]),
            "after": round(after, 3),
            "table": table(["clipping", "norm after", "cosine"],
                           [["none", f"{before:.4g}", "1.000"],
                            [f"by norm, to ≤ {clip:g} (torch)", f"{after:.4g}",
                             f"{cosine(flat_norm):.3f}"],
                            [f"each entry to ±{clip:g} (Karpathy)",
                             f"{np.linalg.norm(flat_elem):.4g}", f"{cosine(flat_elem):.3f}"]]),
            "facts": facts([("clip_grad_norm_ agrees", torch_says)])}


def _torch_clip_norm(raw: dict[str, np.ndarray], clip: float) -> str:
    """Run torch's own clip_grad_norm_ on the same gradients and compare the results."""
    try:
        import torch
    except ImportError:
        return "torch is not installed"
    params = []
    for k in ("W", "U"):
        p = torch.zeros(raw[k].shape, dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(raw[k])
        params.append(p)
    torch.nn.utils.clip_grad_norm_(params, clip)
    norm = float(np.sqrt(sum(float((p.grad ** 2).sum()) for p in params if p.grad is not None)))
    G = {k: raw[k].copy() for k in ("W", "U")}
    clip_by_norm(G, clip)
    ours = float(np.sqrt(sum(float(np.vdot(g, g)) for g in G.values())))
    return "yes" if abs(norm - ours) <= 1e-9 * max(1.0, ours) else f"no ({norm:.6g} against {ours:.6g})"
