"""A lesson: its prose as Markdown beside the step's live visuals and question.

Moving through steps: right, space or enter go on; left or backspace go
back; n and p change lesson; escape goes back to the lessons.  A step with a
text box recomputes its engine call on every keystroke.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Markdown, Static

from ... import safe
from ...lessons import Lesson, Step
from ...steps import StepInputError, resolve
from ..widgets.question import QuestionBox
from ..widgets.visuals import VISUALS

NARROW = 110       # below this width the visuals go under the prose


class LessonScreen(Screen):
    """Shows one lesson, one step at a time."""

    BINDINGS = [
        Binding("right,space,enter", "next_step", "Next step"),
        Binding("left,backspace", "previous_step", "Previous step"),
        Binding("n", "next_lesson", "Next lesson"),
        Binding("p", "previous_lesson", "Previous lesson"),
        Binding("escape", "back", "Lessons"),
    ]

    def __init__(self, lesson: Lesson, step: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = max(0, min(step, len(lesson.steps) - 1))

    @property
    def step(self) -> Step:
        """The step shown now."""
        return self.lesson.steps[self.index]

    def compose(self) -> ComposeResult:
        """Prose on the left (or top), the step's work on the right (or below)."""
        yield Header()
        with Horizontal(id="lesson-body"):
            with VerticalScroll(id="prose-pane"):
                yield Markdown(id="prose")
            with VerticalScroll(id="work-pane"):
                yield Static(id="step-label")
                with Vertical(id="textbox-row"):
                    yield Input(id="textbox")
                    yield Static(id="textbox-error")
                yield Vertical(id="visuals")
        yield Footer()

    async def on_mount(self) -> None:
        """Show the first step."""
        self.sub_title = f"{self.lesson.section} {self.lesson.title}"
        self.query_one("#work-pane").can_focus = False     # tab goes prose -> text box -> answer
        self._layout_for(self.app.size.width)
        await self.show_step()

    def on_resize(self, event) -> None:
        """Stack prose and visuals on narrow terminals."""
        self._layout_for(event.size.width)

    def _layout_for(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")

    # ------------------------------------------------------------------ steps

    async def show_step(self) -> None:
        """Draw the current step from scratch and record the visit."""
        st = self.step
        self.app.record_visit(self.lesson.id, self.index)
        self.query_one("#prose", Markdown).update(self.lesson.markdown(st))
        self.query_one("#prose-pane").scroll_home(animate=False)
        self.query_one("#step-label", Static).update(
            f"[b]{self.lesson.number:02d} · {self.lesson.title}[/b]  ·  step {self.index + 1} of "
            f"{len(self.lesson.steps)}")
        box = self.query_one("#textbox", Input)
        self.query_one("#textbox-row").display = st.textbox is not None
        self.query_one("#textbox-error", Static).update("")
        if st.textbox is not None:
            box.border_title = st.textbox.label
            with box.prevent(Input.Changed):
                box.value = st.textbox.default
        visuals = self.query_one("#visuals", Vertical)
        await visuals.remove_children()
        widgets = [VISUALS[s.visual](title=s.title, classes="visual") for s in st.show]
        try:
            first = st.compute()                   # with the box's default text: drawn, and marks answers
        except StepInputError as e:
            first = None
            self.query_one("#textbox-error", Static).update(safe.content(str(e), "$warning"))  # quotes the text
        if st.question is not None and first is not None:
            expected = resolve(first, st.question.answer)
            solved = self.index in self.app.progress.of(self.lesson.id).answered
            widgets.append(QuestionBox(st.question, expected, solved=solved, id="question"))
        await visuals.mount_all(widgets)
        if first is not None:
            self._show_result(first)
        self.query_one("#prose-pane").focus()

    def _draw(self, typed: str | None) -> None:
        """Compute the step with the typed text and hand each visual its field."""
        st = self.step
        if st.call is None:
            return
        error = self.query_one("#textbox-error", Static)
        try:
            result: dict[str, Any] = st.compute(typed)
        except StepInputError as e:
            error.update(safe.content(str(e), "$warning"))   # it quotes what was typed
            return
        error.update("")
        self._show_result(result)

    def _show_result(self, result: dict[str, Any]) -> None:
        for widget, s in zip(self.query(".visual"), self.step.show):
            widget.show(resolve(result, s.field))

    @on(Input.Changed, "#textbox")
    def _typed(self, event: Input.Changed) -> None:
        """Called on every keystroke in the step's text box: recompute live."""
        self._draw(event.value)

    @on(Input.Submitted, "#textbox")
    def _leave_box(self, event: Input.Submitted) -> None:
        """Called when enter is pressed in the text box: on to the question, or back to the text."""
        event.stop()
        answer = self.query("#question #q-answer")
        (answer.first() if answer and not answer.first().disabled else self.query_one("#prose-pane")).focus()

    @on(QuestionBox.Answered)
    def _answered(self, event: QuestionBox.Answered) -> None:
        """Called when the step's question is settled."""
        self.app.record_answer(self.lesson.id, self.index)
        self.query_one("#prose-pane").focus()

    # ---------------------------------------------------------------- actions

    async def action_next_step(self) -> None:
        """Go to the next step, or say that this was the last one."""
        if self.index + 1 < len(self.lesson.steps):
            self.index += 1
            await self.show_step()
        else:
            self.notify("That was the last step: press n for the next lesson, escape for the list.",
                        timeout=4)

    async def action_previous_step(self) -> None:
        """Go back one step."""
        if self.index > 0:
            self.index -= 1
            await self.show_step()

    def action_next_lesson(self) -> None:
        """Open the next lesson."""
        self.app.open_neighbour(self.lesson, +1)

    def action_previous_lesson(self) -> None:
        """Open the previous lesson."""
        self.app.open_neighbour(self.lesson, -1)

    def action_back(self) -> None:
        """Leave an input box; outside one, go back to the lessons."""
        if isinstance(self.focused, Input) or (self.focused and self.focused.id == "q-answer"):
            self.query_one("#prose-pane").focus()
        else:
            self.app.go_home()
