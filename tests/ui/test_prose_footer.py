"""The lesson screen's one-widget prose (Prose) and footer (KeyFooter)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.app import App, ComposeResult

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.lesson import LessonScreen
from rnn_tui.ui.widgets.footer import KeyFooter
from rnn_tui.ui.widgets.prose import Prose

from .test_app import settle


class ProseApp(App):
    """One Prose, 40 columns wide."""

    def compose(self) -> ComposeResult:
        yield Prose(id="prose")


def plain(prose: Prose, width: int = 40) -> str:
    """What the prose draws, as plain text at width (its padding of two a side is left out)."""
    console = Console(width=width - 4, color_system=None, record=True, file=None)
    with console.capture() as capture:
        console.print(prose.content)
    return capture.get()


async def test_prose_draws_headings_lists_and_spans():
    """A heading, a paragraph with code and strong spans, a bulleted and a numbered list, in order."""
    app = ProseApp()
    async with app.run_test(size=(40, 20)):
        prose = app.query_one(Prose)
        prose.show("## Title\n\nSome `W h` and **bold** text.\n\n- first item\n- second item\n\n1. one\n2. two")
        lines = [line.rstrip() for line in plain(prose).splitlines()]
        assert lines[:3] == ["", "", "Title"]
        assert "Some W h and bold text." in lines
        assert "• first item" in lines and "• second item" in lines
        assert " 1. one" in lines and " 2. two" in lines
        assert lines.index("Title") < lines.index("• first item") < lines.index(" 1. one")


async def test_prose_is_drawn_once_per_text_and_width(monkeypatch):
    """Repaints and layouts reuse the lines drawn for the text at that width (Rich lays the list out
    once); the screen shows them; a new width or new text draws again, once."""
    from rich.table import Table

    calls = []
    drawn = Table.__rich_console__

    def counted(table, console, options):
        calls.append(options.max_width)
        return drawn(table, console, options)

    monkeypatch.setattr(Table, "__rich_console__", counted)
    app = ProseApp()
    async with app.run_test(size=(40, 20)) as pilot:
        prose = app.query_one(Prose)
        prose.show("## Title\n\n- first item\n- second item, which is long enough to wrap at forty")
        await pilot.pause()
        assert calls and prose.region.height == len(prose.lines_at(36))
        calls.clear()
        for _ in range(3):
            prose.refresh(layout=True)
            await pilot.pause()
        assert calls == []
        screen = "\n".join(line.text for line in app.screen._compositor.render_strips())
        assert "• first item" in screen and "Title" in screen
        await pilot.resize_terminal(30, 20)
        await pilot.pause()
        assert len(calls) == 1 and calls[0] < 35 and "• first item" in "\n".join(
            line.text for line in app.screen._compositor.render_strips())
        calls.clear()
        prose.show("- only one")
        await pilot.pause()
        assert len(calls) == 1


async def test_a_long_bullet_wraps_under_its_text_not_its_bullet():
    """Continuation lines of a list item start where its text starts (a hanging indent)."""
    app = ProseApp()
    async with app.run_test(size=(40, 20)):
        prose = app.query_one(Prose)
        prose.show("- " + " ".join(["word"] * 20))
        lines = [line for line in plain(prose).splitlines() if line.strip()]
        assert lines[0].startswith("• word") and len(lines) > 1
        assert all(line.startswith("  word") for line in lines[1:])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_prose_never_reads_markup_or_escapes(text):
    """Rich markup in lesson text is shown as typed; escape sequences and control characters never reach
    the terminal."""
    import asyncio

    async def run() -> None:
        app = ProseApp()
        async with app.run_test(size=(40, 20)):
            prose = app.query_one(Prose)
            prose.show(f"[bold]{text}[/] \x1b[31mred `[i]code[/i]`")
            out = plain(prose, width=200)
            assert "\x1b" not in out and "[bold]" in out and "[i]code[/i]" in out

    asyncio.run(run())


async def test_footer_lists_the_screen_keys_and_a_click_presses_one():
    """The lesson footer shows the step keys; clicking 'Next step' moves to step 2."""
    app = RnnTuiApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("03-one-hot-vectors", 0)
        await settle(app, pilot)
        await pilot.press("escape")                            # out of the answer box: the screen's keys
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        line = footer.render().plain
        assert "Next step" in line and "Next lesson" in line and line.rstrip().endswith("palette")
        first, _end = footer.key_columns()["space"]
        await pilot.click(KeyFooter, offset=(first + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.index == 1
