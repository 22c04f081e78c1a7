"""Loading names: every layout, every kind of messy line, and every refusal."""

import gzip

import numpy as np
import pytest

from rnn_tui import data
from rnn_tui.data import DataError


def write(folder, files: dict[str, bytes | str]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        raw = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(raw)
    return folder


def test_messy_but_valid_folder_is_cleaned(tmp_path):
    """BOM, CRLF, blanks, spaces, accents, scripts, junk, duplicates and shared names all handled."""
    folder = write(tmp_path / "names", {
        "German.txt": b"\xef\xbb\xbfM\xc3\xbcller\r\n  Schmidt  \r\n\r\nSchmidt\r\nMuller\r\n",
        "Russian.txt": "Гагарин\nIvanov\nTo The First Page\nto the first page\nRafaj1\n...\n",
        "Greek.txt": "Παπαδόπουλος\nMaxa/B\nSchmidt\n",
    })
    c = data.load(folder)
    assert sorted(zip(c.names, c.languages)) == sorted([
        ("muller", "German"), ("schmidt", "German"), ("gagarin", "Russian"), ("ivanov", "Russian"),
        ("papadopoulos", "Greek"), ("schmidt", "Greek")])
    assert c.duplicates == {"German": 2}                     # the repeated Schmidt and Müller/Muller
    reasons = sorted((j.source, j.line, j.reason) for j in c.junk)
    assert reasons == [("Greek.txt", 2, "unexpected character '/'"),
                       ("Russian.txt", 3, "page furniture"), ("Russian.txt", 4, "page furniture"),
                       ("Russian.txt", 5, "contains a digit"), ("Russian.txt", 6, "no letters")]
    assert c.shared() == {"schmidt": ["German", "Greek"]}
    assert c.classes == ("German", "Greek", "Russian")
    s = data.stats(c)
    assert s["shared_names"] == 1 and s["per_language"]["German"] == 2
    assert s["majority_baseline"] == pytest.approx(2 / 6)


def test_csv_tsv_and_gzip(tmp_path):
    """Parr's CSV layout (name, language), plain or gzipped, and TSV."""
    rows = "name,language\nSmith,English\nDubois,French\nJones,English\n"
    (tmp_path / "n.csv").write_text(rows)
    (tmp_path / "n.csv.gz").write_bytes(gzip.compress(rows.encode()))
    (tmp_path / "n.tsv").write_text(rows.replace(",", "\t"))
    for f in ("n.csv", "n.csv.gz", "n.tsv"):
        c = data.load(tmp_path / f)
        assert c.counts() == {"English": 2, "French": 1}


def test_shipped_sets_load():
    """'cats' is the article's four words; 'names' has at least 16 languages of 10+ names."""
    cats = data.load("cats")
    assert sorted(zip(cats.names, cats.languages)) == [
        ("cat", "English"), ("chat", "French"), ("kat", "Afrikaans"), ("katze", "German")]
    assert cats.vocab().chars == "acehktz"
    names = data.load("names")
    counts = names.counts()
    assert len(counts) >= 16 and min(counts.values()) >= 10 and sum(counts.values()) >= 10_000
    assert not names.duplicates and not names.junk


@pytest.mark.parametrize("files,message", [
    ({"German.txt": b"M\xfcller\n", "French.txt": b"Dubois\n"}, r"German.txt, line 1: not UTF-8 text"),
    ({}, r"no <Language>.txt files in this folder"),
    ({"German.txt": "Schmidt\nWeber\n"}, r"only one language \(German\)"),
    ({"German.txt": "123\n", "French.txt": "\n"}, r"no names; a classifier needs"),
])
def test_unusable_folders_are_refused_with_one_line(tmp_path, files, message):
    """Not UTF-8, an empty folder, one language, nothing usable: one clear line each."""
    folder = write(tmp_path / "bad", files)
    with pytest.raises(DataError, match=message) as e:
        data.load(folder)
    assert "\n" not in str(e.value)


def test_missing_path_and_bad_tables(tmp_path):
    """A missing path, a CSV without the columns, an empty CSV, an unknown file type."""
    with pytest.raises(DataError, match="no such file or folder"):
        data.load(tmp_path / "nope")
    (tmp_path / "cols.csv").write_text("surname,country\nSmith,UK\n")
    with pytest.raises(DataError, match="needs a header with 'name' and 'language' columns, found surname, country"):
        data.load(tmp_path / "cols.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="the file is empty"):
        data.load(tmp_path / "empty.csv")
    (tmp_path / "names.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(DataError, match="not a folder, .csv, .tsv"):
        data.load(tmp_path / "names.xlsx")
    (tmp_path / "broken.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="cannot read it"):
        data.load(tmp_path / "broken.csv.gz")


def test_csv_row_without_language_is_set_aside(tmp_path):
    """A short row is junk with a reason, not a crash."""
    (tmp_path / "n.csv").write_text("name,language\nSmith,English\nDubois\nMartin,French\n")
    c = data.load(tmp_path / "n.csv")
    assert c.counts() == {"English": 1, "French": 1}
    assert [(j.line, j.reason) for j in c.junk] == [(3, "no language given")]


def test_split_is_stratified_seeded_and_disjoint():
    """Each language splits 80/20; the same seed gives the same split; no name is in both."""
    c = data.load("names")
    tr, va = data.split(c, 0.2, seed=3)
    assert set(tr).isdisjoint(va) and len(tr) + len(va) == len(c.names)
    langs = np.array(c.languages)
    for lang, n in c.counts().items():
        assert abs((langs[va] == lang).sum() - 0.2 * n) <= 1
    tr2, va2 = data.split(c, 0.2, seed=3)
    assert np.array_equal(va, va2)
    pairs_tr = {(c.names[i], c.languages[i]) for i in tr}
    assert all((c.names[i], c.languages[i]) not in pairs_tr for i in va)


def test_dataset_for_the_engine():
    """to_dataset encodes names with one vocabulary; cats (one name per language) validates on training."""
    ds, vocab = data.to_dataset(data.load("cats"))
    assert ds.valid is ds.train and ds.nfeatures == 7 and ds.classes[0] == "Afrikaans"
    assert list(ds.train.seqs[ds.train.names.index("cat")]) == [1, 0, 5]
    ds, _ = data.to_dataset(data.load("names"))
    assert len(ds.valid) > 3000


def test_fingerprint_ignores_order(tmp_path):
    """The same pairs in another file order give the same fingerprint; other pairs differ."""
    a = write(tmp_path / "a", {"X.txt": "abc\ndef\n", "Y.txt": "ghi\n"})
    b = write(tmp_path / "b", {"X.txt": "def\nabc\n", "Y.txt": "ghi\n"})
    c = write(tmp_path / "c", {"X.txt": "def\nabc\n", "Y.txt": "ghj\n"})
    assert data.load(a).fingerprint() == data.load(b).fingerprint() != data.load(c).fingerprint()
