"""The app saves progress from the saver's thread, never on the event loop; a failing disk is one line."""

import errno
import json
import os
import threading

from rnn_tui import progress
from rnn_tui.ui.app import RnnTuiApp

SIZE = (120, 40)


async def test_progress_is_written_off_the_event_loop_and_flushed_on_quit(home, monkeypatch):
    """Every write happens in another thread than the app's; what the last keys changed is on disk after quitting."""
    writers: list[str] = []
    real_save = progress.Progress.save

    def save(self):
        writers.append(threading.current_thread().name)
        real_save(self)

    monkeypatch.setattr(progress.Progress, "save", save)
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson(app.lessons[0].id, 0)
        await pilot.pause()
        loop_thread = threading.current_thread().name
        await pilot.press("escape")                  # out of any answer box: the arrows move between steps
        await pilot.press("right", "right", "right", "left")
        await pilot.pause()
        step = app.screen.index
    assert step == 2 and writers and loop_thread not in writers
    saved = json.loads((home / "progress.json").read_text())
    assert saved["lessons"][app.lessons[0].id]["step"] == step


async def test_a_full_disk_is_one_line_once_and_the_app_goes_on(home, monkeypatch):
    """Writes failing with ENOSPC: one notification of one line for any number of steps, no traceback."""

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    app = RnnTuiApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_lesson(app.lessons[0].id, 0)
        await pilot.pause()
        await pilot.press("escape")
        for _ in range(4):
            await pilot.press("right")
            await pilot.pause()
        assert app.saver.flush(30)
        await pilot.pause()
        messages = [n.message for n in app._notifications if "Could not save progress" in n.message]
        assert len(messages) == 1 and "\n" not in messages[0] and os.strerror(errno.ENOSPC) in messages[0]
        assert app.screen.index == 4 and app.is_running
    assert app.fault is None
