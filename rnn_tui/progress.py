"""Where the user is in the course, and their settings: one JSON file in the user data folder.

The folder is platformdirs' user data directory for "rnn-tui" (override it
with the RNN_TUI_HOME environment variable).  Every write goes to a
temporary file that is then renamed over the old one, so a crash mid-write
never leaves half a file.  A file that cannot be read is moved aside as
`progress.json.corrupt-<time>` and replaced by a fresh start; `load()` then
returns a notice the app shows to the user.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_write

FORMAT_VERSION = 1
FILENAME = "progress.json"


def data_dir() -> Path:
    """The per-user folder for progress, settings and models."""
    override = os.environ.get("RNN_TUI_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rnn-tui", appauthor=False))


@dataclass
class LessonProgress:
    """One lesson's state."""

    step: int = 0                                   # where the user is (0-based)
    furthest: int = 0                               # the furthest step reached
    answered: set[int] = field(default_factory=set)  # steps whose question is answered (or shown)

    def as_json(self) -> dict:
        """Plain JSON values."""
        return {"step": self.step, "furthest": self.furthest, "answered": sorted(self.answered)}


@dataclass
class Progress:
    """The whole course's progress plus settings, bound to a file."""

    path: Path
    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    last: str | None = None                         # the lesson opened most recently
    settings: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[Progress, str | None]:
        """Read the progress file; (fresh progress, notice) if it is missing or unreadable."""
        path = path or data_dir() / FILENAME
        if not path.exists():
            return cls(path), None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format_version") != FORMAT_VERSION:
                raise ValueError("unknown format")
            lessons = {k: LessonProgress(int(v["step"]), int(v["furthest"]), {int(a) for a in v["answered"]})
                       for k, v in raw["lessons"].items()}
            last = raw.get("last")
            settings = {str(k): str(v) for k, v in raw.get("settings", {}).items()}
            if last is not None and not isinstance(last, str):
                raise ValueError("bad last lesson")
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            backup = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(path, backup)
                kept = f"kept it as {backup.name}"
            except OSError:
                kept = "could not move it aside"
            return cls(path), f"Your progress file could not be read ({kept}); starting afresh."
        return cls(path, lessons, last, settings), None

    def save(self) -> None:
        """Write atomically."""
        data = {"format_version": FORMAT_VERSION, "last": self.last, "settings": self.settings,
                "lessons": {k: v.as_json() for k, v in sorted(self.lessons.items())}}
        with atomic_write(self.path) as f:
            f.write(json.dumps(data, indent=1))

    def of(self, lesson_id: str) -> LessonProgress:
        """A lesson's progress, created on first use."""
        return self.lessons.setdefault(lesson_id, LessonProgress())

    def visit(self, lesson_id: str, step: int) -> None:
        """The user is on this step now."""
        p = self.of(lesson_id)
        p.step, p.furthest = step, max(p.furthest, step)
        self.last = lesson_id

    def answer(self, lesson_id: str, step: int) -> None:
        """The step's question is answered, or its answer was shown."""
        self.of(lesson_id).answered.add(step)

    def status(self, lesson_id: str, nsteps: int, questions: set[int]) -> str:
        """'not started', 'in progress' or 'done' (last step reached, every question answered)."""
        p = self.lessons.get(lesson_id)
        if p is None:
            return "not started"
        if p.furthest >= nsteps - 1 and questions <= p.answered:
            return "done"
        return "in progress"
