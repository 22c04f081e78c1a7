"""The heatmap: layouts, pooling, number formats, labels, legend and the cursor's value."""

import re

import numpy as np
import pytest
from rich.color import ColorSystem
from textual.app import App

from rnn_tui.ui import palette
from rnn_tui.ui.widgets import heatmap as hm
from rnn_tui.ui.widgets.heatmap import Heatmap

SGR = re.compile(r"\x1b\[([0-9;]+)m")


def test_pooling_keeps_the_strongest_value_with_its_sign():
    """Each block shows its value of largest magnitude; ragged edges use what they hold."""
    a = np.array([[1.0, -5.0, 2.0], [3.0, 0.5, -0.1], [-7.0, 1.0, 4.0]])
    p = hm.pool(a, 2, 2)
    assert p.tolist() == [[-5.0, 2.0], [-7.0, 4.0]]
    assert np.isnan(hm.pool(np.array([[np.nan, np.nan]]), 1, 2)[0, 0])


def test_pooled_random_weights_are_not_grey():
    """Averaging mixed signs fades a 128x128 picture to grey; keeping the strongest does not."""
    w = np.random.default_rng(0).normal(size=(128, 128))
    scale = np.abs(w).max()
    strongest = np.abs(palette.levels_of(hm.pool(w, 4, 4), scale)).mean()
    averaged = np.abs(palette.levels_of(w.reshape(32, 4, 32, 4).mean(axis=(1, 3)), scale)).mean()
    assert strongest >= 2 * averaged and strongest >= palette.LEVELS / 3


@pytest.mark.parametrize("scale,factor,note", [(0.92, 1.0, ""), (0.1, 1.0, ""), (42.0, 1.0, ""),
                                               (0.002, 1e-3, "cells ×1e-3"), (0.05, 1e-2, "cells ×1e-2"),
                                               (1234.0, 1e3, "cells ×1e+3")])
def test_number_format_follows_the_scale(scale, factor, note):
    """Tiny or huge scales print mantissas with the common factor in the legend."""
    assert hm.number_format(scale) == (pytest.approx(factor), note)


def test_cells_fit_their_width():
    """Two decimals when they fit, one when not; probabilities have no sign."""
    assert hm.cell_text(0.0019, 1e-3, 6, False) == " +1.90"
    assert hm.cell_text(42.123, 1.0, 6, False) == " +42.1"
    assert hm.cell_text(0.5, 1.0, 6, True) == "  0.50"
    assert all(len(hm.cell_text(v, 1.0, 6, False)) == 6 for v in (-99.99, 0.0, 9.999))


