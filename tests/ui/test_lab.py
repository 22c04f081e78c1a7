"""The training lab and its LivePanel: live frames, pause, single steps, settings, sizes, deaths."""

from __future__ import annotations

import asyncio
import os
import signal

import numpy as np
import pytest
from textual.widgets import Input, Label, Select

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.screens.lab import LabScreen
from rnn_tui.ui.widgets.heatmap import Heatmap

SIZE = (120, 40)


async def wait_for(condition, timeout=30.0):
    """Poll until condition() holds (training runs in another process)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, "timed out"
        await asyncio.sleep(0.02)


async def open_lab(pilot) -> LabScreen:
    """Press l and wait until the training process has reported Ready."""
    await pilot.press("l")
    await pilot.pause()
    lab = pilot.app.screen
    assert isinstance(lab, LabScreen)
    await wait_for(lambda: lab.panel.state == "ready")
    return lab


def status(lab: LabScreen) -> str:
    """The panel's status line."""
    return str(lab.panel.query_one("#live-status").render())


async def test_w_changes_between_frames_while_keys_act_and_pause_stops_it():
    """Running: W's heatmap differs between two frames and g still switches views; paused: W holds."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-epochs", Input).value = "100000"
        lab._apply()
        await wait_for(lambda: lab.panel.state == "ready" and lab.panel.ready.epochs == 100000)
        panel = lab.panel
        w = panel.query_one("#live-W", Heatmap)
        await pilot.press("minus", "minus")           # 30 batches a second: slow enough to see frames
        await pilot.press("space")
        await wait_for(lambda: panel.frame is not None and panel.frame.step > 0)
        first, drawn = w.data.copy(), panel.frames_drawn
        await wait_for(lambda: panel.frames_drawn > drawn + 1)
        assert not np.array_equal(first, w.data)
        await pilot.press("g")
        assert w.border_title.startswith("dL/dW") and panel.state == "running"
        await pilot.press("g", "space")
        await wait_for(lambda: panel.state == "paused")
        await asyncio.sleep(0.4)                       # the last frames in flight arrive
        held = w.data.copy()
        await asyncio.sleep(0.4)
        await pilot.pause()
        np.testing.assert_array_equal(held, w.data)


async def test_each_step_is_exactly_one_batch():
    """s trains one batch: step and batch counters go up by one and W is that batch's W."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        panel = lab.panel
        w = panel.query_one("#live-W", Heatmap)
        before = w.data.copy()
        for n in (1, 2, 3):
            await pilot.press("s")
            await wait_for(lambda n=n: panel.frame.step == n)
            await asyncio.sleep(0.2)
            await pilot.pause()
            assert panel.frame.step == n and panel.frame.batch == n
        assert not np.array_equal(before, w.data)
        np.testing.assert_array_equal(w.data, panel.frame.params["W"])
        assert "step 3" in str(panel.query_one("#live-counts").render())


async def test_space_after_a_finished_run_trains_no_more_and_r_starts_over():
    """A finished run stays finished; r gives fresh weights and clears H and the curves."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        panel = lab.panel
        await pilot.press("space")
        await wait_for(lambda: panel.state == "finished")
        await asyncio.sleep(0.2)
        await pilot.pause()
        assert len(panel.epochs) == 100 and panel.frame.step == 400
        assert "finished 100 epochs" in status(lab) and "best validation accuracy" in status(lab)
        await pilot.press("space")
        await asyncio.sleep(0.3)
        await pilot.pause()
        assert panel.frame.step == 400 and len(panel.epochs) == 100 and "r starts" in status(lab)
        await pilot.press("r")
        await wait_for(lambda: panel.state == "ready")
        assert panel.frame.step == 0 and panel.epochs == []
        assert panel.query_one("#live-H", Heatmap).data.shape[1] == 1     # no stale H


async def test_a_killed_training_process_is_reported_and_r_restarts_it():
    """SIGKILL from outside: one line in the status; r starts a new process that trains."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        panel = lab.panel
        pid = panel.host.pid
        os.kill(pid, signal.SIGKILL)
        await wait_for(lambda: panel.state == "dead")
        assert "killed" in status(lab) and "\n" not in status(lab)
        await pilot.press("r")
        await wait_for(lambda: panel.state == "ready")
        assert panel.host.pid != pid
        await pilot.press("s")
        await wait_for(lambda: panel.frame.step == 1)


