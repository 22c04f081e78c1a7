"""RnnTuiApp: the lesson player.

Screens: HomeScreen (the lessons), LessonScreen (one lesson), LabScreen
(training), ClassifyScreen (a name and why), HelpScreen (the keys and
colours), TooSmallScreen (shown while the terminal is under 80x24).  The app
can open straight on a lesson step, the lab or the classify screen (Start).
Progress and the theme persist through rnn_tui.progress.  Nothing here
imports torch: the first screen paints without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from ..lessons import Lesson, load_all
from ..progress import Progress, Saver
from ..steps.process import shared as shared_steps
from . import css_preload
from .confirm import SecondPress
from .idle_gc import IdleCollector
from .screens.help import HelpScreen, keys_of
from .screens.home import HomeScreen
from .screens.lesson import LessonScreen
from .screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

INTERRUPT_SECONDS = 3.0       # ctrl+c quits if pressed again within this time
SCREENS_WARM_DELAY = 2.0      # seconds after the first paint before the lab and classify modules load


@dataclass(frozen=True)
class Start:
    """Where the app opens, above the lesson list: a lesson (and step), the lab, or classify."""

    lesson: str | None = None      # a lesson id
    step: int | None = None        # 0-based; None: the saved step
    lab: bool = False
    classify: str | None = None    # a name to classify ("" opens the screen empty)


def start_at(lessons: list[Lesson], lesson: str | None = None, lab: bool = False,
             classify: str | None = None) -> Start:
    """The Start for `launch --lesson N[.S]`, `--lab` or `--classify NAME`; ValueError says what is wrong.

    N is a lesson number and S a step number, both as the screen shows them (from 1).
    """
    if lesson is None:
        return Start(lab=lab, classify=classify)
    number, _, step = lesson.partition(".")
    try:
        n, s = int(number), int(step) if step else None
    except ValueError:
        raise ValueError(f"--lesson takes N or N.S (a lesson and step number, such as 3 or 3.2), "
                         f"not {lesson!r}") from None
    found = next((x for x in lessons if x.number == n), None)
    if found is None:
        raise ValueError(f"there is no lesson {n}; the lessons are {lessons[0].number} to {lessons[-1].number}")
    if s is not None and not 1 <= s <= len(found.steps):
        raise ValueError(f"lesson {n} has steps 1 to {len(found.steps)}, not {s}")
    return Start(lesson=found.id, step=None if s is None else s - 1)


class RnnTuiApp(App):
    """Walks through the lessons by keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "rnn-tui"
    SUB_TITLE = "an RNN is a few matrices in a loop"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),      # also where ? is typed into a box (classify)
        # short footer labels, so they fit at 120 columns; help shows the tooltips
        Binding("l", "lab", "Lab", tooltip="open the training lab: train W, U, V and watch them"),
        Binding("c", "classify", "Classify", tooltip="classify a family name and see why"),
        # over every widget's ctrl+c (copy): a box with text selected still copies it (action_interrupt)
        Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True, tooltip="quit, when pressed twice"),
    ]

    def __init__(self, lessons: list[Lesson] | None = None, progress_path: Path | None = None,
                 start: Start | None = None) -> None:
        super().__init__()
        self.fault: BaseException | None = None     # the first unhandled exception, for `rnn-tui launch`
        self.start = start or Start()
        self.lessons = lessons if lessons is not None else load_all()
        self.progress, self._notice = Progress.load(progress_path)
        self.saver = Saver(self.progress, self._save_failed)   # writes in a thread: the loop never waits on disk
        self._too_small: TooSmallScreen | None = None
        self.lab_model: Path | None = None         # the model last saved in the training lab
        self._mounted = False                       # resize events can arrive before on_mount
        self.collector = IdleCollector()            # full garbage collections while the learner pauses
        self._interrupted = SecondPress(INTERRUPT_SECONDS)   # ctrl+c quits when pressed twice

    def action_interrupt(self) -> None:
        """ctrl+c: a second press within a few seconds quits, as in most terminal programs; the first
        says so, so one slip costs nothing.  (Textual only names the key that quits.)  With text
        selected, in a box or dragged over with the mouse, it copies the text instead, as before."""
        focused = self.focused
        if isinstance(focused, Input) and focused.selected_text:
            focused.action_copy()
            return
        selected = self.screen.get_selected_text()
        if selected:
            self.copy_to_clipboard(selected)
            return
        if self._interrupted.confirmed():
            self.exit()
            return
        self.notify("Press ctrl+c again to quit.", timeout=INTERRUPT_SECONDS)

    def _handle_exception(self, error: Exception) -> None:
        """Keep the first unhandled exception: Textual prints its traceback after the terminal is
        restored, but not every time (it was missing in about one crash in fifteen on a busy machine),
        so the command line adds one line of its own."""
        if self.fault is None:
            self.fault = error
        super()._handle_exception(error)

    async def on_mount(self) -> None:
        """Restore the theme, open the lesson list, report a reset progress file."""
        theme = self.progress.settings.get("theme")
        if theme in self.available_themes:
            self.theme = theme
        await self.push_screen(HomeScreen())
        self.run_worker(shared_steps().start, thread=True, group="step-process", exit_on_error=False,
                        name="start the step process")   # it loads while the learner reads the list
        self._open_start(self.start)
        if self._notice:
            self.notify(self._notice, severity="warning", timeout=12)
        self._mounted = True
        self._check_size(self.size.width, self.size.height)
        self.call_after_refresh(self._start_collector)

    def _start_collector(self) -> None:
        """After the first paint: freeze what startup made, then collect only in pauses (idle_gc)."""
        self.collector.install()
        self.set_interval(1.0, self.collector.tick, name="idle garbage collection")
        self.call_after_refresh(self._preload_css)     # a frame later: not in the same callback

    def _preload_css(self) -> None:
        """The lesson screen's widgets' CSS, parsed while the list is read (ui/css_preload.py); the lab's
        and the classify screen's modules a moment later."""
        css_preload.preload(self)
        self.set_timer(SCREENS_WARM_DELAY, self._warm_screens)

    def _warm_screens(self) -> None:
        self.run_worker(self._import_screens, thread=True, group="warm-screens", exit_on_error=False,
                        name="import the lab and classify screens")

    def _import_screens(self) -> None:
        """Runs in a thread: the lab's and the classify screen's modules load here, not on the event loop
        (about 45 ms each, in the callback of the key that opens them), then their widgets' CSS."""
        from .. import data  # noqa: F401       (the lab looks at new data with it: 30 ms to import)
        from .screens import classify, lab  # noqa: F401

        self.call_from_thread(css_preload.preload, self)

    def on_unmount(self) -> None:
        """The app ends: the interpreter's own garbage collection settings come back."""
        self.collector.uninstall()
        self.saver.close()                          # nothing lost on quit: what is pending is written now

    async def on_event(self, event: events.Event) -> None:
        """Every event; keys and clicks also tell the idle collector that the learner is busy."""
        if isinstance(event, (events.Key, events.MouseDown)):
            self.collector.touched()
        await super().on_event(event)

    def _open_start(self, start: Start) -> None:
        """Open what the command line asked for."""
        if start.lesson is not None:
            self.open_lesson(start.lesson, start.step)
        elif start.lab:
            self.action_lab()
        elif start.classify is not None:
            self.action_classify(start.classify)

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen from the palette."""
        if self.progress.settings.get("theme") != theme:
            self.progress.set_setting("theme", theme)
            self._save()

    # ------------------------------------------------------------ lessons

    def lesson(self, lesson_id: str) -> Lesson | None:
        """A lesson by id."""
        return next((x for x in self.lessons if x.id == lesson_id), None)

    def status(self, lesson: Lesson) -> str:
        """not started, in progress or done."""
        questions = {i for i, s in enumerate(lesson.steps) if s.question is not None}
        return self.progress.status(lesson.id, len(lesson.steps), questions)

    def resume_point(self) -> tuple[Lesson, int]:
        """The lesson and step to resume: the last one opened, else the first unfinished."""
        last = self.lesson(self.progress.last) if self.progress.last else None
        if last is not None:
            return last, self.progress.of(last.id).step
        first = next((x for x in self.lessons if self.status(x) != "done"), self.lessons[0])
        return first, 0

    def open_lesson(self, lesson_id: str, step: int | None = None) -> None:
        """Show a lesson (at its saved step unless one is given) above the lesson list."""
        lesson = self.lesson(lesson_id)
        if lesson is None:
            return
        if step is None:
            saved = self.progress.lessons.get(lesson_id)
            step = saved.step if saved else 0
        while isinstance(self.screen, HelpScreen):
            self.pop_screen()
        if isinstance(self.screen, LessonScreen):
            self.screen.open(lesson, step)       # the same screen shows it: nothing to compose again
        else:
            self.push_screen(LessonScreen(lesson, step))

    def open_neighbour(self, lesson: Lesson, offset: int) -> None:
        """The next (+1) or previous (-1) lesson, or a note at either end."""
        i = self.lessons.index(lesson) + offset
        if 0 <= i < len(self.lessons):
            self.open_lesson(self.lessons[i].id)
        else:
            self.notify("This is the " + ("last" if offset > 0 else "first") + " lesson.", timeout=3)

    def go_home(self) -> None:
        """Back to the lesson list."""
        while not isinstance(self.screen, HomeScreen) and len(self.screen_stack) > 2:
            self.pop_screen()

    def record_visit(self, lesson_id: str, step: int) -> None:
        """Remember the step the user is on."""
        self.progress.visit(lesson_id, step)
        self._save()

    def record_answer(self, lesson_id: str, step: int) -> None:
        """Remember a settled question."""
        self.progress.answer(lesson_id, step)
        self._save()

    def _save(self) -> None:
        self.saver.save()

    def _save_failed(self, e: OSError) -> None:
        """Called from the saver's thread (notify may be)."""
        self.notify(f"Could not save progress to {self.progress.path.parent}: {e.strerror}",
                    severity="error", timeout=8, markup=False)

    # -------------------------------------------------------- help, palette

    def action_help(self) -> None:
        """Show rnn-tui's keys on the current screen, and the colours."""
        if isinstance(self.screen, (HelpScreen, TooSmallScreen)):
            return
        self.push_screen(HelpScreen(keys_of(self.screen, self.get_key_display)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The keys that open the lab and classify are not offered on those screens themselves."""
        if action in ("lab", "classify"):
            return type(self.screen).__name__ != {"lab": "LabScreen", "classify": "ClassifyScreen"}[action]
        return True

    def action_lab(self) -> None:
        """Open the training lab (its module loads only now)."""
        from .screens.lab import LabScreen

        if not isinstance(self.screen, (LabScreen, TooSmallScreen)):
            self.push_screen(LabScreen())

    def action_classify(self, name: str = "") -> None:
        """Open the classify screen (with a name typed in)."""
        from .screens.classify import ClassifyScreen

        if not isinstance(self.screen, (ClassifyScreen, TooSmallScreen)):
            self.push_screen(ClassifyScreen(name))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: every lesson by name, the lesson list, help, plus Textual's own."""
        yield SystemCommand("Lessons", "Back to the list of lessons", self.go_home)
        for lesson in self.lessons:
            yield SystemCommand(f"Go to lesson {lesson.number:02d}: {lesson.title}",
                                f"{lesson.section} {lesson.summary}" if lesson.section[:1].isdigit() else
                                lesson.summary, partial(self.open_lesson, lesson.id))
        yield SystemCommand("Classify a name", "Type a family name; see the guess and why",
                            self.action_classify)
        yield SystemCommand("Open the training lab", "Train W, U, V and watch them as heatmaps", self.action_lab)
        yield SystemCommand("Help", "Every key that works here, and what the colours mean", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title != "Keys":            # Textual's key panel: Help (?) covers it
                yield command

    # ----------------------------------------------------------- too small

    def on_resize(self, event) -> None:
        """Cover the app while the terminal is too small; uncover it when it grows."""
        if self._mounted:
            self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
            self.call_after_refresh(self._too_small.show_size, width, height)
        elif small and self._too_small is not None:
            self._too_small.show_size(width, height)
        elif not small and self._too_small is not None:
            if self.screen is self._too_small:
                self.pop_screen()
            self._too_small = None
