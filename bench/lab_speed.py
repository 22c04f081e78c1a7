"""The lab's live view against headless training, measured in one run.

    python bench/lab_speed.py [--epochs 3]

For the shipped names (vectorised NumPy, hidden 128, batch 32, the lab's
names settings) this prints:

1. names per second trained headless (Trainer.run() pulled in this process,
   nothing drawn; measured before and after the live run, the mean is used),
   and trained from the lab at 120x40 with everything drawn live (the
   training process, the pipe, the heatmaps and the chart), from the key that
   starts training to the Ended message; their ratio.  Goal: live / headless
   >= 0.90, with the heatmaps repainting >= 15 times a second.
2. The same pair again while a CPU-bound process that this benchmark starts
   itself spins beside them.  Goal: live / headless >= 0.70.
   Beside each pair: the longest event-loop stall while the lab trains with
   the chart on screen (the largest gap between ticks of a 10 ms timer,
   less its 10 ms), and how much of it the loop's thread spent running
   (the rest it waited for a CPU).  Goal: at most 50 ms.
3. Key response while training (a third live run, alone): from a key press (g,
   weights/gradients) to the W heatmap's first line of the other view being
   drawn, and from the pause key to the training process acknowledging that
   it stopped.  Goal: median <= 50 ms.
Both sides of each ratio run on the same machine in the same state.

What counts, so that the figures are honest:
- The app draws into a terminal that is not there (TerminalSink): Textual does
  all its work, including turning every screen update into the escape codes
  a terminal would get, and only the final write is dropped.  (Textual's own
  headless mode skips that last step.)
- A repaint is a new picture of the W heatmap reaching the screen: counted
  when Textual asks the heatmap for a line of a picture it has not drawn yet
  (Heatmap.repaints), not when the panel is handed a snapshot.
- Keys are sent the way the terminal driver sends them, without Pilot's
  waiting for the app to go idle, and the clock stops when the W heatmap's
  first line of the new view is drawn.
- The load average is printed with each block: on a shared machine the
  figures move with it.
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

from textual import events  # noqa: E402
from textual.drivers.headless_driver import HeadlessDriver  # noqa: E402
from textual.widgets import Input, Select  # noqa: E402

from rnn_tui.trainhost.preset import config_of, load_data  # noqa: E402
from rnn_tui.ui.app import RnnTuiApp  # noqa: E402
from rnn_tui.ui.screens.lab import PRESETS, LabScreen  # noqa: E402
from rnn_tui.ui.widgets.heatmap import Heatmap  # noqa: E402

SIZE = (120, 40)
os.environ.setdefault("COLORTERM", "truecolor")    # what most terminals say; Rich renders 24-bit colour


class TerminalSink(HeadlessDriver):
    """A driver whose terminal is not there: the app renders every update to escape codes, then drops them."""

    written = 0

    @property
    def is_headless(self) -> bool:
        """Not headless: Textual then renders each screen update for the terminal."""
        return False

    def write(self, data: str) -> None:
        """Count what a terminal would have been sent."""
        TerminalSink.written += len(data)


def load() -> str:
    """The load averages over 1, 5 and 15 minutes."""
    return "load average {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


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


TICK = 0.01                                        # the heartbeat's interval, seconds
STALL_GOAL_MS = 50.0


class Heartbeat:
    """A 10 ms interval on the app's event loop; a late tick is a stalled loop."""

    def __init__(self) -> None:
        self.last = self.last_cpu = 0.0
        self.worst = 0.0                           # the longest gap between ticks, less the interval (s)
        self.worst_cpu = 0.0                       # the CPU time the loop's thread used in that gap (s)

    def start(self) -> None:
        """Count from now."""
        self.last, self.last_cpu, self.worst = time.perf_counter(), time.thread_time(), 0.0

    def tick(self) -> None:
        """Called by the timer."""
        now, cpu = time.perf_counter(), time.thread_time()
        if now - self.last - TICK > self.worst:
            self.worst, self.worst_cpu = now - self.last - TICK, cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu


Stall = tuple[float, float]                        # the longest gap (s), and the loop thread's CPU seconds in it


