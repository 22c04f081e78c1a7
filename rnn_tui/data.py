"""Loading names data: folders of <Language>.txt, or CSV/TSV files, cleaned for the RNN.

Accepted layouts:
- a folder of `<Language>.txt` files, UTF-8, one name per line (the PyTorch
  tutorial's data/names); dot-files such as macOS's `._English.txt` are
  ignored and the extension may be upper-case;
- a `.csv` or `.tsv` file, optionally gzipped, either with a header row that
  names a `name` and a `language` column, or with no header and exactly two
  columns, name then language (Parr's notebooks' names_train.csv.gz);
- `cats` or `names`: the data sets that ship with rnn-tui, and `pytorch-names`
  once `rnn-tui data get pytorch-names` has fetched it.

Every name is folded to ASCII (accents dropped; Cyrillic, Greek, Chinese,
kana and hangul spelt as the names corpus spells them, see romanise.py;
anyascii for the rest), lowercased and cut to MAX_NAME characters, as classification
reads it.  Lines that are not names (digits, odd symbols, only punctuation,
page furniture such as "To The First Page") are set aside and counted; exact
duplicates within a language are removed before splitting, so no validation
name also sits in training.  A name listed under several languages is kept
under each and counted.  Reading streams (see reading.py), so memory grows
with the names kept, not with the file.  Problems that make a source unusable
raise DataError with a one-line message.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from anyascii import anyascii

from . import safe
from .engine.dataset import Dataset, Split
from .engine.vocab import Vocab
from .reading import DataError, kind_of, resolve, shown
from .resources import DOWNLOADS, SHIPPED, downloaded_data, shipped_data
from .romanise import romanise_text
from .sources import Row, folder_rows, table_rows

MAX_NAME = 64               # characters of a name kept, as model.MAX_NAME reads them
MAX_LANGUAGE = 100          # characters of a language label
MAX_LANGUAGES = 1000        # classes; more is not a names corpus
MAX_NAMES = 2_000_000       # distinct (name, language) pairs kept (about 400 MB of them)
JUNK_KEPT = 200             # junk lines remembered as examples; all are counted
MEMO = 200_000              # rows remembered so a repeated row costs one lookup (bounded: unique rows gain nothing)

# lines found in real names files that are not names (compared case-insensitively)
PAGE_FURNITURE = {"to the first page", "to the last page", "next page", "previous page"}
NAME_CHARS = re.compile(r"^'?[a-z][a-z '\-.,]*$")     # a leading apostrophe: Dutch 's Gravensande


@dataclass(frozen=True)
class Junk:
    """A line set aside, and why."""

    source: str
    line: int
    text: str               # at most 80 characters of it
    reason: str


@dataclass
class Corpus:
    """Clean names with their languages, and what the cleaning did."""

    source: str
    names: list[str] = field(default_factory=list)          # folded, lowercased
    languages: list[str] = field(default_factory=list)
    junk: list[Junk] = field(default_factory=list)          # the first JUNK_KEPT lines set aside
    junk_count: int = 0                                     # every line set aside
    duplicates: Counter = field(default_factory=Counter)    # language -> removed
    folded: int = 0                                         # names changed by ASCII folding
    cut: int = 0                                            # names longer than MAX_NAME, cut
    layout: str = ""                                        # how the source was read

    @property
    def classes(self) -> tuple[str, ...]:
        """Languages in sorted order: class i is classes[i]."""
        return tuple(sorted(set(self.languages)))

    def counts(self) -> Counter:
        """Names per language."""
        return Counter(self.languages)

    def shared(self) -> dict[str, list[str]]:
        """Names listed under more than one language, with those languages."""
        by_name: dict[str, set[str]] = {}
        for n, lang in zip(self.names, self.languages):
            by_name.setdefault(n, set()).add(lang)
        return {n: sorted(langs) for n, langs in by_name.items() if len(langs) > 1}

    def vocab(self) -> Vocab:
        """Every character the names use."""
        return Vocab.from_words(self.names)

    def fingerprint(self) -> str:
        """A short hash of the (name, language) pairs, independent of file order."""
        h = hashlib.sha256()
        for pair in sorted(zip(self.names, self.languages)):
            h.update(f"{pair[0]}\t{pair[1]}\n".encode())
        return h.hexdigest()[:16]

    def set_aside(self, where: str, line: int, text: str, reason: str) -> None:
        """Count a junk line, and keep it as an example while there are few."""
        self.junk_count += 1
        if len(self.junk) < JUNK_KEPT:
            self.junk.append(Junk(where, line, text.strip()[:80], reason))


def not_spelled(c: str) -> bool:
    """Whether a typed character is no part of how a name is written: a symbol or emoji
    (Unicode category S: 😀, ★, ©, skin-tone modifiers, flags) or an invisible format
    character (category Cf: the zero-width joiner that builds emoji sequences)."""
    return not c.isascii() and unicodedata.category(c)[0] == "S" or unicodedata.category(c) == "Cf"


def _kept(c: str) -> str:
    """A typed character as fold keeps it: ASCII as it is, a symbol or emoji dropped, a control a space."""
    if c.isascii():
        return c
    return "" if not_spelled(c) else " " if unicodedata.category(c)[0] == "C" else c


def fold(text: str) -> str:
    """The form the model reads: ASCII, lowercase, single-spaced, trimmed.

    Symbols, emoji and format characters are dropped first (anyascii would spell
    an emoji out as letters, ":grinning:", which the model would read), and other
    non-ASCII control characters become spaces.  Cyrillic, Greek, Chinese, kana
    and hangul are then written the way the names corpus writes them
    (rnn_tui/romanise.py: Ельцин -> yeltsin, not anyascii's el'tsin), and
    anyascii folds the rest (accents dropped: Müller -> muller).
    """
    if not text.isascii():
        text = romanise_text("".join(_kept(c) for c in text))
    return " ".join(anyascii(text).lower().split())


def clean(raw: str) -> tuple[str | None, str]:
    """(folded name, "") for a usable line, or (None, reason) for junk; the name is not yet cut."""
    text = raw.strip().lstrip("\ufeff").strip()
    if not text:
        return None, "blank"
    if text.lower() in PAGE_FURNITURE:
        return None, "page furniture"
    if any(c.isdigit() for c in text):
        return None, "contains a digit"
    name = fold(text)
    if not any(c.isalpha() for c in name):
        return None, "no letters"
    if not NAME_CHARS.match(name):
        bad = next((c for c in name if not NAME_CHARS.match("a" + c)), name[0])
        return None, f"unexpected character {bad!r}"
    return name, ""


@lru_cache(maxsize=4096)
def clean_language(raw: str) -> str:
    """A language label as shown and stored: escape sequences and control characters dropped (safe.py's
    boundary), spaces collapsed; "" if none.

    Cached, so every row of a language shares one string.
    """
    return " ".join(safe.one_line(raw).split())


def shared_in_sources() -> dict[str, list[str]]:
    """Names the shipped corpus's sources list under several languages, with those languages.

    data/build_names.py files each such name under one language (the corpus's
    shared() is empty) and records the rest in names/shared.tsv beside the
    <Language>.txt files: name, languages, the language chosen, the rule's step.
    """
    shared: dict[str, list[str]] = {}
    path = shipped_data("names") / "shared.tsv"
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cells) != 4:
                continue
            shared[fold(cells[0])] = sorted(cells[1].split(","))
    return shared


def locate(source: str | Path) -> Path:
    """The path of a shipped or downloaded data set by name, or of a user's file or folder."""
    name = str(source)
    if name in SHIPPED:
        return shipped_data(name)
    if name in DOWNLOADS:
        from .progress import HomeError

        try:
            path = downloaded_data(name)
        except HomeError as e:                 # RNN_TUI_HOME='~nosuchuser/...'
            raise DataError(f"cannot find the user data folder ({safe.one_line(str(e))})") from None
        if not path.is_dir():
            raise DataError(f"{name} is not downloaded yet; run 'rnn-tui data get {name}' "
                            f"to fetch {DOWNLOADS[name].about}")
        return path
    return resolve(source)


