"""Small chart widgets: training curves, probability bars, a hidden-state timeline.

LossChart draws with rnn_tui.ui.widgets.braille (a few ms a redraw; plotext,
used before, took 30 to 200 ms of the event loop for the same chart).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from .braille import Curve, draw
from .heatmap import Heatmap

# one colour per curve; each stays a distinct colour (9, 11, 14, 13) in 16-colour terminals
SERIES = {"train loss": (255, 110, 110), "valid loss": (250, 210, 90),
          "valid accuracy": (90, 200, 250), "balanced accuracy": (220, 120, 250)}
SHORT = {"train loss": "train", "valid loss": "valid", "valid accuracy": "acc", "balanced accuracy": "bal"}
TINY = {"train loss": "trn", "valid loss": "val", "valid accuracy": "acc", "balanced accuracy": "bal"}
TITLES = ("loss (left axis) and accuracy (right axis) per epoch", "loss ◂ and ▸ accuracy per epoch",
          "loss ◂ ▸ accuracy", "loss, accuracy", "loss")


def _rgb(rgb: tuple[int, int, int]) -> str:
    return "rgb({},{},{})".format(*rgb)


def legend(width: int, shown: Sequence[str] = tuple(SERIES)) -> Text:
    """The colours and names of the curves shown, in the longest form that fits width (the tightest otherwise)."""
    forms = [(None, "  ", "━ "), (SHORT, "  ", "━ "), (SHORT, " ", "━"), (TINY, " ", "━"), (TINY, "", "━"),
             (TINY, " ", "")]                  # names (None: in full), between curves, the mark before a name
    for names, between, mark in forms:
        text = Text()
        for i, (name, rgb) in enumerate((name, rgb) for name, rgb in SERIES.items() if name in shown):
            text.append(between if i else "")
            if mark:
                text.append(mark, style=_rgb(rgb))
                text.append(names[name] if names else name)
            else:                                # no room for a mark: the name in the curve's colour
                text.append(names[name] if names else name, style=_rgb(rgb))
        if text.cell_len <= width:
            break
    return text


class LossChart(Widget):
    """Loss per epoch (training and validation) with validation accuracy on the right axis.

    Until two epochs have ended, the loss of each batch so far is drawn too (x in epochs, so
    0.5 is half way through the first), so the chart is never blank while training runs.
    The legend sits in the bottom border, where it fits at every size.  The picture is made
    when Textual paints the widget, once per change of data or size, straight into Strips
    (a Rich Text of the same chart took Textual 15 ms to lay out at 100×27).
    """

    DEFAULT_CSS = """
    LossChart { height: 1fr; width: 1fr; border: round $panel; background: $surface; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.curves: list[Curve] = []
        self.xlabel = "epoch"
        self._picture: tuple[tuple[int, int, int], list[Strip]] | None = None   # ((version, width, height), lines)
        self._version = 0
        self._labelled: tuple[int, tuple[str, ...]] = (-1, ())   # the room and curves the labels were fitted to
        self.shown: tuple[str, ...] = tuple(SERIES)     # the curves the legend names: those with a point

    def on_mount(self) -> None:
        """Draw the empty axes."""
        self.show_history([], [], [], [])

    def on_resize(self) -> None:
        """Fit the title and the legend to the new width."""
        self._label()

    def _label(self) -> None:
        room = self.outer_size.width - 6               # Textual keeps a corner and two cells each side
        if (room, self.shown) != self._labelled:        # a new label repaints the whole widget
            self._labelled = (room, self.shown)
            self.border_title = next((t for t in TITLES if len(t) <= room), TITLES[-1])
            self.border_subtitle = legend(room, self.shown)

    def render_line(self, y: int) -> Strip:
        """Line y of the chart at the widget's size (the chart is made again only after a change)."""
        width, height = self.size
        key = (self._version, width, height)
        if self._picture is None or self._picture[0] != key:
            styles = [Style(color=Color.from_rgb(*c.rgb)) for c in self.curves]
            strips = [Strip([Segment(text, styles[who] if who >= 0 else None) for text, who in line])
                      for line in draw(self.curves, width, height, self.xlabel)]
            self._picture = (key, strips)
        strips = self._picture[1]
        line = strips[y] if y < len(strips) else Strip.blank(0)
        return line.extend_cell_length(width).apply_style(self.rich_style)

    def show_history(self, train_loss: Sequence[float], valid_loss: Sequence[float],
                     valid_acc: Sequence[float], balanced: Sequence[float],
                     batches: Sequence[tuple[float, float]] = ()) -> None:
        """Redraw all curves; batches: (epochs so far, batch loss) pairs, drawn until two epochs exist."""
        epochs = list(range(1, len(train_loss) + 1))
        early = bool(batches) and len(epochs) < 2              # one epoch point is no curve yet
        curves = []
        if early:
            xs, ys = zip(*batches)
            curves.append(Curve(xs, ys, SERIES["train loss"]))
        if epochs:
            values = {"train loss": train_loss, "valid loss": valid_loss,
                      "valid accuracy": valid_acc, "balanced accuracy": balanced}
            curves += [Curve(epochs[:len(v)], list(v), SERIES[name], right="accuracy" in name,
                             within=(0.0, 1.0) if "accuracy" in name else None)
                       for name, v in values.items()]
        self.curves = curves
        # a run without a validation split has no valid curves: the legend leaves them out
        drawn = {c.rgb for c in curves if np.isfinite(np.asarray(c.ys, dtype=float)).any()}
        self.shown = tuple(name for name, rgb in SERIES.items() if rgb in drawn) or tuple(SERIES)
        self.xlabel = "epoch (batch losses so far)" if early else "epoch"
        self._version += 1
        self._label()
        self.refresh()


class ProbabilityBars(Static):
    """Languages with their probabilities as horizontal bars, most likely first.

    The label column is label_width wide whatever the labels shown, so the bars
    do not move sideways as the ranking changes (set it to the longest label).
    """

    WIDTH = 24                                     # the longest bar, where there is room

    def __init__(self, *, label_width: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label_width = label_width
        self.ranked: list[tuple[str, float]] = []

    def on_resize(self) -> None:
        """Fit the bars to the new width."""
        if self.ranked:
            self.show(self.ranked)

    def clear(self) -> None:
        """Show no bars."""
        self.ranked = []
        self.update("", layout=False)

    def show(self, ranked: Sequence[tuple[str, float]]) -> None:
        """Draw (label, probability) pairs; labels are plain text, never markup."""
        self.ranked = list(ranked)
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(no_wrap=True, min_width=self.label_width)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        # label, bar and a 6-character share, with a space either side of the bar
        room = self.size.width - self.label_width - 10 if self.size.width else self.WIDTH
        width = max(4, min(self.WIDTH, room))
        for i, (label, p) in enumerate(ranked):
            full = round(p * width)
            bar = Text("█" * full, style="bold green" if i == 0 else "cyan")
            bar.append("·" * (width - full), style="dim")
            table.add_row(Text(label), bar, f"{p:6.1%}")
        self.update(table, layout=False)           # callers give the widget a fixed height


class HiddenTimeline(Heatmap):
    """h_t after each character as one column, labelled by the character."""

    def show_states(self, hs: np.ndarray, chars: str, title: str | Sequence[str] | None = None) -> None:
        """hs: (m, nhidden) states after each of the m characters; title as in Heatmap.show."""
        states = np.asarray(hs)
        self.show(states.T, row_labels=[f"h{i}" for i in range(states.shape[1])],
                  col_labels=list(chars), title=title)
