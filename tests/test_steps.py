"""The step registry, the typed results and where each step lives."""

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies

from rnn_tui import lessons, steps
from rnn_tui.steps import registry, results
from rnn_tui.steps.results import VISUAL_KINDS
from rnn_tui.ui.widgets.kinds import VISUALS


class TestRegistry:
    """Registering, running and resolving."""

    def test_a_second_function_with_the_same_name_is_refused(self, monkeypatch):
        """Registering a name twice raises, naming both modules, and keeps the first."""
        monkeypatch.setattr(registry, "STEPS", dict(registry.STEPS))
        first = registry.STEPS["running_sum"]

        def running_sum(word: str) -> dict:
            return {}

        with pytest.raises(ValueError, match="two step functions are named 'running_sum'"):
            registry.step(running_sum)
        assert registry.STEPS["running_sum"] is first

    def test_run_calls_by_name_and_refuses_unknown_names(self):
        """run() passes keyword arguments; an unknown name is a KeyError."""
        assert steps.run("running_sum", {"word": "cat"})["total"] == 1 + 0 + 5
        with pytest.raises(KeyError, match="no step function named 'nope'"):
            steps.run("nope", {})

    def test_resolve_goes_through_dicts_typed_results_and_lists(self):
        """Dotted paths walk dict keys, dataclass fields and indices; a wrong part names itself."""
        result = {"t": results.table(["a", "b"], [[1, 2], [3, 4]]), "codes": {"k": [4]}}
        assert steps.resolve(result, "t.rows.1.0") == 3
        assert steps.resolve(result, "t.columns") == ("a", "b")
        assert steps.resolve(result, "codes.k.0") == 4
        for path, message in (("t.nothing", "no field 'nothing'"), ("t.rows.9", "no index '9'"),
                              ("codes.k.0.x", "goes past a plain value")):
            with pytest.raises(KeyError, match=message):
                steps.resolve(result, path)

    def test_the_step_sum_does_not_shadow_the_engines(self):
        """The engine's sum_encoding and weighted_encoding are not names of steps."""
        assert "sum_encoding" not in steps.STEPS and "weighted_encoding" not in steps.STEPS


class TestResults:
    """The constructors build immutable, checked results."""

    def test_matrix_rounds_and_checks_its_labels(self):
        """Values rounded to the digits asked; labels must match the shape."""
        m = results.matrix(np.array([[0.12345, 1.0], [2.0, -3.33333]]), ["r0", "r1"], "ab", 2, highlight=[1])
        assert m.values == ((0.12, 1.0), (2.0, -3.33)) and m.cols == ("a", "b") and m.highlight == (1,)
        with pytest.raises(ValueError, match="2x2 values for 3 row and 2 column labels"):
            results.matrix(np.zeros((2, 2)), ["a", "b", "c"], "ab")

    def test_results_are_immutable(self):
        """Cached results are shared between steps, so none can be changed in place."""
        t = results.table(["a"], [[1]])
        with pytest.raises(AttributeError):
            t.rows = ()          # type: ignore[misc]
        live = results.live({"data": "cats", "epochs": 3})
        with pytest.raises(TypeError):
            live.preset["epochs"] = 4   # type: ignore[index]

    def test_every_visual_kind_has_a_widget_and_no_widget_lacks_a_kind(self):
        """The UI draws exactly the kinds the checker accepts."""
        assert set(VISUALS) == set(VISUAL_KINDS)

    def test_the_check_refuses_a_field_of_the_wrong_type(self, tmp_path):
        """A table visual pointed at a plain number is reported with the constructor to use."""
        folder = tmp_path / "01-demo"
        folder.mkdir()
        (folder / "lesson.md").write_text("## Intro\n\nHello.\n")
        (folder / "lesson.toml").write_text('format_version = 1\ntitle = "x"\npart = 1\n[[steps]]\nprose = "intro"\n'
                                            'call = "running_sum"\nargs = { word = "cat" }\n'
                                            'show = [{ visual = "table", field = "total" }]\n')
        problems = lessons.check(lessons.load_all(tmp_path))
        assert problems == ["01-demo step 1: field 'total' is a int, but a table visual draws a Table "
                            "(build it with steps.results.table())"]


