"""The braille line chart: dots where the curves are, ticks at the data's ends, any input drawn within its box."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.ui.widgets.braille import BRAILLE, DOT_BITS, Curve, draw, labels, to_text, x_axis, y_axis

RED, BLUE = (255, 0, 0), (0, 0, 255)


def plot_cells(lines):
    """The plot area: rows of (char, curve) between the frame's left and right edges."""
    rows = []
    for line in lines[1:]:
        text = "".join(t for t, _ in line)
        if text.lstrip().startswith("└"):
            break
        owners = [who for t, who in line for _ in t]
        left = next(i for i, ch in enumerate(text) if ch in "│┤")
        right = max(i for i, ch in enumerate(text) if ch in "│├")
        rows.append(list(zip(text[left + 1:right], owners[left + 1:right])))
    return rows


def dots(lines):
    """Every dot drawn, as (x, y) in dots from the plot's top left, with its cell's curve."""
    found = set()
    for r, row in enumerate(plot_cells(lines)):
        for c, (ch, who) in enumerate(row):
            code = ord(ch) - BRAILLE if ch != " " else 0
            for dy in range(4):
                for dx in range(2):
                    if code & int(DOT_BITS[dy, dx]):
                        found.add((2 * c + dx, 4 * r + dy, who))
    return found


def test_a_rising_line_is_one_unbroken_diagonal_of_dots():
    """From the bottom left corner to the top right one, a dot in every column of dots, climbing steadily."""
    lines = draw([Curve([0, 1], [0, 1], RED)], width=30, height=12, xlabel="x")
    points = dots(lines)
    cols = 2 * len(plot_cells(lines)[0])
    rows = 4 * len(plot_cells(lines))
    assert {x for x, _, _ in points} == set(range(cols))
    assert (0, rows - 1, 0) in points and (cols - 1, 0, 0) in points
    for x, y, _ in points:
        expected = (rows - 1) * (1 - x / (cols - 1))
        assert abs(y - expected) <= 1.0


def test_ticks_name_the_ends_of_the_data_and_the_later_curve_colours_a_shared_cell():
    """The top and bottom y ticks are the largest and smallest values; where two curves meet, the one drawn
    later owns the cell."""
    lines = draw([Curve([1, 2, 3], [2.5, 1.5, 0.5], RED), Curve([1, 2, 3], [2.5, 1.5, 0.5], BLUE)],
                 width=40, height=14, xlabel="epoch")
    text = ["".join(t for t, _ in line) for line in lines]
    assert text[1].lstrip().startswith("2.50 ┤")
    bottom = next(i for i, t in enumerate(text) if t.lstrip().startswith("└"))
    assert text[bottom - 1].lstrip().startswith("0.50 ┤")
    assert text[bottom + 1].split() == ["1", "2", "3"]      # whole epochs: whole ticks
    assert text[-1].strip() == "epoch"
    assert {who for _, _, who in dots(lines)} == {1}


def test_right_axis_curves_have_their_own_scale():
    """A curve on the right scale fills the height whatever the left one's values, and is ticked on the right."""
    lines = draw([Curve([1, 2], [100.0, 200.0], RED), Curve([1, 2], [0.25, 0.75], BLUE, right=True)],
                 width=40, height=12)
    text = ["".join(t for t, _ in line) for line in lines]
    assert text[1].rstrip().endswith("├ 0.750") and text[1].startswith("200 ┤")
    blue = [(x, y) for x, y, who in dots(lines) if who == 1]
    assert min(y for _, y in blue) == 0


def test_nan_and_inf_are_skipped_and_nothing_is_an_empty_frame():
    """A diverged run's NaN and inf values leave gaps, not errors; no curves at all draw the frame alone."""
    lines = draw([Curve([1, 2, 3, 4], [1.0, math.nan, math.inf, 0.5], RED)], width=30, height=10)
    assert dots(lines)
    empty = draw([], width=30, height=10, xlabel="epoch")
    assert not dots(empty) and "".join(t for t, _ in empty[0]).startswith("┌")
    assert draw([Curve([1], [1.0], RED)], width=3, height=10) == []        # no room for a plot


