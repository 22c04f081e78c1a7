"""Lesson 6 (section 2.1), loss over several records: batches, summed losses, and the
training strategies raced on the same names.
"""

from __future__ import annotations

import math
import time
from typing import Any

from ..engine import rnn
from ..engine.train import Dataset, TrainConfig
from .common import CATS4, article_params, in_the_lead, names_subset, remembered, train, words_dataset
from .registry import step
from .results import facts, table


@step
def minibatch_plan(batch_size: int = 2) -> dict[str, Any]:
    """The four words in batches, and how many updates an epoch makes either way."""
    rows = [[i // batch_size + 1, w, lang] for i, (w, lang) in enumerate(CATS4)]
    per_batch = math.ceil(len(CATS4) / batch_size)
    return {"table": table(["batch", "word", "language"], rows),
            "updates_minibatch": per_batch, "updates_sgd": len(CATS4),
            "facts": facts([("updates per epoch, one per word", len(CATS4)),
                            (f"updates per epoch, batches of {batch_size}", per_batch)])}


@step
def summed_loss(batch_size: int = 2, nhidden: int = 4, seed: int = 0) -> dict[str, Any]:
    """Each word's loss at the start of training, and each batch's sum: what one update follows."""
    ds, vocab = words_dataset(CATS4)
    P = article_params(nhidden, len(ds.classes), seed, vocab)
    rows, word_rows, sums = [], [], []
    for b in range(0, len(CATS4), batch_size):
        total = 0.0
        for w, _ in CATS4[b:b + batch_size]:
            y = ds.classes.index(dict(CATS4)[w])
            loss = rnn.loss(P, vocab.encode(w), y)
            total += loss
            rows.append([b // batch_size + 1, w, f"{loss:.3f}"])
            word_rows.append([b // batch_size + 1, w, f"{loss:.3f}"])
        sums.append(round(total, 3))
        rows.append([b // batch_size + 1, "sum", f"{total:.3f}"])
    return {"table": table(["batch", "word", "loss"], rows),
            "words": table(["batch", "word", "loss"], word_rows), "sums": sums}


def _run(ds: Dataset, cfg: TrainConfig) -> dict[str, Any]:
    """Train once; updates made, names per second, best validation accuracy and wall seconds."""
    t0 = time.perf_counter()
    trainer = train(ds, cfg)
    wall = time.perf_counter() - t0
    best = trainer.best_metrics
    assert best is not None                        # set after the first epoch
    return {"updates": trainer.step, "names_per_sec": cfg.epochs * len(ds.train) / max(trainer.elapsed, 1e-9),
            "accuracy": best.accuracy, "seconds": wall}


@step
@remembered
def compare_strategies(strategies: list[str], names: int = 800, epochs: int = 2, hidden: int = 64) -> dict[str, Any]:
    """The same names trained with each strategy: updates, speed, accuracy."""
    ds = names_subset(names)
    results = {s: _run(ds, TrainConfig(strategy=s, nhidden=hidden, epochs=epochs, batch_size=32, lr=0.005))
               for s in strategies}
    rows = [[s, r["updates"], f"{r['names_per_sec']:,.0f}", f"{r['accuracy']:.3f}"] for s, r in results.items()]
    fastest = max(results, key=lambda s: results[s]["names_per_sec"])
    slowest = min(results, key=lambda s: results[s]["names_per_sec"])
    fewest = min(results, key=lambda s: results[s]["updates"])
    ratio = results[fastest]["names_per_sec"] / results[slowest]["names_per_sec"]
    return {"table": table(["strategy", "updates", "names/s", "valid accuracy"], rows),
            "fastest": in_the_lead({s: r["names_per_sec"] for s, r in results.items()}),
            "fewest_updates": fewest, "ratio": round(ratio, 2),
            "facts": facts([("names", f"{len(ds.train):,} for {epochs} epochs"),
                            ("fastest", fastest),
                            (f"names/s, {fastest} / {slowest}", f"{ratio:.2f}")])}
