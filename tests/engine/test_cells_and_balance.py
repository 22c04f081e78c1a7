"""Cells through the whole trainer, class-balanced training, and the best model after a divergence."""

from dataclasses import replace

import numpy as np
import pytest

from rnn_tui.engine import batched, cells
from rnn_tui.engine.backend import NumpyBackend, make_backend
from rnn_tui.engine.config import TrainConfig
from rnn_tui.engine.dataset import Dataset, Split
from rnn_tui.engine.train import Trainer, TrainingDiverged

from .helpers import assert_matches_autograd, mixed_batch, numeric_grads, padded, params64, rel_error, toy_names


def lopsided(seed: int = 0) -> Dataset:
    """toy_names with the second and third 'languages' cut to a tenth of the first."""
    full = toy_names(n_per_class=120, seed=seed)

    def thin(split: Split) -> Split:
        seen = {0: 0, 1: 0, 2: 0}
        keep = []
        for i, c in enumerate(split.y):
            seen[int(c)] += 1
            if c == 0 or seen[int(c)] % 10 == 0:
                keep.append(i)
        return Split([split.seqs[i] for i in keep], split.y[keep], [split.names[i] for i in keep])

    return Dataset(thin(full.train), full.valid, full.nfeatures, full.classes)


def test_balanced_weights_give_every_class_the_same_total():
    split = Split([np.array([0])] * 10, np.array([0] * 6 + [1] * 2 + [3] * 2), ["x"] * 10)
    w = split.balanced_weights(4)
    np.testing.assert_allclose(w, [10 / 18, 10 / 6, 0.0, 10 / 6])
    assert w[split.y].mean() == pytest.approx(1.0)                 # the loss keeps its scale
    totals = np.bincount(split.y, weights=w[split.y], minlength=4)
    np.testing.assert_allclose(totals[[0, 1, 3]], 10 / 3)


@pytest.mark.parametrize("bias", [False, True])
def test_weighted_batch_gradients_match_finite_differences_and_torch(bias):
    """Per-word loss weights in the vanilla batch: central differences and torch autograd agree."""
    P = params64(bias, seed=3)
    seqs, y = mixed_batch(seed=8)
    X = padded(seqs)
    w = np.array([0.3, 2.0, 1.0, 0.7, 1.9])
    loss, G, _ = batched.loss_and_grads(P, X, y, "mean", weights=w)
    num = numeric_grads(lambda: batched.loss_and_grads(P, X, y, "mean", weights=w)[0], P)
    for k in P:
        assert rel_error(G[k], num[k]) <= 1e-6, k
    torch = pytest.importorskip("torch")
    from rnn_tui.engine import torch_rnn

    T = torch_rnn.to_tensors(P)
    tl = torch_rnn.batch_loss(T, torch.as_tensor(X), torch.as_tensor(y), weights=torch.as_tensor(w))
    assert_matches_autograd(tl, loss, G, T, 1e-6)


@pytest.mark.parametrize("strategy", ["sgd", "minibatch", "vectorized"])
@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_weights_scale_every_strategys_gradient(strategy, cell):
    """Doubling every weight doubles the update's gradient (and the reported loss), per name or per batch."""
    seqs, y = mixed_batch(seed=2)
    P = cells.get(cell).init_params(7, 5, 3, seed=1, dtype=np.float64)
    one, two = (NumpyBackend({k: v.copy() for k, v in P.items()}, "sgd", 0.1, None, cell) for _ in range(2))
    batch = seqs[:1] if strategy == "sgd" else seqs
    labels = y[:1] if strategy == "sgd" else y
    loss1 = one.step(strategy, batch, labels, np.ones(len(batch)))
    loss2 = two.step(strategy, batch, labels, np.full(len(batch), 2.0))
    assert loss2 == pytest.approx(2 * loss1, rel=1e-12)
    for k in P:
        np.testing.assert_allclose(two.grads()[k], 2 * one.grads()[k], rtol=1e-10, atol=1e-14)


def test_balance_picks_the_best_epoch_by_balanced_accuracy():
    data = lopsided()
    cfg = TrainConfig(nhidden=16, batch_size=8, epochs=6, lr=0.01, balance=True)
    trainer = Trainer(data, cfg)
    assert trainer.class_weights is not None and trainer.class_weights[1] > 5 * trainer.class_weights[0]
    last = list(trainer.run())[-1]
    best = max(last.history, key=lambda m: (m.balanced_accuracy, m.accuracy, -m.loss))
    assert trainer.best_metrics is best
    assert Trainer(data, replace(cfg, balance=False)).class_weights is None


def test_balance_lifts_the_small_classes_recall():
    """On a 10:1:1 set, balancing raises balanced accuracy over the same run without it."""
    data = lopsided(seed=1)
    cfg = TrainConfig(nhidden=16, batch_size=16, epochs=8, lr=0.01, seed=3)
    plain = list(Trainer(data, cfg).run())[-1].best
    balanced = list(Trainer(data, replace(cfg, balance=True)).run())[-1].best
    assert balanced.balanced_accuracy > plain.balanced_accuracy


