"""Command-line option types that check their range, so argparse refuses a bad value in one line.

Each factory returns a callable for argparse's `type=`: it turns the text
into a value or raises ArgumentTypeError, which argparse prints as
`argument --name: <why>` with exit status 2.  The bounds are module
constants so that `--help` can state them and the tests can probe them.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable

from . import safe

# upper bounds: far beyond what this tutor needs, well below what exhausts memory
MAX_HIDDEN = 1024          # W is hidden x hidden; 100,000 would need 74.5 GiB
MAX_BATCH = 4096
MAX_EPOCHS = 100_000
MAX_PATIENCE = 100_000
MAX_SEED = 2**32 - 1       # what NumPy and torch both accept
MAX_TOP = 1000
MAX_LR = 100.0
MAX_CLIP = 1e6
DEVICES = ("auto", "cpu", "cuda", "mps")
_DEVICE = re.compile(r"(auto|cpu|mps|cuda(:\d{1,3})?)")


def _shown(text: str) -> str:
    return repr(safe.one_line(text)[:40])


def integer(low: int, high: int) -> Callable[[str], int]:
    """A whole number in [low, high]."""
    def parse(text: str) -> int:
        try:
            value = int(text.strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {_shown(text)}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:,} and {high:,}, not {value:,}"
                                             if value.bit_length() < 64 else
                                             f"must be between {low:,} and {high:,}")
        return value

    parse.__name__ = "integer"                      # argparse names the type in some messages
    return parse


def real(low: float, high: float, *, low_open: bool = True, high_open: bool = False) -> Callable[[str], float]:
    """A finite number between low and high (each end open or closed)."""
    def parse(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, not {_shown(text)}") from None
        above = value > low if low_open else value >= low
        below = value < high if high_open else value <= high
        if not (math.isfinite(value) and above and below):
            lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
            raise argparse.ArgumentTypeError(f"must be a finite number in {lo}{low:g}, {high:g}{hi}, "
                                             f"not {_shown(text)}")
        return value

    parse.__name__ = "number"
    return parse


def clip(text: str) -> float | None:
    """A maximum gradient norm: a positive finite number, or 'none' to turn clipping off."""
    if text.strip().lower() in ("none", "off"):
        return None
    try:
        return real(0.0, MAX_CLIP)(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"must be a positive finite number up to {MAX_CLIP:g}, or 'none' "
                                         f"for no clipping; not {_shown(text)}") from None


def device(text: str) -> str:
    """A torch device name: auto, cpu, cuda, cuda:N or mps."""
    if not _DEVICE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"must be one of auto, cpu, cuda, cuda:N, mps; not {_shown(text)}")
    return text.strip()


def nonempty(text: str) -> str:
    """Any text but an empty (or blank) one; for data sources and paths."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text
