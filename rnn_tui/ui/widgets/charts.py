"""Small chart widgets: training curves, probability bars, a hidden-state timeline.

LossChart uses textual-plotext (Textualize's wrapper of plotext, MIT): real
axes and two series in a terminal beat anything worth hand-writing here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.widgets import Static
from textual_plotext import PlotextPlot

from .heatmap import Heatmap


class LossChart(PlotextPlot):
    """Loss per epoch (training and validation) with validation accuracy on the right axis."""

    DEFAULT_CSS = """
    LossChart { height: 1fr; width: 1fr; border: round $panel; }
    """

    def on_mount(self) -> None:
        """Draw the empty axes."""
        self.border_title = "loss and accuracy per epoch"
        self.show_history([], [], [], [])

    def show_history(self, train_loss: Sequence[float], valid_loss: Sequence[float],
                     valid_acc: Sequence[float], balanced: Sequence[float]) -> None:
        """Redraw all curves."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        epochs = list(range(1, len(train_loss) + 1))
        if epochs:
            plt.plot(epochs, list(train_loss), label="train loss", marker="braille")
            plt.plot(epochs, [v if np.isfinite(v) else 0.0 for v in valid_loss], label="valid loss",
                     marker="braille")
            plt.plot(epochs, list(valid_acc), label="valid acc", yside="right", marker="braille")
            plt.plot(epochs, list(balanced), label="balanced", yside="right", marker="braille")
        else:
            plt.title("starts after the first epoch")
        plt.xlabel("epoch")
        self.refresh()


class ProbabilityBars(Static):
    """Languages with their probabilities as horizontal bars, most likely first."""

    WIDTH = 24

    def show(self, ranked: Sequence[tuple[str, float]]) -> None:
        """Draw (label, probability) pairs."""
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for i, (label, p) in enumerate(ranked):
            full = int(round(p * self.WIDTH))
            bar = Text("█" * full, style="bold green" if i == 0 else "cyan")
            bar.append("·" * (self.WIDTH - full), style="dim")
            table.add_row(label, bar, f"{p:6.1%}")
        self.update(table, layout=False)           # callers give the widget a fixed height


class HiddenTimeline(Heatmap):
    """h_t after each character as one column, labelled by the character."""

    def show_states(self, hs: np.ndarray, chars: str, title: str | None = None) -> None:
        """hs: (m, nhidden) states after each of the m characters."""
        states = np.asarray(hs)
        self.show(states.T, row_labels=[f"h{i}" for i in range(states.shape[1])],
                  col_labels=list(chars), title=title)
