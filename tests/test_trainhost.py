"""The training process: commands, frames, exact single steps, deaths, and nothing left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from processes import gone

from rnn_tui.trainhost import TrainHost, check
from rnn_tui.trainhost import messages as m

CATS = {"data": "cats", "strategy": "sgd", "nhidden": 4, "lr": 0.05, "epochs": 100}
ARTICLE = {"words": ["cat", "chat", "katze"], "languages": ["English", "French", "German"], "strategy": "sgd",
           "nhidden": 4, "batch_size": 1, "lr": 0.01, "epochs": 150, "init": "article", "seed": 0,
           "dtype": "float64", "clip": None}


_unread: dict[int, list] = {}


def until(host: TrainHost, kind, timeout: float = 30.0, where=lambda msg: True) -> tuple[object, list]:
    """Read until a message of this kind (satisfying where) comes; returns it and all read up to it.

    Messages after it stay unread for the next call.
    """
    seen: list = []
    backlog = _unread.setdefault(id(host), [])
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not backlog:
            backlog.extend(host.poll())
            if not backlog:
                time.sleep(0.01)
                continue
        msg = backlog.pop(0)
        seen.append(msg)
        if isinstance(msg, kind) and where(msg):
            return msg, seen
    raise AssertionError(f"no {kind.__name__} within {timeout} s; got {[type(x).__name__ for x in seen]}")


def drain(host: TrainHost) -> list:
    """Everything unread now."""
    backlog = _unread.setdefault(id(host), [])
    backlog.extend(host.poll())
    out, backlog[:] = list(backlog), []
    return out


@pytest.fixture
def host():
    h = TrainHost(CATS)
    h.start()
    yield h
    h.close()


def test_ready_then_single_steps_are_exactly_one_batch(host):
    """Ready carries the initial weights; each step trains one batch and the child then waits."""
    ready, _ = until(host, m.Ready)
    assert ready.classes == ("Afrikaans", "English", "French", "German") and ready.frame.step == 0
    assert ready.batch_size == 1 and ready.nbatches == 4
    W0 = ready.frame.params["W"]
    for n in (1, 2, 3):
        host.step()
        frame, _ = until(host, m.Frame)
        assert frame.step == n and frame.batch == n and frame.paused
        until(host, m.Paused, where=lambda p, n=n: p.step == n)
    assert not np.array_equal(W0, frame.params["W"])
    time.sleep(0.3)
    assert not any(isinstance(x, m.Frame) for x in drain(host))     # and nothing more happens


def test_pause_stops_training_and_resume_goes_on(host):
    """After pause is acknowledged no newer frame arrives; resume trains again."""
    until(host, m.Ready)
    host.set_speed("300 batches/s")
    host.resume()
    until(host, m.Frame, where=lambda f: f.step > 5)
    host.pause()
    paused, _ = until(host, m.Paused)
    time.sleep(0.3)
    later = [x for x in drain(host) if isinstance(x, m.Frame)]
    assert all(f.step <= paused.step for f in later)
    host.resume()
    until(host, m.Frame, where=lambda f: f.step > paused.step)


def test_a_finished_run_ends_and_waits(host):
    """At full speed the cats run ends with Ended and one EpochEnd per epoch, then trains no more."""
    until(host, m.Ready)
    host.resume()
    ended, seen = until(host, m.Ended)
    epochs = [x for x in seen if isinstance(x, m.EpochEnd)]
    assert ended.reason == "finished" and ended.epochs == 100
    assert [e.epoch for e in epochs] == list(range(1, 101))
    host.resume()
    host.step()
    time.sleep(0.3)
    later = drain(host)
    assert not any(isinstance(x, m.EpochEnd) for x in later)
    assert all(x.step <= 400 for x in later if isinstance(x, m.Frame))     # 100 epochs of 4 names, no more


def test_lesson_5_preset_trains_exactly_what_lesson_5_computes():
    """The article's setup in the training process ends with the W that lesson 5's step reports."""
    from rnn_tui.steps import run

    h = TrainHost(ARTICLE)
    h.start()
    try:
        until(h, m.Ready)
        h.resume()
        _, seen = until(h, m.Ended)
        h.step()
        last = [x for x in seen if isinstance(x, m.Frame)][-1]
    finally:
        h.close()
    expected = run("train_cats", {})
    assert last.step == expected["updates"] == 450
    np.testing.assert_allclose(np.round(last.params["W"], 3), np.asarray(expected["W"].values), atol=1e-9)


def test_slow_motion_reads_the_word_one_character_at_a_time(host):
    """At the slowest speed the child sends h_t after each character of the batch's word."""
    until(host, m.Ready)
    host.set_speed("one word at a time")
    host.resume()
    first, _ = until(host, m.Reading)
    second, _ = until(host, m.Reading, where=lambda r: r.t == first.t + 1)
    assert second.word == first.word and second.hs.shape == (second.t + 1, 4)
    assert second.probs.shape == (4,) and np.isclose(second.probs.sum(), 1.0)
    assert second.word[:1] and second.label in ("Afrikaans", "English", "French", "German")


