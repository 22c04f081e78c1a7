"""data/build_names.py's rules: which language a name listed by several languages is labelled with,
the second Armenian spelling, and the Vietnamese family names taken from faker's street names.

The rules are pure functions of the sources' lists, so they are tested on small made-up lists;
the tests that read the packages themselves are skipped where the build-data extra is not installed.
"""

from __future__ import annotations

import data_scripts
import pytest
from hypothesis import given
from hypothesis import strategies as st

build = data_scripts.load("build_names")

# made-up own names: the first language's end in -sson, the second's in -nen
SWEDISH = ["andersson", "karlsson", "nilsson", "persson", "olsson", "larsson", "svensson", "jonsson"]
FINNISH = ["virtanen", "korhonen", "nieminen", "makinen", "koskinen", "heikkinen", "laine", "lehtonen"]


def own(language: str, names: list[str]) -> dict[str, dict[str, int]]:
    return {n: {language: 1} for n in names}


def test_a_name_one_language_lists_is_that_languages():
    labels = build.resolve(own("Swedish", SWEDISH) | own("Finnish", FINNISH), {"Swedish": 2, "Finnish": 2}, {})
    assert all(labels[n] == "Swedish" for n in SWEDISH) and all(labels[n] == "Finnish" for n in FINNISH)


def test_the_language_whose_sources_most_consistently_list_it_wins():
    """Both of Swedish's lists give 'eriksson', one of Finnish's two: Swedish, whatever it looks like."""
    given_by = own("Swedish", SWEDISH) | own("Finnish", FINNISH) | {"eriksson": {"Swedish": 2, "Finnish": 1},
                                                                    "aaltonen": {"Swedish": 2, "Finnish": 1}}
    labels = build.resolve(given_by, {"Swedish": 2, "Finnish": 2}, {})
    assert labels["eriksson"] == labels["aaltonen"] == "Swedish"


def test_a_tie_goes_to_the_language_that_writes_it_in_its_own_orthography():
    """Vietnamese's one list writes Trần, Swedish's two write Tran: Vietnamese, though 'tran' looks Swedish."""
    given_by = own("Swedish", SWEDISH + ["strand", "trana"]) | own("Vietnamese", ["le", "pham"]) | {
        "tran": {"Swedish": 2, "Vietnamese": 1}}
    labels = build.resolve(given_by, {"Swedish": 2, "Vietnamese": 1}, {"tran": {"Vietnamese"}})
    assert labels["tran"] == "Vietnamese"
    labels = build.resolve(given_by, {"Swedish": 2, "Vietnamese": 1}, {})
    assert labels["tran"] == "Swedish"             # without the accents the trigrams decide


def test_a_remaining_tie_goes_to_the_language_the_name_resembles():
    """Listed by every source of both: the -sson name is Swedish, the -nen name Finnish."""
    given_by = own("Swedish", SWEDISH) | own("Finnish", FINNISH) | {
        "johansson": {"Swedish": 1, "Finnish": 1}, "hakkinen": {"Swedish": 1, "Finnish": 1}}
    labels = build.resolve(given_by, {"Swedish": 1, "Finnish": 1}, {})
    assert labels["johansson"] == "Swedish" and labels["hakkinen"] == "Finnish"


@given(st.dictionaries(st.text("abcdefgh", min_size=2, max_size=6),
                       st.dictionaries(st.sampled_from(["A", "B", "C"]), st.integers(0, 2), min_size=1),
                       min_size=1, max_size=30))
def test_every_name_gets_exactly_one_of_the_languages_its_sources_give(given_by):
    labels = build.resolve(given_by, {"A": 2, "B": 2, "C": 1}, {})
    assert set(labels) == set(given_by)
    assert all(labels[n] in langs for n, langs in given_by.items())


@pytest.mark.parametrize("name,second", [("Petrosyan", "Petrosian"), ("Hovhannisyan", "Hovhannisian"),
                                         ("Sargsyan", "Sargsian"), ("Aliyan", ""), ("Beridze", "")])
def test_armenian_names_get_their_diaspora_spelling_too(name, second):
    """-yan after a consonant is also written -ian; other names have one spelling."""
    assert build.SECOND_SPELLINGS["Armenian"](name) == second


def test_vietnamese_family_names_from_streets_named_after_people():
    """Only streets whose second word is a Vietnamese middle name give a family name (Phan Văn Trị)."""
    pytest.importorskip("faker")
    found = build.street_surnames("vi_VN")
    assert {"Phan", "Võ", "Huỳnh", "Nguyễn"} <= set(found)
    assert not {"Cách", "Hai", "Điện", "Pasteur"} & set(found)


def test_the_shipped_corpus_gives_every_name_one_language():
    """data/names as built: no name is in two languages' files (what resolve is for)."""
    from rnn_tui import data

    assert data.load("names").shared() == {}


def test_the_record_of_shared_names_matches_the_files():
    """names/shared.tsv: each name is filed under the language it says, one of the languages listed."""
    from rnn_tui import data

    corpus = data.load("names")
    filed = dict(zip(corpus.names, corpus.languages))
    rows = [line.split("\t") for line in (data.shipped_data("names") / "shared.tsv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(rows) > 1000
    for name, languages, chosen, step in rows:
        assert chosen in languages.split(",") and len(languages.split(",")) > 1 and step in "123"
        assert filed[data.fold(name)] == chosen
    assert data.shared_in_sources()["smith"] == ["Dutch", "English", "French", "Irish", "Swedish"]
