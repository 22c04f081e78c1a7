"""Step functions for the later lessons: the full corpus, your own name, the TL;DR quiz,
BPTT made visible, vanishing and exploding gradients, PyTorch and gated cells.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from typing import Any

import numpy as np

from ..engine import batched, rnn
from ..engine.metrics import per_class_recall
from ..engine.train import TrainConfig, Trainer, split_confusion
from ..engine.vocab import pad_batch
from . import StepInputError, _pretrained, remembered, step
from .course import _names_subset

# ----------------------------------------------------------------------------
# training on the whole corpus

@step
@remembered
def train_names(epochs: int = 4, seed: int = 0) -> dict[str, Any]:
    """The vectorised strategy on the shipped names: per-language accuracy and the worst confusions."""
    from .. import data

    ds, _ = data.to_dataset(data.load("names"), 0.2, seed)
    trainer = Trainer(ds, TrainConfig(epochs=epochs, seed=seed))
    for _ in trainer.run():
        pass
    P, m = trainer.final()
    cm = split_confusion(P, ds.valid, len(ds.classes))
    recall = per_class_recall(cm)
    order = np.argsort(recall)
    rows = [[ds.classes[i], int(cm[i].sum()), f"{recall[i]:.2f}"] for i in order]
    off = cm.copy()
    np.fill_diagonal(off, 0)
    pairs = np.dstack(np.unravel_index(np.argsort(-off, axis=None)[:5], off.shape))[0]
    confused = [[ds.classes[a], ds.classes[b], int(off[a, b])] for a, b in pairs]
    return {"per_language": {"columns": ["language", "names", "accuracy"], "rows": rows},
            "confused": {"columns": ["actual", "guessed as", "names"], "rows": confused},
            "worst": ds.classes[int(order[0])],
            "higher": "accuracy" if m.accuracy >= m.balanced_accuracy else "balanced accuracy",
            "facts": {"items": [["epochs", epochs], ["training seconds", f"{trainer.elapsed:.1f}"],
                                ["accuracy", f"{m.accuracy:.3f}"],
                                ["balanced accuracy", f"{m.balanced_accuracy:.3f}"]]}}


@step
@remembered
def shared_names() -> dict[str, Any]:
    """Names listed under more than one language, and the pairs that share the most."""
    from .. import data

    corpus = data.load("names")
    shared = corpus.shared()
    pairs = Counter(tuple(langs[:2]) for langs in shared.values() if len(langs) == 2)
    top = pairs.most_common(5)
    examples = {}
    for name, langs in shared.items():
        examples.setdefault(tuple(langs[:2]), name)
    rows = [[f"{a} / {b}", n, examples[(a, b)]] for (a, b), n in top]
    return {"table": {"columns": ["languages", "shared names", "for example"], "rows": rows},
            "top_pair": f"{top[0][0][0]} / {top[0][0][1]}", "count": len(shared)}


# ----------------------------------------------------------------------------
# your own name

@step
def read_name(name: str) -> dict[str, Any]:
    """The pretrained model reads a name: its guess after every prefix."""
    m = _pretrained()
    r = m.read(name)
    if r.trace is None:
        raise StepInputError("type a family name with at least one letter")
    rows = []
    for t, p in enumerate(r.trace.probs, 1):
        i = int(np.argmax(p))
        rows.append([r.used[:t], m.languages[i], f"{p[i]:.2f}"])
    top = r.top(m.languages, 3)
    return {"prefixes": {"columns": ["read so far", "best guess", "probability"], "rows": rows},
            "h": [round(float(v), 3) for v in r.trace.h], "top": top[0][0],
            "facts": {"items": [[lang, f"{p:.1%}"] for lang, p in top]}}


# ----------------------------------------------------------------------------
# the TL;DR, on the engine's own state

@step
def model_anatomy() -> dict[str, Any]:
    """What a trained model stores: its parameters and their shapes (and no h)."""
    m = _pretrained()
    rows = [[k, " x ".join(map(str, v.shape)), f"{v.size:,}"] for k, v in m.params.items()]
    return {"table": {"columns": ["parameter", "shape", "numbers"], "rows": rows},
            "h_is_parameter": "yes" if "h" in m.params else "no",
            "total": int(sum(v.size for v in m.params.values()))}


@step
def fresh_state(words: list[str]) -> dict[str, Any]:
    """Each word's h_0 and final h: h starts from zero for every record."""
    m = _pretrained()
    rows = []
    for w in words:
        r = m.read(w)
        rows.append([w, f"{np.linalg.norm(r.trace.hs[0]):.1f}", f"{np.linalg.norm(r.trace.h):.2f}", len(r.used)])
    return {"table": {"columns": ["word", "|h_0|", "|h_m|", "steps of W"], "rows": rows},
            "h0_norm": 0.0 if all(r[1] == "0.0" for r in rows) else 1.0,
            "steps": {w: len(m.read(w).used) for w in words}}


