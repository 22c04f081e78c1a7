"""A live heatmap of any 2-D array, drawn with Textual's line API.

Colour (rnn_tui.ui.palette): a diverging scale centred on zero for data with
a sign, or a sequential one from zero up for data that is never negative
(probabilities, shares); LEVELS steps a side, so styles can be cached and the
legend shows every colour a cell can have, in any colour depth.  The scale is
automatic (the largest |value| of the frame) or fixed, so frames can be
compared.

Layout, chosen to fit the widget's size:
- "numbers": the values printed in coloured cells (small matrices), in a
  format that suits the scale (a common factor such as x1e-3 goes to the
  legend, so a gradient of 0.002 reads 2.00, not +0.00);
- "rows": one matrix row per terminal line, one or more characters per column;
- "half": half-block characters, two matrix rows per line, so 128 rows take
  64 lines; row labels then read "top/bottom".  Where even that does not fit,
  blocks of rows or columns are pooled ("strongest of 1x4" in the legend)
  and the cursor steps a block at a time.
Pooling keeps the value of largest magnitude in each block, with its sign.
Averaging a block of weights of mixed signs cancels them towards zero, so a
pooled 128x128 matrix read as grey noise; the strongest value keeps large
weights, dead rows and exploding gradients visible, which is what one looks
for in a weight picture.
A cursor (arrow keys when focused, or a click) shows the exact value of one
cell with its row and column labels, in the bottom border.
"""

from __future__ import annotations

import math
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.filter import ANSIToTruecolor, LineFilter
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip

from ..palette import CURSOR, LEVELS, color, level_rgb, levels_of, scale_levels, text_rgb
from .framed import FramedLines

KEEP = object()                   # show(): leave the labels as they are
MUTED = "rgb(150,150,150)"        # labels; not `dim`, which makes Textual filter every segment
NUMBER_WIDTH = 6
MAX_CELL = {"numbers": 10, "rows": 6, "half": 4}  # widest drawn cell: wider would stretch the picture
MAX_LINES = 3                      # most lines a matrix row is drawn on, when the panel has room for them
NO_LEVEL = -(LEVELS + 1)           # half blocks: "no bottom row" (an odd last row)
PAIR = 2 * LEVELS + 2              # half blocks: a colour pair is (up - NO_LEVEL) * PAIR + (down - NO_LEVEL)


def runs(row: np.ndarray, alone: int = -1) -> list[tuple[int, int, int]]:
    """(value, start, end) of each run of equal neighbours in a 1-D integer array.

    The cell at index `alone` (the cursor) is a run of its own.
    """
    cuts = (np.flatnonzero(row[1:] != row[:-1]) + 1).tolist()
    if alone >= 0:
        cuts = sorted({*cuts, alone, alone + 1} - {0, len(row)})
    starts = [0, *cuts]
    ends = [*cuts, len(row)]
    values = row[starts].tolist()
    return list(zip(values, starts, ends, strict=True))


def pool(data: np.ndarray, fr: int, fc: int) -> np.ndarray:
    """Blocks of fr rows by fc columns, each reduced to its value of largest |value| (sign kept).

    The last blocks may be smaller; a block of only NaN stays NaN.
    """
    if fr == 1 and fc == 1:
        return data
    rows, cols = data.shape
    R, C = math.ceil(rows / fr), math.ceil(cols / fc)
    padded = np.full((R * fr, C * fc), np.nan)
    padded[:rows, :cols] = data
    blocks = padded.reshape(R, fr, C, fc).transpose(0, 2, 1, 3).reshape(R, C, fr * fc)
    size = np.where(np.isnan(blocks), -1.0, np.abs(blocks))
    pick = np.argmax(size, axis=2)[..., None]
    return np.take_along_axis(blocks, pick, axis=2)[..., 0]


def number_format(scale: float) -> tuple[float, str]:
    """(factor, legend note) for printing values on a +-scale range in a few characters.

    Values are printed as value / factor with two decimals; factor is 1 for scales from 0.1 to
    below 100, else a power of ten that brings the scale to between 1 and 10.
    """
    if not math.isfinite(scale) or scale <= 0 or 0.1 <= scale < 100:
        return 1.0, ""
    exponent = math.floor(math.log10(scale))
    return 10.0 ** exponent, f"cells ×1e{exponent:+d}"