def test_each_call_is_defined_in_the_module_of_the_first_lesson_that_calls_it():
    """`call = "x"` in lessons/NN-*/lesson.toml leads to rnn_tui/steps/lessonMM.py, MM the first lesson calling x."""
    first: dict[str, int] = {}
    for lesson in lessons.load_all():
        for st in lesson.steps:
            if st.call:
                first.setdefault(st.call, lesson.number)
    assert first, "the course calls no step"
    for call, number in first.items():
        assert steps.module_of(call) == f"rnn_tui.steps.lesson{number:02d}", call
    for name in steps.STEPS:
        assert re.fullmatch(r"rnn_tui\.steps\.lesson\d\d", steps.module_of(name)), name


class TestStepFunctions:
    """Step functions against the engine they explain."""

    def test_bptt_matches_the_engines_backward(self):
        """common.bptt's dL/dW (no window) equals engine rnn.backward's, on the pretrained model."""
        from rnn_tui.engine import rnn
        from rnn_tui.steps.common import bptt, pretrained

        m = pretrained()
        P = {k: v.astype(np.float64) for k, v in m.params.items()}
        for word, y in (("kowalski", 3), ("o", 0), ("papadopoulos", 7)):
            codes = m.vocab.encode(word)
            dW, norms = bptt(P, codes, y)
            G = rnn.zero_grads(P)
            rnn.backward(P, rnn.forward(P, codes), y, grads=G)
            np.testing.assert_allclose(dW, G["W"], rtol=1e-9, atol=1e-12)
            assert len(norms) == len(word)

    def test_truncated_bptt_keeps_only_the_last_steps(self):
        """A window as long as the word changes nothing; a window of 1 keeps only the last outer product."""
        from rnn_tui.steps.common import bptt, pretrained

        m = pretrained()
        P = {k: v.astype(np.float64) for k, v in m.params.items()}
        codes = m.vocab.encode("kowalski")
        full, _ = bptt(P, codes, 2)
        same, _ = bptt(P, codes, 2, window=len(codes))
        one, _ = bptt(P, codes, 2, window=1)
        np.testing.assert_allclose(same, full)
        assert not np.allclose(one, full)

    def test_recurrence_equals_the_engines_forward(self):
        """results.recurrence's h_t are the engine's hidden states, and each sum is W h_{t-1} + U x_t."""
        from rnn_tui.engine import rnn
        from rnn_tui.steps.common import pretrained

        m = pretrained()
        codes = m.vocab.encode("nakamura")
        r = results.recurrence("nakamura", codes, m.params["W"], m.params["U"], digits=12)
        hs = rnn.forward({k: v.astype(np.float64) for k, v in m.params.items()}, codes).hs
        for t, s in enumerate(r.steps, 1):
            np.testing.assert_allclose(s.h, hs[t], atol=1e-6)
            np.testing.assert_allclose(s.z, np.add(s.Wh, s.Ux), atol=1e-9)
            np.testing.assert_allclose(s.Ux, m.params["U"][:, codes[t - 1]], atol=1e-6)

    @pytest.mark.parametrize("call,args,field", [
        ("running_sum", {"word": "katze"}, "total"), ("running_weighted_sum", {"word": "cat"}, "total"),
        ("bag_steps", {"word": "cat"}, "h"), ("u_column", {"char": "k"}, "code"),
        ("recurrence_steps", {"word": "cat"}, "h"), ("name_recurrence", {"name": "Kowalski"}, "steps"),
    ])
    def test_steps_compute_from_their_input(self, call, args, field):
        """Each answer field is worked out from the input: it matches an independent computation."""
        from rnn_tui.engine import rnn
        from rnn_tui.engine.vocab import Vocab

        v = Vocab("acehktz")
        got = steps.run(call, args)[field]
        expected = {
            "running_sum": lambda: sum(v.code(c) for c in "katze"),
            "running_weighted_sum": lambda: 4 * v.code("c") + 2 * v.code("a") + v.code("t"),
            "bag_steps": lambda: [int(c in "cat") for c in "acehktz"],
            "u_column": lambda: v.code("k"),
            "recurrence_steps": lambda: [round(float(x), 3) for x in rnn.forward(
                rnn.init_params(7, 4, 3, init="article", seed=1, dtype=np.float64), v.encode("cat")).h],
            "name_recurrence": lambda: len("kowalski"),
        }[call]()
        assert got == expected


