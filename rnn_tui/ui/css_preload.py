"""Widgets' own CSS added to the stylesheet before they are first mounted.

Textual reads a widget class's DEFAULT_CSS the first time a widget of that
class is mounted, and the styling that follows parses the stylesheet again.
So the first lesson a learner opened paid for the lesson screen's widgets
(the prose, the work pane, the text boxes, the panels) on top of composing
and drawing the screen, in the frame that shows the lesson.  `preload` adds
the CSS of every widget class the app's imported screens and widgets name,
and parses once, while the learner is still looking at the lesson list.

It uses what Textual itself would read (DOMNode._get_default_css, a private
method): the same sources under the same names, so that mounting a widget
later finds its CSS present and parses nothing.  Should that method change
in another Textual version, nothing is preloaded and Textual reads the CSS
as before.
"""

from __future__ import annotations

import sys
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import App

PACKAGE = "rnn_tui.ui"


def widget_classes() -> list[type[Widget]]:
    """Widget classes that the app's modules (those imported so far) define or import, and every widget
    class defined beside one of them (a ProgressBar draws a Bar and a PercentageStatus of its module)."""
    named: dict[type[Widget], None] = {}
    for name, module in list(sys.modules.items()):
        if module is not None and (name == PACKAGE or name.startswith(PACKAGE + ".")):
            named.update(dict.fromkeys(_widgets_in(module)))
    found = dict(named)
    for module_name in {cls.__module__ for cls in named}:
        home = sys.modules.get(module_name)
        if home is not None:
            found.update(dict.fromkeys(_widgets_in(home)))
    return list(found)


def _widgets_in(module: ModuleType) -> list[type[Widget]]:
    return [value for value in vars(module).values() if isinstance(value, type) and issubclass(value, Widget)]


def preload(app: App) -> int:
    """Add the DEFAULT_CSS of those classes (and their bases) and parse; the number of sources added."""
    stylesheet = app.stylesheet
    before = len(stylesheet.source)
    try:
        for cls in widget_classes():
            node = SimpleNamespace(_node_bases=cls._css_bases(cls))
            for read_from, css, tie_breaker, scope in DOMNode._get_default_css(node):  # type: ignore[arg-type]
                stylesheet.add_source(css, read_from=read_from, is_default_css=True,
                                      tie_breaker=tie_breaker, scope=scope)
        stylesheet.parse()
    except Exception:  # another Textual's internals, or CSS it cannot read: it reads the CSS itself, as ever
        return 0
    return len(stylesheet.source) - before
