"""LivePanel on its own (as a lesson mounts it): lesson 5's run, live frames, pause, steps, and clean exits."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from processes import gone
from textual.app import App, ComposeResult
from textual.widgets import ProgressBar

from rnn_tui.ui.widgets.heatmap import Heatmap
from rnn_tui.ui.widgets.live_panel import LivePanel, run_progress

ARTICLE = {"words": ["cat", "chat", "katze"], "languages": ["English", "French", "German"], "strategy": "sgd",
           "nhidden": 4, "batch_size": 1, "lr": 0.01, "epochs": 150, "init": "article", "seed": 0,
           "dtype": "float64", "clip": None}


class PanelApp(App):
    """Nothing but one LivePanel, focused."""

    def __init__(self, preset) -> None:
        super().__init__()
        self.preset = preset

    def compose(self) -> ComposeResult:
        yield LivePanel(self.preset, id="live")

    def on_mount(self) -> None:
        self.query_one(LivePanel).focus()


async def wait_for(condition, timeout=30.0):
    end = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < end, "timed out"
        await asyncio.sleep(0.02)


async def test_lesson_5_live_w_changes_keys_act_pause_holds_and_steps_are_single_batches():
    """W = I at first; running, W's heatmap changes between frames while keys act; paused it holds."""
    app = PanelApp(dict(ARTICLE, epochs=100000))
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await wait_for(lambda: panel.state == "ready")
        w = panel.query_one("#live-W", Heatmap)
        np.testing.assert_array_equal(w.data, np.eye(4))            # the article's W = I
        assert panel.ready.classes == ("English", "French", "German")
        assert set(panel.ready.chars) == set("catchatkatze")
        await pilot.press("minus", "minus", "space")                 # 30 batches a second
        await wait_for(lambda: panel.frame.step > 0)
        seen = w.data.copy()
        drawn = panel.frames_drawn
        await wait_for(lambda: panel.frames_drawn > drawn + 1)
        assert not np.array_equal(seen, w.data)
        await pilot.press("d")
        assert w.border_title.startswith("ΔW") and panel.state == "running"
        await pilot.press("d", "space")
        await wait_for(lambda: panel.state == "paused" and panel.paused_at > 0)
        await asyncio.sleep(0.3)
        held, step = w.data.copy(), panel.frame.step
        await asyncio.sleep(0.4)
        await pilot.pause()
        np.testing.assert_array_equal(held, w.data)
        await pilot.press("s")
        await wait_for(lambda: panel.frame.step == step + 1)
        await asyncio.sleep(0.3)
        assert panel.frame.step == step + 1


async def test_lesson_5_run_to_the_end_gives_lesson_5s_matrices():
    """Run at full speed, the panel ends with the W that lesson 5's step computes, after 450 updates."""
    from rnn_tui.steps import run

    app = PanelApp(ARTICLE)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await wait_for(lambda: panel.state == "ready")
        await pilot.press("space")
        await wait_for(lambda: panel.state == "finished")
        await pilot.pause()
        expected = run("train_cats", {})
        assert panel.frame.step == expected["updates"]
        np.testing.assert_allclose(np.round(panel.frame.params["W"], 3), np.asarray(expected["W"].values), atol=1e-9)
        assert len(panel.epochs) == 150
        bar = panel.query_one("#live-progress", ProgressBar)
        assert (bar.progress, bar.total) == (450, 450)                # the whole run, 150 epochs of 3


def test_the_bar_counts_the_whole_run_not_the_epoch():
    """Epoch 3 of 150 done is 2 % of the run (it was 100 %: the bar was the epoch's); never past the end."""
    assert run_progress(0, 0, 3, 150) == (0, 450)
    assert run_progress(3, 3, 3, 150) == (9, 450)
    assert run_progress(150, 3, 3, 150) == (450, 450)
    assert run_progress(151, 1, 3, 150) == (450, 450)
    assert run_progress(1, 0, 0, 0) == (0, 1)


def test_a_bad_preset_fails_in_the_constructor_in_one_line():
    """A lesson with a typo in its preset is refused before anything starts."""
    with pytest.raises(ValueError, match="unknown preset key 'nhiden'"):
        LivePanel({"nhiden": 4})


