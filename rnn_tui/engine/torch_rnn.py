"""The same RNN in PyTorch: the article's notebooks (autograd) and gpu.ipynb (a device).

This module imports torch at its top; nothing else in the package imports
it except on demand (make_backend for a torch backend, the lessons that show
PyTorch), so the app and the command line start without torch.

- `forward_batch` / `batch_loss`: the vectorised recurrence of batched.py
  (or of gru.py) with torch tensors, so autograd computes the gradients the
  NumPy code writes by hand.  Tests compare the two.
- `TorchBackend`: trains Parr's W, U, V (or a GRU's) with autograd and a torch
  optimiser on `cpu`, `cuda` or `mps`.
- `ReferenceBackend`: the usual way, `torch.nn.RNN` (or `nn.GRU`, `nn.LSTM`)
  plus `nn.Linear` fed packed one-hot sequences, with the same sizes; the
  yardstick for speed and accuracy.  Its weights are exported under the
  names cells.py gives each cell, so a model file reads the same whichever
  backend wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from .devices import DEVICES, DeviceUnavailable, torch_available
from .rnn import Params
from .vocab import pad_batch

__all__ = ["DEVICES", "DeviceUnavailable", "ReferenceBackend", "TorchBackend", "batch_loss",
           "forward_batch", "pick_device", "reference_rnn", "to_tensors", "torch_available"]


def pick_device(name: str = "auto") -> torch.device:
    """A torch.device by name; "auto" takes CUDA, then MPS, then the CPU."""
    if name not in DEVICES and not name.startswith("cuda:"):
        raise DeviceUnavailable(f"unknown device {name!r}: choose one of {', '.join(DEVICES)}")
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if has_mps else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise DeviceUnavailable("no CUDA device is visible to torch here: use --device cpu (or auto)")
    if name == "mps" and not has_mps:
        raise DeviceUnavailable("no Apple MPS device is available here: use --device cpu (or auto)")
    return torch.device(name)


def _dtype(dtype: Any) -> torch.dtype:
    return torch.float64 if np.dtype(dtype) == np.float64 else torch.float32


def _bias(T: dict[str, torch.Tensor], name: str) -> torch.Tensor | float:
    return T[name] if name in T else 0.0


def forward_batch(T: dict[str, torch.Tensor], X: torch.Tensor, mask: bool | None = None,
                  cell: str = "rnn") -> tuple[torch.Tensor, torch.Tensor]:
    """Logits (batch, nclasses) and final H (batch, nhidden) for a left-padded code matrix.

    cell "rnn" is batched.py's recurrence, "gru" gru.py's, written with torch
    operations so that autograd can check the hand-written gradients.
    """
    if cell == "gru":
        return _forward_gru(T, X, mask)
    if cell != "rnn":
        raise ValueError(f"forward_batch knows the rnn and gru cells, not {cell!r}")
    W, U, V = T["W"], T["U"], T["V"]
    nhidden, nfeatures = U.shape
    rows = torch.cat([U.T, U.new_zeros(1, nhidden)])          # padding code gathers zeros
    use_mask = ("bh" in T) if mask is None else mask
    H = U.new_zeros(X.shape[0], nhidden)
    for t in range(X.shape[1]):
        A = torch.tanh(H @ W.T + rows[X[:, t]] + _bias(T, "bh"))
        H = torch.where((X[:, t] != nfeatures)[:, None], A, H) if use_mask else A
    return H @ V.T + _bias(T, "bo"), H


def _forward_gru(T: dict[str, torch.Tensor], X: torch.Tensor,
                 mask: bool | None) -> tuple[torch.Tensor, torch.Tensor]:
    W, U, V = T["W"], T["U"], T["V"]
    n, nfeatures = W.shape[1], U.shape[1]
    rows = torch.cat([U.T, U.new_zeros(1, 3 * n)])
    use_mask = ("bu" in T) if mask is None else mask
    H = U.new_zeros(X.shape[0], n)
    for t in range(X.shape[1]):
        ux = rows[X[:, t]] + _bias(T, "bu")
        wh = H @ W.T + _bias(T, "bw")
        r = torch.sigmoid(ux[:, :n] + wh[:, :n])
        z = torch.sigmoid(ux[:, n:2 * n] + wh[:, n:2 * n])
        cand = torch.tanh(ux[:, 2 * n:] + r * wh[:, 2 * n:])
        new = (1 - z) * cand + z * H
        H = torch.where((X[:, t] != nfeatures)[:, None], new, H) if use_mask else new
    return H @ V.T + _bias(T, "bo"), H


def batch_loss(T: dict[str, torch.Tensor], X: torch.Tensor, y: torch.Tensor, reduction: str = "mean",
               mask: bool | None = None, cell: str = "rnn",
               weights: torch.Tensor | None = None) -> torch.Tensor:
    """Cross-entropy of a padded batch (torch's log-softmax form: stable), optionally weighted per word."""
    logits, _ = forward_batch(T, X, mask, cell)
    return _weighted_cross_entropy(logits, y, reduction, weights)


def _weighted_cross_entropy(logits: torch.Tensor, y: torch.Tensor, reduction: str,
                            weights: torch.Tensor | None) -> torch.Tensor:
    if weights is None:
        return F.cross_entropy(logits, y, reduction=reduction)
    losses = F.cross_entropy(logits, y, reduction="none") * weights   # batched.output_loss's rule
    return losses.mean() if reduction == "mean" else losses.sum()


def to_tensors(P: Params, device: Any = "cpu", requires_grad: bool = True) -> dict[str, torch.Tensor]:
    """Copies of NumPy parameters as torch leaf tensors."""
    return {k: torch.tensor(np.asarray(v), device=device, requires_grad=requires_grad)
            for k, v in P.items()}


def _to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


class _TorchTrainable:
    """What both torch backends share: an optimiser, clipping, evaluation in chunks."""

    name = "torch"
    nclasses: int

    def __init__(self, device: str, optimizer: str, lr: float, clip: float | None,
                 dtype: Any) -> None:
        self.device = pick_device(device)
        self.dtype = _dtype(dtype)
        self.clip = clip
        self._opt_name, self._lr = optimizer, lr
        self._last_h: torch.Tensor | None = None

    def _make_optimizer(self, tensors: list[torch.Tensor]) -> None:
        cls = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}[self._opt_name]
        self.opt = cls(tensors, lr=self._lr)

    def set_lr(self, lr: float) -> None:
        """Use this learning rate from the next update on (Adam's moments are kept)."""
        for group in self.opt.param_groups:
            group["lr"] = lr

    def _apply(self, loss: torch.Tensor, tensors: list[torch.Tensor]) -> None:
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        if self.clip:
            torch.nn.utils.clip_grad_norm_(tensors, self.clip)
        self.opt.step()

    def _labels(self, y: Sequence[int] | np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(y, dtype=np.int64), device=self.device)

    def _weights(self, weights: np.ndarray | None) -> torch.Tensor | None:
        if weights is None:
            return None
        return torch.as_tensor(np.asarray(weights), dtype=self.dtype, device=self.device)

    def _logits(self, seqs: Sequence[np.ndarray]) -> torch.Tensor:
        raise NotImplementedError

    def last_hidden(self) -> np.ndarray:
        """The last trained batch's final hidden states, (batch, nhidden)."""
        if self._last_h is None:
            return np.zeros((0, 0))
        return _to_numpy(self._last_h)

    def evaluate(self, seqs: Sequence[np.ndarray], chunk: int = 2048) -> np.ndarray:
        """Logits for many words as a NumPy array, in input order."""
        out = np.empty((len(seqs), self.nclasses), dtype=np.float64)
        order = np.argsort([len(s) for s in seqs], kind="stable")
        with torch.no_grad():
            for start in range(0, len(order), chunk):
                idx = order[start:start + chunk]
                out[idx] = self._logits([seqs[i] for i in idx]).cpu().numpy()
        return out


