"""What decides a training run, and every choice it offers, in one place.

The command line, the lab and the lessons read their option lists from here
(`STRATEGIES`, `BACKENDS`, `OPTIMIZERS`, `SCHEDULES`, `INITS`, `CELLS`, `DTYPES`) so a new
choice appears everywhere at once, and `TrainConfig.check()` is the one place
that says which combinations work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .cells import BACKEND_CELLS, CELLS
from .cells import get as get_cell
from .optim import OPTIMIZERS, SCHEDULES
from .rnn import INITS

STRATEGIES = ("sgd", "minibatch", "vectorized")
"""The article's progression: update per name, loop a batch then update, the whole batch at once."""

BACKENDS = ("numpy", "torch", "nnrnn")
"""numpy: hand-written BPTT; torch: the same maths under autograd; nnrnn: torch.nn.RNN/GRU/LSTM."""

DTYPES = ("float32", "float64")

__all__ = ["BACKENDS", "CELLS", "DTYPES", "INITS", "OPTIMIZERS", "SCHEDULES", "STRATEGIES", "TrainConfig"]


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run."""

    strategy: str = "vectorized"
    backend: str = "numpy"
    device: str = "auto"
    nhidden: int = 128
    batch_size: int = 32
    lr: float = 0.002
    optimizer: str = "adam"
    epochs: int = 15
    schedule: str = "constant"   # the learning rate per epoch: see optim.epoch_lr
    stop_after: int = 0          # stop after this epoch (the schedule still spans `epochs`); 0: run them all
    patience: int = 0            # stop after this many epochs without a better validation score; 0: never
    seed: int = 0
    clip: float | None = 5.0     # max joint gradient norm; None: no clipping
    init: str = "default"
    bias: bool = False
    dtype: str = "float32"
    every: int = 0               # also yield a snapshot every this many batches; 0: epochs only
    every_seconds: float | None = None  # also yield when this much training time passed since the last
    # (every and every_seconds are only the starting cadence: see Trainer's `control`)
    max_seconds: float | None = None   # stop after this much training time
    threads: int | None = 1      # BLAS threads for the NumPy backend; None: leave as is
    cell: str = "rnn"            # rnn, gru or lstm: see cells.BACKEND_CELLS for who trains which
    # Weight each name's loss by n / (k n_c) (n names, k languages, n_c names of its language),
    # so every language counts as much as any other; the best epoch is then the one with the
    # best balanced accuracy.  A weighted loss, not balanced sampling: every name is still seen
    # exactly once per epoch (no copies of a small language's few names to memorise), and the
    # per-name, per-batch and vectorised strategies and all backends weight alike.
    balance: bool = False
    # Regularisers, training only (a trained model is used as it is).  dropout: the share of the
    # units of the last h that V does not see for one name in one update (the rest are scaled by
    # 1 / (1 - dropout)); NumPy backend, vectorized strategy, vanilla RNN.  char_dropout: the
    # chance that each character of a training name is left out for one epoch (at least one
    # character is kept), so that no single letter decides; every backend and strategy.
    dropout: float = 0.0
    char_dropout: float = 0.0

    @property
    def effective_batch(self) -> int:
        """Names per update: 1 under per-record SGD, batch_size otherwise."""
        return 1 if self.strategy == "sgd" else self.batch_size

    def check(self) -> None:
        """Raise ValueError with a one-line reason for a setting that cannot work."""
        choices = {"strategy": STRATEGIES, "backend": BACKENDS, "optimizer": OPTIMIZERS,
                   "init": INITS, "dtype": DTYPES, "cell": CELLS, "schedule": SCHEDULES}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")
        for name in ("nhidden", "batch_size", "epochs"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"learning rate must be a positive number, not {self.lr}")
        if self.clip is not None and not (self.clip > 0 and math.isfinite(self.clip)):
            raise ValueError(f"clip must be a positive number (or None for no clipping), not {self.clip}")
        for name in ("dropout", "char_dropout"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 0 and below 1, not {getattr(self, name)}")
        if self.dropout and (self.backend != "numpy" or self.strategy != "vectorized"
                             or not get_cell(self.cell).dropout):
            raise ValueError("dropout is offered by the numpy backend's vectorized strategy "
                             "for the vanilla RNN (rnn cell) only")
        if self.patience < 0 or self.every < 0:
            raise ValueError("patience and every must not be negative")
        if not 0 <= self.stop_after <= self.epochs:
            raise ValueError(f"stop_after must be from 0 to epochs ({self.epochs}), not {self.stop_after}")
        if self.cell not in BACKEND_CELLS[self.backend]:
            trainers = [b for b, cells in BACKEND_CELLS.items() if self.cell in cells]
            raise ValueError(f"the {self.backend} backend does not train the {self.cell} cell; "
                             f"use the {' or '.join(trainers)} backend")
        if self.backend == "nnrnn" and self.strategy != "vectorized":
            raise ValueError("the nnrnn backend (torch.nn.RNN) only trains with --strategy vectorized")
        if self.backend != "nnrnn" and self.init not in get_cell(self.cell).inits:
            raise ValueError(f"the {self.cell} cell starts only from init "
                             f"{', '.join(get_cell(self.cell).inits)}, not {self.init!r}")
