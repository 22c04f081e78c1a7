"""The speed tricks of the NumPy engine, set apart from the maths they speed up.

None of these changes a single number the engine computes (the tests compare
the batched code with the one-word code and with torch autograd); each one
only avoids work or memory traffic.  They were measured with
`bench/train_speed.py`:

1. `Workspace`: reuse scratch arrays from one batch to the next instead of
   asking the operating system for fresh pages every time.
2. `started_rows`: sort a batch longest name first, and the rows that have
   started reading at step t form a prefix; the loops touch only that prefix,
   so a batch padded to its longest name does no work for the others'
   padding.
3. `DENSE_ENOUGH`: after the loop, the weight gradients are one big matrix
   product over all (step, row) pairs; the pairs that never started are
   dropped first, unless so few are idle that the copy costs more than the
   wasted multiply-adds.
4. `scatter_add_columns`: dU adds each step's dz into the column of U that
   the step's character picked; sorting the codes and summing runs with
   `np.add.reduceat` beats `np.add.at` several times over.
"""

from __future__ import annotations

import numpy as np

# Share of (step, row) pairs that did work above which dropping the idle ones
# before the gradient products is not worth the copy (trick 3).  In shuffled
# batches of 32 shipped names, 41 % to 69 % of the pairs work (5th to 95th
# percentile), so the copy pays; a batch of names of one length gains nothing.
DENSE_ENOUGH = 0.8


class Workspace:
    """Scratch arrays reused from one batch to the next (trick 1).

    A fresh array of a few hundred kB comes straight from the operating system
    and faults in page by page on every batch, which cost a third of a
    training step here.  Arrays handed out by a workspace (and so the traces
    computed with one) are overwritten by its next use.
    """

    def __init__(self) -> None:
        self._buffers: dict[str, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, ...], dtype: np.dtype | type) -> np.ndarray:
        """An uninitialised array of this shape, backed by a buffer kept under `name`."""
        n = int(np.prod(shape))
        buf = self._buffers.get(name)
        if buf is None or buf.size < n or buf.dtype != dtype:
            buf = self._buffers[name] = np.empty(max(n, 1), dtype=dtype)
        return buf[:n].reshape(shape)


def longest_first(seqs: list[np.ndarray]) -> np.ndarray:
    """The order that sorts words longest first, ties kept in order (what trick 2 needs)."""
    return np.argsort([-len(s) for s in seqs], kind="stable")


def started_rows(X: np.ndarray, pad: int, skip: bool) -> np.ndarray:
    """For each step t, how many leading rows have started (seen a non-padding code); trick 2.

    When padded steps are no-ops (`skip`: no bias, or masked) and the rows are
    sorted longest first, a left-padded batch's started rows form a prefix.
    Otherwise (or when the rows are not sorted) every row counts as started.
    """
    batch, T = X.shape
    if not skip or batch == 0:
        return np.full(T, batch)
    real = X != pad
    starts = np.where(real.any(axis=1), real.argmax(axis=1), T)
    if np.any(np.diff(starts) < 0):
        return np.full(T, batch)
    return np.searchsorted(starts, np.arange(T), side="right")


def worked_pairs(active: np.ndarray, batch: int) -> np.ndarray | None:
    """Flat indices of the (step, row) pairs that did work, or None when keeping all is cheaper (trick 3)."""
    started = np.arange(batch) < active[:, None]             # (T, batch)
    if started.mean() >= DENSE_ENOUGH:
        return None
    return np.flatnonzero(started)


def scatter_add_columns(rows: np.ndarray, codes: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A zero (n, nfeatures) matrix with rows[i] added into column codes[i]; trick 4.

    Codes at or past nfeatures (the padding code) are dropped.
    """
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    out = np.zeros(shape, dtype=rows.dtype)
    if len(codes) == 0:
        return out
    sums = np.add.reduceat(rows[order], starts, axis=0)        # (distinct codes, n)
    used = sorted_codes[starts]
    keep = used < shape[1]
    out[:, used[keep]] = sums[keep].T
    return out
