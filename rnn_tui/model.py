"""A trained name classifier: its file format, and reading a name with it.

A model file is one `.npz` archive (NumPy's zip of arrays) holding the
cell's parameters (W, U, V, and biases when trained with them; a gated cell
stacks its gates' blocks in W and U, see engine/cells.py) plus the JSON
metadata stored as a byte array under `__meta__`: format version, cell,
vocabulary, languages, sizes, hyper-parameters, a fingerprint of the
training data and the final metrics.  One file means one atomic write
(temporary file, then rename) covers both.

`load` trusts nothing in the file (see rnn_tui/archive.py): it checks that
the archive holds exactly the expected members and none too large, parses
the metadata safely and bounds every size in it, then checks each array's
header against those sizes before reading its data.  It never unpickles.
Anything unusable raises ModelError with a one-line message.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .archive import Archive, ArchiveError, parse_json
from .data import fold, not_spelled
from .engine import cells, rnn
from .engine.config import TrainConfig
from .engine.rnn import Params, WordTrace
from .engine.vocab import Vocab
from .files import atomic_write
from .romanise import script_runs

FORMAT_VERSION = 1
META_KEY = "__meta__"
MAX_NAME = 64          # characters of a name that are read; the rest is cut

# Bounds on what a model file may declare, checked before any array is read.  They are
# far above anything rnn-tui trains (hidden 256, 30 characters, about 20 languages) and
# keep the largest legal file (an LSTM's W in float64) near 130 MiB.
MAX_HIDDEN = 2048
MAX_FEATURES = 1024
MAX_CLASSES = 1024
MAX_LANGUAGE = 64      # characters in a language's name
MAX_META_BYTES = 1 << 20


class ModelError(ValueError):
    """A model file that cannot be used; the message is one line for the user."""


class _OtherFormat(ArchiveError):
    """A model file of another format version (its message already says what to do)."""


@dataclass(frozen=True)
class Reading:
    """What the model made of one typed name."""

    typed: str                         # as given
    folded: str                        # ASCII, lowercase, cut to MAX_NAME
    used: str                          # the characters the model read
    dropped: tuple[tuple[int, str], ...]   # (position in folded, character) not in the vocabulary
    changed: tuple[tuple[str, str], ...]   # (typed character or word in another script, what folding made of it)
    truncated: bool
    trace: WordTrace | None            # None when no character was usable
    _p0: np.ndarray | None = None      # the guess before any character (None: uniform)
    removed: tuple[str, ...] = ()      # typed symbols and emoji (visible ones), dropped as no part of a name

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
        start = 1.0 / probs.shape[1] if self._p0 is None else self._p0[c]
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
    meta: dict[str, Any]
    path: Path | None = None
    cell: str = "rnn"

    def read(self, name: str) -> Reading:
        """Fold, cut and encode a name, then run the model's cell over it (gates in trace.gates)."""
        folded = fold(name)
        truncated = len(folded) > MAX_NAME
        folded = folded[:MAX_NAME]
        used, dropped_at = self.vocab.split_known(folded)
        removed = tuple(dict.fromkeys(c for c in name if not_spelled(c) and c.isprintable()))
        trace = cells.get(self.cell).read(self.params, self.vocab.encode(used), True) if used else None
        p0 = rnn.softmax(self.params["bo"]) if "bo" in self.params else None
        return Reading(name, folded, used, tuple((i, folded[i]) for i in dropped_at), changes(name),
                       truncated, trace, p0, removed)


def changes(name: str) -> tuple[tuple[str, str], ...]:
    """What folding did to a typed name: (character, ASCII) for each accented letter or other
    character it changed (ü -> u), and (word, ASCII) for a word of a script romanised as a whole
    (Ельцин -> yeltsin: its letters alone would read otherwise).  Symbols and emoji, which fold
    drops, are left to Reading.removed."""
    pieces: list[str] = []
    for run, rule in script_runs(name):
        pieces.extend([run] if rule else run)
    return tuple((p, fold(p)) for p in dict.fromkeys(pieces)
                 if p.strip() and not any(not_spelled(c) for c in p) and fold(p) != p.lower())


