"""A question box: typed number or vector, or a choice, marked against the engine's value.

A wrong try shows the hint; a second wrong try shows the worked answer.
Either a right answer or a shown answer counts as answered, and the box
tells its screen with a QuestionBox.Answered message.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ... import safe
from ...lessons import Question, format_answer, mark

TRIES_BEFORE_ANSWER = 2


class QuestionBox(Vertical):
    """Asks one question and marks the answers."""

    DEFAULT_CSS = """
    QuestionBox { height: auto; border: round $accent; padding: 0 1; }
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

    def __init__(self, question: Question, expected: Any, solved: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = "question"
        self.question = question
        self.expected = expected
        self.tries = 0
        self.solved = solved

    def compose(self) -> ComposeResult:
        """Prompt, answer field, feedback."""
        yield Static(self.question.prompt, id="q-prompt")
        if self.question.kind == "choice":
            yield OptionList(*[Option(o, id=o) for o in self.question.options], id="q-answer")
        else:
            placeholder = "a number" if self.question.kind == "number" else "numbers, e.g. 1 0 5"
            yield Input(placeholder=f"type {placeholder}, then enter", id="q-answer")
        yield Static("", id="q-feedback")

    def on_mount(self) -> None:
        """Show a settled question as settled."""
        if self.solved:
            self._settle("Answered earlier: " + self._worked(), correct=True, announce=False)

    def _worked(self) -> str:
        explain = f" {self.question.explain}" if self.question.explain else ""
        return f"the answer is {format_answer(self.expected)}.{explain}"

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
        verdict = mark(self.question, self.expected, typed)
        feedback = self.query_one("#q-feedback", Static)
        if verdict.message and not verdict.correct:
            feedback.update(safe.content(verdict.message, "$warning"))   # it quotes what was typed
            return
        if verdict.correct:
            self._settle(f"Right: {self._worked()}", correct=True)
            return
        self.tries += 1
        if self.tries >= TRIES_BEFORE_ANSWER:
            self._settle(f"Not quite. {self._worked()[0].upper()}{self._worked()[1:]}", correct=False)
        else:
            feedback.update(f"[$error]Not quite.[/] Hint: {self.question.hint}")

    def _settle(self, text: str, correct: bool, announce: bool = True) -> None:
        self.solved = True
        self.add_class("solved")
        colour = "$success" if correct else "$warning"
        self.query_one("#q-feedback", Static).update(f"[{colour}]{text}[/]")
        self.query_one("#q-answer").disabled = True
        if announce:
            self.post_message(self.Answered(self, correct))
