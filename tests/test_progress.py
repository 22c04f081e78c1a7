"""The progress file: round trip, statuses, corrupt files kept aside, atomic saves."""

import json

import pytest

from rnn_tui import progress
from rnn_tui.progress import Progress


def test_round_trip_and_status(tmp_path):
    """Visits and answers persist; status moves from not started to done."""
    path = tmp_path / "progress.json"
    p, notice = Progress.load(path)
    assert notice is None and p.status("a", 3, {1}) == "not started"
    p.visit("a", 1)
    p.answer("a", 1)
    p.settings["theme"] = "nord"
    p.save()
    q, _ = Progress.load(path)
    assert q.last == "a" and q.of("a").step == 1 and q.status("a", 3, {1}) == "in progress"
    q.visit("a", 2)
    assert q.status("a", 3, {1}) == "done" and q.status("a", 3, {1, 2}) == "in progress"
    assert q.settings == {"theme": "nord"}


@pytest.mark.parametrize("content", [b"\x00\xff garbage", b"[]", b'{"format_version": 1}',
                                     b'{"format_version": 7, "lessons": {}}',
                                     b'{"format_version": 1, "lessons": {"a": {"step": "x"}}}'])
def test_unreadable_files_are_kept_aside(tmp_path, content):
    """Binary junk, wrong shapes, a future format: backed up, reset, with a notice."""
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    p, notice = Progress.load(path)
    assert p.lessons == {} and "could not be read" in notice
    (backup,) = tmp_path.glob("progress.json.corrupt-*")
    assert backup.read_bytes() == content and not path.exists()


def test_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    """If writing fails half-way, the previous progress is still there, and no temporary file is left."""
    path = tmp_path / "progress.json"
    p, _ = Progress.load(path)
    p.visit("a", 1)
    p.save()
    before = path.read_text()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(progress.json, "dumps", broken)
    p.visit("a", 2)
    with pytest.raises(OSError):
        p.save()
    assert path.read_text() == before and json.loads(before)["lessons"]["a"]["step"] == 1
    assert [f.name for f in tmp_path.iterdir()] == ["progress.json"]


def test_data_dir_follows_the_environment(tmp_path, monkeypatch):
    """RNN_TUI_HOME overrides the platform's user data folder."""
    monkeypatch.setenv("RNN_TUI_HOME", str(tmp_path / "x"))
    assert progress.data_dir() == tmp_path / "x"
    monkeypatch.delenv("RNN_TUI_HOME")
    assert "rnn-tui" in str(progress.data_dir())
