"""Classify a name, and see why: the guess, h after each character, and the guess after each prefix.

Every keystroke runs the model over the name (a forward pass of a few
microseconds per character) and redraws: probability bars for the top
languages, the hidden-state timeline (one column h_t per character), and
the distribution after each prefix, so one watches the guess form as the
name is read.  The characters that raised the final guess most are marked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from ...model import MAX_NAME, Model, ModelError, Reading, load
from ...resources import pretrained_model
from ..widgets.charts import HiddenTimeline, ProbabilityBars
from ..widgets.heatmap import Heatmap

TOP = 5              # languages in the bars and in the per-prefix view
MARKED = 2           # characters marked as moving the guess most


def describe(reading: Reading) -> tuple[Text, list[str]]:
    """The name as read, characters marked, and notes about what happened to the input."""
    notes: list[str] = []
    if reading.truncated:
        notes.append(f"cut to the first {MAX_NAME} characters")
    if reading.changed:
        notes.append("folded to ASCII: " + ", ".join(f"{a}→{b or '∅'}" for a, b in reading.changed))
    if reading.dropped:
        shown = "".join(dict.fromkeys(c for _, c in reading.dropped))
        notes.append(f"dropped (not in the model's alphabet): {shown!r}")
    text = Text()
    gains = reading.influence()
    strongest = {int(i) for i in np.argsort(-gains)[:MARKED] if gains[i] > 0}
    dropped = {i for i, _ in reading.dropped}
    t = 0
    for i, ch in enumerate(reading.folded):
        if i in dropped:
            text.append(ch, style="red strike")
            continue
        style = "bold black on green" if t in strongest else "bold"
        text.append(ch, style=style)
        t += 1
    return text, notes


class ClassifyScreen(Screen):
    """Type a name; see the model's guess and how it got there."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+o", "cycle_model", "Switch model"),
    ]

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial = name
        self.model: Model | None = None
        self.model_label = ""
        self.reading: Reading | None = None

    def compose(self) -> ComposeResult:
        """The input and guess on the left, the hidden states and prefixes on the right."""
        yield Header()
        with Horizontal(id="cls-body"):
            with Vertical(id="cls-left"):
                yield Input(placeholder="type a family name", id="cls-name", max_length=200)
                yield Static(id="cls-reading")
                yield Static(id="cls-notes")
                yield ProbabilityBars(id="cls-bars")
                yield Static(id="cls-model")
                yield Input(placeholder="another model: path to a .npz, then enter", id="cls-model-path")
            with Vertical(id="cls-right"):
                yield HiddenTimeline("h", id="cls-h")
                yield Heatmap("p", id="cls-prefix")
        yield Footer()

    def on_mount(self) -> None:
        """Load the newest model the user has (the lab's), else the pretrained one."""
        self.sub_title = "classify a name"
        lab = getattr(self.app, "lab_model", None)
        self.use_model(lab if lab else pretrained_model(), "the model saved in the lab" if lab else
                       "the pretrained names model")
        box = self.query_one("#cls-name", Input)
        box.value = self.initial
        box.focus()
        self.classify(self.initial)

    # ---------------------------------------------------------------- model

    def use_model(self, path: Path, label: str) -> bool:
        """Switch to the model at path; a bad file leaves the current model and says why."""
        try:
            model = load(path)
        except ModelError as e:
            self.notify(str(e), severity="error", timeout=8)
            return False
        self.model, self.model_label = model, label
        langs = ", ".join(model.languages)
        self.query_one("#cls-model", Static).update(
            f"[b]model[/b]: {label} ({model.path.name})\n{len(model.languages)} languages: {langs}\n"
            f"[dim]ctrl+o switches between the pretrained and the lab's model[/dim]")
        return True

    def action_cycle_model(self) -> None:
        """Pretrained model <-> the model saved in the lab."""
        lab = getattr(self.app, "lab_model", None)
        if lab is None:
            self.notify("No lab model yet: train one in the lab (l) and save it with w.", timeout=5)
            return
        if self.model_label.startswith("the pretrained"):
            self.use_model(lab, "the model saved in the lab")
        else:
            self.use_model(pretrained_model(), "the pretrained names model")
        self.classify(self.query_one("#cls-name", Input).value)

    @on(Input.Submitted, "#cls-model-path")
    def _pick_model(self, event: Input.Submitted) -> None:
        """Called when a model path is entered."""
        path = Path(event.value.strip()).expanduser()
        if event.value.strip() and self.use_model(path, "a model file"):
            event.input.value = ""
            self.classify(self.query_one("#cls-name", Input).value)
            self.query_one("#cls-name", Input).focus()

    # ----------------------------------------------------------- classify

    @on(Input.Changed, "#cls-name")
    def _typed(self, event: Input.Changed) -> None:
        """Called on every keystroke."""
        self.classify(event.value)

    def classify(self, name: str) -> None:
        """Run the model over name and redraw every panel."""
        if self.model is None:
            return
        notes_widget = self.query_one("#cls-notes", Static)
        reading_widget = self.query_one("#cls-reading", Static)
        if not name.strip():
            self.reading = None
            reading_widget.update("", layout=False)
            notes_widget.update("[dim]Type a family name (Kowalski, Papadopoulos, O'Brien…) to see "
                                "which language it most likely comes from.[/dim]", layout=False)
            self.query_one(ProbabilityBars).update("", layout=False)
            return
        r = self.reading = self.model.read(name)
        text, notes = describe(r)
        if r.trace is None:
            notes.append("no letter this model knows yet: keep typing")
        # fixed heights (app.tcss): no layout pass per keystroke, which would cost ~40 ms
        reading_widget.update(Text.assemble("read as: ", text), layout=False)
        notes_widget.update(Text("\n".join(notes), style="yellow") if notes else "", layout=False)
        if r.trace is None:
            self.query_one(ProbabilityBars).update("", layout=False)
            return
        languages = self.model.languages
        self.query_one(ProbabilityBars).show(r.top(languages, TOP))
        chars = r.used.replace(" ", "␣")
        self.query_one(HiddenTimeline).show_states(r.trace.hs[1:], chars,
                                                   title=f"h after each character ({r.trace.hs.shape[1]} numbers)")
        order = np.argsort(-r.trace.final_probs)[:TOP]
        self.query_one("#cls-prefix", Heatmap).show(
            r.trace.probs[:, order].T, row_labels=[languages[i] for i in order], col_labels=list(chars),
            title="the guess after each prefix (top languages)")

    def action_back(self) -> None:
        """Back to where the user came from."""
        self.app.pop_screen()
