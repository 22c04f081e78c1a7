"""The palette stays honest when Rich maps it down to 256 or 16 colours."""

import math
import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.style import Style

from rnn_tui.ui import palette as p

SGR_BG = re.compile(r"\x1b\[([0-9;]+)m")


def background_in(system: ColorSystem, rgb) -> str:
    """The SGR background code Rich writes for rgb in a console of that colour system."""
    ansi = Style(bgcolor=p.color(rgb)).render("x", color_system=system)
    return SGR_BG.match(ansi).group(1)


def test_levels_are_centred_on_zero_and_clipped():
    """0 is neutral, +-scale the full colours, beyond is clipped, NaN is neutral; sequential clips at 0."""
    values = np.array([-4.0, -2.0, 0.0, 1.0, 2.0, 50.0, np.nan])
    assert p.levels_of(values, 2.0).tolist() == [-p.LEVELS, -p.LEVELS, 0, p.LEVELS // 2, p.LEVELS, p.LEVELS, 0]
    assert p.levels_of(values, 2.0, sequential=True).tolist() == [0, 0, 0, p.LEVELS // 2, p.LEVELS, p.LEVELS, 0]
    assert p.levels_of(values, 0.0).tolist() == [0] * len(values)


@given(st.floats(allow_nan=True, allow_infinity=True, width=64),
       st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, 1e-300, 2.0])),
       st.booleans())
@example(math.inf, math.inf, False).via("inf / inf")
@example(-math.inf, math.inf, True).via("inf / inf")
@example(1.5 / p.LEVELS, 1.0, False).via("a tie: 1.5 levels")
@example(1.0, math.nan, False).via("NaN scale")
def test_one_cell_gets_the_level_and_style_the_array_gets(value, scale, sequential):
    """level_of (one number, no NumPy) agrees with levels_of on every float, halves, NaN and infinities
    included; cell_style is the level's one shared style."""
    with np.errstate(all="ignore"):
        expected = int(p.levels_of(np.array([value]), scale, sequential)[0])
    assert p.level_of(value, scale, sequential) == expected
    style = p.cell_style(value, scale, sequential)
    assert style is p.level_style(expected, sequential)
    assert style.bgcolor == p.color(p.level_rgb(expected, sequential))


@pytest.mark.parametrize("sequential", [False, True])
def test_every_level_has_its_own_colour_in_truecolour_and_256(sequential):
    """Neighbouring steps never collapse into one colour before 16 colours."""
    levels = list(p.scale_levels(sequential))
    rgbs = [p.level_rgb(k, sequential) for k in levels]
    assert len(set(rgbs)) == len(rgbs)
    codes = [background_in(ColorSystem.EIGHT_BIT, c) for c in rgbs]
    assert all(a != b for a, b in zip(codes, codes[1:]))


def test_sixteen_colours_keep_each_sign_in_its_own_hue_and_order():
    """Positive cells never turn yellow: grey, then red, then bright red; blue likewise below zero."""
    def code(k, sequential=False):
        return background_in(ColorSystem.STANDARD, p.level_rgb(k, sequential))

    grey, red, bright_red, blue, bright_blue = "100", "41", "101", "44", "104"
    up = [code(k) for k in range(0, p.LEVELS + 1)]
    down = [code(-k) for k in range(0, p.LEVELS + 1)]
    assert up[0] == grey and up[-1] == bright_red and set(up) <= {grey, red, bright_red}
    assert down[-1] == bright_blue and set(down) <= {grey, blue, bright_blue}
    rank = {grey: 0, red: 1, bright_red: 2, blue: 1, bright_blue: 2}
    assert [rank[c] for c in up] == sorted(rank[c] for c in up)
    assert [rank[c] for c in down] == sorted(rank[c] for c in down)
    green = [code(k, True) for k in range(0, p.LEVELS + 1)]
    assert green[0] == grey and green[-1] == "102" and set(green) <= {grey, "42", "102"}


def test_text_on_a_cell_is_the_more_readable_of_black_and_white():
    """White on the dark steps, black on the light ones."""
    assert p.text_rgb(p.NEUTRAL) == (255, 255, 255)
    assert p.text_rgb(p.GREENS[-1]) == (0, 0, 0)
    assert p.cell_style(0.0, 1.0).bgcolor.triplet == p.NEUTRAL
