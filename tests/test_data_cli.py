"""The data-facing commands as a user runs them: real subprocesses, exit 2 and one line for bad input."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnn_tui", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def one_line_error(out: subprocess.CompletedProcess) -> str:
    """Exit 2, nothing on stdout, one line on stderr without a traceback; that line."""
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    return out.stderr.strip()


def test_bad_sources_exit_2_in_one_line(tmp_path):
    """A FIFO, /dev/zero behind x.csv, a 300-character name, ~nosuchuser, a gzip bomb: exit 2, one line."""
    os.mkfifo(tmp_path / "x.csv")
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    (tmp_path / "bomb.csv.gz").write_bytes(gzip.compress(b"\n" * (8 << 20), 9))
    cases = {str(tmp_path / "x.csv"): "not a regular file", str(tmp_path / "zero.csv"): "not a regular file",
             str(tmp_path / ("n" * 300 + ".csv")): "File name too long",
             "~nosuchuser_rnn_tui/x.csv": "no such user", str(tmp_path / "bomb.csv.gz"): "gzip bomb"}
    for source, message in cases.items():
        assert message in one_line_error(run("data", "stats", source, timeout=60))


def test_markup_in_paths_and_languages_is_printed_as_written(tmp_path):
    """'backup [old]/names.csv' and languages '[/]' and 'C++ [stdlib]': shown literally, and training writes."""
    folder = tmp_path / "backup [old]"
    folder.mkdir()
    rows = "".join(f"{n},{lang}\n" for n, lang in [("Smith", "[/]"), ("Jones", "[/]"), ("Taylor", "[/]"),
                                                    ("Dubois", "C++ [stdlib]"), ("Martin", "C++ [stdlib]"),
                                                    ("Bernard", "C++ [stdlib]")])
    (folder / "names.csv").write_text("name,language\n" + rows)
    stats = run("data", "stats", str(folder / "names.csv"))
    assert stats.returncode == 0, stats.stderr
    assert "backup [old]/names.csv" in stats.stdout and "C++ [stdlib]" in stats.stdout
    assert any(line.split()[:1] == ["[/]"] or "│ [/]" in line for line in stats.stdout.splitlines())
    out = tmp_path / "m.npz"
    train = run("train", "--data", str(folder / "names.csv"), "--epochs", "3", "--hidden", "4", "--out", str(out))
    assert train.returncode == 0, train.stderr
    assert out.exists() and "C++ [stdlib]" in train.stdout


def test_headerless_file_and_how_it_was_read(tmp_path):
    """Parr's names_train.csv.gz layout trains as it is, and data stats says it had no header."""
    pairs = [("Adsit", "Czech"), ("Ajdrna", "Czech"), ("Antonopoulos", "Greek"), ("Papadopoulos", "Greek"),
             ("Novak", "Czech"), ("Pappas", "Greek")]
    path = tmp_path / "names_train.csv.gz"
    path.write_bytes(gzip.compress("".join(f'"{n}","{lang}"\n' for n, lang in pairs).encode()))
    stats = run("data", "stats", str(path))
    assert stats.returncode == 0, stats.stderr
    assert "read as a CSV with no header row: two columns read as name, language" in stats.stdout
    train = run("train", "--data", str(path), "--epochs", "2", "--hidden", "4")
    assert train.returncode == 0, train.stderr


def test_stats_count_a_name_folded_into_a_duplicate_and_show_a_long_junk_line_by_its_start(tmp_path):
    """Jo😀nes is a second Jones once its emoji is dropped: it counts as folded and as a duplicate (it
    was a duplicate only, so nothing said an emoji went); a set-aside line of 5,000 characters is
    shown by its start, not 80 of them wrapped over lines."""
    path = tmp_path / "names.csv"
    path.write_text("Jones,English\nJo😀nes,English\nSmith,English\nRossi,Italian\n" + "1" + "x" * 5000 + ",Italian\n",
                    encoding="utf-8")
    out = run("data", "stats", str(path))
    assert out.returncode == 0, out.stderr
    assert "duplicates removed: 1" in out.stdout and "names folded to ASCII: 1" in out.stdout
    junk = [line for line in out.stdout.splitlines() if "set aside" in line and "names.csv:5" in line]
    assert len(junk) == 1 and "x" * 50 not in junk[0] and "…" in junk[0], out.stdout


def test_one_language_is_counted_and_scored_but_not_trained(tmp_path, cats_model):
    """A file of English names only: data stats counts it, evaluate scores the model on it (one
    language in common, said in the singular), train refuses it in one line."""
    path = tmp_path / "english.csv"
    path.write_text("cat,English\ncats,English\n", encoding="utf-8")
    stats = run("data", "stats", str(path))
    assert stats.returncode == 0 and "2 names in 1 language" in stats.stdout, stats.stderr
    scored = run("evaluate", "--data", str(path), "--model", str(cats_model))
    assert scored.returncode == 0, scored.stderr
    assert "scoring the 1 language in common" in scored.stderr + scored.stdout
    assert "only one language (English)" in one_line_error(run("train", "--data", str(path), "--epochs", "1"))


@pytest.fixture(scope="module")
def cats_model(tmp_path_factory) -> Path:
    """A model of the article's four words (Afrikaans, English, French, German)."""
    path = tmp_path_factory.mktemp("model") / "cats.npz"
    out = run("train", "--data", "cats", "--epochs", "40", "--hidden", "4", "--lr", "0.05", "--out", str(path))
    assert out.returncode == 0, out.stderr
    return path


def test_evaluate_scores_languages_in_common(tmp_path, cats_model):
    """Klingon in the data and Afrikaans/German only in the model: scored on the rest, with one note line."""
    data = tmp_path / "d.csv"
    data.write_text("name,language\ncat,English\nchat,French\nworf,Klingon\nkahless,Klingon\n")
    out = run("evaluate", "--data", str(data), "--model", str(cats_model))
    assert out.returncode == 0, out.stderr
    note = out.stderr.strip()
    assert note.count("\n") == 0 and note.startswith("rnn-tui evaluate: note: scoring the 2 languages in common")
    assert "skipped 2 names in languages the model lacks: Klingon" in note
    assert "the model's languages absent from the data: Afrikaans, German" in note
    assert ": 2 names" in out.stdout and "accuracy" in out.stdout
    strict = one_line_error(run("evaluate", "--data", str(data), "--model", str(cats_model), "--strict-languages"))
    assert "languages differ" in strict and "Klingon" in strict
    (tmp_path / "none.csv").write_text("name,language\nworf,Klingon\nspock,Vulcan\n")
    assert "shares no language" in one_line_error(run("evaluate", "--data", str(tmp_path / "none.csv"),
                                                      "--model", str(cats_model)))


def test_evaluate_with_no_usable_name_is_refused(tmp_path, cats_model):
    """Names whose letters the model never saw leave nothing to score: one line, not 'accuracy nan'."""
    (tmp_path / "d.csv").write_text("name,language\nmmm,English\nooo,French\n")
    assert "nothing to score" in one_line_error(run("evaluate", "--data", str(tmp_path / "d.csv"),
                                                    "--model", str(cats_model)))


def test_data_get_help_names_the_source():
    """`data get --help` says where the data comes from and that nothing else downloads."""
    out = run("data", "get", "--help")
    assert out.returncode == 0 and "download.pytorch.org/tutorial/data.zip" in out.stdout.replace("\n", "")