@pytest.mark.parametrize("shape,size,labels,mode,fr,fc", [
    ((4, 7), (60, 20), (True, True), "numbers", 1, 1),
    ((19, 128), (40, 30), (True, False), "rows", 1, 5),
    ((128, 128), (60, 38), (False, False), "half", 2, 3),
    ((128, 30), (34, 20), (False, True), "half", 4, 1),
    ((19, 19), (28, 11), (True, True), "half", 1, 1),
    ((19, 19), (28, 12), (True, True), "half", 1, 1),
    ((19, 19), (25, 11), (True, True), "half", 1, 2),
])
def test_layouts_fit_the_area(shape, size, labels, mode, fr, fc):
    """Numbers when they fit, rows with labels when rows fit, half blocks (pooled) otherwise."""
    lay = hm.choose_layout(shape, size[0], size[1], labels[0], labels[1], 10 if labels[0] else 0)
    assert (lay.mode, lay.fr, lay.fc) == (mode, fr, fc)
    rows = -(-shape[0] // lay.fr)
    lines = rows // 2 + rows % 2 if mode == "half" else rows * lay.tall
    assert lines + lay.header <= size[1] - 1
    assert -(-shape[1] // lay.fc) * lay.cell + lay.gutter <= size[0]


@pytest.mark.parametrize("shape,size,cell,tall", [
    ((4, 4), (60, 30), 10, 3),        # the cats' W in a large panel: as big as cells get
    ((4, 7), (60, 20), 8, 2),
    ((4, 4), (40, 6), 9, 1),          # no room for more lines: one a row
    ((4, 7), (51, 40), 6, 2),         # numbers just fit across
])
def test_small_matrices_fill_a_large_panel(shape, size, cell, tall):
    """Numbers get wider cells and more lines a row when the panel has room, never more than fits."""
    lay = hm.choose_layout(shape, size[0], size[1], True, True, 2)
    assert (lay.mode, lay.cell, lay.tall) == ("numbers", cell, tall)
    assert shape[0] * lay.tall + lay.header <= size[1] - 1 and shape[1] * lay.cell + lay.gutter <= size[0]


async def test_tall_cells_print_each_number_once_and_click_to_their_row():
    """On three lines a row, the numbers and the row's label are on the middle line; a click on
    any line of a cell puts the cursor on it."""
    data = np.arange(16, dtype=float).reshape(4, 4) / 10 - 0.75
    app = One(data, row_labels=["h0", "h1", "h2", "h3"], col_labels=list("acht"))
    app.CSS = "#h { width: 64; height: 32; }"
    async with app.run_test(size=(80, 40)) as pilot:
        h = app.query_one(Heatmap)
        lay = h._layout
        assert lay is not None and lay.tall == 3
        lines = [strip.text for strip in h._strips[1:-1]]
        assert [line.split()[:2] for line in lines if line.strip()] == [
            [f"h{i}", f"{data[i, 0]:+.2f}"] for i in range(4)]
        assert len(lines) == 12 and all(lines[3 * i + 1].count(".") == 4 for i in range(4))
        region = h.content_region
        await pilot.click(Heatmap, offset=(region.x - h.region.x + lay.gutter + 2 * lay.cell + 1,
                                           region.y - h.region.y + lay.header + 3 * 2 + 2))
        assert h.cursor == (2, 2)


class One(App):
    AUTO_FOCUS = None                # the cursor shows only once a test focuses the heatmap

    def __init__(self, data, **kwargs):
        super().__init__()
        self.data, self.kwargs = data, kwargs

    def compose(self):
        yield Heatmap("U", id="h")

    def on_mount(self):
        self.query_one(Heatmap).show(self.data, **self.kwargs)


def text(h: Heatmap) -> str:
    return "\n".join(strip.text for strip in h._strips)


async def test_cursor_shows_the_exact_value_with_labels():
    """Arrows move the cursor; the bottom border names the row and column labels."""
    data = np.arange(28, dtype=float).reshape(4, 7) / 10
    app = One(data, row_labels=["h0", "h1", "h2", "h3"], col_labels=list("acehktz"))
    async with app.run_test(size=(80, 20)) as pilot:
        h = app.query_one(Heatmap)
        h.focus()
        await pilot.press("down", "right", "right")
        assert h.cursor == (1, 2)
        assert h.value_at_cursor() == ("h1", "e", pytest.approx(0.9))
        assert h.caption == "U[h1, e] = +0.9000"
        assert "+2.70" in text(h) and "h3" in text(h)


async def test_gradient_name_and_small_scale():
    """A gradient of a few thousandths reads as mantissas x1e-3, and the cursor calls it dL/dW."""
    grad = np.array([[0.0019, -0.0007], [0.0001, -0.0021]])
    app = One(grad, title="dL/dW  hidden × hidden", name="dL/dW")
    async with app.run_test(size=(60, 12)) as pilot:
        h = app.query_one(Heatmap)
        cells = "\n".join(strip.text for strip in h._strips[:-1])
        assert "+1.90" in cells and "-2.10" in cells and "cells ×1e-3" in h._strips[-1].text
        assert "+0.00" not in cells and "-0.00" not in cells
        h.focus()
        await pilot.pause()
        assert h.caption == "dL/dW[0, 0] = +1.9000e-03"


async def test_half_blocks_keep_row_and_column_labels():
    """A 19x19 confusion matrix in a small panel shows language labels two to a line, and letters on top."""
    langs = [f"Lang{i:02d}" for i in range(19)]
    app = One(np.eye(19), row_labels=langs, col_labels=[x[:3] for x in langs], sequential=True,
              title=["confusion: rows actual, columns guessed (share of row)", "confusion (share of row)"])
    app.CSS = "#h { width: 30; height: 14; }"
    async with app.run_test(size=(80, 20)):
        h = app.query_one(Heatmap)
        assert h._layout.mode == "half" and h._layout.gutter > 0
        assert h._strips[1].text.startswith("Lan/Lan ") and "Lan" in h._strips[-2].text
        assert h.shown_title == "confusion (share of row)"


def sixteen_colours(segment) -> list[int]:
    """The 16-colour numbers Rich writes for a segment on such a terminal: what a viewer sees.

    Foreground colours count only where a glyph is drawn, backgrounds only where it leaves room.
    """
    ansi = segment.style.render(segment.text, color_system=ColorSystem.STANDARD)
    ink, paper = segment.text.strip() != "", segment.text != "█" * len(segment.text)
    found = []
    for code in (int(c) for c in SGR.match(ansi).group(1).split(";")):
        for base, offset, seen in ((30, 0, ink), (90, 8, ink), (40, 0, paper), (100, 8, paper)):
            if base <= code < base + 8 and seen:
                found.append(code - base + offset)
    return found


@pytest.mark.parametrize("sequential", [False, True])
@pytest.mark.parametrize("shape,mode", [((6, 20), "rows"), ((60, 100), "half")])
async def test_legend_shows_exactly_the_colours_of_the_cells_in_16_colours(sequential, shape, mode):
    """Rendered for a 16-colour terminal, the cells use only colours that the legend shows, in order."""
    data = np.linspace(-1, 1, shape[0] * shape[1]).reshape(shape)
    app = One(np.abs(data) if sequential else data, sequential=sequential)
    async with app.run_test(size=(80, 30)):
        h = app.query_one(Heatmap)
        assert h._layout.mode == mode
        cells = {c for strip in h._strips[:-1] for seg in strip if seg.style.bgcolor is not None
                 for c in sixteen_colours(seg)}
        swatches = [sixteen_colours(seg)[0] for seg in h._strips[-1] if seg.text == "█"]
        assert len(swatches) == len(palette.scale_levels(sequential))
        assert cells and cells <= set(swatches)
        expected = ([8, 2, 10] if sequential else [12, 4, 8, 1, 9])
        assert list(dict.fromkeys(swatches)) == expected


async def test_sequential_scale_starts_at_zero():
    """Probabilities: the legend runs from 0, and cells print without a sign."""
    app = One(np.array([[0.25, 0.75]]), sequential=True)
    async with app.run_test(size=(60, 10)):
        h = app.query_one(Heatmap)
        assert h._strips[-1].text.startswith("0 ") and "0.75" in h._strips[-1].text
        assert "0.25" in text(h) and "+0.25" not in text(h)


async def test_fixed_scale_keeps_colours_comparable():
    """f freezes the scale: bigger values later do not rescale the colours."""
    app = One(np.array([[1.0, -1.0]]))
    async with app.run_test(size=(60, 10)) as pilot:
        h = app.query_one(Heatmap)
        h.focus()
        await pilot.press("f")
        h.show(np.array([[5.0, -5.0]]))
        assert h.scale == 1.0 and "fixed" in h._strips[-1].text
        await pilot.press("f")
        assert h.scale == 5.0 and "auto" in h._strips[-1].text


async def test_large_matrix_is_drawn_with_half_blocks():
    """A 128x128 matrix fits: two rows per line, the legend says how it was pooled."""
    app = One(np.random.default_rng(0).normal(size=(128, 128)))
    async with app.run_test(size=(80, 40)):
        h = app.query_one(Heatmap)
        assert h._layout.mode == "half"
        assert "▀" in h._strips[0].text and "strongest of" in h._strips[-1].text
        assert len(h._strips) <= h.size.height


async def test_clear_leaves_only_a_message():
    """clear() removes the picture; show() brings it back; a long message is wrapped to the width."""
    app = One(np.ones((3, 3)))
    async with app.run_test(size=(60, 12)) as pilot:
        h = app.query_one(Heatmap)
        h.clear("type a name")
        assert text(h) == "type a name"
        h.show(np.ones((2, 2)))
        assert "+1.00" in text(h)
        h.styles.width = 14                        # a narrow panel: the message goes over lines, not cut
        message = "H: the final h of each name in a batch, after the first batch"
        h.clear(message)
        await pilot.pause()
        lines = [strip.text.strip() for strip in h._strips]
        assert " ".join(lines) == message and all(len(line) <= h.size.width for line in lines)


def test_pooled_rows_keep_the_column_labels():
    """h after each character: 128 rows must be pooled, the characters on top stay."""
    lay = hm.choose_layout((128, 12), 90, 33, True, True, 4)
    assert lay.mode == "half" and lay.fr > 1 and lay.header and lay.gutter == 0


def test_legend_ends_stay_short():
    """Tiny and huge scales use e-notation in the legend; ordinary ones three digits."""
    assert hm.end_value(-0.000716) == "-7.16e-04" and hm.end_value(0.921) == "+0.921"
    assert hm.end_value(12345.0) == "+1.23e+04" and hm.end_value(0.0) == "+0"


async def test_legend_of_a_small_gradient_fits_a_narrow_panel():
    """The factor note survives at 50 columns; the less useful notes go first."""
    app = One(np.array([[5.4e-4, -7.2e-4], [1e-5, 2e-4]]), name="dL/dW")
    app.CSS = "#h { width: 50; height: 10; }"
    async with app.run_test(size=(80, 20)):
        h = app.query_one(Heatmap)
        legend = h._strips[-1].text
        assert "cells ×1e-4" in legend and len(legend) <= h.size.width


async def test_probability_readout_has_no_sign():
    """On a sequential scale the cursor's value reads 0.2500, not +0.2500."""
    app = One(np.array([[0.25, 0.75]]), sequential=True, name="p")
    async with app.run_test(size=(60, 10)) as pilot:
        h = app.query_one(Heatmap)
        h.focus()
        await pilot.pause()
        assert h.caption == "p[0, 0] = 0.2500"


@pytest.mark.parametrize("width", [12, 16, 20, 24, 28, 34, 60])
@pytest.mark.parametrize("sequential", [False, True])
async def test_a_narrow_legend_keeps_its_end_values(width, sequential):
    """The legend shows fewer colours, then one value for both ends, rather than lose the top of the scale
    (V's legend read '-1.18 ███ +1' at 120x40: the .18 cut off)."""
    data = np.array([[1.18, -0.5, 0.25], [0.1, -1.18, 0.7]])
    if sequential:
        data = np.abs(data)
    app = One(data, sequential=sequential)
    app.CSS = f"#h {{ width: {width}; height: 8; }}"
    async with app.run_test(size=(80, 20)):
        h = app.query_one(Heatmap)
        legend = h._strips[-1].text
        assert len(legend) <= h.size.width and "1.18" in legend
        assert legend.count("█") >= 3
