"""Forward passes: the two implementations agree, and padding never changes a result."""

import numpy as np
import pytest

from rnn_tui.engine import batched, rnn
from rnn_tui.engine.vocab import pad_batch

from .helpers import CAT_VOCAB, mixed_batch, padded, params64


def test_word_trace_has_every_state_and_prefix_guess():
    """forward() returns h_0..h_m and a probability vector after every prefix."""
    P = params64(False)
    trace = rnn.forward(P, CAT_VOCAB.encode("katze"))
    assert trace.hs.shape == (6, 5)
    assert np.all(trace.hs[0] == 0)
    assert trace.probs.shape == (5, 3)
    assert np.allclose(trace.probs.sum(axis=1), 1.0)
    h = np.zeros(5)
    for c in CAT_VOCAB.encode("katze"):
        h = np.tanh(P["W"] @ h + P["U"][:, c])
    assert np.allclose(trace.h, h)
    assert np.allclose(trace.final_probs, rnn.softmax(P["V"] @ h))


@pytest.mark.parametrize("bias", [False, True])
def test_batched_forward_matches_per_word_forward(bias):
    """Each row of the vectorised pass equals the word's own column-vector pass."""
    P = params64(bias)
    seqs, _ = mixed_batch()
    tr = batched.forward(P, padded(seqs))
    for i, s in enumerate(seqs):
        assert np.allclose(tr.H[-1][i], rnn.forward(P, s).h, atol=1e-12)


def test_left_padding_is_exactly_neutral_without_bias():
    """Without a bias, any amount of left padding gives bit-identical states and scores."""
    P = params64(False)
    seqs, _ = mixed_batch()
    tight = batched.forward(P, padded(seqs), mask=False)
    loose = batched.forward(P, padded(seqs, length=15), mask=False)
    assert np.array_equal(tight.H[-1], loose.H[-1])
    assert np.array_equal(tight.logits, loose.logits)


def test_bias_without_mask_is_not_neutral_and_mask_is():
    """tanh(b) != 0, so an unmasked padded step moves h; the mask makes padding exactly neutral."""
    P = params64(True)
    seqs, _ = mixed_batch()
    unmasked = [batched.forward(P, padded(seqs, length=n), mask=False).logits for n in (6, 12)]
    assert not np.allclose(unmasked[0], unmasked[1])
    masked = [batched.forward(P, padded(seqs, length=n)).logits for n in (6, 12)]
    assert np.array_equal(masked[0], masked[1])


def test_right_padding_drifts_by_powers_of_w_unless_masked():
    """Right padding applies W again after the word ends; masking stops the drift."""
    P = params64(False)
    seqs = [CAT_VOCAB.encode("cat"), CAT_VOCAB.encode("katze")]
    X = pad_batch(seqs, pad=7, side="right")
    drift = batched.forward(P, X, mask=False)
    h3 = rnn.forward(P, seqs[0]).h
    h4 = np.tanh(P["W"] @ h3)
    assert np.allclose(drift.H[4][0], h4)
    assert not np.allclose(drift.H[-1][0], h3)
    assert np.allclose(batched.forward(P, X, mask=True).H[-1][0], h3)


def test_torch_forward_matches_numpy():
    """The torch twin and the NumPy engine compute the same logits."""
    torch = pytest.importorskip("torch")
    from rnn_tui.engine import torch_rnn

    for bias in (False, True):
        P = params64(bias, seed=8)
        seqs, _ = mixed_batch(seed=1)
        X = padded(seqs)
        logits, H = torch_rnn.forward_batch(torch_rnn.to_tensors(P, requires_grad=False),
                                            torch.as_tensor(X))
        ref = batched.forward(P, X)
        assert np.allclose(logits.numpy(), ref.logits, atol=1e-12)
        assert np.allclose(H.numpy(), ref.H[-1], atol=1e-12)


def test_log_softmax_is_stable_for_huge_scores():
    """Scores of 1e4 give finite log-probabilities (no exp overflow)."""
    lp = rnn.log_softmax(np.array([1e4, 0.0, -1e4]))
    assert np.all(np.isfinite(lp))
    assert lp[0] == pytest.approx(0.0)


def test_inits_are_seeded_and_follow_the_article():
    """The same seed gives the same matrices; the article's init has W = I."""
    a = rnn.init_params(7, 4, 3, seed=5)
    b = rnn.init_params(7, 4, 3, seed=5)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert np.all(np.abs(a["W"]) <= 0.5)
    art = rnn.init_params(7, 4, 3, init="article", seed=5)
    assert np.array_equal(art["W"], np.eye(4))
    assert art["U"].std() > 0.5
    with pytest.raises(ValueError, match="unknown init"):
        rnn.init_params(7, 4, 3, init="zeros")


def test_columns_throughout_and_loss_scores_only_the_word(monkeypatch):
    """hidden_states holds h_t as column t; loss() runs one softmax (the word's), not one per prefix."""
    P = params64(True, seed=6)
    codes = CAT_VOCAB.encode("katze")
    H = rnn.hidden_states(P, codes)
    assert H.shape == (5, 6) and np.all(H[:, 0] == 0)
    h1 = np.tanh(P["W"] @ H[:, :1] + P["U"][:, codes[0]:codes[0] + 1] + P["bh"][:, None])
    np.testing.assert_allclose(H[:, 1:2], h1)
    full, last = rnn.forward(P, codes), rnn.forward(P, codes, prefixes=False)
    assert full.probs.shape == (5, 3) and last.probs.shape == (1, 3)
    np.testing.assert_allclose(last.final_probs, full.final_probs)
    np.testing.assert_array_equal(full.hs, H.T)
    calls = []
    real = rnn.log_softmax
    monkeypatch.setattr(rnn, "log_softmax", lambda o, axis=-1: calls.append(o.shape) or real(o, axis))
    assert rnn.loss(P, codes, 2) == pytest.approx(-np.log(full.final_probs[2]))
    assert calls == [(3, 1)]
