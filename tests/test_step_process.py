"""The step process: lesson steps computed in a child, cancelled there, and survived when it dies;
and the hand-written training loops of lessons 9, 11 and 14 stop at checkpoints.
"""

import os
import signal
import threading
import time

import pytest
from processes import gone

from rnn_tui import steps
from rnn_tui.steps import lesson09, lesson11, lesson14
from rnn_tui.steps.common import StepCancelled, StepInputError, cancellable
from rnn_tui.steps.process import StepFailed, StepServer


@pytest.fixture
def server():
    """A step process of the test's own (so no other test's cache answers for it)."""
    s = StepServer()
    yield s
    pid = s.pid
    s.close()
    assert pid is None or gone(pid)


def test_the_child_computes_what_the_step_computes_here(server):
    """Results come back whole, typed results included, equal to computing the step in this process."""
    args = {"word": "hat", "compare": "cat"}
    assert server.compute("running_sum", args) == steps.run("running_sum", args)
    assert server.outcomes["running_sum", "done"] == 1 and server.in_flight == 0


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no process priorities here")
def test_the_child_runs_below_the_app_from_its_start_and_the_app_does_not(server):
    """The child is at NICENESS as soon as it exists (before its imports), and the app's own thread is
    where it was (on Linux the child is forked from a thread that lowered only itself)."""
    from rnn_tui.steps.process import NICENESS

    before = os.nice(0)
    server.start()
    assert server.pid is not None
    assert os.getpriority(os.PRIO_PROCESS, server.pid) == max(before, NICENESS)
    assert os.nice(0) == before
    assert server.compute("running_sum", {"word": "hat", "compare": "cat"})     # and it still works
    assert os.getpriority(os.PRIO_PROCESS, server.pid) == max(before, NICENESS)  # not lowered twice


def test_input_errors_and_failures_keep_their_kind(server):
    """StepInputError's one line comes back as StepInputError; anything else as StepFailed, with its type."""
    with pytest.raises(StepInputError) as bad:
        steps.run("running_sum", {"word": "dog"})
    with pytest.raises(StepInputError) as e:
        server.compute("running_sum", {"word": "dog"})
    assert str(e.value) == str(bad.value)
    with pytest.raises(StepFailed, match="TypeError"):
        server.compute("running_sum", {"no_such_argument": 1})
    with pytest.raises(StepFailed, match="no step function named 'nothing'"):
        server.compute("nothing", {})


def test_leaving_stops_the_job_in_the_child(server):
    """A caller that goes raises StepCancelled at once; the child's job stops at its next checkpoint."""
    leave = threading.Event()
    threading.Timer(1.0, leave.set).start()
    with pytest.raises(StepCancelled):
        server.compute("updates_per_epoch", {"names": 10688, "batch_size": 1}, leave.is_set)   # minutes to the end
    end = time.monotonic() + 30
    while server.in_flight and time.monotonic() < end:
        time.sleep(0.05)
    assert server.outcomes["updates_per_epoch", "cancelled"] == 1
    assert server.outcomes["updates_per_epoch", "done"] == 0


def test_a_killed_child_fails_its_job_in_one_line_and_the_next_job_starts_another(server):
    """The caller waiting on a killed child gets StepFailed, not a hang; the next compute works."""
    server.start()
    pid = server.pid
    assert pid is not None
    threading.Timer(1.0, os.kill, (pid, signal.SIGKILL)).start()
    with pytest.raises(StepFailed, match="ended before answering"):
        server.compute("updates_per_epoch", {"names": 10688, "batch_size": 1})
    assert gone(pid) and server.outcomes["updates_per_epoch", "died"] == 1
    assert server.compute("running_sum", {"word": "cat"})["total"] == steps.run("running_sum", {"word": "cat"})["total"]
    assert server.pid != pid


class CancelAt:
    """An is_cancelled that says yes from its n-th question on, and counts the questions."""

    def __init__(self, n: int) -> None:
        self.n, self.asked = n, 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked >= self.n


@pytest.mark.parametrize("run", [
    lambda: lesson11.initialised_once(epochs=40, seed=7),
    lambda: lesson11.updates_per_epoch(names=2000, batch_size=8, word="kowalski"),
    lambda: lesson09.beside_the_notebooks(names=211, repeats=2),
    lambda: lesson14.cells_compare(["ours", "gru"], names=211, repeats=2, hidden=16),
], ids=["11 initialised_once", "11 updates_per_epoch", "09 beside_the_notebooks", "14 cells_compare"])
def test_hand_written_training_loops_stop_at_a_checkpoint(run):
    """Each of these loops asks again and again while it trains, and stops (StepCancelled) when told.

    The third question says stop: a loop that only asked at its end would finish instead.
    """
    stop = CancelAt(3)
    with cancellable(stop), pytest.raises(StepCancelled):
        run()
    assert stop.asked == 3
