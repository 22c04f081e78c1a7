"""Box: a text box that says why it turned text away.

Textual's Input rings the terminal bell and changes nothing when an edit
would break its rules: a paste longer than the room left, a letter in a
number box.  With the bell off (most terminals here) that is silent, and a
thousand pasted characters just vanish.  A Box says what happened, in a
short notice:
- a text box takes what fits of a paste that is too long, and counts what
  it left out;
- a number box takes all of an edit or none of it (part of a number is
  another number), and says what it takes;
- a paste of several lines keeps its first line, as Input does, and says so.
The same notice is not repeated while it is still on screen, so holding a
key down does not stack them.
"""

from __future__ import annotations

import time

from textual import events
from textual.widgets import Input

REPEAT_AFTER = 3.0      # seconds before the same notice may be shown again
NOTICE_SECONDS = 4
KINDS = {"integer": "a whole number (digits only)", "number": "a number, such as 0.002"}


class Box(Input):
    """An Input that explains what it refused (see the module's docstring)."""

    def __init__(self, *args: object, label: str = "this box", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.label = label
        self._said: tuple[str, float] = ("", 0.0)
        self._too_long = False               # the edit being refused would not fit

    def _on_paste(self, event: events.Paste) -> None:
        """Say that a paste of several lines keeps only its first (Input's own handler, called after
        this one as Textual calls each class's handler in turn, inserts it)."""
        if len([line for line in event.text.splitlines() if line.strip()]) > 1:
            self.say(f"{self._label()} takes one line: only the first line of the paste was taken.")

    def replace(self, text: str, start: int, end: int) -> None:
        """Replace value[start:end] with text; in a text box, text is cut to the room left."""
        lo, hi = sorted((max(0, start), min(len(self.value), end)))
        room = max(0, self.max_length - (len(self.value) - (hi - lo))) if self.max_length else len(text)
        self._too_long = len(text) > room
        if self._too_long and self.type == "text":
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
        if self._too_long:
            self.say(f"{self._label()} holds {self.max_length} characters.")
        elif self.type in KINDS:
            self.say(f"{self._label()} takes {KINDS[self.type]}.")
        else:
            self.say(f"{self._label()} cannot take that text.")

    def _label(self) -> str:
        return self.label[:1].upper() + self.label[1:]

    def say(self, message: str) -> None:
        """Show message in a notice, unless the same one was shown a moment ago."""
        now = time.monotonic()
        if self._said[0] == message and now - self._said[1] < REPEAT_AFTER:
            return
        self._said = (message, now)
        self.notify(message, severity="warning", timeout=NOTICE_SECONDS, markup=False)
