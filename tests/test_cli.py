"""The rnn-tui command, run as a real subprocess (the hardening items of issue 13 are in test_cli_hardening.py)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnn_tui import __version__, model

RNN_TUI = [sys.executable, "-m", "rnn_tui"]
ENV = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}


def run(*args, timeout=120):
    return subprocess.run([*RNN_TUI, *args], capture_output=True, text=True, timeout=timeout, env=ENV)


def test_console_script_and_version():
    """The installed `rnn-tui` script answers --version."""
    beside = Path(sys.executable).parent / "rnn-tui"      # the venv's bin, even when not activated
    exe = str(beside) if beside.exists() else shutil.which("rnn-tui") or pytest.skip("rnn-tui is not installed")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"rnn-tui {__version__}"


@pytest.mark.parametrize("command", [[], ["train"], ["classify"], ["evaluate"], ["data"], ["data", "stats"]])
def test_help_on_every_command(command):
    """--help works everywhere and exits 0."""
    out = run(*command, "--help")
    assert out.returncode == 0 and "usage: rnn-tui" in out.stdout


def test_train_on_cats_then_classify_and_evaluate(tmp_path):
    """Train the article's toy set in seconds, then classify its words and score it."""
    path = tmp_path / "cats.npz"
    t0 = time.monotonic()
    out = run("train", "--data", "cats", "--epochs", "60", "--hidden", "4", "--lr", "0.05", "--out", str(path))
    assert out.returncode == 0, out.stderr
    assert time.monotonic() - t0 < 30
    assert "epoch  60/60" in out.stdout and f"wrote {path}" in out.stdout
    assert model.load(path).languages == ("Afrikaans", "English", "French", "German")

    out = run("classify", "cat", "chat", "katze", "kat", "--model", str(path), "--json", "--top", "2")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert [r["predictions"][0]["language"] for r in result] == ["English", "French", "German", "Afrikaans"]
    assert len(result[0]["predictions"]) == 2

    out = run("evaluate", "--data", "cats", "--model", str(path))
    assert out.returncode == 0, out.stderr
    assert "accuracy 1.000" in out.stdout and "confusion matrix" in out.stdout


def test_classify_with_the_pretrained_model_reports_folding():
    """Without --model the shipped model is used; folded input is shown."""
    out = run("classify", "Παπαδόπουλος", "--top", "1")
    assert out.returncode == 0 and out.stdout.startswith("Παπαδόπουλος (read as 'papadopoulos'): Greek")


def test_a_very_long_name_is_echoed_cut_and_says_what_was_read():
    """A 100,000-character argument: one line of output, not the name in full; it says that only the
    first 64 characters are read.  A long name with no letters is one short error line, exit 2."""
    out = run("classify", "kowalski" * 12_500, "--top", "1")
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 1 and len(out.stdout) < 400
    assert "…" in out.stdout and "only its first 64 characters are read" in out.stdout
    out = run("classify", "1" * 100_000)
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1 and len(out.stderr) < 400


def test_data_stats_on_shipped_names():
    """stats prints counts, shared names, the vocabulary and the baseline."""
    out = run("data", "stats", "names")
    assert out.returncode == 0
    for text in ("Polish", "names listed under several languages", "vocabulary", "majority-class baseline"):
        assert text in out.stdout


@pytest.mark.parametrize("args,message", [
    (["train", "--data", "/no/such/folder"], "rnn-tui train: error: /no/such/folder: no such file or folder"),
    (["train", "--data", "cats", "--lr", "-1"], "rnn-tui train: error: argument --lr: must be a finite number in (0"),
    (["train", "--data", "cats", "--strategy", "fast"], "rnn-tui train: error: argument --strategy: invalid choice"),
    (["train", "--data", "cats", "--device", "cuda", "--backend", "torch"],
     "rnn-tui train: error: no CUDA device is visible to torch here: use --device cpu"),
    (["train", "--data", "cats", "--backend", "nnrnn", "--strategy", "sgd"],
     "rnn-tui train: error: the nnrnn backend (torch.nn.RNN) only trains with --strategy vectorized"),
    (["classify", "123"], "rnn-tui classify: error: '123' has no letters this model knows"),
    (["classify", "x", "--model", "/no/model.npz"], "rnn-tui classify: error: /no/model.npz: no such model file"),
    (["evaluate"], "rnn-tui evaluate: error: the following arguments are required: --data"),
    (["frobnicate"], "rnn-tui: error: argument COMMAND: invalid choice"),
])
def test_user_errors_are_one_line_and_exit_2(args, message):
    """Every user error: exit status 2, a single line on stderr, no traceback."""
    out = run(*args)
    if "cuda" in args and out.returncode == 0:
        pytest.skip("this machine has CUDA")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), out.stderr
    assert "Traceback" not in out.stderr


def test_corrupt_model_is_refused_by_every_command(tmp_path):
    """A corrupted file gives one line and exit 2 from classify and evaluate."""
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    for args in (["classify", "x", "--model", str(bad)], ["evaluate", "--data", "cats", "--model", str(bad)]):
        out = run(*args)
        assert out.returncode == 2 and "truncated or corrupted" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


def test_evaluate_languages_the_model_lacks():
    """The pretrained names model scores cats without Afrikaans, saying so; --strict-languages refuses instead."""
    out = run("evaluate", "--data", "cats")
    assert out.returncode == 0 and "skipped 1 name in languages the model lacks: Afrikaans" in out.stderr
    out = run("evaluate", "--data", "cats", "--strict-languages")
    assert out.returncode == 2 and "Afrikaans" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_ctrl_c_stops_training_and_still_writes_the_best_model(tmp_path):
    """SIGINT after the first epoch: exit 130, and the model file holds the best epoch so far."""
    path = tmp_path / "partial.npz"
    proc = subprocess.Popen([*RNN_TUI, "train", "--data", "names", "--epochs", "200", "--out", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        for line in proc.stdout:
            if line.startswith("epoch   1/200"):
                break
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in rest and f"wrote {path}" in rest
    m = model.load(path)
    assert m.meta["epoch"] >= 1 and m.meta["metrics"]["accuracy"] > 0.3


def test_launch_without_a_terminal_is_a_clear_error():
    """With no terminal attached, `rnn-tui` (and `launch`) explain instead of hanging."""
    for args in ([], ["launch"]):
        out = subprocess.run([*RNN_TUI, *args], capture_output=True, text=True, timeout=60,
                             stdin=subprocess.DEVNULL, env=ENV)
        assert out.returncode == 2 and "need an interactive terminal" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
