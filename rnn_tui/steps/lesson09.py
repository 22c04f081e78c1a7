"""Lesson 9, training on names: the vectorised strategy on the whole shipped corpus, its
per-language accuracy, and names that belong to two languages.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..engine.metrics import per_class_recall
from ..engine.train import TrainConfig, Trainer, split_confusion
from .common import remembered
from .registry import step
from .results import facts, table


@step
@remembered
def train_names(epochs: int = 4, seed: int = 0) -> dict[str, Any]:
    """The vectorised strategy on the shipped names: per-language accuracy and the worst confusions."""
    from .. import data

    ds, _ = data.to_dataset(data.load("names"), 0.2, seed)
    trainer = Trainer(ds, TrainConfig(epochs=epochs, seed=seed))
    for _ in trainer.run():
        pass
    P, m = trainer.final()
    cm = split_confusion(P, ds.valid, len(ds.classes))
    recall = per_class_recall(cm)
    order = np.argsort(recall)
    rows = [[ds.classes[i], int(cm[i].sum()), f"{recall[i]:.2f}"] for i in order]
    off = cm.copy()
    np.fill_diagonal(off, 0)
    pairs = np.dstack(np.unravel_index(np.argsort(-off, axis=None)[:5], off.shape))[0]
    confused = [[ds.classes[a], ds.classes[b], int(off[a, b])] for a, b in pairs]
    return {"per_language": table(["language", "names", "accuracy"], rows),
            "confused": table(["actual", "guessed as", "names"], confused),
            "worst": ds.classes[int(order[0])],
            "higher": "accuracy" if m.accuracy >= m.balanced_accuracy else "balanced accuracy",
            "facts": facts([("epochs", epochs), ("training seconds", f"{trainer.elapsed:.1f}"),
                            ("accuracy", f"{m.accuracy:.3f}"), ("balanced accuracy", f"{m.balanced_accuracy:.3f}")])}


@step
@remembered
def shared_names() -> dict[str, Any]:
    """Names listed under more than one language, and the pairs that share the most."""
    from .. import data

    corpus = data.load("names")
    shared = corpus.shared()
    pairs = Counter(tuple(langs[:2]) for langs in shared.values() if len(langs) == 2)
    top = pairs.most_common(5)
    examples: dict[tuple[str, ...], str] = {}
    for name, langs in shared.items():
        examples.setdefault(tuple(langs[:2]), name)
    rows = [[f"{a} / {b}", n, examples[(a, b)]] for (a, b), n in top]
    return {"table": table(["languages", "shared names", "for example"], rows),
            "top_pair": f"{top[0][0][0]} / {top[0][0][1]}", "count": len(shared)}
