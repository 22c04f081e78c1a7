"""A trained name classifier: its file format, and reading a name with it.

A model file is one `.npz` archive (NumPy's zip of arrays) holding W, U, V
(and bh, bo with biases) plus the JSON metadata stored as a byte array under
`__meta__`: format version, vocabulary, languages, sizes, hyper-parameters,
a fingerprint of the training data and the final metrics.  One file means
one atomic write (temporary file, then rename) covers both.  Loading never
allows pickle, so nothing in a file is ever executed; a truncated, corrupted,
pickled or inconsistent file raises ModelError with a one-line message.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import fold
from .engine import rnn
from .engine.rnn import Params, WordTrace
from .engine.vocab import Vocab
from .files import atomic_write

FORMAT_VERSION = 1
META_KEY = "__meta__"
MAX_NAME = 64          # characters of a name that are read; the rest is cut


class ModelError(ValueError):
    """A model file that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Reading:
    """What the model made of one typed name."""

    typed: str                         # as given
    folded: str                        # ASCII, lowercase, cut to MAX_NAME
    used: str                          # the characters the model read
    dropped: tuple[tuple[int, str], ...]   # (position in folded, character) not in the vocabulary
    changed: tuple[tuple[str, str], ...]   # (typed character, what folding made of it)
    truncated: bool
    trace: WordTrace | None            # None when no character was usable
    _p0: np.ndarray | None = None      # the guess before any character (None: uniform)

    @property
    def _uniform_start(self) -> bool:
        return self._p0 is None

    def influence(self) -> np.ndarray:
        """How much each character raised (or lowered) the final guess's probability.

        Entry t is p_t[c] - p_{t-1}[c] for the finally predicted class c, where p_t
        is the guess after t characters and p_0 the guess from h_0 = 0 (uniform
        without biases, since V h_0 = 0).
        """
        if self.trace is None:
            return np.zeros(0)
        probs = self.trace.probs
        c = int(np.argmax(probs[-1]))
        start = 1.0 / probs.shape[1] if self._uniform_start else self._p0[c]
        return np.diff(np.concatenate([[start], probs[:, c]]))

    def top(self, languages: tuple[str, ...], k: int = 3) -> list[tuple[str, float]]:
        """The k most likely languages with their probabilities."""
        if self.trace is None:
            return []
        p = self.trace.final_probs
        order = np.argsort(-p, kind="stable")[:k]
        return [(languages[i], float(p[i])) for i in order]


@dataclass(frozen=True)
class Model:
    """Parameters plus everything needed to use them."""

    params: Params
    vocab: Vocab
    languages: tuple[str, ...]
    meta: dict
    path: Path | None = None

    def read(self, name: str) -> Reading:
        """Fold, cut and encode a name, then run the RNN over it."""
        folded = fold(name)
        truncated = len(folded) > MAX_NAME
        folded = folded[:MAX_NAME]
        used, dropped_at = self.vocab.split_known(folded)
        changed = tuple((c, fold(c)) for c in dict.fromkeys(name) if c.strip() and fold(c) != c.lower())
        trace = rnn.forward(self.params, self.vocab.encode(used)) if used else None
        p0 = rnn.softmax(self.params["bo"]) if "bo" in self.params else None
        return Reading(name, folded, used, tuple((i, folded[i]) for i in dropped_at), changed,
                       truncated, trace, p0)


def save(path: str | Path, params: Params, vocab: Vocab, languages: tuple[str, ...],
         meta: dict) -> Path:
    """Write a model file atomically: a temporary file in the same folder, then a rename."""
    path = Path(path).expanduser()
    full = dict(meta, format_version=FORMAT_VERSION, vocab=vocab.chars, languages=list(languages),
                nfeatures=len(vocab), nhidden=int(params["W"].shape[0]), nclasses=len(languages),
                bias="bh" in params)
    blob = np.frombuffer(json.dumps(full, sort_keys=True).encode(), dtype=np.uint8)
    with atomic_write(path, "wb") as f:
        np.savez(f, **{k: np.asarray(v) for k, v in params.items()}, **{META_KEY: blob})
    return path


def load(path: str | Path) -> Model:
    """Read and check a model file; ModelError for anything unusable."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ModelError(f"{path}: no such model file; train one with 'rnn-tui train --out {path}'")
    with open(path, "rb") as f:
        head = f.read(4)
    if head[:1] == b"\x80" or head[:1] in (b"(", b"]", b"}"):   # a pickle's opening opcodes
        raise ModelError(f"{path}: holds pickled data, which rnn-tui never loads; "
                         "use a model written by 'rnn-tui train'")
    if head != b"PK\x03\x04":
        raise ModelError(f"{path}: not an rnn-tui model (not a NumPy .npz archive); "
                         "train one with 'rnn-tui train'")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {k: archive[k] for k in archive.files}
    except ValueError as e:
        if "pickle" in str(e).lower():
            raise ModelError(f"{path}: holds pickled data, which rnn-tui never loads; "
                             "use a model written by 'rnn-tui train'") from None
        raise ModelError(f"{path}: not an rnn-tui model ({e}); train one with 'rnn-tui train'") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as e:
        raise ModelError(f"{path}: truncated or corrupted ({e.__class__.__name__}); "
                         "train it again with 'rnn-tui train'") from None
    return _check(path, arrays)


def _check(path: Path, arrays: dict[str, np.ndarray]) -> Model:
    def bad(why: str) -> ModelError:
        return ModelError(f"{path}: {why}; train it again with 'rnn-tui train'")

    if META_KEY not in arrays:
        raise bad("not an rnn-tui model (no metadata)")
    try:
        meta = json.loads(arrays.pop(META_KEY).tobytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad("its metadata is not valid JSON") from None
    if not isinstance(meta, dict):
        raise bad("its metadata is not a JSON object")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(f"{path}: model format {version!r}, but this rnn-tui reads format "
                         f"{FORMAT_VERSION}; retrain it with this version")
    try:
        vocab, languages = Vocab(str(meta["vocab"])), tuple(str(x) for x in meta["languages"])
        nhidden = int(meta["nhidden"])
    except (KeyError, TypeError, ValueError) as e:
        raise bad(f"its metadata lacks or garbles {e}") from None
    want = {"W": (nhidden, nhidden), "U": (nhidden, len(vocab)), "V": (len(languages), nhidden)}
    if meta.get("bias"):
        want |= {"bh": (nhidden,), "bo": (len(languages),)}
    if set(arrays) != set(want):
        raise bad(f"holds arrays {sorted(arrays)}, expected {sorted(want)}")
    for k, shape in want.items():
        a = arrays[k]
        if a.shape != shape or a.dtype.kind != "f":
            raise bad(f"{k} is {a.dtype} {a.shape}, but the metadata implies float {shape}")
        if not np.all(np.isfinite(a)):
            raise bad(f"{k} holds NaN or infinite values")
    params = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    return Model(params=params, vocab=vocab, languages=languages, meta=meta, path=path)
