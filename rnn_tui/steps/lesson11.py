"""Lesson 11, the TL;DR quiz: each point checked on the engine's own state."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import rnn
from ..engine.train import TrainConfig, Trainer
from .common import (
    CATS3,
    StepInputError,
    bptt,
    checked,
    known_letters,
    names_subset,
    pretrained,
    read_typed,
    remembered,
    what_was_read,
    words_dataset,
)
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
def h_is_not_the_output(name: str = "Kowalski") -> dict[str, Any]:
    """The embedding h comes out of the recurrence; the model's output is o = V h, one score per class."""
    m, used = known_letters(name)
    trace = m.read(used).trace
    assert trace is not None                       # known_letters refuses a name with no known letter
    h = trace.h
    o = m.params["V"] @ h + (m.params["bo"] if "bo" in m.params else 0.0)
    p = rnn.softmax(o)
    best = int(np.argmax(p))
    return {"output_size": "one per language" if o.size == len(m.languages) else "as many as h has",
            "facts": facts([("name", used), ("h: numbers", h.size), ("h: what it is", "the embedding, input to V"),
                            ("o = V h: numbers", o.size), ("languages", len(m.languages)),
                            ("the model's output", f"{m.languages[best]} {p[best]:.1%}")])}


@step
def fresh_state(words: list[str], count_steps: bool = True) -> dict[str, Any]:
    """Each word's h_0 and final h: h starts from zero for every record.

    `count_steps=False` leaves the "steps of W" column out of the table (the counts are still
    computed), so the step that asks about h_0 does not show the next step's answer.
    """
    m = pretrained()
    columns = 4 if count_steps else 3
    rows, norms, steps_of = [], [], {}
    for w in words:
        r = m.read(w)
        if r.trace is None:
            raise StepInputError(f"{w!r} has no letter the model knows")
        norms.append(float(np.linalg.norm(r.trace.hs[0])))
        steps_of[w] = len(r.trace.hs) - 1            # one application of W per character read
        rows.append([w, f"{norms[-1]:.1f}", f"{np.linalg.norm(r.trace.h):.2f}", steps_of[w]][:columns])
    return {"table": table(["word", "|h_0|", "|h_m|", "steps of W"][:columns], rows),
            "h0_norm": max(norms), "steps": steps_of}


@step
@remembered
def initialised_once(epochs: int = 3, seed: int = 0) -> dict[str, Any]:
    """Train the article's words one batch at a time and look for W ever going back to its start.

    A re-initialisation would put W back within one update of its initial
    value; the step measures the largest single update and each epoch's
    distance from the start.
    """
    ds, _ = words_dataset(CATS3)
    cfg = TrainConfig(strategy="sgd", nhidden=4, lr=0.01, epochs=epochs, init="article", seed=seed,
                      dtype="float64", clip=None, every=1)
    trainer = Trainer(ds, cfg)
    W0 = trainer.params()["W"].copy()
    seen: list[tuple[int, np.ndarray]] = [(0, W0)]
    for snap in checked(trainer.run()):          # stops here once the learner has left
        seen.append((snap.epoch, np.array(snap.params["W"])))
    jumps = [float(np.abs(b - a).max()) for (_, a), (_, b) in zip(seen, seen[1:]) if not np.array_equal(a, b)]
    largest_update = max(jumps)
    rows, back = [], 0
    for e in range(1, epochs + 1):
        first = next(W for ep, W in seen if ep == e)
        dist = float(np.abs(first - W0).max())
        back += dist <= largest_update and e > 1
        last = [W for ep, W in seen if ep == e][-1]
        rows.append([e, f"{dist:.4f}", f"{float(np.abs(last - W0).max()):.4f}"])
    return {"table": table(["epoch", "|W - W_init| after its first update", "at the end"], rows),
            "reinitialised": "yes" if back else "no", "updates": len(jumps),
            "facts": facts([("largest change made by one update", f"{largest_update:.4f}"),
                            ("updates that changed W", len(jumps)),
                            ("times W went back near its start", int(back))])}


@step
@remembered
def updates_per_epoch(names: int = 10688, batch_size: int = 32, word: str = "papadopoulos") -> dict[str, Any]:
    """Train one epoch in batches and count the updates; read a word and count changes to W meanwhile."""
    ds = names_subset(names)
    cfg = TrainConfig(nhidden=8, epochs=1, batch_size=batch_size, every=1)
    trainer = Trainer(ds, cfg)
    changes, last = 0, trainer.params()["W"].copy()
    for snap in checked(trainer.run()):          # stops here once the learner has left
        W = np.array(snap.params["W"])
        changes += not np.array_equal(W, last)
        last = W
    m, used = known_letters(word)
    P = m.params
    W_before, h, inside = P["W"].copy(), np.zeros(P["W"].shape[0]), 0
    for c in m.vocab.encode(used):                 # the recurrence, watching W at every character
        h = np.tanh(P["W"] @ h + P["U"][:, c])
        inside += not np.array_equal(P["W"], W_before)
    return {"updates": trainer.step, "inside": inside,
            "facts": facts([("names", f"{len(ds.train):,}"), ("batch size", batch_size),
                            ("updates made in one epoch", trainer.step),
                            ("snapshots where W had changed", changes),
                            (f"changes to W while reading {used}", inside)])}


@step
def truncated_bptt(word: str, window: int = 3) -> dict[str, Any]:
    """Full against truncated BPTT on the pretrained model: h is the same, dW is not."""
    m, r = read_typed(word)
    used = r.used
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    codes = m.vocab.encode(used)
    trace = rnn.forward(P, codes)
    y = int(np.argmax(trace.final_probs))
    full, _ = bptt(P, codes, y, None)
    h_cut, cut = _truncated_with_autograd(P, codes, y, window)
    if h_cut is None:                              # no torch: the hand-written truncation (same forward pass)
        h_cut, (cut, _) = trace.h, bptt(P, codes, y, window)
    diff = float(np.abs(full - cut).max() / max(np.abs(full).max(), 1e-12))
    h_diff = float(np.abs(trace.h - h_cut).max())
    return {"reading": facts([("read as", used), *what_was_read(r), ("characters read", len(used))]),
            "facts": facts([("word", used), ("steps", len(used)), ("window", window),
                            ("largest difference in h", f"{h_diff:.1e}"),
                            ("dW relative difference", f"{diff:.3f}")]),
            "h_changes": "yes" if h_diff > 1e-12 else "no", "dw_changes": "yes" if diff > 1e-9 else "no",
            "reaches": min(window, len(used))}


def _truncated_with_autograd(P: rnn.Params, codes: np.ndarray, y: int,
                             window: int) -> tuple[np.ndarray | None, np.ndarray]:
    """Truncated BPTT as fastai and torch code do it: detach h `window` steps before the end.

    Returns the final h of that forward pass and dL/dW; (None, empty) without torch.
    """
    try:
        import torch
    except ImportError:
        return None, np.empty(0)
    T = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in P.items()}
    h = torch.zeros(P["W"].shape[0], dtype=torch.float64)
    for t, c in enumerate(codes):
        if t == len(codes) - window:
            h = h.detach()                         # the graph, not the value, is cut here
        h = torch.tanh(T["W"] @ h + T["U"][:, int(c)] + (T["bh"] if "bh" in T else 0.0))
    o = T["V"] @ h + (T["bo"] if "bo" in T else 0.0)
    torch.nn.functional.cross_entropy(o[None], torch.tensor([y])).backward()
    grad = T["W"].grad
    assert grad is not None
    return h.detach().numpy(), grad.numpy()
