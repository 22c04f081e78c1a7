"""The lab names data sets the way the command line does: a downloaded set by name, or a hint to fetch it."""

import asyncio

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.lab import LabScreen

SIZE = (120, 40)


async def open_lab(pilot) -> LabScreen:
    """Press l and wait until the settings column is mounted (it comes after the first frame)."""
    await pilot.press("l")
    await pilot.pause()
    lab = pilot.app.screen
    assert isinstance(lab, LabScreen)
    for _ in range(500):
        if lab.settings_ready:
            return lab
        await asyncio.sleep(0.01)
    raise AssertionError("the lab's settings never mounted")


async def settled(lab: LabScreen, timeout: float = 30.0) -> str:
    """Wait until the training process has loaded (or refused) the data; the panel's state then."""
    await asyncio.sleep(0.05)
    end = asyncio.get_running_loop().time() + timeout
    while lab.panel.state not in ("ready", "failed", "dead"):
        assert asyncio.get_running_loop().time() < end, "timed out"
        await asyncio.sleep(0.02)
    return lab.panel.state


def status(lab: LabScreen) -> str:
    return str(lab.panel.query_one("#live-status").render())


async def test_lab_trains_on_pytorch_names_once_downloaded(home):
    """'pytorch-names' in the data box: a one-line hint before `data get`, the data set after it."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await settled(lab)
        lab.query_one("#lab-path").value = "pytorch-names"
        lab._apply()
        assert await settled(lab) == "failed"
        assert "run 'rnn-tui data get pytorch-names'" in status(lab)
        folder = home / "datasets" / "pytorch-names"          # what `data get` installs
        folder.mkdir(parents=True)
        (folder / "Czech.txt").write_text("Adsit\nAjdrna\nNovak\n")
        (folder / "Greek.txt").write_text("Papadopoulos\nAntonopoulos\n")
        lab.panel.action_reset()
        assert await settled(lab) == "ready" and "ready" in status(lab)
        assert lab.panel.ready.classes == ("Czech", "Greek")


async def test_lab_shows_a_bracketed_path_error_as_text(home, tmp_path):
    """A data path with [/] and [old] in it is reported as typed, never read as markup."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await settled(lab)
        lab.query_one("#lab-path").value = str(tmp_path / "backup [old]" / "x[/].csv")
        lab._apply()
        assert await settled(lab) == "failed"
        await pilot.pause()
        shown = status(lab)
        assert "backup [old]" in shown and "x[/].csv" in shown, shown


async def test_pasted_junk_in_the_data_box_is_one_line_of_status(home):
    """'[/]', a thousand characters and an emoji in the data box: a one-line status each, the app carries on."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await settled(lab)
        for typed in ("[/]", "x" * 1000, "🐍 names", "[bold]names.csv", "~nosuchuser_rnn_tui/x.csv"):
            lab.query_one("#lab-path").value = typed
            lab._apply()
            assert await settled(lab) == "failed", typed
            await pilot.pause()
            shown = status(lab)
            assert "\n" not in shown.strip(), shown
            assert typed[:20] in shown or "no such user" in shown, shown
        lab.query_one("#lab-path").value = ""
        lab._apply()
        assert await settled(lab) == "ready"


async def test_a_bad_path_after_training_keeps_the_run(home, tmp_path):
    """A misspelt path, or a file that is not names data, typed while a run that has trained is on screen:
    one line says what is wrong and the run stays, paused where it was and still saveable; a good path
    then replaces it."""
    good = tmp_path / "two.csv"
    good.write_text("".join(f"{n},English\n" for n in ("Smith", "Jones", "Taylor", "Brown")) +
                    "".join(f"{n},Italian\n" for n in ("Rossi", "Russo", "Ferrari", "Esposito")))
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 8)
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await settled(lab)
        lab.panel.focus()
        await pilot.press("s")
        for _ in range(1000):
            if lab.panel.frame is not None and lab.panel.frame.step == 1:
                break
            await asyncio.sleep(0.01)
        trained = lab.panel.frame
        assert trained is not None and trained.step == 1
        for bad, says in ((tmp_path / "tow.csv", "no such file or folder"), (tmp_path / "binary.csv", "binary.csv")):
            lab.query_one("#lab-path").value = str(bad)
            assert not lab._apply()                             # refused at once: only its first rows are read
            await pilot.pause()
            assert says in status(lab) and "the run on screen is kept" in status(lab), status(lab)
            assert lab.panel.state == "paused" and lab.panel.frame is trained
            assert lab.panel.preset["data"] == "cats"
        await pilot.press("s")                                  # the kept run trains on
        for _ in range(1000):
            if lab.panel.frame.step == 2:
                break
            await asyncio.sleep(0.01)
        assert lab.panel.frame.step == 2
        lab.query_one("#lab-path").value = str(good)
        assert lab._apply()
        for _ in range(1000):
            if lab.panel.ready is not None and lab.panel.ready.classes == ("English", "Italian"):
                break
            await asyncio.sleep(0.01)
        assert lab.panel.ready.classes == ("English", "Italian") and lab.panel.state == "ready"
        await pilot.pause()
        assert "from two.csv" in status(lab)                  # the data list still says cats: the line names it
