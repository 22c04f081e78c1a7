"""Lesson 9, training on names: the vectorised strategy on the whole shipped corpus, its
per-language accuracy, and names that belong to two languages.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..engine.metrics import per_class_recall
from ..engine.train import Dataset, TrainConfig, Trainer, split_confusion
from .common import CHECK_SECONDS, checked, names_subset, remembered, train
from .registry import step
from .results import facts, table


@step
@remembered
def train_names(epochs: int = 4, seed: int = 0) -> dict[str, Any]:
    """The vectorised strategy on the shipped names: per-language accuracy and the worst confusions."""
    from .. import data

    ds, _ = data.to_dataset(data.load("names"), 0.2, seed)
    trainer = train(ds, TrainConfig(epochs=epochs, seed=seed))
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
            "accuracy": round(float(m.accuracy), 3),
            "facts": facts([("epochs", epochs), ("training seconds", f"{trainer.elapsed:.1f}"),
                            ("accuracy", f"{m.accuracy:.3f}"), ("balanced accuracy", f"{m.balanced_accuracy:.3f}"),
                            ("the notebooks, 12 epochs (published)", "0.73 to 0.75 accuracy")])}


# The notebooks' published wall times for 12 epochs over 10,699 names (10,688 when
# trimmed to whole batches of 32), as executed: article.md section 5.7.
NOTEBOOK_SECONDS = {"sgd": 161.0, "vectorized": 26.7}
NOTEBOOK_NAMES = {"sgd": 10_699, "vectorized": 10_688}


def median_names_per_sec(ds: Dataset, cfg: TrainConfig, repeats: int) -> float:
    """Names per second of training, the median over `repeats` epochs after one warm-up epoch.

    The first epoch pays for imports, caches and allocation; the median of the
    rest is robust to a burst of other work on the machine.
    """
    from dataclasses import replace

    trainer = Trainer(ds, replace(cfg, epochs=repeats + 1, every_seconds=CHECK_SECONDS))
    rates = [snap.names_per_sec for snap in checked(trainer.run()) if snap.kind == "epoch"]
    return float(np.median(rates[1:]))


@step
@remembered
def beside_the_notebooks(names: int = 300, repeats: int = 3) -> dict[str, Any]:
    """Our per-record and vectorised speeds beside the notebooks' published timings."""
    ds = names_subset(names)
    ours = {s: median_names_per_sec(ds, TrainConfig(strategy=s, nhidden=100, lr=0.005, seed=0), repeats)
            for s in ("sgd", "vectorized")}
    theirs = {s: 12 * NOTEBOOK_NAMES[s] / NOTEBOOK_SECONDS[s] for s in NOTEBOOK_SECONDS}
    rows = [["notebooks (PyTorch, published)", s, f"{theirs[s]:,.0f}"] for s in theirs]
    rows += [["rnn-tui (NumPy, measured here)", s, f"{ours[s]:,.0f}"] for s in ours]
    ratio_ours, ratio_theirs = ours["vectorized"] / ours["sgd"], theirs["vectorized"] / theirs["sgd"]
    return {"table": table(["code", "strategy", "names/s"], rows),
            "speedup": "bigger" if ratio_ours > ratio_theirs else "smaller",
            "facts": facts([("vectorised / per-record, notebooks", f"{ratio_theirs:.1f}"),
                            ("vectorised / per-record, rnn-tui", f"{ratio_ours:.1f}"),
                            ("our timing", f"{len(ds.train):,} names, hidden 100, median of {repeats} epochs "
                                           "after one warm-up")])}


@step
@remembered
def shared_names() -> dict[str, Any]:
    """Names the corpus's sources list under more than one language, and the pairs that share the most.

    The build files each under one language (data/README.md), so they are read from its record.
    """
    from .. import data

    shared = data.shared_in_sources()
    pairs = Counter(tuple(langs[:2]) for langs in shared.values() if len(langs) == 2)
    top = pairs.most_common(5)
    examples: dict[tuple[str, ...], str] = {}
    for name, langs in shared.items():
        examples.setdefault(tuple(langs[:2]), name)
    rows = [[f"{a} / {b}", n, examples[(a, b)]] for (a, b), n in top]
    return {"table": table(["languages", "shared names", "for example"], rows),
            "top_pair": f"{top[0][0][0]} / {top[0][0][1]}", "count": len(shared)}
