"""Torch devices by name, without importing torch until one is asked for.

The command line catches `DeviceUnavailable` for every command, and only
`train` with a torch backend ever needs torch itself; so the names and the
error live here, apart from torch_rnn.py, which imports torch at its top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

DEVICES = ("auto", "cpu", "cuda", "mps")


class DeviceUnavailable(RuntimeError):
    """The requested torch device is not present on this machine."""


def torch_available() -> bool:
    """Whether PyTorch can be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def pick_device(name: str = "auto") -> torch.device:
    """A torch.device by name; "auto" takes CUDA, then MPS, then the CPU."""
    import torch

    if name not in DEVICES and not name.startswith("cuda:"):
        raise DeviceUnavailable(f"unknown device {name!r}: choose one of {', '.join(DEVICES)}")
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if has_mps else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise DeviceUnavailable("no CUDA device is visible to torch here: use --device cpu (or auto)")
    if name == "mps" and not has_mps:
        raise DeviceUnavailable("no Apple MPS device is available here: use --device cpu (or auto)")
    return torch.device(name)
