"""A lesson: its prose as Markdown beside the step's live visuals and question.

Moving through steps: right, space or enter go on; left or backspace go
back; n and p change lesson; escape leaves a box, and outside one goes back
to the lessons.  r reveals a question's answer, t opens it again, R twice resets
the lesson.  A step is computed in the step process (rnn_tui.steps.process),
which a worker thread waits on, so its NumPy work never holds the GIL the
event loop needs: the panels say "computing" at once and keys keep working.
Leaving a step (or typing new input) cancels its computation at its next
checkpoint, and a result that still arrives for a step left behind is
ignored.  Typing in a step's text box recomputes it after a short pause.
Panels marked hidden in lesson.toml stay "?" until the question is answered
or revealed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.scalar import Unit
from textual.events import Resize
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from ...lessons import Lesson, Step
from ...steps import STEPS, StepInputError, is_remembered, module_of, resolve
from ...steps.common import StepCancelled, cancellable
from ...steps.process import StepFailed, shared
from .. import css_preload
from ..confirm import SecondPress
from ..widgets.footer import KeyFooter
from ..widgets.kinds import VISUALS
from ..widgets.prose import Prose
from ..widgets.question import QuestionBox, styled
from ..widgets.visuals import Visual
from .calm import BREATHE, CalmScreen

if TYPE_CHECKING:
    from ..app import RnnTuiApp
    from ..widgets.live_panel import LivePanel

NARROW = 110           # below this width the visuals go under the prose
DEBOUNCE = 0.15        # seconds of quiet typing before a step is recomputed
WARM_DELAY = 1.0       # seconds after a lesson opens before its slow steps are warmed
RESET_CONFIRM_SECONDS = 4.0   # R resets the lesson only if pressed again within this many seconds
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def compute_step(st: Step, typed: str | None, is_cancelled: Callable[[], bool]) -> dict[str, Any]:
    """A step's result, computed in the step process (rnn_tui.steps.process), so that its NumPy work
    never holds the GIL the event loop needs; a step function defined elsewhere (a test's) runs in
    this thread.  Blocks the calling worker thread; StepCancelled once is_cancelled() is true.
    """
    if st.call in STEPS and module_of(st.call).startswith("rnn_tui.steps."):
        return shared().compute(st.call, st.arguments(typed), is_cancelled)
    with cancellable(is_cancelled):
        return st.compute(typed)


class TextboxRow(Vertical):
    """The step's text box and its error line; the footer says that escape leaves the box."""

    BINDINGS = [Binding("escape", "screen.back", "Leave box")]


class WorkPane(VerticalScroll, inherit_bindings=False):
    """The step's panels: scrolls like any pane, but left and right stay with the lesson (steps);
    a wide table scrolls sideways with shift+left and shift+right."""

    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("shift+left", "scroll_left", "Scroll left", show=False),
        Binding("shift+right", "scroll_right", "Scroll right", show=False),
    ]

    def scroll_to_region(self, region: Region, **kwargs: Any) -> Offset:
        """Focus moves the pane up and down only: a question box as wide as the widest table
        would otherwise push every panel's first column out of sight.  Sideways is the reader's."""
        kwargs["x_axis"] = False
        return super().scroll_to_region(self._with_question(region), **kwargs)

    def _with_question(self, region: Region) -> Region:
        """A region in the question box, grown to show the question above it as well: all of the
        box if the pane is tall enough, else from its top line down (a short terminal would
        otherwise show the answer box with its question scrolled out of sight)."""
        room = self.scrollable_content_region.height
        for box in self.query_children(QuestionBox):
            whole = box.virtual_region_with_margin
            if not whole.contains_region(region):
                continue
            if whole.height <= room:
                return whole
            from_top = Region(region.x, whole.y, region.width, region.bottom - whole.y)
            if from_top.height <= room:
                return from_top
        return region

    def on_resize(self) -> None:
        """A panel whose numbers did not fit the old width, or might fit the new one, draws again."""
        for visual in self.query(Visual):
            visual.refit()


