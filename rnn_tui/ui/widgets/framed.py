"""FramedLines: a line-API widget whose changed lines skip Textual's per-line styling.

For every line it repaints, Textual's styles cache looks up the widget's
border, padding, outline, tint and opacity, pads the line, adds the border's
two edges and runs the line filters: tens of microseconds a line before the
compositor has even seen it.  A live heatmap repaints most of its lines twenty
times a second, and on a machine with two cores that time is taken from
training.

A widget that mixes this class in hands over its content lines
(`content_lines()`); lines inside the border are then framed here, from the
left edge, the padding and the right edge that Textual itself drew for one
line, and kept until the content line changes.  Everything else (the top and
bottom borders with their titles, lines below the content, a widget with
padding, line filters that change colours, or anything this class cannot
reproduce exactly) goes through Textual as before.  Whenever the frame may have
changed (size, focus, background, border, CSS), one line is drawn by Textual
again and checked against what this class would have drawn; on any difference
the fast path is switched off for good.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class FramedLines(Widget):
    """Content lines framed without Textual's per-line styling (see the module's docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._frame_key: tuple | None = None
        self._frame: tuple[Segment, Segment, object] | None = None   # left edge, right edge, padding style
        self._framed: dict[int, tuple[Strip, Strip]] = {}             # y -> (content line, framed line)
        self._frame_broken = False                                   # Textual drew something else once

    def content_lines(self) -> list[Strip]:
        """The content lines, each at most the content width (override)."""
        raise NotImplementedError

    def lines_drawn(self) -> None:
        """Called when content lines are handed to the compositor (override to count repaints)."""

    def notify_style_update(self) -> None:
        """The CSS changed: work the frame out again."""
        self._frame_key = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lines in crop: content lines framed here when that is safe, the rest by Textual."""
        lines = self.content_lines()
        frame = None if self._frame_broken else self._current_frame(lines)
        if frame is None:
            return super().render_lines(crop)
        left, right, pad = frame
        width = self.outer_size.width
        inner = self.size.width
        out: list[Strip] = []
        x1, x2 = crop.column_span
        textual_from: int | None = None            # start of a run of lines Textual draws
        for y in crop.line_range:
            i = y - 1
            if 0 <= i < len(lines) and y < self.outer_size.height - 1:
                if textual_from is not None:
                    out += super().render_lines(Region(x1, textual_from, x2 - x1, y - textual_from))
                    textual_from = None
                line = lines[i]
                cached = self._framed.get(y)
                if cached is not None and cached[0] is line:
                    framed = cached[1]
                else:
                    segments = [left, *line]
                    if line.cell_length < inner:
                        segments.append(Segment(" " * (inner - line.cell_length), pad))  # type: ignore[arg-type]
                    segments.append(right)
                    framed = Strip(segments, width)
                    self._framed[y] = (line, framed)
                out.append(framed if (x1, x2) == (0, width) else framed.crop(x1, x2))
            elif textual_from is None:
                textual_from = y
        if textual_from is not None:
            out += super().render_lines(Region(x1, textual_from, x2 - x1, crop.bottom - textual_from))
        self.lines_drawn()
        return out

    def _current_frame(self, lines: list[Strip]) -> tuple[Segment, Segment, object] | None:
        """The left edge, right edge and padding style Textual draws now; None when this class must not frame."""
        styles = self.styles
        if not lines or self.get_line_filters() or styles.padding != (0, 0, 0, 0):
            return None
        inner = self.size.width
        if any(line.cell_length > inner for line in lines):
            self._frame_key = None                  # lines drawn for another size (a resize is on its way)
            return None
        short = next((i for i, line in enumerate(lines) if line.cell_length < inner), None)
        key = (self.outer_size, self.size, self.background_colors, styles.border, styles.outline, styles.tint,
               styles.opacity, styles.text_opacity, self.has_focus)
        if key == self._frame_key and self._frame is not None and (short is None or self._frame[2] is not None):
            return self._frame
        self._frame_key, self._frame, self._framed = key, None, {}
        if self.outer_size.height < 3 or self.outer_size.width - inner != 2 or \
                self.outer_size.height - self.size.height != 2:
            return None                             # not a border of one cell a side: leave it all to Textual
        i = short or 0                              # a line with padding shows the padding's style too
        line = lines[i]
        drawn = list(super().render_lines(Region(0, i + 1, self.outer_size.width, 1))[0])
        n = len(line._segments)
        padded = short is not None
        if len(drawn) != n + 2 + padded or drawn[1:1 + n] != list(line) or \
                (padded and drawn[-2].text != " " * (inner - line.cell_length)):
            self._frame_broken = True               # Textual draws this line differently: never guess
            return None
        self._frame = (drawn[0], drawn[-1], drawn[-2].style if padded else None)
        return self._frame