async def test_leaving_the_lab_mid_training_ends_the_process():
    """escape while training: from the settings back to the panel; from the panel it first asks (a run is
    thrown away only by a second escape), then leaves the lab; the training process is gone and a
    notice says the run ended."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        lab.query_one("#lab-epochs", Input).value = "100000"
        lab._apply()
        await wait_for(lambda: lab.panel.state == "ready" and lab.panel.ready.epochs == 100000)
        await pilot.press("space")
        await wait_for(lambda: lab.panel.frame.step > 10)
        panel = lab.panel
        process = panel.host._process
        await pilot.press("o")                          # in the settings, escape goes back to the panel ...
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lab and panel.has_focus and panel.host.alive
        await pilot.press("escape")                     # ... from the panel it asks first
        await pilot.pause()
        assert app.screen is lab and panel.host.alive
        assert any("press escape again" in n.message for n in app._notifications)
        await pilot.press("escape")                     # ... and the second one leaves the lab
        await pilot.pause()
        assert not isinstance(app.screen, LabScreen) and not panel.host.alive
        assert any("run ended" in n.message for n in app._notifications)
        await wait_for(lambda: process.exitcode is not None, timeout=5)


async def test_the_lab_opens_in_pieces_and_o_waits_for_its_settings(monkeypatch):
    """The lab's first frame has the panel's status and an empty settings column (its two rows of
    heatmaps and the column's hundred widgets come in the frames after, the rows first); o pressed
    before the settings are there does nothing, and afterwards jumps to the data."""
    app = RnnTuiApp()
    seen: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        display = app._display

        def noted(screen, renderable):
            if isinstance(screen, LabScreen):
                seen.append((len(screen.query(Select)), len(screen.panel.query(Heatmap)), screen.panel.rows))
            return display(screen, renderable)

        monkeypatch.setattr(app, "_display", noted)
        app.action_lab()
        lab = app.screen
        assert isinstance(lab, LabScreen) and not lab.settings_ready
        await lab.run_action("settings")                # too early: nothing to jump to, nothing breaks
        await wait_for(lambda: lab.settings_ready)
        await pilot.pause()
        assert seen and seen[0] == (0, 0, 0) and seen[-1] == (6, 4, 2)          # W U | V H (and the chart)
        assert (0, 2, 1) in seen                      # the first row had a frame of its own
        assert lab.panel.has_focus
        await pilot.press("o")
        assert lab.focused is lab.query_one("#lab-data", Select)
        assert lab.query_one("#lab-batch_size", Input).value == "1"      # cats train by sgd: one name a batch


async def test_choosing_data_moves_focus_so_space_trains():
    """After picking names in the dropdown, space starts training instead of reopening the list."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        select = lab.query_one("#lab-data", Select)
        select.focus()
        await pilot.press("enter")                     # open the list
        await pilot.pause()
        assert select.expanded
        await pilot.press("down", "down", "enter")     # cats -> lesson 5 -> names
        await pilot.pause()
        assert select.value == "names"
        assert lab.focused is lab.panel
        await wait_for(lambda: lab.panel.state == "ready" and lab.panel.ready.ntrain > 1000)
        select.focus()
        await pilot.press("space")                     # with the dropdown focused, still starts
        await wait_for(lambda: lab.panel.state == "running")
        assert not select.expanded


async def test_sgd_batch_box_says_one_and_names_load_their_settings():
    """Under sgd the batch box shows 1 and is disabled; names brings hidden 128 and batch 32 back."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        box = lab.query_one("#lab-batch_size", Input)
        assert box.value == "1" and box.disabled
        lab.query_one("#lab-data", Select).value = "names"
        await wait_for(lambda: lab.panel.state == "ready" and lab.panel.ready.ntrain > 1000)
        assert box.value == "32" and not box.disabled
        assert lab.panel.ready.config["nhidden"] == 128 and lab.panel.ready.config["strategy"] == "vectorized"
        assert len(lab.panel.ready.classes) >= 16


async def test_space_while_the_process_starts_trains_and_stays_training():
    """Space before Ready trains once Ready comes; the child's 'paused' sent before it saw the resume
    (the two cross on the way) does not turn the panel to paused while the child trains on."""
    from rnn_tui.trainhost import messages as m

    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        lab = app.screen
        assert isinstance(lab, LabScreen) and lab.panel.state in ("starting", "ready")
        await pilot.press("space")
        await wait_for(lambda: lab.panel.state in ("running", "finished"))   # the cats run may end within a poll
        await wait_for(lambda: lab.panel.frame is not None and lab.panel.frame.step > 0)
        await asyncio.sleep(0.5)
        assert lab.panel.state in ("running", "finished")
        if lab.panel.state == "running":                # a late, stale Paused changes nothing
            lab.panel._handle(m.Paused(step=1, seen=lab.panel._resumed - 1))
            assert lab.panel.state == "running"
            lab.panel._handle(m.Paused(step=2, seen=lab.panel._resumed))
            assert lab.panel.state == "paused"


async def test_cell_balance_and_the_tutorial_data_are_chosen_in_the_lab(home):
    """A GRU trains with its three gates' W drawn; an LSTM on numpy says which backend trains it;
    names weights its languages; the tutorial's data, not yet fetched, says how to fetch it."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        cell = lab.query_one("#lab-cell", Select)
        cell.value = "gru"
        await wait_for(lambda: lab.panel.state == "ready" and lab.panel.ready.config["cell"] == "gru")
        await pilot.press("s")
        await wait_for(lambda: lab.panel.frame is not None and lab.panel.frame.step == 1)
        await pilot.pause()
        w = lab.panel.query_one("#live-W", Heatmap)
        assert w.data.shape == (3 * 4, 4) and all("3 gates" in t for t in w.titles[:-1])
        pid = lab.panel.host.pid
        cell.value = "lstm"
        await pilot.pause()
        assert "does not train the lstm cell" in status(lab) and lab.panel.host.pid == pid
        cell.value = "rnn"
        await pilot.pause()
        lab.query_one("#lab-data", Select).value = "names"
        await wait_for(lambda: lab.panel.state == "ready" and lab.panel.ready.config["nhidden"] == 128)
        assert lab.query_one("#lab-balance", Select).value == "on" and lab.panel.ready.config["balance"] is True
        lab.query_one("#lab-data", Select).value = "pytorch-names"
        await wait_for(lambda: lab.panel.state == "failed")
        assert "rnn-tui data get pytorch-names" in status(lab)
        assert len(status(lab).splitlines()) == 1


async def test_bad_settings_are_one_line_and_change_nothing():
    """A word for a number, a negative rate, a missing folder: one line each, no crash."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        pid = lab.panel.host.pid
        hidden = lab.query_one("#lab-nhidden", Input)
        hidden.value = "[bold]many[/]"
        assert not lab._apply()
        assert "hidden must be a number, not '[bold]many[/]'" in status(lab)
        hidden.value = "4"
        lab.query_one("#lab-lr", Input).value = "-1"
        assert not lab._apply() and "learning rate must be a positive number" in status(lab)
        assert lab.panel.host.pid == pid
        lab.query_one("#lab-lr", Input).value = "0.05"
        lab.query_one("#lab-path", Input).value = "/no/such/folder"
        assert lab._apply()
        await wait_for(lambda: lab.panel.state == "failed")
        assert "no such file or folder" in status(lab)
        await pilot.press("s")                         # nothing to train: no crash
        lab.query_one("#lab-path", Input).value = ""
        lab._apply()
        await wait_for(lambda: lab.panel.state == "ready")


async def test_a_long_run_of_digits_in_a_number_box_is_cut_short():
    """Textual's number pattern backtracks exponentially on long runs of digits (26 nines and an x held
    the app 6 s): the boxes take a dozen characters, so typing on, or pasting a thousand, adds nothing."""
    from textual import events

    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        hidden = lab.query_one("#lab-nhidden", Input)
        hidden.focus()
        hidden.value = ""
        await pilot.press(*"9" * 30, "x")
        assert hidden.value == "9" * 12
        hidden.post_message(events.Paste("9" * 1000 + "x"))
        await pilot.pause()
        assert hidden.value == "9" * 12
        assert not lab._apply() and "hidden" in status(lab)       # out of range: one line, nothing restarts


async def test_save_writes_a_loadable_model(home):
    """w writes the best model so far into the user folder; classify then uses it."""
    from rnn_tui.model import load

    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("s")
        await wait_for(lambda: lab.panel.frame.step == 1)
        await pilot.press("w")
        await wait_for(lambda: app.lab_model is not None)
        assert app.lab_model == home / "models" / "lab.npz"
        assert load(app.lab_model).languages == ("Afrikaans", "English", "French", "German")


async def test_delta_view_confusion_and_fixed_scales():
    """d shows what changed since the last frame; m the confusion matrix; f fixes every scale."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        panel = lab.panel
        for n in (1, 2):
            await pilot.press("s")
            await wait_for(lambda n=n: panel.frame.step == n)
        await asyncio.sleep(0.1)
        await pilot.press("d")
        w = panel.query_one("#live-W", Heatmap)
        assert w.border_title.startswith("ΔW")
        np.testing.assert_allclose(w.data, panel.frame.params["W"] - panel.previous.params["W"])
        await pilot.press("f")
        assert all(hm.fixed_scale is not None for hm in panel.query(Heatmap))
        await pilot.press("f")
        assert all(hm.fixed_scale is None for hm in panel.query(Heatmap))
        await pilot.press("m")
        assert panel.query_one("#live-H", Heatmap).border_title.startswith("confusion")


