"""Helpers for tests that start real processes."""

from __future__ import annotations

import os


def gone(pid: int) -> bool:
    """No process with this id is running (a zombie counts as gone: it no longer runs)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open(f"/proc/{pid}/status") as f:
            return any(line.startswith("State:") and "Z" in line for line in f)
    except OSError:
        return True
