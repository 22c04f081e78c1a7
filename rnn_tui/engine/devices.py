"""Torch devices by name, without importing torch until one is asked for.

The command line catches `DeviceUnavailable` for every command, and only
`train` with a torch backend ever needs torch itself; so the names and the
error live here, apart from torch_rnn.py, which imports torch at its top
(and picks a device: `torch_rnn.pick_device`).
"""

from __future__ import annotations

import importlib.util

DEVICES = ("auto", "cpu", "cuda", "mps")


class DeviceUnavailable(RuntimeError):
    """The requested torch device is not present on this machine."""


def torch_available() -> bool:
    """Whether PyTorch is installed (found without importing it)."""
    return importlib.util.find_spec("torch") is not None
