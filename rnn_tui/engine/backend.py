"""Who does the arithmetic of a training step: the Backend protocol and the NumPy backend.

The trainer only ever talks to a `Backend`: one optimiser update on a batch,
scores for many words, and copies of the parameters and gradients under the
model file's names.  Three implement it: `NumpyBackend` here (the
hand-written forward and backward of the chosen cell), and in torch_rnn.py
`TorchBackend` (the same maths under autograd) and `ReferenceBackend`
(torch.nn.RNN, GRU or LSTM).  `make_backend` builds the one a config names;
torch is imported only when a torch backend is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from . import cells
from .config import TrainConfig
from .dataset import Split
from .metrics import Metrics, confusion_matrix, score
from .optim import clip_by_norm, make_optimizer
from .rnn import Params, log_softmax
from .speedups import Workspace, longest_first
from .vocab import pad_batch


class Backend(Protocol):
    """What the trainer needs from whoever computes a training step."""

    name: str

    def step(self, strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray,
             weights: np.ndarray | None = None) -> float:
        """One optimiser update on a batch; returns the (weighted) mean loss per name."""
        ...

    def evaluate(self, seqs: Sequence[np.ndarray]) -> np.ndarray:
        """Scores (len(seqs), nclasses) of the current parameters, in input order."""
        ...

    def last_hidden(self) -> np.ndarray:
        """The last batch's final hidden states, (batch, nhidden), in batch order."""
        ...

    def params(self) -> Params:
        """Copies of the parameters, under the cell's names (see cells.py)."""
        ...

    def grads(self) -> Params:
        """Copies of the last update's gradients, keyed like params()."""
        ...

    def load(self, P: Params) -> None:
        """Overwrite the parameters with these values."""
        ...

    def set_lr(self, lr: float) -> None:
        """Use this learning rate from the next update on (the optimiser's state is kept)."""
        ...


class NumpyBackend:
    """The hand-written engine: the cell's one-word code per record, its batch code per batch.

    All parameters are views into one flat array, and so are the gradients
    the optimiser sees, so Adam and clipping make a handful of NumPy calls per
    update instead of a handful per matrix.
    """

    name = "numpy"

    def __init__(self, P: Params, optimizer: str, lr: float, clip: float | None,
                 cell: str = "rnn", dropout: float = 0.0, seed: int = 0) -> None:
        self.cell = cells.get(cell)
        if not self.cell.trains_in_numpy:
            raise ValueError(f"the NumPy backend cannot train the {cell} cell")
        self.flat = np.concatenate([np.ravel(v) for v in P.values()])
        self.flat_grad = np.zeros_like(self.flat)
        self.P, self.G = self._views(self.flat, P), self._views(self.flat_grad, P)
        self.nfeatures = self.P["U"].shape[1]
        self.opt = make_optimizer(optimizer, {"all": self.flat}, lr)
        self.clip = clip
        self.ws = Workspace()
        if dropout and not self.cell.dropout:
            raise ValueError(f"the {cell} cell has no dropout")
        self.dropout = dropout
        self.rng = np.random.default_rng([seed, 1])              # its own stream: the batch order is unchanged
        self._last_h = np.zeros((0, self.P["V"].shape[1]), dtype=self.flat.dtype)

    @staticmethod
    def _views(flat: np.ndarray, like: Params) -> Params:
        views, offset = {}, 0
        for k, v in like.items():
            views[k] = flat[offset:offset + v.size].reshape(v.shape)
            offset += v.size
        return views

    def step(self, strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray,
             weights: np.ndarray | None = None) -> float:
        """One optimiser update; returns the (weighted) mean loss per name of the batch."""
        y = np.asarray(y)
        if strategy == "vectorized":
            batch_step = self.cell.batch_step
            assert batch_step is not None                        # checked in __init__
            order = longest_first(list(seqs))                    # see speedups, trick 2
            X = pad_batch([seqs[i] for i in order], pad=self.nfeatures)
            w = None if weights is None else np.asarray(weights)[order]
            keep = None
            if self.dropout:                                     # inverted dropout on h_m: see batched.py
                nh = self.P["W"].shape[1]
                keep = (self.rng.random((len(seqs), nh)) >= self.dropout).astype(self.flat.dtype)
                keep /= 1.0 - self.dropout
            loss, G, h_last = batch_step(self.P, X, y[order], w, self.ws, keep)
            total = loss * len(seqs)
            self._last_h = np.empty_like(h_last)
            self._last_h[order] = h_last                         # back in batch order
            for k, g in G.items():
                self.G[k][...] = g
        else:  # one record at a time; "sgd" batches hold one name
            word_step = self.cell.word_step
            assert word_step is not None
            self.flat_grad[:] = 0.0
            total, hs = 0.0, []
            for i, (s, label) in enumerate(zip(seqs, y)):
                weight = 1.0 if weights is None else float(weights[i])
                loss, h = word_step(self.P, s, int(label), weight, self.G)
                total += loss
                hs.append(h)
            self._last_h = np.stack(hs)
        if not np.isfinite(total):
            return float(total)
        clip_by_norm({"all": self.flat_grad}, self.clip)
        self.opt.step({"all": self.flat}, {"all": self.flat_grad})
        return float(total / len(seqs))

    def evaluate(self, seqs: Sequence[np.ndarray]) -> np.ndarray:
        """Logits for many words."""
        return self.cell.predict_logits(self.P, list(seqs))

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

    def set_lr(self, lr: float) -> None:
        """Use this learning rate from the next update on."""
        self.opt.lr = lr


