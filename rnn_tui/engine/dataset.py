"""Encoded names ready for training: a Split per purpose, a Dataset holding both.

`rnn_tui.data` builds these from text files; the engine only ever sees codes
and class indices.  A Split keeps the names as text too, so the trainer can
tell validation names it never trained on from names it has seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Split:
    """Encoded names of one split: code arrays, class indices, and the names as text."""

    seqs: list[np.ndarray]
    y: np.ndarray
    names: list[str]

    def __len__(self) -> int:
        return len(self.seqs)

    def __repr__(self) -> str:                 # never print thousands of arrays (worker names do)
        return f"Split({len(self)} names)"

    def class_counts(self, nclasses: int) -> np.ndarray:
        """How many names of each class the split holds: (nclasses,) integers."""
        return np.bincount(np.asarray(self.y, dtype=np.int64), minlength=nclasses)

    def balanced_weights(self, nclasses: int) -> np.ndarray:
        """Loss weight per class, n / (k n_c): each of the k present classes weighs n / k in all.

        The weights average to 1 over the split's names, so a balanced loss
        stays on the scale of the plain one; a class with no names gets 0.
        """
        counts = self.class_counts(nclasses).astype(np.float64)
        present = counts > 0
        weights = np.zeros(nclasses)
        weights[present] = len(self) / (present.sum() * counts[present])
        return weights


@dataclass(frozen=True)
class Dataset:
    """A training and a validation split over one vocabulary and class list."""

    train: Split
    valid: Split
    nfeatures: int
    classes: tuple[str, ...]

    def all_names(self) -> Dataset:
        """Every name of both splits to train on, and nothing held out.

        For a refit: once the settings and the epoch count are chosen on the
        validation split, a model trained on all the names learns from that
        fifth too.  Its validation split is empty, so the trainer keeps the
        last epoch, and there is no held-out score to report for it.
        """
        if self.valid is self.train:               # nothing was held out (the article's cats)
            return self
        train, valid = self.train, self.valid
        everything = Split(train.seqs + valid.seqs, np.concatenate([train.y, valid.y]),
                           train.names + valid.names)
        nothing = Split([], np.zeros(0, dtype=np.int64), [])
        return Dataset(everything, nothing, self.nfeatures, self.classes)
