"""What lessons can compute: named functions over the engine, called from lesson.toml.

A lesson step names one of these (`call = "running_sum"`) with arguments;
the function returns a dict of named results, and the step shows some of
them (`show = [{ visual = "table", field = "steps" }]`) and may check a
question against another (`answer = "total"`).  Functions are pure, fast
(well under a second, or cached with `remembered`) and raise StepInputError
with a one-line message when a user's typed input cannot be used.  Nothing
here imports a UI toolkit.

Where things live:
- `registry.py`: STEPS, the `@step` decorator, `run` and `resolve`;
- `common.py`: helpers shared by several lessons (public names only);
- `results.py`: the typed results visuals draw, and VISUAL_KINDS;
- `lessonNN.py`: the steps that lesson NN is the first to call.  So a
  `call` in lessons/NN-*/lesson.toml is defined in `lessonNN.py`, or, when an
  earlier lesson calls it too, in that earlier lesson's module.
"""

from __future__ import annotations

from . import (  # noqa: F401  (imported to register their steps)
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson07,
    lesson08,
    lesson09,
    lesson10,
    lesson11,
    lesson12,
    lesson13,
    lesson14,
    lesson15,
)
from .common import StepInputError, is_remembered
from .registry import STEPS, module_of, resolve, run, step

__all__ = ["STEPS", "StepInputError", "is_remembered", "module_of", "resolve", "run", "step"]
