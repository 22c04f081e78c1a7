"""Prose: a lesson step's Markdown drawn by one widget, at once.

Textual's Markdown widget mounts a widget per block (a bulleted item is four:
a row, its bullet, a column and a paragraph), parses in a thread and mounts
the blocks a frame or more after `update()`.  Every step of a lesson replaced
them all, so each step restyled and laid out a dozen or more new widgets, and
the step's heading reached the screen a few frames after the rest of it.
This widget turns the same Markdown into one list of Rich renderables in the
call that shows the step: headings, paragraphs, bulleted and numbered lists,
with `code`, **strong** and *emphasis* inside them, the subset the lessons
use (anything else is shown as its plain text).  It looks like Textual's
Markdown: the same theme variables, margins, bullets and hanging indents.

Lesson text is never read as Rich markup, and escape sequences and control
characters are removed from it (rnn_tui.safe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Static

from ... import safe
from . import drawn

BULLETS = ["• ", "▪ ", "‣ ", "⭑ ", "◦ "]     # Textual Markdown's, by depth
SPACE = re.compile(r"\s+")


def _joined(styles: list[Style]) -> Style:
    """The styles applied one over the other (no style for none)."""
    return Style.combine(styles) if styles else Style()


@dataclass
class Block:
    """One renderable with the blank lines it wants above and below (adjacent margins overlap)."""

    body: RenderableType
    above: int
    below: int


class Prose(Static):
    """A step's heading and body, from Markdown (see the module's docstring)."""

    COMPONENT_CLASSES = {"prose--heading", "prose--code", "prose--bullet", "prose--em", "prose--strong"}

    DEFAULT_CSS = """
    Prose { height: auto; padding: 0 2; color: $foreground; }
    Prose > .prose--heading {
        color: $markdown-h2-color; background: $markdown-h2-background; text-style: $markdown-h2-text-style;
    }
    Prose:dark > .prose--code { background: $warning 10%; color: $text-warning 95%; }
    Prose:light > .prose--code { background: $error 5%; color: $text-error 95%; }
    Prose:ansi > .prose--code { background: ansi_default; }
    Prose > .prose--bullet { color: $text-primary; }
    Prose:light > .prose--bullet { color: $text-secondary; }
    Prose > .prose--em { text-style: italic; }
    Prose > .prose--strong { text-style: bold; }
    """

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = markdown
        self._parser = MarkdownIt("commonmark")
        self._styles_used: tuple[Style, ...] | None = None
        self._drawn: RenderableType | None = None    # what show() last drew ...
        self._lines: tuple[int, list[Strip]] | None = None   # ... and its lines at one width

    def on_mount(self) -> None:
        """Draw the Markdown given at construction."""
        self.show(self.source)

    def show(self, markdown: str) -> None:
        """Draw new Markdown (parsed and laid out in this call; it takes a millisecond or two)."""
        self.source = markdown
        self._styles_used = self._span_styles()
        self._drawn = Group(*self._md_renderables(self._parser.parse(markdown)))
        self._lines = None
        self.update(self._drawn)              # still the widget's content (selection reads it)

    def lines_at(self, width: int) -> list[Strip]:
        """The prose wrapped to width, drawn once per text and width: its height and every repaint
        come from these lines.  Textual's Static drew it again to find its height and again on each
        repaint after a layout change (its pane's scroll bar coming or going, a step's panels)."""
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, drawn.draw(self, self._drawn or "", width))
        return self._lines[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the prose takes at this width."""
        return len(self.lines_at(width)) if self._drawn is not None else super().get_content_height(
            container, viewport, width)

    def render_line(self, y: int) -> Strip:
        """A line of lines_at(), on the widget's colours; while text is selected, Textual draws it."""
        if self._drawn is None or self.text_selection is not None:
            return super().render_line(y)
        return drawn.line(self, self.lines_at(self.size.width), y)

    def notify_style_update(self) -> None:
        """The CSS changed (a theme, or focus around it): draw again if the spans' styles changed."""
        super().notify_style_update()
        if self.is_mounted and self.source and self._span_styles() != self._styles_used:
            self.show(self.source)

    def _span_styles(self) -> tuple[Style, ...]:
        return tuple(self._style(name) for name in ("heading", "code", "bullet", "em", "strong"))

    # ------------------------------------------------------------ blocks

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"prose--{name}", partial=name != "code")

    def _md_renderables(self, tokens: list[Token]) -> list[RenderableType]:
        """The blocks, with the blank lines between them (the larger margin of two neighbours)."""
        out: list[RenderableType] = []
        gap = 0
        for block in self._md_blocks(tokens, 0, len(tokens), depth=0):
            out.extend(Text("") for _ in range(max(gap, block.above) if out or block.above else 0))
            out.append(block.body)
            gap = block.below
        out.extend(Text("") for _ in range(gap))
        return out

    def _md_blocks(self, tokens: list[Token], start: int, end: int, depth: int) -> list[Block]:
        """The blocks of tokens[start:end]; depth is how deep in lists they are (no margins inside one)."""
        blocks: list[Block] = []
        i = start
        while i < end:
            token = tokens[i]
            close = self._close_index(tokens, i) if token.nesting == 1 else i
            if token.type == "heading_open":
                blocks.append(Block(self._md_inline(tokens[i + 1], self._style("heading")), 2, 1))
            elif token.type == "paragraph_open":
                margin = 1 if depth == 0 else 0
                blocks.append(Block(self._md_inline(tokens[i + 1]), 0, margin))
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                margin = 1 if depth == 0 else 0
                blocks.append(Block(self._md_list(tokens, i, close, depth), 0, margin))
            elif token.type in ("fence", "code_block"):
                body = safe.text(token.content.rstrip("\n"))
                body.stylize(self._style("code"))
                blocks.append(Block(body, 1, 1))
            elif token.nesting == 1:                 # a quote, a table...: its words, plainly
                words = " ".join(t.content for t in tokens[i:close] if t.type == "inline")
                blocks.append(Block(safe.text(SPACE.sub(" ", words)), 0, 1))
            elif token.type == "inline":
                blocks.append(Block(self._md_inline(token), 0, 0))
            i = close + 1
        return blocks

    @staticmethod
    def _close_index(tokens: list[Token], i: int) -> int:
        """The index of the token that closes tokens[i]."""
        level = 0
        for j in range(i, len(tokens)):
            level += tokens[j].nesting
            if level == 0:
                return j
        return len(tokens) - 1

    def _md_list(self, tokens: list[Token], start: int, end: int, depth: int) -> RenderableType:
        """A list as a grid: the bullets (or numbers) in one column, the items wrapped beside them."""
        ordered = tokens[start].type == "ordered_list_open"
        items: list[tuple[int, int]] = []
        i = start + 1
        while i < end:
            if tokens[i].type == "list_item_open":
                close = self._close_index(tokens, i)
                items.append((i + 1, close))
                i = close
            i += 1
        first = int(tokens[start].attrs.get("start", 1) or 1) if ordered else 1
        width = max((len(f"{n}. ") for n in range(first, first + len(items))), default=2)
        grid = Table.grid(expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        bullet_style = self._style("bullet")
        for n, (a, b) in enumerate(items, first):
            symbol = f"{n}. ".rjust(width + 1) if ordered else BULLETS[depth % len(BULLETS)]
            parts = [block.body for block in self._md_blocks(tokens, a, b, depth + 1)]
            grid.add_row(Text(symbol, style=bullet_style), Group(*parts) if len(parts) != 1 else parts[0])
        return Padding(grid, (0, 1, 0, 0))       # Textual's list items keep one column free on the right

    def _md_inline(self, token: Token, style: Style | None = None) -> Text:
        """An inline token's text with its code, strong and emphasis spans."""
        text = Text(style=style or "")
        stack: list[Style] = []
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                text.append(safe.printable(SPACE.sub(" ", child.content)), _joined(stack))
            elif kind == "softbreak":
                text.append(" ")
            elif kind == "hardbreak":
                text.append("\n")
            elif kind == "code_inline":
                text.append(safe.printable(child.content), _joined([*stack, self._style("code")]))
            elif kind in ("strong_open", "em_open"):
                stack.append(self._style("strong" if kind == "strong_open" else "em"))
            elif kind in ("strong_close", "em_close") and stack:
                stack.pop()
            elif kind == "image":
                text.append(safe.printable(child.content), _joined(stack))
        return text
