"""SecondPress: a key that throws work away acts only when it is pressed again soon after.

The first press only says what a second would do (R on a lesson, escape from a lab run that has
trained); a slip of the finger then costs nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class SecondPress:
    """confirmed() is True for a press within `seconds` of the one before it (which it consumes)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._first = -math.inf          # when the press that asked came

    def confirmed(self) -> bool:
        """Whether this press confirms the last; if not, it is the first of a pair and asks."""
        now = self._clock()
        if now - self._first <= self.seconds:
            self._first = -math.inf
            return True
        self._first = now
        return False
