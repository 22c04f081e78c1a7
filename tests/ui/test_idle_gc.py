"""The idle collector: full garbage collections wait for a pause in the learner's input."""

import gc

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.idle_gc import FORCE_SECONDS, IDLE_SECONDS, IdleCollector

from .test_app import SIZE


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_full_collections_wait_for_a_pause_then_run_once():
    """No full collection while keys come; one when they stop; none more until new input or the forced one."""
    clock = Clock()
    collector = IdleCollector(clock)
    before = gc.get_threshold()
    collector.install()
    try:
        assert gc.get_threshold()[2] > 1000 and gc.get_freeze_count() > 0
        for _ in range(5):                           # typing: a key every half second
            clock.now += 0.5
            collector.touched()
            assert not collector.tick()
        clock.now += IDLE_SECONDS
        full = gc.get_stats()[2]["collections"]
        assert collector.tick() and gc.get_stats()[2]["collections"] == full + 1
        clock.now += IDLE_SECONDS
        assert not collector.tick()                  # still idle: nothing new to collect
        clock.now += FORCE_SECONDS
        assert collector.tick()                      # but at least every FORCE_SECONDS
        assert collector.collections == 2
    finally:
        collector.uninstall()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_middle_generation_waits_for_the_tick():
    """Young collections never start a middle one; the tick runs it once enough young ones have run."""
    clock = Clock()
    collector = IdleCollector(clock)
    young, middle, _ = gc.get_threshold()
    collector.install()
    try:
        assert gc.get_threshold()[0] == young and gc.get_threshold()[1] > 1000
        gc.collect(1)                                # start from an empty middle count
        assert not collector.tick() and collector.middle_collections == 0   # nothing due yet
        stats = gc.get_stats()[1]["collections"]
        keep = []
        while gc.get_count()[1] < middle:            # make garbage-collected objects until enough young
            keep.append([[] for _ in range(young)])  # collections have run to make a middle one due
            if len(keep) > 10_000:
                raise AssertionError("young collections did not run")
        assert gc.get_stats()[1]["collections"] == stats       # none started by itself
        assert not collector.tick()                  # not a full collection...
        assert collector.middle_collections == 1     # ...but the middle one, now due
        assert gc.get_count()[1] == 0
    finally:
        collector.uninstall()
    assert gc.get_threshold() == (young, middle, gc.get_threshold()[2])


async def test_the_app_installs_it_and_keys_count_as_input():
    """After the first paint the app collects in pauses; a key press is input; the app's end restores gc."""
    before = gc.get_threshold()
    app = RnnTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)
        assert app.collector.installed and gc.get_threshold()[2] > 1000
        seen = app.collector.last_input
        await pilot.press("down")
        assert app.collector.last_input > seen
    assert not app.collector.installed and gc.get_threshold() == before
