"""Content a widget draws once and keeps: its lines, and one of them as Textual paints it.

A Static hands Textual a Rich renderable, which Textual lays out again to
find the widget's height, to paint it, and to repaint it after any layout
change around it.  The lesson screen's panels (visuals.Visual) and prose
(prose.Prose) draw theirs once per value and width with these two functions,
and answer their height and every line from what they kept.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget


def draw(widget: Widget, renderable: RenderableType, width: int) -> list[Strip]:
    """The renderable laid out at width by the app's console, as Textual would, one Strip a line."""
    options = widget.app.console_options.update(width=width, highlight=False)
    return [Strip(line) for line in widget.app.console.render_lines(renderable, options, pad=False)]


def line(widget: Widget, lines: list[Strip], y: int) -> Strip:
    """Line y as the widget paints it: on its colours, cut to its width, the rest on its background."""
    width = widget.size.width
    base = widget.rich_style
    strip = lines[y] if 0 <= y < len(lines) else Strip.blank(0)
    return strip.crop(0, width).apply_style(base).extend_cell_length(width, Style.from_color(bgcolor=base.bgcolor))
