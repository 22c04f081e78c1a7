"""The course's step functions: typed input changes the answer, and bad input is one clear line.

Every question that has a text box must be answered from what is typed, so
a step that ignores its input (or returns a literal) fails here.  Every text
box must turn unusable input into a StepInputError, never another exception.
"""

from __future__ import annotations

import pytest

from rnn_tui import lessons, steps

# Inputs a learner might type into a box: words of the article's vocabulary,
# real names, single characters and time steps.
CANDIDATES = ("cat", "act", "hat", "tack", "katze", "kat", "chat", "teach", "hack", "z", "k", "a", "t",
              "Papadopoulos", "Kowalski", "Li", "Nakamura", "Schmidt", "O'Brien", "1", "2", "3", "4", "5")
HOSTILE = ("", "   ", "123", "[/]", "[bold]x[/bold]", "a" * 1000, "c" * 1024, "🐈", "\x1b[31mred", "katze\n")


def _boxed_steps(with_question: bool) -> list[tuple[str, int, lessons.Step]]:
    found = []
    for lesson in lessons.load_all():
        for i, st in enumerate(lesson.steps, 1):
            if st.textbox is not None and (st.question is not None or not with_question):
                found.append((lesson.id, i, st))
    return found


@pytest.mark.parametrize(("lesson", "number", "st"), _boxed_steps(with_question=True),
                         ids=lambda x: str(x) if not isinstance(x, lessons.Step) else "")
def test_a_question_with_a_text_box_is_answered_from_the_typed_text(lesson, number, st):
    """At least two typed inputs give two different expected answers."""
    assert st.question is not None
    answers = set()
    for typed in (st.textbox.default, *CANDIDATES):
        try:
            result = st.compute(typed)
        except steps.StepInputError:
            continue
        answers.add(repr(steps.resolve(result, st.question.answer)))
        if len(answers) > 1:
            return
    pytest.fail(f"{lesson} step {number}: every input gives the answer {answers}")


@pytest.mark.parametrize(("lesson", "number", "st"), _boxed_steps(with_question=False),
                         ids=lambda x: str(x) if not isinstance(x, lessons.Step) else "")
def test_hostile_input_in_a_text_box_is_a_one_line_step_error(lesson, number, st):
    """Blank, digits, markup, 1,000 letters, an emoji or an escape: a result or one line, never a crash."""
    for typed in HOSTILE:
        try:
            st.compute(typed)
        except steps.StepInputError as e:
            assert str(e) and "\n" not in str(e), (lesson, number, typed)


MANGLED = "[b]Zé😀1"          # read as 'bze': brackets, an emoji and a digit left out, é folded to e


def test_every_step_that_reads_a_typed_name_says_what_it_left_out_and_folded():
    """Lesson 10 step 3 showed '[b]Zé😀1' as 't = 1 of 3: bze', and lesson 12 '[b]Smith[/b]' as 'bsmithb', with
    no word about the rest (found by review).  Every boxed step that accepts such a name now says, in a facts
    panel open before any answer, which characters it left out and which it folded."""
    accepted = []
    for lesson in lessons.load_all():
        for number, st in enumerate(lesson.steps, 1):
            if st.textbox is None:
                continue
            for typed in (MANGLED, f"{MANGLED} English"):      # lesson 12 wants a language after the name
                try:
                    result = st.compute(typed)
                except steps.StepInputError:
                    continue
                accepted.append((lesson.id, number))
                shown = [dict(result[s.field].items) for s in st.show if s.visual == "facts" and not s.hidden]
                notes = next((items for items in shown if "left out (not letters)" in items), None)
                assert notes is not None, (lesson.id, number, shown)
                assert set(notes["left out (not letters)"].split()) == {"[", "]", "😀", "1"}, (lesson.id, number)
                assert notes["folded to ASCII"] == "é→e", (lesson.id, number)
                break
    assert {(10, 1), (10, 3), (11, 7), (12, 1)} <= {(int(lid[:2]), n) for lid, n in accepted}, accepted
