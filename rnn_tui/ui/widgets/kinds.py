"""VISUALS: the widget that draws each visual kind of rnn_tui.steps.results.VISUAL_KINDS."""

from __future__ import annotations

from ...steps.results import VISUAL_KINDS
from .recurrence import RecurrenceView
from .visuals import FactsVisual, MatrixVisual, TableVisual, TextVisual, VectorVisual, Visual

VISUALS: dict[str, type[Visual]] = {"table": TableVisual, "vector": VectorVisual, "matrix": MatrixVisual,
                                    "facts": FactsVisual, "text": TextVisual, "recurrence": RecurrenceView}

if set(VISUALS) != set(VISUAL_KINDS):     # a kind added to results needs its widget here
    raise ImportError(f"visual kinds without a widget: {sorted(set(VISUAL_KINDS) - set(VISUALS))}; "
                      f"widgets without a kind: {sorted(set(VISUALS) - set(VISUAL_KINDS))}")
