"""The training generator: strategies, snapshots, best parameters, divergence."""

import numpy as np
import pytest

from rnn_tui.engine import train
from rnn_tui.engine.train import TrainConfig, Trainer, TrainingDiverged

from .helpers import cats_dataset, toy_names


def run_all(trainer):
    return list(trainer.run())


@pytest.mark.parametrize("strategy", ["sgd", "minibatch", "vectorized"])
def test_every_strategy_learns_the_toy_names(strategy):
    """Each NumPy strategy gets well above chance on names told apart by their endings."""
    data = toy_names()
    cfg = TrainConfig(strategy=strategy, nhidden=16, batch_size=8, epochs=8, lr=0.01, seed=1)
    snaps = run_all(Trainer(data, cfg))
    assert [s.epoch for s in snaps] == list(range(1, 9))
    assert snaps[-1].best.accuracy >= 0.9
    assert snaps[-1].train_loss < snaps[0].train_loss


def test_snapshots_are_immutable_copies_at_the_chosen_cadence():
    """every=2 yields batch snapshots between epoch ones; arrays are read-only and detached."""
    data = toy_names()
    cfg = TrainConfig(nhidden=8, batch_size=16, epochs=2, every=2)
    snaps = run_all(Trainer(data, cfg))
    nb = snaps[0].nbatches
    assert nb == 9
    kinds = [(s.kind, s.batch) for s in snaps if s.epoch == 1]
    assert kinds == [("batch", 2), ("batch", 4), ("batch", 6), ("batch", 8), ("epoch", 9)]
    first, last = snaps[0], snaps[-1]
    assert first.params["W"].shape == (8, 8) and first.grads["U"].shape == first.params["U"].shape
    assert not np.array_equal(first.params["W"], last.params["W"])
    with pytest.raises(ValueError):
        first.params["W"][0, 0] = 1.0
    with pytest.raises(TypeError):
        first.params["W"] = None
    assert first.H.shape == (16, 8)
    assert last.metrics is not None and first.metrics is None
    assert last.stop_reason == "finished"


def test_same_seed_same_run():
    """Two runs with one seed produce identical parameters."""
    data = toy_names()
    cfg = TrainConfig(nhidden=8, epochs=2)
    a, b = run_all(Trainer(data, cfg))[-1], run_all(Trainer(data, cfg))[-1]
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


def test_caller_can_stop_and_final_still_gives_parameters():
    """Stopping after one snapshot leaves a usable model (evaluated on the spot)."""
    trainer = Trainer(toy_names(), TrainConfig(nhidden=8, epochs=5, every=1))
    next(trainer.run())
    P, metrics = trainer.final()
    assert P["V"].shape == (3, 8) and 0 <= metrics.accuracy <= 1


def test_patience_stops_early_and_keeps_best():
    """With patience, a run that stops improving ends early with the best epoch's parameters."""
    toy = toy_names()
    wrong = train.Split(toy.valid.seqs, (toy.valid.y + 1) % 3, toy.valid.names)   # unlearnable labels
    data = train.Dataset(toy.train, wrong, toy.nfeatures, toy.classes)
    trainer = Trainer(data, TrainConfig(nhidden=32, epochs=60, patience=3, lr=0.05))
    snaps = run_all(trainer)
    assert len(snaps) < 60
    assert "no better validation accuracy" in snaps[-1].stop_reason
    P, m = trainer.final()
    assert m.accuracy == max(h.accuracy for h in trainer.history)


@pytest.mark.parametrize("lr", [1e30, 1e38])
def test_divergence_names_the_learning_rate(lr):
    """A huge loss, or one that overflows to inf/NaN, ends in an error that says what to change."""
    cfg = TrainConfig(strategy="sgd", nhidden=32, lr=lr, optimizer="sgd", clip=None,
                      init="article", epochs=3)
    with pytest.raises(TrainingDiverged, match=r"learning rate 1e\+\d+ is probably too high.*--clip"):
        run_all(Trainer(toy_names(), cfg))


def test_bad_settings_are_refused_with_a_reason():
    """Impossible settings raise ValueError naming the setting."""
    for bad, msg in [({"strategy": "fast"}, "strategy must be"), ({"lr": -1.0}, "learning rate"),
                     ({"nhidden": 0}, "nhidden"), ({"backend": "nnrnn", "strategy": "sgd"}, "nnrnn")]:
        with pytest.raises(ValueError, match=msg):
            Trainer(toy_names(), TrainConfig(**bad))


