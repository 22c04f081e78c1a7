"""The progress file: round trip, damaged files kept aside, newer or unreadable ones left alone,
two app instances merged, links kept, and any bytes at all survived (hypothesis)."""

import json
import multiprocessing
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


DAMAGED = {
    "binary junk": b"\x00\xff garbage",
    "a list": b"[]",
    "no lessons": b'{"format_version": 1}',
    "a string step": b'{"format_version": 1, "lessons": {"a": {"step": "x", "furthest": 0, "answered": []}}}',
    "Infinity": b'{"format_version": 1, "lessons": {"a": {"step": Infinity, "furthest": 0, "answered": []}}}',
    "NaN": b'{"format_version": 1, "lessons": {"a": {"step": NaN, "furthest": 0, "answered": []}}}',
    "100,000 nested [": b"[" * 100_000,
    "a 5,000-digit step": b'{"format_version": 1, "lessons": {"a": {"step": ' + b"9" * 5000 + b"}}}",
    "a negative step": b'{"format_version": 1, "lessons": {"a": {"step": -1, "furthest": 0, "answered": []}}}',
    "a boolean step": b'{"format_version": 1, "lessons": {"a": {"step": true, "furthest": 0, "answered": []}}}',
    "an old format": b'{"format_version": 0, "lessons": {}}',
    "a boolean format": b'{"format_version": true, "lessons": {}}',
    "over a megabyte": b'{"format_version": 1, "lessons": {}, "x": "' + b"a" * 1_100_000 + b'"}',
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_files_are_kept_aside(tmp_path, content):
    """Item 6: junk, wrong shapes, Infinity, deep nesting, huge numbers: backed up, reset, with a notice."""
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    p, notice = Progress.load(path)
    assert p.lessons == {} and "could not be read" in notice and not p.read_only
    (backup,) = tmp_path.glob("progress.json.corrupt-*")
    assert backup.read_bytes() == content and not path.exists()


def test_a_newer_format_is_left_alone(tmp_path):
    """Item 6: a file from a newer rnn-tui is not 'corrupt': it stays as it is and is never overwritten."""
    path = tmp_path / "progress.json"
    content = b'{"format_version": 2, "lessons": {"a": {"new": "shape"}}}'
    path.write_bytes(content)
    p, notice = Progress.load(path)
    assert "newer rnn-tui (format 2)" in notice and "corrupt" not in notice and p.read_only
    p.visit("b", 3)
    p.save()
    assert path.read_bytes() == content and list(tmp_path.glob("*corrupt*")) == []


@pytest.mark.parametrize("kind", ["folder", "fifo", "no permission"])
def test_an_unreadable_file_is_reported_as_such_and_left_alone(tmp_path, monkeypatch, kind):
    """Item 6: a folder, a FIFO (which must not hang) or a file we may not read: said so, left alone."""
    path = tmp_path / "progress.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text("{}")
        os.chmod(path, 0)
        if os.geteuid() == 0:                   # root reads anything: make the read fail as it would

            def denied(*args, **kwargs):
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(progress, "open", denied, raising=False)
    p, notice = Progress.load(path)
    assert "cannot be read" in notice and "corrupt" not in notice and p.read_only
    p.visit("a", 1)
    p.save()
    assert os.path.lexists(path) and list(tmp_path.glob("*corrupt*")) == []


def test_an_unknown_user_in_rnn_tui_home_does_not_stop_the_app(monkeypatch):
    """Item 6: RNN_TUI_HOME='~nosuchuser/x' gives a notice and an unsaved session, not a RuntimeError."""
    monkeypatch.setenv("RNN_TUI_HOME", "~nosuchuser-rnn/x")
    with pytest.raises(progress.HomeError, match="no user 'nosuchuser-rnn'"):
        progress.data_dir()
    p, notice = Progress.load()
    assert p.read_only and "RNN_TUI_HOME" in notice and "not saved" in notice
    p.save()


def test_two_instances_merge_instead_of_the_last_writer_winning(tmp_path):
    """Item 5: one copy opens lesson 3, the other lesson 7: the file keeps both, answers united."""
    path = tmp_path / "progress.json"
    a, _ = Progress.load(path)
    b, _ = Progress.load(path)
    a.visit("03", 2)
    a.answer("03", 1)
    a.settings["theme"] = "nord"
    a.save()
    b.visit("07", 4)
    b.save()
    b.visit("03", 0)                    # b goes back to the start of lesson 3: a's furthest step survives
    b.save()
    final, _ = Progress.load(path)
    assert set(final.lessons) == {"03", "07"} and final.last == "03"
    assert final.of("03").furthest == 2 and final.of("03").answered == {1} and final.of("03").step == 0
    assert final.of("07").step == 4 and final.settings == {"theme": "nord"}


def _save_many(path: str, prefix: str, n: int) -> None:
    for i in range(n):
        p, _ = Progress.load(__import__("pathlib").Path(path))
        p.visit(f"{prefix}{i}", 1)
        p.save()


def test_concurrent_saves_from_two_processes_lose_nothing(tmp_path):
    """Item 5: two processes saving 40 lessons each as fast as they can: all 80 are in the file."""
    path = tmp_path / "progress.json"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_save_many, args=(str(path), prefix, 40)) for prefix in "ab"]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    p, notice = Progress.load(path)
    assert notice is None and len(p.lessons) == 80


