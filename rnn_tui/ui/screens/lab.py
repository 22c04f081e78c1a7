"""The training lab: choose data and settings on the left, watch them train in a LivePanel.

Training runs in a process of its own (rnn_tui.trainhost), so the screen
stays responsive and training keeps its speed however busy drawing is.
Changing a choice, or pressing enter in a box, starts a fresh run with the
new settings; a setting that cannot work is reported in the panel's status
line and changes nothing.  Space starts or pauses wherever the focus is,
except while typing in a box.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, Static

from ... import safe
from ...engine.config import OPTIMIZERS, STRATEGIES
from ...trainhost import check
from ..confirm import SecondPress
from ..widgets.box import Box
from ..widgets.footer import KeyFooter
from ..widgets.live_panel import LivePanel
from .calm import CalmScreen

# what each data choice fills the boxes with; "article" is lesson 5's own run (W = I on its three words)
PRESETS: dict[str, dict[str, Any]] = {
    "cats": {"data": "cats", "strategy": "sgd", "nhidden": 4, "batch_size": 2, "lr": 0.05, "epochs": 100},
    "article": {"words": ["cat", "chat", "katze"], "languages": ["English", "French", "German"],
                "strategy": "sgd", "nhidden": 4, "batch_size": 1, "lr": 0.01, "epochs": 150,
                "init": "article", "seed": 0, "dtype": "float64", "clip": None},
    "names": {"data": "names", "strategy": "vectorized", "nhidden": 128, "batch_size": 32, "lr": 0.002,
              "epochs": 15, "balance": True},
    "pytorch-names": {"data": "pytorch-names", "strategy": "vectorized", "nhidden": 128, "batch_size": 32,
                      "lr": 0.002, "epochs": 15, "balance": True},
}
DATA_CHOICES = [("cats (4 words)", "cats"), ("lesson 5 (W = I)", "article"), ("names (shipped)", "names"),
                ("PyTorch names", "pytorch-names")]
BACKENDS = [("numpy (hand-written)", "numpy"), ("torch (autograd)", "torch"), ("torch.nn.RNN", "nnrnn")]
CELL_CHOICES = [("vanilla rnn", "rnn"), ("gru", "gru"), ("lstm (nn only)", "lstm")]
BALANCE_CHOICES = [("off", "off"), ("weighted", "on")]     # class-weighted loss: rare languages count as much
# Textual checks each keystroke in a number box against a pattern that backtracks exponentially on long
# runs of digits (26 digits and a letter held the app for 6 s): no setting needs more than a dozen
NUMBER_LENGTH = 12
SETTINGS_GAP = 0.03     # seconds between mounting the two groups of settings (a frame, and a breath)
LEAVE_CONFIRM_SECONDS = 4.0   # escape leaves a run that has trained only if pressed again within this time
BOXES = (("hidden", "nhidden", int), ("batch", "batch_size", int), ("learning rate", "lr", float),
         ("epochs", "epochs", int))


def _balance(preset: dict[str, Any]) -> str:
    """The balance choice a preset starts with."""
    return "on" if preset.get("balance") else "off"


class LabScreen(CalmScreen):
    """Settings on the left, one LivePanel on the right."""

    # the panel takes the keys once the first frame is on screen (opened): focus restyles the panel's
    # widgets (its :focus-within rules), 5 to 7 ms the first frame can do without; and focus given to the
    # settings column first, then moved, restyled its hundred widgets twice (about 50 ms)
    AUTO_FOCUS = ""          # nothing: not the app's "*", which would pick the settings column

    DEFAULT_CSS = """
    LabScreen #lab-controls { width: 30; padding: 0 1; border-right: vkey $primary; scrollbar-size-vertical: 1; }
    LabScreen.narrow #lab-controls { width: 25; padding: 0; }
    LabScreen .lab-row { height: 1; margin-bottom: 1; }
    LabScreen.short .lab-row { margin-bottom: 0; }
    LabScreen .lab-row Label { width: 10; color: $text; }
    LabScreen .lab-row Select, LabScreen .lab-row Input { width: 1fr; }
    LabScreen #lab-path { margin-bottom: 1; }
    LabScreen.short #lab-path { margin-bottom: 0; }
    LabScreen #lab-keys { color: $text; height: auto; }
    """
    BINDINGS = [
        Binding("space", "start_pause", "Run", tooltip="Start or pause training", priority=True),
        Binding("o", "settings", "Settings", show=False),      # the settings column says o
        Binding("w", "save", "Save", tooltip="Save the best model so far"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, preset: str = "cats") -> None:
        super().__init__()
        self.first = preset if preset in PRESETS else "cats"
        self._batch_before_sgd = str(PRESETS[self.first]["batch_size"])
        self.settings_ready = False           # the settings column is mounted after the first frame
        self._leave = SecondPress(LEAVE_CONFIRM_SECONDS)   # escape leaves a run that trained when pressed twice

    def compose(self) -> ComposeResult:
        """The live panel, and a column for the settings (they come in the next frames: opened)."""
        yield Header()
        with Horizontal(id="lab-body"):
            yield VerticalScroll(id="lab-controls")
            yield LivePanel(self._first_preset(), rows_later=True, id="lab-live")
        yield KeyFooter()                     # one line drawn by one widget; keeps ? in view when keys are left out

    def _settings(self) -> list[list[Widget]]:
        """The settings column's rows, in the groups it is mounted in (a frame each)."""
        p = PRESETS[self.first]

        def row(label: str, box: Widget) -> Horizontal:
            return Horizontal(Label(label), box, classes="lab-row")

        def choice(label: str, options: Any, value: str, key: str) -> Horizontal:
            return row(label, Select(options, value=value, allow_blank=False, compact=True, id=f"lab-{key}"))

        choices: list[Widget] = [
            choice("data", DATA_CHOICES, self.first, "data"),
            Input(placeholder="or a folder/.csv path", compact=True, id="lab-path"),
            choice("strategy", [(s, s) for s in STRATEGIES], p["strategy"], "strategy"),
            choice("backend", BACKENDS, "numpy", "backend"),
            choice("optimizer", [(o, o) for o in OPTIMIZERS], "adam", "optimizer"),
            choice("cell", CELL_CHOICES, "rnn", "cell"),
            choice("balance", BALANCE_CHOICES, _balance(p), "balance"),
        ]
        boxes: list[Widget] = [
            row(label if len(label) < 9 else "rate",
                Box(str(p[key]), type="integer" if kind is int else "number", compact=True, id=f"lab-{key}",
                    max_length=NUMBER_LENGTH, label=f"the {label} box"))
            for label, key, kind in BOXES]
        boxes.append(Static("o moves the keys here; enter applies the box you typed in; escape returns to training.\n"
                            "w saves the best model so far.",
                            id="lab-keys"))
        # at most two dropdowns a group: each is a handful of widgets to style and lay out, and four in one
        # frame, with the frame's paint, made the lab's longest stall (54 ms beside a CPU-bound process)
        return [choices[:2], choices[2:4], choices[4:6], [*choices[6:], *boxes]]

    def _first_preset(self) -> dict[str, Any]:
        """The preset the boxes will show, so that mounting them starts no second run."""
        p = PRESETS[self.first]
        return dict(p, backend="numpy", optimizer="adam", cell="rnn", balance=p.get("balance", False),
                    batch_size=1 if p["strategy"] == "sgd" else p["batch_size"])

    def on_mount(self) -> None:
        """Name the screen and fit the layout (the panel takes the keys once the lab is on screen)."""
        self.sub_title = "training lab"
        self._fit(self.app.size.width, self.app.size.height)

    def opened(self) -> None:
        """The lab's frame is on screen: now the panel's rows, then the settings, a frame each.

        Composed and drawn at once, the column's hundred widgets and the panel's heatmaps made opening
        the lab callbacks of 25 to 40 ms (styling, laying out, drawing) and its first paint late; the
        first frame now has the panel's status and an empty column, and each piece after it is styled,
        laid out and drawn in a frame of its own.
        """
        if self.focused is None:
            self.panel.focus()
        self.run_worker(self._mount_settings(), group="settings", name="mount the settings")

    async def _mount_settings(self) -> None:
        while await self.panel.add_row():             # the panel's rows of heatmaps and chart, a frame each
            await asyncio.sleep(SETTINGS_GAP)
        column = self.query_one("#lab-controls")
        for i, group in enumerate(self._settings()):
            if i:
                await asyncio.sleep(SETTINGS_GAP)     # the first group's frame, then a moment for keys
            await column.mount_all(group)             # (returns once each row has mounted its boxes)
        self._sgd_batch()
        self.settings_ready = True

    def on_resize(self, event) -> None:
        """Narrow the settings column on small terminals."""
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        self.set_class(width < 100, "narrow")
        self.set_class(height < 30, "short")

    @property
    def panel(self) -> LivePanel:
        """The live training panel."""
        return self.query_one(LivePanel)

    # ------------------------------------------------------------ settings

    @on(Select.Changed, "#lab-data")
    def _data_changed(self, event: Select.Changed) -> None:
        """Called when the data changes: fill the boxes with its usual settings and start over."""
        p = PRESETS.get(str(event.value))
        if p is None or not self.settings_ready:     # (a Select reports its value as it mounts)
            return
        self.query_one("#lab-path", Input).value = ""
        self.query_one("#lab-batch_size", Input).disabled = False
        with self.prevent(Select.Changed):
            self.query_one("#lab-strategy", Select).value = p["strategy"]
            self.query_one("#lab-balance", Select).value = _balance(p)
        for _, key, _ in BOXES:
            self.query_one(f"#lab-{key}", Input).value = str(p[key])
        self._batch_before_sgd = str(p["batch_size"])
        self._sgd_batch()
        self._apply()
        self.panel.focus()                          # space now starts training, not the dropdown

    @on(Select.Changed, "#lab-strategy, #lab-backend, #lab-optimizer, #lab-cell, #lab-balance")
    def _choice_changed(self, event: Select.Changed) -> None:
        """Called when a choice changes: start over with it."""
        if not self.settings_ready:
            return
        if event.select.id == "lab-strategy":
            self._sgd_batch()
        self._apply()
        self.panel.focus()

    @on(Input.Submitted)
    def _box_done(self, event: Input.Submitted) -> None:
        """Called on enter in a box: apply the settings."""
        event.stop()
        if self._apply():
            self.panel.focus()

    def _sgd_batch(self) -> None:
        """Under sgd a batch is one name: the box says so and cannot be changed."""
        box = self.query_one("#lab-batch_size", Input)
        sgd = self.query_one("#lab-strategy", Select).value == "sgd"
        if sgd and not box.disabled:
            self._batch_before_sgd = box.value
            box.value, box.disabled = "1", True
        elif not sgd and box.disabled:
            box.value, box.disabled = self._batch_before_sgd, False

    def preset(self) -> dict[str, Any]:
        """The settings on screen as a preset; ValueError with a one-line reason when one is unusable."""
        choice = str(self.query_one("#lab-data", Select).value)
        path = self.query_one("#lab-path", Input).value.strip()
        base = dict(PRESETS.get(choice, PRESETS["cats"]))
        if path:
            base.pop("words", None)
            base.pop("languages", None)
            base["data"] = path
        for name in ("strategy", "backend", "optimizer", "cell"):
            base[name] = str(self.query_one(f"#lab-{name}", Select).value)
        base["balance"] = self.query_one("#lab-balance", Select).value == "on"
        for label, key, kind in BOXES:
            text = self.query_one(f"#lab-{key}", Input).value.strip()
            if not text:
                raise ValueError(f"{label} is empty: type a number (its box takes digits only)")
            try:
                base[key] = kind(text)
            except ValueError:
                raise ValueError(f"{label} must be a number, not {text!r}") from None
        try:
            check(base)
        except ValueError as e:                      # the check names the settings as the engine does
            message = str(e)
            for label, key, _ in BOXES:
                message = re.sub(rf"\b{key}\b", label, message)
            raise ValueError(message) from None
        return base

    def _apply(self) -> bool:
        """Train the settings on screen from scratch; False (and a one-line reason) if they cannot work.

        New data, while a run that has trained is on screen, is looked at first (its first rows, a
        millisecond or so): a misspelt path, a file that is not names data or a data set not yet
        downloaded is reported and the run is kept, where the training process would have dropped
        it to load the new data.  What only the whole file shows is still the process's to report.
        """
        try:
            preset = self.preset()
        except ValueError as e:
            self._refuse(str(e))
            return False
        if preset == self.panel.preset:            # Select.Changed also comes on mount: no restart then
            return True
        trained = self.panel.frame is not None and self.panel.frame.step > 0
        if trained and "data" in preset and preset["data"] != self.panel.preset.get("data"):
            from ... import data  # imported at start-up, in a thread (app._import_screens)

            try:
                data.peek(preset["data"])
            except (data.DataError, OSError) as e:
                self._refuse(f"{safe.one_line(str(e))}; the run on screen is kept")
                return False
        self.panel.configure(preset)
        return True

    def _refuse(self, message: str) -> None:
        """One line on the panel's status line (whole in a notice too, if the line cuts it)."""
        self.panel.say(message, error=True)
        line = self.panel.query_one("#live-status")
        if len(message) > line.size.width:
            self.notify(message, severity="error", timeout=10, markup=False)

    # ------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space types into a box and picks in an open list; elsewhere it starts or pauses."""
        if action == "start_pause":
            focused = self.focused
            if isinstance(focused, Input) or (focused is not None and focused.parent is not None
                                              and type(focused).__name__ == "SelectOverlay"):
                return False
        return True

    def action_start_pause(self) -> None:
        """Start or pause training, wherever the focus is."""
        self.panel.action_start_pause()

    def action_settings(self) -> None:
        """Jump to the settings column (its first choice, the data), once it is there."""
        if self.settings_ready:
            self.query_one("#lab-data", Select).focus()

    def action_save(self) -> None:
        """Write the best model so far to the user's data folder."""
        from ...progress import HomeError, data_dir

        if self.panel.frame is None or self.panel.frame.step == 0:
            self.notify("Train for at least one batch before saving.", severity="warning")
            return
        try:
            folder = data_dir()
        except HomeError as e:                      # RNN_TUI_HOME='~nosuchuser/x'
            self.notify(str(e), severity="error", markup=False)
            return
        self.panel.save(str(folder / "models" / "lab.npz"))

    @on(LivePanel.ModelSaved)
    def _saved(self, event: LivePanel.ModelSaved) -> None:
        """Called when the model file is written: classify uses it from now on."""
        from pathlib import Path

        setattr(self.app, "lab_model", Path(event.path))   # noqa: B010 (RnnTuiApp's, not App's)

    def action_back(self) -> None:
        """Leave the settings (a box or a choice) for the panel, as the column says; from the panel, leave
        the lab: its training process ends, and a run that had started says so."""
        focused = self.focused
        if focused is not None and self.query_one("#lab-controls") in focused.ancestors:
            self.panel.focus()
            return
        trained = self.panel.frame is not None and self.panel.frame.step > 0
        if trained and not self._leave.confirmed():  # a run is thrown away only by a second escape
            self.notify("Leaving ends this run: press escape again to leave, or w first to save the best model.",
                        timeout=LEAVE_CONFIRM_SECONDS)
            return
        self.panel.close()
        self.app.pop_screen()
        if trained:
            self.app.notify("The lab's run ended when you left it.", timeout=4)