def _take(corpus: Corpus, seen: dict[str, set[str]], where: str, number: int,
          text: str, raw_language: str, long_line: bool) -> tuple[bool, str, bool]:
    """Clean one row and keep it, count it as a duplicate, or set it aside: (kept, language or reason,
    whether folding changed the name)."""
    language = clean_language(raw_language)
    reason = ""
    if not language:
        reason = "no language given"
    elif len(language) > MAX_LANGUAGE:
        reason = f"language label longer than {MAX_LANGUAGE} characters"
    name, why = clean(text[:4 * MAX_NAME]) if not reason else (None, reason)
    if name is None:
        if why != "blank":
            corpus.set_aside(where, number, text, why)
        return False, why, False
    folded = name != " ".join(text[:4 * MAX_NAME].strip().lstrip("\ufeff").lower().split())
    cut = long_line or len(text) > 4 * MAX_NAME or len(name) > MAX_NAME
    name = name[:MAX_NAME].rstrip() if cut else name
    names = seen.get(language)
    if names is None:
        if len(seen) >= MAX_LANGUAGES:
            raise DataError(f"{shown(corpus.source)}: more than {MAX_LANGUAGES:,} languages; "
                            "is the language column the right one?")
        names = seen[language] = set()
    corpus.folded += folded                 # a duplicate too: Jo😀nes is a second Jones only once folded
    if name in names:
        corpus.duplicates[language] += 1
        return True, language, folded
    if len(corpus.names) >= MAX_NAMES:
        raise DataError(f"{shown(corpus.source)}: more than {MAX_NAMES:,} distinct names; split it, or keep a sample")
    names.add(name)                         # the same string object as in corpus.names: no second copy
    corpus.cut += cut
    corpus.names.append(name)
    corpus.languages.append(language)
    return True, language, folded


