"""Conventional Latin spellings of family names written in other scripts.

data/build_names.py calls `romanise(name, language)` on every name it takes
from a package.  anyascii is a fine fallback (Georgian, Armenian), but for
names it is too literal: it writes Ельцин as "El'tsin", Παπαδόπουλος as
"Papadopoylos", 曾 as "Ceng" and 김 as "Gim", where the spellings people
use are Yeltsin, Papadopoulos, Zeng and Kim.  So each of those scripts gets
its own rules here:

- Russian: the English-language convention (BGN/PCGN-like, without
  diacritics): Ye- at the start of a word and after a vowel, -sky for -ский,
  Solovyov, Yeltsin.
- Greek: ELOT 743, the standard on Greek passports (Papadopoulos, Evangelou,
  Stavrou; μπ is b at the start of a word).
- Chinese: Hanyu Pinyin without tones from anyascii, with the surname
  readings of characters that have several (曾 Zeng, 单 Shan, 解 Xie).
- Japanese: Hepburn from pykakasi, long vowels written without macrons, as
  passports and newspapers write surnames (Sato, Ito, Ota, Inoue).
- Korean: a table of the usual spellings of 127 common surnames (Kim, Lee, Park,
  Choi), and the Revised Romanization for the rest.

Only the build imports this module; pykakasi is imported when first needed.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from anyascii import anyascii


def is_latin(name: str) -> bool:
    """True if every letter of `name` is a Latin letter (accents allowed)."""
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def _title(word: str) -> str:
    """Capitalise each part of a name split at spaces and hyphens: "yuchi" -> "Yuchi"."""
    return "-".join(" ".join(p[:1].upper() + p[1:] for p in part.split(" ")) for part in word.split("-"))


# ------------------------------------------------------------------ Russian
RU_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
RU_VOWELS = set("аеёиоуыэюя")
RU_HUSHING = set("жчшщ")          # after these ё is written e: Gorbachev, Khrushchev


def russian(name: str) -> str:
    """Ельцин -> Yeltsin, Соловьёв -> Solovyov, Достоевский -> Dostoyevsky (ye after a vowel too)."""
    out = []
    low = name.lower()
    for i, c in enumerate(low):
        prev = low[i - 1] if i else " "
        nxt = low[i + 1] if i + 1 < len(low) else " "
        starts = not prev.isalpha() or prev in RU_VOWELS or prev in "ьъ"
        if c == "е":
            out.append("ye" if starts else "e")
        elif c == "ё":
            out.append("yo" if starts or prev not in RU_HUSHING else "e")
        elif c == "ь" and nxt == "и":
            out.append("y")                        # Ильин -> Ilyin
        elif c == "й" and prev in "иы" and not nxt.isalpha():
            out[-1] = "y"                          # -ский, -ый -> -sky, -y
            out.append("")
        else:
            out.append(RU_LETTERS.get(c, anyascii(c)))
    return _title("".join(out))


# ------------------------------------------------------------------ Greek
GR_LETTERS = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}
GR_VOICELESS = set("θκξπσςτφχψ")   # αυ, ευ, ηυ are af, ef, if before these and at the end


def _greek_letters(name: str) -> list[tuple[str, bool]]:
    """Lowercase base letters without accents, each with whether it bears a diaeresis."""
    letters: list[tuple[str, bool]] = []
    for c in unicodedata.normalize("NFD", name.lower()):
        if unicodedata.combining(c):
            if c == "\u0308" and letters:
                letters[-1] = (letters[-1][0], True)
            continue
        letters.append((c, False))
    return letters


def greek(name: str) -> str:
    """ELOT 743: Παπαδόπουλος -> Papadopoulos, Ευαγγέλου -> Evangelou, Μπακογιάννης -> Bakogiannis."""
    letters = _greek_letters(name)
    out = []
    i = 0
    while i < len(letters):
        c = letters[i][0]
        nxt, nxt_diaeresis = letters[i + 1] if i + 1 < len(letters) else (" ", False)
        after = letters[i + 2][0] if i + 2 < len(letters) else " "
        word_start = i == 0 or not letters[i - 1][0].isalpha()
        if c == "ο" and nxt == "υ" and not nxt_diaeresis:
            out.append("ou")
        elif c in "αεη" and nxt == "υ" and not nxt_diaeresis:
            out.append(GR_LETTERS[c] + ("f" if after in GR_VOICELESS or not after.isalpha() else "v"))
        elif c == "γ" and nxt in "γξχ":
            out.append("n" + ("g" if nxt == "γ" else GR_LETTERS[nxt]))
        elif c == "μ" and nxt == "π" and (word_start or not after.isalpha()):
            out.append("b")
        else:
            out.append(GR_LETTERS.get(c, anyascii(c)))
            i += 1
            continue
        i += 2
    return _title("".join(out))


# ------------------------------------------------------------------ Chinese
# Characters whose reading as a surname differs from anyascii's (its most
# common reading), simplified and traditional; and compound surnames.
ZH_SURNAME_READINGS = {
    "单": "Shan", "單": "Shan", "曾": "Zeng", "解": "Xie", "仇": "Qiu", "区": "Ou", "區": "Ou",
    "查": "Zha", "朴": "Piao", "覃": "Qin", "乐": "Yue", "樂": "Yue", "盖": "Ge", "蓋": "Ge",
    "缪": "Miao", "繆": "Miao", "召": "Shao", "种": "Chong", "種": "Chong", "员": "Yun",
    "員": "Yun", "黑": "He", "秘": "Bi", "繁": "Po", "句": "Gou", "折": "She", "祭": "Zhai",
    "尉迟": "Yuchi", "尉遲": "Yuchi", "万俟": "Moqi", "萬俟": "Moqi", "单于": "Chanyu",
    "單于": "Chanyu", "长孙": "Zhangsun", "長孫": "Zhangsun", "乐正": "Yuezheng",
    "樂正": "Yuezheng", "宓": "Mi", "隗": "Wei", "阚": "Kan", "闞": "Kan", "沈": "Shen",
    "瞿": "Qu", "贲": "Ben", "賁": "Ben", "费": "Fei", "費": "Fei", "藏": "Zang",
}


def chinese(name: str) -> str:
    """Pinyin without tones, surname readings first: 曾 -> Zeng, 欧阳 -> Ouyang."""
    if name in ZH_SURNAME_READINGS:
        return ZH_SURNAME_READINGS[name]
    syllables = [ZH_SURNAME_READINGS.get(c) or anyascii(c) for c in name]
    return _title("".join(syllables).lower())


# ------------------------------------------------------------------ Japanese
@cache
def _kakasi() -> Any:
    """pykakasi's converter, made once (it loads dictionaries)."""
    import pykakasi

    return pykakasi.kakasi()


