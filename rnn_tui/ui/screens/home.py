"""The home screen: the lessons by part with their status, and "resume" first."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...lessons import PARTS

MARKS = {"not started": "○", "in progress": "◐", "done": "●"}


class HomeScreen(Screen):
    """Lists every lesson; enter opens the highlighted one."""

    BINDINGS = [Binding("enter", "open", "Open", show=True, priority=False)]

    def compose(self) -> ComposeResult:
        """Header, the lesson list, a description of the highlighted lesson, footer."""
        yield Header()
        yield Static("Lessons", id="home-title")
        yield OptionList(id="lesson-list")
        yield Static("", id="lesson-summary")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the list."""
        self.refresh_list()

    def on_screen_resume(self) -> None:
        """Statuses change while a lesson is open: redraw on return."""
        self.refresh_list()

    def refresh_list(self) -> None:
        """Rebuild the options from the lessons and the saved progress."""
        app = self.app
        options: list[Option | None] = [Option(self._resume_label(), id="resume"), None]
        for part, title in PARTS.items():
            lessons = [x for x in app.lessons if x.part == part]
            if not lessons:
                continue
            options.append(Option(f"[b]{title}[/b]", disabled=True))
            for lesson in lessons:
                status = app.status(lesson)
                options.append(Option(f"  {MARKS[status]} {lesson.number:02d}  {lesson.section:>5}  "
                                      f"{lesson.title:<52} [dim]{status}[/dim]", id=f"lesson:{lesson.id}"))
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(options)
        listing.highlighted = highlighted if highlighted is not None else 0
        listing.focus()

    def _resume_label(self) -> str:
        lesson, step = self.app.resume_point()
        verb = "Start" if not self.app.progress.lessons else "Resume where I left off"
        return f"▶ {verb}: {lesson.number:02d} {lesson.title}, step {step + 1} of {len(lesson.steps)}"

    @on(OptionList.OptionHighlighted, "#lesson-list")
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        """Called when the highlight moves: show the lesson's summary."""
        oid = event.option.id or ""
        lesson = self.app.resume_point()[0] if oid == "resume" else self.app.lesson(oid.removeprefix("lesson:"))
        self.query_one("#lesson-summary", Static).update(
            f"[b]{lesson.section} {lesson.title}[/b]\n{lesson.summary}" if lesson else "")

    @on(OptionList.OptionSelected, "#lesson-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        """Called when an option is chosen (enter or click)."""
        self._open_option(event.option.id)

    def action_open(self) -> None:
        """Open the highlighted entry."""
        listing = self.query_one(OptionList)
        if listing.highlighted is not None:
            self._open_option(listing.get_option_at_index(listing.highlighted).id)

    def _open_option(self, oid: str | None) -> None:
        if oid == "resume":
            lesson, step = self.app.resume_point()
            self.app.open_lesson(lesson.id, step)
        elif oid and oid.startswith("lesson:"):
            self.app.open_lesson(oid.removeprefix("lesson:"))
