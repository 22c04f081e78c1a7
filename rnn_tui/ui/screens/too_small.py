"""Shown over everything while the terminal is smaller than the layout needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(ModalScreen):
    """Says how big the terminal is and how big it must be; goes away when it is."""

    BINDINGS = [Binding("q,ctrl+q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        """One centred message."""
        yield Static(id="too-small-message")

    def show_size(self, width: int, height: int) -> None:
        """Update the message for the current size."""
        self.query_one(Static).update(
            f"The terminal is {width}×{height}; rnn-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
            "Enlarge the window to go on, or press q to quit.")