def test_axes_and_labels():
    """Ticks: y from top to bottom on rows; x round and inside the range; labels with shared decimals."""
    lo, hi, ticks = y_axis(1.28, 1.94, rows=12, most=6)
    assert (lo, hi) == (1.28, 1.94) and ticks[0] == 1.94 and math.isclose(ticks[-1], 1.28)
    assert x_axis(1, 100, 4, whole=True)[2] == [25, 50, 75, 100]
    assert labels(x_axis(0.3, 0.8, 5, whole=False)[2]) == ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8"]
    assert labels([0.0, 0.5, 1.0]) == ["0.0", "0.5", "1.0"]
    assert labels([1.94, 1.83, 1.72]) == ["1.94", "1.83", "1.72"] and labels([2 / 3, 1 / 3]) == ["0.67", "0.33"]
    assert labels([5.0, 10.0]) == ["5", "10"]
    curve = Curve([0, 1], [0, 1], RED)
    text = to_text(draw([curve], 20, 8), [curve])
    assert {str(span.style) for span in text.spans} == {"rgb(255,0,0)"} and "┌" in text.plain

def test_a_single_value_gets_an_axis_around_it_not_below_zero_unless_it_is():
    """One epoch's accuracy of 0 is drawn on 0 to 0.5, not -0.5 to 0.5; a loss of 1.2 on a band around
    it; a negative value on a band on both sides."""
    lo, hi, ticks = y_axis(0.0, 0.0, rows=8, most=4)
    assert lo == 0.0 and hi > 0 and min(ticks) >= 0
    lo, hi, _ = y_axis(1.2, 1.2, rows=8, most=4)
    assert lo < 1.2 < hi and lo > 0
    lo, hi, _ = y_axis(-2.0, -2.0, rows=8, most=4)
    assert lo < -2.0 < hi


def test_an_accuracy_that_holds_still_keeps_its_axis_between_0_and_1():
    """A run whose accuracy stays at 0.917 had ticks up to 1.42 on the right; a curve marked within
    0 to 1 keeps its axis there, and a curve without bounds beside it lifts them."""
    accuracy = Curve([1, 2, 3], [0.917] * 3, BLUE, right=True, within=(0.0, 1.0))
    lines = draw([Curve([1, 2, 3], [1.0, 0.8, 0.7], RED), accuracy], width=40, height=12)
    ticks = [float(t.rsplit("├", 1)[1]) for t in ("".join(c for c, _ in line) for line in lines) if "├" in t]
    assert ticks and max(ticks) <= 1.0 and min(ticks) >= 0.0 and max(ticks) >= 0.917
    lo, hi, _ = y_axis(1.0, 1.0, rows=8, most=4, within=(0.0, 1.0))
    assert lo < 1.0 == hi
    loose = draw([accuracy, Curve([1, 2, 3], [0.917] * 3, RED, right=True)], width=40, height=12)
    ticks = [float(t.rsplit("├", 1)[1]) for t in ("".join(c for c, _ in line) for line in loose) if "├" in t]
    assert max(ticks) > 1.0


finite = st.floats(allow_nan=True, allow_infinity=True, width=32)


@settings(max_examples=150, deadline=None)
@given(ys=st.lists(finite, max_size=60), right=st.lists(finite, max_size=60),
       width=st.integers(1, 160), height=st.integers(1, 50), label=st.text(max_size=40))
def test_any_values_at_any_size_fit_the_box(ys, right, width, height, label):
    """Whatever the values (huge, tiny, equal, non-finite) and the size, the chart stays within width×height."""
    curves = [Curve(list(range(len(ys))), ys, RED), Curve(np.linspace(0, 1, len(right)), right, BLUE, right=True)]
    lines = draw(curves, width, height, label)
    assert len(lines) <= height
    for line in lines:
        assert sum(len(t) for t, _ in line) <= width
        assert all(who in (-1, 0, 1) for _, who in line)