class VisualStack(Vertical):
    """The step's visuals, one under another, as wide as the widest (and at least the pane: CSS).

    Each visual sets its own width in cells when it draws (Visual.fit_content), so the stack's
    width is the largest of those.  Textual's own answer for a container of width auto lays every
    child out, drawing each to measure its height, and did so in every layout pass of a step:
    5 to 8 ms of a frame that already had the step's drawing to do.
    """

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The widest child's width in cells; children sized otherwise (a live panel: 100%) count 0."""
        widths = [0]
        for child in self.children:
            width = child.styles.width
            if child.display and width is not None and width.unit == Unit.CELLS:
                widths.append(int(width.value) + child.styles.margin.width)   # border-box: outer width
        return max(widths)


class StepComputed(Message):
    """A step's result (or the reason there is none), from the worker thread."""

    def __init__(self, generation: int, result: dict[str, Any] | None, error: str | None) -> None:
        super().__init__()
        self.generation = generation
        self.result = result
        self.error = error


class LessonScreen(CalmScreen):
    """Shows one lesson, one step at a time."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Screen.focused, without repainting the whole screen at each change of focus: the widgets that
    gain or lose it restyle and repaint themselves.  A step moves the focus once or twice, and each
    whole-screen repaint cost a frame as big as the step's own."""

    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    """Screen.sub_title ("lesson 05 (section 3)"), without repainting the whole screen when a lesson
    opens: the header follows it by itself, and the rest of the screen changes with the step anyway."""

    BINDINGS = [
        Binding("right,space,enter", "next_step", "Next step"),
        Binding("left,backspace", "previous_step", "Previous step"),
        Binding("n", "next_lesson", "Next lesson"),
        Binding("p", "previous_lesson", "Previous lesson"),
        Binding("r", "reveal", "Reveal answer", show=False),
        Binding("t", "try_again", "Try again", show=False),
        Binding("R", "reset_lesson", "Reset lesson (press twice)", show=False),
        Binding("escape", "back", "Lessons"),
    ]

    def __init__(self, lesson: Lesson, step: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = max(0, min(step, len(lesson.steps) - 1))
        self.generation = 0                    # bumped whenever a new computation starts
        self.busy_since: float | None = None   # when the running computation started
        self._debounce: Timer | None = None
        self._box_error = False                      # the text box's text could not be computed
        self._reset = SecondPress(RESET_CONFIRM_SECONDS)   # R resets only when pressed twice
        self._leave_after: int | None = None         # enter was pressed: leave the box if this generation works
        self._warm_timer: Timer | None = None
        self._panels_token: object | None = None     # set while the step's panels wait for its first frame
        self._early_result: dict[str, Any] | None = None   # a result that came before its panels
        self._result: dict[str, Any] | None = None         # the latest result shown for this step and input
        self._drawing: object | None = None          # the result being drawn, a visual a frame
        # what the learner typed in a text box, by the box (argument, label and default): a later step
        # of the lesson with the same box starts from it ("your name" in lesson 10's three steps); a box
        # whose default differs on purpose (lesson 13's radius 4, then 0.5) starts from its own
        self._typed_texts: dict[tuple[str, str, str], str] = {}

    @property
    def tutor(self) -> RnnTuiApp:
        """The app, with its lessons and progress."""
        return cast("RnnTuiApp", self.app)

    @property
    def step(self) -> Step:
        """The step shown now."""
        return self.lesson.steps[self.index]

    def compose(self) -> ComposeResult:
        """Prose on the left (or top), the step's work on the right (or below)."""
        yield Header()
        with Horizontal(id="lesson-body"):
            with VerticalScroll(id="prose-pane"):
                yield Prose(id="prose")
            with WorkPane(id="work-pane"):
                yield Static(id="step-label")
                yield Static(id="step-keys")
                with TextboxRow(id="textbox-row"):
                    yield Input(id="textbox")
                    yield Static(id="textbox-error")
                yield Static(id="step-status")
                yield VisualStack(id="visuals")
        yield KeyFooter()

    async def on_mount(self) -> None:
        """Show the first step, start the spinner's clock and warm the lesson's slow steps."""
        self.query_one("#work-pane").can_focus = False     # tab goes prose -> text box -> answer
        self._layout_for(self.app.size.width)
        self.set_interval(0.1, self._tick)
        await self._open_current()

    def open(self, lesson: Lesson, step: int = 0) -> None:
        """Show another lesson on this screen (n, p, the palette): nothing is composed or styled again.

        The work of the lesson left behind (its step and its warm-up) is cancelled.
        """
        self.workers.cancel_node(self)
        self.lesson = lesson
        self.index = max(0, min(step, len(lesson.steps) - 1))
        self.generation += 1                   # a result on its way belongs to the other lesson
        self.call_later(self._open_current)

    async def _open_current(self) -> None:
        section = f" (section {self.lesson.section})" if self.lesson.section[:1].isdigit() else ""
        self.sub_title = f"lesson {self.lesson.number:02d}{section}"
        await self.show_step()
        if self._warm_timer is not None:
            self._warm_timer.stop()
        # the warm-up waits a moment: the step process's cores go to the learner's own step first,
        # while its first frames are drawn
        self._warm_timer = self.set_timer(WARM_DELAY, self._start_warm)

    def _start_warm(self) -> None:
        self._warm_timer = None
        self.run_worker(self._warm, thread=True, group="warm", exclusive=True, exit_on_error=False)

    def on_resize(self, event: Resize) -> None:
        """Stack prose and visuals on narrow terminals."""
        self._layout_for(event.size.width)

    def _layout_for(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")

    # ------------------------------------------------------------------ steps

    async def show_step(self) -> None:
        """Draw the current step: prose at once, panels as placeholders until the worker's result."""
        st = self.step
        self.generation += 1                   # a result still on its way is for another step
        self._result = None
        self.workers.cancel_group(self, "step")  # and its computation stops at its next checkpoint
        self.busy_since = None
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._box_error, self._leave_after = False, None
        self.tutor.record_visit(self.lesson.id, self.index)
        self.query_one("#prose", Prose).show(self.lesson.markdown(st))
        self.query_one("#prose-pane").scroll_home(animate=False)
        self.query_one(WorkPane).scroll_to(x=0, animate=False)
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append(f"step {self.index + 1} of {len(self.lesson.steps)}", style="bold")
        label.append(f"  ·  {self.lesson.number:02d} {self.lesson.title}")
        self.query_one("#step-label", Static).update(label)
        self.query_one("#step-keys", Static).update(self._keys_hint(st))
        box = self.query_one("#textbox", Input)
        self.query_one("#textbox-row").display = st.textbox is not None
        self.query_one("#textbox-error", Static).update("")
        self.query_one("#step-status", Static).remove_class("spinning").update("")
        typed: str | None = None
        if st.textbox is not None:
            box.border_title = st.textbox.label
            typed = self._typed_texts.get((st.textbox.arg, st.textbox.label, st.textbox.default))
            with box.prevent(Input.Changed):
                box.value = st.textbox.default if typed is None else typed
        # the old step's panels go in this frame; the new ones are mounted once it is on screen (the
        # prose and label paint first), and a live panel one frame later still: each layout stays small
        self._panels_token = token = object()
        self._early_result = None
        visuals = self.query_one("#visuals", Vertical)
        old = list(self.query("#question"))
        visuals.display = False                # hidden before the first await: no frame shows the new
        for widget in old:                     # label beside the old step's panels
            widget.display = False
        await visuals.remove_children()
        for widget in old:                     # removed by itself, not by a query from the screen: then
            await widget.remove()              # Textual lays out its pane again, not the whole screen
        visuals.display = True
        if st.call is not None:
            self.compute(typed)
        self.set_focus(None)           # until the panels come, keys go to the screen (→ still moves on)
        self.after_frame(self._mount_panels, token)

    async def _mount_panels(self, token: object) -> None:
        """After the step's first frame: its visuals; its question the frame after (then a live panel)."""
        if token is not self._panels_token:
            return                                   # the learner has moved on already
        st = self.step
        solved = self.index in self.tutor.progress.answered(self.lesson.id)
        widgets: list[Widget] = [VISUALS[s.visual](title=s.title, hidden=s.hidden and not solved, classes="visual")
                                 for s in st.show]
        await self.query_one("#visuals", Vertical).mount_all(widgets)
        self._panels_token = None                    # mounted: results go straight to them from now on
        if self._early_result is not None:
            self.show_result(self._early_result)
            self._early_result = None
        if st.question is not None:
            # a frame of its own: with the visuals, mounting it and the frame after made the step's longest
            # stall (lesson 4's 40 to 51 ms)
            self.after_frame(self._mount_question, st)
        else:
            self._take_keys(st)

    async def _mount_question(self, st: Step) -> None:
        """The step's question box, with the answer if the result came already; then the keys go to it."""
        if st is not self.step or st.question is None or self.query("#question"):
            return                                   # another step, or this one's box is there
        solved = self.index in self.tutor.progress.answered(self.lesson.id)
        # beside #visuals, not in it: as wide as the pane, not the widest table
        box = QuestionBox(st.question, None, solved=solved, id="question",
                          on_answer=partial(self._settled, self.index))
        await self.query_one(WorkPane).mount(box)
        if self._result is not None:                 # computed before the box was there
            try:
                box.set_expected(resolve(self._result, st.question.answer))
            except KeyError:
                pass
        self._take_keys(st)

    def _take_keys(self, st: Step) -> None:
        """The step's panels are there: its question takes the keys (else the prose), then a live panel comes."""
        question = self.query("#question #q-answer")
        if question and not question.first().disabled:
            question.first().focus()
            # the focus scrolls to it only once laid out; this scrolls after the next layout, so that on a
            # short terminal the question does not wait below the pane
            question.first().scroll_visible(animate=False)
        elif st.live is None:
            self.query_one("#prose-pane").focus()
        if st.live is not None:
            self.after_frame(self._mount_live, st)

    async def _mount_live(self, st: Step) -> None:
        """Two frames after the step: its live training panel, which is the biggest thing a step shows.

        The panel comes in pieces, a frame each: its status lines, then (once it has the keys) its
        two rows of heatmaps and chart.
        """
        if st is not self.step or st.live is None or self.query("#live"):
            return
        from ..widgets.live_panel import LivePanel

        panel = LivePanel(dict(st.live.preset), rows_later=True, id="live", classes="lesson-live")
        await self.query_one("#visuals", Vertical).mount(panel)
        self.after_frame(self._focus_live, panel)

    def _focus_live(self, panel: LivePanel) -> None:
        """The frame after the panel's: it takes the keys, then its rows come, a frame each.

        Focus restyles every widget of the panel (about 10 ms), so it has a frame of its own, not
        the one that mounts the panel.
        """
        if not panel.is_attached:
            return                                       # the learner has moved on already
        question = self.query("#question #q-answer")
        if not question or question.first().disabled:    # the prose says "press space": the panel takes it
            panel.focus()
        elif self.focused is None:
            self.query_one("#prose-pane").focus()
        self.after_frame(self._add_live_row, panel)

    async def _add_live_row(self, panel: LivePanel) -> None:
        """One more row of the live panel's heatmaps and chart, and the next after the following frame."""
        if panel.is_attached and await panel.add_row():
            self.after_frame(self._add_live_row, panel)

    def after_frame(self, callback: Callable[..., Any], *args: Any) -> None:
        """Call back once the next frame is on screen and the event loop has had BREATHE seconds to itself.

        A step is drawn in pieces, a frame each.  Chained straight after the refresh, the pieces ran
        back to back: asyncio runs every callback that is ready before a timer that fell due
        meanwhile, so a key (or the 10 ms heartbeat of bench/lesson_latency.py) waited for two or
        three pieces at once.  The pause lets it in between any two.
        """
        def later() -> None:
            self.set_timer(BREATHE, partial(self.call_later, callback, *args))
        self.call_after_refresh(later)

    def _keys_hint(self, st: Step) -> Text:
        """The keys of this step, as they act on it: tab's round includes the prose, and a step with
        neither a text box nor a question has no box to leave."""
        parts = ["tab: move between the text and the boxes", "esc: leave a box", "enter or →: next step"]
        if st.question is not None:              # in the answer box enter answers and → moves the cursor
            parts[1:] = ["enter: answer", "esc: leave a box", "r: reveal the answer", "t: try again",
                         "outside a box, enter or →: next step"]
        elif st.textbox is None:
            parts[:2] = ["tab: move between the text and the panels" if st.live is not None or st.show
                         else "tab: to the text"]
        if st.live is not None:
            parts[-1:-1] = ["space: train or pause (in the panel)"]
        return Text("  ·  ".join(parts), style="dim")

    def compute(self, typed: str | None) -> None:
        """Compute the step in a worker thread with the typed text (None: the box's default)."""
        self.generation += 1
        self._result = None                      # it was for other input
        self.busy_since = time.monotonic()
        self._tick()
        # exclusive: the computation of a step left behind (or of input typed over) is cancelled and
        # stops at its next checkpoint; a slow remembered step is still warmed by the warm-up worker
        self.run_worker(partial(self._compute_in_thread, self.step, typed, self.generation),
                        thread=True, group="step", exclusive=True, exit_on_error=False)

    def _compute_in_thread(self, st: Step, typed: str | None, generation: int) -> None:
        """Runs in a worker thread: compute, then post the result (post_message is thread-safe)."""
        worker = get_current_worker()
        try:
            result, error = compute_step(st, typed, lambda: worker.is_cancelled), None
        except StepCancelled:
            return                               # the step was left, or the lesson, or the app quit
        except StepInputError as e:
            result, error = None, str(e)
        except StepFailed as e:
            result, error = None, f"this step could not be computed: {e}"
        except Exception as e:  # shown in one line, so a broken step does not end the lesson
            result, error = None, f"this step could not be computed: {type(e).__name__}: {e}"
        if not worker.is_cancelled:
            self.post_message(StepComputed(generation, result, error))

    def _warm(self) -> None:
        """Runs in a worker thread: compute this lesson's slow, remembered steps ahead of the learner."""
        worker = get_current_worker()
        if any(st.live is not None for st in self.lesson.steps):
            from ..widgets import live_panel  # noqa: F401  (its imports: not spent on the loop)
            self.app.call_from_thread(css_preload.preload, self.app)   # and its widgets' CSS: not in its frame
        order = list(self.lesson.steps[self.index:]) + list(self.lesson.steps[:self.index])
        for st in order:
            if worker.is_cancelled:
                return
            if st.call and is_remembered(STEPS.get(st.call, object)):
                try:
                    compute_step(st, None, lambda: worker.is_cancelled)
                except StepCancelled:
                    return
                except Exception:  # the step's own computation reports it when the learner gets there
                    continue

    def _tick(self) -> None:
        """Every 0.1 s: the spinner of a running computation."""
        if self.busy_since is None:
            return
        elapsed = time.monotonic() - self.busy_since
        if elapsed < 0.2:
            return
        frame = SPINNER[int(elapsed * 10) % len(SPINNER)]
        status = self.query_one("#step-status", Static)
        spinning = status.has_class("spinning")    # one line already: a new frame needs no layout
        status.add_class("spinning")
        status.update(Text(f"{frame} computing… {elapsed:.1f} s (keys keep working)", style="italic"),
                      layout=not spinning)

    @on(StepComputed)
    def _computed(self, event: StepComputed) -> None:
        """Called when the worker has a result: hand each visual its field, and the question its answer."""
        if event.generation != self.generation:
            return                               # the learner has moved on, or typed more
        self.busy_since = None
        self.query_one("#step-status", Static).remove_class("spinning").update("")
        error = self.query_one("#textbox-error", Static)
        self._box_error = event.result is None
        leave, self._leave_after = self._leave_after == event.generation, None
        if event.result is None:
            error.update(styled("$warning", event.error or "no result"))
            return
        error.update("")
        if leave and self.query_one("#textbox", Input).has_focus:
            self._to_question()
        if self._panels_token is not None:
            self._early_result = event.result        # its panels are not mounted yet: they take it then
        else:
            self.show_result(event.result)

    def show_result(self, result: dict[str, Any]) -> None:
        """Hand the question its answer, and draw the result into the step's visuals, one a frame."""
        self._result = result                    # for a question box still to come
        q = self.step.question
        if q is not None and self.query("#question"):
            try:
                self.query_one("#question", QuestionBox).set_expected(resolve(result, q.answer))
            except KeyError:
                pass
        self._drawing = token = object()
        self._draw_in_turn(list(zip(self.query(Visual), self.step.show)), result, token)

    def _draw_in_turn(self, pending: list[tuple[Visual, Any]], result: dict[str, Any], token: object) -> None:
        """Draw the next visual that has a field in the result; the rest after the next frame.

        A big table or two in one layout pass was a step's longest stall; one a frame keeps each small.
        """
        if token is not self._drawing:
            return                                   # a newer result (or step) took over
        while pending:
            widget, s = pending.pop(0)
            try:
                value = resolve(result, s.field)
            except KeyError:
                continue
            if widget.is_attached:
                widget.show(value)
                break
        if pending:
            self.after_frame(self._draw_in_turn, pending, result, token)

    @on(Input.Changed, "#textbox")
    def _typed(self, event: Input.Changed) -> None:
        """Called on every keystroke in the step's text box: recompute after a short pause."""
        box = self.step.textbox
        if box is not None:                          # kept for the lesson's later steps with this box
            key = (box.arg, box.label, box.default)
            if event.value.strip():
                self._typed_texts[key] = event.value
            else:
                self._typed_texts.pop(key, None)     # a cleared box starts from the default, not empty
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, partial(self._quiet, event.value))

    def _quiet(self, typed: str) -> None:
        """The typing paused: compute the step with the text."""
        self._debounce = None
        self.compute(typed)

    @on(Input.Submitted, "#textbox")
    def _leave_box(self, event: Input.Submitted) -> None:
        """Called when enter is pressed in the text box: on to the question once the text works.

        Text the step refuses keeps the focus in the box with its one-line reason, so the next keys
        (backspace to fix it) edit the text instead of moving through the lesson.
        """
        event.stop()
        if self._debounce is not None:               # typed a moment ago: compute it now
            self._debounce.stop()
            self._quiet(event.value)
        if self.busy_since is not None:
            self._leave_after = self.generation      # decided when its result comes (_computed)
        elif not self._box_error:
            self._to_question()

    def _to_question(self) -> None:
        """On to the question's answer; a question already settled leaves the focus in the text box, where
        the next name typed goes (on the prose, its letters were keys: l opened the lab)."""
        answer = self.query("#question #q-answer")
        if answer and not answer.first().disabled:
            answer.first().focus()

    def _settled(self, index: int, correct: bool) -> None:
        """Called by the question box the moment its question settles: record it, show the hidden panels."""
        self.tutor.record_answer(self.lesson.id, index)
        if index == self.index:
            for widget in self.query(Visual):
                widget.reveal()

    @on(QuestionBox.Reopened)
    def _reopened(self, event: QuestionBox.Reopened) -> None:
        """Called when a question is opened again: its panels hide their answers again."""
        for widget, s in zip(self.query(Visual), self.step.show):
            if s.hidden:
                widget.conceal()

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
        self.tutor.open_neighbour(self.lesson, +1)

    def action_previous_lesson(self) -> None:
        """Open the previous lesson."""
        self.tutor.open_neighbour(self.lesson, -1)

    def action_reveal(self) -> None:
        """Show the answer of this step's question (and the panels it hid)."""
        boxes = self.query(QuestionBox)
        if not boxes:
            self.notify("This step asks nothing, so nothing is hidden.", timeout=3)
        elif boxes.first().expected is None:
            self.notify("Still computing: the answer is not known yet.", timeout=3)
        else:
            boxes.first().reveal()

    def action_try_again(self) -> None:
        """Open this step's settled question again."""
        boxes = self.query(QuestionBox)
        if boxes and boxes.first().solved:
            boxes.first().retry()

    async def action_reset_lesson(self) -> None:
        """Forget this lesson's answers and start it again from step 1, once R is pressed twice:
        a single R (a slip of shift+r) only says what a second one would do."""
        if not self._reset.confirmed():
            self.notify(f"Press R again to forget this lesson's answers and start it again "
                        f"(within {RESET_CONFIRM_SECONDS:g} seconds).", timeout=RESET_CONFIRM_SECONDS)
            return
        self.tutor.progress.reset(self.lesson.id)
        self.index = 0
        await self.show_step()
        self.notify("Lesson reset: every question is open again.", timeout=3)

    def action_back(self) -> None:
        """Leave an input box or the question; outside them, go back to the lessons."""
        focused = self.focused
        inside = focused is not None and any(
            w.id in ("question", "textbox-row") for w in focused.ancestors_with_self)
        if inside:
            self.query_one("#prose-pane").focus()
        else:
            self.tutor.go_home()
