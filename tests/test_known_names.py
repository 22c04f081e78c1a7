"""The shipped model on well-known family names: a quality gate on the artifact we ship.

The list (tests/data/known_names.tsv) was written from general knowledge before
the model was scored on it.  Goals from issue 15: at least 90 % right overall,
and at least 80 % of the names that are not in data/names, so that the model
has learnt the languages and not only the list.  bench/known_names.py prints
the same scores per language, with the mistakes.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from rnn_tui import data
from rnn_tui.model import held_out, load
from rnn_tui.resources import pretrained_model

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("known_names_bench", ROOT / "bench" / "known_names.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module                 # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _bench()


@pytest.fixture(scope="module")
def verdicts():
    """The shipped model's answer for every listed name."""
    model = load(pretrained_model())
    return bench.judge(model, bench.read_list(), set(data.load("names").names))


def test_the_list_covers_every_shipped_language():
    """At least 60 names, at least 4 for each language of the shipped model, and no other language."""
    pairs = bench.read_list()
    per_language = Counter(lang for _, lang in pairs)
    model = load(pretrained_model())
    assert len(pairs) >= 60
    assert set(per_language) == set(model.languages)
    assert min(per_language.values()) >= 4
    assert len({data.fold(n) for n, _ in pairs}) == len(pairs), "a name is listed twice"


# Issue 15's goal for the names the corpus lacks is not met by the shipped vanilla RNN (figures and
# the reasons in data/README.md: 10 of the 15 are right, 12 are needed).  strict: a model that meets
# it fails the suite until the mark is removed, so the gate cannot stay switched off unnoticed.
GOAL_NOT_MET = pytest.mark.xfail(strict=True, reason="issue 15 goal not met by the shipped model; "
                                 "see data/README.md and python bench/known_names.py")


def test_most_well_known_names_are_right(verdicts):
    """At least 90 % of the list gets its expected language."""
    wrong = [f"{v.name}: {v.predicted}, not {v.expected}" for v in verdicts if not v.right]
    assert bench.share(verdicts) >= 0.90, wrong


@GOAL_NOT_MET
def test_names_the_corpus_lacks_are_mostly_right(verdicts):
    """At least 80 % of the listed names that are not in data/names get their language."""
    outside = [v for v in verdicts if not v.in_corpus]
    assert len(outside) >= 10, "too few unseen names to measure generalisation"
    wrong = [f"{v.name}: {v.predicted}, not {v.expected}" for v in outside if not v.right]
    assert bench.share(outside) >= 0.80, wrong


@pytest.mark.parametrize("line,message", [
    ("Smith English", "expected 'name<TAB>language'"),
    ("Smith\t", "expected 'name<TAB>language'"),
    ("\tEnglish", "expected 'name<TAB>language'"),
])
def test_a_malformed_list_line_is_named(tmp_path, line, message):
    """A line without a name, a tab and a language is refused with its line number."""
    path = tmp_path / "list.tsv"
    path.write_text(f"# a comment\nMüller\tGerman\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"list.tsv, line 3: {message}"):
        bench.read_list(path)


def test_the_shipped_model_balances_its_languages():
    """Issue 15's other goal: balanced accuracy of at least 0.60 on its own validation split.

    The model must have been trained on the shipped corpus as it is now (a rebuilt
    corpus needs a retrained model).  A model refit on every name has trained on
    its validation split too: its scores are the ones recorded when its settings
    were chosen, and the bench must report those, not a re-scoring of names it learnt.
    """
    model = load(pretrained_model())
    assert model.meta["data"]["fingerprint"] == data.load("names").fingerprint()
    accuracy, balanced, n = bench.validation_scores(model, "names")
    assert n > 1000 and balanced >= 0.60, (accuracy, balanced)
    if not held_out(model.meta):
        recorded = model.meta["metrics"]
        assert (accuracy, balanced, n) == (recorded["accuracy"], recorded["balanced_accuracy"], recorded["n"])


def test_the_bench_prints_the_goals(capsys):
    """bench/known_names.py runs on the shipped model and prints every score it promises."""
    assert bench.main([]) == 0
    out = capsys.readouterr().out
    for text in ("well-known names:", "in the corpus:", "not in the corpus:", "Vietnamese",
                 "validation split of names:", "balanced accuracy"):
        assert text in out
    assert "not the data this model was trained on" not in out


def test_a_refit_model_is_not_rescored_on_names_it_learnt():
    """Re-scoring the refit model on its old validation split would flatter it: the bench must not."""
    from dataclasses import replace

    model = load(pretrained_model())
    if held_out(model.meta):
        pytest.skip("the shipped model was not refit")
    as_if_held_out = replace(model, meta={**model.meta, "data": {k: v for k, v in model.meta["data"].items()
                                                                  if k != "refit"}})
    _, rescored, _ = bench.validation_scores(as_if_held_out, "names")
    _, reported, _ = bench.validation_scores(model, "names")
    assert rescored > reported + 0.05, (rescored, reported)
