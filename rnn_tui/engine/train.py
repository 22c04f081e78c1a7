"""Finding W, U, V: the training loop of the article's sections 1.5, 2.1 and 2.2.

Four strategies follow the article's progression:

1. "sgd": per-record SGD, one update after every name (SGD.ipynb);
2. "minibatch": loop over the names of a batch, sum their losses, one update
   (minibatch.ipynb);
3. "vectorized": the whole left-padded batch at each time step (vectorized.ipynb);
4. the vectorised strategy with the torch backend on a device (gpu.ipynb).

`Trainer.run()` is a plain generator of immutable `Snapshot`s at the cadence
the caller picks (every k batches, and always at the end of an epoch with the
validation metrics).  It prints nothing and starts no threads: the command
line prints what it pulls, the app draws it, and either may stop pulling at
any time.  The best parameters seen so far (by validation accuracy, or by
balanced accuracy when the config balances the classes) are kept, and stay
available from `final()` after the caller stops pulling, after Ctrl+C and
after the run diverges.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from .backend import Backend, NumpyBackend, evaluate, make_backend, split_confusion
from .config import BACKENDS, STRATEGIES, TrainConfig
from .control import Cadence
from .dataset import Dataset, Split
from .metrics import Metrics
from .optim import epoch_lr
from .rnn import Params

# Trainer's neighbours, importable from here as before the engine was split into modules
__all__ = ["BACKENDS", "DIVERGED_LOSS", "STRATEGIES", "Backend", "Dataset", "NumpyBackend", "Snapshot",
           "Split", "TrainConfig", "Trainer", "TrainingDiverged", "evaluate", "make_backend",
           "split_confusion"]

# A uniform guess over even 1,000 classes loses log(1000) = 6.9 per name; a loss of
# 1e4 means the right class got a probability near e^-10000.  Past that (or at
# NaN or infinity) the run has diverged, even where tanh saturation keeps it finite.
DIVERGED_LOSS = 1e4


class TrainingDiverged(RuntimeError):
    """The loss became NaN, infinite or absurdly large."""


@dataclass(frozen=True)
class Snapshot:
    """The state of a run at one moment; arrays are read-only copies."""

    kind: str                    # "batch" or "epoch"
    epoch: int                   # 1-based
    batch: int                   # batches done in this epoch
    nbatches: int
    step: int                    # optimiser updates so far
    loss: float                  # mean loss per name of the last batch
    train_loss: float            # mean loss per name over this epoch so far
    names_per_sec: float         # names trained per second of training time this epoch
    elapsed: float               # training seconds since the start of the run
    # arrays stay out of repr(): printing them per snapshot would cost more than training
    params: Mapping[str, np.ndarray] = field(repr=False)
    grads: Mapping[str, np.ndarray] = field(repr=False)
    H: np.ndarray = field(repr=False)   # final hidden states of the last batch, (batch, nhidden)
    metrics: Metrics | None = None   # validation metrics, on epoch snapshots
    best: Metrics | None = None
    is_best: bool = False
    stop_reason: str | None = None   # set on the last snapshot when a run ends early
    history: tuple[Metrics, ...] = ()        # validation metrics of every finished epoch, oldest first
    train_losses: tuple[float, ...] = ()     # mean training loss of every finished epoch


def leave_out_characters(codes: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """A name's codes with each left out with probability p, always keeping at least one.

    Data augmentation (TrainConfig.char_dropout): the model meets "kowalski"
    also as "kowalsi" or "kwalski", so it cannot lean on one letter.
    """
    if p <= 0 or len(codes) == 0:
        return codes
    kept = rng.random(len(codes)) >= p
    if not kept.any():
        kept[rng.integers(len(codes))] = True
    return codes[kept]


def _frozen(arrays: Params) -> Mapping[str, np.ndarray]:
    for a in arrays.values():
        a.setflags(write=False)
    return MappingProxyType(arrays)


class Trainer:
    """A training run over a Dataset; pull snapshots from run().

    `control` sets how often run() yields between epochs; it is read before
    every batch, so another thread (or process) may change it mid-run.
    Without one, the trainer makes its own from the config's `every` and
    `every_seconds`.  Consumers on another thread should read the epoch
    history from the snapshots (immutable tuples), not from `history`.
    """

    def __init__(self, data: Dataset, config: TrainConfig | None = None,
                 init_params: Params | None = None, control: Cadence | None = None) -> None:
        self.data = data
        self.config = config if config is not None else TrainConfig()
        self.init_params = init_params
        self.control = control if control is not None else Cadence(self.config.every,
                                                                   self.config.every_seconds)
        self.config.check()
        if len(self.data.train) == 0:
            raise ValueError("the training split is empty: there is nothing to learn from")
        nclasses = len(self.data.classes)
        self.backend = make_backend(self.config, self.data.nfeatures, nclasses, self.init_params)
        self.history: list[Metrics] = []          # validation metrics per epoch
        self.train_losses: list[float] = []       # mean training loss per epoch
        self.best_params: Params | None = None
        self.best_metrics: Metrics | None = None
        self.best_epoch = 0
        self.step = 0
        self.elapsed = 0.0
        self.stop_reason: str | None = None
        self.diverged: str | None = None          # the TrainingDiverged message, once it happened
        self._seen = frozenset(self.data.train.names)
        # per-class loss weights under `balance` (see TrainConfig.balance), None otherwise
        self.class_weights = data.train.balanced_weights(nclasses) if self.config.balance else None

    def __repr__(self) -> str:
        return f"Trainer({self.config!r}, step={self.step})"

    def params(self) -> Params:
        """Copies of the current parameters (not necessarily the best: see final())."""
        return self.backend.params()

    def run(self) -> Iterator[Snapshot]:
        """Train, yielding snapshots; the generator ends when training does."""
        cfg, data = self.config, self.data
        limiter, torch_threads = None, None
        if cfg.threads and self.backend.name == "numpy":
            from threadpoolctl import threadpool_limits

            limiter = threadpool_limits(limits=cfg.threads, user_api="blas")
        elif cfg.threads and self.backend.name in ("torch", "nnrnn"):
            # torch's own pool, not BLAS: on a busy 2-core machine its spinning threads made an LSTM
            # batch 20 times slower (177 ms against 8 ms with one thread)
            import torch

            torch_threads = torch.get_num_threads()
            torch.set_num_threads(cfg.threads)
        try:
            yield from self._epochs(cfg, data)
        finally:
            if limiter is not None:
                limiter.restore_original_limits()
            if torch_threads is not None:
                import torch

                torch.set_num_threads(torch_threads)

    def _epochs(self, cfg: TrainConfig, data: Dataset) -> Iterator[Snapshot]:
        rng = np.random.default_rng(cfg.seed)
        noise = np.random.default_rng([cfg.seed, 2])       # its own stream: the batch order is unchanged
        n = len(data.train)
        size = cfg.effective_batch
        since_best = 0
        last_yield = self.elapsed
        control = self.control
        last = cfg.stop_after or cfg.epochs
        for epoch in range(1, last + 1):
            self.backend.set_lr(epoch_lr(cfg.lr, cfg.schedule, epoch, cfg.epochs))
            order = rng.permutation(n)                     # reshuffle every epoch
            batches = [order[i:i + size] for i in range(0, n, size)]
            seen, total, epoch_time = 0, 0.0, 0.0
            for b, idx in enumerate(batches, 1):
                t0 = time.perf_counter()
                y = data.train.y[idx]
                weights = None if self.class_weights is None else self.class_weights[y]
                seqs = [data.train.seqs[i] for i in idx]
                if cfg.char_dropout:
                    seqs = [leave_out_characters(s, cfg.char_dropout, noise) for s in seqs]
                loss = self.backend.step(cfg.strategy, seqs, y, weights)
                dt = time.perf_counter() - t0
                epoch_time += dt
                self.elapsed += dt
                self.step += 1
                if not loss < DIVERGED_LOSS:             # also catches NaN
                    self.diverged = self._diverged_message(loss, epoch, b)
                    self.stop_reason = "diverged"
                    raise TrainingDiverged(self.diverged)
                seen += len(idx)
                total += loss * len(idx)
                out_of_time = cfg.max_seconds is not None and self.elapsed >= cfg.max_seconds
                if out_of_time:
                    self.stop_reason = "time limit"
                    break
                every, every_seconds = control.get()
                due = (every and b % every == 0) or \
                    (every_seconds is not None and self.elapsed - last_yield >= every_seconds)
                if due and b < len(batches):
                    last_yield = self.elapsed
                    yield self._snapshot("batch", epoch, b, len(batches), loss, total / seen,
                                         seen / max(epoch_time, 1e-9))
            metrics = evaluate(self.backend, data.valid, len(data.classes), self._seen)
            self.train_losses.append(total / max(seen, 1))
            self.history.append(metrics)
            is_best = self._better(metrics)
            if is_best:
                self.best_params, self.best_metrics, self.best_epoch = self.backend.params(), metrics, epoch
                since_best = 0
            else:
                since_best += 1
            if cfg.patience and since_best >= cfg.patience and self.stop_reason is None:
                what = "balanced accuracy" if cfg.balance else "accuracy"
                self.stop_reason = f"no better validation {what} for {cfg.patience} epochs"
            if epoch == last and self.stop_reason is None:
                self.stop_reason = "finished"
            last_yield = self.elapsed
            yield self._snapshot("epoch", epoch, b, len(batches), loss, total / max(seen, 1),
                                 seen / max(epoch_time, 1e-9), metrics, is_best)
            if self.stop_reason is not None:
                return

    def _better(self, m: Metrics) -> bool:
        best = self.best_metrics
        if best is None:
            return True
        if not np.isfinite(m.accuracy):             # no validation split: judge by training only
            return True
        if self.config.balance:
            return (m.balanced_accuracy, m.accuracy, -m.loss) > \
                (best.balanced_accuracy, best.accuracy, -best.loss)
        return (m.accuracy, -m.loss) > (best.accuracy, -best.loss)

    def _snapshot(self, kind: str, epoch: int, batch: int, nbatches: int, loss: float,
                  train_loss: float, rate: float, metrics: Metrics | None = None,
                  is_best: bool = False) -> Snapshot:
        H = self.backend.last_hidden()
        H.setflags(write=False)
        return Snapshot(kind=kind, epoch=epoch, batch=batch, nbatches=nbatches, step=self.step,
                        loss=loss, train_loss=train_loss, names_per_sec=rate, elapsed=self.elapsed,
                        params=_frozen(self.backend.params()), grads=_frozen(self.backend.grads()),
                        H=H, metrics=metrics, best=self.best_metrics, is_best=is_best,
                        stop_reason=self.stop_reason if kind == "epoch" else None,
                        history=tuple(self.history), train_losses=tuple(self.train_losses))

    def _diverged_message(self, loss: float, epoch: int, batch: int) -> str:
        cfg = self.config
        hint = f"the learning rate {cfg.lr:g} is probably too high for {cfg.optimizer}: try {cfg.lr / 10:g}"
        if not cfg.clip:
            hint += ", or clip gradients (--clip 5)"
        return f"training diverged: the loss reached {loss:.3g} at epoch {epoch}, batch {batch}; {hint}"

    def final(self) -> tuple[Params, Metrics]:
        """The best parameters and their metrics; the current ones if no epoch finished yet.

        Usable after the run diverged: it gives the best epoch before the
        divergence.  If none had finished, the current parameters are what
        diverged, so it raises TrainingDiverged again (saying why) rather than
        hand them out.
        """
        if self.best_params is None or self.best_metrics is None:
            if self.diverged is not None:
                raise TrainingDiverged(f"{self.diverged} (no epoch had finished: there is no model to keep)")
            metrics = evaluate(self.backend, self.data.valid, len(self.data.classes), self._seen)
            return self.backend.params(), metrics
        return self.best_params, self.best_metrics

