"""Box: a text box that says why it turned text away.

Textual's Input rings the terminal bell and changes nothing when an edit
would break its rules: a paste longer than the room left, a letter in a
number box.  With the bell off (most terminals here) that is silent, and a
thousand pasted characters just vanish.  A Box takes what fits of a paste
that is too long and says how much it left out, and when it refuses text it
says what the box takes, in a short notice.  The same notice is not repeated
while it is still on screen, so holding a key down does not stack them.
"""

from __future__ import annotations

import time

from textual.widgets import Input

REPEAT_AFTER = 3.0      # seconds before the same notice may be shown again
NOTICE_SECONDS = 4


class Box(Input):
    """An Input that explains what it refused (see the module's docstring)."""

    def __init__(self, *args: object, label: str = "this box", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.label = label
        self._said: tuple[str, float] = ("", 0.0)

    def replace(self, text: str, start: int, end: int) -> None:
        """Replace value[start:end] with text, cutting text to the room the box has left."""
        if self.max_length:
            lo, hi = sorted((max(0, start), min(len(self.value), end)))
            room = max(0, self.max_length - (len(self.value) - (hi - lo)))
            if len(text) > room:
                if len(text) > 1:
                    self.say(f"{self._label()} holds {self.max_length} characters: "
                             f"{len(text) - room} of the {len(text)} pasted were left out.")
                else:
                    self.say(f"{self._label()} holds {self.max_length} characters.")
                text = text[:room]
                if not text:
                    return
        super().replace(text, start, end)

    def restricted(self) -> None:
        """Say what the box takes (Input only rings the bell)."""
        kind = {"integer": "a whole number (digits only)", "number": "a number, such as 0.002"}.get(self.type)
        self.say(f"{self._label()} takes {kind}." if kind else
                 f"{self._label()} cannot take that text.")

    def _label(self) -> str:
        return self.label[:1].upper() + self.label[1:]

    def say(self, message: str) -> None:
        """Show message in a notice, unless the same one was shown a moment ago."""
        now = time.monotonic()
        if self._said[0] == message and now - self._said[1] < REPEAT_AFTER:
            return
        self._said = (message, now)
        self.notify(message, severity="warning", timeout=NOTICE_SECONDS, markup=False)
