"""How long the lessons keep Textual's event loop busy: stalls and time to first paint.

    python bench/lesson_latency.py [--lesson 5 --lesson 9] [--size 120x40] [--no-screens]

Every step of every lesson is opened through Pilot, the way a learner walks
the course: the first step of a lesson with `open_lesson`, each later one
with the lesson screen's own "next_step" action.  Meanwhile a 10 ms interval
timer ticks on the event loop; the largest gap between two ticks while a step
opens and settles (its workers done) is that step's stall.  The time to first
paint is from the action to the first frame that shows the new step: the
frame's terminal output (made as a real terminal's would be, although the
headless driver writes nothing) holds the step's label, "step 3 of 7 · 05",
and, when the step's prose differs from the previous step's, the start of
its heading.  A frame that only moves the focus or redraws the old step
does not count.

After the lessons, from the lesson list, the other screens are opened the
same way, each once: help, classify with a name typed in, and the lab
(their first paint is the first frame with their title; --no-screens
leaves them out).

Each step's line also gives the CPU time the event loop's thread spent on
it (heartbeat and Pilot included): other processes on a busy machine
stretch stalls and paints, much less that figure, so it is the one to
compare runs by.

Goals: no stall above 50 ms; every step painted within 100 ms.  The caches of
slow steps start empty (a fresh RNN_TUI_HOME), so these are a newcomer's
numbers.  The five worst steps are printed last.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["RNN_TUI_HOME"] = tempfile.mkdtemp(prefix="rnn-tui-bench-")

from rich.console import RenderableType  # noqa: E402
from textual._compositor import CompositorUpdate  # noqa: E402
from textual.pilot import WaitForScreenTimeout  # noqa: E402
from textual.screen import Screen  # noqa: E402

from rnn_tui.ui.app import RnnTuiApp  # noqa: E402

STALL_GOAL_MS = 50.0
PAINT_GOAL_MS = 100.0
TICK = 0.010
SETTLE_LIMIT = 90.0      # seconds a step may keep workers busy before the bench moves on
ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x1b\x07]*(\x07|\x1b\\)|[0-Z\\-_])")


@dataclass
class StepTiming:
    """One step: where it is, its first paint, its worst stall and when it settled."""

    where: str
    paint_ms: float
    stall_ms: float
    settle_s: float
    loop_cpu_ms: float = 0.0


class TimedApp(RnnTuiApp):
    """The real app, noting when each frame is composed and when each timer tick runs."""

    CSS_PATH = str(Path(sys.modules[RnnTuiApp.__module__].__file__ or "").with_name("app.tcss"))

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[tuple[float, str]] = []    # (when, the terminal output of the frame)
        self.ticks: list[float] = []
        self._output = ""

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        """Textual's own display, plus the terminal output a real driver would write.

        The headless driver skips making that output; making it here keeps its cost on the loop, as in
        a terminal, and lets the bench see what each frame shows.  (_display is Textual's private
        method: post_display_hook, the public one, is not given the frame.)
        """
        self._output = ""
        if isinstance(renderable, CompositorUpdate) and not self._batch_count:
            self._output = renderable.render_segments(self.console)
        super()._display(screen, renderable)

    def post_display_hook(self) -> None:
        """Called by Textual after every frame (also headless)."""
        self.frames.append((time.perf_counter(), self._output))
        self._output = ""

    def tick(self) -> None:
        """The 10 ms heartbeat; a late tick is a stalled loop."""
        self.ticks.append(time.perf_counter())


def worst_gap(ticks: list[float], start: float, end: float) -> float:
    """The largest gap between consecutive ticks that overlaps [start, end], in seconds."""
    inside = [t for t in ticks if start <= t <= end]
    before = [t for t in ticks if t < start][-1:]
    after = [t for t in ticks if t > end][:1]
    points = before + inside + after
    if len(points) < 2:
        return end - start
    return max(b - a for a, b in zip(points, points[1:]))


async def quiet(pilot) -> None:
    """pilot.pause(), waiting on for a screen so blocked that Pilot gives up after 30 s."""
    end = time.perf_counter() + SETTLE_LIMIT
    while True:
        try:
            await pilot.pause()
            return
        except WaitForScreenTimeout:
            if time.perf_counter() > end:
                raise


async def settle(app: TimedApp, pilot) -> None:
    """Wait until the screen has handled its messages and its workers have finished."""
    await quiet(pilot)
    end = time.perf_counter() + SETTLE_LIMIT
    while any(w.is_running for w in app.workers) and time.perf_counter() < end:
        await asyncio.sleep(0.02)
    await quiet(pilot)


def first_showing(frames: list[tuple[float, str]], start: float, marks: list[str]) -> float | None:
    """When the first frame after start had shown every mark (each in some frame since start); None: never."""
    missing = set(marks)
    for when, output in frames:
        if when <= start or not output:
            continue
        text = ESCAPES.sub("", output)
        missing = {m for m in missing if m not in text}
        if not missing:
            return when
    return None


async def time_step(app: TimedApp, pilot, where: str, action, marks: list[str]) -> StepTiming:
    """Run one action that shows a step, and measure it; marks: text only the new step's frame shows."""
    await asyncio.sleep(0.05)                      # a few quiet ticks first
    app.frames.clear()
    t0, c0 = time.perf_counter(), time.thread_time()
    await action()
    await settle(app, pilot)
    t1, c1 = time.perf_counter(), time.thread_time()
    await asyncio.sleep(3 * TICK)                  # the tick that ends the last gap
    first = first_showing(app.frames, t0, marks)
    paint = float("inf") if first is None else 1000 * (first - t0)
    return StepTiming(where, paint, 1000 * worst_gap(app.ticks, t0, t1), t1 - t0, 1000 * (c1 - c0))


