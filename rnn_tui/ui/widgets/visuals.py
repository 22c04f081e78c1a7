"""Visuals: widgets that draw one typed field of a step's result.

Each visual is a Static with `show(value)`, where value is one of the typed
results of rnn_tui.steps.results; lessons pick them by kind name (VISUALS
below, keyed by the same VISUAL_KINDS the content check reads).  Text that
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
from textual.widgets import Static

from ...steps import results
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
    """A results.Table as a table."""

    def render_value(self, value: results.Table) -> RenderableType:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        rows = value.rows
        for j, c in enumerate(value.columns):
            numeric = all(_is_numeric(r[j]) for r in rows if j < len(r) and r[j] != "")
            table.add_column(Text(c), justify="right" if numeric else "left")
        for row in rows:
            table.add_row(*(Text(_fmt(x)) for x in row))
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
        for label in value.cols:
            table.add_column(Text(label), justify="right")
        for label, r in zip(value.rows, rows):
            cells = [Text(f" {_fmt(x):>6} ", style=diverging(x, scale)) for x in r]
            table.add_row(Text(f"{label} "), *cells)
        return table


class FactsVisual(Visual):
    """A results.Facts as two aligned columns."""

    def render_value(self, value: results.Facts) -> RenderableType:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="dim")
        table.add_column(style="bold")
        for label, v in value.items:
            table.add_row(Text(label), Text(_fmt(v)))
        return table


class TextVisual(Visual):
    """A results.Text as plain text."""

    def render_value(self, value: results.Text) -> RenderableType:
        return Text(value.message)


VISUALS: dict[str, type[Visual]] = {"table": TableVisual, "vector": VectorVisual, "matrix": MatrixVisual,
                                    "facts": FactsVisual, "text": TextVisual}
if set(VISUALS) != set(results.VISUAL_KINDS):     # a kind added to results needs its widget here
    raise ImportError(f"visual kinds without a widget: {sorted(set(results.VISUAL_KINDS) - set(VISUALS))}; "
                      f"widgets without a kind: {sorted(set(VISUALS) - set(results.VISUAL_KINDS))}")
