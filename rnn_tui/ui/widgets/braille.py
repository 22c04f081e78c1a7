"""Line charts drawn in braille dots, framed, with ticks on up to three axes.

    text = draw([Curve(xs, ys, (255, 110, 110))], width=60, height=16, xlabel="epoch")

Each character cell holds a 2×4 grid of dots (Unicode braille, U+2800 to
U+28FF), so a chart of w×h cells has 2w×4h points.  Curves are joined
point to point; where two share a cell the later one gives the cell its
colour.  Curves with `right=True` use a second scale, ticked on the right.

Written for LossChart instead of plotext, which took 30 to 200 ms of the
event loop per redraw (its figure is built in pure Python, then parsed back
from ANSI escapes); this takes a few milliseconds: the points are
rasterised with NumPy, and each line of the result is a few runs of text,
one per run of a colour, that a widget turns into a Strip directly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.text import Text

# the bit of each dot in a braille character: [row in the cell][column in the cell]
DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.int64)
BRAILLE = 0x2800
MIN_PLOT = 4                 # the fewest columns of cells worth a plot


@dataclass(frozen=True)
class Curve:
    """One line: its points (non-finite ones are skipped), colour and axis."""

    xs: Sequence[float]
    ys: Sequence[float]
    rgb: tuple[int, int, int]
    right: bool = False      # on the right-hand scale
    within: tuple[float, float] | None = None   # where its values must lie (an accuracy's 0 to 1): the axis too


def nice_step(span: float, most: int) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that cuts span into at most `most` parts."""
    raw = span / max(1, most)
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw * (1 - 1e-9))


def _spread(lo: float, hi: float) -> tuple[float, float]:
    """[lo, hi], widened where it is a single value; not below zero when that value is not (an accuracy
    of 0 after the first epoch had an axis from -0.5)."""
    if hi > lo:
        return lo, hi
    pad = max(abs(lo) * 0.1, 0.5)
    return (max(0.0, lo - pad) if lo >= 0 else lo - pad), hi + pad


def y_axis(lo: float, hi: float, rows: int, most: int,
           within: tuple[float, float] | None = None) -> tuple[float, float, list[float]]:
    """The data's own range (the curves fill the height) and ticks on evenly spaced rows from the top,
    at most most + 1 of them, the bottom row always one: each tick is the value its row stands for.
    A single value is given room around it, but not beyond `within` (an accuracy that stays at 0.917
    had ticks up to 1.42)."""
    lo, hi = _spread(lo, hi)
    if within is not None:
        lo, hi = max(lo, within[0]), min(hi, within[1])
    if rows < 2:
        return lo, hi, [hi]
    gap = max(1, math.ceil((rows - 1) / max(1, most)))
    at = list(range(0, rows, gap))
    if rows - 1 - at[-1] < 2 and len(at) > 1:
        at[-1] = rows - 1                            # too close to the bottom: the bottom instead
    elif at[-1] != rows - 1:
        at.append(rows - 1)
    return lo, hi, [hi - (hi - lo) * r / (rows - 1) for r in at]


def x_axis(lo: float, hi: float, most: int, whole: bool) -> tuple[float, float, list[float]]:
    """The data's own range and round ticks inside it (whole numbers only, if whole)."""
    lo, hi = _spread(lo, hi)
    ticks: list[float] = []
    for parts in range(max(1, most), 2 * max(1, most) + 3):     # finer steps until two ticks fall inside
        step = nice_step(hi - lo, parts)
        if whole:
            step = max(1.0, round(step))
        first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
        ticks = [i * step for i in range(first, last + 1)]
        if len(ticks) >= 2:
            break
    return lo, hi, ticks


def labels(ticks: Sequence[float]) -> list[str]:
    """The ticks written with one number of decimals: the fewest that write each exactly (round ticks),
    else enough to tell neighbours apart; at most 4."""
    if len(ticks) < 2:
        return [f"{t:g}" for t in ticks]
    step = abs(ticks[1] - ticks[0])
    for decimals in range(5):
        if all(abs(t * 10 ** decimals - round(t * 10 ** decimals)) < 1e-6 for t in ticks):
            break
    else:
        decimals = 0 if step <= 0 else max(0, min(4, 1 - math.floor(math.log10(step))))
    return [f"{t:.{decimals}f}" for t in ticks]


