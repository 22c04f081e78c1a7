"""Visuals: widgets that draw one typed field of a step's result.

Each visual is a Static with `show(value)`, where value is one of the typed
results of rnn_tui.steps.results; lessons pick them by kind name (rnn_tui.ui.widgets.kinds.VISUALS,
keyed by the same VISUAL_KINDS the content check reads).  Text that
comes from results is never read as markup.  Numbers get a diverging colour scale centred on zero: blue below,
red above, grey at zero; Rich maps the colours down to 256 or 16 colours on
terminals that have no truecolour.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.constrain import Constrain
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.containers import ScrollableContainer
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


def compact_cell(x: Any, level: int) -> str:
    """A value written in fewer cells, for a panel wider than its pane: level 0 is format_cell;
    level 1 drops the 0 before a float's point (+.719); level 2 also keeps 2 places only (+.72)."""
    if level <= 0 or not isinstance(x, float) or (x.is_integer() and abs(x) < 1e6):
        return _fmt(x)
    text = f"{x:+.3f}" if level == 1 else f"{x:+.2f}"
    return text[0] + text[2:] if text[1:3] == "0." else text


UNSQUEEZED = 2000      # the width a panel is drawn at to find its natural width: nothing wraps

HIDDEN_NOTE = "?  hidden until you answer the question (r reveals it)"


class Visual(Static):
    """Base class: a titled panel that draws one value.

    Until its value arrives it says so; a concealed panel (lesson.toml's
    `hidden = true`) keeps its value back and shows a "?" until revealed.
    The panel is as wide as its content: a table too wide for its pane first
    tries shorter ways of writing itself (compact_levels), and if none fits it
    scrolls sideways in its pane rather than cutting its columns.
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

    compact_levels = 0
    """How many narrower ways this panel can write its numbers (compact_cell); tried in turn when
    the panel is wider than its pane, so a table fits instead of hiding its last columns."""

    def __init__(self, title: str = "", hidden: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title = title
        self.concealed = hidden
        self.value: Any = None
        self._lines: list[Strip] | None = None      # the content drawn at its natural width (fit_content)
        self.compact = 0                             # the level of compact_cell its numbers are drawn at
        self._room = 0                               # the pane's width when it was last drawn

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

    def _pane_width(self) -> int:
        """The width of the scrolling pane this panel is in, less its vertical scrollbar whether it
        shows yet or not: a panel drawn to fit would not fit once the pane's content grows and the
        scrollbar comes (0: no pane, or not laid out yet)."""
        for node in self.ancestors:
            if isinstance(node, ScrollableContainer):
                width = node.scrollable_content_region.width
                if not node.show_vertical_scrollbar and width:
                    width -= node.styles.scrollbar_size_vertical
                return max(0, width)
        return 0

    def refit(self) -> None:
        """Draw again if the pane's width changed since the last drawing (the numbers may fit now)."""
        if self.compact_levels and self.value is not None and self._pane_width() != self._room:
            self._redraw()

    def _panel(self) -> RenderableType:
        """The title over the value, or over what stands for it until it may be shown."""
        if self.value is None:
            body: RenderableType = Text("… computing", style="dim italic")
        elif self.concealed:
            body = Text(HIDDEN_NOTE, style="italic")
        else:
            body = self.render_value(self.value)
        if not self.title:
            return body
        title = safe.text(self.title, style="bold")
        return Group(Constrain(title, self._room) if self.compact else title, body)   # narrowed: wrapped

    def _redraw(self) -> None:
        self.compact = 0
        panel = self._panel()
        if self.fit_content:
            self._room = self._pane_width()
            showing = self.value is not None and not self.concealed
            if showing and self._room and self.compact_levels:
                self.compact = self.first_level()
                panel = self._panel()
            self._lines = drawn.draw(self, panel, UNSQUEEZED)
            while showing and self._room and self.compact < self.compact_levels and self._width() > self._room:
                self.compact += 1
                panel = self._panel()
                self._lines = drawn.draw(self, panel, UNSQUEEZED)
            self.styles.width = max(20, self._width())
        self.update(panel)                     # still the widget's content (tests read it; so may selection)

    def first_level(self) -> int:
        """The level of compact_cell to draw at first (the pane's width is in self._room); the panel
        draws itself again at the next level while it is still too wide.  A panel that can tell
        its width without drawing saves those drawings."""
        return 0

    def _whole_words(self, renderable: RenderableType, texts: Iterable[str]) -> bool:
        """Drawn at the pane's width, every word of texts is still whole (none cut or folded)."""
        shown = "\n".join(line.text for line in drawn.draw(self, renderable, self._room))
        return all(word in shown for text in texts for word in text.split())

    def _width(self) -> int:
        """The widest line drawn."""
        return max((line.cell_length for line in self._lines or ()), default=0)

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
    """A results.Table as a table.

    Too wide for its pane, it writes its numbers shorter and sets its columns 2 cells apart, not
    3; if that is still too wide, its headers and text wrap to the pane (numbers never do).
    """

    compact_levels = 2

    def render_value(self, value: results.Table) -> RenderableType:
        if self.compact == 2:
            table = self._table(value, wrap=True)
            texts = [*map(str, value.columns), *(compact_cell(x, 1) for row in value.rows for x in row)]
            if self._whole_words(table, texts):
                return table                   # no word was cut; else the table scrolls sideways
        return self._table(value, wrap=False)

    def _table(self, value: results.Table, wrap: bool) -> Table:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                      padding=(0, 1, 0, 0) if self.compact else (0, 1), width=self._room if wrap else None)
        rows = value.rows
        for j, c in enumerate(value.columns):
            numeric = all(_is_numeric(r[j]) for r in rows if j < len(r) and r[j] != "")
            table.add_column(safe.text(c), justify="right" if numeric else "left", no_wrap=numeric or not wrap)
        for row in rows:
            table.add_row(*(safe.text(compact_cell(x, min(self.compact, 1))) for x in row))
        return table


