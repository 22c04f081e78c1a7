"""The NumPy GRU: hand-written BPTT against finite differences and torch autograd, like the vanilla cell."""

import numpy as np
import pytest

from rnn_tui.engine import cells, gru, rnn

from .helpers import assert_matches_autograd, mixed_batch, numeric_grads, padded, rel_error

TOL = 1e-6


def gru64(bias: bool, seed: int = 0, nfeatures: int = 7, nhidden: int = 5, nclasses: int = 3):
    """Small float64 GRU parameters, big enough that the gates are far from 0.5, biases non-zero."""
    P = gru.init_params(nfeatures, nhidden, nclasses, bias=bias, seed=seed, dtype=np.float64)
    P["W"] *= 3.0
    P["U"] *= 3.0
    if bias:
        rng = np.random.default_rng(seed + 100)
        for k in ("bu", "bw", "bo"):
            P[k] = rng.normal(0, 0.5, P[k].shape)
    return P


@pytest.mark.parametrize("bias", [False, True])
def test_gru_gradients_match_finite_differences(bias):
    """BPTT through the gates on a left-padded batch of mixed lengths (masked when biased)."""
    P = gru64(bias)
    seqs, y = mixed_batch()
    X = padded(seqs)
    _, G, _ = gru.loss_and_grads(P, X, y, "mean")
    num = numeric_grads(lambda: gru.loss_and_grads(P, X, y, "mean")[0], P)
    assert set(G) == set(P)
    for k in P:
        assert rel_error(G[k], num[k]) <= TOL, k


@pytest.mark.parametrize("bias", [False, True])
def test_gru_gradients_match_torch_autograd(bias):
    """The same batch through torch_rnn's GRU twin: equal loss and gradients."""
    torch = pytest.importorskip("torch")
    from rnn_tui.engine import torch_rnn

    P = gru64(bias, seed=7)
    seqs, y = mixed_batch(seed=11, sizes=(3, 1, 7, 2, 4, 4))
    X = padded(seqs)
    weights = np.array([0.5, 2.0, 1.0, 1.5, 0.25, 1.0])
    loss, G, _ = gru.loss_and_grads(P, X, y, "mean", weights=weights)
    T = torch_rnn.to_tensors(P)
    tl = torch_rnn.batch_loss(T, torch.as_tensor(X), torch.as_tensor(y), cell="gru",
                              weights=torch.as_tensor(weights))
    assert_matches_autograd(tl, loss, G, T, TOL)


def test_left_padding_is_neutral_without_biases():
    """Unbiased and unmasked, extra left padding changes neither the scores nor the gradients."""
    P = gru64(False, seed=3)
    seqs, y = mixed_batch(seed=4)
    tight = gru.loss_and_grads(P, padded(seqs), y, mask=False)
    loose = gru.loss_and_grads(P, padded(seqs, length=12), y, mask=False)
    assert loose[0] == pytest.approx(tight[0], rel=1e-12)
    for k in P:
        assert rel_error(tight[1][k], loose[1][k]) <= 1e-12, k


def test_one_word_at_a_time_sums_to_the_batch():
    """The per-record step (a batch of one) summed over words equals the batch with reduction 'sum'."""
    P = gru64(True, seed=5)
    seqs, y = mixed_batch(seed=6)
    cell = cells.get("gru")
    G = {k: np.zeros_like(v) for k, v in P.items()}
    total = 0.0
    for s, c in zip(seqs, y):
        loss, h = cell.word_step(P, s, int(c), 1.0, G)
        total += loss
        np.testing.assert_allclose(h, gru.read(P, s).h, atol=1e-12)
    loss_b, G_b, _ = gru.loss_and_grads(P, padded(seqs), y, "sum")
    assert total == pytest.approx(loss_b, rel=1e-12)
    for k in P:
        assert rel_error(G[k], G_b[k]) <= 1e-10, k


def test_reading_a_word_exposes_gates_between_zero_and_one():
    P = gru64(True, seed=8)
    codes = np.array([0, 3, 5, 1])
    tr = gru.read(P, codes)
    assert tr.hs.shape == (5, 5) and tr.probs.shape == (4, 3)
    np.testing.assert_allclose(tr.probs.sum(axis=1), 1.0)
    for g in ("r", "z"):
        assert tr.gates[g].shape == (4, 5) and np.all((tr.gates[g] > 0) & (tr.gates[g] < 1))
    z, n = tr.gates["z"], tr.gates["n"]                 # h_t = (1 - z) n + z h_{t-1}, step by step
    np.testing.assert_allclose(tr.hs[1:], (1 - z) * n + z * tr.hs[:-1], atol=1e-12)
    batch_logits = gru.predict_logits(P, [codes[:2], codes])     # padded and masked in a batch
    np.testing.assert_allclose(rnn.softmax(batch_logits[1]), tr.final_probs, atol=1e-12)
    np.testing.assert_allclose(rnn.softmax(batch_logits[0]), tr.probs[1], atol=1e-12)


def test_matches_torch_nn_gru_weight_for_weight():
    """A torch.nn.GRU's weights, exported under our names, give our GRU the same scores: one set of equations."""
    torch = pytest.importorskip("torch")
    from rnn_tui.engine.torch_rnn import ReferenceBackend

    ref = ReferenceBackend(7, 5, 3, seed=4, device="cpu", dtype=np.float64, cell="gru")
    seqs, _ = mixed_batch(seed=9)
    theirs = ref.evaluate(seqs)
    P = ref.params()
    assert set(P) == {"W", "U", "V", "bu", "bw", "bo"}
    np.testing.assert_allclose(gru.predict_logits(P, seqs), theirs, atol=1e-10)
    ref.load({k: v * 0.5 for k, v in P.items()})        # and our names load back into torch
    assert torch.allclose(ref.model.rnn.bias_hh_l0, torch.as_tensor(P["bw"] * 0.5))


def test_lstm_reader_matches_torch_nn_lstm():
    """The NumPy LSTM reader (models trained by nnrnn) scores like torch.nn.LSTM, gates included."""
    pytest.importorskip("torch")
    from rnn_tui.engine import lstm
    from rnn_tui.engine.torch_rnn import ReferenceBackend

    ref = ReferenceBackend(7, 5, 3, seed=2, device="cpu", dtype=np.float64, cell="lstm")
    seqs, _ = mixed_batch(seed=10)
    P = ref.params()
    np.testing.assert_allclose(lstm.predict_logits(P, seqs), ref.evaluate(seqs), atol=1e-10)
    tr = lstm.read(P, seqs[3])
    assert set(tr.gates) == {"i", "f", "g", "o", "c"}
    np.testing.assert_allclose(tr.hs[1:], tr.gates["o"] * np.tanh(tr.gates["c"]), atol=1e-12)
