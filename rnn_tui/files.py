"""Writing files so that a crash never leaves half of one, and checking a target before work starts.

`atomic_write` writes a temporary file beside the target, fsyncs it and
renames it over the target in one step.  The target is resolved first: a
symbolic link is written through (the link stays a link and its target
gets the new content), and anything that is not a regular file (a folder,
a FIFO, a device, a socket) is refused rather than replaced.  Temporary
files carry the writer's process id; ones left behind by a process that
died (SIGKILL, power loss) are removed on the next write to the same target.

`check_target` runs the same checks, and more, before a long job: the
command line calls it on `--out` before training, so a bad path costs a
second, not the trained model.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from . import safe

TMP_SUFFIX = ".tmp"
STEM_CHARS = 60                    # characters of the target's name kept in a temporary file's name
LEGACY_STALE_SECONDS = 600         # temporary files without a process id count as stale after this
STALE_SECONDS = 86_400             # ... and ones with a live (perhaps reused) process id after this


class PathError(ValueError):
    """A path that cannot be written; the message is one line for the user."""


def expand(raw: str | os.PathLike[str]) -> Path:
    """raw as a Path with ~ expanded; PathError for '' or an unknown ~user."""
    text = os.fspath(raw)
    if not text.strip():
        raise PathError("an empty path: give a file name")
    if "\0" in text:
        raise PathError(f"{safe.path(text.replace(chr(0), ''))}: a path cannot hold a NUL character")
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        raise PathError(f"{safe.path(text)}: holds characters this system cannot use in a file name") from None
    try:
        return Path(text).expanduser()
    except RuntimeError:                            # ~nosuchuser
        user = text.split(os.sep, 1)[0]
        raise PathError(f"{safe.path(text)}: there is no user {safe.path(user[1:])!r} for {user} to name") \
            from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def resolve(raw: str | os.PathLike[str]) -> Path:
    """Where a write to raw really goes: links followed; PathError for a target that is not a regular file."""
    path = expand(raw)
    _check_lengths(path, raw)
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):   # the write creates it (check_target looks closer)
        return path
    except OSError as e:
        raise PathError(f"{safe.path(raw)}: {(e.strerror or str(e)).lower()}") from None
    real = path
    if stat.S_ISLNK(st.st_mode):
        real = Path(os.path.realpath(path))
        try:
            st = os.stat(real)
        except (FileNotFoundError, NotADirectoryError):
            return real
        except OSError as e:
            raise PathError(f"{safe.path(raw)}: {(e.strerror or str(e)).lower()}") from None
    if not stat.S_ISREG(st.st_mode):
        what = _kind(st.st_mode)
        hint = "; give a file name inside it" if what == "a folder" else "; rnn-tui only writes regular files"
        shown = safe.path(raw) + (f" (a link to {safe.path(real)})" if real != path else "")
        raise PathError(f"{shown} is {what}{hint}")
    return real


def _check_lengths(path: Path, raw: str | os.PathLike[str]) -> None:
    """PathError for a name longer than NAME_MAX (255 bytes, or what pathconf says) or a path over PATH_MAX."""
    if len(os.fsencode(path)) > 4096:
        raise PathError(f"{safe.path(raw)[:60]}...: the path is longer than 4,096 bytes")
    folder = path.parent
    while not os.path.isdir(folder) and folder != folder.parent:
        folder = folder.parent
    limit = _name_max(folder)
    for part in path.parts:
        if len(os.fsencode(part)) > limit:
            raise PathError(f"{safe.path(raw)[:60]}...: the name {safe.path(part)[:30]}... is longer "
                            f"than the {limit} bytes a file name may have here")


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):    # Windows has no pathconf
        return 255


def check_target(raw: str | os.PathLike[str]) -> Path:
    """Check that a file could be written at raw, without writing it; the real target, or PathError.

    Refuses: '', an unknown ~user, a folder or another non-regular file, a
    name too long for the file system, a parent that is a file, and a folder
    this user cannot write to.  Missing parent folders are fine (the write
    creates them) if the nearest existing one is writable.
    """
    path = resolve(raw)
    shown = safe.path(raw)
    ancestor = path.parent
    while not os.path.lexists(ancestor):
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        what = "a broken link" if ancestor.is_symlink() else "a file"
        raise PathError(f"{shown}: {safe.path(ancestor)} is {what}, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids):
        raise PathError(f"{shown}: the folder {safe.path(ancestor)} is not writable")
    if ancestor == path.parent:                      # it exists: prove it with a real (empty) file
        try:
            fd, probe = tempfile.mkstemp(prefix=_tmp_prefix(path), suffix=TMP_SUFFIX, dir=ancestor)
        except OSError as e:
            raise PathError(f"{shown}: cannot write in {safe.path(ancestor)} "
                            f"({(e.strerror or str(e)).lower()})") from None
        os.close(fd)
        os.unlink(probe)
    return path


# ---------------------------------------------------------------------------
# temporary files: .<name>.<pid>.<random>.tmp

def _tmp_prefix(path: Path) -> str:
    return f".{path.name[:STEM_CHARS]}.{os.getpid()}."


def _alive(pid: int) -> bool:
    if sys.platform == "win32":                      # os.kill would terminate it there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                                  # exists, owned by someone else
        return True
    return True


def remove_stale(path: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files of path's name that a dead writer left behind; return them."""
    stem = re.escape(path.name[:STEM_CHARS])
    ours = re.compile(rf"\.{stem}\.(\d+)\.[a-z0-9_]{{8}}{re.escape(TMP_SUFFIX)}")
    legacy = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}{re.escape(TMP_SUFFIX)}")
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        m = ours.fullmatch(entry.name)
        if m is None and not legacy.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            pid = int(m.group(1)) if m else None
            stale = (age > LEGACY_STALE_SECONDS if pid is None else
                     (pid != os.getpid() and not _alive(pid)) or age > STALE_SECONDS)
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _umask() -> int:
    """The process's umask, read without changing it where the system says (Linux): setting it to read
    it back would, for a moment, change the permissions of files other threads create."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", sync_folder: bool = True) -> Iterator[IO]:
    """Yield a file in the target's folder; on success it replaces the target in one rename.

    On error the temporary file vanishes and the target is untouched.  A new
    file gets the usual permissions (0666 less the umask), an existing one
    keeps its own.  Raises PathError for a target that is not a regular file.
    sync_folder=False skips making the rename itself durable (a few ms):
    for files rewritten often from the UI, where losing the last rename to
    a power cut costs one step of progress.
    """
    target = resolve(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    try:
        perms = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        perms = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(target), suffix=TMP_SUFFIX, dir=target.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, perms)
        with (os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8")) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_folder:
        _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened or synced."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
