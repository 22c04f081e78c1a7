"""What every child process rnn-tui spawns needs: a resource tracker that can start, and a reaper.

Two kinds of child use these: the training process (rnn_tui.trainhost) and
the lesson steps' process (rnn_tui.steps.process).  Nothing here imports a
UI toolkit.
"""

from __future__ import annotations

import sys
from typing import Any


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    Spawning starts it on first use and hands it sys.stderr's file
    descriptor; inside a Textual app sys.stderr is a capture object without
    one, and the start fails ("bad value(s) in fds_to_keep").
    """
    if sys.platform == "win32":
        return
    from multiprocessing import resource_tracker

    err = sys.stderr
    try:
        if sys.__stderr__ is not None:
            sys.stderr = sys.__stderr__
        resource_tracker.ensure_running()
    finally:
        sys.stderr = err


def reap(process: Any, grace: float) -> None:
    """Wait `grace` seconds for a child asked to quit, then terminate it, then kill it; always joined."""
    process.join(grace)
    if process.is_alive():
        process.terminate()
        process.join(grace)
    if process.is_alive():
        process.kill()
        process.join()
