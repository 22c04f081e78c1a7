"""A panel too wide for its pane writes its numbers in fewer cells, never a different number."""

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from textual.app import App
from textual.containers import VerticalScroll

from rnn_tui.steps.results import Matrix, format_cell
from rnn_tui.ui.widgets import drawn
from rnn_tui.ui.widgets.visuals import MatrixVisual, compact_cell

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)


@given(floats)
@example(0.7194)
@example(-0.0004)
@example(0.9996)
@example(-12.3456)
@example(3.0)
def test_compact_numbers_read_as_the_same_value(x):
    """Each level is no longer than the one before, and reads back within its last place."""
    texts = [compact_cell(x, level) for level in (0, 1, 2)]
    assert texts[0] == format_cell(x)
    assert len(texts[2]) <= len(texts[1]) <= len(texts[0])
    if not math.isfinite(x) or (x.is_integer() and abs(x) < 1e6):
        assert texts[1] == texts[2] == texts[0]
        return
    for level, (text, place) in enumerate(zip(texts, (1e-3, 1e-3, 1e-2))):
        assert abs(float(text) - x) <= place / 2 + 1e-9 * abs(x)
        assert text[0] in "+-" and (level == 0 or not text[1:].startswith("0."))


@given(st.one_of(st.integers(), st.text(max_size=12)), st.integers(0, 2))
def test_what_is_not_a_float_is_written_as_it_is(x, level):
    """Counts and labels are never shortened."""
    assert compact_cell(x, level) == format_cell(x)


class Pane(App):
    """One matrix panel in a scrolling pane of a given width."""

    CSS = "VerticalScroll { width: 60; }"

    def compose(self):
        with VerticalScroll():
            yield MatrixVisual(title="h")


MATRIX = Matrix(rows=("h0", "h1", "h2"), cols=tuple("katzekat"),
                values=tuple(tuple(round(math.sin(3 * i + j) * (1.5 if j % 3 else 0.9), 4) for j in range(8))
                             for i in range(3)), highlight=(2,))


@pytest.mark.parametrize("width", [30, 44, 50, 52, 56, 58, 60, 64, 80])
async def test_a_matrix_is_drawn_at_the_first_level_that_fits(width):
    """The level a matrix panel works out from its cells' lengths is the one drawing would find:
    the panel fits its pane at that level and did not at the one before (or it is the last)."""
    app = Pane()
    async with app.run_test(size=(100, 20)) as pilot:
        app.query_one(VerticalScroll).styles.width = width
        await pilot.pause()
        visual = app.query_one(MatrixVisual)
        visual.show(MATRIX)
        await pilot.pause()
        room = visual._room                     # the pane's width, less a scrollbar that may yet come
        assert 0 < room <= app.query_one(VerticalScroll).scrollable_content_region.width
        assert visual._width() <= room or visual.compact == visual.compact_levels
        if visual.compact:
            visual.compact -= 1
            wider = drawn.draw(visual, visual._panel(), 2000)
            assert max(line.cell_length for line in wider) > room