def test_unseen_accuracy_counts_only_names_absent_from_training():
    """Validation names that also occur in training are left out of the unseen accuracy."""
    data = cats_dataset()                       # validation = training: nothing is unseen
    snap = run_all(Trainer(data, TrainConfig(nhidden=4, epochs=1)))[-1]
    assert snap.metrics.n_unseen == 0 and np.isnan(snap.metrics.unseen_accuracy)
    toy = toy_names()
    m = run_all(Trainer(toy, TrainConfig(nhidden=4, epochs=1)))[-1].metrics
    assert m.n_unseen == sum(n not in set(toy.train.names) for n in toy.valid.names)


@pytest.mark.parametrize("strategy", ["sgd", "vectorized"])
def test_torch_backend_trains_like_numpy(strategy):
    """The torch backend on the CPU follows the NumPy run closely from the same start."""
    pytest.importorskip("torch")
    data = toy_names()
    base = dict(strategy=strategy, nhidden=8, batch_size=8, epochs=2, dtype="float64", device="cpu")
    a = run_all(Trainer(data, TrainConfig(backend="numpy", **base)))[-1]
    b = run_all(Trainer(data, TrainConfig(backend="torch", **base)))[-1]
    for k in a.params:
        assert np.allclose(a.params[k], b.params[k], atol=1e-6), k


def test_reference_nn_rnn_backend_learns():
    """torch.nn.RNN with packed sequences reaches the same level on the toy names."""
    pytest.importorskip("torch")
    cfg = TrainConfig(backend="nnrnn", nhidden=16, batch_size=8, epochs=8, lr=0.01, device="cpu")
    snap = run_all(Trainer(toy_names(), cfg))[-1]
    assert snap.best.accuracy >= 0.9
    assert set(snap.params) == {"W", "U", "V", "bh", "bo"}


def test_cuda_device_is_refused_cleanly_without_a_gpu():
    """Asking for CUDA where there is none gives a clear DeviceUnavailable, not a crash."""
    torch = pytest.importorskip("torch")
    from rnn_tui.engine.torch_rnn import DeviceUnavailable, pick_device

    if torch.cuda.is_available():
        assert pick_device("cuda").type == "cuda"
    else:
        with pytest.raises(DeviceUnavailable, match="no CUDA device"):
            pick_device("cuda")
    assert pick_device("cpu").type == "cpu"


@pytest.mark.skipif("not __import__('torch').cuda.is_available()", reason="no CUDA device here")
def test_vectorized_on_cuda_matches_cpu():
    """On a GPU the torch backend gives the CPU's numbers."""
    data = toy_names()
    base = dict(backend="torch", nhidden=8, epochs=1, dtype="float64")
    a = run_all(Trainer(data, TrainConfig(device="cpu", **base)))[-1]
    b = run_all(Trainer(data, TrainConfig(device="cuda", **base)))[-1]
    assert np.allclose(a.params["W"], b.params["W"], atol=1e-8)


def test_strategies_are_the_articles_progression():
    """The public lists name the article's strategies and the backends."""
    assert train.STRATEGIES == ("sgd", "minibatch", "vectorized")
    assert train.BACKENDS == ("numpy", "torch", "nnrnn")


def test_cadence_by_time_and_changed_while_running():
    """every_seconds=0 yields after each batch; the caller can switch the cadence mid-run."""
    data = toy_names()
    trainer = Trainer(data, TrainConfig(nhidden=8, batch_size=16, epochs=1, every_seconds=0.0))
    run = trainer.run()
    first = next(run)
    assert first.kind == "batch" and first.batch == 1
    trainer.control.set(every=4, every_seconds=None)
    rest = list(run)
    assert [(s.kind, s.batch) for s in rest] == [("batch", 4), ("batch", 8), ("epoch", 9)]


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_cells_train_through_the_reference_backend(cell):
    """LSTM and GRU cells learn the toy names too; a gated cell without nnrnn is refused."""
    pytest.importorskip("torch")
    cfg = TrainConfig(backend="nnrnn", cell=cell, nhidden=16, batch_size=8, epochs=6, lr=0.01, device="cpu")
    assert run_all(Trainer(toy_names(), cfg))[-1].best.accuracy >= 0.9
    if cell == "lstm":                             # the NumPy engine only reads LSTMs
        with pytest.raises(ValueError, match="does not train the lstm cell; use the nnrnn backend"):
            Trainer(toy_names(), TrainConfig(cell=cell))


@pytest.mark.parametrize("backend", ["torch", "nnrnn"])
def test_torch_backends_train_on_the_configured_threads_and_give_them_back(backend):
    """threads limits torch's own pool while training (its spinning threads are ruinous on a busy
    machine), and the process's setting comes back afterwards."""
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    seen = []
    cfg = TrainConfig(strategy="vectorized", backend=backend, nhidden=4, batch_size=2, epochs=2, threads=1, every=1)
    for _ in Trainer(cats_dataset(), cfg).run():
        seen.append(torch.get_num_threads())
    assert seen and set(seen) == {1}
    assert torch.get_num_threads() == before
