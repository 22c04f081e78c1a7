"""A preset: the plain mapping (from lesson.toml or the lab's boxes) that says what to train.

Keys are the fields of TrainConfig (strategy, backend, nhidden, batch_size,
lr, optimizer, epochs, init, clip, seed, dtype, ...) plus:

- `data`: a shipped set ("cats", "names"), a folder of <Language>.txt files
  or a .csv/.tsv path, loaded by rnn_tui.data;
- `words` and `languages`: two lists of the same length, a tiny inline data
  set that replaces `data` (lesson 5's cat, chat, katze);
- `valid_fraction`: the share of names held out for validation (default 0.2);
- `speed`: the speed the panel starts at, one of SPEED_NAMES (default "full").

check() validates a preset without loading anything, so `rnn-tui check`
and the panel's constructor can report a bad key at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..engine.train import TrainConfig

# (name, batches a second or None for no limit, slow motion: read the batch's first word aloud)
SPEEDS: tuple[tuple[str, float | None, bool], ...] = (
    ("full", None, False),
    ("300 batches/s", 300.0, False),
    ("30 batches/s", 30.0, False),
    ("3 batches/s", 3.0, False),
    ("one word at a time", None, True),
)
SPEED_NAMES = tuple(name for name, _, _ in SPEEDS)
CHAR_SECONDS = 0.3            # slow motion: one character read every this many seconds

EXTRA_KEYS = ("data", "words", "languages", "valid_fraction", "speed")
# decided by the live view itself, never by a preset
HOST_FIELDS = ("every", "every_seconds", "threads", "max_seconds")
NULLABLE = {f.name for f in dataclasses.fields(TrainConfig) if "None" in str(f.type)}
CONFIG_KEYS = tuple(f.name for f in dataclasses.fields(TrainConfig) if f.name not in HOST_FIELDS)


def _coerce(name: str, value: Any, default: Any) -> Any:
    """A preset value converted to the type of the config field's default."""
    if value is None:
        if name not in NULLABLE:
            raise ValueError(f"{name} needs a value")
        return None
    if name in NULLABLE:                        # clip: a number, or None for no clipping
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{name} must be a number or none, not {value!r}")
        return float(value)
    kind = type(default)
    if kind in (int, float) and (isinstance(value, bool) or not isinstance(value, (int, float, str))):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if kind is str and not isinstance(value, str):
        raise ValueError(f"{name} must be a word, not {value!r}")
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false, not {value!r}")
        return value
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a {kind.__name__}, not {value!r}") from None


def config_of(preset: Mapping[str, Any]) -> TrainConfig:
    """The TrainConfig a preset describes; ValueError with a one-line reason when it cannot work."""
    unknown = sorted(set(preset) - set(CONFIG_KEYS) - set(EXTRA_KEYS))
    if unknown:
        raise ValueError(f"unknown preset key {unknown[0]!r}; known keys: "
                         f"{', '.join(CONFIG_KEYS + EXTRA_KEYS)}")
    defaults = TrainConfig()
    values = {k: _coerce(k, v, getattr(defaults, k)) for k, v in preset.items() if k in CONFIG_KEYS}
    cfg = dataclasses.replace(defaults, **values, threads=1)
    cfg.check()
    return cfg


def check(preset: Mapping[str, Any]) -> TrainConfig:
    """Validate every key of a preset (the data is not loaded); returns its TrainConfig."""
    cfg = config_of(preset)
    words, languages = preset.get("words"), preset.get("languages")
    if (words is None) != (languages is None):
        raise ValueError("give both words and languages, or neither")
    if words is not None:
        if not isinstance(words, (list, tuple)) or not isinstance(languages, (list, tuple)):
            raise ValueError("words and languages must be lists")
        if len(words) != len(languages) or not words:
            raise ValueError(f"words and languages must be non-empty lists of the same length "
                             f"({len(words)} words, {len(languages)} languages)")
    elif not isinstance(preset.get("data", "cats"), str):
        raise ValueError(f"data must be a data set name or a path, not {preset.get('data')!r}")
    fraction = preset.get("valid_fraction", 0.2)
    if not isinstance(fraction, (int, float)) or not 0 <= fraction < 1:
        raise ValueError(f"valid_fraction must be a number from 0 up to (not including) 1, not {fraction!r}")
    if preset.get("speed", "full") not in SPEED_NAMES:
        raise ValueError(f"speed must be one of {', '.join(SPEED_NAMES)}, not {preset.get('speed')!r}")
    if cfg.nhidden > 512:
        raise ValueError(f"nhidden {cfg.nhidden} is too many to draw in a terminal; at most 512")
    return cfg


def load_data(preset: Mapping[str, Any]):
    """The Dataset and Vocab a checked preset names (loads files: the training process calls this)."""
    from .. import data

    seed = int(preset.get("seed", 0))
    fraction = float(preset.get("valid_fraction", 0.2))
    if "words" in preset:
        corpus = data.Corpus(source="the words given")
        for word, language in zip(preset["words"], preset["languages"]):
            name, reason = data.clean(str(word))
            if name is None:
                raise data.DataError(f"the word {str(word)!r} cannot be used: {reason}")
            corpus.names.append(name)
            corpus.languages.append(str(language))
        if len(corpus.classes) < 2:
            raise data.DataError("the words need at least two languages")
    else:
        corpus = data.load(str(preset.get("data", "cats")))
    dataset, vocab = data.to_dataset(corpus, fraction, seed)
    return dataset, vocab, corpus
