"""CalmScreen: a screen whose opening is spread over callbacks, so that keys and timers get in between.

When Textual pushes a screen, it styles every widget, lays the screen out and
paints all of it in one callback of the event loop, and then, answering the
Resize it sends the screen as it is pushed, lays it out and paints it all
again.  For the lesson screen that one callback was about 27 ms of CPU at
120x40 (the longest the loop was held while opening the whole course), and
for the lab, with its column of settings, about 90 ms.  A CalmScreen

- paints its first frame in a callback of its own, a millisecond after the
  one that styled and laid it out (until then the terminal shows the screen
  below it): a key, or a timer that fell due, runs in between;
- lays it out in a callback of its own too, after the one that styled it;
- skips the second layout when the Resize is for the size it was just laid
  out at (a real change of size still lays it out);
- calls `opened()` once the first frame is on screen, where a screen can
  show what its first frame did without (the lab: its column of settings).

These are overrides of Textual's private hooks (`_compositor_refresh`,
`_refresh_layout`, `_screen_resized`).  A Textual version that no longer calls them opens the
screen as before: nothing breaks, the callback is only longer.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.geometry import Size
from textual.screen import Screen

FIRST_PAINT_DELAY = 0.001     # seconds: enough for what fell due to run first
BREATHE = 0.012               # seconds the loop has to itself between two pieces of a screen's drawing


class CalmScreen(Screen[Any]):
    """A Screen that opens without holding the event loop for a whole style, layout and paint."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._first_paint_waits = True
        self._first_resume = True
        self._layout_waits = False        # the first resume is about to lay the screen out
        self._layout_pending = False      # that layout is on its way
        self._opening = True              # until the first frame is on screen (opened)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first time, the layout the resume asks for waits a turn (see _refresh_layout).

        Textual calls this before Screen's own handler (it calls each class's handler in turn), which
        styles the screen and asks for that layout; so no super() here.
        """
        self._layout_waits = self._first_resume
        self._first_resume = False

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        """Lay the screen out; the first layout, asked for by the first resume, waits for a turn of the loop."""
        if self._layout_waits:
            self._layout_waits = False
            self._layout_pending = True
            self.set_timer(FIRST_PAINT_DELAY, self._first_layout)
            return
        super()._refresh_layout(size, scroll)
        if self._opening and self.is_current:
            # that layout painted the screen; while it opens, a repaint asked for meanwhile (the resume
            # asks for one) is done, not a second paint of all of it in the same callback (Textual's
            # update timer lays out, then repaints the whole screen when both were asked for)
            self._repaint_required = False

    def _first_layout(self) -> None:
        self._layout_pending = False
        super()._refresh_layout(self.app.size)        # and paints, in a callback of its own (below)

    def _compositor_refresh(self) -> None:
        """Paint the screen; the very first paint waits for a turn of the event loop."""
        if self._layout_pending:
            return                                    # nothing is laid out yet: _first_layout paints
        if self._first_paint_waits:
            self._first_paint_waits = False
            self.set_timer(FIRST_PAINT_DELAY, self._first_paint)
            return
        super()._compositor_refresh()

    def _first_paint(self) -> None:
        super()._compositor_refresh()
        self.set_timer(BREATHE, self._opened)

    def _opened(self) -> None:
        self._opening = False
        self.opened()

    def opened(self) -> None:
        """Called once, when the first frame is on screen and the loop has had a moment to itself: the
        place to show what the first frame could do without (nothing here)."""

    def _screen_resized(self, size: Size) -> None:
        """Lay the screen out again for a new size, not for the size it was just laid out at."""
        if self._layout_pending or size == self._compositor.size:
            return
        super()._screen_resized(size)
