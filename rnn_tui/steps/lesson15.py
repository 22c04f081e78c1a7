"""Lesson 15, gated cells: an LSTM and a GRU trained on names, and their gates' activations
for a typed name, one character at a time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import cells
from ..engine.train import TrainConfig
from .common import StepInputError, names_subset, remembered, spelled, train, what_was_read
from .registry import step
from .results import facts, table


@remembered
def _trained_cell(cell: str, names: int = 800, epochs: int = 3, hidden: int = 32) -> dict[str, Any]:
    """An LSTM (torch.nn.LSTM) or a GRU (the NumPy engine) trained on shipped names: its parameters.

    The parameters come back under Parr's names (W and U stack the gates'
    blocks), which is what the engine's cell readers take.
    """
    import torch

    from .. import data

    threads = torch.get_num_threads()
    torch.set_num_threads(1)                      # one core, as the NumPy engine uses
    try:
        ds = names_subset(names)
        backend = "nnrnn" if cell == "lstm" else "numpy"
        trainer = train(ds, TrainConfig(backend=backend, cell=cell, nhidden=hidden, epochs=epochs, lr=0.01,
                                          device="cpu", dtype="float64"))
    finally:
        torch.set_num_threads(threads)
    _, vocab = data.to_dataset(data.load("names"), 0.2, 0)
    return {"P": {k: np.asarray(v, dtype=np.float64) for k, v in trainer.params().items()}, "vocab": vocab}


@step
def gate_activations(name: str, cell: str = "lstm") -> dict[str, Any]:
    """Run a trained LSTM or GRU over a name (the engine's cell reader) and show its gates at every character.

    LSTM (torch's gate order i, f, g, o):  c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
    GRU (r, z, n):  n = tanh(U_n x + r * (W_n h + b)),  h_t = (1 - z) * n + z * h_{t-1}
    """
    if cell not in ("lstm", "gru"):
        raise StepInputError("cell must be lstm or gru")
    t = _trained_cell(cell)
    P, vocab = t["P"], t["vocab"]
    r = spelled(name, vocab)
    used = r.used
    if not used:
        raise StepInputError("type a family name with letters")
    trace = cells.get(cell).read(P, vocab.encode(used), True)
    gates = trace.gates
    assert gates is not None                       # gated cells' readers always return them
    rows = []
    for step_no, ch in enumerate(used):
        if cell == "lstm":
            rows.append([step_no + 1, ch, f"{gates['f'][step_no].mean():.2f}", f"{gates['i'][step_no].mean():.2f}",
                         f"{gates['o'][step_no].mean():.2f}", f"{np.abs(gates['c'][step_no]).mean():.2f}"])
        else:
            rows.append([step_no + 1, ch, f"{gates['r'][step_no].mean():.2f}", f"{gates['z'][step_no].mean():.2f}",
                         f"{np.abs(trace.hs[step_no + 1]).mean():.2f}"])
    columns = (["t", "char", "forget f", "input i", "output o", "mean |c|"] if cell == "lstm"
               else ["t", "char", "reset r", "update z", "mean |h|"])
    out: dict[str, Any] = {"table": table(columns, rows)}
    if cell == "lstm":
        last = len(used) - 1
        c_prev = float(gates["c"][last - 1][0]) if last > 0 else 0.0
        shown = {"f": round(float(gates["f"][last][0]), 3), "c_prev": round(c_prev, 3),
                 "i": round(float(gates["i"][last][0]), 3), "g": round(float(gates["g"][last][0]), 3)}
        out["parts"] = facts([("name", used), *what_was_read(r), ("unit 0 at the last character", ""),
                              ("forget gate f", f"{shown['f']:.3f}"),
                              ("previous cell c_{t-1}", f"{shown['c_prev']:.3f}"),
                              ("input gate i", f"{shown['i']:.3f}"), ("candidate g", f"{shown['g']:.3f}")])
        out["engine_c"] = facts([("c_t as the engine computed it (unrounded inputs)",
                                  f"{float(gates['c'][last][0]):.4f}")])
        # from the numbers as displayed, so a learner who multiplies them gets it exactly
        out["c"] = round(shown["f"] * shown["c_prev"] + shown["i"] * shown["g"], 4)
    return out
