"""What the model reads of a typed name: other scripts spelt the corpus's way, symbols and emoji dropped and reported.

rnn_tui.data.fold is the one place typed names (the CLI, the classify screen)
and loaded data become ASCII.  The corpus build writes Cyrillic, Greek, Chinese
and Korean names with the rules in rnn_tui/romanise.py, so a name typed in
those scripts must come out spelt the same way, not as anyascii would spell it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_tui import romanise as rt
from rnn_tui.data import fold
from rnn_tui.model import load
from rnn_tui.resources import pretrained_model
from rnn_tui.ui.screens.classify import describe

DATA = Path(__file__).resolve().parents[1] / "data"


def _build_romanise():
    spec = importlib.util.spec_from_file_location("romanise_for_folding", DATA / "romanise.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _build_romanise()


@pytest.mark.parametrize("typed,language", [
    ("Ельцин", "Russian"), ("Достоевский", "Russian"), ("Хрущёв", "Russian"), ("Соловьёв", "Russian"),
    ("Παπαδόπουλος", "Greek"), ("Ευαγγέλου", "Greek"), ("ΜΠΑΚΟΓΙΑΝΝΗΣ", "Greek"),
    ("曾", "Chinese"), ("欧阳", "Chinese"), ("김", "Korean"), ("남궁", "Korean"), ("곡", "Korean"),
])
def test_typed_names_are_spelt_as_the_corpus_build_spells_them(typed, language):
    """fold gives what data/build_names.py wrote into data/names for the same name, lowercased."""
    assert fold(typed) == build.romanise(typed, language).lower()


@pytest.mark.parametrize("typed,read", [
    ("Ельцин", "yeltsin"), ("Борис Ельцин", "boris yeltsin"), ("Муравьёв-Апостол", "muravyov-apostol"),
    ("Παπαδόπουλος", "papadopoulos"), ("Γεωργίου", "georgiou"), ("박", "park"), ("さとう", "sato"),
    ("オオタ", "ota"), ("Müller", "muller"), ("Dvořák", "dvorak"), ("Nguyễn", "nguyen"), ("O'Brien", "o'brien"),
])
def test_fold_examples(typed, read):
    """anyascii would give el'tsin, papadopoylos, bag, satou: the corpus never spells names that way."""
    assert fold(typed) == read


@pytest.mark.parametrize("typed", ["Nakamura😀", "Naka😀mura", "👍🏽Nakamura", "🇯🇵Nakamura", "Naka\u200dmura",
                                   "Nakamura★", "©Nakamura", "Naka👨‍👩‍👧mura"])
def test_emoji_and_symbols_are_dropped_not_spelt_out(typed):
    """anyascii writes 😀 as ':grinning:' and 🇯🇵 as 'JP'; the model must read only the name."""
    assert fold(typed) == "nakamura"


NAME = st.text(alphabet=st.characters(categories=("L", "M", "Zs", "Pd", "Po")), max_size=20)
SYMBOLS = st.text(alphabet=st.characters(categories=("So", "Sk", "Sm", "Sc"), min_codepoint=0x80), min_size=1,
                  max_size=4)


@given(NAME, NAME, SYMBOLS)
def test_symbols_anywhere_change_nothing_the_model_reads(left, right, symbols):
    """Putting symbols or emoji between two parts of a name folds to what the parts alone fold to."""
    assert fold(left + symbols + right) == fold(left + right)


@given(st.text(max_size=30))
def test_fold_always_gives_lowercase_single_spaced_ascii(text):
    """Whatever is typed, the model gets ASCII without capitals, runs of spaces or leading spaces."""
    folded = fold(text)
    assert folded.isascii() and folded == folded.strip() and "  " not in folded
    assert folded == folded.lower()


@given(st.text(alphabet=st.characters(min_codepoint=0x0370, max_codepoint=0x052F), max_size=20))
def test_any_greek_or_cyrillic_text_romanises_to_ascii(text):
    """The script rules leave no Greek or Cyrillic character behind."""
    assert rt.romanise_text(text).isascii()


def test_a_reading_reports_what_was_dropped_and_changed():
    """The classify screen's notes name the emoji it dropped and the words it romanised."""
    model = load(pretrained_model())
    reading = model.read("Naka😀mura")
    assert reading.folded == "nakamura" and reading.removed == ("😀",) and reading.changed == ()
    _, notes = describe(reading)
    assert "dropped (symbols, not letters): 😀" in notes
    reading = model.read("Борис Ельцин")
    assert reading.changed == (("Борис", "boris"), ("Ельцин", "yeltsin"))
    assert reading.removed == ()
    _, notes = describe(reading)
    assert "folded to ASCII: Борис→boris, Ельцин→yeltsin" in notes
    assert model.read("Müller").changed == (("ü", "u"),)


def test_the_command_line_says_it_dropped_an_emoji():
    """`rnn-tui classify` reads the name without the emoji and says so in its note (and in --json)."""
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    out = subprocess.run([sys.executable, "-m", "rnn_tui", "classify", "Naka😀mura", "--top", "1"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Naka😀mura (read as 'nakamura'; dropped 😀: not letters): ")
    out = subprocess.run([sys.executable, "-m", "rnn_tui", "classify", "--json", "Naka😀mura"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0 and '"removed": [\n      "\\ud83d\\ude00"\n    ]' in out.stdout
