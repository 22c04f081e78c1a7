"""SteadyFooter: Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes (removes and mounts one widget per key, and
re-applies the stylesheet to each) every time a screen's bindings are
refreshed, which happens on every change of focus.  A lesson step moves the
focus, so each step rebuilt the footer although it showed the same keys.
This footer compares what it would show with what it shows and skips the
rebuild when they are the same; when it does rebuild, its keys are styled
once instead of three times.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class SteadyFooter(Footer):
    """A Footer that recomposes only when its keys, labels or enabled states differ."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None
        self._check_pending = False

    def compose(self) -> ComposeResult:
        """Textual's keys, each told the footer's compact setting before it mounts.

        Otherwise every key mounts as compact (its default), then learns it is not, and each
        change of class re-applies the stylesheet to it: two passes per key for nothing.
        """
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def _keys_of(self, screen: Screen) -> tuple[Any, ...]:
        """What the footer shows for the screen's bindings now."""
        keys = tuple((binding.key, binding.action, binding.description, binding.group, enabled, tooltip,
                      self.app.get_key_display(binding))
                     for (_, binding, enabled, tooltip) in screen.active_bindings.values() if binding.show)
        palette = self.app.COMMAND_PALETTE_BINDING in screen.active_bindings
        return keys, palette, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE

    def bindings_changed(self, screen: Screen) -> None:
        """Called when the screen's bindings are refreshed: look again once the screen has settled.

        Focus often moves twice in one step (away from a removed box, then to a new one), and the
        keys are usually the same at the end, so the comparison waits for the next refresh.
        """
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        shown = self._keys_of(self.screen)
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
