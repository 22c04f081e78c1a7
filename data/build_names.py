"""Rebuild data/names/ (one <Language>.txt per language) from fake-data packages' surname lists.

    pip install -e '.[build-data]'      # faker, mimesis, pykakasi, anyascii, PyYAML at pinned versions
    python data/build_names.py          # or: python data/build_names.py OUT_FOLDER

faker and mimesis (PyPI) keep per-locale family-name lists.  With --wider,
three Debian packages of other languages' fake-data libraries give the
Vietnamese, Portuguese and Korean lists more names (WIDER; data/debian_lists.py
fetches them at pinned versions, checks their sha256 and reads them without
installing anything): a trial corpus, not the shipped one (data/README.md
says why).  For each language this
script takes the locales listed in SOURCES, writes every name in Latin script
(data/romanise.py: conventional spellings for Russian, Greek, Chinese,
Japanese and Korean; anyascii for Georgian and Armenian, which also gets its
diaspora spelling, SECOND_SPELLINGS), keeps one spelling per ASCII form, gives
each name one language (`resolve`: the lists of a country's residents name
the same Smith, Müller and Nguyen under several languages), and writes the
names sorted, one per line, UTF-8.  Accents in
Latin-script names are kept as the source spells them: rnn-tui folds them to
ASCII when it loads the files, as it does for any user's folder.

There is nothing random in it: for the pinned package versions the output is
the same byte for byte, and the script refuses to run with other versions
(pass --any-version to try anyway).  The Debian packages are kept in
data/.debs (--debs DIR for another folder).
"""

from __future__ import annotations

import importlib
import json
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import debian_lists
from anyascii import anyascii
from romanise import romanise

# the versions that produced the shipped files (the pyproject build-data extra pins the same)
PINNED = {"faker": "40.63.0", "mimesis": "22.2.0", "pykakasi": "2.3.0", "anyascii": "0.3.3"}
# and what --wider needs besides (debian_lists.PACKAGES pins the Debian packages): PyYAML reads faker-ruby's lists
PINNED_WIDER = {"pyyaml": "6.0.4"}

# where the Debian packages' .deb files are kept (and fetched to) unless --debs names another folder
DEBS = Path(__file__).parent / ".debs"


@dataclass(frozen=True)
class Source:
    """One package's surname list for one locale."""

    package: str                 # "faker", "mimesis", or one of debian_lists.PACKAGES
    locale: str
    # "surnames": the locale's family-name list; "streets": the family names of
    # the people that faker's street names of the locale honour (see street_surnames)
    kind: str = "surnames"
    # A list of a country's residents' names of every origin (the US census
    # lists; mimesis's French list, which is North American: Smith, Schmidt,
    # Nguyen, Singh): a name from it is kept only if no other language lists
    # it, or only the languages in `kin` (English and Irish share many names).
    own_only: bool = False
    kin: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.package} {self.locale}" + (f" {self.kind}" if self.kind != "surnames" else "")


def faker(*locales: str) -> list[Source]:
    """Sources from faker's person providers."""
    return [Source("faker", loc) for loc in locales]


def mimesis(*locales: str) -> list[Source]:
    """Sources from mimesis's person datasets."""
    return [Source("mimesis", loc) for loc in locales]


def debian(package: str, *locales: str) -> list[Source]:
    """Sources from a Debian package's locale files (debian_lists.PACKAGES)."""
    return [Source(package, loc) for loc in locales]


# language -> the lists that count as its names.  Left out on purpose:
# mimesis de-ch (half of it is French- and Italian-Swiss), mimesis pt-br
# (Brazilians' names of every origin: Danish -datter, German, Italian), the
# Arabic-script lists (they romanise into vowel-less consonant strings, so
# Arabic uses faker's Latin-script Algerian list), faker's plain "en" (invented
# names) and fr_BE/fr_CH (mostly Flemish and German names).
SOURCES: dict[str, list[Source]] = {
    "Arabic": faker("fr_DZ"),
    "Armenian": faker("hy_AM"),
    "Chinese": faker("zh_CN", "zh_TW") + mimesis("zh"),
    "Croatian": faker("hr_HR") + mimesis("hr"),
    "Czech": faker("cs_CZ") + mimesis("cs"),
    "Dutch": faker("nl_NL", "nl_BE") + mimesis("nl", "nl-be"),
    "English": faker("en_GB", "en_NZ") + [Source("faker", "en_US", own_only=True, kin=("Irish",)),
                                          Source("mimesis", "en", own_only=True, kin=("Irish",))],
    "Finnish": faker("fi_FI") + mimesis("fi"),
    "French": faker("fr_FR", "fr_QC") + [Source("mimesis", "fr", own_only=True)],
    "Georgian": faker("ka_GE"),
    "German": faker("de_DE", "de_AT", "de_CH") + mimesis("de", "de-at"),
    "Greek": faker("el_GR") + mimesis("el"),
    "Irish": faker("en_IE"),
    "Italian": faker("it_IT") + mimesis("it"),
    "Japanese": faker("ja_JP") + mimesis("ja"),
    "Korean": faker("ko_KR") + mimesis("ko"),
    "Polish": faker("pl_PL") + mimesis("pl"),
    "Portuguese": faker("pt_PT", "pt_BR") + mimesis("pt"),
    "Russian": faker("ru_RU") + mimesis("ru"),
    "Spanish": faker("es_ES", "es_MX") + mimesis("es", "es-mx"),
    "Swedish": faker("sv_SE") + mimesis("sv"),
    "Vietnamese": faker("vi_VN") + [Source("faker", "vi_VN", kind="streets")],
}