@pytest.mark.parametrize("strategy", ["sgd", "minibatch", "vectorized"])
def test_the_numpy_gru_learns_the_toy_names(strategy):
    cfg = TrainConfig(cell="gru", strategy=strategy, nhidden=12, batch_size=8, epochs=5, lr=0.02, seed=2)
    assert list(Trainer(toy_names(), cfg).run())[-1].best.accuracy >= 0.9


def test_numpy_and_torch_gru_backends_take_the_same_steps():
    """float64, same start, same batches: the hand-written GRU and autograd's agree step by step."""
    pytest.importorskip("torch")
    data = toy_names()
    base = TrainConfig(cell="gru", nhidden=6, batch_size=16, epochs=1, dtype="float64", device="cpu",
                       balance=True)
    a = list(Trainer(data, base).run())[-1]
    b = list(Trainer(data, replace(base, backend="torch")).run())[-1]
    assert a.train_loss == pytest.approx(b.train_loss, rel=1e-9)
    for k in a.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=1e-7, atol=1e-9)


def test_an_lstm_trained_by_nnrnn_is_saved_and_read_without_torch(tmp_path):
    """nnrnn trains an LSTM; its model file records the cell; the NumPy reader scores names like torch did."""
    pytest.importorskip("torch")
    from rnn_tui import model as modelfile
    from rnn_tui.engine.vocab import Vocab

    data = toy_names()
    cfg = TrainConfig(backend="nnrnn", cell="lstm", nhidden=8, epochs=2, device="cpu", lr=0.01)
    trainer = Trainer(data, cfg)
    list(trainer.run())
    P, metrics = trainer.final()
    vocab = Vocab("".join(sorted(set("".join(data.train.names + data.valid.names)))))
    path = modelfile.save(tmp_path / "lstm.npz", P, vocab, data.classes,
                          modelfile.metadata(cfg, source="toy", fingerprint="0", metrics=metrics.as_dict(),
                                             epoch=trainer.best_epoch), cell="lstm")
    m = modelfile.load(path)
    assert m.cell == "lstm" and m.meta["config"]["cell"] == "lstm" and m.meta["format_version"] == 1
    trainer.backend.load(P)
    theirs = trainer.backend.evaluate([vocab.encode(n) for n in data.valid.names[:5]])
    for name, logits in zip(data.valid.names[:5], theirs):
        r = m.read(name)
        np.testing.assert_allclose(r.trace.final_probs, np.exp(logits) / np.exp(logits).sum(), atol=1e-5)
        assert r.trace.gates["f"].shape == (len(name), 8)


def test_config_refuses_what_no_backend_can_do():
    with pytest.raises(ValueError, match="does not train the lstm cell; use the nnrnn backend"):
        TrainConfig(cell="lstm").check()
    with pytest.raises(ValueError, match="starts only from init default"):
        TrainConfig(cell="gru", init="article").check()
    with pytest.raises(ValueError, match="clip must be a positive number"):
        TrainConfig(clip=-5.0).check()
    assert TrainConfig(strategy="sgd", batch_size=32).effective_batch == 1
    assert TrainConfig(strategy="minibatch", batch_size=32).effective_batch == 32
    assert make_backend(TrainConfig(cell="gru", nhidden=3), 5, 2).params()["W"].shape == (9, 3)


def _diverge_after(trainer: Trainer, nsteps: int) -> None:
    """Make the backend report an infinite loss from update number nsteps + 1 on."""
    real = trainer.backend.step
    calls = {"n": 0}

    def step(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs) if calls["n"] <= nsteps else float("inf")

    trainer.backend.step = step  # type: ignore[method-assign]


def test_after_a_divergence_final_gives_the_best_epoch_before_it():
    trainer = Trainer(toy_names(), TrainConfig(nhidden=8, batch_size=16, epochs=5))
    _diverge_after(trainer, 9 * 2 + 3)                  # 9 batches an epoch: two epochs, then it blows up
    snaps = []
    with pytest.raises(TrainingDiverged, match="epoch 3, batch 4"):
        for s in trainer.run():
            snaps.append(s)
    assert trainer.stop_reason == "diverged"
    P, metrics = trainer.final()
    best = max((s for s in snaps if s.kind == "epoch"), key=lambda s: (s.metrics.accuracy, -s.metrics.loss))
    assert metrics is best.metrics
    for k in P:
        np.testing.assert_array_equal(P[k], best.params[k])


def test_a_divergence_before_any_epoch_leaves_nothing_to_keep():
    trainer = Trainer(toy_names(), TrainConfig(nhidden=8, batch_size=16, epochs=5))
    _diverge_after(trainer, 2)
    with pytest.raises(TrainingDiverged):
        list(trainer.run())
    with pytest.raises(TrainingDiverged, match="no epoch had finished: there is no model to keep"):
        trainer.final()
