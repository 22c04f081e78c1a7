"""A question box: typed number or vector, or a choice, marked against the engine's value.

A wrong try shows the hint; a second wrong try shows the worked answer.
Either a right answer or a shown answer settles the question, and the box
tells its screen with a QuestionBox.Answered message; `reveal()` shows the
answer without a try, and `retry()` opens a settled question again.  The
expected value can arrive (or change, when the learner types new input)
after the box is drawn: `set_expected()`.  Nothing typed or read from a
lesson file is ever read as markup.

Focus: while the question is open the box itself is not in the tab chain,
so tab from the step's text box lands in the answer field (a digit typed
right after tab is never lost on the box).  When the question settles the
box takes the focus back from its answer field in the same call, before the
field is disabled, so the screen is never left with nothing focused (an
escape queued behind the answer then leaves the box, not the lesson).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ... import safe
from ...lessons import Question, choices, format_answer, mark

TRIES_BEFORE_ANSWER = 2


def styled(style: str, text: str) -> Content:
    """Text in one of the theme's styles ('$warning', '$success'...): never read as markup, escapes removed."""
    return safe.content(text, style)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class Choices(OptionList, inherit_bindings=False):
    """The options of a choice question: up/down/enter only, so left and right still move between steps."""

    BINDINGS = list(OptionList.BINDINGS)


