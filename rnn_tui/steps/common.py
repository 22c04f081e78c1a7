"""Helpers that several lessons' step functions share: input cleaning, the article's words,
the pretrained model, small data sets and a cache for slow deterministic steps.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ..engine import rnn
from ..engine.config import TrainConfig
from ..engine.train import Dataset, Split, Trainer
from ..engine.vocab import Vocab

if TYPE_CHECKING:
    from ..model import Model, Reading

ARTICLE_VOCAB = "acehktz"
CATS3 = (("cat", "English"), ("chat", "French"), ("katze", "German"))
CATS4 = CATS3 + (("kat", "Afrikaans"),)
T = TypeVar("T")


class StepInputError(ValueError):
    """Typed input a step cannot use; the message says what to type instead."""


class StepCancelled(Exception):
    """The learner left before the step finished; nothing is kept."""


_checks = threading.local()


@contextmanager
def cancellable(is_cancelled: Callable[[], bool]) -> Iterator[None]:
    """Run a step in this thread such that checkpoint() raises StepCancelled once is_cancelled() is true."""
    _checks.is_cancelled = is_cancelled
    try:
        yield
    finally:
        _checks.is_cancelled = None


def checkpoint() -> None:
    """In a long step's loop: stop here (StepCancelled) if whoever asked for the step has gone."""
    is_cancelled = getattr(_checks, "is_cancelled", None)
    if is_cancelled is not None and is_cancelled():
        raise StepCancelled()


CHECK_SECONDS = 0.25      # a training step's run yields (and so reaches a checkpoint) at least this often


def checked(snapshots: Iterable[T]) -> Iterator[T]:
    """A training run's snapshots, with a checkpoint() before each is handed on.

    For a step's own loop over `Trainer.run()`: give its config
    `every_seconds=CHECK_SECONDS` (or `every`) so that snapshots, and so
    checkpoints, come often, not only at the end of each epoch.
    """
    for snap in snapshots:
        checkpoint()
        yield snap


RACE_MARGIN = 0.10        # a timed race's runners this close to the winner count as winning too


def in_the_lead(speeds: dict[str, float], margin: float = RACE_MARGIN) -> str | list[str]:
    """The fastest of a timed race, with every runner within `margin` of it (fastest first).

    A second run of the same race on a shared machine can come out a tenth different, so a
    question about which is fastest accepts any of them; one runner alone is returned as is.
    """
    best = max(speeds.values())
    lead = sorted((k for k, v in speeds.items() if v >= (1 - margin) * best), key=lambda k: -speeds[k])
    return lead[0] if len(lead) == 1 else lead


def train(ds: Dataset, cfg: TrainConfig) -> Trainer:
    """Train to the end and return the trainer; a checkpoint at least every quarter second of training."""
    trainer = Trainer(ds, dataclasses.replace(cfg, every_seconds=CHECK_SECONDS))
    for _ in checked(trainer.run()):
        pass
    return trainer


