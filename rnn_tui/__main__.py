"""python -m rnn_tui: the same as the rnn-tui command."""

import sys

from .cli import main

sys.exit(main())
