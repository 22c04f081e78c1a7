"""The lab names data sets the way the command line does: a downloaded set by name, or a hint to fetch it."""

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.lab import LabScreen

SIZE = (120, 40)


async def open_lab(pilot) -> LabScreen:
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LabScreen)
    return pilot.app.screen


async def test_lab_trains_on_pytorch_names_once_downloaded(home):
    """'pytorch-names' in the data box: a one-line hint before `data get`, the data set after it."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        status = lambda: str(lab.query_one("#lab-status").render())  # noqa: E731
        lab.query_one("#lab-path").value = "pytorch-names"
        lab.action_reset()
        assert "run 'rnn-tui data get pytorch-names'" in status() and lab.trainer is None
        folder = home / "datasets" / "pytorch-names"          # what `data get` installs
        folder.mkdir(parents=True)
        (folder / "Czech.txt").write_text("Adsit\nAjdrna\nNovak\n")
        (folder / "Greek.txt").write_text("Papadopoulos\nAntonopoulos\n")
        lab.action_reset()
        assert lab.trainer is not None and "ready" in status()
        assert lab.trainer.data.classes == ("Czech", "Greek")


async def test_lab_shows_a_bracketed_path_error_as_text(home, tmp_path):
    """A data path with [/] and [old] in it is reported as typed, never read as markup."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-path").value = str(tmp_path / "backup [old]" / "x[/].csv")
        lab.action_reset()
        await pilot.pause()
        shown = str(lab.query_one("#lab-status").render())
        assert "backup [old]" in shown and "x[/].csv" in shown and lab.trainer is None, shown


async def test_pasted_junk_in_the_data_box_is_one_line_of_status(home):
    """'[/]', a thousand characters and an emoji in the data box: a one-line status each, the app carries on."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        for typed in ("[/]", "x" * 1000, "🐍 names", "[bold]names.csv", "~nosuchuser_rnn_tui/x.csv"):
            lab.query_one("#lab-path").value = typed
            lab.action_reset()
            await pilot.pause()
            shown = str(lab.query_one("#lab-status").render())
            assert lab.trainer is None and "\n" not in shown.strip(), shown
            assert typed[:20] in shown or "no such user" in shown, shown
        lab.query_one("#lab-path").value = ""
        lab.action_reset()
        assert lab.trainer is not None
