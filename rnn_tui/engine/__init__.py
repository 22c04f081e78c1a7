"""The RNN engine: plain NumPy (and PyTorch where named), no user interface.

Reading order follows the article: vocab (characters to numbers), rnn (one
word through h = tanh(W h + U x) and back), batched (a left-padded minibatch
at once, with its speed tricks apart in speedups), gru and lstm (gated
cells) with cells (what each cell offers), optim and metrics, dataset and
config (what a run is given), backend (who does a step), control (how often
a run reports), train (the four strategies as a generator of snapshots),
torch_rnn (the autograd twin and torch.nn.RNN; devices names torch devices).
Nothing here imports Textual or Rich, and torch is imported only when a
torch backend is used.
"""

from .cells import CELLS
from .config import BACKENDS, DTYPES, INITS, OPTIMIZERS, STRATEGIES, TrainConfig
from .control import Cadence
from .dataset import Dataset, Split
from .rnn import Params, WordTrace, forward, init_params
from .train import Snapshot, Trainer, TrainingDiverged
from .vocab import Vocab

__all__ = ["BACKENDS", "CELLS", "DTYPES", "INITS", "OPTIMIZERS", "STRATEGIES", "Cadence", "Dataset",
           "Params", "Snapshot", "Split", "TrainConfig", "Trainer", "TrainingDiverged", "Vocab",
           "WordTrace", "forward", "init_params"]
