"""The same RNN in PyTorch: the article's notebooks (autograd) and gpu.ipynb (a device).

Three things live here, all imported lazily so that nothing loads torch until
a torch backend is asked for:

- `forward_batch` / `batch_loss`: the vectorised recurrence of batched.py with
  torch tensors, so autograd computes the gradients the NumPy code writes by
  hand.  Tests compare the two.
- `TorchBackend`: trains W, U, V with autograd and a torch optimiser on `cpu`,
  `cuda` or `mps`.
- `ReferenceBackend`: the usual way, `torch.nn.RNN` plus `nn.Linear` fed
  packed one-hot sequences, with the same sizes; the yardstick for speed and
  accuracy.  Its weights map onto W (weight_hh), U (weight_ih) and V.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .rnn import Params
from .vocab import pad_batch

if TYPE_CHECKING:
    import torch

DEVICES = ("auto", "cpu", "cuda", "mps")


class DeviceUnavailable(RuntimeError):
    """The requested torch device is not present on this machine."""


def torch_available() -> bool:
    """Whether PyTorch can be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def pick_device(name: str = "auto") -> torch.device:
    """A torch.device by name; "auto" takes CUDA, then MPS, then the CPU."""
    import torch

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
    import torch

    return torch.float64 if np.dtype(dtype) == np.float64 else torch.float32


def forward_batch(T: dict[str, torch.Tensor], X: torch.Tensor,
                  mask: bool | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits (batch, nclasses) and final H (batch, nhidden) for a padded code matrix."""
    import torch

    W, U, V = T["W"], T["U"], T["V"]
    nhidden, nfeatures = U.shape
    rows = torch.cat([U.T, U.new_zeros(1, nhidden)])        # padding code gathers zeros
    use_mask = ("bh" in T) if mask is None else mask
    H = U.new_zeros(X.shape[0], nhidden)
    for t in range(X.shape[1]):
        A = torch.tanh(H @ W.T + rows[X[:, t]] + (T["bh"] if "bh" in T else 0.0))
        H = torch.where((X[:, t] != nfeatures)[:, None], A, H) if use_mask else A
    logits = H @ V.T + (T["bo"] if "bo" in T else 0.0)
    return logits, H


def batch_loss(T: dict[str, torch.Tensor], X: torch.Tensor, y: torch.Tensor,
               reduction: str = "mean", mask: bool | None = None) -> torch.Tensor:
    """Cross-entropy of a padded batch (torch's log-softmax form: stable)."""
    import torch.nn.functional as F

    logits, _ = forward_batch(T, X, mask)
    return F.cross_entropy(logits, y, reduction=reduction)


def to_tensors(P: Params, device: Any = "cpu", requires_grad: bool = True) -> dict[str, torch.Tensor]:
    """Copies of NumPy parameters as torch leaf tensors."""
    import torch

    return {k: torch.tensor(np.asarray(v), device=device, requires_grad=requires_grad)
            for k, v in P.items()}


def _to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


class _TorchTrainable:
    """What both torch backends share: an optimiser, clipping, evaluation in chunks."""

    name = "torch"

    def __init__(self, device: str, optimizer: str, lr: float, clip: float | None,
                 dtype: Any) -> None:
        self.device = pick_device(device)
        self.dtype = _dtype(dtype)
        self.clip = clip
        self._opt_name, self._lr = optimizer, lr
        self._last_h: Any = None

    def _make_optimizer(self, tensors: list[torch.Tensor]) -> None:
        import torch

        cls = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}[self._opt_name]
        self.opt = cls(tensors, lr=self._lr)

    def _apply(self, loss: torch.Tensor, tensors: list[torch.Tensor]) -> None:
        import torch

        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        if self.clip:
            torch.nn.utils.clip_grad_norm_(tensors, self.clip)
        self.opt.step()

    def last_hidden(self) -> np.ndarray:
        """The last trained batch's final hidden states, (batch, nhidden)."""
        return _to_numpy(self._last_h)

    def evaluate(self, seqs: Sequence[np.ndarray], chunk: int = 2048) -> np.ndarray:
        """Logits for many words as a NumPy array, in input order."""
        import torch

        out = np.empty((len(seqs), self.nclasses), dtype=np.float64)
        order = np.argsort([len(s) for s in seqs], kind="stable")
        with torch.no_grad():
            for start in range(0, len(order), chunk):
                idx = order[start:start + chunk]
                out[idx] = self._logits([seqs[i] for i in idx]).cpu().numpy()
        return out


class TorchBackend(_TorchTrainable):
    """Parr's W, U, V trained with autograd on a torch device."""

    name = "torch"

    def __init__(self, P: Params, device: str = "auto", optimizer: str = "adam", lr: float = 0.005,
                 clip: float | None = None, dtype: Any = np.float32) -> None:
        super().__init__(device, optimizer, lr, clip, dtype)
        import torch

        self.nfeatures = P["U"].shape[1]
        self.nclasses = P["V"].shape[0]
        self.T = {k: torch.tensor(np.asarray(v), dtype=self.dtype, device=self.device,
                                  requires_grad=True) for k, v in P.items()}
        self._make_optimizer(list(self.T.values()))

    def _codes(self, seqs: Sequence[np.ndarray]) -> torch.Tensor:
        import torch

        return torch.as_tensor(pad_batch(seqs, pad=self.nfeatures), device=self.device)

    def _labels(self, y: np.ndarray) -> torch.Tensor:
        import torch

        return torch.as_tensor(np.asarray(y, dtype=np.int64), device=self.device)

    def _logits(self, seqs: Sequence[np.ndarray]) -> torch.Tensor:
        return forward_batch(self.T, self._codes(seqs))[0]

    def step(self, strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray) -> float:
        """One optimiser update; returns the mean loss per name of the batch."""
        if strategy == "vectorized":
            logits, H = forward_batch(self.T, self._codes(seqs))
            import torch.nn.functional as F

            loss = F.cross_entropy(logits, self._labels(y))
            mean = loss
        else:  # per record: the notebooks' loop, summing one loss per name
            import torch

            loss, hs = 0.0, []
            for s, label in zip(seqs, y):
                logits, h = forward_batch(self.T, self._codes([s]))
                loss = loss + torch.nn.functional.cross_entropy(logits, self._labels([label]))
                hs.append(h)
            H, mean = torch.cat(hs), loss / len(seqs)
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
        import torch

        with torch.no_grad():
            for k, v in P.items():
                self.T[k].copy_(torch.as_tensor(np.asarray(v)))


CELLS = ("rnn", "lstm", "gru")


def reference_rnn(nfeatures: int, nhidden: int, nclasses: int, cell: str = "rnn") -> Any:
    """torch.nn.RNN (tanh, with biases), or an LSTM or GRU, plus a linear read-out."""
    from torch import nn

    layer = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]

    class ReferenceRNN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = layer(nfeatures, nhidden, batch_first=True)
            self.out = nn.Linear(nhidden, nclasses)

        def forward(self, packed: Any) -> tuple[torch.Tensor, torch.Tensor]:
            _, state = self.rnn(packed)                        # h_n: (1, batch, nhidden)
            h_n = state[0] if cell == "lstm" else state        # an LSTM also returns its cell state
            return self.out(h_n[0]), h_n[0]

    return ReferenceRNN()


