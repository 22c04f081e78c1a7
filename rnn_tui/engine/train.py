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
any time.  The best parameters seen so far (by validation accuracy) are kept.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from . import batched, rnn
from .control import Cadence
from .metrics import Metrics, score
from .optim import OPTIMIZERS, clip_by_norm, make_optimizer
from .rnn import Params

STRATEGIES = ("sgd", "minibatch", "vectorized")
BACKENDS = ("numpy", "torch", "nnrnn")


# A uniform guess over even 1,000 classes loses log(1000) = 6.9 per name; a loss of
# 1e4 means the right class got a probability near e^-10000.  Past that (or at
# NaN or infinity) the run has diverged, even where tanh saturation keeps it finite.
DIVERGED_LOSS = 1e4


class TrainingDiverged(RuntimeError):
    """The loss became NaN, infinite or absurdly large."""


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


@dataclass(frozen=True)
class Dataset:
    """A training and a validation split over one vocabulary and class list."""

    train: Split
    valid: Split
    nfeatures: int
    classes: tuple[str, ...]


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
    cell: str = "rnn"            # the nnrnn backend's cell: rnn, lstm or gru

    def check(self) -> None:
        """Raise ValueError with a one-line reason for a setting that cannot work."""
        choices = {"strategy": STRATEGIES, "backend": BACKENDS, "optimizer": OPTIMIZERS,
                   "init": rnn.INITS, "dtype": ("float32", "float64")}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")
        for name in ("nhidden", "batch_size", "epochs"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if not self.lr > 0 or not np.isfinite(self.lr):
            raise ValueError(f"learning rate must be a positive number, not {self.lr}")
        if self.patience < 0 or self.every < 0:
            raise ValueError("patience and every must not be negative")
        if self.cell not in ("rnn", "lstm", "gru"):
            raise ValueError(f"cell must be one of rnn, lstm, gru, not {self.cell!r}")
        if self.cell != "rnn" and self.backend != "nnrnn":
            raise ValueError("gated cells (lstm, gru) need the nnrnn backend")
        if self.backend == "nnrnn" and self.strategy != "vectorized":
            raise ValueError("the nnrnn backend (torch.nn.RNN) only trains with --strategy vectorized")


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


def _frozen(arrays: Params) -> Mapping[str, np.ndarray]:
    for a in arrays.values():
        a.setflags(write=False)
    return MappingProxyType(arrays)


class NumpyBackend:
    """The hand-written engine: rnn.py per record, batched.py per batch.

    All parameters are views into one flat array, and so are the gradients
    the optimiser sees, so Adam and clipping make a handful of NumPy calls per
    update instead of a handful per matrix.
    """

    name = "numpy"

    def __init__(self, P: Params, optimizer: str, lr: float, clip: float | None) -> None:
        self.flat = np.concatenate([np.ravel(v) for v in P.values()])
        self.flat_grad = np.zeros_like(self.flat)
        self.P, self.G = self._views(self.flat, P), self._views(self.flat_grad, P)
        self.nfeatures = self.P["U"].shape[1]
        self.opt = make_optimizer(optimizer, {"all": self.flat}, lr)
        self.clip = clip
        self.ws = batched.Workspace()
        self._last_h = np.zeros((0, self.P["W"].shape[0]), dtype=self.flat.dtype)

    @staticmethod
    def _views(flat: np.ndarray, like: Params) -> Params:
        views, offset = {}, 0
        for k, v in like.items():
            views[k] = flat[offset:offset + v.size].reshape(v.shape)
            offset += v.size
        return views

    def step(self, strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray) -> float:
        """One optimiser update; returns the mean loss per name of the batch."""
        if strategy == "vectorized":
            from .vocab import pad_batch

            order = np.argsort([-len(s) for s in seqs], kind="stable")   # longest first: see batched
            X = pad_batch([seqs[i] for i in order], pad=self.nfeatures)
            loss, G, tr = batched.loss_and_grads(self.P, X, np.asarray(y)[order], "mean", ws=self.ws)
            total = loss * len(seqs)
            self._last_h = np.empty_like(tr.H[-1])
            self._last_h[order] = tr.H[-1]                    # back in batch order
            for k, g in G.items():
                self.G[k][...] = g
        else:  # one record at a time; "sgd" batches hold one name
            self.flat_grad[:] = 0.0
            total, hs = 0.0, []
            for s, label in zip(seqs, y):
                trace = rnn.forward(self.P, s)
                total += rnn.backward(self.P, trace, int(label), grads=self.G)
                hs.append(trace.h)
            self._last_h = np.stack(hs)
        if not np.isfinite(total):
            return float(total)
        clip_by_norm({"all": self.flat_grad}, self.clip)
        self.opt.step({"all": self.flat}, {"all": self.flat_grad})
        return float(total / len(seqs))

    def evaluate(self, seqs: Sequence[np.ndarray]) -> np.ndarray:
        """Logits for many words."""
        return batched.predict_logits(self.P, list(seqs))

    def last_hidden(self) -> np.ndarray:
        """The last batch's final hidden states."""
        return self._last_h.copy()

    def params(self) -> Params:
        """Copies of the parameters."""
        return {k: v.copy() for k, v in self.P.items()}

    def grads(self) -> Params:
        """Copies of the last update's gradients."""
        return {k: v.copy() for k, v in self.G.items()}

    def load(self, P: Params) -> None:
        """Overwrite the parameters in place."""
        for k, v in P.items():
            self.P[k][...] = v


def make_backend(cfg: TrainConfig, nfeatures: int, nclasses: int, P: Params | None = None):
    """The backend a config names, starting from P or a fresh seeded init."""
    dtype = np.float64 if cfg.dtype == "float64" else np.float32
    if P is None and cfg.backend != "nnrnn":
        P = rnn.init_params(nfeatures, cfg.nhidden, nclasses, init=cfg.init, bias=cfg.bias,
                            seed=cfg.seed, dtype=dtype)
    if cfg.backend == "numpy":
        return NumpyBackend({k: np.array(v, dtype=dtype) for k, v in P.items()},
                            cfg.optimizer, cfg.lr, cfg.clip)
    from .torch_rnn import ReferenceBackend, TorchBackend

    if cfg.backend == "torch":
        return TorchBackend(P, cfg.device, cfg.optimizer, cfg.lr, cfg.clip, dtype)
    backend = ReferenceBackend(nfeatures, cfg.nhidden, nclasses, cfg.seed, cfg.device,
                               cfg.optimizer, cfg.lr, cfg.clip, dtype, cfg.cell)
    if P is not None:
        backend.load(P)
    return backend


def evaluate(backend, split: Split, nclasses: int, seen: frozenset[str] = frozenset()) -> Metrics:
    """Validation metrics of the backend's current parameters on a split."""
    logits = backend.evaluate(split.seqs) if len(split) else np.zeros((0, nclasses))
    logp = rnn.log_softmax(np.asarray(logits, dtype=np.float64), axis=1)
    y = np.asarray(split.y, dtype=np.int64)
    losses = -logp[np.arange(len(y)), y]
    unseen = np.array([n not in seen for n in split.names], dtype=bool)
    return score(losses, y, logp.argmax(axis=1), nclasses, unseen)


def split_confusion(P: Params, split: Split, nclasses: int) -> np.ndarray:
    """Confusion matrix (rows actual, columns guessed) of parameters P on a split."""
    from .metrics import confusion_matrix

    if len(split) == 0:
        return np.zeros((nclasses, nclasses), dtype=np.int64)
    pred = batched.predict_logits(P, list(split.seqs)).argmax(axis=1)
    return confusion_matrix(split.y, pred, nclasses)


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
        self._seen = frozenset(self.data.train.names)

    def __repr__(self) -> str:
        return f"Trainer({self.config!r}, step={self.step})"

    def params(self) -> Params:
        """Copies of the current parameters (not necessarily the best: see final())."""
        return self.backend.params()

    def run(self) -> Iterator[Snapshot]:
        """Train, yielding snapshots; the generator ends when training does."""
        cfg, data = self.config, self.data
        limiter = None
        if cfg.threads and self.backend.name == "numpy":
            from threadpoolctl import threadpool_limits

            limiter = threadpool_limits(limits=cfg.threads, user_api="blas")
        try:
            yield from self._epochs(cfg, data)
        finally:
            if limiter is not None:
                limiter.restore_original_limits()

    def _epochs(self, cfg: TrainConfig, data: Dataset) -> Iterator[Snapshot]:
        rng = np.random.default_rng(cfg.seed)
        n = len(data.train)
        size = 1 if cfg.strategy == "sgd" else cfg.batch_size
        since_best = 0
        last_yield = self.elapsed
        control = self.control
        for epoch in range(1, cfg.epochs + 1):
            order = rng.permutation(n)                     # reshuffle every epoch
            batches = [order[i:i + size] for i in range(0, n, size)]
            seen, total, epoch_time = 0, 0.0, 0.0
            for b, idx in enumerate(batches, 1):
                t0 = time.perf_counter()
                loss = self.backend.step(cfg.strategy, [data.train.seqs[i] for i in idx],
                                         data.train.y[idx])
                dt = time.perf_counter() - t0
                epoch_time += dt
                self.elapsed += dt
                self.step += 1
                if not loss < DIVERGED_LOSS:             # also catches NaN
                    raise TrainingDiverged(self._diverged_message(loss, epoch, b))
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
                self.stop_reason = f"no better validation accuracy for {cfg.patience} epochs"
            if epoch == cfg.epochs and self.stop_reason is None:
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
        """The best parameters and their metrics; the current ones if no epoch finished yet."""
        if self.best_params is None:
            metrics = evaluate(self.backend, self.data.valid, len(self.data.classes), self._seen)
            return self.backend.params(), metrics
        return self.best_params, self.best_metrics