def marks_of(lesson, i: int) -> list[str]:
    """Text that shows step i of the lesson on screen: its label, and its heading when that is new."""
    marks = [f"step {i + 1} of {len(lesson.steps)}  ·  {lesson.number:02d}"]
    heading = lesson.prose[lesson.steps[i].prose][0]
    if i == 0 or lesson.steps[i - 1].prose != lesson.steps[i].prose:
        marks.append(heading[:20])
    return marks


async def first_step(app: TimedApp, pilot, lesson_id: str) -> None:
    """Open a lesson at its first step."""
    app.open_lesson(lesson_id, 0)
    await asyncio.sleep(0)


async def walk(numbers: set[int] | None, size: tuple[int, int], screens: bool = True) -> list[StepTiming]:
    """Every step of the chosen lessons, in course order; then the other screens."""
    app = TimedApp()
    timings: list[StepTiming] = []
    async with app.run_test(size=size) as pilot:
        app.set_interval(TICK, app.tick)
        await pilot.pause()
        for lesson in app.lessons:
            if numbers and lesson.number not in numbers:
                continue
            for i in range(len(lesson.steps)):
                where = f"{lesson.number:02d}.{i + 1}"
                action = (partial(first_step, app, pilot, lesson.id) if i == 0 else
                          partial(app.screen.run_action, "next_step"))
                timings.append(report(await time_step(app, pilot, where, action, marks_of(lesson, i))))
        if screens:
            for where, action, marks in SCREENS:
                app.go_home()
                await settle(app, pilot)
                timings.append(report(await time_step(app, pilot, where, partial(action, app), marks)))
    return timings


async def _open(app: TimedApp, name: str) -> None:
    """Press the key of one of the app's screens (as a binding would)."""
    await app.run_action(name)


# the other screens: (label, how it is opened, text that only its frame shows)
SCREENS = [
    ("help", partial(_open, name="help"), ["Keys on this screen"]),
    ("classify", partial(_open, name="classify('Kowalski')"), ["classify a name"]),
    ("lab", partial(_open, name="lab"), ["training lab"]),
]


def report(timing: StepTiming) -> StepTiming:
    """Print one step's line."""
    print(f"  {timing.where:>8}  first paint {timing.paint_ms:7.1f} ms   longest stall "
          f"{timing.stall_ms:7.1f} ms   settled after {timing.settle_s:6.2f} s   "
          f"loop CPU {timing.loop_cpu_ms:6.0f} ms", flush=True)
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesson", type=int, action="append", help="only this lesson number (repeatable)")
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT (default 120x40)")
    parser.add_argument("--no-screens", action="store_true", help="only the lessons, not help, classify and lab")
    args = parser.parse_args()
    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 120x40, not {args.size!r}")
    print(f"opening every step at {width}x{height} (10 ms heartbeat timer; fresh caches)")
    timings = asyncio.run(walk(set(args.lesson) if args.lesson else None, (width, height), not args.no_screens))
    if not timings:
        print("no steps matched")
        return
    stall = max(timings, key=lambda t: t.stall_ms)
    paint = max(timings, key=lambda t: t.paint_ms)
    cpu = sum(t.loop_cpu_ms for t in timings)
    print(f"{len(timings)} steps and screens; the event loop's thread used {cpu:,.0f} ms "
          "of CPU opening them (the heartbeat and Pilot included)")
    print(f"longest event-loop stall: {stall.stall_ms:.0f} ms at step {stall.where} "
          f"(goal <= {STALL_GOAL_MS:.0f} ms: {'met' if stall.stall_ms <= STALL_GOAL_MS else 'NOT met'})")
    print(f"slowest first paint:      {paint.paint_ms:.0f} ms at step {paint.where} "
          f"(goal <= {PAINT_GOAL_MS:.0f} ms: {'met' if paint.paint_ms <= PAINT_GOAL_MS else 'NOT met'})")
    print("five worst steps (by the larger of stall/50 ms and paint/100 ms):")
    def badness(t: StepTiming) -> float:
        return max(t.stall_ms / STALL_GOAL_MS, t.paint_ms / PAINT_GOAL_MS)
    for t in sorted(timings, key=badness, reverse=True)[:5]:
        print(f"  {t.where:>8}  stall {t.stall_ms:7.1f} ms   first paint {t.paint_ms:7.1f} ms")


if __name__ == "__main__":
    main()