def test_the_larger_part_of_the_sum_follows_the_engines_norms():
    """Lesson 10's question: at the last t, W h_{t-1} against U x_t, from the engine's own forward pass."""
    from rnn_tui.engine import rnn
    from rnn_tui.steps.common import pretrained

    m = pretrained()
    P = {k: v.astype(np.float64) for k, v in m.params.items()}
    seen = set()
    for name in ("k", "Papadopoulos", "Li"):
        codes = m.vocab.encode(m.read(name).used)
        hs = rnn.forward(P, codes).hs
        memory = np.linalg.norm(P["W"] @ hs[-2])
        character = np.linalg.norm(P["U"][:, codes[-1]])
        want = "W h_{t-1}" if memory > 1.25 * character else "U x_t" if character > 1.25 * memory else "about the same"
        got = steps.run("name_recurrence", {"name": name})["larger"]
        assert got == want, name
        seen.add(got)
    assert seen == {"W h_{t-1}", "U x_t"}


def test_lesson_5_reports_how_far_training_moved_w_from_the_identity():
    """The facts panel's drift is measured against the article's starting W = I, not against W itself."""
    r = steps.run("train_cats", {})
    W = np.array(r["W"].values)
    drift = float(dict(r["facts"].items)["largest change in W since the identity"])
    assert drift == pytest.approx(np.abs(W - np.eye(len(W))).max(), abs=2e-3) and drift > 0.1


def test_a_word_with_symbols_says_what_the_model_left_out():
    """Lesson 1 step 4 read '[b]x[/b]' as 'bxb' and said nothing of the brackets (found by helper review);
    its facts now list what was left out, and a plain word gets no such line."""
    from rnn_tui.steps.lesson01 import word_vector

    items = dict(word_vector("[b]x[/b]")["facts"].items)
    assert items["word"] == "bxb" and set(items["left out (not letters)"].split()) == set("[]/")
    assert not any(label.startswith("left out") for label, _ in word_vector("katze")["facts"].items)


@settings(max_examples=200, deadline=None)
@given(strategies.text(max_size=80))
def test_what_was_read_accounts_for_every_character_and_shows_no_control_character(typed):
    """Whatever is typed: each line what_was_read gives is printable (an escape shows as \\x1b, it is not sent
    to the terminal), and every character the model left out is named."""
    from rnn_tui.steps.common import pretrained, what_was_read

    r = pretrained().read(typed)
    notes = dict(what_was_read(r))
    assert all(v.isprintable() for v in notes.values())
    left_out = {*r.removed, *(c for _, c in r.dropped)}
    if left_out:
        named = notes["left out (not letters)"].split(" ")
        assert all((c if c.isprintable() else repr(c)[1:-1]) in named for c in left_out)
    else:
        assert "left out (not letters)" not in notes
    assert ("folded to ASCII" in notes) == bool(r.changed)


@pytest.mark.parametrize("word,right", [("cat", "left"), ("katze", ["both", "left", "right"])])
def test_padding_answer_follows_the_engine_for_the_word_typed(word, right):
    """Lesson 8 step 3 marked 'left' wrong for katze, which needs no padding, while its table said left padding
    kept h (found by review): a word that fills all 5 steps makes left, right and both right answers."""
    r = steps.run("padding_effect", {"word": word, "with_bias_rows": False})
    same = {row[1] for row in r["table"].rows if row[3] == "yes" and row[1] in ("left", "right")}
    assert r["neutral_without_bias"] == right
    assert same == ({"left", "right"} if isinstance(right, list) else {right})


def test_lesson_11_step_3_does_not_show_step_4s_answer():
    """Answering 11.3 (|h_0|) opened a table whose 'steps of W' column answered 11.4 (found by review)."""
    words = ["cat", "katze", "papadopoulos"]
    before = steps.run("fresh_state", {"words": words, "count_steps": False})
    after = steps.run("fresh_state", {"words": words})
    assert "steps of W" not in before["table"].columns and "steps of W" in after["table"].columns
    assert before["steps"] == after["steps"] and after["steps"]["katze"] == 5
