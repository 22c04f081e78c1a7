"""The step registry: lesson.toml's `call = "name"` looks a function up here and runs it.

This module only registers and runs.  Step functions live in the modules
named after the lesson that first calls them (`lesson04.py` holds what
lesson 4 computes); helpers they share live in `common.py`; the typed
results they return are built with `results.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

StepFunction = Callable[..., dict[str, Any]]
STEPS: dict[str, StepFunction] = {}


def step(fn: StepFunction) -> StepFunction:
    """Register a function under its own name for lessons to call; a name may be registered once."""
    name = fn.__name__
    if name in STEPS:
        raise ValueError(f"two step functions are named {name!r}: "
                         f"{STEPS[name].__module__} and {fn.__module__}")
    STEPS[name] = fn
    return fn


def run(call: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Call a registered step by name with keyword arguments."""
    if call not in STEPS:
        raise KeyError(f"no step function named {call!r}")
    return STEPS[call](**args)


def module_of(call: str) -> str:
    """The module a registered step is written in, e.g. 'rnn_tui.steps.lesson02'."""
    return STEPS[call].__module__


def resolve(result: Any, path: str) -> Any:
    """A value inside a result by dotted path: 'codes.k', 'values.2', 'table.rows.0.1'.

    Parts go through dict keys, the fields of typed results (dataclasses) and
    list indices.
    """
    value: Any = result
    for part in path.split("."):
        if isinstance(value, Mapping):
            if part not in value:
                raise KeyError(f"no field {part!r} in {path!r}")
            value = value[part]
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            if part not in {f.name for f in dataclasses.fields(value)}:
                raise KeyError(f"no field {part!r} in {path!r}")
            value = getattr(value, part)
        elif isinstance(value, (list, tuple, np.ndarray)):
            try:
                value = value[int(part)]
            except (ValueError, IndexError):
                raise KeyError(f"no index {part!r} in {path!r}") from None
        else:
            raise KeyError(f"{path!r} goes past a plain value at {part!r}")
    return value
