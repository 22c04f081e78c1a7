"""The lab's live view against headless training, measured in one run.

    python bench/lab_speed.py [--epochs 3]

For the shipped names (vectorised NumPy, hidden 128, batch 32, the lab's
names settings) this prints:

1. names per second trained headless (Trainer.run() pulled in this process,
   nothing drawn), and trained from the lab at 120x40 with everything drawn
   live (the training process, the pipe, the heatmaps and the chart), from
   the key that starts training to the Ended message; their ratio.  Goal:
   live / headless >= 0.90, with the heatmaps repainting >= 15 times a second.
2. The same pair again while a CPU-bound process that this benchmark starts
   itself spins beside them.  Goal: live / headless >= 0.70.
3. Key response while training (a third live run, alone): from a key press (g, weights/gradients) to
   the W heatmap showing the other view, and from the pause key to the
   training process acknowledging that it stopped.  Goal: median <= 50 ms.
Both sides of each ratio run on the same machine in the same state.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("RNN_TUI_HOME", tempfile.mkdtemp(prefix="rnn-tui-bench-"))

from textual.widgets import Input, Select  # noqa: E402

from rnn_tui.trainhost.preset import config_of, load_data  # noqa: E402
from rnn_tui.ui.app import RnnTuiApp  # noqa: E402
from rnn_tui.ui.screens.lab import PRESETS, LabScreen  # noqa: E402

SIZE = (120, 40)


def spin() -> None:
    """A CPU-bound process: pure Python arithmetic forever."""
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


def headless(epochs: int) -> float:
    """Names per second of Trainer.run() on the lab's names preset, nothing drawn."""
    from rnn_tui.engine.train import Trainer

    preset = dict(PRESETS["names"], epochs=epochs)
    dataset, _, _ = load_data(preset)
    trainer = Trainer(dataset, config_of(preset))
    t0 = time.perf_counter()
    for _ in trainer.run():
        pass
    return epochs * len(dataset.train) / (time.perf_counter() - t0)


async def live(epochs: int, keys: bool) -> tuple[float, float, list[float], list[float]]:
    """Names per second trained from the lab, heatmap frames a second, and key latencies (seconds)."""
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        lab = app.screen
        assert isinstance(lab, LabScreen)
        panel = lab.panel
        lab.query_one("#lab-data", Select).value = "names"
        await pilot.pause()
        lab.query_one("#lab-epochs", Input).value = str(epochs)
        lab._apply()
        end = time.perf_counter() + 60
        def loaded() -> bool:
            return panel.state == "ready" and panel.ready is not None and panel.ready.epochs == epochs \
                and panel.ready.ntrain > 1000

        while time.perf_counter() < end and not loaded():
            await asyncio.sleep(0.01)
        if panel.ready is None or panel.ready.epochs != epochs:
            raise SystemExit(f"the lab did not get ready: {panel.state}")
        ntrain = panel.ready.ntrain
        view_ms: list[float] = []
        pause_ms: list[float] = []
        drawn = panel.frames_drawn
        t0 = time.perf_counter()
        await pilot.press("space")
        while panel.state != "finished":
            await asyncio.sleep(0.01)
            elapsed = time.perf_counter() - t0
            if keys and len(view_ms) < 5 and elapsed > 0.6 * (len(view_ms) + 1) and panel.state == "running":
                hm = panel.query_one("#live-W")
                before = hm.border_title
                tk = time.perf_counter()
                await pilot.press("g")
                while hm.border_title == before:
                    await asyncio.sleep(0.001)
                view_ms.append(time.perf_counter() - tk)
            if keys and len(pause_ms) < 3 and elapsed > 1.0 * (len(pause_ms) + 1) and panel.state == "running":
                acked = panel.paused_at
                tk = time.perf_counter()
                await pilot.press("space")
                while panel.paused_at == acked:
                    await asyncio.sleep(0.001)
                pause_ms.append(panel.paused_at - tk)
                await pilot.press("space")
        seconds = time.perf_counter() - t0
        fps = (panel.frames_drawn - drawn) / seconds
        return epochs * ntrain / seconds, fps, view_ms, pause_ms


def measure(epochs: int, keys: bool) -> tuple[float, float, float, list[float], list[float]]:
    """Headless and live names/s, and what the live run measured."""
    head = headless(epochs)
    rate, fps, view, pause = asyncio.run(live(epochs, keys))
    return head, rate, fps, view, pause


def report(label: str, head: float, rate: float, fps: float, goal: float) -> None:
    """One block of figures with its verdict."""
    ratio = rate / head
    print(f"{label}")
    print(f"  headless:          {head:9,.0f} names/s")
    print(f"  lab, drawn live:   {rate:9,.0f} names/s, heatmaps repainted {fps:5.1f} times a second")
    print(f"  live / headless = {ratio:.2f}  (goal >= {goal:.2f}: {'met' if ratio >= goal else 'NOT met'}; "
          f"repaints goal >= 15/s: {'met' if fps >= 15 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of the names set per measurement")
    args = parser.parse_args()
    print(f"names, vectorised NumPy, hidden 128, batch 32, {args.epochs} epochs; the lab at {SIZE[0]}x{SIZE[1]}; "
          f"{os.cpu_count()} CPUs")
    head, rate, fps, _, _ = measure(args.epochs, keys=False)
    report("1. alone", head, rate, fps, 0.90)
    ctx = multiprocessing.get_context("spawn")
    hog = ctx.Process(target=spin, daemon=True)
    hog.start()
    try:
        print(f"2. with a CPU-bound process beside it (started by this benchmark, pid {hog.pid})")
        head2, rate2, fps2, _, _ = measure(args.epochs, keys=False)
    finally:
        hog.terminate()
        hog.join()
    report("   ", head2, rate2, fps2, 0.70)
    _, _, view, pause = asyncio.run(live(args.epochs, keys=True))   # a run of its own: pauses cost time
    if view and pause:
        views, pauses = [1000 * x for x in view], [1000 * x for x in pause]
        print("3. key response while training:")
        print(f"  g (weights/gradients) to the redrawn W: median {statistics.median(views):.0f} ms, "
              f"worst {max(views):.0f} ms ({len(views)} presses)")
        print(f"  space (pause) to the training process stopped: median {statistics.median(pauses):.0f} ms, "
              f"worst {max(pauses):.0f} ms ({len(pauses)} presses)")
        worst = max(statistics.median(views), statistics.median(pauses))
        print(f"  goal: median <= 50 ms: {'met' if worst <= 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