def _plain_long_vowels(romaji: str) -> str:
    """Hepburn without macrons, as surnames are written: satou -> sato, oota -> ota, yuuki -> yuki.

    An "ou" whose u starts the next syllable (inoue: i-no-u-e) is kept.
    """
    out = []
    dropped = False                                # the previous letter was a dropped long vowel
    for i, c in enumerate(romaji):
        prev = romaji[i - 1] if i else ""
        nxt = romaji[i + 1] if i + 1 < len(romaji) else ""
        long_u = c == "u" and prev in ("o", "u") and nxt not in tuple("aeiou")
        dropped = not dropped and (long_u or (c == "o" and prev == "o"))
        if not dropped:
            out.append(c)
    return "".join(out)


def japanese(name: str) -> str:
    """Kanji or kana to Hepburn: 佐藤 -> Sato, 太田 -> Ota; "" if pykakasi cannot read it."""
    romaji = "".join(part["hepburn"] for part in _kakasi().convert(name)).lower()
    if not romaji.isascii() or not romaji.isalpha():
        return ""
    return _title(_plain_long_vowels(romaji))


# ------------------------------------------------------------------ Korean
# The usual spellings of common Korean surnames (as in passports and the press),
# which differ from the Revised Romanization used for other words.
KO_SURNAMES = {
    "김": "Kim", "이": "Lee", "박": "Park", "정": "Jung", "최": "Choi", "조": "Cho",
    "강": "Kang", "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh",
    "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song",
    "류": "Ryu", "유": "Yoo", "전": "Jeon", "홍": "Hong", "고": "Ko", "문": "Moon",
    "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek", "허": "Heo", "남": "Nam",
    "심": "Shim", "노": "Noh", "하": "Ha", "곽": "Kwak", "성": "Sung", "차": "Cha",
    "주": "Joo", "우": "Woo", "구": "Koo", "나": "Na", "민": "Min", "진": "Jin",
    "지": "Ji", "엄": "Eom", "채": "Chae", "원": "Won", "천": "Chun", "방": "Bang",
    "공": "Kong", "현": "Hyun", "함": "Ham", "변": "Byun", "염": "Yeom", "여": "Yeo",
    "추": "Choo", "도": "Do", "소": "So", "석": "Seok", "선": "Sun", "설": "Seol",
    "마": "Ma", "길": "Gil", "연": "Yeon", "위": "Wi", "표": "Pyo", "명": "Myung",
    "기": "Ki", "반": "Ban", "왕": "Wang", "금": "Keum", "옥": "Ok", "육": "Yook",
    "인": "In", "맹": "Maeng", "제": "Je", "모": "Mo", "탁": "Tak", "국": "Kook",
    "어": "Eo", "은": "Eun", "편": "Pyun", "용": "Yong", "예": "Ye", "경": "Kyung",
    "봉": "Bong", "사": "Sa", "부": "Boo", "가": "Ka", "복": "Bok", "태": "Tae",
    "목": "Mok", "형": "Hyung", "계": "Kye", "피": "Pi", "두": "Doo", "감": "Kam",
    "음": "Eum", "빈": "Bin", "동": "Dong", "온": "On", "호": "Ho", "범": "Bum",
    "좌": "Jwa", "팽": "Paeng", "승": "Seung", "간": "Kan", "상": "Sang", "갈": "Kal",
    "시": "Si", "단": "Dan", "견": "Kyun", "당": "Dang", "화": "Hwa", "창": "Chang",
    "옹": "Ong", "순": "Soon", "라": "Ra", "대": "Dae", "판": "Pan",
    "남궁": "Namgoong", "독고": "Dokgo", "동방": "Dongbang", "사공": "Sagong",
    "서문": "Seomun", "선우": "Sunwoo", "제갈": "Jegal", "황보": "Hwangbo",
}

