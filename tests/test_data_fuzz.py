"""Property tests for the loaders: whatever bytes arrive, data.load returns clean names or raises DataError.

Each property states the same contract from another side: random bytes,
random lines with random separators, real text in other encodings, random
CSV/TSV (with and without gzip) and CSV written with every quoting rule.
The loader may refuse, but only with DataError and a one-line message; what
it keeps is ASCII names of a known alphabet, and languages without control
characters.  EXAMPLES says how many cases each property tries (the report
quotes it).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_tui import data
from rnn_tui.data import DataError

EXAMPLES = {"bytes": 300, "lines": 300, "encodings": 200, "tables": 300, "quoting": 200, "gzip": 150}
CLEAN_NAME = re.compile(r"^'?[a-z][a-z '\-.,]*$")
FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            derandomize=True)


def check(source: Path) -> data.Corpus | None:
    """Load; the contract holds whether it succeeds or refuses."""
    try:
        corpus = data.load(source)
    except DataError as e:
        message = str(e)
        assert message and "\n" not in message and "\r" not in message
        assert not any(unicodedata.category(c) == "Cc" for c in message), repr(message)
        return None
    assert len(corpus.names) == len(corpus.languages) and len(corpus.classes) >= 2
    for name in corpus.names:
        assert CLEAN_NAME.match(name) and len(name) <= data.MAX_NAME, repr(name)
    for lang in corpus.classes:
        assert lang and lang == lang.strip() and len(lang) <= data.MAX_LANGUAGE
        assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in lang), repr(lang)
    data.stats(corpus)                       # the summary never fails on what load returned
    return corpus


def folder_with(raw: bytes, name: str = "German.txt") -> tuple[tempfile.TemporaryDirectory, Path]:
    """A folder holding the fuzzed file beside one good language file."""
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)
    (folder / name).write_bytes(raw)
    (folder / "French.txt").write_bytes(b"Dubois\nMartin\n")
    return tmp, folder


@settings(max_examples=EXAMPLES["bytes"], **FUZZ)
@given(st.binary(max_size=4000))
def test_random_bytes_in_a_names_file(raw):
    """Any bytes as German.txt: names or a one-line refusal (usually 'not UTF-8')."""
    tmp, folder = folder_with(raw)
    with tmp:
        check(folder)


SEPARATORS = st.sampled_from(["\n", "\r\n", "\r"])
LINE = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=80)


@settings(max_examples=EXAMPLES["lines"], **FUZZ)
@given(st.lists(LINE, max_size=40), SEPARATORS)
def test_random_lines_keep_their_count(lines, sep):
    """Every line gives at most one name or one junk entry: no character but \\n, \\r splits a line."""
    tmp, folder = folder_with(sep.join(lines).encode("utf-8"))
    with tmp:
        corpus = check(folder)
        if corpus is not None:
            german = sum(1 for lang in corpus.languages if lang == "German")
            junk = sum(1 for j in corpus.junk if j.source == "German.txt")
            assert german + junk + corpus.duplicates["German"] <= len(lines)
            assert all(1 <= j.line <= len(lines) for j in corpus.junk if j.source == "German.txt")


@settings(max_examples=EXAMPLES["encodings"], **FUZZ)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20),
       st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-8-sig", "koi8-r", "shift_jis", "utf-8"]))
def test_text_in_other_encodings(lines, encoding):
    """Real text saved in another encoding loads (when it happens to be UTF-8) or is refused in one line."""
    raw = "\n".join(lines).encode(encoding, errors="replace")
    tmp, folder = folder_with(raw)
    with tmp:
        check(folder)


CELL = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["name", "language", "Name", "LANGUAGE", '"', '""', "[/]", "[bold]x", "\x1b[31m", ",", "\t", "", " "])


@settings(max_examples=EXAMPLES["tables"], **FUZZ)
@given(st.lists(st.lists(CELL, max_size=4), max_size=25), st.sampled_from([",", "\t"]),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_random_tables(rows, delimiter, sep, raw_quotes):
    """Random cells, joined raw (stray quotes and all) or through csv.writer, as .csv or .tsv."""
    if raw_quotes:
        text = sep.join(delimiter.join(r) for r in rows)
    else:
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator=sep).writerows(rows)
        text = buf.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("t.csv" if delimiter == "," else "t.tsv")
        path.write_text(text, encoding="utf-8", newline="")
        check(path)


NAME = st.from_regex(r"[A-Z][a-z]{1,12}( [A-Z][a-z]{1,8})?", fullmatch=True)
LANGUAGE = st.sampled_from(["English", "French", "C++ [stdlib]", "[/]", "Czech", "Greek"])


@settings(max_examples=EXAMPLES["quoting"], **FUZZ)
@given(st.lists(st.tuples(NAME, LANGUAGE), min_size=1, max_size=30),
       st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]), st.booleans())
def test_any_quoting_reads_back_the_same_pairs(pairs, quoting, header):
    """Good rows written with any quoting rule, with or without a header, read back exactly (folded)."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=quoting)
    if header:
        w.writerow(["name", "language"])
    w.writerows(pairs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        expected = {(n.lower(), lang) for n, lang in pairs}
        if len({lang for _, lang in expected}) < 2:
            corpus = check(path)
            assert corpus is None
            return
        if not header and pairs[0][0].lower() in ("name", "names", "lang", "label", "class", "target", "origin"):
            return                            # a first row that reads as a header: covered elsewhere
        corpus = check(path)
        assert corpus is not None
        assert set(zip(corpus.names, corpus.languages)) == expected
        assert ("no header" in corpus.layout) == (not header)


@settings(max_examples=EXAMPLES["gzip"], **FUZZ)
@given(st.binary(max_size=2000), st.booleans())
def test_random_gzip(raw, compress):
    """Random bytes named .csv.gz (raw, or a real gzip of random bytes): names or a one-line refusal."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv.gz"
        path.write_bytes(gzip.compress(raw) if compress else raw)
        check(path)
