"""The help screen: every key that works where it was opened, and the palette's commands."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA = [
    ("ctrl+p", "command palette: go to a lesson, change the theme, quit"),
    ("tab / shift+tab", "move between the text, the input boxes and the answer"),
    ("escape", "leave an input box (and, outside one, go back)"),
    ("mouse", "click options and boxes, scroll the text; never required"),
]


class HelpScreen(ModalScreen):
    """A list of key bindings; any of escape, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        """A table of keys."""
        table = Table(title="Keys on this screen", title_justify="left", show_header=False, box=None)
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen = set()
        for key, description in self.keys + EXTRA:
            if (key, description) not in seen:
                seen.add((key, description))
                table.add_row(key, description)
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static("[dim]escape, ? or q closes this help[/dim]")
