"""The live panel's lines, the chart's labels and the lesson footer fit the width they have, at 80 and 120 columns."""

from __future__ import annotations

import asyncio

import pytest
from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.widgets.charts import LossChart
from rnn_tui.ui.widgets.footer import KeyFooter
from rnn_tui.ui.widgets.live_panel import LivePanel, fit


async def wait_for(condition, timeout=60.0):
    end = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < end, "timed out"
        await asyncio.sleep(0.02)


def shown(widget: Static) -> str:
    return str(widget.render())


async def settled(pilot) -> None:
    """Two pauses: the frame Pilot forces at the end of a pause may lay the screen out again (the work
    pane's scroll bar comes or goes), and the widgets answer the Resize events it posts in the next."""
    await pilot.pause()
    await pilot.pause()


def assert_lines_fit(panel: LivePanel) -> None:
    """Each line's text is no wider than its widget: Textual never has to cut it."""
    for selector in ("#live-status", "#live-counts", "#live-speed"):
        line = panel.query_one(selector, Static)
        text = shown(line)
        assert text.strip() and cell_len(text) <= line.size.width, (selector, text)
    chart = panel.query_one(LossChart)
    room = chart.outer_size.width - 6                 # Textual's border labels: a corner and two cells a side
    title, legend = (Content.from_markup(str(label)).plain for label in (chart.border_title, chart.border_subtitle))
    assert cell_len(title) <= room and cell_len(legend) <= room and legend.count("━") == 4, (title, legend)


def test_fit_takes_the_longest_form_that_fits():
    """The first form that fits; the last when none does; the first before the width is known."""
    forms = ("a long form of it", "short form", "tiny")
    assert fit(forms, 40) == forms[0] and fit(forms, 12) == forms[1] and fit(forms, 2) == "tiny"
    assert fit(forms, 0) == forms[0]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_lesson_5_live_step_fits_while_training_and_when_paused(size):
    """Lesson 5's live step: status, counts, speed, the chart's title and legend fit; the footer keeps help's key."""
    app = RnnTuiApp()
    async with app.run_test(size=size) as pilot:
        lesson = next(x for x in app.lessons if x.number == 5)
        app.open_lesson(lesson.id, len(lesson.steps) - 1)
        await wait_for(lambda: bool(app.screen.query(LivePanel)))
        panel = app.screen.query_one(LivePanel)
        panel.focus()
        await wait_for(lambda: panel.state == "ready")
        await settled(pilot)
        assert_lines_fit(panel)
        await pilot.press("space")                               # the lesson's own speed: 3 batches a second
        await wait_for(lambda: panel.frame is not None and panel.frame.epoch >= 2)
        await pilot.pause(0.3)
        await settled(pilot)
        assert_lines_fit(panel)
        await pilot.press("space", "f")
        await wait_for(lambda: panel.state == "paused")
        await settled(pilot)
        assert_lines_fit(panel)
        footer = app.screen.query_one(KeyFooter)
        columns = footer.key_columns()
        assert "question_mark" in columns and max(end for _, end in columns.values()) <= size[0]


async def test_the_lab_lines_fit_at_120_columns_when_the_run_is_over():
    """The lab's cats run to its end: the finished line (the longest status) fits."""
    app = RnnTuiApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        panel = app.screen.query_one(LivePanel)
        await wait_for(lambda: panel.state == "ready")
        await pilot.press("space")
        await wait_for(lambda: panel.state == "finished")
        await settled(pilot)
        assert "best validation accuracy" in shown(panel.query_one("#live-status", Static)) or \
            "best accuracy" in shown(panel.query_one("#live-status", Static))
        assert_lines_fit(panel)