class QuestionBox(Vertical, can_focus=True):
    """Asks one question and marks the answers."""

    BINDINGS = [Binding("escape", "screen.back", "Leave box")]      # the footer says what escape does here

    DEFAULT_CSS = """
    QuestionBox { height: auto; border: round $accent; padding: 0 1; }
    QuestionBox:focus-within, QuestionBox:focus { border: round $primary; }
    QuestionBox #q-prompt { margin-bottom: 1; }
    QuestionBox OptionList { height: auto; max-height: 8; }
    QuestionBox #q-feedback { margin-top: 1; height: auto; }
    QuestionBox.solved { border: round $success; }
    """

    class Answered(Message):
        """The question is settled: answered right, or its answer shown."""

        def __init__(self, box: QuestionBox, correct: bool) -> None:
            super().__init__()
            self.box = box
            self.correct = correct

    class Reopened(Message):
        """A settled question is open again for another try."""

        def __init__(self, box: QuestionBox) -> None:
            super().__init__()
            self.box = box

    def __init__(self, question: Question, expected: Any = None, solved: bool = False,
                 on_answer: Callable[[bool], None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_answer = on_answer          # called at once when the question settles (the message may come later)
        self.border_title = "question"
        self.question = question
        self.expected = expected
        self.tries = 0
        self.solved = solved
        self.can_focus = solved                 # open: tab goes straight to the answer field
        self._waiting: str | None = None        # an answer given before the expected one was computed

    def compose(self) -> ComposeResult:
        """Prompt, answer field, feedback."""
        yield Static(safe.content(self.question.prompt), id="q-prompt")
        if self.question.kind == "choice":
            yield Choices(*[Option(Text(o), id=o) for o in self.question.options], id="q-answer")
        else:
            placeholder = "a number" if self.question.kind == "number" else "numbers, e.g. 1 0 5"
            yield Input(placeholder=f"type {placeholder}, then enter", id="q-answer")
        yield Static("", id="q-feedback")

    def on_mount(self) -> None:
        """Show a settled question as settled."""
        if self.solved:
            self._settle("Answered earlier. " + self._worked(), correct=True, announce=False)

    @property
    def answer_field(self) -> Input | OptionList:
        """The Input or OptionList that takes the answer."""
        field = self.query_one("#q-answer")
        assert isinstance(field, (Input, OptionList))
        return field

    def set_expected(self, expected: Any) -> None:
        """The engine's value for the current input (arrives after computing, changes with the input)."""
        changed = expected != self.expected
        self.expected = expected
        if self.solved and changed:
            self._feedback(styled("$success" if self.has_class("right") else "$warning", _capital(self._worked())))
        if expected is not None and self._waiting is not None:
            typed, self._waiting = self._waiting, None
            self.attempt(typed)                 # the answer given while the step was computing

    def _worked(self) -> str:
        explain = f" {self.question.explain}" if self.question.explain else ""
        if self.question.kind == "choice":
            right = choices(self.expected)
            offered = {str(o).lower() for o in self.question.options}
            shown = [str(x) for x in right if str(x).lower() in offered] or [str(x) for x in right]
            if len(shown) > 1:                   # (a right answer that is no option, a typed word, is not named)
                return f"{', '.join(shown[:-1])} and {shown[-1]} are all right.{explain}"
            if shown:
                return f"the answer is {shown[0]}.{explain}"
        return f"the answer is {format_answer(self.expected)}.{explain}"

    def _feedback(self, content: Content) -> None:
        self.query_one("#q-feedback", Static).update(content)

    def _tell(self, content: Content) -> None:
        """Feedback on a try that leaves the question open: scrolled into view once laid out, since the
        field keeps the focus and nothing else would bring a line below the pane's edge on screen."""
        self._feedback(content)
        self.call_after_refresh(self._feedback_into_view)

    def _feedback_into_view(self) -> None:
        feedback = self.query_one_optional("#q-feedback", Static)
        if feedback is not None and self.is_attached:
            feedback.scroll_visible(animate=False)

    @on(Input.Submitted, "#q-answer")
    def _typed(self, event: Input.Submitted) -> None:
        """Called when an answer is typed and entered."""
        event.stop()
        self.attempt(event.value)

    @on(OptionList.OptionSelected, "#q-answer")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Called when a choice is picked."""
        event.stop()
        self.attempt(str(event.option.id))

    def attempt(self, typed: str) -> None:
        """Mark one try and say what happens next."""
        if self.solved:
            return
        if self.expected is None:
            self._waiting = typed
            self._tell(styled("$warning", "Still computing: your answer is checked as soon as the step is."))
            return
        verdict = mark(self.question, self.expected, typed)
        if verdict.message and not verdict.correct:
            self._tell(styled("$warning", verdict.message))
            return
        if verdict.correct:
            self._settle(f"Right: {self._worked()}", correct=True)
            return
        self.tries += 1
        if self.tries >= TRIES_BEFORE_ANSWER:
            self._settle(f"Not quite. {_capital(self._worked())}", correct=False)
        else:
            self._tell(styled("$error", "Not quite.") + Content(f" Hint: {self.question.hint}"))

    def reveal(self) -> None:
        """Show the worked answer without a try (it counts as settled, not as right)."""
        if self.solved or self.expected is None:
            return
        self._settle(f"Revealed: {self._worked()}", correct=False)

    def retry(self) -> None:
        """Open a settled question again: the field is cleared and enabled, the tries start over."""
        if not self.solved:
            return
        self.solved = False
        self.tries = 0
        self.remove_class("solved", "right")
        field = self.answer_field
        field.disabled = False
        if isinstance(field, Input):
            field.value = ""
        self._feedback(Content("Try again: change the input above if you like, then answer."))
        field.focus()
        self.can_focus = False
        self.post_message(self.Reopened(self))

    def _scroll_into_view(self) -> None:
        """Scroll the settled box into view; when it is taller than the pane (80x24), the feedback wins."""
        if self.screen.focused is not self or self.screen.can_view_entire(self):
            return
        self.scroll_visible(animate=False)
        self.query_one("#q-feedback").scroll_visible(animate=False)

    def _settle(self, text: str, correct: bool, announce: bool = True) -> None:
        self.solved = True
        self.add_class("solved")
        self.set_class(correct, "right")
        self._feedback(styled("$success" if correct else "$warning", text)
                       + Content("   (t: try again)"))
        self.can_focus = True
        if self.answer_field.has_focus:
            # at once, not through focus()'s call_later: disabling a focused field would leave the screen
            # with no focus until then, and an escape already queued would leave the lesson
            self.screen.set_focus(self, scroll_visible=False)
            # once the feedback is laid out, and the panels the answer reveals above the box
            self.call_after_refresh(self.call_after_refresh, self._scroll_into_view)
        self.answer_field.disabled = True
        if announce:
            if self.on_answer is not None:
                self.on_answer(correct)
            self.post_message(self.Answered(self, correct))
