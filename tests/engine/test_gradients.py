"""The hand-written BPTT against finite differences and torch autograd, in float64."""

import numpy as np
import pytest

from rnn_tui.engine import batched, rnn

from .helpers import assert_matches_autograd, mixed_batch, numeric_grads, padded, params64, rel_error

TOL = 1e-6


@pytest.mark.parametrize("bias", [False, True])
def test_batched_gradients_match_finite_differences(bias):
    """Vectorised BPTT on a batch of mixed lengths equals central differences."""
    P = params64(bias)
    seqs, y = mixed_batch()
    X = padded(seqs)
    _, G, _ = batched.loss_and_grads(P, X, y, "mean")
    num = numeric_grads(lambda: batched.loss_and_grads(P, X, y, "mean")[0], P)
    assert set(G) == set(P)
    for k in P:
        assert rel_error(G[k], num[k]) <= TOL, k


@pytest.mark.parametrize("bias", [False, True])
def test_per_record_gradients_match_finite_differences(bias):
    """The column-vector BPTT of one word equals central differences."""
    P = params64(bias, seed=4)
    seqs, y = mixed_batch(seed=9, sizes=(5,))
    G = rnn.zero_grads(P)
    trace = rnn.forward(P, seqs[0])
    rnn.backward(P, trace, int(y[0]), grads=G)
    num = numeric_grads(lambda: rnn.loss(P, seqs[0], int(y[0])), P)
    for k in P:
        assert rel_error(G[k], num[k]) <= TOL, k


@pytest.mark.parametrize("bias", [False, True])
def test_summed_per_record_gradients_equal_batched_sum(bias):
    """The article's `loss +=` loop and the vectorised batch give the same gradient."""
    P = params64(bias, seed=2)
    seqs, y = mixed_batch(seed=5)
    G = rnn.zero_grads(P)
    total = sum(rnn.backward(P, rnn.forward(P, s), int(c), grads=G) for s, c in zip(seqs, y))
    loss, Gb, _ = batched.loss_and_grads(P, padded(seqs), y, "sum")
    assert loss == pytest.approx(total, rel=1e-12)
    for k in P:
        assert rel_error(G[k], Gb[k]) <= 1e-10, k


@pytest.mark.parametrize("bias", [False, True])
def test_gradients_match_torch_autograd(bias):
    """The NumPy gradients equal torch autograd on the same batch."""
    torch = pytest.importorskip("torch")
    from rnn_tui.engine import torch_rnn

    P = params64(bias, seed=7)
    seqs, y = mixed_batch(seed=11, sizes=(3, 1, 7, 2, 4, 4))
    X = padded(seqs)
    loss, G, _ = batched.loss_and_grads(P, X, y, "mean")
    T = torch_rnn.to_tensors(P)
    tl = torch_rnn.batch_loss(T, torch.as_tensor(X), torch.as_tensor(y))
    assert_matches_autograd(tl, loss, G, T, TOL)


def test_gradient_of_u_touches_only_used_columns():
    """U's gradient is a scatter-add: characters that never occur get exactly zero."""
    P = params64(False)
    seqs = [np.array([0, 2]), np.array([2, 2, 5])]
    _, G, _ = batched.loss_and_grads(P, padded(seqs), np.array([0, 1]))
    unused = [1, 3, 4, 6]
    assert np.all(G["U"][:, unused] == 0)
    assert np.all(np.abs(G["U"][:, [0, 2, 5]]).sum(axis=0) > 0)


@pytest.mark.parametrize("bias", [False, True])
def test_longest_first_batches_skip_padding_and_keep_the_gradient(bias):
    """Sorted longest first, rows that have not started are skipped; loss and gradients are unchanged."""
    P = params64(bias, seed=12)
    seqs, y = mixed_batch(seed=13, sizes=(2, 7, 1, 4, 7, 3))
    order = np.argsort([-len(s) for s in seqs], kind="stable")
    X_sorted = padded([seqs[i] for i in order])
    loss_s, G_s, tr = batched.loss_and_grads(P, X_sorted, y[order])
    assert tr.active.tolist() == [2, 2, 2, 3, 4, 5, 6]         # rows start one by one
    loss_u, G_u, tr_u = batched.loss_and_grads(P, padded(seqs), y)
    assert tr_u.active.tolist() == [6] * 7                      # unsorted: nothing skipped
    assert loss_s == pytest.approx(loss_u, rel=1e-12)
    for k in P:
        assert rel_error(G_s[k], G_u[k]) <= 1e-12, k
    num = numeric_grads(lambda: batched.loss_and_grads(P, X_sorted, y[order])[0], P)
    for k in P:
        assert rel_error(G_s[k], num[k]) <= TOL, k