# --wider: the three smallest real pools (Vietnamese 12 names, Portuguese 135, Korean 221), for
# which PyPI has no more, get the family-name lists of Debian's packages of PHP Faker (the Vietnamese
# list, from Vietnamese Wikipedia's article on Vietnamese family names), faker-ruby (Portuguese as
# Brazilians bear them) and ffaker (Korean, in hangul, the rare and compound names too).  What the
# rest of those packages hold is left out: data/README.md says why, list by list.
WIDER: dict[str, list[Source]] = {
    "Vietnamese": debian("php-faker", "vi_VN"),
    "Portuguese": debian("ruby-faker", "pt-BR"),
    "Korean": debian("ruby-ffaker", "kr"),
}


def sources_for(wider: bool) -> dict[str, list[Source]]:
    """SOURCES, with WIDER's lists added to their languages when wider is true."""
    return {lang: sources + (WIDER.get(lang, []) if wider else []) for lang, sources in SOURCES.items()}

# Spelling conventions that give a language's names a second real spelling.
# Armenian: the Eastern Armenian passport spelling ends -yan (Petrosyan); the
# Western Armenian and diaspora spelling of the same ending is -ian
# (Khachaturian, Kardashian).  Both are in everyday use, so both are kept.
SECOND_SPELLINGS = {"Armenian": lambda n: n[:-3] + "ian" if n.endswith("yan") and n[-4:-3].lower() not in
                    "aeiouy" else ""}

# Beside the <Language>.txt files (the loader reads only those): every name that the sources
# list under several languages, with those languages and the one resolve chose.
SHARED_FILE = "shared.tsv"
SHARED_HEADER = ("# Names that the sources list under several languages (data/build_names.py).\n"
                 "# name<TAB>the languages whose lists give it<TAB>the language it is filed under"
                 "<TAB>the step of build_names.resolve that chose it\n")

# the attributes of a faker person Provider that hold family names
FAKER_ATTRIBUTES = ("last_names", "last_names_male", "last_names_female", "male_last_names",
                    "unisex_last_names", "last_romanized_names")


def street_surnames(locale: str) -> list[str]:
    """Family names from faker's street names that are a person's full name.

    A street name counts as a person's name when its second word is one of the
    middle names faker's person provider of the same locale lists (Vietnamese
    Văn, Thị: "Phan Văn Trị", "Võ Thị Sáu"); its first word is then the family
    name.  Streets named after events or places ("Cách Mạng Tháng Tám") have no
    such middle word and give nothing.
    """
    middle = set(importlib.import_module(f"faker.providers.person.{locale}").Provider.middle_names)
    streets = importlib.import_module(f"faker.providers.address.{locale}").Provider.streets
    return [words[0] for s in streets if len(words := s.split()) >= 3 and words[1] in middle]


def surnames(source: Source, debs: Path = DEBS, any_version: bool = False) -> list[str]:
    """Every family name a source lists, in its own order and script (the Debian packages' .deb
    files are kept in `debs`; any_version takes whichever version apt-get has)."""
    names: list[str] = []
    if source.kind == "streets":
        return street_surnames(source.locale)
    if source.package == "faker":
        provider = importlib.import_module(f"faker.providers.person.{source.locale}").Provider
        for attr in FAKER_ATTRIBUTES:
            value = getattr(provider, attr, None)
            if value:
                names.extend(value.keys() if isinstance(value, dict) else value)
    elif source.package in debian_lists.PACKAGES:
        names.extend(debian_lists.surnames(source.package, source.locale, debs, any_version))
    else:
        path = resources.files("mimesis.datasets") / source.locale / "person.json"
        value = json.loads(path.read_text(encoding="utf-8"))["surnames"]
        for part in value.values() if isinstance(value, dict) else [value]:
            names.extend(part)
    return names


