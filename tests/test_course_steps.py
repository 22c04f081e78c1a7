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
