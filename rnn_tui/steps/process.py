"""Lesson steps computed in a child process, so that their NumPy (and torch) work never holds
the GIL that the app's event loop needs.

    server = shared()                                    # one per process, started on first use
    result = server.compute("running_sum", {"word": "cat"}, is_cancelled=lambda: gone)

`compute` blocks the calling thread (a UI worker thread: waiting on a pipe
releases the GIL) until the child answers.  The child runs every job in a
thread of its own under `common.cancellable`, so several jobs run at once
(the learner's step and the lesson's warm-up), `remembered` steps are still
computed once per set of arguments, and a job whose caller has gone stops at
its next `checkpoint()`.  StepInputError comes back as StepInputError; any
other failure as StepFailed with the original type and message; a child that
dies fails its jobs with StepFailed and the next job starts a new child.

The child is a "spawn" process (the same on Linux, macOS and Windows),
daemonic, and exits when its request pipe closes, so it never outlives the
app.  Nothing here imports a UI toolkit.
"""

from __future__ import annotations

import atexit
import multiprocessing
import sys
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..children import ensure_resource_tracker, reap
from .common import StepCancelled, StepInputError

POLL = 0.05          # seconds between two looks at the caller's cancellation while waiting
NICENESS = 10        # the child's CPU priority below the app's (see _behind_the_ui)


class StepFailed(Exception):
    """A step raised something other than StepInputError in the child (or the child died)."""


@dataclass
class _Job:
    """One request waiting for its answer."""

    call: str
    done: threading.Event = field(default_factory=threading.Event)
    reply: tuple[str, Any] = ("died", "the step process ended before answering")
    cancel_sent: bool = False