@step
def updates_per_epoch(names: int = 10699, batch_size: int = 32) -> dict[str, Any]:
    """How often W, U and V change: once per batch, never inside a word."""
    n = math.ceil(names / batch_size)
    return {"updates": n, "facts": {"items": [["names", f"{names:,}"], ["batch size", batch_size],
                                              ["updates per epoch", n], ["updates inside a word", 0]]}}


def _known_letters(word: str):
    """The pretrained model and the letters of word it knows; StepInputError if there are none."""
    m = _pretrained()
    used, _ = m.vocab.split_known(word.lower())
    if not used:
        raise StepInputError("type a word with letters")
    return m, used


def _bptt(P, codes: np.ndarray, y: int, window: int | None) -> tuple[np.ndarray, list[float]]:
    """dW for one word, backpropagating through all steps or only the last `window`; and |dL/dh_t|."""
    tr = rnn.forward(P, codes)
    hs, W, V = tr.hs, P["W"], P["V"]
    do = np.exp(rnn.log_softmax(V @ hs[-1]))
    do[y] -= 1
    dh, dW, norms = V.T @ do, np.zeros_like(W), []
    m = len(codes)
    for t in range(m, 0, -1):
        norms.append(float(np.linalg.norm(dh)))
        dz = dh * (1 - hs[t] ** 2)
        dW += np.outer(dz, hs[t - 1])
        if window is not None and m - t + 1 >= window:
            break
        dh = W.T @ dz
    return dW, norms[::-1]


@step
def truncated_bptt(word: str, window: int = 3) -> dict[str, Any]:
    """Full against truncated BPTT on the pretrained model: h is the same, dW is not."""
    m, used = _known_letters(word)
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    codes, y = m.vocab.encode(used), int(np.argmax(m.read(used).trace.final_probs))
    full, _ = _bptt(P, codes, y, None)
    cut, _ = _bptt(P, codes, y, window)
    diff = float(np.abs(full - cut).max() / max(np.abs(full).max(), 1e-12))
    return {"facts": {"items": [["word", used], ["steps", len(used)], ["window", window],
                                ["forward h", "computed over every character either way"],
                                ["dW relative difference", f"{diff:.3f}"]]},
            "h_changes": "no", "dw_changes": "yes" if diff > 1e-9 else "no"}


# ----------------------------------------------------------------------------
# BPTT made visible

@step
def bptt_trace(word: str) -> dict[str, Any]:
    """How much gradient reaches each step of one word, and NumPy against torch autograd."""
    m, used = _known_letters(word)
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    codes = m.vocab.encode(used)
    y = int(np.argmax(rnn.forward(P, codes).final_probs))
    _, norms = _bptt(P, codes, y, None)
    X = pad_batch([codes], pad=len(m.vocab))
    _, G, _ = batched.loss_and_grads(P, X, np.array([y]))
    agree, rel = _autograd_agreement(P, X, y, G)
    rows = [[t + 1, ch, f"{n:.4f}"] for t, (ch, n) in enumerate(zip(used, norms))]
    return {"table": {"columns": ["t", "char", "|dL/dh_t|"], "rows": rows},
            "norms": [round(n, 4) for n in norms], "agree": agree,
            "facts": {"items": [["largest relative difference, NumPy vs autograd", rel]]}}


def _autograd_agreement(P, X, y, G) -> tuple[str, str]:
    try:
        import torch

        from ..engine import torch_rnn
    except ImportError:
        return "torch is not installed", "-"
    T = torch_rnn.to_tensors(P)
    torch_rnn.batch_loss(T, torch.as_tensor(X), torch.as_tensor([y])).backward()
    rel = max(float(np.abs(G[k] - T[k].grad.numpy()).max() / max(np.abs(G[k]).max(), 1e-12)) for k in G)
    return ("yes" if rel < 1e-6 else "no"), f"{rel:.1e}"


