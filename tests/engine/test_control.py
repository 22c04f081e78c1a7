"""The cadence object: thread- and process-safe, read by the trainer before every batch."""

from __future__ import annotations

import multiprocessing as mp
import pickle
import threading

import numpy as np
import pytest

from rnn_tui.engine.control import Cadence
from rnn_tui.engine.train import TrainConfig, Trainer

from .helpers import toy_names


def test_set_changes_only_what_it_names():
    """A part left out keeps its value; every_seconds=None turns the clock off."""
    c = Cadence(3, 0.5)
    c.set(every=7)
    assert c.get() == (7, 0.5)
    c.set(every_seconds=0.25)
    assert c.get() == (7, 0.25)
    c.set(every_seconds=None)
    assert c.get() == (7, None)
    c.set(every=0, every_seconds=1.0)
    assert c.get() == (0, 1.0)


@pytest.mark.parametrize("bad", [{"every": -1}, {"every": 1.5}, {"every": True},
                                 {"every_seconds": -0.1}, {"every_seconds": float("nan")},
                                 {"every_seconds": float("inf")}])
def test_nonsense_is_refused(bad):
    with pytest.raises(ValueError):
        Cadence().set(**bad)
    with pytest.raises(ValueError):
        Cadence(**bad)


def test_readers_never_see_half_a_change():
    """Writers flip between two pairs; a reader on another thread only ever sees whole pairs."""
    c = Cadence(1, None)
    pairs = {(1, None), (5, 0.125)}
    stop = threading.Event()
    seen: set = set()

    def write() -> None:
        while not stop.is_set():
            c.set(every=5, every_seconds=0.125)
            c.set(every=1, every_seconds=None)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for _ in range(20000):
            seen.add(c.get())
    finally:
        stop.set()
        writer.join()
    assert seen <= pairs


def _child_reads(cadence: Cadence, ready, go, out) -> None:
    ready.set()
    go.wait(10)
    out.put(cadence.get())


def test_a_shared_cadence_reaches_a_spawned_child():
    """With a multiprocessing context, the parent's set() after the child started is what the child reads."""
    ctx = mp.get_context("spawn")
    c = Cadence(0, 0.1, context=ctx)
    ready, go, out = ctx.Event(), ctx.Event(), ctx.Queue()
    child = ctx.Process(target=_child_reads, args=(c, ready, go, out), daemon=True)
    child.start()
    try:
        assert ready.wait(60)
        c.set(every=9, every_seconds=None)
        go.set()
        assert out.get(timeout=60) == (9, None)
    finally:
        child.join(10)
        if child.is_alive():
            child.terminate()


def test_a_plain_cadence_pickles_as_a_copy():
    c = Cadence(2, 0.5)
    twin = pickle.loads(pickle.dumps(c))
    twin.set(every=4)
    assert c.get() == (2, 0.5) and twin.get() == (4, 0.5)


def test_trainer_follows_a_cadence_changed_mid_run_from_another_thread():
    """The trainer reads the control before each batch: a change made while it runs takes effect."""
    control = Cadence(every=1)
    trainer = Trainer(toy_names(), TrainConfig(nhidden=8, batch_size=16, epochs=1), control=control)
    run = trainer.run()
    assert next(run).batch == 1
    t = threading.Thread(target=control.set, kwargs={"every": 3})
    t.start()
    t.join()
    assert [(s.kind, s.batch) for s in run] == [("batch", 3), ("batch", 6), ("epoch", 9)]


def test_default_cadence_comes_from_the_config():
    trainer = Trainer(toy_names(), TrainConfig(nhidden=8, every=2, every_seconds=0.5))
    assert trainer.control.get() == (2, 0.5)


def test_snapshots_carry_the_epoch_history_as_tuples():
    """Each snapshot holds the history up to itself; later epochs never change an earlier snapshot's."""
    trainer = Trainer(toy_names(), TrainConfig(nhidden=8, batch_size=16, epochs=3, every=4))
    snaps = list(trainer.run())
    epochs = [s for s in snaps if s.kind == "epoch"]
    assert [len(s.history) for s in epochs] == [1, 2, 3]
    assert [len(s.train_losses) for s in epochs] == [1, 2, 3]
    assert isinstance(epochs[0].history, tuple) and isinstance(epochs[0].train_losses, tuple)
    assert epochs[-1].history == tuple(trainer.history)
    assert epochs[-1].train_losses == tuple(trainer.train_losses)
    first_batch = snaps[0]
    assert first_batch.kind == "batch" and first_batch.history == ()
    assert epochs[1].history[-1] is epochs[1].metrics


def test_params_are_copies_of_the_current_weights():
    trainer = Trainer(toy_names(), TrainConfig(nhidden=8, batch_size=16, epochs=1))
    before = trainer.params()
    before["W"][...] = 0.0                      # scribbling on the copy changes nothing
    assert not np.all(trainer.params()["W"] == 0.0)
    snap = list(trainer.run())[-1]
    assert all(np.array_equal(trainer.params()[k], snap.params[k]) for k in snap.params)
