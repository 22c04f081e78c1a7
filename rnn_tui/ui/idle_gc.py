"""IdleCollector: Python's full garbage collections moved to moments when the learner is idle.

Profiling the lessons showed the event loop stopped 150 to 320 ms at a time
by CPython's automatic collection of the oldest generation: it walks every
tracked object (about 120,000 once the app is up), and it starts whenever
enough young objects survive, which on a busy screen is in the middle of a
step.  The collector here

- freezes what exists once the first screen is up (modules, classes, the
  lessons: objects that live as long as the app), so later full collections
  skip them;
- turns off automatic collection of the oldest generation, and of the middle
  one too: a middle collection took 2 to 9 ms and, started by whatever code
  happened to allocate, landed inside a step's already long frames (the young
  generation, a fraction of a millisecond, still runs as usual);
- collects the middle generation itself, on its one-second tick, once as
  many young collections have run as would have started one: the same work,
  in a callback of its own between frames;
- runs a full collection itself once the learner pauses (no key or mouse
  button for IDLE_SECONDS after some input), and anyway every FORCE_SECONDS,
  so memory held in reference cycles is still given back.

`uninstall()` (called when the app ends) restores the interpreter's settings.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 1.5        # no input for this long: a full collection may run
FORCE_SECONDS = 300.0     # and at least this often, input or not (a safety net: pauses come far sooner)
NEVER = 1_000_000         # a threshold the oldest generation's counter does not reach


class IdleCollector:
    """Full collections when the learner is idle; install() once the first screen is up."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._saved: tuple[int, int, int] | None = None
        self.last_input = self.last_full = self._clock()
        self.collections = 0                  # full collections run here (for tests)
        self.middle_collections = 0           # middle-generation collections run here (for tests)

    @property
    def installed(self) -> bool:
        """install() was called and uninstall() was not."""
        return self._saved is not None

    def install(self) -> None:
        """Collect and freeze what exists now, and stop automatic full collections."""
        if self._saved is not None:
            return
        gc.collect()
        gc.freeze()
        self._saved = gc.get_threshold()
        young, _middle, _ = self._saved
        gc.set_threshold(young, NEVER, NEVER)
        self.last_full = self._clock()

    def uninstall(self) -> None:
        """Give the interpreter its own settings back (the frozen objects are collectable again)."""
        if self._saved is None:
            return
        gc.set_threshold(*self._saved)
        self._saved = None
        gc.unfreeze()

    def touched(self) -> None:
        """Called on every key press and mouse click: the learner is busy."""
        self.last_input = self._clock()

    def tick(self) -> bool:
        """Called now and then (every second): run a full collection if it is time; True if one ran.

        Once per pause: after input, when none came for IDLE_SECONDS; and at least every
        FORCE_SECONDS (a run training on screen makes garbage without a key being pressed).
        Otherwise the middle generation is collected when it is due (see the module's docstring).
        """
        if self._saved is None:
            return False
        now = self._clock()
        paused = self.last_input > self.last_full and now - self.last_input >= IDLE_SECONDS
        if not paused and now - self.last_full < FORCE_SECONDS:
            if gc.get_count()[1] >= self._saved[1]:
                gc.collect(1)
                self.middle_collections += 1
            return False
        gc.collect()
        self.last_full = self._clock()
        self.collections += 1
        return True
