"""Lesson 14, PyTorch and the GPU: the NumPy engine against its torch twin, and our W, U, V
against torch.nn.RNN, LSTM and GRU (lesson 15 reuses that race).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import batched, rnn
from ..engine.train import TrainConfig, Trainer
from ..engine.vocab import pad_batch
from .common import CHECK_SECONDS, checked, in_the_lead, known_letters, names_subset, remembered
from .registry import step
from .results import facts, table


@step
def backends_compare(word: str) -> dict[str, Any]:
    """The same word through the NumPy engine and its torch twin, and what devices exist here."""
    import torch

    from ..engine import torch_rnn

    m, used = known_letters(word)
    X = pad_batch([m.vocab.encode(used)], pad=len(m.vocab))
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    ours = rnn.softmax(batched.forward(P, X).logits[0])
    logits, _ = torch_rnn.forward_batch(torch_rnn.to_tensors(P, requires_grad=False), torch.as_tensor(X))
    theirs = torch.softmax(logits[0], 0).numpy()
    diff = float(np.abs(ours - theirs).max())
    cuda = torch.cuda.is_available()
    return {"facts": facts([("word", used), ("largest difference", f"{diff:.1e} (probability)"),
                            ("CUDA here", torch.cuda.get_device_name(0) if cuda else "none: runs on the CPU"),
                            ("auto picks", str(torch_rnn.pick_device("auto")))]),
            "same": "yes" if diff < 1e-9 else "no"}


@step
@remembered
def cells_compare(cells: list[str], names: int = 800, repeats: int = 3, hidden: int = 64) -> dict[str, Any]:
    """Our W, U, V against torch.nn.RNN, LSTM and GRU on the same names.

    Speed is the median names/s over `repeats` epochs after one warm-up
    epoch (the first pays for imports and allocation); accuracy is the best
    validation accuracy over all of them.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)                      # like the NumPy engine: one core each, no oversubscription
    try:
        return _race(cells, names, repeats, hidden)
    finally:
        torch.set_num_threads(threads)


def _race(cells: list[str], names: int, repeats: int, hidden: int) -> dict[str, Any]:
    """cells_compare's work: train each cell on the same names and time it."""
    ds = names_subset(names)
    rows, acc, speed = [], {}, {}
    labels = {"ours": "our W, U, V (NumPy)", "rnn": "torch.nn.RNN", "lstm": "LSTM", "gru": "GRU"}
    for cell in cells:
        cfg = (TrainConfig(nhidden=hidden, epochs=repeats + 1, lr=0.005, every_seconds=CHECK_SECONDS)
               if cell == "ours" else
               TrainConfig(backend="nnrnn", cell=cell, nhidden=hidden, epochs=repeats + 1, lr=0.005, device="cpu",
                           every_seconds=CHECK_SECONDS))
        trainer = Trainer(ds, cfg)
        rates = [snap.names_per_sec for snap in checked(trainer.run()) if snap.kind == "epoch"]
        best = trainer.best_metrics
        assert best is not None                    # set after the first epoch
        acc[labels[cell]], speed[labels[cell]] = best.accuracy, float(np.median(rates[1:]))
        rows.append([labels[cell], f"{best.accuracy:.3f}", f"{speed[labels[cell]]:,.0f}"])
    fastest, slowest = max(speed, key=lambda k: speed[k]), min(speed, key=lambda k: speed[k])
    spread = max(acc.values()) - min(acc.values())
    return {"table": table(["model", "valid acc.", "names/s"], rows),
            "best": max(acc, key=lambda k: acc[k]), "fastest": in_the_lead(speed),
            "facts": facts([("names", f"{len(ds.train):,}"), ("epochs", f"{repeats + 1}, the first a warm-up"),
                            ("hidden", hidden), ("faster", fastest),
                            ("names/s ratio", f"{speed[fastest] / speed[slowest]:.2f}x {slowest}'s"),
                            ("accuracy spread", f"{spread:.3f} (best minus worst)")])}
