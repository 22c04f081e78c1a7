"""The home screen: an introduction or the course's progress, the lessons by part, and "resume" first."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ... import safe
from ...lessons import PARTS, Lesson
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from ..app import RnnTuiApp

MARKS = {"not started": "○", "in progress": "◐", "done": "●"}
INTRO = ("A recurrent neural network turns a word of any length into a fixed-length vector with a few "
         "matrices in a loop: h = tanh(W h + U x), then o = V h.  These lessons build one from nothing, "
         "following Terence Parr's article, and run every step on a real engine.  Each step asks you to "
         "predict before it shows you.  Enter starts; ? lists every key.")


class HomeScreen(Screen):
    """Lists every lesson; enter opens the highlighted one."""

    BINDINGS = [Binding("enter", "open", "Open", show=True, priority=False)]

    @property
    def tutor(self) -> RnnTuiApp:
        """The app, with its lessons and progress."""
        return cast("RnnTuiApp", self.app)

    def compose(self) -> ComposeResult:
        """Header, the introduction or progress, the lesson list, the highlighted lesson's summary, footer."""
        yield Header()
        yield Static("Lessons", id="home-title")
        yield Static("", id="home-intro")
        yield OptionList(id="lesson-list")
        yield Static("", id="lesson-summary")
        yield KeyFooter()      # one widget draws the line: Textual's Footer mounted a widget per key, again
                               # on every screen pushed above this one (10 widgets, 8 ms in the lab's opening)

    def on_mount(self) -> None:
        """Fill the list."""
        self.refresh_list()

    def on_screen_resume(self) -> None:
        """Statuses change while a lesson is open: redraw on return."""
        self.refresh_list()

    def on_resize(self) -> None:
        """Titles are cut to the width: redraw the list when it changes."""
        if self.is_mounted:
            self.refresh_list()

    def refresh_list(self) -> None:
        """Rebuild the options and the progress line from the lessons and the saved progress."""
        app = self.tutor
        self.query_one("#home-intro", Static).update(self.progress_text())
        resume = Text(safe.printable(self._resume_label()), no_wrap=True, overflow="ellipsis")
        options: list[Option | None] = [Option(resume, id="resume"), None]
        for part, title in PARTS.items():
            lessons = [x for x in app.lessons if x.part == part]
            if not lessons:
                continue
            options.append(Option(Text(title, style="bold", no_wrap=True, overflow="ellipsis"), disabled=True))
            for lesson in lessons:
                options.append(Option(self._lesson_line(lesson), id=f"lesson:{lesson.id}"))
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(options)
        listing.highlighted = highlighted if highlighted is not None else 0
        listing.focus()

    def _lesson_line(self, lesson: Lesson) -> Text:
        """One lesson on one line: its mark, number and title, then its status (cut first when narrow)."""
        status = self.tutor.status(lesson)
        line = Text(no_wrap=True, overflow="ellipsis")
        section = lesson.section if lesson.section[:1].isdigit() else ""
        line.append(f"  {MARKS[status]} {lesson.number:02d}  {section:>5}  ")
        width = max(len(x.title) for x in self.tutor.lessons)
        room = self.app.size.width - 16          # the list's border, padding, margin and scroll bar
        # the option list wraps a line that does not fit, so cut the title instead (status kept whole)
        width = max(12, min(width, room - len(line) - len("   in progress") - 3))
        title = safe.printable(lesson.title)
        line.append(title.ljust(width) if len(title) <= width else title[:width - 1] + "…")
        line.append(f"   {status}", style="dim")
        return line

    def progress_text(self) -> Text:
        """The introduction on a first visit, the course's progress afterwards, a message at the end."""
        app = self.tutor
        if not app.progress.lessons:
            return Text(INTRO)
        done = sum(app.status(x) == "done" for x in app.lessons)
        asked = [(x, i) for x in app.lessons for i, s in enumerate(x.steps) if s.question is not None]
        answered = sum(i in app.progress.answered(x.id) for x, i in asked)
        if done == len(app.lessons):
            return Text(f"Course complete: all {done} lessons and {answered} questions. You have built an RNN "
                        "from matrices and watched it learn. The lab (l) and classify (c) are yours to play with.",
                        style="bold")
        return Text(f"{done} of {len(app.lessons)} lessons done · {answered} of {len(asked)} questions answered")

    def _resume_label(self) -> str:
        lesson, step = self.tutor.resume_point()
        verb = "Start" if not self.tutor.progress.lessons else "Resume where I left off"
        return f"▶ {verb}: {lesson.number:02d} {lesson.title}, step {step + 1} of {len(lesson.steps)}"

    @on(OptionList.OptionHighlighted, "#lesson-list")
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        """Called when the highlight moves: show the lesson's summary."""
        oid = event.option.id or ""
        lesson = self.tutor.resume_point()[0] if oid == "resume" else self.tutor.lesson(oid.removeprefix("lesson:"))
        summary = Text()
        if lesson is not None:
            where = f"section {lesson.section} · " if lesson.section[:1].isdigit() else ""
            summary.append(safe.printable(f"{lesson.number:02d} {lesson.title}"), style="bold")
            summary.append(safe.printable(f"  ({where}part {lesson.part})\n{lesson.summary}"))
        self.query_one("#lesson-summary", Static).update(summary)

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
            lesson, step = self.tutor.resume_point()
            self.tutor.open_lesson(lesson.id, step)
        elif oid and oid.startswith("lesson:"):
            self.tutor.open_lesson(oid.removeprefix("lesson:"))
