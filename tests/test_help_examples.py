"""The names in `rnn-tui --help`'s classify example are ones the shipped model gets right."""

import re
import shlex
import subprocess
import sys

from rnn_tui.model import load
from rnn_tui.resources import pretrained_model

# where each example name comes from (the names' real origin, not the model's answer)
ORIGIN = {"Papadopoulos": "Greek", "Kowalski": "Polish", "O'Brien": "Irish"}


def test_help_example_names_are_classified_right():
    """Every name in the example is one of ORIGIN, and the pretrained model names its origin first."""
    out = subprocess.run([sys.executable, "-m", "rnn_tui", "--help"], capture_output=True, text=True,
                         check=True).stdout
    line = next(x for x in out.splitlines() if re.match(r"\s*rnn-tui classify ", x))
    names = [w for w in shlex.split(line.strip())[2:] if not w.startswith("-") and not w.isdigit()]
    assert names and set(names) <= set(ORIGIN), names
    model = load(pretrained_model())
    for name in names:
        assert model.read(name).top(model.languages, 1)[0][0] == ORIGIN[name], name
