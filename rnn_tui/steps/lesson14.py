"""Lesson 14, PyTorch and the GPU: the NumPy engine against its torch twin, and our W, U, V
against torch.nn.RNN, LSTM and GRU (lesson 15 reuses that race).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..engine import batched, rnn
from ..engine.train import TrainConfig, Trainer
from ..engine.vocab import pad_batch
from .common import known_letters, names_subset, remembered
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
    return {"facts": facts([("word", used), ("largest probability difference", f"{diff:.1e}"),
                            ("CUDA here", torch.cuda.get_device_name(0) if cuda else "none: runs on the CPU"),
                            ("auto picks", str(torch_rnn.pick_device("auto")))]),
            "same": "yes" if diff < 1e-9 else "no"}


@step
@remembered
def cells_compare(cells: list[str], names: int = 1500, epochs: int = 3, hidden: int = 64) -> dict[str, Any]:
    """Our W, U, V against torch.nn.RNN, LSTM and GRU on the same names."""
    ds = names_subset(names)
    rows, acc = [], {}
    labels = {"ours": "our W, U, V (NumPy)", "rnn": "torch.nn.RNN", "lstm": "LSTM", "gru": "GRU"}
    for cell in cells:
        cfg = (TrainConfig(nhidden=hidden, epochs=epochs, lr=0.005) if cell == "ours" else
               TrainConfig(backend="nnrnn", cell=cell, nhidden=hidden, epochs=epochs, lr=0.005, device="cpu"))
        trainer = Trainer(ds, cfg)
        t0 = time.perf_counter()
        for _ in trainer.run():
            pass
        per_epoch = (time.perf_counter() - t0) / epochs
        best = trainer.best_metrics
        assert best is not None                    # set after the first epoch
        acc[labels[cell]] = best.accuracy
        rows.append([labels[cell], f"{best.accuracy:.3f}", f"{per_epoch:.2f}"])
    return {"table": table(["model", "valid accuracy", "seconds per epoch"], rows),
            "best": max(acc, key=lambda k: acc[k])}
