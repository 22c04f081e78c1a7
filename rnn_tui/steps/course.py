"""Step functions for the lessons from one-hot vectors to left padding (sections 1.3 to 2.2.2).

Same conventions as the package: pure functions returning dicts of named
results; typed input that cannot be used raises StepInputError.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from ..engine import batched, rnn
from ..engine.train import Dataset, Split, TrainConfig, Trainer
from ..engine.vocab import Vocab, bag_of_chars, pad_batch
from . import ARTICLE_VOCAB, StepInputError, _clean_word, remembered, step

CATS3 = (("cat", "English"), ("chat", "French"), ("katze", "German"))
CATS4 = CATS3 + (("kat", "Afrikaans"),)


def _matrix(values: np.ndarray, rows: list[str], cols: list[str], digits: int = 3) -> dict[str, Any]:
    return {"values": np.round(np.asarray(values, dtype=float), digits).tolist(), "rows": rows, "cols": cols}


def _article_params(nhidden: int, nclasses: int, seed: int, vocab: Vocab, bias: bool = False):
    return rnn.init_params(len(vocab), nhidden, nclasses, init="article", seed=seed, bias=bias,
                           dtype=np.float64)


# ----------------------------------------------------------------------------
# 1.3: one-hot vectors and bags of characters

@step
def onehot_columns(word: str, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """A word as one-hot columns: column t has a single 1, in the row of character t."""
    v = Vocab(vocab)
    word = _clean_word(word, v)
    x = v.onehot(word)
    return {"matrix": _matrix(x, list(v.chars), list(word), 0),
            "column": {c: [int(b) for b in v.onehot(c)[:, 0]] for c in v.chars},
            "size": len(v)}


@step
def bag_steps(word: str, scale: int = 1, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h = scale*h + x_t over one-hot columns, every step a row."""
    v = Vocab(vocab)
    word = _clean_word(word, v)
    steps = bag_of_chars(v.onehot(word), scale)
    rows = [[t + 1, ch, *[int(n) for n in steps[:, t]]] for t, ch in enumerate(word)]
    return {"table": {"columns": ["t", "char", *v.chars], "rows": rows},
            "h": [int(n) for n in steps[:, -1]]}