def key(name: str) -> str:
    """The form two spellings must share to count as one name (Müller and Muller)."""
    return " ".join(anyascii(name).lower().split())


def usable(name: str) -> bool:
    """Leave out one-letter entries and faker's placeholder "Doe"."""
    return len(key(name)) > 1 and key(name) != "doe"


def spellings(name: str, language: str) -> list[str]:
    """The romanised name, and its second spelling where SECOND_SPELLINGS gives one."""
    first = romanise(name, language)
    second = SECOND_SPELLINGS[language](first) if language in SECOND_SPELLINGS and first else ""
    return [first, second] if second else [first]


class Trigrams:
    """A character trigram model of a set of names, interpolated down to single letters.

    Used only to settle which language a name listed by several languages is
    labelled with (see resolve).  Each order's estimate is mixed with the next
    lower one's by n / (n + 3), n being how often its context was seen.
    """

    def __init__(self, names: list[str]) -> None:
        self.seen: Counter[tuple[str, str]] = Counter()
        self.context: Counter[str] = Counter()
        for name in names:
            text = "^^" + name + "$"
            for i in range(2, len(text)):
                for k in range(3):
                    self.seen[(text[i - k:i], text[i])] += 1
                    self.context[text[i - k:i]] += 1

    def score(self, name: str) -> float:
        """Mean log probability per character (the end mark counts as one)."""
        text = "^^" + name + "$"
        total = 0.0
        for i in range(2, len(text)):
            p = 1 / 40
            for k in range(3):
                n = self.context[text[i - k:i]]
                if n:
                    p = (self.seen[(text[i - k:i], text[i])] + 3 * p) / (n + 3)
            total += math.log(p)
        return total / (len(name) + 1)


def resolve(given_by: dict[str, dict[str, int]], sources: dict[str, int],
            native: dict[str, set[str]], settled_by: dict[str, int] | None = None) -> dict[str, str]:
    """One language for every name: ASCII form -> language.

    given_by maps a name to {language: how many of that language's full sources
    list it} (0 for a name only a residents' list gives); sources maps a language
    to its number of full sources; native maps a name to the languages whose
    sources write it in more than plain ASCII (Trần, Müller, García, Ким).
    A name one language lists is that language's.  A name several languages
    list (Smith: English, Irish, Dutch, French and Swedish, whose lists include
    immigrants' names) is settled in three steps, each among the languages the
    step before left tied:
    1. the languages whose full sources most consistently list it (the largest
       share of the language's full sources);
    2. the languages whose sources write it in their own orthography, accents or
       script (Vietnamese Trần against Swedish Tran), if any do and some do not;
    3. the language whose own names (those no other language lists) it resembles
       most under a character trigram model.
    The label is always one of the languages the sources give.  settled_by, if
    given, gets the step (1, 2 or 3) that settled each name several languages list.
    """
    only = {name: next(iter(langs)) for name, langs in given_by.items() if len(langs) == 1}
    own: dict[str, list[str]] = {}
    for name, language in only.items():
        own.setdefault(language, []).append(name)
    models = {language: Trigrams(names) for language, names in own.items()}
    labels = dict(only)
    for name, langs in given_by.items():
        if len(langs) > 1:
            share = {lang: n / max(sources[lang], 1) for lang, n in langs.items()}
            first = sorted(lang for lang in langs if share[lang] == max(share.values()))
            tied = [lang for lang in first if lang in native.get(name, ())] or first
            labels[name] = max(tied, key=lambda lang: models[lang].score(name) if lang in models else -math.inf)
            if settled_by is not None:
                settled_by[name] = 1 if len(first) == 1 else 2 if len(tied) == 1 else 3
    return labels