async def test_slow_motion_shows_the_word_being_read():
    """At the slowest speed the lower panel shows h_t of the word, one column per character read."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        panel = lab.panel
        await pilot.press(*["minus"] * 4, "space")
        await wait_for(lambda: panel.reading is not None and panel.reading.t >= 2)
        await pilot.pause()
        h = panel.query_one("#live-H", Heatmap)
        assert "reading" in h.border_title and h.data.shape[1] == panel.reading.t


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_the_lab_fits_small_and_large_terminals(size):
    """At 80x24 W, V and the status line are on screen with room to draw; at 200x60 W gets the width."""
    app = RnnTuiApp()
    async with app.run_test(size=size) as pilot:
        lab = await open_lab(pilot)
        await pilot.press("s")
        await wait_for(lambda: lab.panel.frame.step == 1)
        await pilot.pause()
        screen = lab.region
        for wid in ("#live-status", "#live-counts", "#live-W", "#live-V", "#live-chart"):
            region = lab.panel.query_one(wid).region
            assert screen.contains_region(region), wid
        W, V = lab.panel.query_one("#live-W", Heatmap), lab.panel.query_one("#live-V", Heatmap)
        assert W.size.width >= 14 and W.size.height >= 6 and V.size.width >= 14
        if size == (200, 60):
            lab.query_one("#lab-data", Select).value = "names"
            await wait_for(lambda: lab.panel.state == "ready" and lab.panel.ready.ntrain > 1000)
            await pilot.pause()
            U = lab.panel.query_one("#live-U", Heatmap)
            assert W.size.width > U.size.width


def contrast(a, b) -> float:
    """WCAG contrast ratio of two rich colours."""
    def lum(c) -> float:
        r, g, b = (x / 255 for x in c.get_truecolor())
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_every_label_in_the_settings_is_legible(theme):
    """No label of the lab's settings column is below WCAG's 3:1 contrast against its background."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        lab = await open_lab(pilot)
        await pilot.pause()
        labels = list(lab.query("#lab-controls Label")) + list(lab.query("#lab-keys"))
        assert len(labels) >= 8
        for label in labels:
            style = label.rich_style
            assert contrast(style.color, style.bgcolor) >= 3.0, (theme, str(label.render()))
        assert {str(x.render()) for x in lab.query("#lab-controls Label")} >= {"hidden", "batch", "rate", "epochs"}
        assert all(isinstance(x, Label) for x in lab.query("#lab-controls Label"))


