"""Conventional Latin spellings of family names written in other scripts, for the corpus build.

data/build_names.py calls `romanise(name, language)` on every name it takes
from a package.  The rules for Russian, Greek, Chinese and Korean live in
rnn_tui/romanise.py, because rnn-tui applies them to what users type too;
this module adds what only the build needs:

- Japanese: Hepburn from pykakasi, long vowels written without macrons, as
  passports and newspapers write surnames (Sato, Ito, Ota, Inoue); kanji
  need pykakasi's dictionary, which rnn-tui itself does not install.
- anyascii as the fallback for the other scripts (Georgian, Armenian).

Only the build imports this module; pykakasi is imported when first needed.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from anyascii import anyascii

from rnn_tui.romanise import chinese, greek, korean, plain_long_vowels, russian, title_words

__all__ = ["chinese", "greek", "is_latin", "japanese", "korean", "plain_long_vowels", "romanise", "russian"]


def is_latin(name: str) -> bool:
    """True if every letter of `name` is a Latin letter (accents allowed)."""
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


# ------------------------------------------------------------------ Japanese
@cache
def _kakasi() -> Any:
    """pykakasi's converter, made once (it loads dictionaries)."""
    import pykakasi

    return pykakasi.kakasi()


def japanese(name: str) -> str:
    """Kanji or kana to Hepburn: 佐藤 -> Sato, 太田 -> Ota; "" if pykakasi cannot read it."""
    romaji = "".join(part["hepburn"] for part in _kakasi().convert(name)).lower()
    if not romaji.isascii() or not romaji.isalpha():
        return ""
    return title_words(plain_long_vowels(romaji))


# ------------------------------------------------------------------ any language
ROMANISERS = {"Russian": russian, "Greek": greek, "Chinese": chinese,
              "Japanese": japanese, "Korean": korean}


def romanise(name: str, language: str) -> str:
    """A Latin-script spelling of `name` ("" if there is none); Latin names are kept as written."""
    name = " ".join(name.split())
    if name.isupper() and len(name) > 1:            # some lists shout: "CHEN" -> "Chen"
        name = title_words(name.lower())
    if is_latin(name):
        return name
    if language in ROMANISERS:
        return ROMANISERS[language](name)
    latin = anyascii(name).replace("'", "")         # aspiration marks in Armenian romanisation
    return title_words(latin.lower()) if latin[:1].islower() or latin.islower() else latin
