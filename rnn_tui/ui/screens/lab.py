"""The training lab: pick data and settings, train, and watch W, U, V, H and the gradients move.

Training runs in a worker thread that pulls snapshots from the engine's
generator and posts them as messages; a queued snapshot is superseded by a
newer one (LabSnapshot.can_replace), so the screen always draws the newest
state and never falls behind, even when a tiny data set finishes thousands
of epochs a second.  The curves come from the trainer's own per-epoch
history, so no dropped message loses a point.  While running, the generator yields
LIVE_FPS times a second of training time and the heatmaps repaint
HEATMAP_FPS times a second, leaving the CPU to training; paused, it yields
after every batch, so "step" trains exactly one batch and draws it.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Select, Static
from textual.worker import get_current_worker

from ...engine.train import STRATEGIES, Snapshot, TrainConfig, Trainer, TrainingDiverged
from ..widgets.charts import LossChart
from ..widgets.heatmap import Heatmap

LIVE_FPS = 8          # snapshots a second of training while running free
HEATMAP_FPS = 4       # heatmap repaints a second while running free: each costs ~50 ms of the
                      # GIL that training needs (paused or stepping, every batch is drawn)
PRESETS = {"cats": {"hidden": "4", "batch": "2", "lr": "0.05", "epochs": "100"},
           "names": {"hidden": "128", "batch": "32", "lr": "0.002", "epochs": "15"}}
BACKENDS = [("numpy (hand-written BPTT)", "numpy"), ("torch (autograd)", "torch"),
            ("torch.nn.RNN", "nnrnn")]


@dataclass
class Run:
    """One training thread's controls: its id, and events to stop it or let it step."""

    id: int
    stop: threading.Event = field(default_factory=threading.Event)
    step: threading.Event = field(default_factory=threading.Event)


class LabSnapshot(Message):
    """A snapshot from the training thread."""

    def __init__(self, snap: Snapshot, run: int) -> None:
        super().__init__()
        self.snap = snap
        self.run = run

    def __rich_repr__(self):
        """Keep message logging cheap: no arrays."""
        yield "kind", self.snap.kind
        yield "epoch", self.snap.epoch
        yield "batch", self.snap.batch

    def can_replace(self, message: Message) -> bool:
        """A queued snapshot may be dropped for a newer one: the trainer keeps the epoch history."""
        return isinstance(message, LabSnapshot)


class LabStopped(Message):
    """The training thread ended: finished, failed (with a reason) or reset."""

    def __init__(self, run: int, error: str | None = None) -> None:
        super().__init__()
        self.run = run
        self.error = error


