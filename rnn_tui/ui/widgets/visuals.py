"""Visuals: widgets that draw one typed field of a step's result.

Each visual is a Static with `show(value)`, where value is one of the typed
results of rnn_tui.steps.results; lessons pick them by kind name (rnn_tui.ui.widgets.kinds.VISUALS,
keyed by the same VISUAL_KINDS the content check reads).  Text that
comes from results is never read as markup.  Numbers get a diverging colour scale centred on zero: blue below,
red above, grey at zero; Rich maps the colours down to 256 or 16 colours on
terminals that have no truecolour.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Static

from ... import safe
from ...steps import results
from ..palette import cell_style
from . import drawn


def diverging(value: float, scale: float) -> Style:
    """A cell style for value on a scale of +-scale, from the app's one palette (the heatmaps' too)."""
    return cell_style(value, scale)


def _is_numeric(x: Any) -> bool:
    """Numbers, and strings that read as numbers ('0.417', '7,056', '1.2e-05')."""
    if isinstance(x, (int, float)):
        return True
    try:
        float(str(x).replace(",", ""))
    except ValueError:
        return False
    return True


_fmt = results.format_cell          # one way to write a value, shared with `rnn-tui check`


UNSQUEEZED = 2000      # the width a panel is drawn at to find its natural width: nothing wraps

HIDDEN_NOTE = "?  hidden until you answer the question (r reveals it)"


class Visual(Static):
    """Base class: a titled panel that draws one value.

    Until its value arrives it says so; a concealed panel (lesson.toml's
    `hidden = true`) keeps its value back and shows a "?" until revealed.
    The panel is as wide as its content, so a long table scrolls sideways
    in its pane instead of squeezing its columns.
    """

    DEFAULT_CSS = """
    Visual { height: auto; width: auto; min-width: 20; margin: 0 0 1 0; }
    """

    fit_content = True
    """As wide as the content (a wide table scrolls sideways); False: as wide as the pane.

    Such a panel draws its content once per value, at its natural width, and keeps the lines: its
    width, its height and every repaint come from them.  Textual's Static would draw a table
    three times for one value (to measure its width, to find its height and to paint it), and
    again on each repaint after a layout change; a matrix of numbers took 5 to 10 ms each time.
    """

    def __init__(self, title: str = "", hidden: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title = title
        self.concealed = hidden
        self.value: Any = None
        self._lines: list[Strip] | None = None      # the content drawn at its natural width (fit_content)

    def on_mount(self) -> None:
        """Say that the value is on its way."""
        self._redraw()

    def show(self, value: Any) -> None:
        """Draw a new value (kept back while concealed)."""
        self.value = value
        self._redraw()

    def reveal(self) -> None:
        """Show the value of a concealed panel."""
        self.concealed = False
        self._redraw()

    def conceal(self) -> None:
        """Hide the value again behind a "?"."""
        self.concealed = True
        self._redraw()

    def _redraw(self) -> None:
        if self.value is None:
            body: RenderableType = Text("… computing", style="dim italic")
        elif self.concealed:
            body = Text(HIDDEN_NOTE, style="italic")
        else:
            body = self.render_value(self.value)
        panel = Group(safe.text(self.title, style="bold"), body) if self.title else body
        if self.fit_content:
            self._lines = drawn.draw(self, panel, UNSQUEEZED)
            self.styles.width = max(20, max((line.cell_length for line in self._lines), default=0))
        self.update(panel)                     # still the widget's content (tests read it; so may selection)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The number of lines drawn (the panel is as wide as they are, so none wraps)."""
        if self._lines is not None and self.fit_content:
            return len(self._lines)
        return super().get_content_height(container, viewport, width)

    def render_line(self, y: int) -> Strip:
        """A line drawn by _redraw, on the widget's own colours; while text is selected, Textual's own."""
        if self._lines is None or not self.fit_content or self.text_selection is not None:
            return super().render_line(y)
        return drawn.line(self, self._lines, y)

    def render_value(self, value: Any) -> RenderableType:  # pragma: no cover - abstract
        raise NotImplementedError


class TableVisual(Visual):
    """A results.Table as a table."""

    def render_value(self, value: results.Table) -> RenderableType:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        rows = value.rows
        for j, c in enumerate(value.columns):
            numeric = all(_is_numeric(r[j]) for r in rows if j < len(r) and r[j] != "")
            table.add_column(safe.text(c), justify="right" if numeric else "left", no_wrap=True)
        for row in rows:
            table.add_row(*(safe.text(_fmt(x)) for x in row))
        return table


class VectorVisual(Visual):
    """A results.Vector as coloured cells: with values when short, as a heat strip when long."""

    PER_ROW = 16

    def render_value(self, value: results.Vector) -> RenderableType:
        values = list(value.values)
        scale = max((abs(v) for v in values), default=0.0) or 1.0
        text = Text()
        if len(values) <= 12:
            for v in values:
                text.append(f" {_fmt(v):>6} ", style=diverging(v, scale))
                text.append(" ")
        else:
            for i, v in enumerate(values):
                if i and i % self.PER_ROW == 0:
                    text.append("\n")
                text.append("  ", style=diverging(v, scale))
        legend = Text(f"{len(values)} numbers; ", style="dim")
        legend.append("  ", style=diverging(-scale, scale))
        legend.append(f" {-scale:+.3f}  ", style="dim")
        legend.append("  ", style=diverging(0, scale))
        legend.append(" 0  ", style="dim")
        legend.append("  ", style=diverging(scale, scale))
        legend.append(f" {scale:+.3f}", style="dim")
        return Group(text, legend)


class MatrixVisual(Visual):
    """A results.Matrix as a coloured grid with its values and labels."""

    def render_value(self, value: results.Matrix) -> RenderableType:
        rows = value.values
        scale = max((abs(x) for r in rows for x in r), default=0.0) or 1.0
        table = Table(box=None, pad_edge=False, show_header=True, padding=(0, 0))
        table.add_column("")
        marked = set(value.highlight)
        for j, label in enumerate(value.cols):
            header = safe.text(f"▼{label}" if j in marked else label, style="bold reverse" if j in marked else "")
            table.add_column(header, justify="right")
        for label, r in zip(value.rows, rows):
            cells = [Text(f"{'▸' if j in marked else ' '}{_fmt(x):>6}",
                          style=diverging(x, scale) + Style(bold=True) if j in marked else diverging(x, scale))
                     for j, x in enumerate(r)]
            table.add_row(safe.text(f"{label} "), *cells)
        return table


class FactsVisual(Visual):
    """A results.Facts as two aligned columns."""

    def render_value(self, value: results.Facts) -> RenderableType:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="dim")
        table.add_column(style="bold")
        for label, v in value.items:
            table.add_row(safe.text(label), safe.text(_fmt(v)))
        return table


class TextVisual(Visual):
    """A results.Text as plain text."""

    def render_value(self, value: results.Text) -> RenderableType:
        return safe.text(value.message)
