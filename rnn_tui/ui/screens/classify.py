"""Classify a name, and see why: the guess, h after each character, and the guess after each prefix.

Every keystroke runs the model over the name (a forward pass of a few
microseconds per character) and redraws: probability bars for the top
languages, the hidden-state timeline (one column h_t per character), and
the distribution after each prefix, so one watches the guess form as the
name is read.  The characters that raised the final guess most are marked.
ctrl+t swaps the heatmaps for the recurrence itself, h_t = tanh(W h_{t-1} +
U x_t) with the real vectors at one t, which the arrows move along the name.

The model in use is named at the top of the screen.  It is always the
pretrained names model at first; a model saved in the training lab (often a
toy cats model) is offered, never silently preferred: ctrl+o switches.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static

from ... import safe
from ...files import PathError, expand
from ...model import MAX_NAME, Model, ModelError, Reading, load
from ...resources import pretrained_model
from ...steps import results
from ..widgets.box import Box
from ..widgets.charts import HiddenTimeline, ProbabilityBars
from ..widgets.footer import KeyFooter
from ..widgets.heatmap import Heatmap
from ..widgets.recurrence import RecurrenceView
from .calm import CalmScreen

NAME_BOX = 200       # characters the name box holds (the model reads the first MAX_NAME)
TOP = 5              # languages in the bars and in the per-prefix view
MARKED = 2           # characters marked as moving the guess most
MARK = "bold black on green"
PRETRAINED = "the pretrained names model"
LAB = "your model from the lab"


def describe(reading: Reading) -> tuple[Text, list[str]]:
    """The name as read, characters marked, and notes about what happened to the input."""
    notes: list[str] = []
    if reading.truncated:
        notes.append(f"cut to the first {MAX_NAME} characters")
    if reading.changed:
        notes.append("folded to ASCII: " + ", ".join(f"{a}→{b or '∅'}" for a, b in reading.changed))
    if reading.removed:
        notes.append(f"dropped (symbols, not letters): {' '.join(reading.removed)}")
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
        style = MARK if t in strongest else "bold"
        text.append(ch, style=style)
        t += 1
    return text, notes


class ClassifyScreen(CalmScreen):
    """Type a name; see the model's guess and how it got there."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+o", "cycle_model", "Switch model"),
        Binding("ctrl+t", "toggle_recurrence", "Step by step"),
    ]

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial = name
        self.model: Model | None = None
        self.model_label = ""
        self.reading: Reading | None = None

    def compose(self) -> ComposeResult:
        """The input, the model and the guess on the left, the hidden states and prefixes on the right."""
        yield Header()
        with Horizontal(id="cls-body"):
            with Vertical(id="cls-left"):
                yield Box(placeholder="type a family name", id="cls-name", max_length=NAME_BOX, label="the name box")
                yield Static(id="cls-model")
                yield Static(id="cls-reading")
                yield Static(id="cls-notes")
                yield ProbabilityBars(id="cls-bars")
                yield Input(placeholder="another model: path to a .npz, then enter", id="cls-model-path")
            with Vertical(id="cls-right"):
                yield HiddenTimeline("h", id="cls-h")
                yield Heatmap("p", id="cls-prefix", sequential=True)
                yield RecurrenceView(title="one step of the recurrence", id="cls-recurrence")
        yield KeyFooter()      # one widget draws the line: Textual's Footer mounted a widget per key, again
                               # on every screen pushed above this one (10 widgets, 8 ms in the lab's opening)

    def on_mount(self) -> None:
        """Start with the pretrained names model, whatever the lab saved."""
        self.query_one("#cls-model", Static).border_title = "model"
        self.use_model(pretrained_model(), PRETRAINED)
        box = self.query_one("#cls-name", Input)
        box.value = self.initial      # a name given: its Input.Changed classifies it (_typed), once
        box.focus()
        if not self.initial:
            self.classify("")         # no change to report: show the hint

    # ---------------------------------------------------------------- model

    def use_model(self, path: Path, label: str) -> bool:
        """Switch to the model at path; a bad file leaves the current model and says why."""
        try:
            model = load(path)
        except ModelError as e:
            self.notify(safe.one_line(str(e)), severity="error", timeout=8, markup=False)
            return False
        except (OSError, ValueError, ArithmeticError, LookupError, AttributeError, EOFError, RecursionError,
                MemoryError) as e:                       # a file the loader did not foresee: one line, no crash
            self.notify(f"{safe.path(path)}: not a usable model ({type(e).__name__})", severity="error",
                        timeout=8, markup=False)
            return False
        # language names come from the file: no escape sequence or control character reaches the screen
        model = replace(model, languages=tuple(safe.one_line(x) for x in model.languages))
        self.model, self.model_label = model, label
        self.sub_title = f"classify a name · {label}"
        self.query_one(ProbabilityBars).label_width = max(len(x) for x in model.languages)
        self._describe_model(model, label)
        return True

    def _describe_model(self, model: Model, label: str) -> None:
        """The model box: which model, what it knows, how to switch; file text is never markup."""
        data = model.meta.get("data")
        source = data.get("source") if isinstance(data, dict) else None
        text = Text(no_wrap=True, overflow="ellipsis")              # one line each: the box has a fixed height
        text.append(label, style="bold")
        text.append(f" ({model.path.name if model.path else 'in memory'})")
        if source and label != PRETRAINED:
            text.append(f", trained on {source}")
        languages = ", ".join(model.languages)
        text.append(f"\n{len(model.languages)} languages: {languages}", style="dim")
        lab = getattr(self.app, "lab_model", None)
        if lab is not None and label == PRETRAINED:
            hint = "ctrl+o: use the model you saved in the lab"
        elif label != PRETRAINED:
            hint = "ctrl+o: back to the pretrained names model"
        else:
            hint = "ctrl+o: a model saved in the lab (w), once there is one"
        text.append("\n" + hint, style="italic")
        box = self.query_one("#cls-model", Static)
        box.update(text)
        box.tooltip = Text(f"{len(model.languages)} languages: {languages}")

    def action_cycle_model(self) -> None:
        """Pretrained model <-> the model saved in the lab."""
        lab = getattr(self.app, "lab_model", None)
        if self.model_label != PRETRAINED:
            self.use_model(pretrained_model(), PRETRAINED)
        elif lab is None:
            self.notify("No lab model yet: train one in the lab (l) and save it with w.", timeout=5)
            return
        else:
            self.use_model(lab, LAB)
        self.classify(self.query_one("#cls-name", Input).value)

    @on(Input.Submitted, "#cls-model-path")
    def _pick_model(self, event: Input.Submitted) -> None:
        """Called when a model path is entered."""
        if not event.value.strip():
            return
        try:
            path = expand(event.value.strip())
        except PathError as e:                           # ~nosuchuser, a NUL, an unencodable name
            self.notify(safe.one_line(str(e)), severity="error", timeout=8, markup=False)
            return
        if self.use_model(path, "a model file"):
            event.input.value = ""
            self.classify(self.query_one("#cls-name", Input).value)
            self.query_one("#cls-name", Input).focus()

    # ----------------------------------------------------------- classify

    @on(Input.Changed, "#cls-name")
    def _typed(self, event: Input.Changed) -> None:
        """Called on every keystroke."""
        self.classify(event.value)

    def _blank(self, hint: str) -> None:
        """No guess to show: empty bars, heatmaps that say why."""
        self.query_one(ProbabilityBars).clear()
        self.query_one(HiddenTimeline).clear(hint)
        self.query_one("#cls-prefix", Heatmap).clear(hint)
        self.query_one(RecurrenceView).clear(hint)

    def classify(self, name: str) -> None:
        """Run the model over name and redraw every panel."""
        if self.model is None:
            return
        notes_widget = self.query_one("#cls-notes", Static)
        reading_widget = self.query_one("#cls-reading", Static)
        if not name.strip():
            self.reading = None
            reading_widget.update("", layout=False)
            hint = "Type a family name (Kowalski, O'Brien…) to see its likely language. f1: the keys."
            notes_widget.update(Text(hint, style="dim"), layout=False)
            self._blank("type a name to see this")
            return
        r = self.reading = self.model.read(name)
        text, notes = describe(r)
        if r.trace is None:
            notes.append("no letter this model knows yet: keep typing")
        languages = self.model.languages
        ranked = r.top(languages, TOP) if r.trace is not None else []
        key = Text("\n")
        if ranked and MARK in {str(span.style) for span in text.spans}:
            key.append("green", style=MARK)
            key.append(f": raised {ranked[0][0]} most")
        # fixed heights (app.tcss): no layout pass per keystroke, which would cost ~40 ms
        reading_widget.update(Text.assemble("read as: ", text, key), layout=False)
        notes_widget.update(Text("\n".join(notes), style="yellow") if notes else "", layout=False)
        if r.trace is None:
            self._blank("no letter this model knows yet")
            return
        self.query_one(ProbabilityBars).show(ranked)
        chars = r.used.replace(" ", "␣")
        self.query_one(HiddenTimeline).show_states(
            r.trace.hs[1:], chars, title=(f"h after each character ({r.trace.hs.shape[1]} numbers)",
                                          "h after each character", "h"))
        if self.query_one(RecurrenceView).display:      # hidden, it is drawn when ctrl+t shows it
            self._show_recurrence(r)
        order = np.argsort(-r.trace.final_probs)[:TOP]
        self.query_one("#cls-prefix", Heatmap).show(
            r.trace.probs[:, order].T, row_labels=[languages[i] for i in order], col_labels=list(chars),
            title=("the guess after each prefix: probability of the top languages",
                   "the guess after each prefix", "guess per prefix"))

    def _show_recurrence(self, r: Reading) -> None:
        """h_t = tanh(W h_{t-1} + U x_t) for the name, with the model's own vectors (a vanilla RNN's)."""
        view, model = self.query_one(RecurrenceView), self.model
        if model is None or "W" not in model.params or "U" not in model.params:
            view.clear("this model's cell has no single W and U to show")
            return
        P = model.params
        view.show(results.recurrence(r.used, model.vocab.encode(r.used), P["W"], P["U"], P.get("bh")))

    def action_toggle_recurrence(self) -> None:
        """Swap the heatmaps for the recurrence at one t (and back); arrows move t while it has focus."""
        view = self.query_one(RecurrenceView)
        showing = not view.display
        if showing and self.reading is not None and self.reading.trace is not None:
            self._show_recurrence(self.reading)     # the name as it is now (nothing is drawn while hidden)
        view.display = showing
        self.query_one(HiddenTimeline).display = not showing
        self.query_one("#cls-prefix", Heatmap).display = not showing
        (view if showing else self.query_one("#cls-name", Input)).focus()

    def action_back(self) -> None:
        """Back to where the user came from."""
        self.app.pop_screen()
