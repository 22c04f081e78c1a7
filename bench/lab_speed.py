"""The training lab's live view: redraw rate, and training speed kept while drawing.

    python bench/lab_speed.py

1. Redraw rate: the lab screen at 120x40 with a 128-hidden model (W is
   128x128) is handed a new snapshot and fully repainted, again and again;
   frames per second are counted.  Goal: at least 10.
2. Training kept: three epochs of the shipped names (vectorised NumPy, hidden
   128, batch 32) trained headless, then the same run started from the
   lab with everything drawn live (evaluation included on both sides); wall-clock names per second of each and
   their ratio.  Goal: the live view keeps at least 70%.
3. Key response while training: the time from a key event to its effect.
Everything runs in one process, one after the other, so both sides of each
ratio see the same machine.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("RNN_TUI_HOME", tempfile.mkdtemp(prefix="rnn-tui-bench-"))

from textual import events  # noqa: E402
from textual.widgets import Select  # noqa: E402

from rnn_tui import data  # noqa: E402
from rnn_tui.engine.train import TrainConfig, Trainer  # noqa: E402
from rnn_tui.ui.app import RnnTuiApp  # noqa: E402
from rnn_tui.ui.screens.lab import HEATMAP_FPS, LIVE_FPS, LabScreen, LabSnapshot, Run  # noqa: E402

SIZE = (120, 40)


EPOCHS = 3


def headless_epochs() -> tuple[float, int]:
    """Wall seconds for EPOCHS epochs on names with the lab's settings, and the names trained."""
    ds, _ = data.to_dataset(data.load("names"))
    trainer = Trainer(ds, TrainConfig(epochs=EPOCHS))
    t0 = time.perf_counter()
    for _ in trainer.run():
        pass
    return time.perf_counter() - t0, EPOCHS * len(ds.train)


async def open_lab_on_names(pilot) -> LabScreen:
    app = pilot.app
    await pilot.press("l")
    await pilot.pause()
    lab = app.screen
    lab.query_one("#lab-data", Select).value = "names"
    await pilot.pause(0.5)
    lab.query_one("#lab-epochs").value = str(EPOCHS)
    lab.action_reset()
    await pilot.pause()
    return lab


async def redraw_rate(frames: int = 40) -> float:
    """Full repaints per second of the lab with fresh snapshots."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab_on_names(pilot)
        snaps = []
        for snap in lab.trainer.run():                 # real snapshots to draw, taken ahead of time
            snaps.append(snap)
            lab.trainer.every = 1
            if len(snaps) >= 8:
                break
        lab.running, lab._run = True, Run(-1)
        lab._paused.set()                              # paused: every snapshot repaints everything
        t0 = time.perf_counter()
        for i in range(frames):
            lab._snapshot(LabSnapshot(snaps[i % len(snaps)], -1))
            await pilot.pause()                        # lets Textual lay out and render the frame
        return frames / (time.perf_counter() - t0)


async def live_epoch() -> tuple[float, list[float]]:
    """Wall seconds for one epoch trained from the lab with the live view, and key response times."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_lab_on_names(pilot)
        n = EPOCHS * len(lab.trainer.data.train)
        responses = []
        t0 = time.perf_counter()
        lab.action_start_pause()
        while lab.running:
            if len(responses) < 5 and time.perf_counter() - t0 > 0.5 * (len(responses) + 1):
                before = lab.show_grads
                tk = time.perf_counter()
                app.post_message(events.Key("g", "g"))
                while lab.show_grads == before and lab.running:
                    await asyncio.sleep(0.002)
                responses.append(time.perf_counter() - tk)
            await asyncio.sleep(0.01)
        return time.perf_counter() - t0, responses, n


def main() -> None:
    fps = asyncio.run(redraw_rate())
    head_s, n = headless_epochs()
    live_s, responses, n_live = asyncio.run(live_epoch())
    head_rate, live_rate = n / head_s, n_live / live_s
    print(f"redraw of the lab (W 128x128, U, V, H, chart, stats): {fps:5.1f} frames/s "
          f"= {fps / 10:.2f}x the goal of 10")
    print(f"{EPOCHS} epochs, headless:   {head_rate:9,.0f} names/s ({head_s:.2f} s)")
    print(f"{EPOCHS} epochs, lab live:   {live_rate:9,.0f} names/s ({live_s:.2f} s, "
          f"stats {LIVE_FPS}/s, heatmaps {HEATMAP_FPS}/s)")
    print(f"live / headless = {live_rate / head_rate:.2f}  (goal >= 0.70)")
    if responses:
        print(f"key to effect while training: median {1000 * statistics.median(responses):.0f} ms, "
              f"worst {1000 * max(responses):.0f} ms  (goal < 100 ms)")


if __name__ == "__main__":
    main()
