"""Where the user is in the course, and their settings: one JSON file in the user data folder.

The folder is platformdirs' user data directory for "rnn-tui" (override it
with the RNN_TUI_HOME environment variable).  Every write goes to a
temporary file that is then renamed over the old one (through a symbolic
link, if the file is one), so a crash mid-write never leaves half a file.

The app saves through a Saver: a thread of its own writes the file, so
the event loop never waits for the disk (an fsync costs 3 to 12 ms, more
on a slow disk), and a burst of steps becomes one or two writes of the
latest state.  Progress is safe to change from the event loop while the
saver writes: every change and the merge before a write hold one lock.

Two copies of the app may run at once: each save takes a lock, reads what
is on disk and merges it with what this copy changed (the furthest step and
the answered questions are united; the current step, the last lesson and
the settings are this copy's where it changed them), so neither loses the
other's progress.

What `load()` does with a file it cannot use, and the notice it returns:
- damaged (not JSON, wrong shapes, absurd numbers, too large): moved aside
  as `progress.json.corrupt-<time>`, and the course starts afresh;
- written by a newer rnn-tui (a higher format_version), unreadable
  (permissions), or not a regular file: left exactly as it is, and this
  session's progress is not saved.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import safe
from .files import PathError, atomic_write, expand, resolve

FORMAT_VERSION = 1
FILENAME = "progress.json"
MAX_BYTES = 1_000_000      # a real file is a few kB; anything larger is not ours
MAX_STEP = 10_000          # no lesson has this many steps
MAX_TEXT = 1_000           # lesson ids, setting names and values


class HomeError(ValueError, RuntimeError):
    """RNN_TUI_HOME names a folder that cannot exist (an unknown ~user, a NUL).

    A RuntimeError too, as Path.expanduser raises for an unknown user, so
    callers that catch that keep working.
    """


def data_dir() -> Path:
    """The per-user folder for progress, settings and models; HomeError for a bad RNN_TUI_HOME."""
    override = os.environ.get("RNN_TUI_HOME")
    if override is not None and override != "":
        try:
            return expand(override)
        except PathError as e:
            raise HomeError(f"RNN_TUI_HOME: {e}") from None
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


class _Damaged(ValueError):
    """The file is not a progress file this version can use."""


class _Newer(ValueError):
    """The file was written by a newer rnn-tui."""


def _no_constant(name: str) -> None:
    raise _Damaged(f"holds {name}")


def _count(v: Any, what: str) -> int:
    if type(v) is not int or not 0 <= v <= MAX_STEP:
        raise _Damaged(f"{what} is not a step number")
    return v


def _text(v: Any, what: str) -> str:
    if not isinstance(v, str) or len(v) > MAX_TEXT:
        raise _Damaged(f"{what} is not a short string")
    return v


def parse(data: bytes) -> tuple[dict[str, LessonProgress], str | None, dict[str, str]]:
    """(lessons, last lesson, settings) from a file's bytes; _Damaged or _Newer if unusable."""
    if len(data) > MAX_BYTES:
        raise _Damaged("too large")
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _Damaged(f"not valid JSON ({e.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise _Damaged("not a JSON object")
    version = raw.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        raise _Newer(str(version))
    if version != FORMAT_VERSION or type(version) is not int:
        raise _Damaged("no known format_version")
    lessons_raw = raw.get("lessons")
    if not isinstance(lessons_raw, dict):
        raise _Damaged("no lessons")
    lessons = {}
    for k, v in lessons_raw.items():
        if not isinstance(v, dict) or not isinstance(v.get("answered"), list):
            raise _Damaged("a lesson is not an object")
        lessons[_text(k, "a lesson id")] = LessonProgress(
            _count(v.get("step"), "step"), _count(v.get("furthest"), "furthest"),
            {_count(a, "an answered step") for a in v["answered"]})
    last = raw.get("last")
    if last is not None:
        _text(last, "the last lesson")
    settings_raw = raw.get("settings", {})
    if not isinstance(settings_raw, dict):
        raise _Damaged("settings is not an object")
    settings = {_text(k, "a setting"): _text(v, "a setting") for k, v in settings_raw.items()}
    return lessons, last, settings


def _read(path: Path) -> bytes:
    """The file's bytes (OSError if it cannot be read, ValueError if it is not a regular file)."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise PathError("not a regular file")
    with open(path, "rb") as f:
        return f.read(MAX_BYTES + 1)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a sibling `.lock` file (POSIX); no lock where that is impossible."""
    try:
        import fcntl
    except ImportError:                              # Windows: the merge alone narrows the window
        yield
        return
    try:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:                                  # a read-only folder: the write will say so
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)                                 # closing releases the lock