class TorchBackend(_TorchTrainable):
    """Parr's W, U, V (or a GRU's parameters) trained with autograd on a torch device."""

    name = "torch"

    def __init__(self, P: Params, device: str = "auto", optimizer: str = "adam", lr: float = 0.005,
                 clip: float | None = None, dtype: Any = np.float32, cell: str = "rnn") -> None:
        super().__init__(device, optimizer, lr, clip, dtype)
        self.cell = cell
        self.nfeatures = P["U"].shape[1]
        self.nclasses = P["V"].shape[0]
        self.T = {k: torch.tensor(np.asarray(v), dtype=self.dtype, device=self.device,
                                  requires_grad=True) for k, v in P.items()}
        self._make_optimizer(list(self.T.values()))

    def _codes(self, seqs: Sequence[np.ndarray]) -> torch.Tensor:
        return torch.as_tensor(pad_batch(seqs, pad=self.nfeatures), device=self.device)

    def _logits(self, seqs: Sequence[np.ndarray]) -> torch.Tensor:
        return forward_batch(self.T, self._codes(seqs), cell=self.cell)[0]

    def step(self, strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray,
             weights: np.ndarray | None = None) -> float:
        """One optimiser update; returns the (weighted) mean loss per name of the batch."""
        w = self._weights(weights)
        if strategy == "vectorized":
            logits, H = forward_batch(self.T, self._codes(seqs), cell=self.cell)
            loss = _weighted_cross_entropy(logits, self._labels(y), "mean", w)
            mean = loss
        else:  # per record: the notebooks' loop, summing one loss per name
            total: torch.Tensor | float = 0.0
            hs = []
            for i, (s, label) in enumerate(zip(seqs, y)):
                logits, h = forward_batch(self.T, self._codes([s]), cell=self.cell)
                one = F.cross_entropy(logits, self._labels([label]))
                total = total + (one if w is None else one * w[i])
                hs.append(h)
            assert isinstance(total, torch.Tensor)
            loss, H, mean = total, torch.cat(hs), total / len(seqs)
        self._apply(loss, list(self.T.values()))
        self._last_h = H
        return float(mean.item())

    def params(self) -> Params:
        """NumPy copies of the parameters."""
        return {k: _to_numpy(v) for k, v in self.T.items()}

    def grads(self) -> Params:
        """NumPy copies of the last update's gradients (after clipping)."""
        return {k: (_to_numpy(v.grad) if v.grad is not None else np.zeros(tuple(v.shape)))
                for k, v in self.T.items()}

    def load(self, P: Params) -> None:
        """Overwrite the parameters with NumPy values."""
        with torch.no_grad():
            for k, v in P.items():
                self.T[k].copy_(torch.as_tensor(np.asarray(v)))