def test_a_bad_data_path_is_a_failed_message():
    """Loading happens in the child; a missing folder comes back as one line."""
    h = TrainHost({"data": "/no/such/folder"})
    h.start()
    try:
        failed, _ = until(h, m.Failed)
    finally:
        h.close()
    assert "no such file or folder" in failed.message and "\n" not in failed.message


def test_a_killed_child_is_reported_and_a_new_host_trains(host):
    """SIGKILL from outside: poll() says so in one line and closes the host; another starts fine."""
    until(host, m.Ready)
    pid = host.pid
    os.kill(pid, signal.SIGKILL)
    died, _ = until(host, m.Died)
    assert "killed (SIGKILL)" in died.message and "\n" not in died.message
    assert host.closed and not host.alive and gone(pid)
    again = TrainHost(CATS)
    again.start()
    try:
        until(again, m.Ready)
        again.step()
        until(again, m.Frame)
    finally:
        again.close()


def test_close_ends_the_process(host):
    """close() reaps the child, also mid-training."""
    until(host, m.Ready)
    host.resume()
    pid = host.pid
    host.close()
    assert gone(pid) and not host.alive


def test_a_dead_parent_takes_the_child_with_it(tmp_path):
    """A parent killed outright (no atexit, no cleanup) still leaves no training process."""
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import time
        from rnn_tui.trainhost import TrainHost
        if __name__ == "__main__":
            h = TrainHost({CATS!r})
            h.start()
            h.resume()
            print(h.pid, flush=True)
            time.sleep(60)
    """))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        time.sleep(1.0)
        assert not gone(pid)
        parent.kill()
        parent.wait()
        end = time.monotonic() + 10
        while not gone(pid) and time.monotonic() < end:
            time.sleep(0.05)
        assert gone(pid)
    finally:
        parent.kill()


def test_preset_errors_are_one_line():
    """Unknown keys, wrong types and half an inline data set are refused before anything starts."""
    with pytest.raises(ValueError, match="unknown preset key 'hiden'"):
        TrainHost({"hiden": 4})
    with pytest.raises(ValueError, match="nhidden must be a whole number"):
        check({"nhidden": 4.5})
    with pytest.raises(ValueError, match="give both words and languages"):
        check({"words": ["cat"]})
    with pytest.raises(ValueError, match="speed must be one of"):
        check({"speed": "warp"})
    assert check(ARTICLE).init == "article"


values = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                   st.text(max_size=12), st.lists(st.text(max_size=5), max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["nhidden", "lr", "epochs", "strategy", "clip", "init", "words",
                                        "languages", "valid_fraction", "speed", "data", "bias", "seed",
                                        "nonsense"]), values, max_size=5))
def test_any_preset_is_accepted_or_refused_with_a_value_error(preset):
    """Whatever a lesson file holds, check() returns a config or raises ValueError; nothing else."""
    try:
        check(preset)
    except ValueError as e:
        assert str(e) and "\n" not in str(e)


def test_each_epochs_confusion_matrix_is_the_one_its_weights_give():
    """The child reads the confusion matrix from the trainer's own validation pass; it must equal a fresh one."""
    from rnn_tui.engine.train import split_confusion
    from rnn_tui.trainhost.child import Controls, Session

    class Collect:
        """Stands where the pipe to the app would be: keeps what the session sends."""

        def __init__(self):
            self.sent = []

        def event(self, message):
            self.sent.append(message)

        frame = event

    outbox = Collect()
    session = Session(Controls("full"), outbox)  # type: ignore[arg-type]
    trainer = session._build({"data": "cats", "strategy": "sgd", "nhidden": 4, "lr": 0.05, "epochs": 6,
                              "valid_fraction": 0.5})
    assert trainer is not None and len(trainer.data.valid) > 0
    seen = []
    for snap in trainer.run():
        if snap.kind == "epoch":
            session._epoch_end(trainer, snap)
            fresh = split_confusion(dict(snap.params), trainer.data.valid, len(trainer.data.classes))
            np.testing.assert_array_equal(outbox.sent[-1].confusion, fresh)
            seen.append(fresh)
    assert len(seen) == 6 and len({s.tobytes() for s in seen}) > 1    # the matrices follow the training
