"""Visuals: widgets that draw one field of a step's result.

Each visual is a Static with `show(value)`; lessons pick them by name
(VISUALS below; rnn_tui.lessons.VISUALS lists the same names for the content
check).  Numbers get a diverging colour scale centred on zero: blue below,
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
from textual.widgets import Static

from ..palette import cell_style


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


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.0f}" if x.is_integer() and abs(x) < 1e6 else f"{x:+.3f}"
    return str(x)


class Visual(Static):
    """Base class: a titled panel that draws one value."""

    DEFAULT_CSS = """
    Visual { height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, title: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title = title

    def show(self, value: Any) -> None:
        """Draw a new value."""
        body = self.render_value(value)
        self.update(Group(Text(self.title, style="bold"), body) if self.title else body)

    def render_value(self, value: Any) -> RenderableType:  # pragma: no cover - abstract
        raise NotImplementedError


class TableVisual(Visual):
    """{"columns": [...], "rows": [[...]]} as a table."""

    def render_value(self, value: Any) -> RenderableType:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        rows = value["rows"]
        for j, c in enumerate(value["columns"]):
            numeric = all(_is_numeric(r[j]) for r in rows if j < len(r) and r[j] != "")
            table.add_column(str(c), justify="right" if numeric else "left")
        for row in value["rows"]:
            table.add_row(*(_fmt(x) for x in row))
        return table


class VectorVisual(Visual):
    """A list of numbers as coloured cells: with values when short, as a heat strip when long."""

    PER_ROW = 16

    def render_value(self, value: Any) -> RenderableType:
        values = [float(v) for v in value]
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
    """A list of lists of numbers as a coloured grid with its values."""

    def render_value(self, value: Any) -> RenderableType:
        rows = value["values"] if isinstance(value, dict) else value
        row_labels = value.get("rows") if isinstance(value, dict) else None
        col_labels = value.get("cols") if isinstance(value, dict) else None
        scale = max((abs(float(x)) for r in rows for x in r), default=0.0) or 1.0
        table = Table(box=None, pad_edge=False, show_header=col_labels is not None, padding=(0, 0))
        if row_labels is not None:
            table.add_column("")
        for j in range(len(rows[0]) if rows else 0):
            table.add_column(str(col_labels[j]) if col_labels else "", justify="right")
        for i, r in enumerate(rows):
            cells = [Text(f" {_fmt(float(x)):>6} ", style=diverging(float(x), scale)) for x in r]
            table.add_row(*([f"{row_labels[i]} "] if row_labels is not None else []), *cells)
        return table


class FactsVisual(Visual):
    """{"items": [[label, value], ...]} as two aligned columns."""

    def render_value(self, value: Any) -> RenderableType:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="dim")
        table.add_column(style="bold")
        for label, v in value["items"]:
            table.add_row(str(label), _fmt(v))
        return table


class TextVisual(Visual):
    """A plain message."""

    def render_value(self, value: Any) -> RenderableType:
        return Text(str(value))


VISUALS: dict[str, type[Visual]] = {"table": TableVisual, "vector": VectorVisual, "matrix": MatrixVisual,
                                    "facts": FactsVisual, "text": TextVisual}
