"""data/romanise.py: the conventional Latin spellings the corpus build gives other scripts."""

from __future__ import annotations

import data_scripts
import pytest
from hypothesis import given
from hypothesis import strategies as st

romanise = data_scripts.load("romanise")


@pytest.mark.parametrize("cyrillic,latin", [
    ("Иванов", "Ivanov"), ("Ельцин", "Yeltsin"), ("Хрущёв", "Khrushchev"), ("Горбачёв", "Gorbachev"),
    ("Соловьёв", "Solovyov"), ("Королёв", "Korolyov"), ("Ильин", "Ilyin"), ("Васильева", "Vasilyeva"),
    ("Зуев", "Zuyev"), ("Достоевский", "Dostoyevsky"), ("Белый", "Bely"), ("Толстой", "Tolstoy"),
    ("Щукин", "Shchukin"), ("Подъячев", "Podyachev"), ("Муравьёв-Апостол", "Muravyov-Apostol"),
])
def test_russian_names_get_their_usual_english_spelling(cyrillic, latin):
    """Ye- at the start, -sky for -ский, yo after a consonant but e after hushing ones, no apostrophes."""
    assert romanise.romanise(cyrillic, "Russian") == latin


@pytest.mark.parametrize("greek,latin", [
    ("Παπαδόπουλος", "Papadopoulos"), ("Γεωργίου", "Georgiou"), ("Ευαγγέλου", "Evangelou"),
    ("Σταύρου", "Stavrou"), ("Ευθυμίου", "Efthymiou"), ("Αγγελόπουλος", "Angelopoulos"),
    ("Μπακογιάννης", "Bakogiannis"), ("Κουτσούμπας", "Koutsoumpas"), ("Χατζηδάκης", "Chatzidakis"),
    ("Ψαράς", "Psaras"), ("Λαϊνάς", "Lainas"), ("ΠΑΠΑΣ", "Papas"),
])
def test_greek_names_follow_elot_743(greek, latin):
    """ου is ou, αυ/ευ are av/ev or af/ef by what follows, γγ is ng, μπ is b only at the start."""
    assert romanise.romanise(greek, "Greek") == latin


@pytest.mark.parametrize("hangul,latin", [
    ("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("남궁", "Namgoong"),
    ("곡", "Gok"), ("망절", "Mangjeol"),
])
def test_korean_surnames_use_the_usual_spelling_then_revised_romanization(hangul, latin):
    """The table's spellings first; a surname it lacks falls back to the Revised Romanization."""
    assert romanise.romanise(hangul, "Korean") == latin


@pytest.mark.parametrize("hanzi,latin", [("王", "Wang"), ("曾", "Zeng"), ("單", "Shan"), ("欧阳", "Ouyang"),
                                          ("尉迟", "Yuchi")])
def test_chinese_surnames_read_as_surnames(hanzi, latin):
    """Characters with several readings take their surname reading; compounds are one word."""
    assert romanise.romanise(hanzi, "Chinese") == latin


@pytest.mark.parametrize("romaji,plain", [("satou", "sato"), ("oota", "ota"), ("yuuki", "yuki"),
                                          ("inoue", "inoue"), ("oouchi", "ouchi"), ("kouno", "kono")])
def test_japanese_long_vowels_lose_their_second_letter(romaji, plain):
    """Hepburn without macrons, but a u that starts the next syllable stays (Inoue)."""
    assert romanise.plain_long_vowels(romaji) == plain


def test_latin_names_are_kept_as_written():
    """Accents stay in the files; the loader folds them."""
    for name in ("Müller", "Nguyễn", "O'Brien", "de Vries", "Đặng"):
        assert romanise.romanise(name, "Any") == name


@given(st.text(alphabet=st.characters(min_codepoint=0x0410, max_codepoint=0x044F), min_size=1, max_size=20))
def test_any_cyrillic_word_becomes_ascii(word):
    """Whatever the letters, the Russian rules leave only ASCII."""
    assert romanise.russian(word).isascii()


@given(st.text(alphabet=st.characters(min_codepoint=0x0386, max_codepoint=0x03CE), min_size=1, max_size=20))
def test_any_greek_word_becomes_ascii(word):
    """Whatever the letters and accents, the Greek rules leave only ASCII."""
    assert romanise.greek(word).isascii()


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=3))
def test_any_hangul_syllables_become_ascii_letters(word):
    """Every precomposed hangul syllable has a romanisation made of letters."""
    latin = romanise.korean(word)
    assert latin.isascii() and latin.isalpha()