@step
def identity_recurrence(word: str, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h = W h + x_t with W the identity, compared with the two bags."""
    v = Vocab(vocab)
    word = _clean_word(word, v)
    W = np.eye(len(v))
    h = np.zeros(len(v))
    for t in range(len(word)):
        h = W @ h + v.onehot(word)[:, t]
    bag, weighted = bag_of_chars(v.onehot(word), 1)[:, -1], bag_of_chars(v.onehot(word), 2)[:, -1]
    same = ("the bag of characters" if np.array_equal(h, bag) else
            "the weighted bag" if np.array_equal(h, weighted) else "neither")
    return {"W": _matrix(W, list(v.chars), list(v.chars), 0), "h": [int(n) for n in h],
            "facts": {"items": [["h = W h + x", [int(n) for n in h]], ["bag of characters", [int(n) for n in bag]],
                                ["weighted bag", [int(n) for n in weighted]], ["W = I gives", same]]},
            "same_as": same}


# ----------------------------------------------------------------------------
# 1.4: matrix transforms

@step
def matrix_sizes(vocab_size: int = 100_000, nhidden: int = 100, bytes_per: int = 4) -> dict[str, Any]:
    """Elements and memory of W applied to one-hots, against W plus U."""
    alone = vocab_size ** 2
    with_u = nhidden ** 2 + nhidden * vocab_size
    return {"facts": {"items": [["vocabulary", f"{vocab_size:,}"], ["W on one-hots", f"{alone:,} numbers"],
                                ["  in float32", f"{alone * bytes_per / 1e9:,.0f} GB"],
                                [f"W ({nhidden}x{nhidden}) plus U ({nhidden}x{vocab_size:,})", f"{with_u:,} numbers"],
                                ["  in float32", f"{with_u * bytes_per / 1e6:,.0f} MB"]]},
            "w_gb": alone * bytes_per / 1e9, "with_u_mb": with_u * bytes_per / 1e6}


@step
def u_column(char: str, nhidden: int = 4, seed: int = 1, vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """U times a one-hot is one column of U: the character's embedding."""
    v = Vocab(vocab)
    char = _clean_word(char, v)[:1]
    U = _article_params(nhidden, 3, seed, v)["U"]
    x = v.onehot(char)[:, 0]
    product = U @ x
    code = v.code(char)
    return {"U": _matrix(U, [f"h{i}" for i in range(nhidden)], list(v.chars)),
            "product": np.round(product, 3).tolist(), "code": code,
            "facts": {"items": [["character", char], ["its code", code],
                                ["U @ onehot equals column", f"{code} of U: {np.allclose(product, U[:, code])}"]]}}


@step
def unroll_hidden(word: str, nhidden: int = 4, seed: int = 1, squash: bool = False,
                  vocab: str = ARTICLE_VOCAB) -> dict[str, Any]:
    """h_t = W h_{t-1} + U x_t (tanh if squash) with W = I, one column per character."""
    v = Vocab(vocab)
    word = _clean_word(word, v)
    P = _article_params(nhidden, 3, seed, v)
    h, cols = np.zeros(nhidden), []
    for c in word:
        h = P["W"] @ h + P["U"][:, v.code(c)]
        if squash:
            h = np.tanh(h)
        cols.append(h)
    H = np.stack(cols, axis=1)
    plain = _unrolled_max(word, P, v, False)
    squashed = _unrolled_max(word, P, v, True)
    bounded = ("both" if plain <= 1 and squashed <= 1 else "with tanh" if squashed <= 1 < plain
               else "neither")
    return {"H": _matrix(H, [f"h{i}" for i in range(nhidden)], [f"{c}" for c in word]),
            "steps": len(word), "largest": float(np.abs(H).max()), "bounded": bounded,
            "facts": {"items": [["largest |h| without tanh", f"{plain:.3f}"],
                                ["largest |h| with tanh", f"{squashed:.3f}"]]}}


def _unrolled_max(word: str, P, v: Vocab, squash: bool) -> float:
    h, biggest = np.zeros(P["W"].shape[0]), 0.0
    for c in word:
        h = P["W"] @ h + P["U"][:, v.code(c)]
        h = np.tanh(h) if squash else h
        biggest = max(biggest, float(np.abs(h).max()))
    return biggest


# ----------------------------------------------------------------------------
# 1.5: the classifier, and training it

@step
def softmax_loss(scores: list[float], target: int) -> dict[str, Any]:
    """Scores to probabilities (softmax) and the cross-entropy of the right class."""
    o = np.asarray(scores, dtype=float)
    p = rnn.softmax(o)
    loss = float(-rnn.log_softmax(o)[target])
    rows = [[i, f"{s:+.2f}", f"{math.exp(s):.3f}", f"{q:.3f}"] for i, (s, q) in enumerate(zip(o, p))]
    return {"table": {"columns": ["class", "score o", "exp(o)", "softmax"], "rows": rows},
            "loss": round(loss, 3), "facts": {"items": [["right class", target],
                                                        ["-log p[right]", f"{loss:.3f}"]]}}


def _words_dataset(pairs) -> tuple[Dataset, Vocab]:
    vocab = Vocab.from_words(w for w, _ in pairs)
    classes = tuple(dict.fromkeys(lang for _, lang in pairs))
    split = Split([vocab.encode(w) for w, _ in pairs], np.array([classes.index(lang) for _, lang in pairs]),
                  [w for w, _ in pairs])
    return Dataset(split, split, len(vocab), classes), vocab


@step
@remembered
def train_cats(epochs: int = 150, lr: float = 0.01, nhidden: int = 4, strategy: str = "sgd",
               batch_size: int = 1, words: int = 3, seed: int = 0) -> dict[str, Any]:
    """Train on the article's words (Adam, W = I init) and classify them with the learned W, U, V."""
    ds, vocab = _words_dataset(CATS3 if words == 3 else CATS4)
    cfg = TrainConfig(strategy=strategy, nhidden=nhidden, lr=lr, epochs=epochs, batch_size=batch_size,
                      init="article", seed=seed, dtype="float64", clip=None)
    trainer = Trainer(ds, cfg)
    for _ in trainer.run():
        pass
    P = trainer.params()
    every = max(1, epochs // 6)
    losses = [[e + 1, f"{x:.4f}"] for e, x in enumerate(trainer.train_losses) if e % every == 0 or e == epochs - 1]
    predicted, rows = {}, []
    for w in ds.train.names:
        probs = rnn.forward(P, vocab.encode(w)).final_probs
        predicted[w] = ds.classes[int(np.argmax(probs))]
        rows.append([w, predicted[w], f"{probs.max():.3f}"])
    hidden = [f"h{i}" for i in range(nhidden)]
    return {"losses": {"columns": ["epoch", "mean loss"], "rows": losses},
            "predictions": {"columns": ["word", "guess", "probability"], "rows": rows},
            "predicted": predicted, "updates": trainer.step,
            "W": _matrix(P["W"], hidden, hidden), "U": _matrix(P["U"], hidden, list(vocab.chars)),
            "V": _matrix(P["V"], list(ds.classes), hidden)}


# ----------------------------------------------------------------------------
# 2.1: loss over several records

@step
def minibatch_plan(batch_size: int = 2) -> dict[str, Any]:
    """The four words in batches, and how many updates an epoch makes either way."""
    rows = [[i // batch_size + 1, w, lang] for i, (w, lang) in enumerate(CATS4)]
    per_batch = math.ceil(len(CATS4) / batch_size)
    return {"table": {"columns": ["batch", "word", "language"], "rows": rows},
            "updates_minibatch": per_batch, "updates_sgd": len(CATS4),
            "facts": {"items": [["updates per epoch, one per word", len(CATS4)],
                                [f"updates per epoch, batches of {batch_size}", per_batch]]}}


@step
def summed_loss(batch_size: int = 2, nhidden: int = 4, seed: int = 0) -> dict[str, Any]:
    """Each word's loss at the start of training, and each batch's sum: what one update follows."""
    ds, vocab = _words_dataset(CATS4)
    P = _article_params(nhidden, len(ds.classes), seed, vocab)
    rows, sums = [], []
    for b in range(0, len(CATS4), batch_size):
        total = 0.0
        for w, _ in CATS4[b:b + batch_size]:
            y = ds.classes.index(dict(CATS4)[w])
            loss = rnn.loss(P, vocab.encode(w), y)
            total += loss
            rows.append([b // batch_size + 1, w, f"{loss:.3f}"])
        sums.append(round(total, 3))
        rows.append([b // batch_size + 1, "sum", f"{total:.3f}"])
    return {"table": {"columns": ["batch", "word", "loss"], "rows": rows}, "sums": sums}


def _names_subset(n: int, seed: int = 0) -> Dataset:
    from .. import data

    ds, _ = data.to_dataset(data.load("names"), 0.2, seed)
    rng = np.random.default_rng(seed)
    pick = rng.permutation(len(ds.train))[:n]
    tr = Split([ds.train.seqs[i] for i in pick], ds.train.y[pick], [ds.train.names[i] for i in pick])
    vpick = rng.permutation(len(ds.valid))[:max(200, n // 4)]
    va = Split([ds.valid.seqs[i] for i in vpick], ds.valid.y[vpick], [ds.valid.names[i] for i in vpick])
    return Dataset(tr, va, ds.nfeatures, ds.classes)


def _run(ds: Dataset, cfg: TrainConfig) -> dict[str, Any]:
    trainer = Trainer(ds, cfg)
    t0 = time.perf_counter()
    for _ in trainer.run():
        pass
    wall = time.perf_counter() - t0
    return {"updates": trainer.step, "names_per_sec": cfg.epochs * len(ds.train) / max(trainer.elapsed, 1e-9),
            "accuracy": trainer.best_metrics.accuracy, "seconds": wall}


@step
@remembered
def compare_strategies(strategies: list[str], names: int = 800, epochs: int = 2, hidden: int = 64) -> dict[str, Any]:
    """The same names trained with each strategy: updates, speed, accuracy."""
    ds = _names_subset(names)
    results = {s: _run(ds, TrainConfig(strategy=s, nhidden=hidden, epochs=epochs, batch_size=32, lr=0.005))
               for s in strategies}
    rows = [[s, r["updates"], f"{r['names_per_sec']:,.0f}", f"{r['accuracy']:.3f}"] for s, r in results.items()]
    fastest = max(results, key=lambda s: results[s]["names_per_sec"])
    fewest = min(results, key=lambda s: results[s]["updates"])
    ratio = results[fastest]["names_per_sec"] / min(r["names_per_sec"] for r in results.values())
    return {"table": {"columns": ["strategy", "updates", "names/s", "valid accuracy"], "rows": rows},
            "fastest": fastest, "fewest_updates": fewest,
            "facts": {"items": [["names", f"{len(ds.train):,} for {epochs} epochs"],
                                ["fastest", f"{fastest}, {ratio:.0f}x the slowest"]]}}


# ----------------------------------------------------------------------------
# 2.2: vectorising the batch, and padding on the left

@step
def batch_at_step(t: str = "3", side: str = "left") -> dict[str, Any]:
    """B_t: the one-hot columns of every word of the batch at time step t (left padded)."""
    ds, vocab = _words_dataset(CATS4)
    try:
        t_int = int(str(t).strip())
    except ValueError:
        raise StepInputError(f"type a time step, a whole number from 1 to 5, not {t!r}") from None
    X = pad_batch(ds.train.seqs, pad=len(vocab), side=side)
    if not 1 <= t_int <= X.shape[1]:
        raise StepInputError(f"time steps run from 1 to {X.shape[1]}")
    B = np.zeros((len(vocab), X.shape[0]))
    for j, code in enumerate(X[:, t_int - 1]):
        if code < len(vocab):
            B[code, j] = 1
    words = ds.train.names
    return {"B": _matrix(B, list(vocab.chars), words, 0), "shape": list(B.shape),
            "facts": {"items": [["B_t", f"{B.shape[0]} x {B.shape[1]} (nfeatures x batch)"],
                                ["H", f"nhidden x {B.shape[1]}"],
                                ["padding at this step", ", ".join(w for w, c in zip(words, X[:, t_int - 1])
                                                                    if c == len(vocab)) or "none"]]}}


@step
def padding_grid(side: str = "left") -> dict[str, Any]:
    """The 3-D batch tensor seen from above: word by position, '·' for a zero vector."""
    ds, vocab = _words_dataset(CATS4)
    X = pad_batch(ds.train.seqs, pad=len(vocab), side=side)
    rows = [[w, *[vocab.chars[c] if c < len(vocab) else "·" for c in X[i]]] for i, w in enumerate(ds.train.names)]
    return {"table": {"columns": ["word", *[f"t{j + 1}" for j in range(X.shape[1])]], "rows": rows},
            "shape": [X.shape[0], X.shape[1], len(vocab)]}


@step
def padding_effect(word: str = "cat", length: int = 5, nhidden: int = 4, seed: int = 2) -> dict[str, Any]:
    """h for a word alone, left padded, and right padded, with and without a bias."""
    v = Vocab(ARTICLE_VOCAB)
    word = _clean_word(word, v)
    if len(word) > length:
        raise StepInputError(f"use a word of at most {length} letters")
    rows, exact = [], {}
    for bias in (False, True):
        P = _article_params(nhidden, 3, seed, v, bias=bias)
        if bias:
            P["bh"] = np.full(nhidden, 0.5)
        alone = rnn.forward(P, v.encode(word)).h
        for side, mask in (("left", False), ("right", False), ("left", True)):
            X = pad_batch([v.encode(word)], pad=len(v), side=side, length=length)
            h = batched.forward(P, X, mask=mask).H[-1][0]
            diff = float(np.abs(h - alone).max())
            label = f"{side} padding" + (", masked" if mask else "")
            rows.append(["with bias" if bias else "no bias", label, f"{diff:.2e}", "yes" if diff == 0 else "no"])
            exact[(bias, label)] = diff == 0
    neutral_no_bias = [s for s in ("left", "right") if exact[(False, f"{s} padding")]]
    return {"table": {"columns": ["model", "padding", "max |Δh|", "unchanged"], "rows": rows},
            "neutral_without_bias": neutral_no_bias[0] if len(neutral_no_bias) == 1 else
            ("both" if neutral_no_bias else "neither"),
            "fix_with_bias": "masking" if exact[(True, "left padding, masked")] and not exact[(True, "left padding")]
            else "nothing needed"}
