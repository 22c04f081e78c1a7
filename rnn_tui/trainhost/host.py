"""The app's side of the training process: start it, command it, read its newest state, end it.

    host = TrainHost(preset)          # nothing runs yet
    host.start()                      # spawns the child (about 10 ms here; it loads for ~0.5 s more)
    host.resume(); host.pause(); host.step(); host.set_speed("30 batches/s"); host.load(other_preset)
    for message in host.poll():       # never blocks: events in order, then the newest frame
        ...
    host.close()                      # ends the child; also done at exit for any host left open

The child is a "spawn" process (so it behaves the same on Linux, macOS and
Windows), daemonic, and watches its command pipe: if this process dies, the
child exits too.  No textual or rich here.
"""

from __future__ import annotations

import atexit
import multiprocessing
import signal
import threading
import time
import weakref
from collections.abc import Mapping
from typing import Any

from ..children import ensure_resource_tracker, reap
from . import messages as m
from .preset import SPEED_NAMES, check

_OPEN: weakref.WeakSet[TrainHost] = weakref.WeakSet()
_OPEN_LOCK = threading.Lock()


class TrainHost:
    """One training process and the two pipes to it (commands in, messages out)."""

    def __init__(self, preset: Mapping[str, Any]) -> None:
        check(preset)                               # a bad preset fails here, in one line
        self.preset = dict(preset)
        self._process: Any = None
        self._frames: Any = None                    # child -> parent
        self._commands: Any = None                  # parent -> child
        self._closed = False                        # a host is used once: close() is final
        self.sent = 0                               # commands sent so far (see messages.Paused)
        self.loads = 0                              # load() calls so far: the run a Ready must answer
        self._lock = threading.Lock()               # start() may run in a worker thread

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Spawn the training process with the preset; it loads, then reports Ready (paused).

        Safe to call from a worker thread; a start after close() does nothing.
        """
        from . import child

        with self._lock:
            if self._closed or self._process is not None:
                return
            ctx = multiprocessing.get_context("spawn")
            ensure_resource_tracker()
            frames_in, frames_out = ctx.Pipe(duplex=False)
            commands_in, commands_out = ctx.Pipe(duplex=False)
            process = ctx.Process(target=child.main, args=(self.preset, frames_out, commands_in),
                                  name="rnn-tui-training", daemon=True)
            process.start()
            frames_out.close()                      # our copies: the child's death must close the pipe
            commands_in.close()
            self._frames, self._commands = frames_in, commands_out
            self._process = process
            with _OPEN_LOCK:
                _OPEN.add(self)

    @property
    def started(self) -> bool:
        """start() was called and close() was not."""
        return self._process is not None

    @property
    def closed(self) -> bool:
        """close() was called (or the process died): make a new host to train again."""
        return self._closed

    @property
    def alive(self) -> bool:
        """The training process is running."""
        return self._process is not None and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        """The training process's id (None before start)."""
        return None if self._process is None else self._process.pid

    def close(self, grace: float = 0.5, wait: bool = True) -> None:
        """End the training process for good: ask, then terminate, then kill; always reaped.

        wait=False returns at once and reaps in a thread (for the app's event loop).
        """
        with self._lock:
            self._closed = True
            process, self._process = self._process, None
        if process is None:
            return
        self._send(("quit",), process)
        for conn in (self._commands, self._frames):
            try:
                conn.close()
            except OSError:
                pass
        if wait:
            self._reap(process, grace)
        else:
            threading.Thread(target=self._reap, args=(process, grace), name="reap training", daemon=True).start()

    def _reap(self, process: Any, grace: float) -> None:
        reap(process, grace)
        with _OPEN_LOCK:
            _OPEN.discard(self)

    # ------------------------------------------------------------ commands

    def _send(self, command: tuple, process: Any = None) -> None:
        if (process or self._process) is None or self._commands is None:
            return
        try:
            self._commands.send(command)
            self.sent += 1
        except (OSError, EOFError, ValueError):
            pass                                    # a dead child is noticed by poll()

    def resume(self) -> None:
        """Train freely at the chosen speed."""
        self._send(("resume",))

    def pause(self) -> None:
        """Stop after the batch under way."""
        self._send(("pause",))

    def step(self) -> None:
        """Train exactly one batch, then stay paused."""
        self._send(("step",))

    def set_speed(self, name: str) -> None:
        """One of SPEED_NAMES: full, a batch rate, or one word at a time (slow motion)."""
        if name not in SPEED_NAMES:
            raise ValueError(f"speed must be one of {', '.join(SPEED_NAMES)}, not {name!r}")
        self._send(("speed", name))

    def set_fps(self, fps: float) -> None:
        """Frames a second the app wants at most."""
        self._send(("fps", float(fps)))

    def load(self, preset: Mapping[str, Any]) -> None:
        """Replace the run with a fresh one from a preset (checked here first)."""
        check(preset)
        self.preset = dict(preset)
        self.loads += 1
        self._send(("load", self.preset, self.loads))

    def save(self, path: str) -> None:
        """Ask for the best model so far to be written to path; a Saved message answers."""
        self._send(("save", str(path)))

    # ------------------------------------------------------------ messages

    def poll(self, budget: float = 0.010) -> list[Any]:
        """Everything that has arrived, without waiting: the events and the newest frames, in order.

        Reading stops after `budget` seconds (the rest waits for the next
        poll).  When the process has gone, the last message is a Died (or the
        child's own Failed) and the host is closed.
        """
        if self._frames is None or self._process is None:
            return []
        got: list[Any] = []
        end = time.perf_counter() + budget
        try:
            while time.perf_counter() < end and self._frames.poll(0):
                got.append(self._frames.recv())
        except (EOFError, OSError):
            got.append(self._death())
        else:
            if not self._process.is_alive() and not self._frames.poll(0):
                got.append(self._death())
        return newest_frame_only(got)

    def _death(self) -> m.Died:
        process = self._process
        if process is not None:
            process.join(0.5)
        code = None if process is None else process.exitcode
        if code is not None and code < 0:
            try:
                why = f"was killed ({signal.Signals(-code).name})"
            except ValueError:
                why = f"was killed (signal {-code})"
        elif code:
            why = f"exited with code {code}"
        else:
            why = "ended"
        self.close()
        return m.Died(f"the training process {why}; r starts a new one")


def newest_frame_only(messages: list[Any]) -> list[Any]:
    """Every event, and of each kind of frame only the last, all in the order they came."""
    last = {kind: max((i for i, x in enumerate(messages) if isinstance(x, kind)), default=-1) for kind in m.FRAMES}
    keep = set(last.values())
    return [x for i, x in enumerate(messages) if i in keep or not isinstance(x, m.FRAMES)]


@atexit.register
def close_all() -> None:
    """Leave no training process behind when the app exits, however it exits."""
    with _OPEN_LOCK:
        hosts = list(_OPEN)
    for host in hosts:
        host.close(grace=0.2)
