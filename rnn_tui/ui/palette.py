"""The app's one colour palette for numbers: a diverging scale and a sequential one.

Diverging (weights, gradients, hidden states: data with a sign): grey at
zero, deeper blue below, deeper red above.  Sequential (probabilities,
shares: data that is never negative): grey at zero, brighter green towards
the top.  Each side has LEVELS steps, so a scale has 2*LEVELS+1 or LEVELS+1
colours, few enough that a legend can show every one of them and many
enough to read (ColorBrewer's schemes stop at 11 or 9 classes).

The colours are listed, not interpolated, because terminals without
truecolour get them through Rich's downgrade to the nearest of 256 or 16
colours.  A straight line from grey to red passes colours that the 16-colour
palette matches to yellow; these steps were picked so that, in 16 colours,
the positive side stays bright black -> red -> bright red and the negative
side bright black -> blue -> bright blue, in order (tests/ui/test_palette.py
checks it with Rich's own downgrade), and in 256 colours neighbouring steps
stay distinct.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from rich.color import Color
from rich.style import Style

LEVELS = 6
NEUTRAL = (60, 60, 60)
REDS = (NEUTRAL, (95, 40, 40), (140, 30, 30), (185, 35, 35), (225, 45, 45), (250, 85, 85), (255, 130, 130))
BLUES = (NEUTRAL, (45, 45, 100), (30, 30, 140), (35, 55, 185), (40, 80, 230), (70, 110, 242), (100, 140, 255))
GREENS = (NEUTRAL, (35, 80, 45), (25, 120, 40), (25, 160, 45), (45, 190, 85), (85, 218, 115), (140, 245, 165))
CURSOR = "rgb(250,204,21)"       # the heatmap cursor: yellow is on neither scale

RGB = tuple[int, int, int]


def levels_of(values: np.ndarray, scale: float, sequential: bool = False) -> np.ndarray:
    """Quantise values on a +-scale (or 0..scale) range to integers in [-LEVELS, LEVELS]; NaN is 0.

    Sequential scales clip negatives to 0.
    """
    if scale <= 0:
        return np.zeros(np.shape(values), dtype=int)
    low = 0.0 if sequential else -1.0
    with np.errstate(invalid="ignore"):
        out = np.rint(np.clip(np.asarray(values, dtype=float) / scale, low, 1.0) * LEVELS)
    return np.nan_to_num(out, nan=0.0).astype(int)


def level_rgb(level: int, sequential: bool = False) -> RGB:
    """The colour of a level: grey at 0, the scale's colours towards +-LEVELS."""
    if sequential:
        return GREENS[max(0, min(LEVELS, level))]
    side = REDS if level > 0 else BLUES
    return side[min(LEVELS, abs(level))]


def scale_levels(sequential: bool = False) -> range:
    """Every level of a scale, from the lowest to the highest (what a legend shows)."""
    return range(0 if sequential else -LEVELS, LEVELS + 1)


def text_rgb(background: RGB) -> RGB:
    """Black or white, whichever contrasts more with background (WCAG relative luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(background[0]) + 0.7152 * channel(background[1]) + 0.0722 * channel(background[2])
    # contrast with white is 1.05 / (lum + 0.05), with black (lum + 0.05) / 0.05
    return (255, 255, 255) if 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.05 else (0, 0, 0)


def color(rgb: RGB) -> Color:
    """A Rich colour from an (r, g, b) triple."""
    return Color.from_rgb(*rgb)


def level_of(value: float, scale: float, sequential: bool = False) -> int:
    """levels_of for one number, without NumPy's cost per call (a recurrence view colours a thousand)."""
    ratio = value / scale if scale > 0 else math.nan      # inf / inf is NaN too
    if math.isnan(ratio):
        return 0
    low = 0.0 if sequential else -1.0
    return int(round(min(max(ratio, low), 1.0) * LEVELS))     # round() ties to even, as np.rint


@cache
def level_style(level: int, sequential: bool = False) -> Style:
    """The style of a cell at a level: its colour, and black or white text on it (one object per level)."""
    bg = level_rgb(level, sequential)
    return Style(color=color(text_rgb(bg)), bgcolor=color(bg))


def cell_style(value: float, scale: float, sequential: bool = False) -> Style:
    """The style of a cell that shows value as text on its colour."""
    return level_style(level_of(value, scale, sequential), sequential)