def test_a_symlinked_progress_file_stays_a_symlink(tmp_path):
    """Item 5: a progress file kept elsewhere through a link (dotfiles): saving writes through the link."""
    real = tmp_path / "dotfiles" / "rnn-tui.json"
    real.parent.mkdir()
    real.write_text('{"format_version": 1, "lessons": {}}')
    link = tmp_path / "progress.json"
    link.symlink_to(real)
    p, notice = Progress.load(link)
    p.visit("a", 2)
    p.save()
    assert notice is None and link.is_symlink() and json.loads(real.read_text())["lessons"]["a"]["step"] == 2


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
    assert not [f.name for f in tmp_path.iterdir() if f.name.endswith(".tmp")]


def test_data_dir_follows_the_environment(tmp_path, monkeypatch):
    """RNN_TUI_HOME overrides the platform's user data folder."""
    monkeypatch.setenv("RNN_TUI_HOME", str(tmp_path / "x"))
    assert progress.data_dir() == tmp_path / "x"
    monkeypatch.delenv("RNN_TUI_HOME")
    assert "rnn-tui" in str(progress.data_dir())


# ----------------------------------------------------------------------------- fuzz

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
                    max_leaves=30)
# values shaped like a progress file, so the fuzz reaches the deep checks, not only the first one
LESSON = st.fixed_dictionaries({"step": JSON | st.integers(-2, 20), "furthest": JSON | st.integers(-2, 20),
                                "answered": st.lists(JSON | st.integers(-2, 20), max_size=4) | JSON})
FILE = st.fixed_dictionaries({"format_version": st.sampled_from([1, 1, 1, 2, 0, "1", True, 1.0, None]),
                              "lessons": st.dictionaries(st.text(max_size=4), LESSON | JSON, max_size=3) | JSON},
                             optional={"last": JSON, "settings": JSON | st.dictionaries(st.text(), st.text())})
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _load_never_raises(tmp_path, data: bytes):
    path = tmp_path / "progress.json"
    for old in tmp_path.iterdir():
        old.unlink()
    path.write_bytes(data)
    p, notice = Progress.load(path)
    if notice is None:                                   # accepted: every value is in range and saves again
        assert all(0 <= v.step <= progress.MAX_STEP and type(v.step) is int for v in p.lessons.values())
        p.save()
        assert Progress.load(path)[0].lessons == p.lessons
    else:
        assert "\n" not in notice
    return p, notice


@FUZZ
@given(FILE)
def test_fuzz_progress_shaped_json(tmp_path, raw):
    """Any JSON shaped roughly like a progress file: loaded cleanly or set aside, never an exception."""
    data = json.dumps(raw, allow_nan=True).encode()
    _load_never_raises(tmp_path, data)


@FUZZ
@given(st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_fuzz_any_bytes(tmp_path, data):
    """Arbitrary bytes or JSON: load() always returns progress, with a one-line notice if it refused."""
    _load_never_raises(tmp_path, data)


@FUZZ
@given(st.dictionaries(st.text(min_size=1, max_size=10),
                       st.tuples(st.integers(0, 50), st.integers(0, 50), st.sets(st.integers(0, 50), max_size=5)),
                       max_size=5),
       st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3))
def test_fuzz_round_trip(tmp_path, lessons, settings_):
    """Whatever the app records (any lesson ids, steps, answers, settings) reads back the same."""
    path = tmp_path / "progress.json"
    path.unlink(missing_ok=True)
    p, _ = Progress.load(path)
    for k, (step, furthest, answered) in lessons.items():
        p.visit(k, furthest)
        p.visit(k, step)
        for a in answered:
            p.answer(k, a)
    p.settings.update(settings_)
    p.save()
    q, notice = Progress.load(path)
    assert notice is None and q.lessons == p.lessons and q.settings == p.settings


