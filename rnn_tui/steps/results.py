"""Typed results: what a step returns for a visual to draw, and the one list of visual kinds.

A step function returns a dict of named fields.  Fields that a visual draws
are built with the constructors below (`table`, `facts`, `matrix`, `vector`,
`text`); `live` holds a live training panel's configuration.  Fields that a
question checks are plain numbers, strings or lists.  VISUAL_KINDS maps each kind name usable in lesson.toml's
`show = [{ visual = "table", ... }]` to the result type that kind draws: the
lesson checker (rnn_tui.lessons) and the UI (rnn_tui.ui.widgets.visuals)
both read it, so a new kind is added here first.

Everything here is immutable (tuples), so cached results can be shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Table:
    """Rows under column headings; cells are numbers or short strings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Facts:
    """Label and value pairs, drawn as two aligned columns."""

    items: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Matrix:
    """A grid of numbers with row and column labels; `highlight` lists columns to mark."""

    values: tuple[tuple[float, ...], ...]
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    highlight: tuple[int, ...] = ()


@dataclass(frozen=True)
class Vector:
    """A list of numbers, drawn as coloured cells (a heat strip when long)."""

    values: tuple[float, ...]


@dataclass(frozen=True)
class Text:
    """A plain message (never read as markup)."""

    message: str


@dataclass(frozen=True)
class RecurrenceStep:
    """One application of h_t = tanh(W h_{t-1} + U x_t (+ b)), every vector in it."""

    char: str
    code: int                       # x_t's index: the column of U it selects
    h_prev: tuple[float, ...]       # h_{t-1}
    Ux: tuple[float, ...]           # U x_t, column `code` of U
    Wh: tuple[float, ...]           # W h_{t-1}
    z: tuple[float, ...]            # W h_{t-1} + U x_t (+ b): what tanh squashes
    h: tuple[float, ...]            # h_t = tanh(z)


@dataclass(frozen=True)
class Recurrence:
    """A word read by the recurrence, one RecurrenceStep per character."""

    word: str
    steps: tuple[RecurrenceStep, ...]
    bias: bool = False              # whether z includes a bias b


@dataclass(frozen=True)
class Live:
    """The configuration of a live training panel: TrainConfig fields plus `data` (see LivePanel)."""

    preset: Mapping[str, Any] = field(default_factory=dict)


VISUAL_KINDS: dict[str, type] = {"table": Table, "vector": Vector, "matrix": Matrix, "facts": Facts,
                                 "text": Text, "recurrence": Recurrence}


def table(columns: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Table:
    """A Table; column names become strings, rows tuples."""
    return Table(tuple(str(c) for c in columns), tuple(tuple(r) for r in rows))


def facts(items: Iterable[tuple[Any, Any] | list[Any]]) -> Facts:
    """Facts from (label, value) pairs."""
    pairs = []
    for item in items:
        label, value = item
        pairs.append((str(label), value))
    return Facts(tuple(pairs))


def matrix(values: Any, rows: Iterable[Any], cols: Iterable[Any], digits: int = 3,
           highlight: Iterable[int] = ()) -> Matrix:
    """A Matrix from a 2-D array, rounded to `digits`, with labels for its rows and columns."""
    grid = np.round(np.asarray(values, dtype=float), digits)
    if grid.ndim != 2:
        raise ValueError(f"a matrix needs 2 dimensions, not {grid.ndim}")
    rows, cols = tuple(str(r) for r in rows), tuple(str(c) for c in cols)
    if grid.shape != (len(rows), len(cols)):
        raise ValueError(f"{grid.shape[0]}x{grid.shape[1]} values for {len(rows)} row and {len(cols)} column labels")
    return Matrix(tuple(tuple(float(x) for x in r) for r in grid), rows, cols, tuple(int(j) for j in highlight))


def vector(values: Iterable[float], digits: int = 3) -> Vector:
    """A Vector from numbers, rounded to `digits`."""
    return Vector(tuple(round(float(v), digits) for v in np.asarray(list(values), dtype=float).ravel()))


def text(message: str) -> Text:
    """A plain message."""
    return Text(str(message))


def recurrence(word: str, codes: Iterable[int], W: Any, U: Any, b: Any = None, digits: int = 3) -> Recurrence:
    """Run h_t = tanh(W h_{t-1} + U x_t (+ b)) over a word's codes from h_0 = 0, keeping every vector."""
    W, U = np.asarray(W, dtype=float), np.asarray(U, dtype=float)
    bias = None if b is None else np.asarray(b, dtype=float).ravel()
    codes = [int(c) for c in codes]
    if len(codes) != len(word):
        raise ValueError(f"{len(codes)} codes for the {len(word)} characters of {word!r}")

    def row(v: np.ndarray) -> tuple[float, ...]:
        return tuple(round(float(x), digits) for x in v)

    h = np.zeros(W.shape[0])
    out = []
    for ch, c in zip(word, codes):
        Ux, Wh = U[:, c], W @ h                              # column c of U; the previous state mixed
        z = Wh + Ux + (bias if bias is not None else 0.0)
        new = np.tanh(z)
        out.append(RecurrenceStep(ch, c, row(h), row(Ux), row(Wh), row(z), row(new)))
        h = new
    return Recurrence(word, tuple(out), bias is not None)


def live(preset: Mapping[str, Any]) -> Live:
    """A live training panel's configuration (read-only)."""
    return Live(MappingProxyType(dict(preset)))


def format_cell(x: Any) -> str:
    """How a visual writes one value: whole floats without decimals, other floats with a sign and 3 places."""
    if isinstance(x, float):
        return f"{x:.0f}" if x.is_integer() and abs(x) < 1e6 else f"{x:+.3f}"
    return str(x)


def plain_text(value: Any) -> str:
    """The text a visual shows for a typed result, without colours: what a learner can read off it."""
    if isinstance(value, Table):
        lines = [" ".join(value.columns)] + [" ".join(format_cell(x) for x in row) for row in value.rows]
    elif isinstance(value, Facts):
        lines = [f"{label} {format_cell(v)}" for label, v in value.items]
    elif isinstance(value, Matrix):
        lines = [" ".join(value.cols)] + [" ".join([label, *(format_cell(x) for x in row)])
                                          for label, row in zip(value.rows, value.values)]
    elif isinstance(value, Vector):
        lines = [" ".join(format_cell(x) for x in value.values)]
    elif isinstance(value, Text):
        lines = [value.message]
    elif isinstance(value, Recurrence):       # the first step is what shows before any key is pressed
        first = value.steps[0] if value.steps else None
        lines = [value.word] + ([" ".join(format_cell(x) for x in v)
                                 for v in (first.Ux, first.Wh, first.z, first.h)] if first else [])
    else:
        lines = [str(value)]
    return "\n".join(lines)
