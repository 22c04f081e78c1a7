"""The training lab: train the cats set, pause, single-step and see the heatmaps change."""

import asyncio

import numpy as np
from textual.widgets import Select

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.lab import LabScreen
from rnn_tui.ui.widgets.heatmap import Heatmap

SIZE = (120, 40)


async def wait_for(condition, timeout=20.0):
    """Poll until condition() holds (the trainer runs in a thread)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, "timed out"
        await asyncio.sleep(0.02)


async def open_lab(pilot) -> LabScreen:
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LabScreen)
    return pilot.app.screen


async def test_single_steps_change_the_heatmaps():
    """s trains one batch at a time; W's heatmap shows new values after each."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        w = lab.query_one("#hm-W", Heatmap)
        before = w.data.copy()
        await pilot.press("s")
        await wait_for(lambda: lab.batches_seen == 1)
        await pilot.pause()
        after_one = w.data.copy()
        assert not np.array_equal(before, after_one)
        assert lab.last.step == 1 and lab.last.batch == 1
        await pilot.press("s")
        await wait_for(lambda: lab.batches_seen == 2)
        await pilot.pause()
        assert lab.last.step == 2 and not np.array_equal(after_one, w.data)
        np.testing.assert_array_equal(w.data, lab.last.params["W"])


async def test_start_pause_resume_and_reset():
    """space starts, pauses and resumes; r stops the run and starts over."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-epochs").value = "100000"
        lab.action_reset()
        await pilot.press("space")
        await wait_for(lambda: lab.batches_seen >= 3)
        await pilot.press("space")
        await pilot.pause(0.3)
        paused_at = lab.last.step
        await pilot.pause(0.3)
        assert lab.running and lab.last.step == paused_at
        await pilot.press("space")
        await wait_for(lambda: lab.last.step > paused_at + 10)
        await pilot.press("r")
        await pilot.pause(0.2)
        assert not lab.running and lab.last is None and lab.trainer.step == 0


async def test_a_run_finishes_with_a_report_and_curves():
    """A short run ends with the best accuracy in the status and one chart point per epoch."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-epochs").value = "30"
        lab.action_reset()
        await pilot.press("space")
        await wait_for(lambda: not lab.running)
        assert lab.trainer.stop_reason == "finished" and len(lab.history) == 30
        assert len(lab.train_losses) == 30
        assert "best validation accuracy" in str(lab.query_one("#lab-status").content)


async def test_gradients_view_and_save(home):
    """g shows dL/dW; w saves a loadable model into the user folder."""
    from rnn_tui.model import load

    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("s")
        await wait_for(lambda: lab.batches_seen == 1)
        await pilot.press("g")
        w = lab.query_one("#hm-W", Heatmap)
        assert w.border_title.startswith("dL/dW")
        np.testing.assert_array_equal(w.data, lab.last.grads["W"])
        await pilot.press("w")
        assert app.lab_model == home / "models" / "lab.npz"
        assert load(app.lab_model).languages == ("Afrikaans", "English", "French", "German")


async def test_bad_settings_and_data_are_reported_not_raised():
    """A non-number, an impossible rate and a missing folder: one line in the status."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        status = lambda: str(lab.query_one("#lab-status").content)  # noqa: E731
        lab.query_one("#lab-hidden").value = "many"
        lab.action_reset()
        assert "hidden must be a number, not 'many'" in status() and lab.trainer is None
        lab.query_one("#lab-hidden").value = "4"
        lab.query_one("#lab-lr").value = "-1"
        lab.action_reset()
        assert "learning rate must be a positive number" in status()
        lab.query_one("#lab-lr").value = "0.05"
        lab.query_one("#lab-path").value = "/no/such/folder"
        lab.action_reset()
        assert "no such file or folder" in status()
        await pilot.press("s")                        # nothing to train: no crash
        lab.query_one("#lab-path").value = ""
        lab.action_reset()
        assert lab.trainer is not None and "ready" in status()


async def test_switching_to_names_loads_its_presets():
    """Choosing the names corpus sets hidden 128, batch 32 and the vectorised strategy."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-data", Select).value = "names"
        await pilot.pause(0.5)
        assert lab.trainer.config.nhidden == 128 and lab.trainer.config.strategy == "vectorized"
        assert len(lab.trainer.data.classes) >= 16


async def test_confusion_matrix_view():
    """m swaps H for the validation confusion matrix of the current weights, rows summing to 1."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("s")
        await wait_for(lambda: lab.batches_seen == 1)
        await pilot.press("m")
        panel = lab.query_one("#hm-H", Heatmap)
        assert panel.border_title.startswith("confusion")
        assert panel.data.shape == (4, 4) and np.allclose(panel.data.sum(axis=1), 1.0)
        assert panel.row_labels == ["Afrikaans", "English", "French", "German"]
        await pilot.press("m")
        assert panel.border_title.startswith("H:") and panel.row_labels is None