class StepServer:
    """One child process that computes steps; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: Any = None
        self._requests: Any = None                 # parent -> child
        self._jobs: dict[int, _Job] = {}
        self._next = 0
        self.outcomes: Counter[tuple[str, str]] = Counter()
        """(call, how it ended) -> jobs: done, cancelled, input, error or died (for tests and benchmarks)."""

    @property
    def pid(self) -> int | None:
        """The child's process id, None before it starts."""
        return None if self._process is None else self._process.pid

    @property
    def in_flight(self) -> int:
        """Jobs sent and not answered yet."""
        with self._lock:
            return len(self._jobs)

    def start(self) -> None:
        """Spawn the child unless it runs; it imports the steps in the background (about a second)."""
        with self._lock:
            self._start_locked()

    def _start_locked(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        ctx = multiprocessing.get_context("spawn")
        ensure_resource_tracker()
        requests_in, requests_out = ctx.Pipe(duplex=False)
        replies_in, replies_out = ctx.Pipe(duplex=False)
        process = ctx.Process(target=serve, args=(requests_in, replies_out), name="rnn-tui-steps", daemon=True)
        start_behind_the_ui(process)
        requests_in.close()                        # our copies: the child's death must close the pipes
        replies_out.close()
        self._process, self._requests = process, requests_out
        threading.Thread(target=self._read, args=(replies_in, process), name="step replies", daemon=True).start()

    def _read(self, replies: Any, process: Any) -> None:
        """Runs in a thread: hand each answer to the job waiting for it; fail them all if the child dies."""
        while True:
            try:
                job_id, kind, payload = replies.recv()
            except (EOFError, OSError):
                break
            with self._lock:                       # counted as the job leaves in_flight, never after
                job = self._jobs.pop(job_id, None)
                if job is not None:
                    self.outcomes[job.call, kind] += 1
            if job is not None:
                job.reply = (kind, payload)
                job.done.set()
        replies.close()
        process.join(1.0)                          # reap it (it has closed its end, so it is ending)
        with self._lock:
            if self._process is process:
                self._process = self._requests = None
            orphans = list(self._jobs.values())
            self._jobs.clear()
            for job in orphans:
                self.outcomes[job.call, "died"] += 1
        for job in orphans:
            job.done.set()

    def _send(self, message: tuple) -> bool:
        with self._lock:
            if self._requests is None:
                return False
            try:
                self._requests.send(message)
            except (OSError, ValueError):
                return False
            return True

    def compute(self, call: str, args: Mapping[str, Any],
                is_cancelled: Callable[[], bool] = lambda: False) -> dict[str, Any]:
        """Run a registered step in the child and return its result (blocks this thread).

        Raises StepCancelled once is_cancelled() is true (the child is told to stop the job),
        StepInputError for input the step cannot use, StepFailed for anything else.
        """
        job = _Job(call)
        with self._lock:
            self._start_locked()
            self._next += 1
            job_id = self._next
            self._jobs[job_id] = job
            try:
                self._requests.send(("run", job_id, call, dict(args)))
            except (OSError, ValueError) as e:
                self._jobs.pop(job_id, None)
                raise StepFailed(f"the step process cannot be reached: {e}") from None
        while not job.done.wait(POLL):
            if not job.cancel_sent and is_cancelled():
                job.cancel_sent = True
                self._send(("cancel", job_id))
                raise StepCancelled()
        kind, payload = job.reply
        if kind == "done":
            return payload
        if kind == "cancelled":
            raise StepCancelled()
        if kind == "input":
            raise StepInputError(payload)
        raise StepFailed(payload)

    def close(self, grace: float = 0.5) -> None:
        """End the child (ask, then terminate, then kill) and fail the jobs still waiting."""
        with self._lock:
            process, requests = self._process, self._requests
            self._process = self._requests = None
        if process is None:
            return
        try:
            requests.send(("quit",))
            requests.close()
        except (OSError, ValueError):
            pass
        reap(process, grace)


_SHARED: StepServer | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> StepServer:
    """This process's step server (made on first use, closed at exit)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = StepServer()
        return _SHARED


@atexit.register
def _close_shared() -> None:
    if _SHARED is not None:
        _SHARED.close(grace=0.2)


# ---------------------------------------------------------------- the child


def _off_the_terminal() -> None:
    """Point the child's stdout and stderr at the null device: the app draws on the terminal they share.

    Problems travel back as replies; a warning printed by NumPy or torch would scribble on the screen.
    """
    import os
    import warnings

    warnings.simplefilter("ignore")
    null = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(null, fd)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (open as long as the process)


def start_behind_the_ui(process: Any) -> None:
    """Start a child process that runs below the app's CPU priority from its first instruction (Linux).

    The child lowers its own priority in serve(), but only once it has started: a spawned Python
    first imports the app's main module and then the steps with NumPy, about half a second to a
    second of a core, and that start-up coincided with the first lesson a learner opens (on two
    cores beside a CPU-bound process, that lesson's first frame came after 128 ms).  On Linux a
    thread has a priority of its own and a child takes the priority of the thread that forks it, so
    the child is started from a short-lived thread that lowers its own; elsewhere os.nice would lower
    the whole app, so the child only lowers itself, as before.
    """
    if not sys.platform.startswith("linux"):
        process.start()
        return
    failed: list[BaseException] = []

    def start() -> None:
        _behind_the_ui()                           # this thread only, then its child
        try:
            process.start()
        except BaseException as error:  # handed to the caller's thread below
            failed.append(error)

    thread = threading.Thread(target=start, name="start a child behind the app", daemon=True)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def _behind_the_ui() -> None:
    """Lower this process's (on Linux: this thread's) CPU priority to NICENESS, so that on a busy
    machine the app's event loop runs first.

    The child computes what the screen waits for, but a placeholder is already on screen then; the
    event loop, once its core is taken, stalls every key and frame.  A child started by
    start_behind_the_ui is there already.  (os.nice is POSIX only.)
    """
    import os

    if hasattr(os, "nice"):
        try:
            current = os.nice(0)
            if current < NICENESS:
                os.nice(NICENESS - current)
        except OSError:
            pass


def serve(requests: Any, replies: Any) -> None:
    """The child's main loop: run each job in a thread; exit when the app closes the pipe or says quit."""
    _off_the_terminal()
    _behind_the_ui()
    from . import STEPS, run

    send_lock = threading.Lock()
    cancelled: set[int] = set()

    def reply(job_id: int, kind: str, payload: Any) -> None:
        with send_lock:
            try:
                replies.send((job_id, kind, payload))
            except (OSError, ValueError):
                pass                               # the app has gone
            except Exception as e:  # a result that cannot be pickled is reported, not lost silently
                try:
                    replies.send((job_id, "error", f"its result could not be sent: {type(e).__name__}: {e}"))
                except (OSError, ValueError):
                    pass

    def job(job_id: int, call: str, args: dict[str, Any]) -> None:
        from .common import cancellable

        try:
            if call not in STEPS:
                raise KeyError(f"no step function named {call!r}")
            with cancellable(lambda: job_id in cancelled):
                result = run(call, args)
        except StepCancelled:
            reply(job_id, "cancelled", None)
        except StepInputError as e:
            reply(job_id, "input", str(e))
        except Exception as e:  # reported in one line by the lesson screen
            reply(job_id, "error", f"{type(e).__name__}: {e}")
        else:
            reply(job_id, "done", result)
        finally:
            cancelled.discard(job_id)

    while True:
        try:
            message = requests.recv()
        except (EOFError, OSError):
            break
        if message[0] == "run":
            threading.Thread(target=job, args=message[1:], name=f"step {message[2]}", daemon=True).start()
        elif message[0] == "cancel":
            cancelled.add(message[1])
        elif message[0] == "quit":
            break