@pytest.mark.parametrize("typed,says", [("", "hidden is empty"), ("0", "hidden")])
async def test_a_bad_box_is_named_as_the_lab_names_it(typed, says):
    """The hidden box empty said "hidden must be a number, not ''", and a hidden size out of range was
    called nhidden, the engine's name (found by helper review): the lab's own label, both times."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        await wait_for(lambda: lab.settings_ready)
        lab.query_one("#lab-nhidden", Input).value = typed
        assert not lab._apply()
        await pilot.pause()
        line = status(lab)
        assert line.startswith(says) and "nhidden" not in line and "''" not in line


async def test_a_letter_in_a_number_box_is_refused_with_a_reason():
    """Input only rings the bell for text its type refuses; the lab's boxes say what they take, once
    for a key held down rather than once a key."""
    from textual import events

    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab(pilot)
        rate = lab.query_one("#lab-lr", Input)
        rate.focus()
        before = rate.value
        await pilot.press("x", "x", "x")
        await pilot.pause()
        assert rate.value == before
        said = [n.message for n in app._notifications if "learning rate box" in n.message]
        assert said == ["The learning rate box takes a number, such as 0.002."]
        epochs = lab.query_one("#lab-epochs", Input)
        epochs.value = "123"
        epochs.cursor_position = 3
        epochs.post_message(events.Paste("45678901234"))        # too long: all of it refused, none cut
        await pilot.pause()
        assert epochs.value == "123"
        assert any(n.message.startswith("The epochs box holds") for n in app._notifications)