def metadata(config: TrainConfig, *, source: str, fingerprint: str, metrics: dict[str, Any],
             epoch: int, names: int | None = None, valid_fraction: float | None = None,
             refit: bool = False) -> dict[str, Any]:
    """The metadata a trained model is saved with; the command line and the lab both use it.

    `save` adds the sizes, vocabulary, languages, cell and format version.
    `refit`: the parameters were trained again on every name, validation names
    included, for `epoch` epochs; `metrics` are then the first run's, on the
    validation split as it was held out, and that split can no longer score
    the model (see `held_out`).
    """
    from . import __version__

    data: dict[str, Any] = {"source": source, "fingerprint": fingerprint}
    if names is not None:
        data["names"] = names
    if valid_fraction is not None:
        data["valid_fraction"] = valid_fraction
    if refit:
        data["refit"] = True
    return {"config": dict(config.__dict__), "data": data, "metrics": metrics, "epoch": epoch,
            "rnn_tui_version": __version__}


def held_out(meta: dict[str, Any]) -> bool:
    """Whether the validation split recorded in a model's metadata is still unseen by the model."""
    data = meta.get("data")
    return not (isinstance(data, dict) and data.get("refit") is True)


def save(path: str | Path, params: Params, vocab: Vocab, languages: tuple[str, ...],
         meta: dict[str, Any], cell: str | None = None) -> Path:
    """Write a model file atomically: a temporary file in the same folder, then a rename.

    cell defaults to the one in meta["config"] (or the vanilla RNN); the
    parameters must have that cell's names and shapes.
    """
    path = Path(path).expanduser()
    if cell is None:
        cell = str(meta.get("config", {}).get("cell", "rnn"))
    spec = cells.get(cell)
    nhidden, bias = int(params["V"].shape[1]), "bo" in params
    want = spec.shapes(len(vocab), nhidden, len(languages), bias)
    got = {k: tuple(np.shape(v)) for k, v in params.items()}
    if got != want:
        raise ValueError(f"parameters {got} do not fit a {cell} cell, which needs {want}")
    full = dict(meta, format_version=FORMAT_VERSION, cell=cell, vocab=vocab.chars,
                languages=list(languages), nfeatures=len(vocab), nhidden=nhidden,
                nclasses=len(languages), bias=bias)
    arrays: dict[str, Any] = {k: np.asarray(v) for k, v in params.items()}
    arrays[META_KEY] = np.frombuffer(json.dumps(full, sort_keys=True).encode(), dtype=np.uint8)
    with atomic_write(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def load(path: str | Path) -> Model:
    """Read and check a model file; ModelError (one line) for anything unusable."""
    path = Path(path).expanduser()
    try:
        info = os.stat(path)
    except OSError as e:
        if isinstance(e, FileNotFoundError):
            raise ModelError(f"{path}: no such model file; train one with 'rnn-tui train --out {path}'") from None
        raise ModelError(f"{path}: cannot be read ({e.strerror or type(e).__name__})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ModelError(f"{path}: not a regular file, so not a model; "
                         "give the .npz file written by 'rnn-tui train'")
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            if head[:1] == b"\x80" or head[:1] in (b"(", b"]", b"}"):   # a pickle's opening opcodes
                raise ModelError(f"{path}: holds pickled data, which rnn-tui never loads; "
                                 "use a model written by 'rnn-tui train'")
            if head not in (b"PK\x03\x04", b"PK\x05\x06"):          # a zip's first member, or an empty zip
                raise ModelError(f"{path}: not an rnn-tui model (not a NumPy .npz archive); "
                                 "train one with 'rnn-tui train'")
            f.seek(0)
            archive = Archive(f)
            try:
                return _read(path, archive)
            finally:
                archive.close()
    except _OtherFormat as e:
        raise ModelError(f"{path}: {e}") from None
    except ArchiveError as e:
        raise ModelError(f"{path}: {e}; train it again with 'rnn-tui train'") from None
    except OSError as e:
        raise ModelError(f"{path}: cannot be read ({e.strerror or type(e).__name__})") from None
    except MemoryError:
        raise ModelError(f"{path}: too large to load") from None


def _read(path: Path, archive: Archive) -> Model:
    meta_member = META_KEY + ".npy"
    if meta_member not in archive.sizes:
        raise ArchiveError("not an rnn-tui model (no metadata)")
    allowed = {meta_member} | {k + ".npy" for k in ("W", "U", "V", "bh", "bo", "bu", "bw")}
    strangers = sorted(set(archive.sizes) - allowed)
    if strangers:
        raise ArchiveError(f"holds unexpected members {', '.join(repr(s[:40]) for s in strangers[:3])}"
                           + (" (and more)" if len(strangers) > 3 else ""))
    blob = archive.array(meta_member, None, kinds="u", itemsizes=(1,), max_items=MAX_META_BYTES)
    meta = parse_json(blob.tobytes())
    cell, vocab, languages, nhidden, bias = _check_meta(meta)
    want = cells.get(cell).shapes(len(vocab), nhidden, len(languages), bias)
    members = {k + ".npy" for k in want}
    if set(archive.sizes) - {meta_member} != members:
        raise ArchiveError(f"holds arrays {sorted(k.removesuffix('.npy') for k in archive.sizes if k != meta_member)}"
                           f", but the {cell} cell's model has {sorted(want)}")
    params: Params = {}
    for k, shape in want.items():
        a = archive.array(k + ".npy", shape)
        if not np.all(np.isfinite(a)):
            raise ArchiveError(f"{k} holds NaN or infinite values")
        params[k] = np.ascontiguousarray(a)
    return Model(params=params, vocab=vocab, languages=languages, meta=meta, path=path, cell=cell)


def _check_meta(meta: Any) -> tuple[str, Vocab, tuple[str, ...], int, bool]:
    """The cell, vocabulary, languages, nhidden and bias a model's metadata declares, all checked."""
    if not isinstance(meta, dict):
        raise ArchiveError("its metadata is not a JSON object")
    version = meta.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise _OtherFormat(f"model format {repr(version)[:20]}, but this rnn-tui reads format "
                           f"{FORMAT_VERSION}; retrain it with this version")
    cell = meta.get("cell", "rnn")                    # files from before gated cells hold a vanilla RNN
    if cell not in cells.CELLS:
        raise ArchiveError(f"its cell {str(cell)[:20]!r} is none of {', '.join(cells.CELLS)}")
    chars = meta.get("vocab")
    if not isinstance(chars, str) or not 0 < len(chars) <= MAX_FEATURES:
        raise ArchiveError(f"its vocabulary is not a string of 1 to {MAX_FEATURES} characters")
    if not chars.isprintable() or len(set(chars)) != len(chars):
        raise ArchiveError("its vocabulary holds control characters or repeats one")
    languages = meta.get("languages")
    if not isinstance(languages, list) or not 0 < len(languages) <= MAX_CLASSES:
        raise ArchiveError(f"its languages are not a list of 1 to {MAX_CLASSES} names")
    for lang in languages:
        if not isinstance(lang, str) or not 0 < len(lang) <= MAX_LANGUAGE or not lang.isprintable() \
                or lang != lang.strip():
            raise ArchiveError(f"its languages include {str(lang)[:20]!r}, which is not a language's name")
    if len(set(languages)) != len(languages):
        raise ArchiveError("its languages repeat a name")
    nhidden = meta.get("nhidden")
    if not isinstance(nhidden, int) or isinstance(nhidden, bool) or not 0 < nhidden <= MAX_HIDDEN:
        raise ArchiveError(f"its nhidden {str(nhidden)[:20]!r} is not a whole number from 1 to {MAX_HIDDEN}")
    for key, size in (("nfeatures", len(chars)), ("nclasses", len(languages))):
        if key in meta and (meta[key] != size or isinstance(meta[key], bool)):
            raise ArchiveError(f"its {key} {str(meta[key])[:20]!r} disagrees with its lists ({size})")
    bias = meta.get("bias", False)
    if not isinstance(bias, bool):
        raise ArchiveError("its bias flag is not true or false")
    return cell, Vocab(chars), tuple(languages), nhidden, bias
