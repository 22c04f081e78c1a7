"""Rich renderings for the command line: epoch lines, tables, a confusion matrix.

Pure functions from numbers to Rich renderables; cli.py decides where they go.
Language names and sources come from files: they go in as `Text` (never
read as markup) after rnn_tui.safe has removed control characters.
"""

from __future__ import annotations

import numpy as np
from rich.table import Table
from rich.text import Text

from . import safe
from .engine.metrics import Metrics


def _label(text: object) -> Text:
    """A file-supplied string as plain text: no markup, no escape sequences, one line."""
    return Text(safe.one_line(str(text)))


def _num(x: float | None, fmt: str = ".3f") -> str:
    return "-" if x is None or not np.isfinite(x) else format(x, fmt)


def epoch_line(epoch: int, epochs: int, train_loss: float, m: Metrics, is_best: bool) -> Text:
    """One line per epoch: training loss, then the validation scores."""
    text = Text(f"epoch {epoch:>3}/{epochs}  train loss {train_loss:.4f} | valid loss {_num(m.loss, '.4f')}"
                f"  acc {_num(m.accuracy)}  balanced {_num(m.balanced_accuracy)}"
                f"  unseen {_num(m.unseen_accuracy)}")
    if is_best:
        text.append("  *", style="bold green")
    return text


def per_language_table(languages: tuple[str, ...], cm: np.ndarray, title: str) -> Table:
    """Names, correct and accuracy for each language that has names."""
    table = Table(title=title, title_justify="left")
    table.add_column("language")
    table.add_column("names", justify="right")
    table.add_column("correct", justify="right")
    table.add_column("accuracy", justify="right")
    table.add_column("most often mistaken for")
    for i, lang in enumerate(languages):
        total = int(cm[i].sum())
        if total == 0:
            continue
        wrong = cm[i].copy()
        wrong[i] = 0
        confused = _label(languages[int(wrong.argmax())]) if wrong.any() else ""
        acc = cm[i, i] / total
        style = "green" if acc >= 0.75 else "yellow" if acc >= 0.5 else "red"
        table.add_row(_label(lang), str(total), str(int(cm[i, i])), Text(f"{acc:.3f}", style=style), confused)
    return table


def confusion_table(languages: tuple[str, ...], cm: np.ndarray) -> Table:
    """The confusion matrix as a heat grid: rows actual, columns guessed, shaded by row share."""
    table = Table(title="confusion matrix (rows: actual language, columns: guess; shade: share of the row)",
                  title_justify="left", show_lines=False, pad_edge=False, padding=(0, 0))
    table.add_column("actual \\ guess", no_wrap=True)
    for lang in languages:
        table.add_column(_label(lang[:3]), justify="right", no_wrap=True, min_width=4)
    for i, lang in enumerate(languages):
        total = cm[i].sum()
        if total == 0:
            continue
        cells = []
        for j in range(len(languages)):
            share = cm[i, j] / total
            level = round(share * 5)
            colour = "green" if i == j else "red"
            style = f"{colour} bold" if level >= 3 else colour if level >= 1 else "dim"
            cells.append(Text(f"{cm[i, j]:>4}" if cm[i, j] else "   .", style=style))
        table.add_row(_label(lang), *cells)
    return table


def stats_table(s: dict) -> Table:
    """Per-language counts for `data stats`."""
    languages = f"{s['languages']} language{'s' * (s['languages'] != 1)}"
    table = Table(title=Text(f"{safe.path(s['source'])}: {s['names']:,} names in {languages}"),
                  title_justify="left")
    table.add_column("language")
    table.add_column("names", justify="right")
    table.add_column("share", justify="right")
    table.add_column("duplicates removed", justify="right")
    for lang, n in s["per_language"].items():
        table.add_row(_label(lang), f"{n:,}", f"{n / s['names']:.1%}", str(s["duplicates_removed"].get(lang, 0)))
    return table