@dataclass
class Progress:
    """The whole course's progress plus settings, bound to a file."""

    path: Path
    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    last: str | None = None                         # the lesson opened most recently
    settings: dict[str, str] = field(default_factory=dict)
    read_only: bool = False                         # True: save() writes nothing (see load())
    _touched: set[str] = field(default_factory=set, repr=False)       # lessons changed here
    _last_set: bool = field(default=False, repr=False)
    _base_settings: dict[str, str] = field(default_factory=dict, repr=False)
    _reset: set[str] = field(default_factory=set, repr=False)         # lessons restarted here: ours wins
    _mutex: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._base_settings = dict(self.settings)

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[Progress, str | None]:
        """Read the progress file: (progress, None), or (progress, a notice for the user)."""
        if path is None:
            try:
                path = data_dir() / FILENAME
            except HomeError as e:
                return cls(Path(os.devnull), read_only=True), f"{e}; progress is not saved this session."
        shown = safe.path(path)
        try:
            data = _read(path)
        except FileNotFoundError:
            return cls(path), None
        except (OSError, PathError) as e:
            why = e.strerror.lower() if isinstance(e, OSError) and e.strerror else str(e)
            return cls(path, read_only=True), (f"Your progress file {shown} cannot be read ({why}); "
                                               "it is left as it is, and progress is not saved this session.")
        try:
            lessons, last, settings = parse(data)
        except _Newer as e:
            return cls(path, read_only=True), (f"Your progress file {shown} was written by a newer rnn-tui "
                                               f"(format {e}); it is left as it is, and progress is not "
                                               "saved this session.")
        except _Damaged as e:
            backup = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(path, backup)
                kept = f"kept it as {backup.name}"
            except OSError:
                kept = "could not move it aside"
            return cls(path), f"Your progress file could not be read ({e}; {kept}); starting afresh."
        return cls(path, lessons, last, settings), None

    def save(self) -> None:
        """Merge with what is on disk now, under a lock, and write atomically (OSError on failure)."""
        if self.read_only:
            return
        try:
            target = resolve(self.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            with _locked(target):
                with self._mutex:                    # the merge and a consistent copy; not the write
                    self._merge_from_disk(target)
                    settings = dict(self.settings)
                    data = {"format_version": FORMAT_VERSION, "last": self.last, "settings": settings,
                            "lessons": {k: v.as_json() for k, v in sorted(self.lessons.items())}}
                    reset = set(self._reset)
                with atomic_write(self.path, sync_folder=False) as f:     # saved on every step
                    f.write(json.dumps(data, indent=1))
        except PathError as e:
            raise OSError(errno.EINVAL, str(e)) from None
        with self._mutex:
            self._base_settings.update(settings)
            self._reset -= reset

    def _merge_from_disk(self, target: Path) -> None:
        """Take in what another copy of the app saved since this one loaded."""
        try:
            lessons, last, settings = parse(_read(target))
        except _Newer:
            self.read_only = True
            raise OSError(errno.EEXIST, "a newer rnn-tui has written the progress file meanwhile") from None
        except (OSError, PathError, _Damaged):
            return                                   # nothing usable there: ours stands
        for k, theirs in lessons.items():
            mine = self.lessons.get(k)
            if k in self._reset:
                continue
            if mine is None or k not in self._touched:
                self.lessons[k] = theirs
            else:
                mine.furthest = max(mine.furthest, theirs.furthest)
                mine.answered |= theirs.answered
        if not self._last_set:
            self.last = last
        changed = {k: v for k, v in self.settings.items() if self._base_settings.get(k) != v}
        self.settings.clear()                        # in place: callers may hold the dict
        self.settings.update({**settings, **changed})

    def of(self, lesson_id: str) -> LessonProgress:
        """A lesson's progress, created on first use."""
        with self._mutex:
            return self.lessons.setdefault(lesson_id, LessonProgress())

    def set_setting(self, key: str, value: str) -> None:
        """Change a setting (the theme)."""
        with self._mutex:
            self.settings[key] = value

    def answered(self, lesson_id: str) -> frozenset[int]:
        """The steps of a lesson whose question is answered; reading creates no entry."""
        p = self.lessons.get(lesson_id)
        return frozenset(p.answered) if p is not None else frozenset()

    def visit(self, lesson_id: str, step: int) -> None:
        """The user is on this step now."""
        with self._mutex:
            p = self.of(lesson_id)
            p.step, p.furthest = step, max(p.furthest, step)
            self.last, self._last_set = lesson_id, True
            self._touched.add(lesson_id)

    def reset(self, lesson_id: str) -> None:
        """Forget a lesson's answers and place: the learner starts it again (the next save does not merge them back)."""
        with self._mutex:
            self.lessons[lesson_id] = LessonProgress()
            self._touched.add(lesson_id)
            self._reset.add(lesson_id)

    def answer(self, lesson_id: str, step: int) -> None:
        """The step's question is answered, or its answer was shown."""
        with self._mutex:
            self.of(lesson_id).answered.add(step)
            self._touched.add(lesson_id)

    def status(self, lesson_id: str, nsteps: int, questions: set[int]) -> str:
        """'not started', 'in progress' or 'done' (last step reached, every question answered)."""
        p = self.lessons.get(lesson_id)
        if p is None or (p.furthest == 0 and not p.answered):   # an entry older versions wrote for every lesson
            return "not started"
        if p.furthest >= nsteps - 1 and questions <= p.answered:
            return "done"
        return "in progress"


class Saver:
    """Writes a Progress from a thread of its own, so that the event loop never waits on the disk.

        saver = Saver(progress, on_error=lambda e: app.notify(...))
        saver.save()          # returns at once
        saver.close()         # when the app ends: writes what is pending, stops the thread

    Saves asked for while a write is under way make one more write, of the state at the time
    it starts: a burst of steps is one or two writes, never a queue of them.  A failed write
    (an OSError) goes to on_error, called in the saver's thread (Textual's App.notify may be
    called from any thread), once for each different error until a write succeeds again.
    After close(), save() writes at once in the caller's thread.
    """

    def __init__(self, progress: Progress, on_error: Callable[[OSError], None]) -> None:
        self.progress = progress
        self.on_error = on_error
        self.writes = 0                              # writes attempted, for tests and benchmarks
        self._cond = threading.Condition()
        self._asked = 0                              # saves asked for so far
        self._done = 0                               # the saves the last finished write covers
        self._closed = False
        self._thread: threading.Thread | None = None
        self._reported: str | None = None            # the last error passed on, until a write succeeds
        self.failure: OSError | None = None          # why the last write failed; None once one succeeds

    def save(self) -> None:
        """Write the progress soon (now, after close())."""
        with self._cond:
            if not self._closed:
                self._asked += 1
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="progress saver", daemon=True)
                    self._thread.start()
                self._cond.notify_all()
                return
        self._write()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every save asked for so far is written (or has failed); False on a timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._done >= self._asked, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is pending, then stop the thread (waits at most timeout seconds)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._done < self._asked or self._closed)
                if self._done >= self._asked:
                    return                           # closed, and nothing is pending
                covers = self._asked
            self._write()
            with self._cond:
                self._done = covers
                self._cond.notify_all()

    def _write(self) -> None:
        self.writes += 1
        try:
            self.progress.save()
        except OSError as e:
            self.failure = e
            said = f"{e.errno}: {e.strerror or e}"
            if said != self._reported:
                self._reported = said
                self.on_error(e)
        else:
            self._reported = self.failure = None
