"""The loss chart's legend and first-epoch curve, and the probability bars."""

import pytest
from textual.app import App

from rnn_tui.ui.widgets.charts import SERIES, LossChart, ProbabilityBars, legend

from .test_app import text_of


def braille(svg: str) -> int:
    """How many braille dots characters (the chart's curve marker) a screenshot holds."""
    return sum(1 for ch in svg if 0x2801 <= ord(ch) <= 0x28FF)


@pytest.mark.parametrize("width", [20, 26, 40, 80])
def test_legend_names_every_curve_in_the_room_there_is(width):
    """Long names when they fit, short ones otherwise; every curve is always named in its colour."""
    text = legend(width)
    assert text.cell_len <= max(width, 23)
    assert text.plain.count("━") == len(SERIES)
    colours = {str(span.style) for span in text.spans}
    assert colours == {"rgb({},{},{})".format(*rgb) for rgb in SERIES.values()}


class Chart(App):
    CSS = "LossChart { width: 30; height: 12; }"

    def compose(self):
        yield LossChart()


async def test_chart_draws_batch_losses_before_the_first_epoch_ends():
    """During epoch 1 the batch losses are drawn; the legend sits in the border at a small size."""
    app = Chart()
    async with app.run_test(size=(60, 20)) as pilot:
        chart = app.query_one(LossChart)
        await pilot.pause()
        empty = braille(app.export_screenshot())
        chart.show_history([], [], [], [], batches=[(0.1 * i, 3.0 - 0.2 * i) for i in range(1, 9)])
        await pilot.pause()
        assert braille(app.export_screenshot()) > empty
        assert "━" in str(chart.border_subtitle) and "loss" in str(chart.border_title)
        chart.show_history([2.0, 1.5], [2.1, 1.7], [0.4, 0.5], [0.3, 0.45])
        await pilot.pause()
        assert braille(app.export_screenshot()) > empty


async def test_the_legend_leaves_out_curves_a_run_does_not_have():
    """A run without a validation split (lesson 6 step 5) has no valid loss or accuracy: its legend
    names the training loss only; a run with one names all four."""
    app = Chart()
    async with app.run_test(size=(100, 20)) as pilot:
        chart = app.query_one(LossChart)
        nan = float("nan")
        chart.show_history([2.0, 1.5], [nan, nan], [nan, nan], [nan, nan])
        await pilot.pause()
        assert chart.shown == ("train loss",) and str(chart.border_subtitle).count("━") == 1
        chart.show_history([2.0, 1.5], [2.1, 1.7], [0.4, 0.5], [0.3, 0.45])
        await pilot.pause()
        assert chart.shown == tuple(SERIES) and str(chart.border_subtitle).count("━") == len(SERIES)


class Bars(App):
    def compose(self):
        yield ProbabilityBars(label_width=10)


async def test_bars_stay_put_and_never_read_markup():
    """The bars start in the same column whatever the labels; a label like [b]x[/b] is shown as typed."""
    app = Bars()
    async with app.run_test(size=(60, 8)):
        bars = app.query_one(ProbabilityBars)
        starts = []
        for ranked in ([("Greek", 0.9), ("[b]x[/b]", 0.1)], [("Irish", 0.6), ("Dutch", 0.4)]):
            bars.show(ranked)
            lines = text_of(bars).splitlines()
            starts += [line.index("█") for line in lines if "█" in line]
        bars.show([("[b]x[/b]", 1.0)])
        assert text_of(bars).startswith("[b]x[/b]")
        assert len(set(starts)) == 1 and starts[0] >= 10
