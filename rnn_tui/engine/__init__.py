"""The RNN engine: plain NumPy (and PyTorch where named), no user interface.

Reading order follows the article: vocab (characters to numbers), rnn (one
word through h = tanh(W h + U x) and back), batched (a left-padded minibatch
at once), optim and metrics, train (the four strategies as a generator of
snapshots), torch_rnn (the autograd twin and torch.nn.RNN).  Nothing here
imports Textual or Rich, and torch is imported only when a torch backend is
used.
"""

from .rnn import Params, WordTrace, forward, init_params
from .train import Dataset, Snapshot, Split, TrainConfig, Trainer, TrainingDiverged
from .vocab import Vocab

__all__ = ["Dataset", "Params", "Snapshot", "Split", "TrainConfig", "Trainer",
           "TrainingDiverged", "Vocab", "WordTrace", "forward", "init_params"]