async def live(epochs: int, keys: bool) -> tuple[float, float, float, list[float], list[float], Stall]:
    """Names/s trained from the lab, W repaints a second, the UI's share of a core, key latencies (s),
    the longest event-loop stall."""
    app = RnnTuiApp()
    app.driver_class = TerminalSink
    async with app.run_test(size=SIZE, headless=False) as pilot:
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
        w = panel.query_one("#live-W", Heatmap)
        driver = app._driver
        assert driver is not None

        def press(key: str, char: str) -> float:
            """Send a key as the terminal driver does; the time it was sent."""
            event = events.Key(key, char)
            event.set_sender(app)
            sent = time.perf_counter()
            driver.send_message(event)
            return sent

        switched: list[int] = []                   # W's picture version once the view had switched
        toggle = panel.action_toggle_grads

        def toggled() -> None:
            toggle()
            switched.append(w.version)

        panel.action_toggle_grads = toggled  # type: ignore[method-assign]
        heart = Heartbeat()
        assert lab.query_one("#live-chart").region.area > 0, "the chart is not on screen"
        timer = app.set_interval(TICK, heart.tick, name="heartbeat")
        heart.start()
        repaints, cpu = w.repaints, time.thread_time()      # the app runs on this thread
        t0 = press("space", " ")
        while panel.state != "finished":
            await asyncio.sleep(0.01)
            elapsed = time.perf_counter() - t0
            if keys and len(view_ms) < 5 and elapsed > 0.6 * (len(view_ms) + 1) and panel.state == "running":
                asked = len(switched)
                tk = press("g", "g")
                while len(switched) == asked or w.painted_version < switched[-1]:
                    await asyncio.sleep(0.001)   # the view switched, then a line of it was drawn
                view_ms.append(w.painted_at - tk)
            if keys and len(pause_ms) < 3 and elapsed > 1.0 * (len(pause_ms) + 1) and panel.state == "running":
                acked = panel.paused_at
                tk = press("space", " ")
                while panel.paused_at == acked:
                    await asyncio.sleep(0.001)
                pause_ms.append(panel.paused_at - tk)
                press("space", " ")
                while panel.state != "running" and panel.state != "finished":
                    await asyncio.sleep(0.001)
        seconds = time.perf_counter() - t0
        timer.stop()
        fps = (w.repaints - repaints) / seconds
        share = (time.thread_time() - cpu) / seconds
        return epochs * ntrain / seconds, fps, share, view_ms, pause_ms, (heart.worst, heart.worst_cpu)


def measure(epochs: int) -> tuple[float, float, float, float, Stall]:
    """Headless names/s (the mean of one run before and one after the live run), live names/s, repaints/s,
    the UI's share of a core, the longest event-loop stall (s)."""
    before = headless(epochs)
    rate, fps, share, _, _, stall = asyncio.run(live(epochs, keys=False))
    after = headless(epochs)
    return (before + after) / 2, rate, fps, share, stall


def report(label: str, head: float, rate: float, fps: float, share: float, stall: Stall, goal: float) -> None:
    """One block of figures with its verdict."""
    ratio = rate / head
    print(f"{label} ({load()})")
    print(f"  headless:          {head:9,.0f} names/s")
    print(f"  lab, drawn live:   {rate:9,.0f} names/s, heatmaps repainted {fps:5.1f} times a second, "
          f"the UI used {share:.0%} of a core")
    print(f"  live / headless = {ratio:.2f}  (goal >= {goal:.2f}: {'met' if ratio >= goal else 'NOT met'}; "
          f"repaints goal >= 15/s: {'met' if fps >= 15 else 'NOT met'})")
    ms, cpu_ms = 1000 * stall[0], 1000 * stall[1]
    gap = ms + 1000 * TICK
    print(f"  longest event-loop stall while training, chart on screen: {ms:.0f} ms (a {gap:.0f} ms gap between "
          f"{1000 * TICK:.0f} ms ticks, the loop's thread running for {cpu_ms:.0f} ms of it; "
          f"goal <= {STALL_GOAL_MS:.0f} ms: {'met' if ms <= STALL_GOAL_MS else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of the names set per measurement")
    args = parser.parse_args()
    print(f"names, vectorised NumPy, hidden 128, batch 32, {args.epochs} epochs; the lab at {SIZE[0]}x{SIZE[1]}; "
          f"{os.cpu_count()} CPUs")
    head, rate, fps, share, stall = measure(args.epochs)
    report("1. alone", head, rate, fps, share, stall, 0.90)
    ctx = multiprocessing.get_context("spawn")
    hog = ctx.Process(target=spin, daemon=True)
    hog.start()
    try:
        head2, rate2, fps2, share2, stall2 = measure(args.epochs)
    finally:
        hog.terminate()
        hog.join()
    report(f"2. with a CPU-bound process beside it (started by this benchmark, pid {hog.pid})", head2, rate2,
           fps2, share2, stall2, 0.70)
    _, _, _, view, pause, _ = asyncio.run(live(args.epochs, keys=True))   # a run of its own: pauses cost time
    if view and pause:
        views, pauses = [1000 * x for x in view], [1000 * x for x in pause]
        print(f"3. key response while training ({load()}):")
        print(f"  g (weights/gradients) to the redrawn W: median {statistics.median(views):.0f} ms, "
              f"worst {max(views):.0f} ms ({len(views)} presses)")
        print(f"  space (pause) to the training process stopped: median {statistics.median(pauses):.0f} ms, "
              f"worst {max(pauses):.0f} ms ({len(pauses)} presses)")
        worst = max(statistics.median(views), statistics.median(pauses))
        print(f"  goal: median <= 50 ms: {'met' if worst <= 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
