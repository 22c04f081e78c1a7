"""RecurrenceView: h_t = tanh(W h_{t-1} + U x_t) with its numbers plugged in, one t at a time.

    view = RecurrenceView(title="cat, read by the RNN")
    view.show(results.recurrence(word, codes, W, U))     # or a step's "recurrence" field

For the chosen t it draws the column of U that x_t selects, W h_{t-1},
their sum (plus the bias when the model has one), and h_t = tanh of that,
all on one colour scale.  Short vectors show their numbers; long ones (a
trained model's 128) show one coloured cell per number, folded to the
panel's width.  With the panel focused (tab), left and right move t along
the word, home and end jump to its ends.  Self-contained: the lesson
screen and the classify screen both use it through `show()`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding

from ... import safe
from ...steps import results
from ..palette import level_of, level_style
from .visuals import Visual, diverging

NUMBERS_UP_TO = 8          # vectors this short show their numbers; longer ones one cell per number


@cache
def _halves(left: int, right: int | None) -> Style:
    """A cell of two numbers: the left one's colour drawn as a left half block on the right one's."""
    return Style(color=level_style(left).bgcolor, bgcolor=None if right is None else level_style(right).bgcolor)


class RecurrenceView(Visual, can_focus=True):
    """One step of the recurrence with the real vectors; left and right move t."""

    DEFAULT_CSS = """
    RecurrenceView { width: 100%; height: auto; padding: 0 1; border: round $panel; }
    RecurrenceView:focus { border: round $accent; }
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Earlier t", show=False),
        Binding("right", "move(1)", "Later t", show=False),
        Binding("home", "move(-1000)", "First t", show=False),
        Binding("end", "move(1000)", "Last t", show=False),
    ]

    fit_content = False        # folds to the pane's width instead of widening it

    def __init__(self, title: str = "", hidden: bool = False, **kwargs: Any) -> None:
        super().__init__(title=title, hidden=hidden, **kwargs)
        self.t = 1             # 1-based, as in the article
        self.can_focus = not hidden     # a concealed panel stays out of the tab chain (tab goes to the answer)

    def reveal(self) -> None:
        """Show the recurrence; tab can reach it now."""
        super().reveal()
        self.can_focus = True

    def conceal(self) -> None:
        """Hide it again behind a '?', out of the tab chain."""
        super().conceal()
        self.can_focus = False

    def show(self, value: Any) -> None:
        """Draw a new word's recurrence, keeping t where it was if the word is long enough."""
        if isinstance(value, results.Recurrence):
            self.t = max(1, min(self.t, len(value.steps)))
        super().show(value)

    def clear(self, message: str) -> None:
        """No word to show: say why."""
        self.value = None
        self.update(Text(message, style="dim italic"))

    def action_move(self, by: int) -> None:
        """Move t along the word."""
        if isinstance(self.value, results.Recurrence) and self.value.steps:
            self.t = max(1, min(len(self.value.steps), self.t + by))
            self._redraw()

    def on_focus(self) -> None:
        """The hint changes when the keys work (drawn next: Textual sets has_focus after this handler)."""
        self.call_later(self._redraw)

    def on_blur(self) -> None:
        """The hint changes when the keys stop working."""
        self.call_later(self._redraw)

    def render_value(self, value: results.Recurrence) -> RenderableType:
        if not value.steps:
            return Text("no characters to read", style="dim")
        t = self.t
        s = value.steps[t - 1]
        self.border_subtitle = "←/→ move t" if self.has_focus else "tab here, then ←/→ move t"
        head = Text()
        head.append(f"h_{t} = tanh(W h_{t - 1} + U x_{t}{' + b' if value.bias else ''})", style="bold")
        head.append(f"\nt = {t} of {len(value.steps)}: ")
        for i, ch in enumerate(value.word, 1):
            head.append(safe.printable(ch), style="reverse bold" if i == t else "")
        head.append(f"\nx_{t} = {safe.printable(repr(s.char))}: column {s.code} of U", style="dim")
        plus_b = " + b" if value.bias else ""
        rows = [(f"U x_{t}", s.Ux),
                (f"W h_{t - 1}", s.Wh),
                (f"sum{plus_b}", s.z),
                (f"h_{t}", s.h)]
        scale = max((abs(x) for _, v in rows for x in v), default=0.0) or 1.0
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        for label, v in rows:
            grid.add_row(safe.text(label), self._cells(v, scale))
        per_cell = "" if len(s.h) <= NUMBERS_UP_TO else ", 2 a cell"
        # the colour scale on a line of its own: beside the text it wrapped at the pane's width
        legend = Text(f"{len(s.h)} numbers{per_cell}; h_{t} = tanh(sum)\n", style="dim")
        for x in (-scale, 0.0, scale):
            legend.append("  ", style=diverging(x, scale))
            legend.append(f" {x:+.2f} " if x else " 0 ", style="dim")
        return Group(head, grid, legend)

    @staticmethod
    def _cells(values: tuple[float, ...], scale: float) -> Text:
        """Numbers on coloured cells when few, one coloured cell per number when many."""
        text = Text()
        if len(values) <= NUMBERS_UP_TO:
            for x in values:
                text.append(f"{x:+.3f}", style=diverging(x, scale))
                text.append(" ")
        else:                   # two numbers a cell: the left half block in one colour, the right in the other
            levels = [level_of(x, scale) for x in values]
            for i in range(0, len(levels), 2):
                text.append("▌", style=_halves(levels[i], levels[i + 1] if i + 1 < len(levels) else None))
        return text