class TestSaver:
    """progress.Saver: writes in its own thread, coalesces bursts, loses nothing on close, reports errors once."""

    def test_save_returns_while_the_disk_is_still_busy(self, tmp_path, monkeypatch):
        """The caller never waits on a write: save() returns while one is held up, and the held-up
        write finishes afterwards."""
        import threading

        p, _ = Progress.load(tmp_path / "progress.json")
        entered, release = threading.Event(), threading.Event()
        real_save = Progress.save

        def slow(self):
            entered.set()
            assert release.wait(30)
            real_save(self)

        monkeypatch.setattr(Progress, "save", slow)
        saver = progress.Saver(p, on_error=lambda e: None)
        p.visit("a", 1)
        saver.save()
        assert entered.wait(30)                       # the write has started, and is held
        p.visit("a", 2)
        saver.save()                                  # returns although the first write is not done
        assert not (tmp_path / "progress.json").exists()
        release.set()
        assert saver.flush(30)
        saver.close()
        assert json.loads((tmp_path / "progress.json").read_text())["lessons"]["a"]["step"] == 2

    def test_a_burst_of_saves_is_a_few_writes_of_the_latest_state(self, tmp_path, monkeypatch):
        """Saves asked for while a write is under way become one more write, not one each."""
        import threading

        p, _ = Progress.load(tmp_path / "progress.json")
        release = threading.Event()
        real_save = Progress.save

        def held(self):
            assert release.wait(30)
            real_save(self)

        monkeypatch.setattr(Progress, "save", held)
        saver = progress.Saver(p, on_error=lambda e: None)
        for step in range(100):
            p.visit("a", step)
            saver.save()
        release.set()
        saver.close()
        assert saver.writes <= 2
        assert json.loads((tmp_path / "progress.json").read_text())["lessons"]["a"]["step"] == 99

    def test_close_writes_what_is_pending_and_later_saves_write_at_once(self, tmp_path):
        """Nothing is lost on quit; a save after close() is written before it returns."""
        path = tmp_path / "progress.json"
        p, _ = Progress.load(path)
        saver = progress.Saver(p, on_error=lambda e: None)
        p.answer("a", 3)
        saver.save()
        saver.close()
        assert json.loads(path.read_text())["lessons"]["a"]["answered"] == [3]
        p.visit("b", 4)
        saver.save()
        assert json.loads(path.read_text())["lessons"]["b"]["step"] == 4

    def test_a_failing_disk_is_reported_once_per_error_and_the_old_file_stays(self, tmp_path, monkeypatch):
        """Each different error is passed on once, until a write succeeds; the file keeps its last good state."""
        import errno

        path = tmp_path / "progress.json"
        p, _ = Progress.load(path)
        p.visit("a", 1)
        p.save()
        before = path.read_text()
        errors: list[OSError] = []
        saver = progress.Saver(p, on_error=errors.append)
        real_fsync = os.fsync

        def full(fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        for step in (2, 3, 4):
            p.visit("a", step)
            saver.save()
            assert saver.flush(30)
        assert [e.errno for e in errors] == [errno.ENOSPC]
        assert saver.failure is not None and saver.failure.errno == errno.ENOSPC   # what quitting reports
        assert path.read_text() == before
        assert not [f.name for f in tmp_path.iterdir() if f.name.endswith(".tmp")]
        monkeypatch.setattr(os, "fsync", real_fsync)
        saver.save()
        saver.close()
        assert json.loads(path.read_text())["lessons"]["a"]["step"] == 4 and len(errors) == 1
        assert saver.failure is None                                               # written after all

    def test_changes_made_while_the_saver_writes_are_all_kept(self, tmp_path):
        """The event loop keeps changing progress (steps, answers, a setting) while the thread merges and
        writes: nothing raises, and the file ends with every change."""
        path = tmp_path / "progress.json"
        p, _ = Progress.load(path)
        saver = progress.Saver(p, on_error=lambda e: pytest.fail(str(e)))
        for i in range(300):
            p.visit(f"lesson-{i % 7}", i)
            p.answer(f"lesson-{i % 7}", i)
            p.set_setting(f"s{i % 5}", str(i))
            saver.save()
        saver.close()
        saved = json.loads(path.read_text())
        assert saved["settings"] == {f"s{k}": str(295 + k) for k in range(5)}
        for k in range(7):
            mine = [i for i in range(300) if i % 7 == k]
            assert saved["lessons"][f"lesson-{k}"]["step"] == mine[-1]
            assert saved["lessons"][f"lesson-{k}"]["answered"] == mine