KO_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj",
               "ch", "k", "t", "p", "h"]
KO_VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
             "u", "wo", "we", "wi", "yu", "eu", "ui", "i"]
KO_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
             "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]


def _revised(syllable: str) -> str:
    """One hangul syllable in the Revised Romanization (a syllable on its own)."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return anyascii(syllable)
    initial, rest = divmod(code, 21 * 28)
    vowel, final = divmod(rest, 28)
    return KO_INITIALS[initial] + KO_VOWELS[vowel] + KO_FINALS[final]


def korean(name: str) -> str:
    """김 -> Kim, 남궁 -> Namgoong; rarer surnames in the Revised Romanization (곡 -> Gok)."""
    if name in KO_SURNAMES:
        return KO_SURNAMES[name]
    return _title("".join(_revised(s) for s in name))


# ------------------------------------------------------------------ any language
ROMANISERS = {"Russian": russian, "Greek": greek, "Chinese": chinese,
              "Japanese": japanese, "Korean": korean}


def romanise(name: str, language: str) -> str:
    """A Latin-script spelling of `name` ("" if there is none); Latin names are kept as written."""
    name = " ".join(name.split())
    if name.isupper() and len(name) > 1:            # some lists shout: "CHEN" -> "Chen"
        name = _title(name.lower())
    if is_latin(name):
        return name
    if language in ROMANISERS:
        return ROMANISERS[language](name)
    latin = anyascii(name).replace("'", "")         # aspiration marks in Armenian romanisation
    return _title(latin.lower()) if latin[:1].islower() or latin.islower() else latin
