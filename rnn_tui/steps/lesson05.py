"""Lesson 5 (section 1.5), training a classifier: softmax and cross-entropy (and why the
maximum is subtracted), W, U, V trained on the article's words, the names other code gives
them, and the article's simplifications.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import rnn
from ..engine.train import TrainConfig
from .common import CATS3, CATS4, remembered, train, words_dataset
from .registry import step
from .results import facts, matrix, table


@step
def softmax_loss(scores: list[float], target: int) -> dict[str, Any]:
    """Scores to probabilities (softmax) and the cross-entropy of the right class.

    exp(o) is computed both as written (it overflows for large scores) and
    after subtracting the largest score, which is what makes a log-sum-exp safe.
    """
    o = np.asarray(scores, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        naive_exp = np.exp(o)
        naive_p = naive_exp / naive_exp.sum()
        naive_loss = float(-np.log(naive_p[target]))
    shifted = o - o.max()
    p = rnn.softmax(o)
    loss = float(-rnn.log_softmax(o)[target])
    rows = [[i, f"{s:+.2f}", f"{e:.4g}", f"{s2:+.2f}", f"{np.exp(s2):.3f}", f"{q:.3f}"]
            for i, (s, e, s2, q) in enumerate(zip(o, naive_exp, shifted, p))]
    return {"scores": table(["class", "score o"], [[i, f"{s:+.2f}"] for i, s in enumerate(o)]),
            "table": table(["class", "o", "exp(o)", "o - max", "exp(o - max)", "softmax"], rows),
            "loss": round(loss, 3), "naive_finite": "yes" if np.isfinite(naive_loss) else "no",
            "facts": facts([("right class", target), ("-log p[right], max subtracted", f"{loss:.3f}"),
                            ("-log p[right], exp as written", f"{naive_loss:.3f}")])}


def _train(words: int, epochs: int, lr: float, nhidden: int, seed: int, bias: bool = False) -> dict[str, Any]:
    """Train on the article's words (Adam, W = I init, one update per word); params, losses, guesses."""
    ds, vocab = words_dataset(CATS3 if words == 3 else CATS4)
    cfg = TrainConfig(strategy="sgd", nhidden=nhidden, lr=lr, epochs=epochs, batch_size=1,
                      init="article", seed=seed, dtype="float64", clip=None, bias=bias)
    trainer = train(ds, cfg)
    P = trainer.params()
    guesses = {}
    for w in ds.train.names:
        probs = rnn.forward(P, vocab.encode(w)).final_probs
        guesses[w] = (ds.classes[int(np.argmax(probs))], float(probs.max()))
    right = sum(guesses[w][0] == ds.classes[int(y)] for w, y in zip(ds.train.names, ds.train.y))
    return {"P": P, "guesses": guesses, "right": int(right), "updates": trainer.step,
            "losses": list(trainer.train_losses), "ds": ds, "vocab": vocab}


@step
@remembered
def train_cats(epochs: int = 150, lr: float = 0.01, nhidden: int = 4, words: int = 3, seed: int = 0) -> dict[str, Any]:
    """Train on the article's words (Adam, W = I init) and classify them with the learned W, U, V."""
    r = _train(words, epochs, lr, nhidden, seed)
    ds, P = r["ds"], r["P"]
    every = max(1, epochs // 6)
    losses = [[e + 1, f"{loss:.4f}"] for e, loss in enumerate(r["losses"]) if e % every == 0 or e == epochs - 1]
    hidden = [f"h{i}" for i in range(nhidden)]
    drift = float(np.abs(P["W"] - np.eye(nhidden)).max())      # the article's init starts W at the identity
    return {"losses": table(["epoch", "mean loss"], losses),
            "predictions": table(["word", "guess", "probability"],
                                 [[w, g, f"{p:.3f}"] for w, (g, p) in r["guesses"].items()]),
            "predicted": {w: g for w, (g, _) in r["guesses"].items()}, "right": r["right"],
            "updates": r["updates"],
            "W": matrix(P["W"], hidden, hidden), "U": matrix(P["U"], hidden, r["vocab"].chars),
            "V": matrix(P["V"], ds.classes, hidden),
            "facts": facts([("updates made", r["updates"]), ("epochs", epochs), ("words", len(ds.train)),
                            ("largest change in W since the identity", f"{drift:.3f}")])}


@step
def other_names(nhidden: int = 4, nfeatures: int = 7, nclasses: int = 3, ask: str = "weight_ih_l0") -> dict[str, Any]:
    """Our W, U, V beside the names Karpathy, fastai and torch give the same matrices.

    torch's names come from a real torch.nn.RNN and nn.Linear of the same
    sizes, matched to ours by shape (W is square, U reads the input, V gives
    the scores), so the mapping is worked out, not typed in.
    """
    ours = rnn.init_params(nfeatures, nhidden, nclasses)
    karpathy = {"W": "Whh", "U": "Wxh", "V": "Why"}          # min-char-rnn, as the article maps them
    fastai = {"W": "h_h", "U": "i_h", "V": "h_o"}             # fastai book, chapter 12
    torch_names: dict[str, str] = {}
    try:
        from torch import nn

        cell, head = nn.RNN(nfeatures, nhidden), nn.Linear(nhidden, nclasses)
        found = {f"rnn.{n}": tuple(p.shape) for n, p in cell.named_parameters() if n.startswith("weight")}
        found["h2o.weight"] = tuple(head.weight.shape)
        for key, M in ours.items():
            match = [n for n, shape in found.items() if shape == M.shape]
            torch_names[key] = match[0] if len(match) == 1 else "?"
    except ImportError:
        torch_names = {k: "(torch not installed)" for k in ours}
    rows = [[k, " x ".join(map(str, M.shape)), karpathy[k], fastai[k], torch_names[k]] for k, M in ours.items()]
    by_torch = {v.split(".")[-1]: k for k, v in torch_names.items()}
    return {"table": table(["ours", "shape", "Karpathy", "fastai", "PyTorch"], rows),
            "torch_is": by_torch.get(ask, "?")}


@step
@remembered
def simplifications(epochs: int = 150, lr: float = 0.01, nhidden: int = 4, seed: int = 0) -> dict[str, Any]:
    """The article leaves out biases: train the four words with and without them and compare."""
    rows, right = [], {}
    for bias in (False, True):
        r = _train(4, epochs, lr, nhidden, seed, bias=bias)
        label = "with biases bh, bo" if bias else "no biases (the article)"
        right[bias] = r["right"]
        rows.append([label, sum(v.size for v in r["P"].values()), f"{r['losses'][-1]:.4f}",
                     f"{r['right']} of {len(r['guesses'])}"])
    return {"table": table(["model", "parameters", "final mean loss", "words right"], rows),
            "no_bias_right": right[False]}
