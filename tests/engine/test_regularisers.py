"""Dropout on the last h and characters left out of training names: gradients, streams, settings."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.engine import batched
from rnn_tui.engine.backend import NumpyBackend
from rnn_tui.engine.train import TrainConfig, Trainer, leave_out_characters

from .helpers import assert_matches_autograd, mixed_batch, numeric_grads, padded, params64, rel_error, toy_names

TOL = 1e-6


def _keep(batch: int, nhidden: int, p: float, seed: int) -> np.ndarray:
    """Inverted-dropout multipliers: 0 for a dropped unit, 1 / (1 - p) for a kept one."""
    rng = np.random.default_rng(seed)
    return (rng.random((batch, nhidden)) >= p) / (1.0 - p)


@pytest.mark.parametrize("bias", [False, True])
def test_dropout_gradients_match_finite_differences(bias):
    """With a fixed dropout mask on h_m, the hand-written BPTT equals central differences."""
    P = params64(bias, seed=21)
    seqs, y = mixed_batch(seed=22, sizes=(3, 1, 6, 2, 5))
    X = padded(seqs)
    keep = _keep(len(seqs), P["W"].shape[0], 0.4, seed=23)
    assert 0 < (keep == 0).sum() < keep.size            # some units dropped, some kept
    _, G, _ = batched.loss_and_grads(P, X, y, "mean", keep=keep)
    num = numeric_grads(lambda: batched.loss_and_grads(P, X, y, "mean", keep=keep)[0], P)
    for k in P:
        assert rel_error(G[k], num[k]) <= TOL, k


@pytest.mark.parametrize("bias", [False, True])
def test_dropout_gradients_match_torch_autograd(bias):
    """The same batch and mask written directly in torch give the same loss and gradients."""
    torch = pytest.importorskip("torch")
    P = params64(bias, seed=31)
    seqs, y = mixed_batch(seed=32, sizes=(4, 2, 7, 1))
    X = padded(seqs)
    keep = _keep(len(seqs), P["W"].shape[0], 0.5, seed=33)
    loss, G, _ = batched.loss_and_grads(P, X, y, "mean", keep=keep)

    T = {k: torch.tensor(v, requires_grad=True) for k, v in P.items()}
    nfeatures = P["U"].shape[1]
    h = torch.zeros(len(seqs), P["W"].shape[0], dtype=torch.float64)
    for t in range(X.shape[1]):
        codes = torch.as_tensor(X[:, t])
        real = (codes != nfeatures).to(torch.float64)[:, None]
        ux = T["U"].T[codes.clamp(max=nfeatures - 1)] * real
        z = h @ T["W"].T + ux + (T["bh"] if bias else 0.0)
        new = torch.tanh(z)
        h = real * new + (1 - real) * h                  # a padded step keeps h (zero before the word)
    o = (h * torch.as_tensor(keep)) @ T["V"].T + (T["bo"] if bias else 0.0)
    tl = torch.nn.functional.cross_entropy(o, torch.as_tensor(y))
    assert_matches_autograd(tl, loss, G, T, TOL)


def test_a_mask_of_ones_changes_nothing_and_a_dropped_unit_learns_nothing_through_v():
    """keep = 1 is no dropout; a unit dropped for every word gets no gradient in its column of V."""
    P = params64(False, seed=41)
    seqs, y = mixed_batch(seed=42)
    X = padded(seqs)
    plain, G0, _ = batched.loss_and_grads(P, X, y)
    ones, G1, _ = batched.loss_and_grads(P, X, y, keep=np.ones((len(seqs), P["W"].shape[0])))
    assert ones == pytest.approx(plain, rel=1e-12)
    assert all(rel_error(G0[k], G1[k]) <= 1e-12 for k in P)
    keep = np.full((len(seqs), P["W"].shape[0]), 2.0)
    keep[:, 3] = 0.0
    _, G, _ = batched.loss_and_grads(P, X, y, keep=keep)
    assert np.all(G["V"][:, 3] == 0) and np.all(np.abs(G["V"][:, :3]).sum(axis=0) > 0)
    with pytest.raises(ValueError, match="keep must have shape"):
        batched.loss_and_grads(P, X, y, keep=np.ones((1, 1)))


@given(st.lists(st.integers(0, 29), min_size=1, max_size=64), st.floats(0.0, 0.99), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_leaving_out_characters_keeps_order_and_at_least_one(codes, p, seed):
    """What is left is a non-empty subsequence of the name, in order; p = 0 leaves it whole."""
    codes = np.array(codes)
    out = leave_out_characters(codes, p, np.random.default_rng(seed))
    assert 1 <= len(out) <= len(codes)
    it = iter(codes.tolist())
    assert all(any(c == d for d in it) for c in out.tolist())      # a subsequence
    if p == 0:
        assert np.array_equal(out, codes)


def test_characters_are_left_out_at_about_the_asked_rate():
    """Over many long names, the share left out is close to p."""
    rng = np.random.default_rng(5)
    codes = np.arange(50)
    kept = [len(leave_out_characters(codes, 0.2, rng)) for _ in range(400)]
    assert np.mean(kept) / 50 == pytest.approx(0.8, abs=0.02)


def _final(cfg):
    trainer = Trainer(toy_names(), cfg)
    for _ in trainer.run():
        pass
    return trainer


@pytest.mark.parametrize("option", [{"dropout": 0.3}, {"char_dropout": 0.15}])
def test_a_regularised_run_is_reproducible_and_still_learns(option):
    """The same seed gives the same weights; the run differs from an unregularised one and still learns."""
    cfg = TrainConfig(nhidden=16, batch_size=8, epochs=8, lr=0.01, seed=1)
    with_it = TrainConfig(**{**cfg.__dict__, **option})
    a, b, plain = _final(with_it), _final(with_it), _final(cfg)
    assert all(np.array_equal(a.params()[k], b.params()[k]) for k in a.params())
    assert not np.array_equal(a.params()["W"], plain.params()["W"])
    assert a.best_metrics is not None and a.best_metrics.accuracy >= 0.9


def test_dropout_draws_its_own_stream_and_scales_the_kept_units():
    """The backend's masks come from their own generator, and a kept unit is scaled by 1 / (1 - p)."""
    P = params64(False, seed=51)
    backend = NumpyBackend({k: v.copy() for k, v in P.items()}, "sgd", 0.0, None, dropout=0.25, seed=3)
    seqs, y = mixed_batch(seed=52)
    backend.step("vectorized", seqs, y)
    again = NumpyBackend({k: v.copy() for k, v in P.items()}, "sgd", 0.0, None, dropout=0.25, seed=3)
    again.step("vectorized", seqs, y)
    assert np.array_equal(backend.grads()["V"], again.grads()["V"])
    nh = P["W"].shape[0]
    masks = (np.random.default_rng([3, 1]).random((len(seqs), nh)) >= 0.25) / 0.75
    order = np.argsort([-len(s) for s in seqs], kind="stable")
    _, G, _ = batched.loss_and_grads(P, padded([seqs[i] for i in order]), y[order], keep=masks)
    assert rel_error(backend.grads()["V"], G["V"]) <= 1e-12


@pytest.mark.parametrize("settings_,message", [
    ({"dropout": 1.0}, "dropout must be at least 0 and below 1"),
    ({"char_dropout": -0.1}, "char_dropout must be at least 0 and below 1"),
    ({"dropout": 0.2, "backend": "torch"}, "dropout is offered by the numpy backend"),
    ({"dropout": 0.2, "strategy": "sgd"}, "dropout is offered by the numpy backend"),
    ({"dropout": 0.2, "cell": "gru"}, "dropout is offered by the numpy backend"),
])
def test_impossible_regulariser_settings_are_refused(settings_, message):
    """Out of range, or dropout where the engine has none, is a one-line ValueError."""
    with pytest.raises(ValueError, match=message):
        TrainConfig(**settings_).check()
