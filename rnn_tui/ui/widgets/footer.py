"""KeyFooter: the screen's keys on one line, drawn by one widget.

Textual's Footer mounts a widget per key and recomposes (removes them all,
mounts new ones and styles each) whenever the screen's bindings refresh,
which happens on every change of focus.  A lesson step moves the focus, and
a step that trains live adds a dozen keys, so each step styled and laid out
ten to twenty new widgets for one line of text; on a busy machine that was
a good part of the step's frame.  This footer draws the same line itself:
each key in the footer's key colours, its description after it, and the
command palette's key on the right behind a thin rule.  It is repainted (not
laid out) when what it shows changes, and a click on a key presses it, as in
Textual's footer.  Keys that do not fit are left out from the right, and then
help's key (?), which lists them all, still ends the line after a "…".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str            # the key it presses when clicked
    display: str        # how the key is written ("^p", "esc")
    description: str
    enabled: bool


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen's focused widget and the screen, on one line (see the module's docstring)."""

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description", "key-footer--rule"}

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--rule { color: $foreground 20%; }
    KeyFooter.-sixteen { background: #000080; color: #ffffff; }
    KeyFooter.-sixteen > .key-footer--key { color: #ffff00; background: #000080; }
    KeyFooter.-sixteen > .key-footer--description { color: #ffffff; background: #000080; }
    KeyFooter.-sixteen > .key-footer--rule { color: #c0c0c0; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: tuple[FooterItem, ...] = ()
        self.palette: FooterItem | None = None      # the command palette's key, drawn on the right
        self._spans: list[tuple[int, int, str]] = []  # (first column, end column, key) of the last line drawn
        self._check_pending = False

    def on_mount(self) -> None:
        """Follow the screen's bindings; in 16 colours, keys in yellow on blue.

        The theme's orange keys on its grey footer come out as bright red on grey in a
        16-colour terminal, which is hard to read; yellow and white on blue (as in Midnight
        Commander) are not, on dark and light terminals alike.
        """
        if self.app.console.color_system in ("standard", "windows"):
            self.add_class("-sixteen")
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        """Called when the screen's bindings refresh: look again once the screen has settled.

        Focus often moves twice in one step (away from a removed box, then to a new one), and the
        keys are usually the same at the end, so the comparison waits for the next refresh.
        """
        if not self.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._read_keys)

    def _read_keys(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        items, palette = self.keys_of(self.screen)
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            self.refresh()

    def keys_of(self, screen: Screen) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        """What the footer shows for the screen's bindings now: one item per action, the palette's key."""
        app = self.app
        seen: set[str] = set()
        items: list[FooterItem] = []
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                items.append(FooterItem(binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in screen.active_bindings:
            _node, binding, enabled, _tooltip = screen.active_bindings[app.COMMAND_PALETTE_BINDING]
            palette = FooterItem(binding.key, app.get_key_display(binding), binding.description, enabled)
        return tuple(items), palette

    def key_columns(self) -> dict[str, tuple[int, int]]:
        """The columns each key's label took in the last line drawn: key -> (first, end)."""
        return {key: (a, b) for a, b, key in self._spans}

    def render(self) -> Text:
        """The keys from the left, the palette's key on the right."""
        key_style = self.get_component_rich_style("key-footer--key", partial=True)
        description_style = self.get_component_rich_style("key-footer--description", partial=True)
        width = self.size.width
        right = Text()
        if self.palette is not None:
            right.append("▏", self.get_component_rich_style("key-footer--rule"))
            right.append_text(self._label(self.palette, key_style, description_style))
            right.append(" ")
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        room = max(0, width - right.cell_len)
        labels = [(item, self._label(item, key_style, description_style)) for item in self.items]
        helper = next(((i, t) for i, t in labels if i.key in ("question_mark", "f1")), None)
        if helper is not None and sum(t.cell_len for _, t in labels) > room:
            # not all fit: keep help's key (it lists the rest) at the end, after a mark that keys are missing
            labels = [(i, t) for i, t in labels if i is not helper[0]]
            room -= helper[1].cell_len + 2
        for item, label in labels:
            if line.cell_len + label.cell_len > room:
                break
            spans.append((line.cell_len, line.cell_len + label.cell_len, item.key))
            line.append_text(label)
        if helper is not None and len(spans) < len(self.items):
            line.append(" …", description_style)
            spans.append((line.cell_len, line.cell_len + helper[1].cell_len, helper[0].key))
            line.append_text(helper[1])
        if right.cell_len and width >= right.cell_len:
            line.append(" " * (width - line.cell_len - right.cell_len))
            if self.palette is not None:
                spans.append((line.cell_len + 1, width - 1, self.palette.key))
            line.append_text(right)
        self._spans = spans
        return line

    @staticmethod
    def _label(item: FooterItem, key_style: Style, description_style: Style) -> Text:
        label = Text.assemble((f" {item.display}", key_style), (f" {item.description}", description_style))
        if not item.enabled:
            label.stylize(Style(dim=True))
        return label

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (a disabled key rings the bell)."""
        for first, end, key in self._spans:
            if first <= event.x < end:
                item = next((i for i in (*self.items, self.palette) if i is not None and i.key == key), None)
                if item is not None and not item.enabled:
                    self.app.bell()
                else:
                    self.app.simulate_key(key)
                return