def _rows(source: str | Path) -> tuple[Path, str, Iterator[Row]]:
    """The path of source, how it is read, and its rows (read lazily, as they are taken)."""
    path = locate(source)
    kind = kind_of(path)
    layout, rows = folder_rows(path, MAX_LANGUAGES) if kind == "folder" else table_rows(path, kind)
    return path, layout, rows


def load(source: str | Path, min_languages: int = 2) -> Corpus:
    """Load a folder, a CSV/TSV file, or a shipped or downloaded data set by name.

    A data set to train on needs two languages; one to score a model on, or to count, may have one
    (min_languages=1)."""
    path, layout, rows = _rows(source)
    corpus = Corpus(source=str(path), layout=layout)
    seen: dict[str, set[str]] = {}                           # language -> names kept in it
    memo: dict[tuple[str, str], tuple[bool, str, bool]] = {}   # a row seen before -> what _take made of it
    for where, number, text, raw_language, long_line, problem in rows:
        if problem:
            if problem != "blank":
                corpus.set_aside(where, number, text, problem)
            continue
        before = memo.get((text, raw_language))
        if before is not None:                  # the same row again: a duplicate or the same junk
            if before[0]:
                corpus.duplicates[before[1]] += 1
                corpus.folded += before[2]      # counted as _take counts it, remembered or not
            elif before[1] != "blank":
                corpus.set_aside(where, number, text, before[1])
            continue
        kept, outcome, folded = _take(corpus, seen, where, number, text, raw_language, long_line)
        if not long_line and len(memo) < MEMO:
            memo[(text, raw_language)] = (kept, outcome, folded)
    classes = corpus.classes
    if not classes:
        first = corpus.junk[0] if corpus.junk else None
        lines = "its one line was" if corpus.junk_count == 1 else f"all {corpus.junk_count:,} lines were"
        why = f"{lines} set aside (line {first.line}: {first.reason})" if first else "it holds no name"
        raise DataError(f"{shown(path)}: no names: {why}; give a file of names with their languages")
    if len(classes) < min_languages:
        raise DataError(f"{shown(path)}: only one language ({shown(classes[0])}); a classifier needs names "
                        "from at least two languages")
    return corpus


def peek(source: str | Path, rows: int = 200) -> None:
    """Check that source can be found and read as names data, from its first rows only: a DataError
    (one line) for a path that is not there, a file that is not a folder or table, or text that does
    not decode.  Quick whatever the size, for a caller that must not wait for a whole load (the lab,
    before it drops a run for new data); what only the whole file shows is left to load()."""
    _path, _layout, found = _rows(source)
    for n, _row in enumerate(found):
        if n + 1 >= rows:
            break


def notes(corpus: Corpus) -> str:
    """One line on what loading changed (lines set aside, names cut), or "" when nothing did."""
    parts = []
    if corpus.junk_count:
        parts.append(f"{corpus.junk_count:,} lines set aside (rnn-tui data stats lists them)")
    if corpus.cut:
        parts.append(f"{corpus.cut:,} names longer than {MAX_NAME} characters cut")
    return "; ".join(parts)


