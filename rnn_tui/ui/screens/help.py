"""The help screen: rnn-tui's own keys where it was opened, the palette, and what the colours mean.

Only keys that rnn-tui declares are listed (keys_of): Textual's
built-in bindings (scrolling, copying, focus moves) would bury the few
that matter under internals, and some of them (an arrow that "scrolls
right") are not what the key does on our screens.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..palette import LEVELS, color, level_rgb
from .calm import CalmScreen

EXTRA = [
    ("ctrl+p", "command palette: go to a lesson, open the lab, change the theme, quit"),
    ("tab / shift+tab", "move between the text, the input boxes, the heatmaps and the answer"),
    ("escape", "in an input box: leave the box (what escape does elsewhere, if anything, is listed above)"),
    ("mouse", "click options, boxes and heatmap cells, scroll the text; never required"),
]


def keys_of(screen: Screen, display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """(keys, description) for rnn-tui's bindings that act on screen now, nearest the focus first.

    Bindings come from the BINDINGS of rnn-tui classes only, along the focus chain (the focused
    widget, its containers, the screen, the app); a key is listed once, for its nearest binding,
    and not at all where the focused widget takes it as typing (q in a text box).
    Keys with one description share a row.  display turns a binding into its key as shown.
    """
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused is not None else [screen, screen.app]
    rows: dict[str, list[str]] = {}
    seen: set[str] = set()
    for node in chain:
        for cls in type(node).__mro__:
            if not cls.__module__.startswith("rnn_tui"):
                continue
            for b in vars(cls).get("BINDINGS", ()):
                if not isinstance(b, Binding) or not b.description:
                    continue
                if node.check_action(b.action.split("(")[0], ()) is False:
                    continue
                for key in (k.strip() for k in b.key.split(",")):
                    if key in seen or (focused is not None and node is not focused
                                       and focused.check_consume_key(key, key_to_character(key))):
                        continue                   # shadowed, or typed into the focused box
                    seen.add(key)
                    one = Binding(key, b.action, b.description, key_display=b.key_display)
                    shown = rows.setdefault(b.tooltip or b.description, [])
                    if display(one) not in shown:      # plus and = both show as +: list it once
                        shown.append(display(one))
    return [(" ".join(keys), description) for description, keys in rows.items()]


def colour_key() -> Table:
    """What the heatmap colours mean, drawn with the palette itself."""
    def ramp(levels: range, sequential: bool = False) -> Text:
        text = Text()
        for level in levels:
            text.append("█", style=Style(color=color(level_rgb(level, sequential))))
        return text

    table = Table(title="Colours", title_justify="left", show_header=False, box=None, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    table.add_row(ramp(range(-LEVELS, LEVELS + 1)),
                  "heatmaps of weights, gradients and h: blue below zero, grey at zero, red above; "
                  "the deeper, the larger |value| (the legend gives the scale)")
    table.add_row(ramp(range(0, LEVELS + 1), True),
                  "probabilities and shares, never negative: grey at zero, bright green at the top")
    table.add_row(Text("▀", style="rgb(250,204,21)"), "the heatmap cursor (its exact value is in the bottom border)")
    table.add_row(Text("strongest of 2×3", style="dim"),
                  "a matrix too big for its panel: each cell stands for 2×3 numbers and shows the one farthest "
                  "from zero")
    table.add_row(Text("kow", style="bold black on green"), "classify: the letters that raised the guess most")
    table.add_row(Text("9", style="red strike"), "classify: a character the model does not know, left out")
    return table


class HelpScreen(CalmScreen, ModalScreen):
    """A list of key bindings and colours; any of escape, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        """A table of keys, then the colours."""
        table = Table(title="Keys on this screen", title_justify="left", show_header=False, box=None)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in self.keys + EXTRA:
            table.add_row(Text(key), Text(description))
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(colour_key(), id="help-colours")
            yield Static(Text("escape, ? or q closes this help", style="dim"))
