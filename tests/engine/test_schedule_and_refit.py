"""The learning-rate schedule, stopping early on purpose (stop_after), and refitting on every name."""

from dataclasses import replace

import numpy as np
import pytest

from rnn_tui.engine.backend import NumpyBackend
from rnn_tui.engine.config import TrainConfig
from rnn_tui.engine.optim import SCHEDULES, epoch_lr
from rnn_tui.engine.train import Trainer

from .helpers import toy_names


def test_cosine_falls_from_lr_toward_zero_and_constant_stays():
    rates = [epoch_lr(0.01, "cosine", e, 10) for e in range(1, 11)]
    assert rates[0] == 0.01
    assert all(a > b > 0 for a, b in zip(rates, rates[1:]))
    assert rates[5] == pytest.approx(0.005)                # epoch 6 of 10 starts half way down
    assert rates[-1] < 0.01 * 0.03
    assert {epoch_lr(0.01, "constant", e, 10) for e in range(1, 11)} == {0.01}
    with pytest.raises(ValueError, match="unknown schedule 'step'"):
        epoch_lr(0.01, "step", 1, 10)
    assert SCHEDULES == ("constant", "cosine")


class Recording(NumpyBackend):
    """The NumPy backend, noting the learning rate of every update."""

    rates: list[float]

    def step(self, strategy, seqs, y, weights=None):
        self.rates.append(self.opt.lr)
        return super().step(strategy, seqs, y, weights)


def recorded(cfg: TrainConfig, data=None) -> tuple[Trainer, list[float]]:
    trainer = Trainer(data or toy_names(), cfg)
    backend = trainer.backend
    assert isinstance(backend, NumpyBackend)
    backend.__class__ = Recording
    rates: list[float] = []
    backend.rates = rates                                  # type: ignore[attr-defined]
    list(trainer.run())
    return trainer, rates


def test_every_update_of_an_epoch_uses_that_epochs_rate():
    cfg = TrainConfig(nhidden=8, batch_size=16, epochs=4, lr=0.01, schedule="cosine")
    trainer, rates = recorded(cfg)
    per_epoch = len(rates) // 4
    assert len(rates) == 4 * per_epoch
    for e in range(4):
        assert set(rates[e * per_epoch:(e + 1) * per_epoch]) == {epoch_lr(0.01, "cosine", e + 1, 4)}
    _, flat = recorded(replace(cfg, schedule="constant"))
    assert set(flat) == {0.01}


def test_numpy_and_torch_backends_follow_the_same_schedule():
    """float64, same start, same batches, cosine: autograd's Adam and the hand-written one agree."""
    pytest.importorskip("torch")
    base = TrainConfig(nhidden=6, batch_size=16, epochs=3, lr=0.01, dtype="float64", device="cpu",
                       schedule="cosine")
    a = list(Trainer(toy_names(), base).run())[-1]
    b = list(Trainer(toy_names(), replace(base, backend="torch")).run())[-1]
    constant = list(Trainer(toy_names(), replace(base, schedule="constant")).run())[-1]
    for k in a.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=1e-7, atol=1e-9)
    assert not np.allclose(a.params["W"], constant.params["W"])


def test_stop_after_ends_the_run_on_the_schedule_of_the_full_run():
    """Epochs 1..k of a run stopped after k are those of the full run: same rates, same weights."""
    cfg = TrainConfig(nhidden=8, batch_size=16, epochs=5, lr=0.01, schedule="cosine")
    full = list(Trainer(toy_names(), cfg).run())
    short = list(Trainer(toy_names(), replace(cfg, stop_after=3)).run())
    assert [s.epoch for s in short] == [1, 2, 3] and short[-1].stop_reason == "finished"
    for k in short[-1].params:
        np.testing.assert_array_equal(short[-1].params[k], full[2].params[k])
    with pytest.raises(ValueError, match="stop_after must be from 0 to epochs"):
        replace(cfg, stop_after=6).check()
    with pytest.raises(ValueError, match="schedule must be one of constant, cosine"):
        replace(cfg, schedule="warm").check()


def test_all_names_trains_on_both_splits_and_keeps_the_last_epoch():
    data = toy_names()
    everything = data.all_names()
    assert len(everything.train) == len(data.train) + len(data.valid) and len(everything.valid) == 0
    assert sorted(everything.train.names) == sorted(data.train.names + data.valid.names)
    assert np.array_equal(np.bincount(everything.train.y),
                          np.bincount(data.train.y, minlength=3) + np.bincount(data.valid.y, minlength=3))
    trainer = Trainer(everything, TrainConfig(nhidden=8, batch_size=16, epochs=3, lr=0.01, balance=True))
    last = list(trainer.run())[-1]
    assert trainer.best_epoch == 3 and np.isnan(last.metrics.accuracy)
    for k, v in trainer.final()[0].items():
        np.testing.assert_array_equal(v, last.params[k])
