"""How often a training run reports: a cadence any thread (or process) may change.

`Trainer.run()` yields a snapshot at the end of every epoch, and between those
whenever its cadence says so: every k batches, or whenever a given amount of
training time has passed since the last snapshot.  Whoever draws the
snapshots decides the cadence and may change it while the run goes on (a
stepped run wants every batch, a free run a few frames a second), so the
trainer reads it afresh before each batch from a `Cadence` object instead of
keeping its own copy.

A plain `Cadence()` is guarded by a thread lock.  `Cadence(context=ctx)`
keeps its two numbers in shared memory from a multiprocessing context
instead: hand it to a child process (as an argument of `ctx.Process`) and
the parent's `set()` is what the child's trainer reads next.
"""

from __future__ import annotations

import enum
import math
import threading
from typing import Any, Final


class _Keep(enum.Enum):
    KEEP = "keep"


KEEP: Final = _Keep.KEEP
"""Default of `Cadence.set`: leave this part of the cadence as it is."""


def _checked(every: int | None, every_seconds: float | None) -> None:
    if every is not None and (isinstance(every, bool) or int(every) != every or every < 0):
        raise ValueError(f"every must be a whole number of batches, 0 or more, not {every!r}")
    if every_seconds is not None and not (math.isfinite(every_seconds) and every_seconds >= 0):
        raise ValueError(f"every_seconds must be a number of seconds, 0 or more, not {every_seconds!r}")


class Cadence:
    """Snapshot cadence: every `every` batches (0: off) and/or every `every_seconds` (None: off).

    Safe to `set()` from any thread while another reads it with `get()`;
    with a multiprocessing `context`, also from another process.
    """

    _NO_SECONDS = -1.0          # how "None" is stored in the shared array

    def __init__(self, every: int = 0, every_seconds: float | None = None, *,
                 context: Any = None) -> None:
        _checked(every, every_seconds)
        self._shared: Any = None
        if context is not None:
            # an Array of two doubles behind the context's own lock; it pickles into a spawn child
            self._shared = context.Array("d", [float(every), self._encode(every_seconds)])
        else:
            self._lock = threading.Lock()
            self._every, self._seconds = int(every), every_seconds

    @classmethod
    def _encode(cls, seconds: float | None) -> float:
        return cls._NO_SECONDS if seconds is None else float(seconds)

    def set(self, *, every: int | None = None,
            every_seconds: float | None | _Keep = KEEP) -> None:
        """Change the cadence from any thread; a part left out stays as it is.

        `every=0` turns the batch count off and `every_seconds=None` the
        clock, so `set(every=1, every_seconds=None)` asks for every batch and
        nothing else.
        """
        seconds = None if every_seconds is KEEP else every_seconds
        _checked(every, seconds)
        keep_seconds = every_seconds is KEEP
        if self._shared is not None:
            with self._shared.get_lock():
                if every is not None:
                    self._shared[0] = float(every)
                if not keep_seconds:
                    self._shared[1] = self._encode(seconds)
            return
        with self._lock:
            if every is not None:
                self._every = int(every)
            if not keep_seconds:
                self._seconds = seconds

    def get(self) -> tuple[int, float | None]:
        """(every, every_seconds) as one consistent pair."""
        if self._shared is not None:
            with self._shared.get_lock():
                every, seconds = self._shared[0], self._shared[1]
            return int(every), (None if seconds == self._NO_SECONDS else seconds)
        with self._lock:
            return self._every, self._seconds

    def __getstate__(self) -> dict[str, Any]:
        if self._shared is None:                 # a thread-local copy: the lock itself cannot travel
            return {"every": self._every, "seconds": self._seconds}
        return {"shared": self._shared}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._shared = state.get("shared")
        if self._shared is None:
            self._lock = threading.Lock()
            self._every, self._seconds = state["every"], state["seconds"]

    def __repr__(self) -> str:
        every, seconds = self.get()
        return f"Cadence(every={every}, every_seconds={seconds})"
