"""Training speed of every strategy against torch.nn.RNN, measured in one run.

    python bench/train_speed.py [--data names] [--hidden 128] [--batch 32]

Trains one epoch with each strategy on the same split, plus torch.nn.RNN
fed packed one-hot sequences (the textbook module, at its faster of one and
two threads), and prints names per second and the ratios.  Rates count
training steps only (no evaluation).  The per-record strategies are timed on
the first --slow-names names of the epoch (a fifth of that for the torch
autograd loop), since a rate needs no full epoch.
Goals (issue 2): NumPy vectorised >= 3x torch.nn.RNN and >= 25x per-record SGD.
"""

from __future__ import annotations

import argparse
import platform
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_tui import data  # noqa: E402
from rnn_tui.engine.config import TrainConfig  # noqa: E402
from rnn_tui.engine.dataset import Dataset, Split  # noqa: E402
from rnn_tui.engine.train import Trainer  # noqa: E402


def subset(ds: Dataset, n: int) -> Dataset:
    """The first n training names (validation kept tiny: it is not timed)."""
    tr = ds.train
    small = Split(tr.seqs[:n], tr.y[:n], tr.names[:n])
    return Dataset(small, Split(ds.valid.seqs[:64], ds.valid.y[:64], ds.valid.names[:64]),
                   ds.nfeatures, ds.classes)


def rate(ds: Dataset, cfg: TrainConfig) -> float:
    """Names per second of training over one epoch."""
    snaps = list(Trainer(ds, cfg).run())
    return snaps[-1].names_per_sec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="names")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--slow-names", type=int, default=1500)
    args = ap.parse_args()

    import torch

    full, _ = data.to_dataset(data.load(args.data))
    slow = subset(full, args.slow_names)
    fast = subset(full, len(full.train))
    base = TrainConfig(nhidden=args.hidden, batch_size=args.batch, epochs=1, device="cpu")
    print(f"{len(full.train)} training names, {full.nfeatures} characters, {len(full.classes)} languages;"
          f" hidden {args.hidden}, batch {args.batch}; torch {torch.__version__}, "
          f"{platform.processor() or platform.machine()}, default torch threads {torch.get_num_threads()}")

    rows = {
        "1 per-record SGD (numpy)": rate(slow, replace(base, strategy="sgd")),
        "2 minibatch loop (numpy)": rate(slow, replace(base, strategy="minibatch")),
        "3 vectorized (numpy)": rate(fast, replace(base, strategy="vectorized")),
        "4 vectorized (torch, cpu)": rate(fast, replace(base, backend="torch")),
        "1 per-record SGD (torch autograd)": rate(subset(full, args.slow_names // 5),
                                                  replace(base, strategy="sgd", backend="torch")),
    }
    default_threads = torch.get_num_threads()
    peers = {}
    for threads in sorted({1, default_threads}):
        torch.set_num_threads(threads)
        peers[threads] = rate(fast, replace(base, backend="nnrnn"))
    torch.set_num_threads(default_threads)
    best_threads = max(peers, key=lambda t: peers[t])
    rows[f"torch.nn.RNN packed ({best_threads} thread{'s' * (best_threads > 1)})"] = peers[best_threads]

    width = max(map(len, rows))
    for name, r in rows.items():
        print(f"  {name:{width}}  {r:10,.0f} names/s")
    vec, peer, sgd = rows["3 vectorized (numpy)"], peers[best_threads], rows["1 per-record SGD (numpy)"]
    print(f"numpy vectorized / torch.nn.RNN   = {vec / peer:5.2f}x  (goal >= 3)")
    print(f"numpy vectorized / per-record SGD = {vec / sgd:5.1f}x  (goal >= 25)")
    print(f"numpy vectorized / per-record SGD with torch autograd (the SGD notebook's loop) = "
          f"{vec / rows['1 per-record SGD (torch autograd)']:5.1f}x")
    if len(peers) > 1:
        print("torch.nn.RNN by threads: " + ", ".join(f"{t}: {r:,.0f}/s" for t, r in peers.items()))


if __name__ == "__main__":
    main()
