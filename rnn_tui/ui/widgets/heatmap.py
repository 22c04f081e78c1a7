"""A live heatmap of any 2-D array, drawn with Textual's line API.

Colour: a diverging scale centred on zero (blue below, grey at zero, red
above), quantised into LEVELS steps a side so styles can be cached and a
256-colour terminal still tells the steps apart.  The scale is automatic
(the largest |value| of the frame) or fixed, so frames can be compared.

Layout, chosen to fit the widget's size:
- "numbers": the values printed in coloured cells (small matrices);
- "rows": one matrix row per terminal line, one or two characters per column;
- "half": half-block characters, two matrix rows per line, so 128 rows take
  64 lines.  Where even that does not fit, blocks of rows or columns are
  averaged ("1:4" in the legend) and the cursor steps a block at a time.
A cursor (arrow keys when focused, or a click) shows the exact value of one
cell with its row and column labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

KEEP = object()                   # show(): leave the labels as they are
LEVELS = 12
NEGATIVE, NEUTRAL, POSITIVE = (37, 99, 235), (58, 58, 58), (220, 38, 38)
CURSOR = "rgb(250,204,21)"
MUTED = "rgb(150,150,150)"        # labels; not `dim`, which makes Textual filter every segment
NUMBER_WIDTH = 6


def level(value: float, scale: float) -> int:
    """Quantise value on a +-scale range to an integer in [-LEVELS, LEVELS]; NaN is 0."""
    if not np.isfinite(value) or scale <= 0:
        return 0
    return int(round(max(-1.0, min(1.0, value / scale)) * LEVELS))


def levels_of(values: np.ndarray, scale: float) -> np.ndarray:
    """level() for a whole array at once."""
    if scale <= 0:
        return np.zeros(values.shape, dtype=int)
    with np.errstate(invalid="ignore"):
        out = np.rint(np.clip(values / scale, -1.0, 1.0) * LEVELS)
    return np.nan_to_num(out, nan=0.0).astype(int)


def level_rgb(lv: int) -> tuple[int, int, int]:
    """The colour of a level: grey at 0, deeper blue or red towards -LEVELS or +LEVELS."""
    end = POSITIVE if lv > 0 else NEGATIVE
    a = abs(lv) / LEVELS
    return tuple(int(n + (e - n) * a) for n, e in zip(NEUTRAL, end))


def _rgb(lv: int) -> str:
    r, g, b = level_rgb(lv)
    return f"rgb({r},{g},{b})"


def pool(data: np.ndarray, fr: int, fc: int) -> np.ndarray:
    """Average blocks of fr rows by fc columns (the last blocks may be smaller)."""
    if fr == 1 and fc == 1:
        return data
    rows, cols = data.shape
    R, C = math.ceil(rows / fr), math.ceil(cols / fc)
    padded = np.full((R * fr, C * fc), np.nan)
    padded[:rows, :cols] = data
    with np.errstate(invalid="ignore"):
        return np.nanmean(padded.reshape(R, fr, C, fc), axis=(1, 3))


@dataclass(frozen=True)
class Layout:
    """How a matrix of some shape is drawn in some area."""

    mode: str            # "numbers", "rows" or "half"
    fr: int              # matrix rows per drawn cell
    fc: int              # matrix columns per drawn cell
    cell: int            # characters per drawn cell
    gutter: int          # characters for row labels
    header: bool         # a line of column labels


def choose_layout(shape: tuple[int, int], width: int, height: int, row_labels: bool,
                  col_labels: bool, label_width: int) -> Layout:
    """The most readable layout of a (rows, cols) matrix in width x height characters.

    Two lines are kept for the legend and the cursor line.
    """
    rows, cols = shape
    lines = max(1, height - 2)
    gutter = min(label_width, 12) + 1 if row_labels else 0
    if cols * NUMBER_WIDTH + gutter <= width and rows + col_labels <= lines:
        return Layout("numbers", 1, 1, NUMBER_WIDTH, gutter, col_labels)
    room = max(1, width - gutter)
    fc = max(1, math.ceil(cols / room))
    cell = 2 if fc == 1 and cols * 2 <= room else 1
    header = col_labels and fc == 1
    if rows <= lines - header:
        return Layout("rows", 1, fc, cell, gutter, header)
    header = col_labels and fc == 1
    fr = max(1, math.ceil(rows / (2 * max(1, lines - header))))
    return Layout("half", fr, fc, cell, 0, header)


class Heatmap(Widget, can_focus=True):
    """Draws one matrix; call show() with new values as often as they come."""

    DEFAULT_CSS = """
    Heatmap { height: 1fr; width: 1fr; border: round $panel; }
    Heatmap:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("up", "move(-1, 0)", "Cursor", show=False),
        Binding("down", "move(1, 0)", "Cursor", show=False),
        Binding("left", "move(0, -1)", "Cursor", show=False),
        Binding("right", "move(0, 1)", "Cursor", show=False),
        Binding("f", "toggle_scale", "Fix scale"),
    ]

    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    def __init__(self, name: str = "", *, fixed_scale: float | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.matrix_name = name
        self.border_title = name
        self.data = np.zeros((1, 1))
        self.row_labels: list[str] | None = None
        self.col_labels: list[str] | None = None
        self.fixed_scale = fixed_scale
        self._strips: list[Strip] = []
        self._styles: dict[tuple, Style] = {}
        self._layout: Layout | None = None
        self._focused = False                      # has_focus lags behind inside focus events

    # ------------------------------------------------------------ data in

    @property
    def scale(self) -> float:
        """The value drawn at full colour: fixed, or the frame's largest |value|."""
        if self.fixed_scale is not None:
            return self.fixed_scale
        finite = np.abs(self.data[np.isfinite(self.data)])
        return float(finite.max()) if finite.size and finite.max() > 0 else 1.0

    def show(self, data: np.ndarray, row_labels: Sequence[str] | None | object = KEEP,
             col_labels: Sequence[str] | None | object = KEEP, title: str | None = None) -> None:
        """Draw new values; labels are kept unless given (None removes them), likewise the title."""
        data = np.asarray(data, dtype=float)
        self.data = data.reshape(1, -1) if data.ndim == 1 else data
        if row_labels is not KEEP:
            self.row_labels = None if row_labels is None else [str(x) for x in row_labels]
        if col_labels is not KEEP:
            self.col_labels = None if col_labels is None else [str(x) for x in col_labels]
        if title is not None and title != self.border_title:
            self.border_title = title              # only on change: setting it costs a repaint
        r, c = self.cursor
        self.set_reactive(Heatmap.cursor, (min(r, self.data.shape[0] - 1), min(c, self.data.shape[1] - 1)))
        self._rebuild()

    def value_at_cursor(self) -> tuple[str, str, float]:
        """(row label, column label, exact value) under the cursor."""
        r, c = self.cursor
        rl = self.row_labels[r] if self.row_labels and r < len(self.row_labels) else str(r)
        cl = self.col_labels[c] if self.col_labels and c < len(self.col_labels) else str(c)
        return rl, cl, float(self.data[r, c])

    # ------------------------------------------------------------- drawing

    def on_resize(self) -> None:
        """Fit the layout to the new size."""
        self._rebuild()

    def watch_cursor(self) -> None:
        """Redraw the cursor."""
        self._rebuild()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Enough lines for the matrix as numbers or rows, or half blocks at worst."""
        rows = self.data.shape[0]
        return min(rows, 64) + 3

    def render_line(self, y: int) -> Strip:
        """One cached line."""
        return self._strips[y] if y < len(self._strips) else Strip.blank(self.size.width, self.rich_style)

    def _style(self, fg: int | None, bg: int | None, cursor: str = "") -> Style:
        """A cached cell style; bg None means the widget's own background (text, labels)."""
        key = (fg, bg, cursor)
        style = self._styles.get(key)
        if style is None:
            if bg is None:
                base = self.rich_style
                style = base + Style(color=CURSOR if cursor else (MUTED if fg is None else _rgb(fg)),
                                     bold=cursor == "value")
            elif cursor == "top":
                style = Style(color=CURSOR, bgcolor=_rgb(bg))
            elif cursor == "bottom":
                style = Style(color=_rgb(fg), bgcolor=CURSOR)
            elif fg is None:
                style = Style(color="white", bgcolor=_rgb(bg), reverse=cursor == "cell", bold=cursor == "cell")
            else:
                style = Style(color=_rgb(fg), bgcolor=_rgb(bg))
            self._styles[key] = style
        return style

    def _rebuild(self) -> None:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return
        if self._styles and self._styles.get("base") != self.rich_style:
            self._styles.clear()                   # the theme changed: cached styles are stale
        self._styles["base"] = self.rich_style
        labels = max((len(s) for s in self.row_labels), default=0) if self.row_labels else 0
        lay = choose_layout(self.data.shape, width, height, self.row_labels is not None,
                            self.col_labels is not None, labels)
        self._layout = lay
        shown = pool(self.data, lay.fr, lay.fc)
        scale = self.scale
        levels = levels_of(shown, scale)
        cr, cc = self.cursor[0] // lay.fr, self.cursor[1] // lay.fc
        focused = self._focused
        strips: list[Strip] = []
        if lay.header:
            text = " " * lay.gutter + "".join(
                (lab[:lay.cell - 1].rjust(lay.cell - 2).ljust(lay.cell) if lay.mode == "numbers"
                 else lab[:lay.cell].ljust(lay.cell))
                for lab in (self.col_labels or []))
            strips.append(Strip([Segment(text[:width], self._style(None, None))]))
        if lay.mode == "half":
            for top in range(0, shown.shape[0], 2):
                segs = []
                for j in range(shown.shape[1]):
                    up = levels[top, j]
                    down = levels[top + 1, j] if top + 1 < shown.shape[0] else None
                    mark = ""
                    if focused and j == cc and cr in (top, top + 1):
                        mark = "top" if cr == top else "bottom"
                    if down is None:                       # an odd last row: top half only
                        style = self._style(up, None, mark)
                    else:
                        style = self._style(up, down, mark)
                    segs.append(Segment("▀" * lay.cell, style))
                strips.append(Strip(segs))
        else:
            for i in range(shown.shape[0]):
                segs = []
                if lay.gutter:
                    lab = self.row_labels[i] if self.row_labels and i < len(self.row_labels) else str(i)
                    segs.append(Segment(lab[:lay.gutter - 1].rjust(lay.gutter - 1) + " ", self._style(None, None)))
                for j in range(shown.shape[1]):
                    mark = "cell" if focused and (i, j) == (cr, cc) else ""
                    text = f"{shown[i, j]:+.2f}".rjust(lay.cell) if lay.mode == "numbers" else " " * lay.cell
                    segs.append(Segment(text, self._style(None, levels[i, j], mark)))
                strips.append(Strip(segs))
        strips = strips[:max(0, height - 2)]
        strips.append(self._legend(scale, lay, width))
        rl, cl, value = self.value_at_cursor()
        where = f"{self.matrix_name}[{rl}, {cl}] = {value:+.4f}" if focused else \
            f"{self.data.shape[0]}×{self.data.shape[1]}  (tab here, then arrows: exact values)"
        strips.append(Strip([Segment(where[:width], self._style(None, None, "value" if focused else ""))]))
        self._strips = [s.crop(0, width) for s in strips]
        self.refresh()

    def _legend(self, scale: float, lay: Layout, width: int) -> Strip:
        text = self._style(None, None)
        segs = [Segment("  ", self._style(None, -LEVELS)), Segment(f" {-scale:+.3g} ", text),
                Segment("  ", self._style(None, 0)), Segment(" 0 ", text),
                Segment("  ", self._style(None, LEVELS)), Segment(f" {scale:+.3g}", text)]
        note = " fixed" if self.fixed_scale is not None else " auto"
        if lay.fr > 1 or lay.fc > 1:
            note += f", averaged {lay.fr}×{lay.fc}"
        segs.append(Segment(note, text))
        return Strip(segs)

    # ------------------------------------------------------------- actions

    def action_move(self, dr: int, dc: int) -> None:
        """Move the cursor a drawn cell at a time."""
        lay = self._layout or Layout("rows", 1, 1, 1, 0, False)
        r = max(0, min(self.data.shape[0] - 1, self.cursor[0] + dr * lay.fr))
        c = max(0, min(self.data.shape[1] - 1, self.cursor[1] + dc * lay.fc))
        self.cursor = (r, c)

    def action_toggle_scale(self) -> None:
        """Freeze the current scale (to compare frames), or go back to automatic."""
        self.fixed_scale = None if self.fixed_scale is not None else self.scale
        self._rebuild()

    def on_click(self, event: Click) -> None:
        """Put the cursor on the clicked cell."""
        lay = self._layout
        if lay is None:
            return
        x, y = event.x - lay.gutter, event.y - lay.header
        if x < 0 or y < 0:
            return
        row = y * (2 if lay.mode == "half" else 1) * lay.fr
        col = (x // lay.cell) * lay.fc
        if row < self.data.shape[0] and col < self.data.shape[1]:
            self.cursor = (row, col)

    def on_focus(self) -> None:
        """Show the cursor."""
        self._focused = True
        self._rebuild()

    def on_blur(self) -> None:
        """Hide the cursor."""
        self._focused = False
        self._rebuild()
