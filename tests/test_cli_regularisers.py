"""rnn-tui train --dropout and --char-dropout, through real subprocesses."""

import os
import subprocess
import sys

import pytest

from rnn_tui import model

RNN_TUI = [sys.executable, "-m", "rnn_tui"]
ENV = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}


def run(*args):
    return subprocess.run([*RNN_TUI, *args], capture_output=True, text=True, timeout=120, env=ENV)


@pytest.mark.parametrize("args,message", [
    (["--dropout", "1"], "argument --dropout: must be a finite number in [0, 1), not '1'"),
    (["--dropout", "-0.1"], "argument --dropout: must be a finite number in [0, 1)"),
    (["--char-dropout", "nan"], "argument --char-dropout: must be a finite number in [0, 1)"),
    (["--dropout", "0.2", "--backend", "torch"], "dropout is offered by the numpy backend's vectorized strategy"),
    (["--dropout", "0.2", "--strategy", "sgd"], "dropout is offered by the numpy backend's vectorized strategy"),
])
def test_impossible_regularisers_are_one_line_and_exit_2(args, message):
    """Out of range, or dropout where the engine has none: one line on stderr, exit 2, nothing trained."""
    out = run("train", "--data", "cats", *args)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert lines[0].startswith("rnn-tui train: error:") and message in lines[0]
    assert "epoch" not in out.stdout


def test_the_model_file_records_the_regularisers(tmp_path):
    """A run with both regularisers trains, and its file says how it was trained."""
    path = tmp_path / "m.npz"
    out = run("train", "--data", "cats", "--epochs", "3", "--hidden", "4", "--dropout", "0.25",
              "--char-dropout", "0.1", "--out", str(path))
    assert out.returncode == 0, out.stderr
    config = model.load(path).meta["config"]
    assert (config["dropout"], config["char_dropout"]) == (0.25, 0.1)