def cell_text(value: float, factor: float, width: int, sequential: bool) -> str:
    """One printed cell: two decimals of value / factor (one when that would not fit)."""
    if not math.isfinite(value):
        return "nan".rjust(width)
    v = value / factor
    text = f"{v:.2f}" if sequential else f"{v:+.2f}"
    if len(text) >= width:
        text = f"{v:.1f}" if sequential else f"{v:+.1f}"
    return text.rjust(width)


def end_value(value: float) -> str:
    """A scale's end for the legend: three significant digits, in e-notation when tiny or huge."""
    if value != 0 and not 0.01 <= abs(value) < 1000:
        return f"{value:+.2e}"
    return f"{value:+.3g}"


@dataclass(frozen=True)
class Layout:
    """How a matrix of some shape is drawn in some area."""

    mode: str            # "numbers", "rows" or "half"
    fr: int              # matrix rows per drawn cell
    fc: int              # matrix columns per drawn cell
    cell: int            # characters per drawn cell
    gutter: int          # characters for row labels
    header: bool         # a line of column labels
    tall: int = 1        # lines per matrix row ("numbers" and "rows": a small matrix fills more of its panel)

    @property
    def pad(self) -> int:
        """Spaces right of a number in a cell wider than a number, so it sits in the cell's middle."""
        return (self.cell - NUMBER_WIDTH) // 2 if self.mode == "numbers" else 0


