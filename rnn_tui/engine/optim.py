"""Moving W, U, V toward lower loss: SGD and Adam, plus gradient clipping.

The article trains with PyTorch's Adam (lr 0.001 per record, 0.005 per
minibatch); this is the same update rule written out for NumPy arrays, so the
hand-written backend needs no autograd library.  Parameters are updated in
place, as in min-char-rnn's `param += ...`.  `epoch_lr` is the learning-rate
schedule the trainer applies at the start of every epoch, whatever the backend.
"""

from __future__ import annotations

import math

import numpy as np

from .rnn import Params

OPTIMIZERS = ("adam", "sgd")

SCHEDULES = ("constant", "cosine")
"""constant: the same learning rate every epoch; cosine: from lr down toward 0 along half a cosine."""


def epoch_lr(lr: float, schedule: str, epoch: int, epochs: int) -> float:
    """The learning rate for epoch `epoch` (1-based) of a run of `epochs` epochs.

    "cosine" (Loshchilov and Hutter's SGDR, without restarts) starts at lr and
    ends, in the last epoch, just above 0: lr (1 + cos(pi (epoch - 1) / epochs)) / 2.
    Large steps early move fast; small ones late settle into a minimum instead of
    rattling around it, which is what a constant rate does.
    """
    if schedule == "constant":
        return lr
    if schedule == "cosine":
        return lr * 0.5 * (1.0 + math.cos(math.pi * (epoch - 1) / max(epochs, 1)))
    raise ValueError(f"unknown schedule {schedule!r}: choose one of {', '.join(SCHEDULES)}")


def clip_by_norm(G: Params, max_norm: float | None) -> float:
    """Scale all gradients together so their joint L2 norm is at most max_norm; returns the norm before."""
    norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in G.values())))
    coef = max_norm / (norm + 1e-6) if max_norm else 1.0     # the same rule as torch's clip_grad_norm_
    if coef < 1.0 and np.isfinite(norm):
        for g in G.values():
            g *= coef
    return norm


class SGD:
    """Plain gradient descent: p -= lr * g."""

    def __init__(self, P: Params, lr: float) -> None:
        self.lr = lr

    def step(self, P: Params, G: Params) -> None:
        """Apply one update."""
        for k, g in G.items():
            P[k] -= self.lr * g


class Adam:
    """Adam (Kingma and Ba 2015) with bias-corrected first and second moments."""

    def __init__(self, P: Params, lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        self.lr, self.betas, self.eps, self.t = lr, betas, eps, 0
        self.m = {k: np.zeros_like(v) for k, v in P.items()}
        self.v = {k: np.zeros_like(v) for k, v in P.items()}
        self._tmp = {k: np.empty_like(v) for k, v in P.items()}

    def step(self, P: Params, G: Params) -> None:
        """Apply one update (in place, with one scratch array per parameter)."""
        b1, b2 = self.betas
        self.t += 1
        step = self.lr / (1 - b1 ** self.t)
        root = np.sqrt(1 - b2 ** self.t)
        for k, g in G.items():
            m, v, tmp = self.m[k], self.v[k], self._tmp[k]
            m *= b1
            np.multiply(g, 1 - b1, out=tmp)
            m += tmp                                           # running mean of g
            v *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - b2
            v += tmp                                           # running mean of g squared
            np.sqrt(v, out=tmp)
            tmp /= root
            tmp += self.eps                                    # eps placed as torch.optim.Adam does
            np.divide(m, tmp, out=tmp)
            tmp *= step
            P[k] -= tmp


def make_optimizer(name: str, P: Params, lr: float) -> SGD | Adam:
    """An optimiser by name."""
    if name == "adam":
        return Adam(P, lr)
    if name == "sgd":
        return SGD(P, lr)
    raise ValueError(f"unknown optimizer {name!r}: choose one of {', '.join(OPTIMIZERS)}")
