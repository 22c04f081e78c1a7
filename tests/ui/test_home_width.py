"""The lesson list never wraps a lesson onto two lines: titles are cut to the terminal's width."""

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.home import HomeScreen


async def test_lesson_lines_fit_at_80_columns_and_after_a_resize():
    """At 80x24 every lesson line fits the list; widening the terminal gives the full titles back."""
    app = RnnTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        narrow = [home._lesson_line(x) for x in app.lessons]
        assert all(line.cell_len <= 80 - 16 for line in narrow)
        assert any("…" in line.plain for line in narrow)          # the longest titles are cut, not wrapped
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        wide = [home._lesson_line(x) for x in app.lessons]
        assert all(x.title in line.plain for x, line in zip(app.lessons, wide, strict=True))