class ReferenceBackend(_TorchTrainable):
    """Trains reference_rnn() on packed, right-padded one-hot batches."""

    name = "nnrnn"

    def __init__(self, nfeatures: int, nhidden: int, nclasses: int, seed: int = 0,
                 device: str = "auto", optimizer: str = "adam", lr: float = 0.005,
                 clip: float | None = None, dtype: Any = np.float32, cell: str = "rnn") -> None:
        super().__init__(device, optimizer, lr, clip, dtype)
        import torch

        torch.manual_seed(seed)
        self.nfeatures, self.nclasses, self.cell = nfeatures, nclasses, cell
        self.model = reference_rnn(nfeatures, nhidden, nclasses, cell).to(self.device, self.dtype)
        self._make_optimizer(list(self.model.parameters()))

    def _packed(self, seqs: Sequence[np.ndarray]) -> Any:
        import torch
        from torch.nn.utils.rnn import pack_padded_sequence

        X = torch.as_tensor(pad_batch(seqs, pad=0, side="right"), device=self.device)
        onehot = torch.nn.functional.one_hot(X, self.nfeatures).to(self.dtype)
        lengths = torch.as_tensor([len(s) for s in seqs])
        return pack_padded_sequence(onehot, lengths, batch_first=True, enforce_sorted=False)

    def _logits(self, seqs: Sequence[np.ndarray]) -> torch.Tensor:
        return self.model(self._packed(seqs))[0]

    def step(self, strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray) -> float:
        """One update on a whole batch (torch.nn.RNN is always vectorised)."""
        import torch

        logits, H = self.model(self._packed(seqs))
        loss = torch.nn.functional.cross_entropy(
            logits, torch.as_tensor(np.asarray(y, dtype=np.int64), device=self.device))
        self._apply(loss, list(self.model.parameters()))
        self._last_h = H
        return float(loss.item())

    def _as_params(self, grad: bool) -> Params:
        """Parr's names; for an LSTM or GRU, W and U stack the gates' matrices (4 or 3 blocks)."""
        m = self.model
        pick = (lambda t: t.grad if t.grad is not None else t.new_zeros(t.shape)) if grad else (lambda t: t)
        return {"W": _to_numpy(pick(m.rnn.weight_hh_l0)), "U": _to_numpy(pick(m.rnn.weight_ih_l0)),
                "V": _to_numpy(pick(m.out.weight)),
                "bh": _to_numpy(pick(m.rnn.bias_ih_l0) + pick(m.rnn.bias_hh_l0)),
                "bo": _to_numpy(pick(m.out.bias))}

    def params(self) -> Params:
        """The module's weights under Parr's names (the two RNN biases summed into bh)."""
        return self._as_params(grad=False)

    def grads(self) -> Params:
        """Gradients under Parr's names."""
        return self._as_params(grad=True)

    def load(self, P: Params) -> None:
        """Load weights given under Parr's names (bh goes to bias_ih, bias_hh is zeroed)."""
        import torch

        m = self.model
        with torch.no_grad():
            for t, k in ((m.rnn.weight_hh_l0, "W"), (m.rnn.weight_ih_l0, "U"), (m.out.weight, "V"),
                         (m.rnn.bias_ih_l0, "bh"), (m.out.bias, "bo")):
                t.copy_(torch.as_tensor(np.asarray(P[k])))
            m.rnn.bias_hh_l0.zero_()