# ----------------------------------------------------------------------------
# vanishing and exploding gradients

@step
def gradient_vs_length(lengths: list[int], radius: float = 4.0, clip: float = 5.0, seed: int = 0) -> dict[str, Any]:
    """|dL/dh_1| for inputs of growing length, through tanh and through relu, with clipping."""
    rng = np.random.default_rng(seed)
    n = 32
    W = rng.standard_normal((n, n))
    W *= radius / np.abs(np.linalg.eigvals(W)).max()
    U = rng.standard_normal((n, 8)) * 0.5
    rows, last, first = [], {}, {}
    for m in lengths:
        xs = rng.integers(0, 8, m)
        row = [m]
        for act in ("tanh", "relu"):
            h, hs = np.zeros(n), []
            for x in xs:
                z = W @ h + U[:, x]
                h = np.tanh(z) if act == "tanh" else np.maximum(z, 0)
                hs.append((z, h))
            g = np.ones(n)
            for z, h in reversed(hs):
                g = W.T @ (g * ((1 - h ** 2) if act == "tanh" else (z > 0)))
            norm = float(np.linalg.norm(g))
            row.append(f"{norm:.3g}")
            first.setdefault(act, norm)
            last[act] = norm
        row.append(f"{min(last['relu'], clip):.3g}")
        rows.append(row)
    growth = {act: last[act] / max(first[act], 1e-300) for act in last}
    return {"table": {"columns": ["length", "tanh", "relu", f"relu clipped at {clip:g}"], "rows": rows},
            "grows_faster": max(growth, key=growth.get),
            "tanh_trend": "it shrinks" if growth["tanh"] < 1 else "it grows",
            "facts": {"items": [[f"{act}: longest / shortest", f"{g:.3g}x"] for act, g in growth.items()]}}


# ----------------------------------------------------------------------------
# PyTorch, a GPU, and torch.nn.RNN

@step
def backends_compare(word: str) -> dict[str, Any]:
    """The same word through the NumPy engine and its torch twin, and what devices exist here."""
    import torch

    from ..engine import torch_rnn

    m, used = _known_letters(word)
    X = pad_batch([m.vocab.encode(used)], pad=len(m.vocab))
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    ours = rnn.softmax(batched.forward(P, X).logits[0])
    logits, _ = torch_rnn.forward_batch(torch_rnn.to_tensors(P, requires_grad=False), torch.as_tensor(X))
    theirs = torch.softmax(logits[0], 0).numpy()
    diff = float(np.abs(ours - theirs).max())
    cuda = torch.cuda.is_available()
    return {"facts": {"items": [["word", used], ["largest probability difference", f"{diff:.1e}"],
                                ["CUDA here", torch.cuda.get_device_name(0) if cuda else "none: runs on the CPU"],
                                ["auto picks", str(torch_rnn.pick_device("auto"))]]},
            "same": "yes" if diff < 1e-9 else "no"}


@step
@remembered
def cells_compare(cells: list[str], names: int = 1500, epochs: int = 3, hidden: int = 64) -> dict[str, Any]:
    """Our W, U, V against torch.nn.RNN, LSTM and GRU on the same names."""
    ds = _names_subset(names)
    rows, acc = [], {}
    labels = {"ours": "our W, U, V (NumPy)", "rnn": "torch.nn.RNN", "lstm": "LSTM", "gru": "GRU"}
    for cell in cells:
        cfg = (TrainConfig(nhidden=hidden, epochs=epochs, lr=0.005) if cell == "ours" else
               TrainConfig(backend="nnrnn", cell=cell, nhidden=hidden, epochs=epochs, lr=0.005, device="cpu"))
        trainer = Trainer(ds, cfg)
        t0 = time.perf_counter()
        for _ in trainer.run():
            pass
        per_epoch = (time.perf_counter() - t0) / epochs
        acc[labels[cell]] = trainer.best_metrics.accuracy
        rows.append([labels[cell], f"{trainer.best_metrics.accuracy:.3f}", f"{per_epoch:.2f}"])
    return {"table": {"columns": ["model", "valid accuracy", "seconds per epoch"], "rows": rows},
            "best": max(acc, key=acc.get)}
