"""Keystroke to updated prediction on the classify screen, against the engine alone.

    python bench/classify_speed.py

Types family names one key at a time into the classify screen (a headless
app at 120x40) and times each key from the key event to the moment the
screen has been repainted with the new reading: the clock stops when
Textual's compositor finishes writing the first frame after the key's
handler ran (its update timer paints at most 60 frames a second).  The peer, measured
in the same run, is the engine by itself: model.read() of the same prefix
(fold, encode, forward pass over every character).  Goal (issue 6): the
prediction updated within 20 ms of the key; the time to the painted frame is
printed too, since Textual paints on a timer of its own.
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
from textual.screen import Screen  # noqa: E402
from textual.widgets import Input  # noqa: E402

from rnn_tui.model import load  # noqa: E402
from rnn_tui.resources import pretrained_model  # noqa: E402
from rnn_tui.ui.app import RnnTuiApp  # noqa: E402
from rnn_tui.ui.screens.classify import ClassifyScreen  # noqa: E402

NAMES = ["Papadopoulos", "Kowalski", "O'Brien", "Abashidze", "Nakamura", "Schmidt", "Rossi",
         "Vasquez-Montenegro"]


PAINTS: list[float] = []
_refresh = Screen._compositor_refresh


def _timed_refresh(self) -> None:
    _refresh(self)
    PAINTS.append(time.perf_counter())


Screen._compositor_refresh = _timed_refresh  # type: ignore[method-assign]  # record when each frame has been written


async def screen_times() -> tuple[list[float], list[float]]:
    """Per key: seconds to the updated prediction (handler done), and to the end of the next repaint."""
    app = RnnTuiApp()
    times, ready = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassifyScreen)
        box = screen.query_one("#cls-name", Input)
        for name in NAMES:
            box.value = ""
            await pilot.pause()
            for i, ch in enumerate(name):
                want = name[: i + 1].lower()
                t0 = time.perf_counter()
                app.post_message(events.Key(ch, ch))
                while screen.reading is None or screen.reading.folded != want:
                    await asyncio.sleep(0)
                handled = time.perf_counter()
                ready.append(handled - t0)
                while not PAINTS or PAINTS[-1] < handled:
                    await asyncio.sleep(0.0005)
                times.append(PAINTS[-1] - t0)
                await asyncio.sleep(0.03)             # a typing pace: one key every few tens of ms
    return ready, times


def engine_times(repeat: int = 20) -> list[float]:
    """Seconds for model.read() of each prefix."""
    model = load(pretrained_model())
    out = []
    for name in NAMES:
        for i in range(1, len(name) + 1):
            t0 = time.perf_counter()
            for _ in range(repeat):
                model.read(name[:i])
            out.append((time.perf_counter() - t0) / repeat)
    return out


def pct(xs: list[float], q: float) -> float:
    return sorted(xs)[int(q * (len(xs) - 1))]


def main() -> None:
    ready, painted = asyncio.run(screen_times())
    engine = engine_times()
    eng = statistics.median(engine)
    print(f"{len(ready)} keystrokes over {len(NAMES)} names")
    for label, xs in (("key -> prediction updated in every panel", ready),
                      ("key -> frame painted (Textual repaints at <= 60/s)", painted)):
        print(f"  {label:52} median {1000 * statistics.median(xs):6.2f} ms, 95th pct "
              f"{1000 * pct(xs, 0.95):6.2f} ms, worst {1000 * max(xs):6.2f} ms")
    print(f"  {'engine alone (model.read)':52} median {1000 * eng:6.3f} ms")
    print(f"prediction updated / engine = {statistics.median(ready) / eng:.0f}x; goal: prediction updated "
          f"within 20 ms -> {'met' if pct(ready, 0.95) < 0.020 else 'NOT met'} (95th percentile)")


if __name__ == "__main__":
    main()