class LabScreen(Screen):
    """Controls on the left; heatmaps and curves on the right."""

    BINDINGS = [
        Binding("space", "start_pause", "Start/pause"),
        Binding("s", "step", "Step a batch"),
        Binding("r", "reset", "Reset"),
        Binding("g", "toggle_grads", "Weights/gradients"),
        Binding("m", "toggle_confusion", "H/confusion"),
        Binding("w", "save", "Save model"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.trainer: Trainer | None = None
        self.vocab = None
        self.corpus = None
        self.running = False
        self.show_grads = False
        self.show_confusion = False
        self.last: Snapshot | None = None
        self.batches_seen = 0
        self._paused = threading.Event()          # shared: pausing outlives a reset
        self._last_paint = self._last_chart = 0.0
        self._charted = 0
        self._batches: list[tuple[float, float]] = []   # (epochs so far, batch loss) until epoch 2 ends
        self._ids = itertools.count(1)
        self._run: Run | None = None

    def compose(self) -> ComposeResult:
        """Settings column and the live panels."""
        yield Header()
        with Horizontal(id="lab-body"):
            with VerticalScroll(id="lab-controls"):
                yield Label("data")
                yield Select([("the article's cats", "cats"), ("shipped names", "names")],
                             value="cats", allow_blank=False, id="lab-data")
                yield Input(placeholder="or a folder / .csv path, enter", id="lab-path")
                yield Label("strategy")
                yield Select([(s, s) for s in STRATEGIES], value="sgd", allow_blank=False, id="lab-strategy")
                yield Label("backend")
                yield Select(BACKENDS, value="numpy", allow_blank=False, id="lab-backend")
                yield Label("optimizer")
                yield Select([("adam", "adam"), ("sgd", "sgd")], value="adam", allow_blank=False,
                             id="lab-optimizer")
                with Horizontal(classes="lab-pair"):
                    yield Input(PRESETS["cats"]["hidden"], id="lab-hidden", type="integer")
                    yield Input(PRESETS["cats"]["batch"], id="lab-batch", type="integer")
                with Horizontal(classes="lab-pair"):
                    yield Input(PRESETS["cats"]["lr"], id="lab-lr", type="number")
                    yield Input(PRESETS["cats"]["epochs"], id="lab-epochs", type="integer")
                yield Static(id="lab-status")
                yield ProgressBar(total=1, show_eta=False, id="lab-progress")
                yield Static(id="lab-stats")
            with Vertical(id="lab-panels"):
                with Horizontal(id="lab-row1"):
                    yield Heatmap("W", id="hm-W")
                    yield Heatmap("U", id="hm-U")
                with Horizontal(id="lab-row2"):
                    yield Heatmap("V", id="hm-V")
                    yield Heatmap("H", id="hm-H")
                    yield LossChart(id="lab-chart")
        yield Footer()

    def on_mount(self) -> None:
        """Label the boxes and build a trainer for the default settings."""
        for wid, title in (("lab-hidden", "hidden"), ("lab-batch", "batch"), ("lab-lr", "learning rate"),
                           ("lab-epochs", "epochs")):
            self.query_one(f"#{wid}").border_title = title
        self.sub_title = "training lab"
        self.action_reset()
        self.query_one("#hm-W").focus()            # so space starts training, not a dropdown

    # ------------------------------------------------------------ settings

    @on(Select.Changed, "#lab-data")
    def _data_changed(self, event: Select.Changed) -> None:
        """Called when the data set changes: load its usual settings, then reset."""
        preset = PRESETS.get(str(event.value))
        if preset:
            for key, value in preset.items():
                self.query_one(f"#lab-{key}", Input).value = value
            self.query_one("#lab-strategy", Select).value = "sgd" if event.value == "cats" else "vectorized"
            self.query_one("#lab-path", Input).value = ""
        self.action_reset()

    @on(Select.Changed, "#lab-strategy, #lab-backend, #lab-optimizer")
    def _setting_changed(self) -> None:
        """Called when a choice changes: start over with it."""
        if self.is_mounted:
            self.action_reset()

    @on(Input.Submitted)
    def _input_done(self, event: Input.Submitted) -> None:
        """Called when enter is pressed in a box: apply the settings."""
        event.stop()
        self.action_reset()
        self.query_one("#hm-W").focus()

    def _config(self) -> tuple[TrainConfig, str]:
        """The settings in the boxes; ValueError with a one-line reason when one is unusable."""
        def number(wid: str, kind: type, name: str):
            text = self.query_one(f"#lab-{wid}", Input).value.strip()
            try:
                return kind(text)
            except ValueError:
                raise ValueError(f"{name} must be a number, not {text!r}") from None

        path = self.query_one("#lab-path", Input).value.strip()
        source = path or str(self.query_one("#lab-data", Select).value)
        cfg = TrainConfig(strategy=str(self.query_one("#lab-strategy", Select).value),
                          backend=str(self.query_one("#lab-backend", Select).value),
                          optimizer=str(self.query_one("#lab-optimizer", Select).value),
                          nhidden=number("hidden", int, "hidden"), batch_size=number("batch", int, "batch"),
                          lr=number("lr", float, "learning rate"), epochs=number("epochs", int, "epochs"),
                          every_seconds=1 / LIVE_FPS, device="auto")
        cfg.check()
        if cfg.nhidden > 512:
            raise ValueError("hidden above 512 would not draw in a terminal; try 128")
        return cfg, source

    # ------------------------------------------------------------ actions

    def action_reset(self) -> None:
        """Stop any run and build a fresh trainer from the settings."""
        from ... import data

        self._halt()
        self.last, self.batches_seen, self._charted, self._batches = None, 0, 0, []
        self.query_one(LossChart).show_history([], [], [], [])
        try:
            cfg, source = self._config()
            self.corpus = data.load(source)
            dataset, self.vocab = data.to_dataset(self.corpus, 0.2, cfg.seed)
            self.trainer = Trainer(dataset, cfg)
        except (ValueError, OSError) as e:          # DataError is a ValueError too
            self.trainer = None
            self._status(f"[$error]{escape(str(e))}[/]")
            return
        except Exception as e:                      # e.g. a torch device that is not there
            self.trainer = None
            self._status(f"[$error]{type(e).__name__}: {e}[/]")
            return
        n = len(dataset.train)
        batch = 1 if cfg.strategy == "sgd" else cfg.batch_size
        self.query_one(ProgressBar).update(total=-(-n // batch), progress=0)
        self._status(f"ready: {n:,} training names, {len(dataset.classes)} languages. "
                     "space starts, s steps one batch")
        self._draw_params(self.trainer.params(), None)
        self.query_one("#lab-stats", Static).update("")

    def action_start_pause(self) -> None:
        """Start, pause or resume training."""
        if self.trainer is None:
            return
        if not self.running:
            self._paused.clear()
            self._launch()
        elif self._paused.is_set():
            self._paused.clear()
            self._status("training… (space pauses)")
        else:
            self._paused.set()
            self._status("paused: space resumes, s steps one batch")

    def action_step(self) -> None:
        """Train exactly one batch, then wait."""
        if self.trainer is None:
            return
        self._paused.set()
        if not self.running:
            self._launch()                         # a run launched paused trains one batch, then waits
        else:
            self._run.step.set()
        self._status("paused: space resumes, s steps one batch")

    def action_toggle_grads(self) -> None:
        """Switch the heatmaps between the weights and their gradients."""
        self.show_grads = not self.show_grads
        if self.last is not None:
            self._draw_params(self.last.params, self.last.grads)

    def action_toggle_confusion(self) -> None:
        """Switch the lower panel between the batch's H and the validation confusion matrix."""
        self.show_confusion = not self.show_confusion
        if self.last is not None:
            self._draw_lower(self.last)

    def _draw_lower(self, snap: Snapshot) -> None:
        panel = self.query_one("#hm-H", Heatmap)
        if not self.show_confusion:
            panel.show(snap.H.T, row_labels=None, col_labels=None, name="H", sequential=False,
                       title=(f"H: final h of this batch ({snap.H.shape[0]} names)", "H: final h per name", "H"))
            return
        from ...engine.train import split_confusion

        classes = self.trainer.data.classes
        cm = split_confusion(dict(snap.params), self.trainer.data.valid, len(classes)).astype(float)
        share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
        panel.show(share, row_labels=list(classes), col_labels=[c[:3] for c in classes], name="share",
                   sequential=True, title=("confusion: rows actual, columns guessed (share of row)",
                                           "confusion: rows actual, columns guessed", "confusion"))

    def action_save(self) -> None:
        """Write the best model so far to the user's data folder."""
        from ...model import save
        from ...progress import data_dir

        if self.trainer is None or self.last is None:
            self.notify("Train for at least one batch before saving.", severity="warning")
            return
        P, metrics = self.trainer.final()
        path = data_dir() / "models" / "lab.npz"
        try:
            save(path, P, self.vocab, self.trainer.data.classes,
                 {"config": dict(self.trainer.config.__dict__), "metrics": metrics.as_dict(),
                  "data": {"source": self.corpus.source, "fingerprint": self.corpus.fingerprint()},
                  "epoch": self.trainer.best_epoch})
        except OSError as e:
            self.notify(f"Could not save to {path}: {e.strerror}", severity="error")
            return
        self.app.lab_model = path
        self.notify(f"Saved to {path} (validation accuracy {metrics.accuracy:.3f}).")

    def action_back(self) -> None:
        """Leave a box; outside one, leave the lab (training stops)."""
        if isinstance(self.focused, Input):
            self.query_one("#hm-W").focus()
            return
        self._halt()
        self.app.pop_screen()

    # ------------------------------------------------------------- worker

    def _launch(self) -> None:
        self.running = True
        self._run = Run(next(self._ids))
        if self._paused.is_set():                  # stepping from the start: yield every batch
            self.trainer.control.set(every=1, every_seconds=None)
        else:
            self.trainer.control.set(every=0, every_seconds=1 / LIVE_FPS)
        self._set_controls(enabled=False)
        self._status("training… (space pauses)" if not self._paused.is_set() else "paused")
        self._train(self.trainer, self._run)

    def _halt(self) -> None:
        """Tell the running thread (if any) to stop; its late messages are ignored by run id."""
        if self._run is not None:
            self._run.stop.set()
            self._run.step.set()
        self._run = None
        self.workers.cancel_group(self, "lab")
        self.running = False
        self._set_controls(enabled=True)

    @work(thread=True, exclusive=True, group="lab")
    def _train(self, trainer: Trainer, run: Run) -> None:
        """Pull snapshots and post them; honour pause, step and stop."""
        worker = get_current_worker()
        try:
            for snap in trainer.run():
                if worker.is_cancelled or run.stop.is_set():
                    return
                self.post_message(LabSnapshot(snap, run.id))
                while self._paused.is_set() and not (worker.is_cancelled or run.stop.is_set()):
                    trainer.control.set(every=1, every_seconds=None)
                    if run.step.wait(0.05):
                        run.step.clear()
                        break
                else:
                    trainer.control.set(every=0, every_seconds=1 / LIVE_FPS)
        except TrainingDiverged as e:
            self.post_message(LabStopped(run.id, str(e)))
            return
        except Exception as e:  # a worker must report, never die silently
            self.post_message(LabStopped(run.id, f"{type(e).__name__}: {e}"))
            return
        self.post_message(LabStopped(run.id))

    @on(LabSnapshot)
    def _snapshot(self, message: LabSnapshot) -> None:
        """Called with the newest snapshot: draw it."""
        snap = message.snap
        if self._run is None or message.run != self._run.id:
            return                                 # from a run that was reset
        self.last = snap
        self.batches_seen += 1
        now = time.monotonic()
        if self._paused.is_set() or snap.kind == "epoch" or now - self._last_paint >= 1 / HEATMAP_FPS:
            self._last_paint = now
            self._draw_params(snap.params, snap.grads)
            self._draw_lower(snap)
        self.query_one(ProgressBar).update(total=snap.nbatches, progress=snap.batch)
        rate = "" if self._paused.is_set() else f"   {snap.names_per_sec:,.0f} names/s"
        stats = (f"epoch {snap.epoch}  batch {snap.batch}/{snap.nbatches}  step {snap.step}\n"
                 f"batch loss {snap.loss:.4f}   epoch loss {snap.train_loss:.4f}{rate}")
        chart_due = self._paused.is_set() or now - self._last_chart >= 1 / HEATMAP_FPS
        if len(self.history) < 2 and snap.nbatches:
            self._batches.append((snap.epoch - 1 + snap.batch / snap.nbatches, snap.loss))
        if (len(self.history) != self._charted or len(self.history) < 2) and chart_due:
            self._draw_chart()
        if self.history:
            m = self.history[-1]
            stats += f"\nvalid: accuracy {m.accuracy:.3f}  balanced {m.balanced_accuracy:.3f}"
        self.query_one("#lab-stats", Static).update(stats, layout=False)   # fixed height: no relayout

    @on(LabStopped)
    def _stopped(self, message: LabStopped) -> None:
        """Called when training ends."""
        if self._run is None or message.run != self._run.id:
            return
        self.running = False
        self._draw_chart()
        if self.last is not None:
            self._draw_params(self.trainer.params(), self.last.grads)
        self._set_controls(enabled=True)
        if message.error:
            self._status(f"[$error]{message.error}[/]")
        elif self.trainer is not None:
            best, why = self.trainer.best_metrics, self.trainer.stop_reason
            ended = f"finished {len(self.history)} epochs" if why == "finished" else f"stopped: {why}"
            self._status(f"{ended}; best validation accuracy {best.accuracy:.3f} (epoch "
                         f"{self.trainer.best_epoch}). w saves, r resets")

    # ------------------------------------------------------------- drawing

    @property
    def history(self) -> tuple:
        """Validation metrics per finished epoch, as of the newest snapshot drawn."""
        return self.last.history if self.last is not None else ()

    @property
    def train_losses(self) -> tuple[float, ...]:
        """Training loss per finished epoch, as of the newest snapshot drawn."""
        return self.last.train_losses if self.last is not None else ()

    def _draw_chart(self) -> None:
        h, losses = list(self.history), list(self.train_losses)
        n = min(len(h), len(losses))
        self._charted, self._last_chart = len(h), time.monotonic()
        self.query_one(LossChart).show_history(losses[:n], [m.loss for m in h[:n]],
                                               [m.accuracy for m in h[:n]], [m.balanced_accuracy for m in h[:n]],
                                               batches=self._batches)

    def _draw_params(self, params, grads) -> None:
        use = grads if (self.show_grads and grads is not None) else params
        prefix = "dL/d" if use is grads and grads is not None else ""
        chars = list(self.vocab.chars.replace(" ", "␣")) if self.vocab else None
        classes = list(self.trainer.data.classes) if self.trainer else None
        self.query_one("#hm-W", Heatmap).show(np.asarray(use["W"]), name=f"{prefix}W",
                                             title=(f"{prefix}W  hidden × hidden", f"{prefix}W"))
        self.query_one("#hm-U", Heatmap).show(np.asarray(use["U"]), col_labels=chars, name=f"{prefix}U",
                                             title=(f"{prefix}U  hidden × characters", f"{prefix}U"))
        self.query_one("#hm-V", Heatmap).show(np.asarray(use["V"]), row_labels=classes, name=f"{prefix}V",
                                             title=(f"{prefix}V  languages × hidden", f"{prefix}V"))

    def _status(self, text: str) -> None:
        self.query_one("#lab-status", Static).update(text)

    def _set_controls(self, enabled: bool) -> None:
        for widget in self.query("#lab-controls Select, #lab-controls Input"):
            widget.disabled = not enabled

    def on_unmount(self) -> None:
        """Never leave a training thread behind."""
        self._halt()
