"""Rebuild data/names/ (one <Language>.txt per language) from faker's surname lists.

    pip install "faker==40.63.0" "anyascii==0.3.3"
    python data/build_names.py

Faker's person providers carry per-locale family-name lists; this script
takes the locales of each language below, romanises non-Latin scripts with
anyascii (Greek, Cyrillic, Georgian, Armenian, Chinese), drops exact
duplicates, and writes the names sorted, one per line, UTF-8.  Accents in
Latin-script names are kept as the source spells them: rnn-tui folds them to
ASCII when it loads the files, as it does for any user's folder.
The output is deterministic for a given faker and anyascii version.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

from anyascii import anyascii

# language -> faker locales whose surname lists count as that language's.
# Arabic-script lists romanise into vowel-less consonant strings, so Arabic
# uses the Latin-script Algerian list instead.  Japanese (50 romanised names),
# Korean (44), Vietnamese (10), Scottish (no locale) and Hungarian (98 once
# accents are folded) are too small to reach 100 names and are left out.
SOURCES: dict[str, list[str]] = {
    "Arabic": ["fr_DZ"],
    "Armenian": ["hy_AM"],
    "Chinese": ["zh_CN", "zh_TW"],
    "Croatian": ["hr_HR"],
    "Czech": ["cs_CZ"],
    "Dutch": ["nl_NL", "nl_BE"],
    "English": ["en_GB", "en_US"],
    "Finnish": ["fi_FI"],
    "French": ["fr_FR", "fr_QC"],
    "Georgian": ["ka_GE"],
    "German": ["de_DE", "de_AT", "de_CH"],
    "Greek": ["el_GR"],
    "Irish": ["en_IE"],
    "Italian": ["it_IT"],
    "Polish": ["pl_PL"],
    "Portuguese": ["pt_PT", "pt_BR"],
    "Russian": ["ru_RU"],
    "Spanish": ["es_ES", "es_MX"],
    "Swedish": ["sv_SE"],
}

# the attributes of a faker person Provider that hold family names
LIST_ATTRIBUTES = ("last_names", "last_names_male", "last_names_female", "male_last_names",
                   "unisex_last_names", "last_romanized_names")


def surnames(locale: str) -> list[str]:
    """Every family name a faker locale lists, in the order it lists them."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names: list[str] = []
    for attr in LIST_ATTRIBUTES:
        value = getattr(provider, attr, None)
        if value:
            names.extend(value.keys() if isinstance(value, dict) else value)
    return names


def romanise(name: str) -> str:
    """A readable Latin-script form: non-Latin scripts transliterated, Latin kept as it is."""
    name = name.strip()
    if name.isupper():                              # a few lists shout: "AN" -> "An"
        name = name.capitalize()
    if all(ord(c) < 0x250 for c in name):          # Latin (with accents) already
        return name
    name = re.sub("[οόΟΌ][υύΥΎ]", lambda m: "Ou" if m.group()[0] in "ΟΌ" else "ou", name)
    latin = anyascii(name).strip()             # (Greek "ου" is "ou" in Latin script, not "oy")
    latin = latin.replace("'", "")                  # aspiration marks of Armenian romanisation
    return latin[:1].upper() + latin[1:] if latin.islower() or latin[:1].islower() else latin


def build(out: Path) -> dict[str, int]:
    """Write one file per language under `out`; returns the counts."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for language, locales in SOURCES.items():
        names = sorted({romanise(n) for loc in locales for n in surnames(loc)})
        folded: dict[str, str] = {}                 # one spelling per ASCII form (Muller/Müller)
        for n in names:
            if len(n) > 1 and n.lower() != "doe":
                folded.setdefault(anyascii(n).lower(), n)
        names = sorted(folded.values())
        (out / f"{language}.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
        counts[language] = len(names)
    return counts


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "names"
    counts = build(target)
    for language, n in counts.items():
        print(f"{language:12} {n:5}")
    print(f"{'total':12} {sum(counts.values()):5}")
