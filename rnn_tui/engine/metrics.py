"""How good is a classifier: accuracy, balanced accuracy and the confusion matrix.

The names data is lopsided (in the PyTorch tutorial's set nearly half the
names are Russian), so plain accuracy flatters a model that favours big
languages.  Balanced accuracy averages the per-language recall instead, and
the accuracy on validation names never seen in training shows whether the
model generalises or only remembers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Metrics:
    """Scores of one pass over a labelled split."""

    loss: float
    accuracy: float
    balanced_accuracy: float
    unseen_accuracy: float      # nan when every validation name also occurs in training
    n: int
    n_unseen: int

    def as_dict(self) -> dict[str, float | int | None]:
        """Plain values for JSON (nan becomes None)."""
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                for k, v in self.__dict__.items()}


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, nclasses: int) -> np.ndarray:
    """Counts: row = actual class, column = predicted class."""
    cm = np.zeros((nclasses, nclasses), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return cm


def per_class_recall(cm: np.ndarray) -> np.ndarray:
    """Fraction of each class's examples predicted right; nan for classes with none."""
    totals = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(cm) / np.maximum(totals, 1), np.nan)


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray, nclasses: int) -> float:
    """Mean recall over the classes present in y_true."""
    recall = per_class_recall(confusion_matrix(y_true, y_pred, nclasses))
    present = recall[np.isfinite(recall)]
    return float(present.mean()) if present.size else float("nan")


def score(losses: np.ndarray, y_true: np.ndarray, y_pred: np.ndarray, nclasses: int,
          unseen: np.ndarray) -> Metrics:
    """Metrics from per-example losses, labels, predictions and the unseen-name mask."""
    y_true, y_pred, unseen = np.asarray(y_true), np.asarray(y_pred), np.asarray(unseen, bool)
    right = y_true == y_pred
    n = len(y_true)
    return Metrics(
        loss=float(np.mean(losses)) if n else float("nan"),
        accuracy=float(right.mean()) if n else float("nan"),
        balanced_accuracy=balanced_accuracy(y_true, y_pred, nclasses),
        unseen_accuracy=float(right[unseen].mean()) if unseen.any() else float("nan"),
        n=n, n_unseen=int(unseen.sum()))
