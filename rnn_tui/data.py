"""Loading names data: folders of <Language>.txt, or CSV/TSV files, cleaned for the RNN.

Accepted layouts:
- a folder of `<Language>.txt` files, UTF-8, one name per line (the PyTorch
  tutorial's data/names);
- a `.csv` or `.tsv` file, optionally gzipped, with a name column and a
  language column (Parr's notebooks used names_train.csv.gz);
- `cats` or `names`: the data sets that ship with rnn-tui.

Every name is folded to ASCII (anyascii: accents dropped, other scripts
romanised) and lowercased, as in Parr's notebooks.  Lines that are not names
(digits, odd symbols, only punctuation, page furniture such as "To The First
Page") are set aside and counted; exact duplicates within a language are
removed before splitting, so no validation name also sits in training.  A
name listed under several languages is kept under each and counted.
Problems that make a source unusable raise DataError with a one-line message.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from anyascii import anyascii

from .engine.train import Dataset, Split
from .engine.vocab import Vocab
from .resources import shipped_data

# lines found in real names files that are not names (compared case-insensitively)
PAGE_FURNITURE = {"to the first page", "to the last page", "next page", "previous page"}
NAME_CHARS = re.compile(r"^'?[a-z][a-z '\-.,]*$")     # a leading apostrophe: Dutch 's Gravensande


class DataError(ValueError):
    """A data source that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Junk:
    """A line set aside, and why."""

    source: str
    line: int
    text: str
    reason: str


@dataclass
class Corpus:
    """Clean names with their languages, and what the cleaning did."""

    source: str
    names: list[str] = field(default_factory=list)          # folded, lowercased
    languages: list[str] = field(default_factory=list)
    junk: list[Junk] = field(default_factory=list)
    duplicates: Counter = field(default_factory=Counter)    # language -> removed
    folded: int = 0                                         # names changed by ASCII folding

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


# Greek "ου" is one sound, written "ou" in Latin script (ELOT 743: Papadopoulos);
# anyascii goes letter by letter and would give "oy".
GREEK_OU = re.compile("[οόΟΌ][υύΥΎ]")


def fold(text: str) -> str:
    """The form the model reads: ASCII, lowercase, single-spaced, trimmed."""
    text = GREEK_OU.sub(lambda m: "Ou" if m.group()[0] in "ΟΌ" else "ou", text)
    return " ".join(anyascii(text).lower().split())


def clean(raw: str) -> tuple[str | None, str]:
    """(folded name, "") for a usable line, or (None, reason) for junk."""
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


def load(source: str | Path) -> Corpus:
    """Load a folder, a CSV/TSV file, or a shipped data set by name."""
    if str(source) in ("cats", "names"):
        path = shipped_data(str(source))
    else:
        path = Path(source).expanduser()
    if not path.exists():
        raise DataError(f"{path}: no such file or folder (give a folder of <Language>.txt files, "
                        "a .csv/.tsv file, or 'cats' or 'names')")
    corpus = Corpus(source=str(path))
    rows = _folder_rows(path) if path.is_dir() else _table_rows(path)
    seen: set[tuple[str, str]] = set()
    for where, line, text, language in rows:
        name, reason = clean(text) if language else (None, "no language given")
        if name is None:
            if reason != "blank":
                corpus.junk.append(Junk(where, line, text.strip(), reason))
            continue
        if (name, language) in seen:
            corpus.duplicates[language] += 1
            continue
        seen.add((name, language))
        corpus.folded += name != " ".join(text.strip().lstrip("\ufeff").lower().split())
        corpus.names.append(name)
        corpus.languages.append(language)
    if len(corpus.classes) < 2:
        what = "no names" if not corpus.names else f"only one language ({corpus.classes[0]})"
        raise DataError(f"{path}: {what}; a classifier needs names from at least two languages")
    return corpus


def _read_text(path: Path) -> str:
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise DataError(f"{path}: cannot read it ({e})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise DataError(f"{path}, line {line}: not UTF-8 text; save the file as UTF-8 and try again") from None


def _folder_rows(path: Path):
    files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
    if not files:
        raise DataError(f"{path}: no <Language>.txt files in this folder")
    for f in files:
        text = _read_text(f)
        for i, line in enumerate(text.splitlines(), 1):
            yield f.name, i, line, f.stem


def _table_rows(path: Path):
    kind = path.name.removesuffix(".gz").rsplit(".", 1)[-1].lower()
    if kind not in ("csv", "tsv"):
        raise DataError(f"{path}: not a folder, .csv, .tsv or gzipped one; names data comes "
                        "as <Language>.txt files in a folder or as a table with name and language columns")
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text), delimiter="\t" if kind == "tsv" else ",")
    header = next(reader, None)
    if header is None:
        raise DataError(f"{path}: the file is empty")
    columns = [h.strip().lower() for h in header]
    if "name" not in columns or "language" not in columns:
        found = ", ".join(header) or "none"
        raise DataError(f"{path}: needs a header with 'name' and 'language' columns, found {found}")
    ni, li = columns.index("name"), columns.index("language")
    for i, row in enumerate(reader, 2):
        if len(row) <= max(ni, li):
            if any(cell.strip() for cell in row):
                yield path.name, i, ",".join(row), ""          # no language: set aside as junk
            continue
        yield path.name, i, row[ni], row[li].strip()


def split(corpus: Corpus, valid_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Stratified, seeded train/validation indices: each language split in the same proportion."""
    rng = np.random.default_rng(seed)
    langs = np.array(corpus.languages)
    train, valid = [], []
    for lang in corpus.classes:
        idx = np.flatnonzero(langs == lang)
        rng.shuffle(idx)
        n_valid = int(round(len(idx) * valid_fraction)) if len(idx) > 1 else 0
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
    majority, top = counts.most_common(1)[0]
    shared = corpus.shared()
    return {
        "source": corpus.source, "names": total, "languages": len(counts),
        "per_language": {lang: counts[lang] for lang in corpus.classes},
        "duplicates_removed": dict(sorted(corpus.duplicates.items())),
        "junk": len(corpus.junk), "folded_to_ascii": corpus.folded,
        "shared_names": len(shared), "vocabulary": corpus.vocab().chars,
        "majority_class": majority, "majority_baseline": top / total,
    }