def _listed(languages: list[str], most: int = 6) -> str:
    shown_ = ", ".join(shown(lang) for lang in languages[:most])
    return shown_ + (f" and {len(languages) - most} more" if len(languages) > most else "")


def in_common(corpus: Corpus, languages: tuple[str, ...]) -> tuple[Corpus, str]:
    """The corpus cut to a model's languages, and a one-line notice of what either side lacks ("" if nothing).

    DataError when no language is shared.
    """
    have, know = set(corpus.languages), set(languages)
    only_data, only_model = sorted(have - know), sorted(know - have)
    if not have & know:
        raise DataError(f"{shown(corpus.source)} shares no language with the model "
                        f"(data: {_listed(only_data)}; model: {_listed(only_model)})")
    if not only_data and not only_model:
        return corpus, ""
    kept = Corpus(source=corpus.source, junk=corpus.junk, junk_count=corpus.junk_count,
                  duplicates=corpus.duplicates, folded=corpus.folded, cut=corpus.cut, layout=corpus.layout)
    dropped = 0
    for name, lang in zip(corpus.names, corpus.languages):
        if lang in know:
            kept.names.append(name)
            kept.languages.append(lang)
        else:
            dropped += 1
    shared = len(have & know)
    parts = [f"scoring the {shared} language{'s' * (shared != 1)} in common"]
    if only_data:
        parts.append(f"skipped {dropped:,} name{'s' * (dropped != 1)} in languages the model lacks: "
                     f"{_listed(only_data)}")
    if only_model:
        parts.append(f"the model's languages absent from the data: {_listed(only_model)}")
    return kept, "; ".join(parts)


def split(corpus: Corpus, valid_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Stratified, seeded train/validation indices: each language split in the same proportion."""
    rng = np.random.default_rng(seed)
    langs = np.array(corpus.languages)
    train: list[int] = []
    valid: list[int] = []
    for lang in corpus.classes:
        idx = np.flatnonzero(langs == lang)
        rng.shuffle(idx)
        n_valid = round(len(idx) * valid_fraction) if len(idx) > 1 else 0
        valid.extend(idx[:n_valid])
        train.extend(idx[n_valid:])
    return np.sort(np.array(train, dtype=np.int64)), np.sort(np.array(valid, dtype=np.int64))


def to_dataset(corpus: Corpus, valid_fraction: float = 0.2, seed: int = 0,
               vocab: Vocab | None = None, classes: tuple[str, ...] | None = None) -> tuple[Dataset, Vocab]:
    """Encode a corpus for the engine: a stratified split over one vocabulary.

    When no language has two names (the article's cats), nothing can be held
    out, and the training names double as the validation split.
    """
    vocab = vocab or corpus.vocab()
    classes = classes or corpus.classes
    index = {c: i for i, c in enumerate(classes)}
    tr, va = split(corpus, valid_fraction, seed)

    def make(idx: np.ndarray) -> Split:
        names = [corpus.names[i] for i in idx]
        return Split([vocab.encode(n) for n in names],
                     np.array([index[corpus.languages[i]] for i in idx], dtype=np.int64), names)

    train = make(tr)
    return Dataset(train, make(va) if len(va) else train, len(vocab), tuple(classes)), vocab


def stats(corpus: Corpus) -> dict:
    """Counts for `rnn-tui data stats`: per language, duplicates, shared names, vocabulary, baseline."""
    counts = corpus.counts()
    total = sum(counts.values())
    top = max(counts.values())
    tied = sorted(lang for lang, n in counts.items() if n == top)   # the first alphabetically stands for all
    majority = tied[0]
    shared = corpus.shared()
    return {
        "source": corpus.source, "names": total, "languages": len(counts),
        "per_language": {lang: counts[lang] for lang in corpus.classes},
        "duplicates_removed": dict(sorted(corpus.duplicates.items())),
        "junk": corpus.junk_count, "folded_to_ascii": corpus.folded, "cut": corpus.cut,
        "layout": corpus.layout,
        "shared_names": len(shared), "vocabulary": corpus.vocab().chars,
        "majority_class": majority, "majority_baseline": top / total, "majority_tied": tied[1:],
    }
