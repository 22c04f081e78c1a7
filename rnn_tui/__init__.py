"""rnn-tui: a terminal tutor that shows a recurrent neural network as a few matrices in a loop."""

__version__ = "0.1.0"
