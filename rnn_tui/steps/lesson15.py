"""Lesson 15, gated cells: an LSTM and a GRU trained on names, and their gates' activations
for a typed name, one character at a time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.train import TrainConfig, Trainer
from .common import StepInputError, names_subset, remembered
from .registry import step
from .results import facts, table


@remembered
def _trained_cell(cell: str, names: int = 800, epochs: int = 3, hidden: int = 32) -> dict[str, Any]:
    """A torch LSTM or GRU trained on shipped names: its weights as NumPy arrays, and the vocabulary."""
    import torch

    from .. import data

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        ds = names_subset(names)
        trainer = Trainer(ds, TrainConfig(backend="nnrnn", cell=cell, nhidden=hidden, epochs=epochs, lr=0.01,
                                          device="cpu"))
        for _ in trainer.run():
            pass
    finally:
        torch.set_num_threads(threads)
    backend: Any = trainer.backend                   # the nnrnn backend: a torch module inside
    layer = backend.model.rnn
    weights = {n: p.detach().double().numpy().copy() for n, p in layer.named_parameters()}
    _, vocab = data.to_dataset(data.load("names"), 0.2, 0)
    return {"weights": weights, "vocab": vocab, "hidden": hidden}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@step
def gate_activations(name: str, cell: str = "lstm") -> dict[str, Any]:
    """Run a trained LSTM or GRU over a name and show its gates' mean activation at every character.

    LSTM (torch's gate order i, f, g, o):  c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
    GRU (r, z, n):  n = tanh(W_in x + r * (W_hn h + b_hn)),  h_t = (1 - z) * n + z * h_{t-1}
    """
    if cell not in ("lstm", "gru"):
        raise StepInputError("cell must be lstm or gru")
    t = _trained_cell(cell)
    w, vocab = t["weights"], t["vocab"]
    used, _ = vocab.split_known(name.strip().lower()[:64])
    if not used:
        raise StepInputError("type a family name with letters")
    n = t["hidden"]
    Wi, Wh, bi, bh = w["weight_ih_l0"], w["weight_hh_l0"], w["bias_ih_l0"], w["bias_hh_l0"]
    h, c, rows = np.zeros(n), np.zeros(n), []
    worked: dict[str, float] = {}
    for step_no, code in enumerate(vocab.encode(used), 1):
        gx, gh = Wi[:, code] + bi, Wh @ h + bh
        if cell == "lstm":
            z = gx + gh
            i, f, g, o = _sigmoid(z[:n]), _sigmoid(z[n:2 * n]), np.tanh(z[2 * n:3 * n]), _sigmoid(z[3 * n:])
            c_prev, c = c, f * c + i * g          # the forget gate multiplies the old cell, the input gate adds
            h = o * np.tanh(c)
            rows.append([step_no, used[step_no - 1], f"{f.mean():.2f}", f"{i.mean():.2f}", f"{o.mean():.2f}",
                         f"{np.abs(c).mean():.2f}"])
            if step_no == len(used):
                worked = {"f": float(f[0]), "c_prev": float(c_prev[0]), "i": float(i[0]), "g": float(g[0]),
                          "c": float(c[0])}
        else:
            r, u = _sigmoid(gx[:n] + gh[:n]), _sigmoid(gx[n:2 * n] + gh[n:2 * n])
            cand = np.tanh(gx[2 * n:] + r * gh[2 * n:])
            h = (1 - u) * cand + u * h             # z near 1 keeps the old h
            rows.append([step_no, used[step_no - 1], f"{r.mean():.2f}", f"{u.mean():.2f}",
                         f"{np.abs(h).mean():.2f}"])
    columns = (["t", "char", "forget f", "input i", "output o", "mean |c|"] if cell == "lstm"
               else ["t", "char", "reset r", "update z", "mean |h|"])
    out: dict[str, Any] = {"table": table(columns, rows)}
    if cell == "lstm":
        out["parts"] = facts([("name", used), ("unit 0 at the last character", ""),
                              ("forget gate f", f"{worked['f']:.3f}"),
                              ("previous cell c_{t-1}", f"{worked['c_prev']:.3f}"),
                              ("input gate i", f"{worked['i']:.3f}"), ("candidate g", f"{worked['g']:.3f}")])
        shown = {k: round(v, 3) for k, v in worked.items()}   # from the numbers as displayed
        out["c"] = round(shown["f"] * shown["c_prev"] + shown["i"] * shown["g"], 4)
    return out