@pytest.mark.parametrize("how", ["q", "escape"])
def test_no_training_process_outlives_the_app(tmp_path, how):
    """In a real process: the lab trains, then q quits (or escape twice leaves the lab); the child is gone."""
    script = tmp_path / "run_app.py"
    script.write_text(textwrap.dedent(f"""
        import asyncio, os, sys
        from rnn_tui.ui.app import RnnTuiApp

        async def main():
            app = RnnTuiApp()
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("l")
                panel = app.screen.panel
                while panel.state != "ready":
                    await asyncio.sleep(0.02)
                await pilot.press("space")
                while panel.frame is None or panel.frame.step == 0:
                    await asyncio.sleep(0.02)
                print(panel.host.pid, flush=True)
                await pilot.press({how!r})
                await pilot.pause()
                if {how!r} == "escape":
                    await pilot.press("escape")       # the first one only asks: a run that trained is ended
                    await pilot.pause()               # by a second
                    print("alive" if panel.host.alive else "ended", flush=True)
                    await pilot.press("q")

        if __name__ == "__main__":
            asyncio.run(main())
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "RNN_TUI_HOME": str(tmp_path / "home")})
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.split()
    pid = int(lines[0])
    if how == "escape":
        assert lines[1] == "ended"
    assert gone(pid)



@pytest.fixture
def held_start(monkeypatch):
    """The training process starts only when the test sets the returned event (keys land while starting)."""
    import threading

    from rnn_tui.trainhost import TrainHost

    go = threading.Event()
    start = TrainHost.start

    def held(self):
        go.wait(30)
        start(self)

    monkeypatch.setattr(TrainHost, "start", held)
    yield go
    go.set()


async def test_keys_pressed_while_the_process_starts_act_in_order_once_it_is_ready(held_start):
    """s s space, typed before the process is ready: two single steps, then training; nothing lost or swapped."""
    app = PanelApp(dict(ARTICLE, epochs=100000, speed="30 batches/s"))
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await pilot.press("s", "s")
        assert panel.state == "starting"
        assert "then 2 single steps" in str(panel.query_one("#live-status").render())
        await pilot.press("space")
        assert panel.state == "starting" and panel.frame is None
        assert "2 single steps, then it trains" in str(panel.query_one("#live-status").render())
        held_start.set()
        await wait_for(lambda: panel.state == "running" and panel.frame is not None and panel.frame.step > 2)


async def test_the_heatmaps_say_what_they_wait_for_until_the_process_is_up(held_start):
    """While the process starts, W, U, V and H say what they wait for (not a 1x1 matrix of zeros);
    once it is up, W, U and V show the run's first weights."""
    app = PanelApp(ARTICLE)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await pilot.pause()
        maps = [panel.query_one(f"#live-{name}") for name in "WUVH"]
        assert panel.state == "starting" and all(m.empty_message for m in maps)
        assert all(m.empty_message.startswith(name) for m, name in zip(maps, "WUVH"))
        held_start.set()
        await wait_for(lambda: panel.state == "ready")
        await pilot.pause()
        assert all(m.empty_message is None and m.data.shape[0] > 1 for m in maps[:3])


async def test_single_steps_pressed_while_starting_are_each_taken(held_start):
    """s s s before the process is ready: exactly three batches, then it waits, paused."""
    app = PanelApp(ARTICLE)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await pilot.press("s", "s", "s")
        assert panel.state == "starting"
        held_start.set()
        await wait_for(lambda: panel.frame is not None and panel.frame.step == 3 and panel.state == "paused")
        await asyncio.sleep(0.5)
        await pilot.pause()
        assert panel.frame.step == 3 and panel.state == "paused"


async def test_a_ready_for_a_load_that_another_replaced_is_not_taken_for_the_new_run():
    """Two settings in a row: the panel waits for the second run's Ready; space then trains that run."""
    app = PanelApp(ARTICLE)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await wait_for(lambda: panel.state == "ready")
        panel.configure(dict(ARTICLE, epochs=7))
        panel.configure(dict(ARTICLE, epochs=9000))
        await wait_for(lambda: panel.state == "ready")
        assert panel.ready.epochs == 9000 and panel.ready.run == panel.host.loads == 2
        await pilot.press("space")
        await wait_for(lambda: panel.frame is not None and panel.frame.step > 20)
        assert panel.state == "running" and panel.ready.epochs == 9000


@pytest.mark.parametrize("speed,rate_shown", [("full", True), ("3 batches/s", False)])
async def test_names_per_second_show_only_at_full_speed(speed, rate_shown):
    """The trainer's names/s counts its computing time only; in slow motion the lab showed 19,286 names/s
    beside 'one word at a time' (found by helper review). Below full speed the counts leave it out."""
    app = PanelApp(dict(ARTICLE, epochs=100000, speed=speed))
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await wait_for(lambda: panel.state == "ready")
        await pilot.press("space")
        await wait_for(lambda: panel.frame is not None and panel.frame.step > 3 and panel.frame.names_per_sec > 0)
        await asyncio.sleep(0.3)
        panel._show_counts(force=True)
        await pilot.pause()
        counts = str(panel.query_one("#live-counts").render())
        assert counts.startswith("epoch") and ("names/s" in counts) == rate_shown


async def test_the_counts_name_which_loss_they_show():
    """'loss' was the last batch's (one word's, at batch 1) while the chart draws each epoch's mean: the
    counts now say 'epoch loss' with the epoch's mean so far, and on a wide line the batch's beside it."""
    app = PanelApp(ARTICLE)
    async with app.run_test(size=(160, 30)) as pilot:
        panel = app.query_one(LivePanel)
        await wait_for(lambda: panel.state == "ready")
        await pilot.press("s", "s", "s")
        await wait_for(lambda: panel.frame is not None and panel.frame.step == 3)
        await pilot.pause()
        f = panel.frame
        counts = str(panel.query_one("#live-counts").render())
        assert f"loss: batch {f.loss:.4f}, epoch mean {f.train_loss:.4f}" in counts
        assert f.loss != f.train_loss