def _line(px: np.ndarray, py: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every dot on the straight segments through the points (dot coordinates, floats in, ints out)."""
    if len(px) < 2:
        return np.rint(px).astype(np.int64), np.rint(py).astype(np.int64)
    dx, dy = np.diff(px), np.diff(py)
    n = np.maximum(np.ceil(np.maximum(np.abs(dx), np.abs(dy))).astype(np.int64), 1)
    seg = np.repeat(np.arange(len(dx)), n)
    t = (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    xs = np.append(px[seg] + dx[seg] * t, px[-1])
    ys = np.append(py[seg] + dy[seg] * t, py[-1])
    return np.rint(xs).astype(np.int64), np.rint(ys).astype(np.int64)


def _fit_label(label: str, width: int) -> str:
    """The label, or the words before its parenthesis (then its first word) where it is too long."""
    for form in (label, label.split(" (")[0], label.split(" ")[0]):
        if len(form) <= width:
            return form
    return label[:width]


def _finite(curve: Curve) -> tuple[np.ndarray, np.ndarray]:
    n = min(len(curve.xs), len(curve.ys))
    xs, ys = np.asarray(curve.xs[:n], dtype=float), np.asarray(curve.ys[:n], dtype=float)
    keep = np.isfinite(xs) & np.isfinite(ys)
    return xs[keep], ys[keep]


def _range(values: list[np.ndarray]) -> tuple[float, float] | None:
    values = [v for v in values if len(v)]
    if not values:
        return None
    both = np.concatenate(values)
    return float(both.min()), float(both.max())


def _within(curves: Sequence[Curve]) -> tuple[float, float] | None:
    """The range every one of the curves keeps to, if each has one."""
    if not curves or any(c.within is None for c in curves):
        return None
    bounds = [c.within for c in curves if c.within is not None]
    return max(b[0] for b in bounds), min(b[1] for b in bounds)


def draw(curves: Sequence[Curve], width: int, height: int, xlabel: str = "") -> list[list[tuple[str, int]]]:
    """The chart in at most width×height cells: lines of (text, curve) runs, curve -1 for the frame and labels.

    Fewer lines than height where there is no room for the tick labels or the x label;
    none where there is no room for a plot.
    """
    points = [_finite(c) for c in curves]
    xr = _range([x for x, _ in points])
    left = _range([y for (_, y), c in zip(points, curves) if not c.right])
    right = _range([y for (_, y), c in zip(points, curves) if c.right])
    rows = height - 2 - (1 if height >= 5 else 0) - (1 if height >= 6 and xlabel else 0)
    most_y = max(1, min(6, rows // 2))
    ly = y_axis(*left, rows, most_y, _within([c for c in curves if not c.right])) if left else None
    ry = y_axis(*right, rows, most_y, _within([c for c in curves if c.right])) if right else None
    left_labels = labels(ly[2]) if ly else []
    right_labels = labels(ry[2]) if ry else []
    lw = max((len(s) for s in left_labels), default=0)
    rw = max((len(s) for s in right_labels), default=0)
    lpad, rpad = (lw + 1 if lw else 0), (rw + 1 if rw else 0)     # a label and a space beside the frame
    cols = width - lpad - 2 - rpad
    if cols < MIN_PLOT or rows < 1:
        return []
    whole = all(float(v).is_integer() for x, _ in points for v in x.tolist())
    xa = x_axis(*xr, max(1, min(8, cols // 8)), whole) if xr else None

    codes = np.zeros((rows, cols), dtype=np.int64)
    owner = np.full((rows, cols), -1, dtype=np.int64)
    for i, ((xs, ys), curve) in enumerate(zip(points, curves)):
        scale = ry if curve.right else ly
        if not len(xs) or xa is None or scale is None:
            continue
        px = (xs - xa[0]) / (xa[1] - xa[0]) * (2 * cols - 1)
        py = (1 - (ys - scale[0]) / (scale[1] - scale[0])) * (4 * rows - 1)
        dx, dy = _line(px, py)
        dx, dy = np.clip(dx, 0, 2 * cols - 1), np.clip(dy, 0, 4 * rows - 1)
        r, c = dy // 4, dx // 2
        np.bitwise_or.at(codes, (r, c), DOT_BITS[dy % 4, dx % 2])
        owner[r, c] = i

    def row_of(value: float, scale: tuple[float, float, list[float]]) -> int:
        return int(round((1 - (value - scale[0]) / (scale[1] - scale[0])) * (rows - 1)))

    left_at = {row_of(v, ly): s for v, s in zip(ly[2], left_labels)} if ly else {}
    right_at = {row_of(v, ry): s for v, s in zip(ry[2], right_labels)} if ry else {}

    lines: list[list[tuple[str, int]]] = []

    def plain(text: str) -> None:
        lines.append([(text, -1)] if text else [])

    plain(" " * lpad + "┌" + "─" * cols + "┐" + " " * rpad)
    for r in range(rows):
        label = left_at.get(r, "")
        head = (label.rjust(lw) + " " if lpad else "") + ("┤" if label else "│")
        cells = "".join(map(chr, (codes[r] + BRAILLE).tolist())).replace(chr(BRAILLE), " ")
        tail = ("├ " + right_at[r].ljust(rw)) if r in right_at else "│" + " " * rpad
        runs = [(head, -1)]
        row_owner = owner[r]
        cuts = np.flatnonzero(np.diff(row_owner)) + 1
        for a, b in zip(np.concatenate(([0], cuts)).tolist(), np.concatenate((cuts, [cols])).tolist()):
            runs.append((cells[a:b], int(row_owner[a])))
        runs.append((tail, -1))
        lines.append(runs)

    bottom = ["─"] * cols
    under = [" "] * width
    if xa is not None:
        free = 0                                     # the first column a label may start in
        for value, text in zip(xa[2], labels(xa[2])):
            c = int(round((value - xa[0]) / (xa[1] - xa[0]) * (cols - 1)))
            bottom[c] = "┬"
            begin = max(0, lpad + 1 + c - len(text) // 2)
            if begin >= free and begin + len(text) <= len(under):
                under[begin:begin + len(text)] = text
                free = begin + len(text) + 1
    plain(" " * lpad + "└" + "".join(bottom) + "┘" + " " * rpad)
    if height >= 5:
        plain("".join(under).rstrip())
    if height >= 6 and xlabel:
        plain(_fit_label(xlabel, width).center(width).rstrip())
    return lines


def to_text(lines: Sequence[Sequence[tuple[str, int]]], curves: Sequence[Curve]) -> Text:
    """draw()'s lines as one Rich Text, each curve's dots in its colour."""
    styles = ["rgb({},{},{})".format(*c.rgb) for c in curves]
    text = Text(no_wrap=True, overflow="crop")
    for i, line in enumerate(lines):
        if i:
            text.append("\n")
        for chunk, who in line:
            text.append(chunk, style=styles[who] if who >= 0 else None)
    return text