_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class ReferenceRNN(nn.Module):
    """torch.nn.RNN (tanh, with biases), nn.GRU or nn.LSTM, plus a linear read-out."""

    def __init__(self, nfeatures: int, nhidden: int, nclasses: int, cell: str = "rnn") -> None:
        super().__init__()
        self.cell = cell
        self.rnn = _LAYERS[cell](nfeatures, nhidden, batch_first=True)
        self.out = nn.Linear(nhidden, nclasses)

    def forward(self, packed: Any) -> tuple[torch.Tensor, torch.Tensor]:
        _, state = self.rnn(packed)                            # h_n: (1, batch, nhidden)
        h_n = state[0] if self.cell == "lstm" else state       # an LSTM also returns its cell state
        return self.out(h_n[0]), h_n[0]


def reference_rnn(nfeatures: int, nhidden: int, nclasses: int, cell: str = "rnn") -> ReferenceRNN:
    """The textbook module of a cell: torch.nn.RNN, GRU or LSTM plus a linear read-out."""
    return ReferenceRNN(nfeatures, nhidden, nclasses, cell)


class ReferenceBackend(_TorchTrainable):
    """Trains reference_rnn() on packed, right-padded one-hot batches."""

    name = "nnrnn"

    def __init__(self, nfeatures: int, nhidden: int, nclasses: int, seed: int = 0,
                 device: str = "auto", optimizer: str = "adam", lr: float = 0.005,
                 clip: float | None = None, dtype: Any = np.float32, cell: str = "rnn") -> None:
        super().__init__(device, optimizer, lr, clip, dtype)
        torch.manual_seed(seed)
        self.nfeatures, self.nclasses, self.cell = nfeatures, nclasses, cell
        self.model = reference_rnn(nfeatures, nhidden, nclasses, cell).to(self.device, self.dtype)
        self._make_optimizer(list(self.model.parameters()))

    def _packed(self, seqs: Sequence[np.ndarray]) -> Any:
        X = torch.as_tensor(pad_batch(seqs, pad=0, side="right"), device=self.device)
        onehot = F.one_hot(X, self.nfeatures).to(self.dtype)
        lengths = torch.as_tensor([len(s) for s in seqs])
        return pack_padded_sequence(onehot, lengths, batch_first=True, enforce_sorted=False)

    def _logits(self, seqs: Sequence[np.ndarray]) -> torch.Tensor:
        return self.model(self._packed(seqs))[0]

    def step(self, strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray,
             weights: np.ndarray | None = None) -> float:
        """One update on a whole batch (torch.nn.RNN is always vectorised)."""
        logits, H = self.model(self._packed(seqs))
        loss = _weighted_cross_entropy(logits, self._labels(y), "mean", self._weights(weights))
        self._apply(loss, list(self.model.parameters()))
        self._last_h = H
        return float(loss.item())

    def _as_params(self, grad: bool) -> Params:
        """The module's tensors under the cell's names in cells.py (W, U stack a gated cell's blocks)."""
        m = self.model

        def pick(t: torch.Tensor) -> torch.Tensor:
            if not grad:
                return t
            return t.grad if t.grad is not None else t.new_zeros(t.shape)

        P = {"W": pick(m.rnn.weight_hh_l0), "U": pick(m.rnn.weight_ih_l0), "V": pick(m.out.weight),
             "bo": pick(m.out.bias)}
        if self.cell == "gru":                # the hidden bias sits inside the reset gate's product
            P |= {"bu": pick(m.rnn.bias_ih_l0), "bw": pick(m.rnn.bias_hh_l0)}
        else:                                 # both biases only add: one vector says it all
            P["bh"] = pick(m.rnn.bias_ih_l0) + pick(m.rnn.bias_hh_l0)
        return {k: _to_numpy(v) for k, v in P.items()}

    def params(self) -> Params:
        """The module's weights under the cell's names."""
        return self._as_params(grad=False)

    def grads(self) -> Params:
        """Gradients under the cell's names."""
        return self._as_params(grad=True)

    def load(self, P: Params) -> None:
        """Load weights given under the cell's names (a summed bh goes to bias_ih, bias_hh is zeroed)."""
        m = self.model
        pairs = [(m.rnn.weight_hh_l0, "W"), (m.rnn.weight_ih_l0, "U"), (m.out.weight, "V"), (m.out.bias, "bo")]
        if self.cell == "gru":
            pairs += [(m.rnn.bias_ih_l0, "bu"), (m.rnn.bias_hh_l0, "bw")]
        else:
            pairs += [(m.rnn.bias_ih_l0, "bh")]
        with torch.no_grad():
            for t, k in pairs:                 # parameters without biases: the biases start at zero
                t.copy_(torch.as_tensor(np.asarray(P[k])) if k in P else torch.zeros_like(t))
            if self.cell != "gru":
                m.rnn.bias_hh_l0.zero_()