def make_backend(cfg: TrainConfig, nfeatures: int, nclasses: int, P: Params | None = None) -> Backend:
    """The backend a config names, starting from P or a fresh seeded init."""
    cfg.check()
    dtype = np.float64 if cfg.dtype == "float64" else np.float32
    if cfg.backend == "nnrnn":
        from .torch_rnn import ReferenceBackend

        reference = ReferenceBackend(nfeatures, cfg.nhidden, nclasses, cfg.seed, cfg.device,
                                     cfg.optimizer, cfg.lr, cfg.clip, dtype, cfg.cell)
        if P is not None:
            reference.load(P)
        return reference
    cell = cells.get(cfg.cell)
    if P is None:
        assert cell.init_params is not None                      # cfg.check() refuses the others
        P = cell.init_params(nfeatures, cfg.nhidden, nclasses, init=cfg.init, bias=cfg.bias,
                             seed=cfg.seed, dtype=dtype)
    if cfg.backend == "numpy":
        return NumpyBackend({k: np.array(v, dtype=dtype) for k, v in P.items()},
                            cfg.optimizer, cfg.lr, cfg.clip, cfg.cell, cfg.dropout, cfg.seed)
    from .torch_rnn import TorchBackend

    return TorchBackend(P, cfg.device, cfg.optimizer, cfg.lr, cfg.clip, dtype, cfg.cell)


def evaluate(backend: Backend, split: Split, nclasses: int, seen: frozenset[str] = frozenset()) -> Metrics:
    """Validation metrics of the backend's current parameters on a split."""
    logits = backend.evaluate(split.seqs) if len(split) else np.zeros((0, nclasses))
    logp = log_softmax(np.asarray(logits, dtype=np.float64), axis=1)
    y = np.asarray(split.y, dtype=np.int64)
    losses = -logp[np.arange(len(y)), y]
    unseen = np.array([n not in seen for n in split.names], dtype=bool)
    return score(losses, y, logp.argmax(axis=1), nclasses, unseen)


def split_confusion(P: Params, split: Split, nclasses: int, cell: str = "rnn") -> np.ndarray:
    """Confusion matrix (rows actual, columns guessed) of a cell's parameters P on a split."""
    if len(split) == 0:
        return np.zeros((nclasses, nclasses), dtype=np.int64)
    pred = cells.get(cell).predict_logits(P, list(split.seqs)).argmax(axis=1)
    return confusion_matrix(split.y, pred, nclasses)
