"""The heatmap: colour mapping, layouts, labels and the cursor's value."""

import numpy as np
import pytest
from textual.app import App

from rnn_tui.ui.widgets import heatmap as hm
from rnn_tui.ui.widgets.heatmap import Heatmap


def test_levels_are_centred_on_zero_and_clipped():
    """0 is neutral; +-scale are the full colours; beyond is clipped; NaN is neutral."""
    assert hm.level(0.0, 2.0) == 0
    assert hm.level(2.0, 2.0) == hm.LEVELS and hm.level(-2.0, 2.0) == -hm.LEVELS
    assert hm.level(50.0, 2.0) == hm.LEVELS and hm.level(float("nan"), 2.0) == 0
    assert hm.level(1.0, 2.0) == hm.LEVELS // 2
    values = np.array([[-4.0, 0.0, 1.0, np.nan]])
    assert hm.levels_of(values, 2.0).tolist() == [[-hm.LEVELS, 0, hm.LEVELS // 2, 0]]


def test_colours_run_from_blue_through_grey_to_red():
    """The scale's ends and middle are the documented colours, and steps are distinct."""
    assert hm.level_rgb(0) == hm.NEUTRAL
    assert hm.level_rgb(hm.LEVELS) == hm.POSITIVE and hm.level_rgb(-hm.LEVELS) == hm.NEGATIVE
    reds = [hm.level_rgb(k) for k in range(hm.LEVELS + 1)]
    assert len(set(reds)) == len(reds)


def test_pooling_averages_blocks():
    """2x2 blocks average; ragged edges average what they hold."""
    a = np.arange(12, dtype=float).reshape(3, 4)
    p = hm.pool(a, 2, 2)
    assert p.shape == (2, 2) and p[0, 0] == pytest.approx((0 + 1 + 4 + 5) / 4)
    assert p[1, 1] == pytest.approx((10 + 11) / 2)


@pytest.mark.parametrize("shape,size,labels,mode,fr,fc", [
    ((4, 7), (60, 20), (True, True), "numbers", 1, 1),
    ((19, 128), (40, 30), (True, False), "rows", 1, 5),
    ((128, 128), (60, 38), (False, False), "half", 2, 3),
    ((128, 30), (34, 20), (False, True), "half", 4, 1),
])
def test_layouts_fit_the_area(shape, size, labels, mode, fr, fc):
    """Numbers when they fit, rows with labels when rows fit, half blocks (pooled) otherwise."""
    lay = hm.choose_layout(shape, size[0], size[1], labels[0], labels[1], 10 if labels[0] else 0)
    assert (lay.mode, lay.fr, lay.fc) == (mode, fr, fc)
    rows = -(-shape[0] // lay.fr)
    lines = rows // 2 + rows % 2 if mode == "half" else rows
    assert lines + lay.header <= size[1] - 2
    assert -(-shape[1] // lay.fc) * lay.cell + lay.gutter <= size[0]


class One(App):
    def __init__(self, data, **labels):
        super().__init__()
        self.data, self.labels = data, labels

    def compose(self):
        yield Heatmap("U", id="h")

    def on_mount(self):
        self.query_one(Heatmap).show(self.data, **self.labels)


async def test_cursor_shows_the_exact_value_with_labels():
    """Arrows move the cursor; the value line names the row and column labels."""
    data = np.arange(28, dtype=float).reshape(4, 7) / 10
    app = One(data, row_labels=["h0", "h1", "h2", "h3"], col_labels=list("acehktz"))
    async with app.run_test(size=(80, 20)) as pilot:
        h = app.query_one(Heatmap)
        h.focus()
        await pilot.press("down", "right", "right")
        assert h.cursor == (1, 2)
        assert h.value_at_cursor() == ("h1", "e", pytest.approx(0.9))
        text = "\n".join(strip.text for strip in h._strips)
        assert "U[h1, e] = +0.9000" in text and "+2.70" in text and "h3" in text


async def test_fixed_scale_keeps_colours_comparable():
    """f freezes the scale: bigger values later do not rescale the colours."""
    app = One(np.array([[1.0, -1.0]]))
    async with app.run_test(size=(60, 10)) as pilot:
        h = app.query_one(Heatmap)
        h.focus()
        await pilot.press("f")
        h.show(np.array([[5.0, -5.0]]))
        assert h.scale == 1.0 and "fixed" in h._strips[-2].text
        await pilot.press("f")
        assert h.scale == 5.0 and "auto" in h._strips[-2].text


async def test_large_matrix_is_drawn_with_half_blocks():
    """A 128x128 matrix fits: two rows per line, the legend says how it was averaged."""
    app = One(np.random.default_rng(0).normal(size=(128, 128)))
    async with app.run_test(size=(80, 40)):
        h = app.query_one(Heatmap)
        assert h._layout.mode == "half"
        assert "▀" in h._strips[0].text and "averaged" in h._strips[-2].text
        assert len(h._strips) <= h.size.height
