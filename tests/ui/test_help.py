"""Help (?) lists rnn-tui's own keys per screen and explains the colours; the footer fits at 120 columns."""

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.help import HelpScreen
from rnn_tui.ui.widgets.footer import KeyFooter

from .test_app import text_of


async def open_help(pilot, *keys: str, help_key: str = "question_mark") -> dict[str, str]:
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.press(help_key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    return {description: key for key, description in pilot.app.screen.keys}


async def test_lesson_help_has_our_keys_only_with_their_real_meaning():
    """No Textual internals, the right arrow is 'Next step', the palette appears once, colours explained."""
    app = RnnTuiApp()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = await open_help(pilot, "enter", "escape")     # escape: out of the step's answer box
        assert keys["Next step"].split()[0] == "→" and "⌫" in keys["Previous step"]
        assert "n" == keys["Next lesson"] and "c" in keys.values() and "l" in keys.values()
        shown = " ".join(f"{k} {d}" for d, k in keys.items()).lower()
        for internal in ("scroll", "copy", "focus next", "page up", "palette"):
            assert internal not in shown
        everything = "\n".join(text_of(s) for s in app.screen.query("Static"))
        assert everything.lower().count("ctrl+p") == 1 and "^p" not in everything
        assert "blue below zero" in everything and "never negative" in everything


async def test_help_follows_the_screen_and_the_focus():
    """In classify (f1, as ? is typed into the name): ctrl+o; on a focused heatmap: its cursor keys and f."""
    app = RnnTuiApp()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = await open_help(pilot, "c", help_key="f1")
        assert keys["Switch model"] == "^o" and "Next step" not in keys and keys["Help"] == "f1"
        assert "Quit" not in keys and "c" not in keys.values()          # typed into the name box
        await pilot.press("escape")
        app.screen.query_one("#cls-h").focus()
        await pilot.pause()
        keys = await open_help(pilot)
        assert keys["Fix or free this heatmap's colour scale"] == "f"
        assert set(keys["Move the cursor: the exact value shows below"].split()) == {"↑", "↓", "←", "→"}


async def test_footer_shows_lab_and_classify_at_120_columns():
    """On a lesson step, the footer's l and c keys are inside the screen."""
    app = RnnTuiApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "escape")                  # escape: out of the step's answer box
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        keys = footer.key_columns()
        for key in ("l", "c", "n", "p", "question_mark"):
            first, end = keys[key]
            assert 0 <= first < end <= 120, key
            label = footer.render().plain[first:end]
            assert label.strip().split()[0] == app.get_key_display(
                next(b for _, b, _, _ in app.screen.active_bindings.values() if b.key == key)), key


async def test_the_footer_is_yellow_and_white_on_blue_in_sixteen_colours():
    """In a 16-colour terminal the theme's orange keys on grey came out bright red on grey; the footer
    switches to colours that keep their contrast there, and only there."""
    from rich.color import ColorSystem

    for system, sixteen in ((ColorSystem.STANDARD, True), (ColorSystem.TRUECOLOR, False)):
        app = RnnTuiApp()
        app.console._color_system = system
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            footer = app.screen.query_one(KeyFooter)
            assert footer.has_class("-sixteen") is sixteen
            key = footer.get_component_rich_style("key-footer--key")
            assert (key.color.get_truecolor().hex == "#ffff00") is sixteen
