"""Atomic writes and --out checks: links written through, non-regular files refused, stale temp files swept."""

import os
import socket
import stat
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_tui import files
from rnn_tui.files import PathError, atomic_write, check_target


def test_atomic_write_replaces_and_keeps_permissions(tmp_path):
    """A new file gets 0666 less the umask; an existing file keeps its own mode."""
    path = tmp_path / "a.txt"
    with atomic_write(path) as f:
        f.write("one")
    os.chmod(path, 0o640)
    with atomic_write(path) as f:
        f.write("two")
    assert path.read_text() == "two" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    """Item 4: --out a link to a regular file: the link survives, its target gets the content."""
    target, link = tmp_path / "real.npz", tmp_path / "link.npz"
    target.write_text("old")
    link.symlink_to(target)
    with atomic_write(link) as f:
        f.write("new")
    assert link.is_symlink() and target.read_text() == "new"
    dangling = tmp_path / "dangling.npz"
    dangling.symlink_to(tmp_path / "later.npz")
    with atomic_write(dangling) as f:
        f.write("x")
    assert dangling.is_symlink() and (tmp_path / "later.npz").read_text() == "x"


@pytest.mark.parametrize("kind", ["folder", "fifo", "socket", "link to a fifo"])
def test_non_regular_targets_are_refused_untouched(tmp_path, kind):
    """Item 4: a folder, a FIFO, a socket (or a link to one) is refused before anything is written."""
    path = tmp_path / "target"
    if kind == "folder":
        path.mkdir()
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        s.close()
    else:
        os.mkfifo(tmp_path / "fifo")
        if kind == "fifo":
            os.rename(tmp_path / "fifo", path)
        else:
            path.symlink_to(tmp_path / "fifo")
    before, names = os.lstat(path), sorted(p.name for p in tmp_path.iterdir())
    for call in (lambda: check_target(path), lambda: atomic_write(path).__enter__()):
        with pytest.raises(PathError) as e:
            call()
        assert "\n" not in str(e.value)
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == names             # no temporary file left


def test_a_device_is_refused_without_writing():
    """Item 4: /dev/null is a character device: resolve() refuses it (nothing is opened for writing)."""
    with pytest.raises(PathError, match="is a device"):
        files.resolve("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("raw,message", [
    ("", "an empty path"),
    ("   ", "an empty path"),
    ("~nosuchuser-rnn/x.npz", "there is no user 'nosuchuser-rnn'"),
    ("{tmp}", "is a folder"),
    ("{tmp}/file/x.npz", "is a file, not a folder"),
    ("{tmp}/" + "n" * 300 + ".npz", "longer than the"),
    ("{tmp}/new/" + "n" * 300 + "/x.npz", "longer than the"),
    ("{tmp}/a\0b", "NUL"),
])
def test_check_target_refuses_in_one_line(tmp_path, raw, message):
    """Item 2: every path that cannot be written is one line naming the reason."""
    (tmp_path / "file").write_text("")
    with pytest.raises(PathError, match=message) as e:
        check_target(raw.replace("{tmp}", str(tmp_path)))
    assert "\n" not in str(e.value)


def test_check_target_accepts_missing_folders_and_writes_nothing(tmp_path):
    """A path under folders that do not exist yet is fine, and checking it creates nothing."""
    assert check_target(tmp_path / "a" / "b" / "m.npz") == tmp_path / "a" / "b" / "m.npz"
    assert check_target(tmp_path / "m.npz") == tmp_path / "m.npz"
    assert list(tmp_path.iterdir()) == []


def test_check_target_refuses_a_read_only_folder():
    """Item 2: a folder the user cannot write to (root ignores modes, so root checks as nobody)."""
    folder = Path(tempfile.mkdtemp())                   # /tmp/xyz: nobody can reach it, unlike tmp_path
    os.chmod(folder, 0o555)
    root = os.geteuid() == 0
    try:
        if root:
            os.seteuid(65534)
        with pytest.raises(PathError, match="not writable|cannot write") as e:
            check_target(folder / "m.npz")
    finally:
        if root:
            os.seteuid(0)
        os.chmod(folder, 0o755)
    assert "\n" not in str(e.value) and list(folder.iterdir()) == []
    folder.rmdir()


def test_stale_temp_files_are_removed_on_the_next_write(tmp_path):
    """Item 16: temp files of dead writers (and old unstamped ones) go; a live writer's stays."""
    target = tmp_path / "m.npz"
    dead = tmp_path / ".m.npz.999999999.abcdefgh.tmp"             # no such process
    legacy = tmp_path / ".m.npz.q1w2e3r4.tmp"                     # the old naming, an hour old
    live = tmp_path / f".m.npz.{os.getppid()}.zzzzzzzz.tmp"        # a process that is running
    other = tmp_path / ".other.npz.999999999.abcdefgh.tmp"        # another target's: not ours to judge
    for p in (dead, legacy, live, other):
        p.write_bytes(b"x" * 1000)
    old = time.time() - 3600
    os.utime(legacy, (old, old))
    with atomic_write(target, "wb") as f:
        f.write(b"model")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, live.name, other.name])


def test_a_long_name_still_gets_a_temp_file(tmp_path):
    """A 250-byte target name works: the temporary file's name is cut, not the target's."""
    target = tmp_path / ("x" * 246 + ".npz")
    with atomic_write(target) as f:
        f.write("ok")
    assert target.read_text() == "ok"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(st.characters(exclude_characters="/"), max_size=300), min_size=1, max_size=3))
def test_check_target_on_random_names_is_a_path_or_one_line(tmp_path, parts):
    """Any name under a folder: a target path or one PathError line, never another exception."""
    try:
        path = check_target(os.path.join(tmp_path, *parts))
    except PathError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(path, Path)
