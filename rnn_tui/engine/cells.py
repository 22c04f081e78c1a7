"""The recurrent cells the engine knows, and what each one offers.

A cell is the update that turns h_{t-1} and x_t into h_t: the article's
vanilla `tanh(W h + U x)` ("rnn"), a GRU or an LSTM.  Everything outside the
cell (the read-out o = V h, the loss, the optimiser, the training loop, the
model file) is shared, so a cell is described once here by a `Cell` record:
its parameter shapes, how to read one word (states, prefix guesses and gate
activations, for the screens), how to score many words, and, when it trains
in NumPy, its loss and hand-written gradients.

Adding a cell means writing its module (see gru.py) with its tests and
adding one `Cell` to `_REGISTRY` below; CONTRIBUTING.md lists the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import batched, gru, lstm, rnn
from .rnn import Params, WordTrace
from .speedups import Workspace

CELLS = ("rnn", "gru", "lstm")
"""Every cell name, in the order the command line and the lab offer them."""

BACKEND_CELLS = {"numpy": ("rnn", "gru"), "torch": ("rnn", "gru"), "nnrnn": ("rnn", "gru", "lstm")}
"""Which backend trains which cell (an LSTM only through torch.nn.LSTM)."""

Shapes = Callable[[int, int, int, bool], dict[str, tuple[int, ...]]]
BatchStep = Callable[[Params, np.ndarray, np.ndarray, "np.ndarray | None", Workspace, "np.ndarray | None"],
                     tuple[float, Params, np.ndarray]]
WordStep = Callable[[Params, np.ndarray, int, float, Params], tuple[float, np.ndarray]]


@dataclass(frozen=True)
class Cell:
    """One recurrent cell: its shapes, its reader, and (if trained in NumPy) its gradients."""

    name: str
    title: str
    gates: tuple[str, ...]           # names of the gate activations its reader exposes
    inits: tuple[str, ...]           # the init choices it accepts
    shapes: Shapes                   # (nfeatures, nhidden, nclasses, bias) -> {name: shape}
    read: Callable[[Params, np.ndarray, bool], WordTrace]
    predict_logits: Callable[[Params, list[np.ndarray]], np.ndarray]
    init_params: Callable[..., Params] | None = None
    batch_step: BatchStep | None = None     # mean loss, its gradients and the final h of a padded batch
    word_step: WordStep | None = None       # one word's weighted loss (gradients added into G) and h_m
    dropout: bool = False                   # whether batch_step takes dropout multipliers for h_m

    @property
    def trains_in_numpy(self) -> bool:
        """Whether the hand-written NumPy backend can train this cell."""
        return self.init_params is not None and self.batch_step is not None and self.word_step is not None

    def sizes(self, P: Params) -> tuple[int, int, int]:
        """(nfeatures, nhidden, nclasses) of this cell's parameters."""
        return P["U"].shape[1], P["W"].shape[1], P["V"].shape[0]


# ----------------------------------------------------------------------------
# the vanilla RNN: rnn.py one word at a time, batched.py a batch at once

def _rnn_shapes(nfeatures: int, nhidden: int, nclasses: int, bias: bool) -> dict[str, tuple[int, ...]]:
    want: dict[str, tuple[int, ...]] = {"W": (nhidden, nhidden), "U": (nhidden, nfeatures),
                                        "V": (nclasses, nhidden)}
    if bias:
        want |= {"bh": (nhidden,), "bo": (nclasses,)}
    return want


def _rnn_batch(P: Params, X: np.ndarray, y: np.ndarray, weights: np.ndarray | None,
               ws: Workspace, keep: np.ndarray | None = None) -> tuple[float, Params, np.ndarray]:
    loss, G, tr = batched.loss_and_grads(P, X, y, "mean", ws=ws, weights=weights, keep=keep)
    return loss, G, tr.H[-1]


def _rnn_word(P: Params, codes: np.ndarray, y: int, weight: float, G: Params) -> tuple[float, np.ndarray]:
    trace = rnn.forward(P, codes, prefixes=False)
    return weight * rnn.backward(P, trace, y, weight=weight, grads=G), trace.h


# ----------------------------------------------------------------------------
# the GRU: gru.py for both (a word is a batch of one)

def _gru_batch(P: Params, X: np.ndarray, y: np.ndarray, weights: np.ndarray | None,
               ws: Workspace, keep: np.ndarray | None = None) -> tuple[float, Params, np.ndarray]:
    if keep is not None:
        raise ValueError("the GRU's NumPy code has no dropout")
    loss, G, tr = gru.loss_and_grads(P, X, y, "mean", weights=weights)
    return loss, G, tr.H[-1]


def _gru_word(P: Params, codes: np.ndarray, y: int, weight: float, G: Params) -> tuple[float, np.ndarray]:
    loss, g, tr = gru.loss_and_grads(P, np.asarray(codes)[None, :], np.array([y]), "sum",
                                     mask=False, weights=np.array([weight]))
    for k, v in g.items():
        G[k] += v
    return loss, tr.H[-1][0]


_REGISTRY = {
    "rnn": Cell("rnn", "vanilla RNN: h = tanh(W h + U x)", (), rnn.INITS, _rnn_shapes,
                rnn.forward, batched.predict_logits, rnn.init_params, _rnn_batch, _rnn_word, dropout=True),
    "gru": Cell("gru", "GRU: reset and update gates", gru.GATES, ("default",), gru.shapes,
                gru.read, gru.predict_logits, gru.init_params, _gru_batch, _gru_word),
    "lstm": Cell("lstm", "LSTM: input, forget and output gates, and a memory c", (*lstm.GATES, "c"),
                 ("default",), lstm.shapes, lstm.read, lstm.predict_logits),
}
assert tuple(_REGISTRY) == CELLS


def get(name: str) -> Cell:
    """The cell of this name; ValueError naming the choices otherwise."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"cell must be one of {', '.join(CELLS)}, not {name!r}") from None
