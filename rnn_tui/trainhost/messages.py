"""What the training process tells the app: small frozen dataclasses that pickle through a Pipe.

Two kinds travel.  *Frames* (Frame, Reading) show the state of the moment;
a newer frame makes an older one worthless, so the child keeps only the
newest unsent one and the parent draws only the newest it has.  *Events*
(Ready, Paused, EpochEnd, Ended, Failed, Saved, Died) are never dropped and
arrive in order: the epoch curves are built from EpochEnd alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine.metrics import Metrics

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Frame:
    """The run after one batch (or before the first): counters, W, U, V, their gradients, and H."""

    kind: str                       # "start", "batch" or "epoch"
    epoch: int                      # 1-based; 0 before training
    batch: int                      # batches done in this epoch
    nbatches: int
    step: int                       # optimiser updates so far
    loss: float                     # mean loss per name of the last batch (nan before training)
    train_loss: float               # mean loss per name over this epoch so far
    names_per_sec: float
    elapsed: float                  # training seconds so far
    params: Arrays = field(repr=False)
    grads: Arrays = field(repr=False)
    H: np.ndarray = field(repr=False)             # final h of each name of the last batch: (batch, nhidden)
    names: tuple[str, ...] = ()     # the names of the last batch, in batch order
    paused: bool = False            # the child stopped after this batch (paused or single-stepping)


@dataclass(frozen=True)
class Reading:
    """Slow motion: the model reading one word, one character at a time (engine/rnn.py's forward).

    hs holds h_0 .. h_t (t + 1 rows); probs is softmax(V h_t), the guess after t characters.
    """

    step: int
    word: str
    t: int                          # characters read so far, 1 .. len(word)
    hs: np.ndarray = field(repr=False)            # (t + 1, nhidden)
    probs: np.ndarray = field(repr=False)         # (nclasses,)
    label: str = ""                 # the word's true language


@dataclass(frozen=True)
class Ready:
    """The data is loaded and the model built: what the panel needs to label its heatmaps."""

    classes: tuple[str, ...]
    chars: str                      # the vocabulary, in code order (U's columns)
    ntrain: int
    nvalid: int
    nbatches: int                   # batches per epoch
    batch_size: int                 # names per batch (1 under sgd)
    epochs: int
    source: str                     # where the names came from, for the status line
    config: dict[str, Any]
    seconds: float                  # how long loading and building took in the child
    frame: Frame                    # the initial weights
    run: int = 0                    # which load this run answers (0: the preset the process started with)


@dataclass(frozen=True)
class Paused:
    """The child has stopped after `step` updates and waits for the next command.

    `seen` counts the commands it had applied by then: a Paused with fewer than the
    parent had sent when it last resumed is stale (the resume crossed it on the way).
    """

    step: int
    seen: int = 0


@dataclass(frozen=True)
class EpochEnd:
    """One epoch's record: kept by the parent in order, never dropped."""

    epoch: int
    train_loss: float
    metrics: Metrics
    is_best: bool
    best_epoch: int
    confusion: np.ndarray = field(repr=False)     # validation confusion matrix, rows actual


@dataclass(frozen=True)
class Ended:
    """The run is over: finished, or stopped early (reason says which)."""

    reason: str
    epochs: int
    best: Metrics | None
    best_epoch: int


@dataclass(frozen=True)
class Failed:
    """The child could not load, build or train (a divergence, a bad path…): one line for the user."""

    message: str


@dataclass(frozen=True)
class Saved:
    """A model file was written (or could not be: error is set)."""

    path: str
    accuracy: float = float("nan")
    error: str = ""


@dataclass(frozen=True)
class Died:
    """Made by the parent: the training process went away without saying why."""

    message: str


FRAMES = (Frame, Reading)
