"""Training in a process of its own, streamed to the app: `TrainHost` (parent side) and its messages.

The package imports no textual or rich; `child` is the process's side and
imports the engine only inside the spawned process (and in the parent when
it starts one).
"""

from .host import TrainHost
from .preset import SPEED_NAMES, check

__all__ = ["SPEED_NAMES", "TrainHost", "check"]
