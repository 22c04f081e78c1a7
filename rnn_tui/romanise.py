"""Names typed in other scripts, spelt the way the names corpus spells them.

anyascii writes any text in ASCII, but for family names it is too literal:
Ельцин becomes "El'tsin", Παπαδόπουλος "Papadopoylos", 曾 "Ceng" and 김
"Gim", where people (and data/names) write Yeltsin, Papadopoulos, Zeng and
Kim.  The corpus build (data/build_names.py) writes its names with the rules
here, and `rnn_tui.data.fold` uses them for what a user types or loads, so a
name typed in Cyrillic or Greek reaches the model spelt as it trained:

- Russian: the English-language convention (BGN/PCGN-like, without
  diacritics): Ye- at the start of a word and after a vowel, -sky for -ский,
  Solovyov, Yeltsin.  Any Cyrillic text gets these rules.
- Greek: ELOT 743, the standard on Greek passports (Papadopoulos, Evangelou,
  Stavrou; μπ is b at the start of a word).
- Chinese: Hanyu Pinyin without tones from anyascii, with the surname
  readings of characters that have several (曾 Zeng, 单 Shan, 解 Xie).
  Japanese kanji typed here read as Chinese: their readings need a
  dictionary (the build uses pykakasi, which rnn-tui does not install).
- Japanese kana: Hepburn from anyascii, long vowels without macrons, as
  passports write surnames (さとう Sato).
- Korean: a table of the usual spellings of common surnames (Kim, Lee, Park,
  Choi), and the Revised Romanization for the rest.

`romanise_text` applies them to each run of letters of one script and leaves
everything else as it is (anyascii folds it afterwards).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from anyascii import anyascii


def title_words(word: str) -> str:
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
    return title_words("".join(out))


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
    return title_words("".join(out))


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
    return title_words("".join(syllables).lower())


# ------------------------------------------------------------------ Japanese kana
def plain_long_vowels(romaji: str) -> str:
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


def kana(text: str) -> str:
    """Hiragana or katakana in Hepburn without long vowels: さとう -> Sato, オオタ -> Ota."""
    return title_words(plain_long_vowels(anyascii(text).lower()))


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
    return title_words("".join(_revised(s) for s in name))


# ------------------------------------------------------------------ runs of one script
# (first, last) code points of each script the rules above handle
SCRIPTS = (
    (0x0400, 0x052F, russian),          # Cyrillic and its supplement
    (0x0370, 0x03FF, greek),            # Greek and Coptic
    (0x1F00, 0x1FFF, greek),            # polytonic Greek
    (0x3040, 0x30FF, kana),             # hiragana and katakana
    (0x3400, 0x4DBF, chinese),          # CJK ideographs, extension A
    (0x4E00, 0x9FFF, chinese),          # CJK ideographs
    (0xAC00, 0xD7A3, korean),           # hangul syllables
)


def _rule(c: str) -> Callable[[str], str] | None:
    """The romaniser for a character's script, or None."""
    code = ord(c)
    for first, last, rule in SCRIPTS:
        if first <= code <= last:
            return rule
    return None


def script_runs(text: str) -> list[tuple[str, Callable[[str], str] | None]]:
    """The text cut into runs of letters of one script with rules here, each with its rule, and
    the characters between them (rule None).  A combining mark continues the run before it
    (decomposed Greek accents): "Борис Ельцин" -> [("Борис", russian), (" ", None), ("Ельцин", russian)].
    """
    runs: list[tuple[str, Callable[[str], str] | None]] = []
    run: list[str] = []
    rule: Callable[[str], str] | None = None
    for c in text:
        this = _rule(c)
        if this is None and run and rule is not None and unicodedata.combining(c):
            this = rule
        if this is not rule and run:
            runs.append(("".join(run), rule))
            run = []
        rule = this
        run.append(c)
    if run:
        runs.append(("".join(run), rule))
    return runs


def romanise_text(text: str) -> str:
    """Each run of letters of a script with rules here written in Latin letters; the rest unchanged.

    "Ельцин" -> "Yeltsin", "Борис Ельцин" -> "Boris Yeltsin", "Müller" -> "Müller".
    """
    if text.isascii():
        return text
    return "".join(rule(run) if rule else run for run, rule in script_runs(text))