def gather(sources: dict[str, list[Source]] = SOURCES, debs: Path = DEBS, any_version: bool = False
           ) -> tuple[dict[str, list[str]], dict[str, dict[str, int]], Counter[str], list[str]]:
    """Romanised names per language from `sources`, how many distinct names each source gave, how
    many names listed by several languages each language lost to another, and the lines of SHARED_FILE."""
    listed = {s: surnames(s, debs, any_version) for given in sources.values() for s in given}
    lists = {(lang, s): [r for n in listed[s] for r in spellings(n, lang) if usable(r)]
             for lang, given in sources.items() for s in given}
    elsewhere: dict[str, set[str]] = {}             # ASCII form -> languages a full list gives it
    for (lang, s), names in lists.items():
        if not s.own_only:
            for n in names:
                elsewhere.setdefault(key(n), set()).add(lang)
    pools: dict[str, dict[str, str]] = {lang: {} for lang in sources}
    per_source: dict[str, dict[str, int]] = {lang: {} for lang in sources}
    given_by: dict[str, dict[str, int]] = {}        # ASCII form -> {language: full sources listing it}
    native: dict[str, set[str]] = {}                # ASCII form -> languages that spell it beyond ASCII
    for (lang, s), names in lists.items():
        if s.own_only:
            names = [n for n in names if elsewhere.get(key(n), set()) <= {lang, *s.kin}]
        for n in sorted(names):
            pools[lang].setdefault(key(n), n)       # the first spelling of each ASCII form
        per_source[lang][str(s)] = len({key(n) for n in names})
        for n in names:
            given_by.setdefault(key(n), {}).setdefault(lang, 0)
        for k in {key(n) for n in names} if not s.own_only else ():
            given_by[k][lang] += 1
    for lang, source in lists:
        for n in listed[source]:
            if not n.isascii() and (r := romanise(n, lang)) and usable(r):
                native.setdefault(key(r), set()).add(lang)
    full = {lang: sum(not s.own_only for s in given) for lang, given in sources.items()}
    settled_by: dict[str, int] = {}
    labels = resolve(given_by, full, native, settled_by)
    spelling = {k: n for pool in pools.values() for k, n in pool.items()}
    shared = sorted(f"{spelling[k]}\t{','.join(sorted(given_by[k]))}\t{labels[k]}\t{step}"
                    for k, step in settled_by.items())
    lost: Counter[str] = Counter()
    for lang, pool in pools.items():
        for k in [k for k in pool if labels[k] != lang]:
            del pool[k]
            lost[lang] += 1
    return {lang: sorted(p.values()) for lang, p in pools.items()}, per_source, lost, shared


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def check_versions(pinned: dict[str, str] = PINNED) -> list[str]:
    """One line per installed package whose version is not the pinned one."""
    wrong = []
    for package, version in pinned.items():
        try:
            found = metadata.version(package)
        except metadata.PackageNotFoundError:
            found = "not installed"
        if found != version:
            wrong.append(f"{package} {found} (the shipped files were built with {version})")
    return wrong


def build(out: Path, sources: dict[str, list[Source]] = SOURCES, debs: Path = DEBS, any_version: bool = False
          ) -> tuple[dict[str, int], dict[str, dict[str, int]], Counter[str]]:
    """Write one file per language under `out`; returns the counts, the per-source counts and
    the names each language gave up to another."""
    names, per_source, lost, shared = gather(sources, debs, any_version)
    out.mkdir(parents=True, exist_ok=True)
    for language, pool in names.items():
        write_atomically(out / f"{language}.txt", "\n".join(pool) + "\n")
    write_atomically(out / SHARED_FILE, SHARED_HEADER + "\n".join(shared) + "\n")
    return {lang: len(pool) for lang, pool in names.items()}, per_source, lost


def main(argv: list[str]) -> int:
    """Command line: build_names.py [--any-version] [--wider [--debs DIR]] [OUT_FOLDER]."""
    any_version, wider = "--any-version" in argv, "--wider" in argv
    args = [a for a in argv if a not in ("--any-version", "--wider")]
    debs = DEBS
    if "--debs" in args:
        at = args.index("--debs")
        if at + 1 >= len(args):
            print("build_names.py: --debs needs a folder", file=sys.stderr)
            return 2
        debs = Path(args[at + 1])
        del args[at:at + 2]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print("usage: build_names.py [--any-version] [--wider [--debs DIR]] [OUT_FOLDER]", file=sys.stderr)
        return 2
    wrong = check_versions(PINNED | (PINNED_WIDER if wider else {}))
    if wrong and not any_version:
        print("build_names.py: " + "; ".join(wrong) + ". Install the pinned versions "
              "(pip install -e '.[build-data]') or pass --any-version.", file=sys.stderr)
        return 2
    target = Path(args[0]) if args else Path(__file__).parent / "names"
    try:
        counts, per_source, lost = build(target, sources_for(wider), debs, any_version)
    except debian_lists.ListError as error:
        print(f"build_names.py: {error}", file=sys.stderr)
        return 2
    for language, n in counts.items():
        detail = ", ".join(f"{s} {k}" for s, k in per_source[language].items())
        print(f"{language:12} {n:6}   ({detail}; {lost[language]} labelled with another language)")
    print(f"{'total':12} {sum(counts.values()):6}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