def choose_layout(shape: tuple[int, int], width: int, height: int, row_labels: bool,
                  col_labels: bool, label_width: int) -> Layout:
    """The most readable layout of a (rows, cols) matrix in width x height characters.

    One line is kept for the legend.  A small matrix in a large panel gets wider cells, and
    up to MAX_LINES lines a row, about as tall as they are wide (a character is twice as tall
    as it is wide).
    """
    rows, cols = shape
    lines = max(1, height - 1)
    gutter = min(label_width, 12) + 1 if row_labels else 0
    if cols * NUMBER_WIDTH + gutter <= width and rows + col_labels <= lines:
        cell = min(MAX_CELL["numbers"], (width - gutter) // cols)
        tall = max(1, min(MAX_LINES, (lines - col_labels) // rows, cell // 3))
        return Layout("numbers", 1, 1, cell, gutter, col_labels, tall)
    if rows + (col_labels and cols <= width - gutter) <= lines:
        room = max(1, width - gutter)
        fc = max(1, math.ceil(cols / room))
        header = col_labels and fc == 1
        cell = max(1, min(MAX_CELL["rows"], room // cols)) if fc == 1 else 1
        tall = max(1, min(MAX_LINES, (lines - header) // rows, cell // 2))
        return Layout("rows", 1, fc, cell, gutter, header, tall)
    # half blocks: row labels read "top/bottom", a few characters of each; labels are
    # given up (column labels first) only where that saves pooling rows
    half_gutter = 2 * min(label_width, 3) + 2 if row_labels else 0
    tries = [(g, h) for g in dict.fromkeys((half_gutter, 0)) for h in dict.fromkeys((col_labels, False))]
    tries.append((0, col_labels))                  # rows pooled anyway: no row labels, column labels kept
    for gutter, want_header in tries:
        room = max(1, width - gutter)
        fc = max(1, math.ceil(cols / room))
        header = want_header and fc == 1
        fr = max(1, math.ceil(rows / (2 * max(1, lines - header))))
        if fr == 1 or (gutter, want_header) == tries[-1]:
            cell = max(1, min(MAX_CELL["half"], room // cols)) if fc == 1 else 1
            return Layout("half", fr, fc, cell, gutter, header)
    raise AssertionError("unreachable: the last try always returns")


class Heatmap(FramedLines, can_focus=True):
    """Draws one matrix; call show() with new values as often as they come."""

    DEFAULT_CSS = """
    Heatmap { height: 1fr; width: 1fr; border: round $panel; }
    Heatmap:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("up", "move(-1, 0)", "Move the cursor: the exact value shows below", show=False),
        Binding("down", "move(1, 0)", "Move the cursor: the exact value shows below", show=False),
        Binding("left", "move(0, -1)", "Move the cursor: the exact value shows below", show=False),
        Binding("right", "move(0, 1)", "Move the cursor: the exact value shows below", show=False),
        Binding("f", "toggle_scale", "Fix or free this heatmap's colour scale", show=False),
    ]

    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    def __init__(self, name: str = "", *, fixed_scale: float | None = None, sequential: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.matrix_name = name
        self.titles: tuple[str, ...] = (name,)
        self.shown_title = ""                      # the title in the top border, as plain text
        self.caption = ""                          # the bottom border: the cursor's value or a hint
        self.data = np.zeros((1, 1))
        self.row_labels: list[str] | None = None
        self.col_labels: list[str] | None = None
        self.fixed_scale = fixed_scale
        self.sequential = sequential
        self.empty_message: str | None = None
        self._strips: list[Strip] = []
        self._styles: dict[tuple, Style] = {}
        self._layout: Layout | None = None
        self._rows: dict[tuple, Strip] = {}        # the lines on screen by what they show (see _cached)
        self._next_rows: dict[tuple, Strip] = {}   # the lines of the picture being drawn
        self._segments: dict[tuple, Segment] = {}  # runs of cells by colour and length, likewise
        self._rows_for: tuple = ()                 # the layout, width and styles that _rows was drawn with
        self._focused = False                      # has_focus lags behind inside focus events
        self._base: Style | None = None            # see _base_style()
        self._blank = Strip.blank(0)
        self.version = 0                           # bumped when the lines change
        self.painted_version = 0                   # the version render_line last drew
        self.repaints = 0                          # new pictures drawn on screen so far
        self.painted_at = 0.0                      # perf_counter() when the last one was drawn

    # ------------------------------------------------------------ data in

    @property
    def scale(self) -> float:
        """The value drawn at full colour: fixed, or the frame's largest |value|."""
        if self.fixed_scale is not None:
            return self.fixed_scale
        finite = np.abs(self.data[np.isfinite(self.data)])
        return float(finite.max()) if finite.size and finite.max() > 0 else 1.0

    def show(self, data: np.ndarray, row_labels: Sequence[str] | None | object = KEEP,
             col_labels: Sequence[str] | None | object = KEEP, title: str | Sequence[str] | None = None,
             *, name: str | None = None, sequential: bool | None = None) -> None:
        """Draw new values; labels are kept unless given (None removes them), likewise the rest.

        title: one title, or several from longest to shortest: the longest that fits is shown.
        name: what the cursor line calls the matrix ("dL/dW" for W's gradient).
        sequential: True for data that is never negative (a scale from 0 up).
        """
        data = np.asarray(data, dtype=float)
        self.data = data.reshape(1, -1) if data.ndim == 1 else data
        if self.data.size == 0:
            self.data = np.zeros((1, 1))
        self.empty_message = None
        if row_labels is not KEEP:
            self.row_labels = None if row_labels is None else [str(x) for x in cast(Sequence[str], row_labels)]
        if col_labels is not KEEP:
            self.col_labels = None if col_labels is None else [str(x) for x in cast(Sequence[str], col_labels)]
        if title is not None:
            self.titles = (title,) if isinstance(title, str) else tuple(title)
        if name is not None:
            self.matrix_name = name
        if sequential is not None and sequential != self.sequential:
            self.sequential = sequential
            self.fixed_scale = None                # a fixed scale of the other kind means nothing
        r, c = self.cursor
        self.set_reactive(Heatmap.cursor, (min(r, self.data.shape[0] - 1), min(c, self.data.shape[1] - 1)))
        self._rebuild()

    def clear(self, message: str = "") -> None:
        """Draw no matrix, only message (the title stays)."""
        self.empty_message = message
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
        return min(rows, 64) + 2

    def content_lines(self) -> list[Strip]:
        """The lines of the picture (FramedLines frames them inside the border)."""
        return self._strips

    def lines_drawn(self) -> None:
        """Count a repaint when a new picture's lines go to the screen."""
        if self.painted_version != self.version:
            self.painted_version = self.version
            self.repaints += 1
            self.painted_at = time.perf_counter()

    def render_line(self, y: int) -> Strip:
        """One cached line (Textual asks for those FramedLines leaves to it)."""
        self.lines_drawn()
        if y < len(self._strips):
            return self._strips[y]
        if self._blank.cell_length != self.size.width:
            self._blank = Strip.blank(self.size.width, self._base_style())
        return self._blank

    def _base_style(self) -> Style:
        """The widget's own text style (its colours over its ancestors' backgrounds), kept until the CSS changes.

        Working it out walks every ancestor's styles, which costs more than drawing a row.
        """
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def notify_style_update(self) -> None:
        """The CSS changed (a theme, a class): work the base style and the frame out again."""
        self._base = None
        self._blank = Strip.blank(0)
        super().notify_style_update()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """The app's line filters less ANSIToTruecolor, which has nothing to do here.

        Every colour a heatmap draws is an RGB triple (rnn_tui.ui.palette), and the
        widget's own colours come from the theme as RGB too; that filter only turns
        the 16 ANSI colours into RGB, yet it rebuilds every segment of every line it is
        given, a large share of what a live frame costs.  Dimming and no-colour filters
        still apply.
        """
        return [f for f in super().get_line_filters() if not isinstance(f, ANSIToTruecolor)]

    def _style(self, fg: int | None, bg: int | None, cursor: str = "") -> Style:
        """A cached cell style; bg None means the widget's own background (text, labels)."""
        key = (fg, bg, cursor, self.sequential)
        style = self._styles.get(key)
        if style is None:
            seq = self.sequential
            if bg is None:
                hue = CURSOR if cursor else (MUTED if fg is None else color(level_rgb(fg, seq)))
                style = self._base_style() + Style(color=hue, bold=cursor == "value")
            elif cursor == "top":
                style = Style(color=CURSOR, bgcolor=color(level_rgb(bg, seq)))
            elif cursor == "bottom":
                style = Style(color=color(level_rgb(fg or 0, seq)), bgcolor=CURSOR)
            elif fg is None:                       # a number printed on its colour
                back = level_rgb(bg, seq)
                style = Style(color=color(text_rgb(back)), bgcolor=color(back),
                              reverse=cursor == "cell", bold=cursor == "cell")
            else:
                style = Style(color=color(level_rgb(fg, seq)), bgcolor=color(level_rgb(bg, seq)))
            self._styles[key] = style
        return style

    def _pick_title(self, width: int) -> None:
        """The longest title that fits the top border (Textual cuts the last one if none does)."""
        room = width - 6                           # corners, and a space each side
        title = next((t for t in self.titles if len(t) <= room), self.titles[-1])
        if title != self.shown_title:              # only on change: setting it costs a repaint
            self.shown_title = title
            self.border_title = Content(title)     # plain text: labels from files are never markup

    def _rebuild(self) -> None:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return
        self._pick_title(self.outer_size.width)
        base = self._base_style()
        if self._styles and self._styles.get(("base",)) != base:
            self._styles.clear()                   # the theme changed: cached styles are stale
        self._styles[("base",)] = base
        if self.empty_message is not None:
            self._layout = None
            lines = textwrap.wrap(self.empty_message, width)[:height] or [""]   # a narrow panel: over lines
            self._strips = [Strip([Segment(line, self._style(None, None))]) for line in lines]
            self.version += 1
            self.caption = ""
            self.border_subtitle = None
            self.refresh()
            return
        labels = max((len(s) for s in self.row_labels), default=0) if self.row_labels else 0
        lay = choose_layout(self.data.shape, width, height, self.row_labels is not None,
                            self.col_labels is not None, labels)
        self._layout = lay
        drawn_with = (lay, width, self.sequential, base)
        if drawn_with != self._rows_for:
            self._rows_for = drawn_with
            self._rows = {}
            self._segments = {}
        if len(self._segments) > 4096:
            self._segments = {}
        shown = pool(self.data, lay.fr, lay.fc)
        scale = self.scale
        levels = levels_of(shown, scale, self.sequential)
        factor, factor_note = number_format(scale)
        strips = self._header(lay, width) if lay.header else []
        if lay.mode == "half":
            strips += self._half_lines(lay, levels, width)
        else:
            strips += self._row_lines(lay, shown, levels, factor, width)
        strips = strips[:max(0, height - 1)]
        strips.append(self._legend(scale, lay, factor_note, width))
        self._caption(lay)
        self._rows, self._next_rows = self._next_rows, {}
        self._swap_strips(strips, width)

    def _swap_strips(self, strips: list[Strip], width: int) -> None:
        """Keep the new lines and repaint only those that differ from the ones on screen.

        Lines come from a cache keyed by what they show, so an unchanged line is the
        same object and compares by identity; a frame that changes nothing repaints
        nothing, and one that changes a few rows repaints those rows.
        """
        old, self._strips = self._strips, strips
        if len(old) != len(strips):
            self.version += 1
            self.refresh()
            return
        changed = [y for y, (a, b) in enumerate(zip(old, strips, strict=True)) if a is not b]
        if not changed:
            return
        self.version += 1
        if len(changed) > len(strips) // 2:
            self.refresh()
        else:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def _line(self, key: tuple, segments: list[Segment], width: int, cells: int | None = None) -> Strip:
        """A drawn line, cut to width and kept by what it shows (key) for the next picture.

        cells: the line's width in cells when the caller knows it (measuring every segment costs).
        """
        strip = Strip(segments, cells)
        if strip.cell_length > width:
            strip = strip.crop(0, width)
        self._next_rows[key] = strip
        return strip

    def _cached(self, key: tuple) -> Strip | None:
        """The line on screen that shows key, if any (kept for the next picture too).

        Only the lines of the picture on screen are kept: a live matrix changes most rows
        every frame, and a larger cache only fills memory with lines that never come back.
        """
        strip = self._rows.get(key)
        if strip is not None:
            self._next_rows[key] = strip
        return strip

    def _header(self, lay: Layout, width: int) -> list[Strip]:
        labels = self.col_labels or []
        if lay.mode == "numbers":
            text = "".join(lab[:NUMBER_WIDTH - 1].rjust(lay.cell - lay.pad) + " " * lay.pad for lab in labels)
        else:
            text = "".join(lab[:lay.cell].ljust(lay.cell) for lab in labels)
        key = ("header", text)
        return [self._cached(key) or self._line(key, [Segment(" " * lay.gutter + text, self._style(None, None))],
                                                  width)]

    def _cursor_cell(self, lay: Layout) -> tuple[int, int] | None:
        return (self.cursor[0] // lay.fr, self.cursor[1] // lay.fc) if self._focused else None

    def _half_lines(self, lay: Layout, levels: np.ndarray, width: int) -> list[Strip]:
        at = self._cursor_cell(lay)
        half = (lay.gutter - 2) // 2
        strips = []
        rows, cols = levels.shape
        labels = self.row_labels or []
        bottoms = levels[1::2]
        if rows % 2:                               # an odd last row is drawn as a top half only
            bottoms = np.vstack([bottoms, np.full((1, cols), NO_LEVEL)])
        codes = (levels[0::2] - NO_LEVEL) * PAIR + (bottoms - NO_LEVEL)   # one integer per colour pair
        for r, row in enumerate(codes):
            top = 2 * r
            text = ""
            if lay.gutter:
                up = labels[top][:half] if top < len(labels) else ""
                down = labels[top + 1][:half] if top + 1 < len(labels) else ""
                text = f"{up}/{down}" if down else up
            mark_at = at[1] if at is not None and at[0] in (top, top + 1) else -1
            mark = ("top" if at[0] == top else "bottom") if at is not None and mark_at >= 0 else ""
            key = ("half", text, mark_at, mark, row.tobytes())
            cached = self._cached(key)
            if cached is not None:
                strips.append(cached)
                continue
            segs = [Segment(text.rjust(lay.gutter - 1) + " ", self._style(None, None))] if lay.gutter else []
            cells = (segs[0].cell_length if segs else 0) + cols * lay.cell
            segs += [self._run("half", code, end - start, lay.cell, mark if start == mark_at else "")
                     for code, start, end in runs(row, mark_at)]
            strips.append(self._line(key, segs, width, cells))
        return strips

    def _run(self, mode: str, code: int, n: int, cell: int, mark: str) -> Segment:
        """n neighbouring cells of one colour as one segment, built once (cached with the rows).

        Neighbours become one segment because Textual's cost per line grows with its segments.
        """
        key = (mode, code, n, mark)
        seg = self._segments.get(key)
        if seg is None:
            if mode == "half":
                up, down = code // PAIR + NO_LEVEL, code % PAIR + NO_LEVEL
                seg = Segment("▀" * (cell * n), self._style(up, None if down == NO_LEVEL else down, mark))
            else:
                seg = Segment(" " * (cell * n), self._style(None, code, mark))
            self._segments[key] = seg
        return seg

    def _row_lines(self, lay: Layout, shown: np.ndarray, levels: np.ndarray, factor: float,
                   width: int) -> list[Strip]:
        """Each matrix row on lay.tall lines: its label and numbers on the middle one."""
        at = self._cursor_cell(lay)
        strips = []
        middle = lay.tall // 2
        for i in range(shown.shape[0]):
            lab = ""
            if lay.gutter:
                lab = self.row_labels[i] if self.row_labels and i < len(self.row_labels) else str(i)
            mark_at = at[1] if at is not None and at[0] == i else -1
            for line in range(lay.tall):
                numbers = lay.mode == "numbers" and line == middle
                key = ("rows", lab if line == middle else "", mark_at, levels[i].tobytes(),
                       shown[i].tobytes() if numbers else None, factor)
                cached = self._cached(key)
                if cached is None:
                    cached = self._line(key, self._row_segments(lay, key[1], shown[i], levels[i], mark_at,
                                                                factor, numbers), width)
                strips.append(cached)
        return strips

    def _row_segments(self, lay: Layout, label: str, values: np.ndarray, levels: np.ndarray, mark_at: int,
                      factor: float, numbers: bool) -> list[Segment]:
        """One line of a matrix row: the label (or its blank gutter), then runs of equal colour."""
        segs = []
        if lay.gutter:
            segs.append(Segment(label[:lay.gutter - 1].rjust(lay.gutter - 1) + " ", self._style(None, None)))
        for level, start, end in runs(levels, mark_at):
            mark = "cell" if start == mark_at else ""
            if numbers:
                text = "".join(cell_text(float(v), factor, lay.cell - lay.pad, self.sequential) + " " * lay.pad
                               for v in values[start:end])
                segs.append(Segment(text, self._style(None, level, mark)))
            else:
                segs.append(self._run("rows", level, end - start, lay.cell, mark))
        return segs

    def _legend(self, scale: float, lay: Layout, factor_note: str, width: int) -> Strip:
        """The colours of the scale, in order, between the values at its ends, then what the cells are.

        A narrow panel shows fewer of the colours rather than lose the end values; narrower still,
        one value for both ends (±x, or up to x); the notes go first, the least useful first.
        """
        low = "0" if self.sequential else end_value(-scale)
        high = end_value(scale).lstrip("+") if self.sequential else end_value(scale)
        levels = list(scale_levels(self.sequential))
        room = width - len(low) - len(high) - 2
        if room < 3:
            low, high = "", f" up to {high}" if self.sequential else f" ±{high.lstrip('+')}"
            room = width - len(high)
        else:
            low, high = low + " ", " " + high
        if room < len(levels):
            levels = [levels[i] for i in np.linspace(0, len(levels) - 1, max(3, room)).round().astype(int)]
        scale_note = "fixed" if self.fixed_scale is not None else "auto"
        factor_notes = [factor_note] if lay.mode == "numbers" and factor_note else []
        pooled = [f"strongest of {lay.fr}×{lay.fc}"] if lay.fr > 1 or lay.fc > 1 else []
        used = len(low) + len(levels) + len(high)
        note = ""
        for form in (factor_notes + pooled + [scale_note], factor_notes + pooled, factor_notes, []):
            note = "  " + ", ".join(form) if form else ""
            if used + len(note) <= width:
                break
        key = ("legend", low, high, note, len(levels))
        cached = self._cached(key)
        if cached is not None:
            return cached
        text = self._style(None, None)
        segs = [Segment(low, text)] if low else []
        segs += [Segment("█", self._style(level, None)) for level in levels]
        segs.append(Segment(high + note, text))
        return self._line(key, segs, width)

    def _caption(self, lay: Layout) -> None:
        """The bottom border: the cursor's exact value when focused, else the shape and a hint."""
        if self._focused:
            rl, cl, value = self.value_at_cursor()
            sign = "" if self.sequential else "+"        # probabilities carry no sign
            exact = f"{value:{sign}.4f}" if 0.01 <= self.scale < 1000 or value == 0 else f"{value:{sign}.4e}"
            caption = f"{self.matrix_name}[{rl}, {cl}] = {exact}"
        else:
            shape = f"{self.data.shape[0]}×{self.data.shape[1]}"
            room = self.outer_size.width - 6
            caption = next((c for c in (f"{shape} · tab, arrows: values", f"{shape} · tab: values")
                            if len(c) <= room), shape)
        if caption != self.caption:
            self.caption = caption
            self.border_subtitle = Content(caption)

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
        inside = event.get_content_offset(self)        # not event.x, y: those count the border too
        if lay is None or inside is None:
            return
        x, y = inside.x - lay.gutter, inside.y - lay.header
        if x < 0 or y < 0:
            return
        row = (y * 2 if lay.mode == "half" else y // lay.tall) * lay.fr
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


__all__ = ["Heatmap", "KEEP", "LEVELS", "Layout", "choose_layout", "pool", "number_format", "cell_text"]