class VectorVisual(Visual):
    """A results.Vector as coloured cells: with values when short, as a heat strip when long."""

    PER_ROW = 16
    CELL = 9            # columns a value takes: a space, six for the number, a space, and a gap

    def render_value(self, value: results.Vector) -> RenderableType:
        values = list(value.values)
        scale = max((abs(v) for v in values), default=0.0) or 1.0
        text = Text()
        if len(values) <= 12:
            # as many cells a line as the pane has room for (seven took 63 columns of a 60-column pane)
            per_line = max(1, self._room // self.CELL) if self._room else len(values)
            for i, v in enumerate(values):
                if i and i % per_line == 0:
                    text.append("\n")
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

    compact_levels = 2

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
            cells = [Text(f"{'▸' if j in marked else ' '}{compact_cell(x, self.compact):>{6 - self.compact}}",
                          style=diverging(x, scale) + Style(bold=True) if j in marked else diverging(x, scale))
                     for j, x in enumerate(r)]
            table.add_row(safe.text(f"{label} "), *cells)
        return table

    def first_level(self) -> int:
        """The first level at which the grid is no wider than the pane, from its cells' lengths
        (a column is as wide as its widest cell; nothing pads or separates them)."""
        value, marked = self.value, set(self.value.highlight)
        for level in range(self.compact_levels + 1):
            width = max((cell_len(f"{label} ") for label in value.rows), default=0)
            for j, label in enumerate(value.cols):
                cells = [1 + max(6 - level, len(compact_cell(r[j], level))) for r in value.values if j < len(r)]
                width += max([cell_len(label) + (j in marked), *cells])
            if width <= self._room:
                return level
        return self.compact_levels


class FactsVisual(Visual):
    """A results.Facts as two aligned columns; too wide for its pane, they wrap to it (no word cut)."""

    compact_levels = 1

    def render_value(self, value: results.Facts) -> RenderableType:
        if self.compact:
            table = self._facts(value, wrap=True)
            if self._whole_words(table, [text for label, v in value.items for text in (label, _fmt(v))]):
                return table
        return self._facts(value, wrap=False)

    def _facts(self, value: results.Facts, wrap: bool) -> Table:
        table = Table(box=None, show_header=False, pad_edge=False, width=self._room if wrap else None)
        table.add_column(style="dim", no_wrap=not wrap)
        table.add_column(style="bold", no_wrap=not wrap)
        for label, v in value.items:
            table.add_row(safe.text(label), safe.text(_fmt(v)))
        return table


class TextVisual(Visual):
    """A results.Text as plain text, wrapped to its pane when it is wider."""

    compact_levels = 1

    def render_value(self, value: results.Text) -> RenderableType:
        text = safe.text(value.message)
        return Constrain(text, self._room) if self.compact else text