def remembered(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Keep the results of a slow, deterministic step (training runs) per set of arguments.

    Lessons show the same run over several steps; this way it is trained once.
    Results are shared, so callers must not change them (visuals only read).
    Thread-safe: a second caller with the same arguments (the lesson screen's
    worker while the background warm-up computes that step) waits for the
    first rather than training again.
    """
    cache: dict[str, dict[str, Any]] = {}
    locks: dict[str, threading.Lock] = {}
    guard = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        key = json.dumps([args, kwargs], sort_keys=True, default=str)
        with guard:
            lock = locks.setdefault(key, threading.Lock())
        with lock:
            if key not in cache:
                cache[key] = fn(*args, **kwargs)
            return cache[key]

    wrapper.remembered = True  # type: ignore[attr-defined]
    return wrapper


def is_remembered(fn: Callable[..., Any]) -> bool:
    """Whether a step keeps its results (so computing it ahead of time pays off)."""
    return bool(getattr(fn, "remembered", False))


def clean_word(word: str, vocab: Vocab | None = None, longest: int | None = None) -> str:
    """A typed word, stripped and lower-cased; StepInputError if empty, outside vocab or over `longest`."""
    word = word.strip().lower()
    if not word:
        raise StepInputError("type a word first (letters only)")
    if longest is not None and len(word) > longest:
        raise StepInputError(f"use a word of at most {longest} letters here (that one has {len(word):,})")
    if vocab is not None:
        unknown = "".join(dict.fromkeys(c for c in word if c not in vocab))
        if unknown:
            raise StepInputError(f"{unknown!r} is not in the vocabulary {vocab.chars}; "
                                 f"use words made of these letters, such as 'hat' or 'tack'")
    return word


@functools.lru_cache(maxsize=1)
def pretrained() -> Model:
    """The shipped model trained on data/names (loaded once)."""
    from ..model import load
    from ..resources import pretrained_model

    return load(pretrained_model())


def known_letters(word: str) -> tuple[Model, str]:
    """The pretrained model and the letters it reads of word (folded as the model folds a name);
    StepInputError if there are none."""
    m, r = read_typed(word)
    return m, r.used


def read_typed(word: str, refusal: str = "type a word with letters") -> tuple[Model, Reading]:
    """The pretrained model's reading of a typed name; StepInputError(refusal) if no letter is usable."""
    m = pretrained()
    r = m.read(word)
    if r.trace is None:
        raise StepInputError(refusal)
    return m, r


def spelled(name: str, vocab: Vocab) -> Reading:
    """What a model with this vocabulary reads of a typed name: folded, cut and filtered as
    Model.read does it, without running a cell (trace None); for what_was_read."""
    from ..data import fold, not_spelled
    from ..model import MAX_NAME, Reading, changes

    folded = fold(name)
    used, dropped = vocab.split_known(folded[:MAX_NAME])
    removed = tuple(dict.fromkeys(c for c in name if not_spelled(c) and c.isprintable()))
    return Reading(name, folded[:MAX_NAME], used, tuple((i, folded[i]) for i in dropped), changes(name),
                   len(folded) > MAX_NAME, None, None, removed)


def what_was_read(r: Reading) -> list[tuple[str, str]]:
    """Facts lines saying what the model did to a typed name before reading it (none for a plain name):
    the characters it left out, the letters it folded to ASCII and a cut to its first characters.

    Every step that reads a typed name shows these, so that '[b]Zé😀1' read as 'bze' says why.
    """
    dropped = {*r.removed, *(c for _, c in r.dropped)}
    left_out = dict.fromkeys([*(c for c in r.typed if c in dropped), *sorted(dropped)])
    notes = [("left out (not letters)", " ".join(map(_shown, left_out)))] if left_out else []
    if r.changed:
        notes.append(("folded to ASCII", ", ".join(f"{_shown(a)}→{b or '∅'}" for a, b in r.changed)))
    if r.truncated:
        notes.append(("cut to", f"the first {len(r.folded)} characters"))
    return notes


def _shown(text: str) -> str:
    """Typed text as a facts line may show it: a control character (an escape) as its \\x code."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def article_params(nhidden: int, nclasses: int, seed: int, vocab: Vocab, bias: bool = False) -> rnn.Params:
    """W, U, V initialised as the article does (W = I), in float64."""
    return rnn.init_params(len(vocab), nhidden, nclasses, init="article", seed=seed, bias=bias,
                           dtype=np.float64)


def words_dataset(pairs: Iterable[tuple[str, str]]) -> tuple[Dataset, Vocab]:
    """A tiny data set of (word, language) pairs, training and validation alike, and its vocabulary."""
    pairs = list(pairs)
    vocab = Vocab.from_words(w for w, _ in pairs)
    classes = tuple(dict.fromkeys(lang for _, lang in pairs))
    split = Split([vocab.encode(w) for w, _ in pairs], np.array([classes.index(lang) for _, lang in pairs]),
                  [w for w, _ in pairs])
    return Dataset(split, split, len(vocab), classes), vocab


def names_subset(n: int, seed: int = 0) -> Dataset:
    """n random training names of the shipped corpus, and a validation sample of max(200, n/4)."""
    from .. import data

    ds, _ = data.to_dataset(data.load("names"), 0.2, seed)
    rng = np.random.default_rng(seed)
    pick = rng.permutation(len(ds.train))[:n]
    tr = Split([ds.train.seqs[i] for i in pick], ds.train.y[pick], [ds.train.names[i] for i in pick])
    vpick = rng.permutation(len(ds.valid))[:max(200, n // 4)]
    va = Split([ds.valid.seqs[i] for i in vpick], ds.valid.y[vpick], [ds.valid.names[i] for i in vpick])
    return Dataset(tr, va, ds.nfeatures, ds.classes)


def bptt(P: rnn.Params, codes: np.ndarray, y: int, window: int | None = None) -> tuple[np.ndarray, list[float]]:
    """dL/dW for one word by backpropagation through time, and |dL/dh_t| for t = 1..m.

    With `window`, only the last `window` steps are backpropagated through
    (truncated BPTT); None goes all the way back to the first character.
    """
    tr = rnn.forward(P, codes)
    hs, W, V = tr.hs, P["W"], P["V"]
    do = np.exp(rnn.log_softmax(V @ hs[-1]))           # dL/do = softmax(o) - onehot(y)
    do[y] -= 1
    dh, dW, norms = V.T @ do, np.zeros_like(W), []
    m = len(codes)
    for t in range(m, 0, -1):
        norms.append(float(np.linalg.norm(dh)))
        dz = dh * (1 - hs[t] ** 2)                      # backprop through tanh
        dW += np.outer(dz, hs[t - 1])
        if window is not None and m - t + 1 >= window:
            break
        dh = W.T @ dz
    return dW, norms[::-1]
