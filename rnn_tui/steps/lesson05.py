"""Lesson 5 (section 1.5), training a classifier: softmax and cross-entropy, then W, U, V
trained on the article's words.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine import rnn
from ..engine.train import TrainConfig, Trainer
from .common import CATS3, CATS4, remembered, words_dataset
from .registry import step
from .results import facts, matrix, table


@step
def softmax_loss(scores: list[float], target: int) -> dict[str, Any]:
    """Scores to probabilities (softmax) and the cross-entropy of the right class."""
    o = np.asarray(scores, dtype=float)
    p = rnn.softmax(o)
    loss = float(-rnn.log_softmax(o)[target])
    rows = [[i, f"{s:+.2f}", f"{math.exp(s):.3f}", f"{q:.3f}"] for i, (s, q) in enumerate(zip(o, p))]
    return {"table": table(["class", "score o", "exp(o)", "softmax"], rows),
            "loss": round(loss, 3), "facts": facts([("right class", target), ("-log p[right]", f"{loss:.3f}")])}


@step
@remembered
def train_cats(epochs: int = 150, lr: float = 0.01, nhidden: int = 4, strategy: str = "sgd",
               batch_size: int = 1, words: int = 3, seed: int = 0) -> dict[str, Any]:
    """Train on the article's words (Adam, W = I init) and classify them with the learned W, U, V."""
    ds, vocab = words_dataset(CATS3 if words == 3 else CATS4)
    cfg = TrainConfig(strategy=strategy, nhidden=nhidden, lr=lr, epochs=epochs, batch_size=batch_size,
                      init="article", seed=seed, dtype="float64", clip=None)
    trainer = Trainer(ds, cfg)
    for _ in trainer.run():
        pass
    P = trainer.params()
    every = max(1, epochs // 6)
    losses = [[e + 1, f"{loss:.4f}"] for e, loss in enumerate(trainer.train_losses)
              if e % every == 0 or e == epochs - 1]
    predicted, rows = {}, []
    for w in ds.train.names:
        probs = rnn.forward(P, vocab.encode(w)).final_probs
        predicted[w] = ds.classes[int(np.argmax(probs))]
        rows.append([w, predicted[w], f"{probs.max():.3f}"])
    hidden = [f"h{i}" for i in range(nhidden)]
    return {"losses": table(["epoch", "mean loss"], losses),
            "predictions": table(["word", "guess", "probability"], rows),
            "predicted": predicted, "updates": trainer.step,
            "W": matrix(P["W"], hidden, hidden), "U": matrix(P["U"], hidden, vocab.chars),
            "V": matrix(P["V"], ds.classes, hidden)}
