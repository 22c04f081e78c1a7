"""LivePanel: one training run in its own process, drawn live (the lab and the lessons share it).

    yield LivePanel({"data": "cats", "strategy": "sgd", "nhidden": 4, "lr": 0.05, "epochs": 100},
                    id="live")

The preset is a plain mapping (see rnn_tui.trainhost.preset for every key):

- any TrainConfig field: strategy ("sgd", "minibatch", "vectorized"),
  backend ("numpy", "torch", "nnrnn"), nhidden, batch_size, lr, optimizer
  ("adam", "sgd"), epochs, init ("default", or "article" for W = I),
  clip (a number, or None for none), seed, dtype, and the others it has;
- `data`: "cats", "names", a folder of <Language>.txt files or a .csv/.tsv;
- `words` and `languages`: equal-length lists, a tiny data set of their own
  that replaces `data` (lesson 5: cat, chat, katze);
- `valid_fraction` (default 0.2) and `speed` (one of SPEED_NAMES, default
  "full": "one word at a time" is slow motion).

A bad preset raises ValueError with a one-line reason in the constructor.
The training process starts when the panel mounts (a placeholder says so)
and ends when it unmounts.  Keys, when the panel or a heatmap in it has
focus: space start/pause, s one batch, + and - speed, r reset, g weights or
gradients, d what changed since the last frame, f fix every colour scale,
m H or the validation confusion matrix.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.scalar import Scalar
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ProgressBar, Static

from ... import safe
from ...trainhost import SPEED_NAMES, TrainHost
from ...trainhost import messages as m
from ..widgets.charts import HiddenTimeline, LossChart
from ..widgets.heatmap import MAX_LINES, Heatmap

SPAWN_DELAY = 0.4             # seconds on screen before the training process is started (on_mount)
POLL_SECONDS = 1 / 60          # how often the panel reads the training process's pipe (an empty read: ~0.1 ms)
FPS = 20                       # frames a second asked of the training process (at most)
MIN_FPS = 2                    # frames a second while running, however slow drawing is
UI_BUDGET = 0.25               # share of one core the event loop may spend while frames stream in
COUNTS_SECONDS = 0.25          # while running, the counters and the progress bar change at most this often
CHART_SECONDS = 1.0            # while running, batch points reach the chart at most this often (epoch ends at once)


def fit(forms: Sequence[str], width: int) -> str:
    """The longest of forms (longest first) that fits width cells; the last if none does, the first if width
    is not known yet (0)."""
    if width <= 0:
        return forms[0]
    return next((f for f in forms if cell_len(f) <= width), forms[-1])


class FramePacer:
    """How often to draw: as often as FPS allows while the UI's CPU stays within a budget.

    Every frame is paid for twice, once building the picture and once by Textual
    rendering it, and on a machine with two cores each millisecond of UI work is
    taken from the training process.  The pacer measures the event loop thread's
    CPU time (not wall time, which a busy machine inflates) over windows of about a
    second, divides it by the frames drawn in the window, and spaces frames so that
    cost per frame / gap <= budget.
    """

    def __init__(self, budget: float = UI_BUDGET, fps: float = FPS, min_fps: float = MIN_FPS) -> None:
        self.budget, self.fps, self.min_fps = budget, fps, min_fps
        self.cost = 0.0                            # CPU seconds a frame costs (moving average)
        self.last = 0.0                            # perf_counter() of the last frame
        self._window = (time.perf_counter(), time.thread_time(), 0)   # wall, CPU, frames at its start

    @property
    def gap(self) -> float:
        """Seconds between frames now."""
        return min(1.0 / self.min_fps, max(1.0 / self.fps, self.cost / self.budget))

    def due(self) -> bool:
        """Time for the next frame."""
        return time.perf_counter() - self.last >= self.gap

    def drew(self) -> None:
        """A frame was drawn just now (call from the event loop's thread)."""
        now = time.perf_counter()
        # on schedule, not from now: frames are drawn at polls, a little after they were due, and
        # counting the gap from each late draw would slow the pace by half a poll a frame
        self.last = max(self.last + self.gap, now - self.gap / 2)
        wall, cpu, frames = self._window
        frames += 1
        if now - wall >= 1.0:
            spent = time.thread_time() - cpu
            cost = spent / frames
            self.cost = cost if not self.cost else 0.5 * self.cost + 0.5 * cost
            self._window = (now, time.thread_time(), 0)
        else:
            self._window = (wall, cpu, frames)

    def idle(self) -> None:
        """Frames stopped (paused, finished): the next window starts afresh."""
        self._window = (time.perf_counter(), time.thread_time(), 0)


def run_progress(epoch: int, batch: int, nbatches: int, epochs: int) -> tuple[int, int]:
    """(batches done, batches in the whole run): the bar is the run's, not the epoch's, so that
    "epoch 3/150" never stands beside 100 %.  epoch is 1-based (0 before training)."""
    per_epoch = max(1, nbatches)
    total = per_epoch * max(1, epochs)
    return min(total, max(0, epoch - 1) * per_epoch + max(0, batch)), total


def _first_row() -> list[Widget]:
    return [Heatmap("W", id="live-W"), Heatmap("U", id="live-U")]


def _second_row() -> list[Widget]:
    return [Heatmap("V", id="live-V"), HiddenTimeline("H", id="live-H"), LossChart(id="live-chart")]


ROWS = (_first_row, _second_row)   # the panel's rows of drawings, top to bottom, each made fresh when mounted


class LivePanel(Widget, can_focus=True):
    """W, U, V and H of a run in a training process, its curves, progress and controls."""

    DEFAULT_CSS = """
    LivePanel { height: 1fr; width: 1fr; layout: vertical; }
    LivePanel:focus-within > #live-head { background: $boost; }
    LivePanel #live-head { height: 3; }
    LivePanel #live-status { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    LivePanel #live-counts { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    LivePanel #live-progress-row { height: 1; }
    LivePanel #live-progress-row ProgressBar { width: 24; }
    LivePanel #live-progress-row Bar { width: 14; }
    LivePanel #live-speed { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; color: $text-muted; }
    LivePanel #live-row1 { height: 3fr; }
    LivePanel #live-row2 { height: 2fr; }
    LivePanel Heatmap, LivePanel LossChart { min-width: 12; }
    """
    BINDINGS = [
        Binding("space", "start_pause", "Run", tooltip="Start or pause training"),
        Binding("s", "step", "Step", tooltip="Train one batch and draw it"),
        Binding("plus,equals_sign", "faster", "Faster", key_display="+", show=False),  # the status line says +/-
        Binding("minus", "slower", "Slower", key_display="-", show=False),
        Binding("r", "reset", "Reset"),
        Binding("g", "toggle_grads", "Grads", tooltip="Show the weights or their gradients"),
        Binding("d", "toggle_delta", "Δ", tooltip="Show what changed since the previous frame"),
        # priority: over each Heatmap's own f
        Binding("f", "fix_scales", "Fix", tooltip="Fix or free every panel's colour scale", priority=True),
        Binding("m", "toggle_confusion", "Conf", tooltip="Show H or the confusion matrix"),
    ]

    class StateChanged(Message):
        """The run started, paused, finished, failed or was reset; `state` says which."""

        def __init__(self, panel: LivePanel, state: str) -> None:
            super().__init__()
            self.panel = panel
            self.state = state

        @property
        def control(self) -> LivePanel:
            """The panel whose state changed."""
            return self.panel

    class ModelSaved(Message):
        """The training process wrote the best model so far to `path`."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, preset: Mapping[str, Any], rows_later: bool = False, **widget_kwargs: Any) -> None:
        """rows_later: compose only the status lines; add_row() mounts the heatmaps' two rows after."""
        self.host = TrainHost(preset)                # checks the preset: ValueError in one line
        self._resumed = 0                            # host.sent just after the last resume
        super().__init__(**widget_kwargs)
        self.state = "starting"   # starting, ready, running, paused, finished, failed, dead
        self.speed = SPEED_NAMES.index(str(preset.get("speed", "full")))
        self.ready: m.Ready | None = None
        self.frame: m.Frame | None = None
        self.previous: m.Frame | None = None
        self.reading: m.Reading | None = None
        self.epochs: list[m.EpochEnd] = []
        self.batch_losses: list[tuple[float, float]] = []
        self.view = "weights"                        # weights, gradients or changes
        self.lower = "H"                             # H or confusion
        self.scales_fixed = False
        self.frames_drawn = 0
        self._when_ready: list[str] = []             # start/pause and step keys pressed while starting, in order
        self._timer: Any = None
        self._start_timer: Any = None                # the delayed first start (on_mount)
        self._charted = (-1, -1)                     # (epochs, batch points) last drawn in the chart
        self._pending: m.Frame | None = None         # a frame waiting for its turn to be drawn
        self._last_chart = self._last_counts = 0.0
        self.pacer = FramePacer()
        self._asked_fps = 0.0                        # frames a second last asked of the training process
        self.paused_at = 0.0                         # when the training process last said it had stopped
        self._lines: dict[str, tuple[Sequence[str], str]] = {}   # each line's forms (longest first) and style
        self.rows = 0 if rows_later else len(ROWS)   # rows of heatmaps and chart mounted so far

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        """Status, counters and speed, then the heatmaps and the chart (unless they come later)."""
        with Vertical(id="live-head"):
            yield Static(id="live-status")
            with Horizontal(id="live-progress-row"):
                yield ProgressBar(total=None, show_eta=False, id="live-progress")
                yield Static(id="live-speed")
            yield Static(id="live-counts")
        for i, row in enumerate(ROWS):
            with Horizontal(id=f"live-row{i + 1}"):
                if i < self.rows:
                    yield from row()

    async def add_row(self) -> bool:
        """Mount the next row of heatmaps (and chart), drawn from what the panel knows; False: none left.

        A panel made with rows_later has none at first: the frame that shows the panel need not
        build, style and lay out five drawings and their chart (a third of the lab's opening).
        """
        if self.rows >= len(ROWS):
            return False
        row = self.query_one(f"#live-row{self.rows + 1}", Horizontal)
        await row.mount_all(ROWS[self.rows]())
        self.rows += 1
        self._draw_parts()
        return True

    def _draw_parts(self) -> None:
        """Draw every heatmap and the chart that are mounted, as the panel's state has them."""
        for name in "WUV":                     # not a 1x1 matrix of zeros standing for a matrix not yet there
            heatmap = self.query_one_optional(f"#live-{name}", Heatmap)
            if heatmap is not None and self.frame is None:
                heatmap.clear(f"{name} shows once the training process is up")
        self._fit_layout()
        self._draw_matrices()
        self._draw_lower()
        if self.epochs or self.batch_losses:         # an empty chart is drawn as it is made
            self._charted = (-1, -1)
            self._draw_chart()

    def on_mount(self) -> None:
        """Start the training process off the event loop; say so at once."""
        self.say("starting the training process…")
        self._show_speed()
        self._draw_parts()
        # The process starts once the panel has been on screen a moment.  Its start-up (a Python and a
        # NumPy of its own, about half a second of a core) otherwise ran beside the frames that draw the
        # panel and the next step's, if the learner went on at once (stalls of 50 to 100 ms on two
        # cores).  Keys pressed meanwhile wait for it, as they wait for the start-up itself.
        self._start_timer = self.set_timer(SPAWN_DELAY, self._spawn)

    def on_unmount(self) -> None:
        """Never leave a training process behind."""
        self.close()

    def close(self) -> None:
        """End the training process now (also called on unmount); reaping it happens in a thread."""
        for timer in (self._timer, self._start_timer):
            if timer is not None:
                timer.stop()
        self._timer = self._start_timer = None
        self.host.close(wait=False)

    def _spawn(self) -> None:
        if self._start_timer is not None:
            self._start_timer.stop()                 # started early (configure): not again
            self._start_timer = None
        self.state = "starting"
        self.run_worker(self.host.start, thread=True, exclusive=True, group="live-spawn",
                        name="start the training process")
        if self._timer is None:
            self._timer = self.set_interval(POLL_SECONDS, self._poll, name="live-poll")

    # ------------------------------------------------------------ settings

    @property
    def preset(self) -> dict[str, Any]:
        """The preset being trained."""
        return dict(self.host.preset)

    def configure(self, preset: Mapping[str, Any]) -> None:
        """Train another preset from scratch (ValueError, one line, when it cannot work)."""
        if self.host.alive:
            self.host.load(preset)
        else:
            self.host.close(wait=False)              # one still starting in a worker must not be left over
            self.host = TrainHost(preset)
            self._resumed = 0
            self._spawn()
        self._clear("loading…")

    def save(self, path: str) -> None:
        """Write the best model so far (the Saved answer is reported in the status line)."""
        self.host.save(path)

    # ------------------------------------------------------------ actions

    def action_start_pause(self) -> None:
        """Start, pause or resume; after a finished run, say how to start again."""
        if self.state == "starting":
            self._queue("start_pause")
        elif self.state in ("ready", "paused"):
            self._ask_fps(FPS)
            self.host.set_speed(SPEED_NAMES[self.speed])   # again: one sent while starting may be lost
            self.host.resume()
            self._resumed = self.host.sent
            self._set_state("running")
        elif self.state == "running":
            self.host.pause()
            self._set_state("paused")
        elif self.state == "finished":
            self.say(("this run is over: r starts a new one", "over: r starts again"))
        else:
            self.say(("r starts a new training process", "r starts again"))

    def action_step(self) -> None:
        """Train exactly one batch, then stay paused (pressed while starting: once it is ready)."""
        if self.state == "starting":
            self._queue("step")
        elif self.state in ("ready", "paused", "running"):
            self.host.step()
            self._set_state("paused")

    def _queue(self, action: str) -> None:
        """Keep a key pressed while the training process starts; it acts, in order, once the process is ready."""
        self._when_ready.append(action)
        running, steps = False, 0
        for queued in self._when_ready:             # what they will do: a step also pauses
            running, steps = (not running, steps) if queued == "start_pause" else (False, steps + 1)
        single = f"{steps} single {'step' if steps == 1 else 'steps'}"
        then = ("it will train at once" if running and not steps else f"{single}, then it trains" if running
                else f"then {single}" if steps else "space starts")
        self.say((f"starting the training process… {then}", f"starting… {then}"))

    def action_reset(self) -> None:
        """Start over with fresh weights (and a new process if the old one died)."""
        self._when_ready = []
        self.configure(self.host.preset)

    def action_faster(self) -> None:
        """Up one speed."""
        self._change_speed(-1)

    def action_slower(self) -> None:
        """Down one speed, to one word at a time."""
        self._change_speed(+1)

    def _change_speed(self, by: int) -> None:
        self.speed = max(0, min(len(SPEED_NAMES) - 1, self.speed + by))
        self.host.set_speed(SPEED_NAMES[self.speed])
        if not SPEED_NAMES[self.speed].startswith("one word"):
            self.reading = None
        self._show_speed()
        self._draw_lower()

    def action_toggle_grads(self) -> None:
        """Weights, or their gradients from the last batch."""
        self.view = "weights" if self.view == "gradients" else "gradients"
        self._redraw_view()

    def action_toggle_delta(self) -> None:
        """What changed since the previous frame, or the weights."""
        self.view = "weights" if self.view == "changes" else "changes"
        self._redraw_view()

    def _redraw_view(self) -> None:
        """Show the new view now, from the newest snapshot there is (one waiting its turn, if any)."""
        self._free_scales()                          # another kind of matrix: a fixed scale means nothing
        if self._pending is not None and self._visible():
            self._draw_frame(self._pending)
        else:
            self._draw_matrices()

    def action_fix_scales(self) -> None:
        """Fix the colour scale of every heatmap at once (so frames compare), or free them all."""
        self.scales_fixed = not self.scales_fixed
        for hm in self.query(Heatmap):
            hm.fixed_scale = hm.scale if self.scales_fixed else None
            hm.show(hm.data)
        self._show_speed()

    def action_toggle_confusion(self) -> None:
        """The lower panel: the batch's final h, or the validation confusion matrix."""
        self.lower = "confusion" if self.lower == "H" else "H"
        self._draw_lower()

    # ------------------------------------------------------------ messages in

    def _poll(self) -> None:
        """Called POLL_SECONDS apart: handle what the training process sent since."""
        for message in self.host.poll():
            self._handle(message)
        if self._pending is not None and self.pacer.due() and self._visible():
            self._draw_frame(self._pending)

    def _visible(self) -> bool:
        """The panel is on the screen being shown: a covered or hidden panel draws nothing until it shows."""
        return self.screen.is_current and self.display and self.region.area > 0

    def _draw_frame(self, frame: m.Frame) -> None:
        """Draw a frame now: every panel in one go, so Textual repaints them in one screen update."""
        self._pending = None
        self.previous, self.frame = self.frame, frame
        self._draw_all()
        self.pacer.drew()
        if self.state == "running":
            self._ask_fps(min(FPS, 1.5 / self.pacer.gap))
            # a run on screen is not a pause: the app's idle collector (ui/idle_gc.py) would otherwise run a
            # full garbage collection 1.5 s after the last key, mid-run (a 70-90 ms stall measured here)
            collector = getattr(self.app, "collector", None)
            if collector is not None:
                collector.touched()

    def _ask_fps(self, fps: float) -> None:
        """Ask the training process for frames at about the pace they are drawn (a frame drawn never waits
        long, and none is pickled, sent and unpickled only to be dropped); sent only on a change of 20%."""
        if abs(fps - self._asked_fps) > 0.2 * self._asked_fps:
            self.host.set_fps(fps)
            self._asked_fps = fps

    def _handle(self, msg: Any) -> None:
        if isinstance(msg, m.Ready):
            if msg.run != self.host.loads:
                return                               # a run that a later load replaced: its own Ready follows
            self.ready, self.epochs, self.batch_losses = msg, [], []
            self.previous, self.frame, self.reading = None, msg.frame, None
            self._fit_layout()
            self._draw_all()
            self.host.set_speed(SPEED_NAMES[self.speed])
            self._set_state("ready")
            queued, self._when_ready = self._when_ready, []
            for action in queued:                    # as if pressed now, in the order they were pressed
                getattr(self, f"action_{action}")()
        elif isinstance(msg, m.Frame):
            if msg.epoch and msg.nbatches and len(self.epochs) < 2:
                self.batch_losses.append((msg.epoch - 1 + msg.batch / msg.nbatches, msg.loss))
            if (msg.paused or self.state != "running" or self.pacer.due()) and self._visible():
                self._draw_frame(msg)                # single steps, and anything while paused, at once
            else:
                self._pending = msg
        elif isinstance(msg, m.Reading):
            self.reading = msg
            self._draw_lower()
        elif isinstance(msg, m.EpochEnd):
            self.epochs.append(msg)
        elif isinstance(msg, m.Paused):
            self.paused_at = time.perf_counter()
            self.pacer.idle()
            if self._pending is not None:
                self._draw_frame(self._pending)      # stopped: show where it stopped, now
            if self.state == "running" and msg.seen >= self._resumed:   # not one our resume overtook
                self._set_state("paused")
            self._show_counts(force=True)
        elif isinstance(msg, m.Ended):
            if self._pending is not None:
                self._draw_frame(self._pending)
            self._draw_chart()
            self._set_state("finished", reason=msg.reason)
        elif isinstance(msg, m.Failed):
            self._set_state("failed", reason=msg.message)
        elif isinstance(msg, m.Died):
            self._set_state("dead", reason=msg.message)
        elif isinstance(msg, m.Saved):
            if msg.error:
                self.app.notify(f"Could not save to {msg.path}: {msg.error}", severity="error", markup=False)
            else:
                self.app.notify(f"Saved to {msg.path} (validation accuracy {msg.accuracy:.3f}).", markup=False)
                self.post_message(self.ModelSaved(msg.path))

    def _set_state(self, state: str, reason: str = "") -> None:
        self.state = state
        r = self.ready
        named = f"{r.ntrain:,} {'name' if r and r.ntrain == 1 else 'names'}" if r else ""
        # where the names come from (the lab's data list still names its choice when a path is typed)
        source = safe.one_line(PurePath(r.source).name or r.source) if r else ""
        lines: dict[str, Sequence[str]] = {
            "ready": (f"ready: {r.ntrain:,} training {'name' if r.ntrain == 1 else 'names'} from {source}, "
                      f"{len(r.classes)} languages · space starts, s steps one batch",
                      f"ready: {named} from {source}, {len(r.classes)} languages · space starts, s steps",
                      f"ready: {named}, {len(r.classes)} languages · space starts, s steps",
                      f"ready: {named} · space starts", "ready · space starts") if r else ("ready",),
            "running": ("training… space pauses, s stops after one batch, - slows down",
                        "training… space pauses, s: one batch, -: slower", "training… space pauses"),
            "paused": ("paused: space resumes, s trains one more batch", "paused: space resumes, s: one batch",
                       "paused: space resumes"),
            "finished": self._finished_lines(reason),
            "failed": (reason,),
            "dead": (reason,),
        }
        self.say(lines.get(state, (state,)), error=state in ("failed", "dead"))
        self._show_counts(force=True)
        self.post_message(self.StateChanged(self, state))

    def _finished_lines(self, reason: str) -> tuple[str, ...]:
        ended = f"finished {len(self.epochs)} epochs" if reason == "finished" else f"stopped: {reason}"
        best = max(self.epochs, key=lambda e: (e.is_best, e.epoch), default=None)
        if best is None:
            return (f"{ended} · r starts again", ended)
        bests = [e for e in self.epochs if e.is_best]
        b = bests[-1] if bests else best
        acc = f"{b.metrics.accuracy:.3f} (epoch {b.epoch})"
        return (f"{ended}; best validation accuracy {acc} · r starts again", f"{ended}; best accuracy {acc} · r: again",
                f"{ended}; best accuracy {acc}", f"{ended}; best {b.metrics.accuracy:.3f}", ended)

    # ------------------------------------------------------------ drawing

    def say(self, text: str | Sequence[str], error: bool = False) -> None:
        """Put one line (never markup) in the status line: text, or forms of it, longest first, of which the
        longest that fits is shown (again after each resize)."""
        self._put("#live-status", (text,) if isinstance(text, str) else text, "bold red" if error else "")

    def _put(self, selector: str, forms: Sequence[str], style: str = "") -> None:
        """Show the longest of forms that fits the line; remember them for a resize."""
        self._lines[selector] = (forms, style)
        line = self.query_one(selector, Static)
        line.update(Text(fit(forms, line.size.width), style=style), layout=False)

    def on_resize(self) -> None:
        """Fit the status, speed and counts lines to the new width, and the rows to the new height."""
        for selector, (forms, style) in self._lines.items():
            self._put(selector, forms, style)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """A small W and U (the cats' 4×4) fill few lines even drawn tall: the first row takes no more
        than they can use, and the room left goes to V, H and the chart (at 200x60 the lab had a
        dozen blank lines under them).  Otherwise the rows share the height 3 to 2."""
        row = self.query_one_optional("#live-row1")
        if row is None:
            return
        room = self.size.height - 3                  # under the status lines
        most = int(self.ready.config["nhidden"]) * MAX_LINES + 4 if self.ready else 0   # labels, legend, border
        height = most if 0 < most < room * 3 // 5 else "3fr"
        if row.styles.height != Scalar.parse(str(height)):
            row.styles.height = height

    def _show_speed(self) -> None:
        speed = SPEED_NAMES[self.speed]
        fixed = " · scales fixed" if self.scales_fixed else ""
        self._put("#live-speed", (f" speed: {speed} (+/-){fixed}", f" speed: {speed}{fixed}",
                                  f" {speed}{' · fixed' if fixed else ''}"))

    def _show_counts(self, force: bool = False) -> None:
        """Epoch, batch, loss, accuracy and speed; while running, at most every COUNTS_SECONDS (unless forced).

        Numbers that change twenty times a second cannot be read, and each change
        repaints the line and the progress bar.
        """
        now = time.perf_counter()
        if not force and self.state == "running" and now - self._last_counts < COUNTS_SECONDS:
            return
        self._last_counts = now
        f, r = self.frame, self.ready
        if f is None or r is None:
            self._put("#live-counts", ("",))
            return
        epoch, batch = f"{max(f.epoch, 1)}/{r.epochs}", f"{f.batch}/{f.nbatches}"
        # the epoch's mean so far is what the chart draws; the last batch's loss (one word's, batch 1) jumps
        mean = f"{f.train_loss:.4f}" if np.isfinite(f.train_loss) else ""
        both = f"loss: batch {f.loss:.4f}, epoch mean {mean}" if mean and np.isfinite(f.loss) else ""
        loss = f"epoch loss {mean}" if mean else ""
        acc = long_acc = ""
        if self.epochs:
            last = self.epochs[-1].metrics
            long_acc = f"accuracy {last.accuracy:.3f} (balanced {last.balanced_accuracy:.3f})"
            acc = f"acc {last.accuracy:.3f} (bal {last.balanced_accuracy:.3f})"
        # the trainer's rate counts its computing time only: below full speed, where it waits between
        # batches, that is not how fast names go by (the speed line says that)
        at_full = SPEED_NAMES[self.speed] == "full"
        speed = f"{f.names_per_sec:,.0f} names/s" if self.state == "running" and f.names_per_sec and at_full else ""
        forms = [[f"epoch {epoch}", f"batch {batch}", f"step {f.step}", both or loss, long_acc, speed],
                 [f"epoch {epoch}", f"batch {batch}", f"step {f.step}", loss, long_acc, speed],
                 [f"epoch {epoch}", f"batch {batch}", f"step {f.step}", loss, acc, speed],
                 [f"epoch {epoch}", f"batch {batch}", loss, acc, speed],
                 [f"epoch {epoch}", f"batch {batch}", loss, acc],
                 [f"epoch {epoch}", loss, acc], [f"epoch {epoch}", loss]]
        self._put("#live-counts", [" · ".join(p for p in parts if p) for parts in forms])
        done, total = run_progress(f.epoch, f.batch, f.nbatches, r.epochs)
        self.query_one("#live-progress", ProgressBar).update(total=total, progress=done)

    def _fit_layout(self) -> None:
        """Give each heatmap room in proportion to the columns it has to draw."""
        r = self.ready
        if r is None:
            return
        nhidden, nchars = int(r.config["nhidden"]), len(r.chars)

        def want(cols: int) -> int:
            return cols * 6 if cols <= 8 else min(cols, 64) * 2

        # the chart gets half again V's share: V can pool its cells into fewer columns, but a chart a few
        # dozen columns wide has room for two x ticks (lesson 9 step 6 at 120x40 had 8 columns of plot)
        self._fit_rows()
        widths = {"W": want(nhidden), "U": want(nchars), "V": want(nhidden) + 12,
                  "H": max(24, want(min(r.batch_size, 32))), "chart": max(48, want(nhidden) * 3 // 2)}
        for name, width in widths.items():
            part = self.query_one_optional(f"#live-{name}")
            if part is not None:
                part.styles.width = f"{width}fr"

    def _draw_all(self) -> None:
        self._draw_matrices()
        self._draw_lower()
        self._show_counts()
        self._draw_chart()
        self.frames_drawn += 1

    def _free_scales(self) -> None:
        if self.scales_fixed:
            self.scales_fixed = False
            for hm in self.query(Heatmap):
                hm.fixed_scale = None
            self._show_speed()

    def _draw_matrices(self) -> None:
        f, r = self.frame, self.ready
        if f is None or r is None:
            return
        if self.view == "gradients":
            use, prefix = f.grads, "dL/d"
        elif self.view == "changes" and self.previous is not None:
            use = {k: f.params[k] - self.previous.params[k] for k in ("W", "U", "V")}
            prefix = "Δ"
        else:
            use, prefix = f.params, ""
        chars = [c if c != " " else "␣" for c in r.chars]
        gates, nh = f.params["W"].shape[0] // f.params["W"].shape[1], f.params["W"].shape[1]
        stacked = f"{gates} gates' " if gates > 1 else ""   # a GRU's or LSTM's gate matrices, one above another
        what = {"gradients": "gradient", "changes": "change since the last frame"}.get(self.view, "")
        for key, rows_cols, labels in (("W", f"{stacked}hidden × hidden ({gates * nh}×{nh})", {}),
                                       ("U", f"{stacked}hidden × characters", {"col_labels": chars}),
                                       ("V", "languages × hidden", {"row_labels": list(r.classes)})):
            titles: tuple[str, ...] = (f"{prefix}{key}: {what}, {rows_cols}" if what else f"{key}  {rows_cols}",
                      f"{prefix}{key}  {rows_cols.split(' (')[0]}", f"{prefix}{key}")
            if gates > 1 and key != "V":
                titles = (*titles[:2], f"{prefix}{key} ({gates} gates)", titles[2])
            heatmap = self.query_one_optional(f"#live-{key}", Heatmap)
            if heatmap is not None:
                heatmap.show(use[key], title=titles, name=prefix + key, sequential=False, **labels)

    def _draw_lower(self) -> None:
        f, r = self.frame, self.ready
        panel = self.query_one_optional("#live-H", HiddenTimeline)
        if panel is None:
            return
        if r is None or f is None:
            panel.clear("H: after the first batch")
            return
        if self.lower == "confusion":
            if not self.epochs:
                panel.show(np.zeros((len(r.classes), len(r.classes))), row_labels=list(r.classes),
                           col_labels=[c[:3] for c in r.classes], title="confusion", name="share", sequential=True)
                panel.clear("the confusion matrix comes after the first epoch")
                return
            e = self.epochs[-1]
            cm = e.confusion.astype(float)
            share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
            panel.show(share, row_labels=list(r.classes), col_labels=[c[:3] for c in r.classes], name="share",
                       sequential=True, title=(f"confusion after epoch {e.epoch}: rows actual, columns guessed",
                                               f"confusion after epoch {e.epoch}", "confusion"))
            return
        if self.reading is not None and SPEED_NAMES[self.speed].startswith("one word"):
            rd = self.reading
            guess = r.classes[int(np.argmax(rd.probs))]
            read = f"{rd.word[:rd.t - 1]}[{rd.word[rd.t - 1]}]{rd.word[rd.t:]}"
            states = rd.hs[1:]
            panel.show(states.T, row_labels=[f"h{i}" for i in range(states.shape[1])], col_labels=list(rd.word[:rd.t]),
                       name="h", sequential=False,
                       title=(f"reading {read}: h_t, and the guess so far {guess} {rd.probs.max():.0%}",
                              f"reading {read}: {guess} {rd.probs.max():.0%}", f"reading {read}"))
            return
        n = f.H.shape[0]
        if n == 0:
            panel.show(np.zeros((int(r.config["nhidden"]), 1)), row_labels=None, col_labels=None, title="H",
                       name="H", sequential=False)
            panel.clear("H: the final h of each name in a batch, after the first batch")
            return
        labels = [name[:6] for name in f.names] if len(f.names) == n else None
        panel.show(f.H.T, row_labels=None, col_labels=labels, name="H", sequential=False,
                   title=(f"H: final h of each name in the batch ({n} {'name' if n == 1 else 'names'})",
                          f"H: final h, {n} {'name' if n == 1 else 'names'}", "H"))

    def _draw_chart(self) -> None:
        e = self.epochs
        drawn = (len(e), len(self.batch_losses) if len(e) < 2 else 0)
        now = time.perf_counter()
        chart = self.query_one_optional(LossChart)
        if chart is None or drawn == self._charted or (self.state == "running" and drawn[0] == self._charted[0]
                                                       and now - self._last_chart < CHART_SECONDS):
            return                                   # batch points while running: a redraw costs ~30 ms of the loop
        self._charted, self._last_chart = drawn, now
        chart.show_history([x.train_loss for x in e], [x.metrics.loss for x in e],
                                               [x.metrics.accuracy for x in e],
                                               [x.metrics.balanced_accuracy for x in e],
                                               batches=self.batch_losses if len(e) < 2 else ())

    def _clear(self, status: str) -> None:
        self.frame = self.previous = self.reading = self._pending = None
        self.epochs, self.batch_losses = [], []
        self.state = "starting"
        self._charted = (-1, -1)
        self.say(status)
        self._draw_chart()
        self._put("#live-counts", ("",))
        lower = self.query_one_optional("#live-H", HiddenTimeline)
        if lower is not None:
            lower.show(np.zeros((1, 1)), row_labels=None, col_labels=None, title="H")
            lower.clear("H: after the first batch")
