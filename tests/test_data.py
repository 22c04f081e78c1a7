"""Loading names: every layout, every kind of messy line, and every refusal."""

import gzip

import numpy as np
import pytest

from rnn_tui import data, reading
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
    assert s["majority_class"] == "German" and s["majority_tied"] == ["Greek", "Russian"]   # a tie is said


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
    ({"German.txt": "123\n", "French.txt": "\n"}, r"no names: its one line was set aside \(line 1: contains a digit\)"),
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
    with pytest.raises(DataError, match=r"needs a header row with 'name' and 'language' columns, or no header "
                       r"and two columns \(name, language\); found surname, country"):
        data.load(tmp_path / "cols.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="the file is empty"):
        data.load(tmp_path / "empty.csv")
    (tmp_path / "names.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(DataError, match="not a folder, .csv, .tsv"):
        data.load(tmp_path / "names.xlsx")
    (tmp_path / "broken.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="not valid gzip data"):
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


# ----------------------------------------------------------------------------
# issue 13, item 10: unbounded input is bounded

def test_huge_csv_field_is_set_aside_not_a_csv_error(tmp_path):
    """A 200,000-character name field (over csv's 131,072 limit) is one junk line; the rest loads."""
    (tmp_path / "n.csv").write_text("name,language\n" + "a" * 200_000 + ",English\nSmith,English\nDubois,French\n")
    c = data.load(tmp_path / "n.csv")
    assert c.counts() == {"English": 1, "French": 1}
    assert [(j.line, j.reason) for j in c.junk] == [(2, "line longer than 64 KiB")]


def test_unclosed_quote_is_one_line(tmp_path):
    """A quote that never closes runs past csv's field limit: one line naming where, no csv.Error."""
    (tmp_path / "q.csv").write_text('name,language\n"Smith,English\n' + "abcdefgh,English\n" * 20_000)
    with pytest.raises(DataError, match=r"q.csv, line \d+: .*unclosed quote") as e:
        data.load(tmp_path / "q.csv")
    assert "\n" not in str(e.value)


def test_megabyte_names_are_cut_and_counted(tmp_path):
    """A 1 MB one-line name keeps MAX_NAME characters, and the corpus says how many were cut."""
    folder = write(tmp_path / "d", {"German.txt": "x" * 1_000_000 + "\nSchmidt\n" + "y" * 100 + "\n",
                                    "French.txt": "Dubois\n"})
    c = data.load(folder)
    assert sorted(c.names) == sorted(["x" * data.MAX_NAME, "schmidt", "y" * data.MAX_NAME, "dubois"])
    assert c.cut == 2 and max(map(len, c.names)) == data.MAX_NAME and c.folded == 0     # cut is not folded
    assert "2 names longer than 64 characters cut" in data.notes(c)


def test_name_cap_matches_what_classify_reads():
    """Training and classification cut names at the same length."""
    from rnn_tui import model

    assert data.MAX_NAME == model.MAX_NAME


def test_gzip_bomb_is_refused_early(tmp_path):
    """16 MiB of newlines in a 16 KB gzip is refused by its ratio, long before it is all inflated."""
    (tmp_path / "bomb.csv.gz").write_bytes(gzip.compress(b"name,language\n" + b"\n" * (16 << 20), 9))
    with pytest.raises(DataError, match="decompresses over 100 times its size"):
        data.load(tmp_path / "bomb.csv.gz")


def test_gzip_content_bounded_in_size(tmp_path, monkeypatch):
    """A gzip whose content passes the size bound is refused however well it compresses."""
    from rnn_tui import reading

    rows = "name,language\n" + "".join(f"n{i:x}q,L{i % 7}\n".replace("0", "o") for i in range(2000))
    packed = gzip.compress(rows.encode())
    (tmp_path / "big.csv.gz").write_bytes(packed)
    monkeypatch.setattr(reading, "MAX_FILE", 2 * len(packed))
    assert len(rows) > 2 * len(packed)
    with pytest.raises(DataError, match=r"decompresses to more than \d+(\.\d+)? KiB; refusing it"):
        data.load(tmp_path / "big.csv.gz")


def test_truncated_gzip_is_one_line(tmp_path):
    """A gzip cut in the middle says so."""
    raw = gzip.compress(("name,language\n" + "Smith,English\nDubois,French\n" * 500).encode())
    (tmp_path / "cut.csv.gz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match="ends too soon"):
        data.load(tmp_path / "cut.csv.gz")


def _load_in_thread(path):
    """Load in a daemon thread; (finished, outcome) after at most 10 s, so a hang fails instead of blocking."""
    import threading

    out = []

    def run():
        try:
            out.append(data.load(path))
        except DataError as e:
            out.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    return not t.is_alive(), out[0] if out else None


def test_fifo_and_device_are_refused_without_waiting(tmp_path):
    """A FIFO named x.csv, /dev/zero behind x.csv, and a FIFO inside a folder: refused at once."""
    import os

    os.mkfifo(tmp_path / "fifo.csv")
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    folder = write(tmp_path / "d", {"French.txt": "Dubois\n"})
    os.mkfifo(folder / "German.txt")
    for path in (tmp_path / "fifo.csv", tmp_path / "zero.csv", folder):
        finished, outcome = _load_in_thread(path)
        assert finished, f"{path} made the loader wait"
        assert isinstance(outcome, DataError) and "not a regular file" in str(outcome)


@pytest.mark.parametrize("source, message", [
    ("~nosuchuser_rnn_tui/x.csv", "cannot expand '~': no such user"),
    ("/tmp/" + "y" * 300 + ".csv", "File name too long"),
    ("/tmp/" + "d" * 300 + "/names", "File name too long"),
])
def test_bad_paths_are_one_line(source, message):
    """~nosuchuser and names over 255 characters: one short line, never a traceback."""
    with pytest.raises(DataError, match=message) as e:
        data.load(source)
    assert "\n" not in str(e.value) and len(str(e.value)) < 300


def test_memory_grows_with_names_kept_not_with_the_file(tmp_path):
    """A 24 MB CSV of repeated rows loads in a subprocess using far less extra memory than its size."""
    import subprocess
    import sys

    row_block = "".join(f"{n},{lang}\n" for n, lang in [("Smith", "English"), ("Dubois", "French"),
                                                          ("Schmidt", "German"), ("Rossi", "Italian")] * 250)
    path = tmp_path / "big.csv"
    with path.open("w") as f:
        f.write("name,language\n")
        for _ in range(24_000_000 // len(row_block)):
            f.write(row_block)
    probe = ("import resource, sys; from rnn_tui import data; base = resource.getrusage(resource.RUSAGE_SELF)"
             ".ru_maxrss; c = data.load(sys.argv[1]) if len(sys.argv) > 1 else None; "
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base, len(c.names) if c else 0)")
    grown, kept = map(int, subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True,
                                          text=True, check=True, timeout=300).stdout.split())
    assert kept == 4
    assert grown * 1024 < path.stat().st_size / 3, f"grew {grown} KiB for a {path.stat().st_size} byte file"


# ----------------------------------------------------------------------------
# issue 13, item 11: lines split on \n, \r\n and \r only

def test_unicode_separators_stay_inside_a_name(tmp_path):
    """U+0085, U+2028 and \\x1c-\\x1e do not split a line: three lines give three entries."""
    folder = write(tmp_path / "d", {"German.txt": "Mac\x85Donald\nAb\u2028cd\nX\x1cY\x1dZ\x1eW\n",
                                    "French.txt": "Dubois\n"})
    c = data.load(folder)
    german = [n for n, lang in zip(c.names, c.languages) if lang == "German"]
    assert len(german) + c.junk_count == 3
    assert all(j.line in (1, 2, 3) for j in c.junk)


def test_cr_only_and_crlf_files(tmp_path):
    """Old Mac (\\r) and Windows (\\r\\n) line ends split lines; the non-UTF-8 error counts them."""
    folder = write(tmp_path / "d", {"German.txt": b"Schmidt\rWeber\rMuller\r", "French.txt": b"Dubois\r\nMartin\r\n"})
    assert data.load(folder).counts() == {"German": 3, "French": 2}
    bad = write(tmp_path / "bad", {"German.txt": b"Schmidt\rWeber\rM\xfcller\r", "French.txt": b"Dubois\n"})
    with pytest.raises(DataError, match=r"German.txt, line 3: not UTF-8"):
        data.load(bad)
    mixed = write(tmp_path / "mixed", {"German.txt": b"A\r\nB\rC\nD\r\nM\xfcller\n", "French.txt": b"Dubois\n"})
    with pytest.raises(DataError, match=r"German.txt, line 5: not UTF-8"):
        data.load(mixed)


def test_line_numbers_across_chunks(tmp_path, monkeypatch):
    """With tiny read chunks, \\r\\n split across two chunks is one line end, and numbers stay right."""
    from rnn_tui import reading

    monkeypatch.setattr(reading, "CHUNK", 3)
    folder = write(tmp_path / "d", {"German.txt": b"\xef\xbb\xbfAb\r\nCd\r\n\r\nEf\rGh\nIj", "French.txt": b"Dubois\n"})
    lines = list(reading.lines(folder / "German.txt"))
    assert [(ln.number, ln.text) for ln in lines] == [(1, "Ab"), (2, "Cd"), (3, ""), (4, "Ef"), (5, "Gh"), (6, "Ij")]


# ----------------------------------------------------------------------------
# issue 13, item 12: hidden files and upper-case extensions

def test_dot_files_are_ignored_and_extensions_any_case(tmp_path):
    """macOS ._English.txt (binary) and .English.txt are skipped; English.TXT, OK.CSV.GZ and n.TSV are read."""
    folder = write(tmp_path / "d", {"._English.txt": b"\x00\x05\x16\x07\xff\xfe", ".English.txt": "Hidden\n",
                                    "English.TXT": "Smith\n", "French.txt": "Dubois\n"})
    c = data.load(folder)
    assert c.classes == ("English", "French") and "hidden" not in c.names
    rows = "name,language\nSmith,English\nDubois,French\n"
    (tmp_path / "OK.CSV.GZ").write_bytes(gzip.compress(rows.encode()))
    (tmp_path / "n.TSV").write_text(rows.replace(",", "\t"))
    assert data.load(tmp_path / "OK.CSV.GZ").counts() == data.load(tmp_path / "n.TSV").counts() == {
        "English": 1, "French": 1}


# ----------------------------------------------------------------------------
# issue 13, item 3 (the data half) and 13: labels from files are plain text

def test_languages_keep_brackets_but_lose_control_characters(tmp_path):
    """'[/]' and 'C++ [stdlib]' stay as written; an escape sequence in a label is dropped whole."""
    (tmp_path / "n.csv").write_text("name,language\nSmith,[/]\nJones,[/]\nDubois,C++ [stdlib]\n"
                                    "Rossi,\x1b[31mRED\nBlank,\x07\n")
    c = data.load(tmp_path / "n.csv")
    assert c.classes == ("C++ [stdlib]", "RED", "[/]")
    assert [j.reason for j in c.junk] == ["no language given"]


# ----------------------------------------------------------------------------
# issue 15, item 5: headerless two-column files

@pytest.mark.parametrize("filename, delimiter, packed", [
    ("names_train.csv.gz", ",", True), ("t.csv", ",", False), ("t.tsv", "\t", False), ("t.tsv.gz", "\t", True)])
def test_headerless_two_columns_are_name_language(tmp_path, filename, delimiter, packed):
    """Parr's names_train.csv.gz layout (quoted, no header) reads as name, language, and says so."""
    text = "".join(f'"{n}"{delimiter}"{lang}"\n' for n, lang in [
        ("Adsit", "Czech"), ("Ajdrna", "Czech"), ("Abbas", "Arabic"), ("Smith, Jr", "English")])
    raw = text.encode()
    (tmp_path / filename).write_bytes(gzip.compress(raw) if packed else raw)
    c = data.load(tmp_path / filename)
    assert sorted(zip(c.names, c.languages)) == [("abbas", "Arabic"), ("adsit", "Czech"), ("ajdrna", "Czech"),
                                                ("smith, jr", "English")]
    assert "no header row" in c.layout and "no header row" in data.stats(c)["layout"]


def test_header_is_still_recognised(tmp_path):
    """A header naming the columns wins, whatever their order, and the layout says which columns."""
    (tmp_path / "h.csv").write_text("id,Language,Name\n1,English,Smith\n2,French,Dubois\n")
    c = data.load(tmp_path / "h.csv")
    assert sorted(zip(c.names, c.languages)) == [("dubois", "French"), ("smith", "English")]
    assert c.layout == "a CSV with a header row: names from column 3, languages from column 2"


def test_header_word_in_first_row_unless_its_language_recurs(tmp_path):
    """'name,country' is a header to refuse; 'Lang,German' is a German name when German recurs."""
    (tmp_path / "a.csv").write_text("name,country\nSmith,UK\nDubois,France\n")
    with pytest.raises(DataError, match="found name, country"):
        data.load(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("Lang,German\nSchmidt,German\nDubois,French\n")
    assert sorted(data.load(tmp_path / "b.csv").names) == ["dubois", "lang", "schmidt"]


def test_headerless_rows_with_three_cells_are_set_aside(tmp_path):
    """An unquoted comma in a headerless file makes three cells: set aside with a reason, not misread."""
    (tmp_path / "t.csv").write_text("Adsit,Czech\nSmith, Jr,English\nDubois,French\n")
    c = data.load(tmp_path / "t.csv")
    assert c.names == ["adsit", "dubois"] and [j.reason for j in c.junk] == ["3 columns, not 2"]


# ----------------------------------------------------------------------------
# issue 15, item 6: the languages a corpus shares with a model

def test_in_common_cuts_to_shared_languages_and_names_the_rest():
    """Names in languages the model lacks are dropped and counted; the notice names both sides."""
    c = data.Corpus("x", names=["a", "b", "c", "d"], languages=["English", "Klingon", "French", "Klingon"])
    kept, notice = data.in_common(c, ("Afrikaans", "English", "French"))
    assert kept.names == ["a", "c"] and kept.languages == ["English", "French"]
    assert notice == ("scoring the 2 languages in common; skipped 2 names in languages the model lacks: Klingon; "
                      "the model's languages absent from the data: Afrikaans")
    same, none = data.in_common(kept, ("English", "French"))
    assert same is kept and none == ""
    with pytest.raises(DataError, match="shares no language with the model"):
        data.in_common(data.Corpus("y", names=["a"], languages=["Klingon"]), ("English",))


def test_counts_read_from_a_file_are_bounded(tmp_path, monkeypatch):
    """Too many distinct names, too many languages (as rows or as files), a label too long: one line or junk."""
    monkeypatch.setattr(data, "MAX_NAMES", 3)
    (tmp_path / "n.csv").write_text("name,language\nab,X\ncd,Y\nef,X\ngh,Y\n")
    with pytest.raises(DataError, match="more than 3 distinct names"):
        data.load(tmp_path / "n.csv")
    monkeypatch.setattr(data, "MAX_NAMES", 100)
    monkeypatch.setattr(data, "MAX_LANGUAGES", 2)
    (tmp_path / "l.csv").write_text("name,language\nab,X\ncd,Y\nef,Z\n")
    with pytest.raises(DataError, match="more than 2 languages"):
        data.load(tmp_path / "l.csv")
    folder = write(tmp_path / "d", {"A.txt": "ab\n", "B.txt": "cd\n", "C.txt": "ef\n"})
    with pytest.raises(DataError, match="3 .txt files; at most 2 languages"):
        data.load(folder)
    (tmp_path / "long.csv").write_text("name,language\nab,X\ncd,Y\nef," + "Z" * 101 + "\n")
    c = data.load(tmp_path / "long.csv")
    assert c.classes == ("X", "Y") and c.junk[0].reason == "language label longer than 100 characters"


def test_fold_drops_emoji_and_symbols_instead_of_spelling_them():
    """anyascii spells 😀 as ':grinning:'; the model must never read that as letters."""
    from rnn_tui.data import fold

    assert fold("Müller😀") == "muller"
    assert fold("😀") == ""
    assert fold("Smith™ Jones") == "smith jones"
    assert fold("Ng\u200duyen") == "nguyen"          # a zero-width joiner is not a gap
    assert fold("Nguyễn") == "nguyen"                  # letters with marks still fold


def test_peek_reads_only_the_first_rows(tmp_path):
    """peek checks a source from its first rows: a good start with bytes that are not UTF-8 far
    below passes (load() is the one to report them), a missing path or a binary start does not."""
    path = tmp_path / "big.csv"
    good = b"Smith,English\nRossi,Italian\n" * 20000               # well past the first block read (CHUNK)
    assert len(good) > 2 * reading.CHUNK
    path.write_bytes(good + b"\xff\xfe\x00,English\n")
    data.peek(path)
    with pytest.raises(data.DataError, match="not UTF-8"):
        data.load(path)
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 4)
    for bad in (tmp_path / "binary.csv", tmp_path / "missing.csv"):
        with pytest.raises(data.DataError):
            data.peek(bad)


def test_folded_counts_every_row_folding_changed_remembered_or_not(tmp_path):
    """Three rows of Müller count three folded names whether they are the same row (the loader
    remembers it) or three spellings of it, and Jo😀nes beside Jones counts as folded too."""
    same, spelt = tmp_path / "same.csv", tmp_path / "spelt.csv"
    same.write_text("Müller,German\nMüller,German\nMüller,German\nSmith,English\n", encoding="utf-8")
    spelt.write_text("Müller,German\nMÜLLER,German\nmüller,German\nSmith,English\n", encoding="utf-8")
    for path in (same, spelt):
        c = data.load(path)
        assert (c.folded, sum(c.duplicates.values())) == (3, 2)
    emoji = tmp_path / "emoji.csv"
    emoji.write_text("Jones,English\nJo😀nes,English\nRossi,Italian\n", encoding="utf-8")
    c = data.load(emoji)
    assert (c.folded, sum(c.duplicates.values()), c.names) == (1, 1, ["jones", "rossi"])
