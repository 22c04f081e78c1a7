"""`rnn-tui train --cell/--balance` through real subprocesses: the cell reaches the model file and classify."""

import json
import os
import subprocess
import sys

import pytest

from rnn_tui import model

RNN_TUI = [sys.executable, "-m", "rnn_tui"]
ENV = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}


def run(*args, timeout=180):
    return subprocess.run([*RNN_TUI, *args], capture_output=True, text=True, timeout=timeout, env=ENV)


def test_help_documents_cell_and_balance():
    out = run("train", "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    assert "--cell {rnn,gru,lstm}" in text and "--balance, --no-balance" in text
    assert "(default: on; --no-balance trains on plain accuracy)" in text


def test_a_gru_trained_by_numpy_is_recorded_and_classifies(tmp_path):
    out_path = tmp_path / "gru.npz"
    out = run("train", "--data", "cats", "--cell", "gru", "--epochs", "40", "--hidden", "6",
              "--lr", "0.05", "--strategy", "sgd", "--out", str(out_path))
    assert out.returncode == 0, out.stderr
    assert "gru cell" in out.stdout and "languages balanced" in out.stdout
    m = model.load(out_path)
    assert m.cell == "gru" and m.meta["config"]["balance"] is True and m.meta["config"]["cell"] == "gru"
    cls = run("classify", "--model", str(out_path), "--json", "katze")
    assert cls.returncode == 0, cls.stderr
    assert json.loads(cls.stdout)                          # a real reading came back
    ev = run("evaluate", "--model", str(out_path), "--data", "cats")   # scored with the GRU, not as a vanilla RNN
    assert ev.returncode == 0, ev.stderr
    right = sum(json.loads(run("classify", "--model", str(out_path), "--json", w, "--top", "1").stdout)[0]
                ["predictions"][0]["language"] == lang
                for w, lang in (("cat", "English"), ("chat", "French"), ("katze", "German"), ("kat", "Afrikaans")))
    assert f"accuracy {right / 4:.3f}" in ev.stdout


def test_no_balance_is_recorded_and_lstm_needs_nnrnn(tmp_path):
    out_path = tmp_path / "plain.npz"
    out = run("train", "--data", "cats", "--no-balance", "--epochs", "5", "--hidden", "4", "--out", str(out_path))
    assert out.returncode == 0, out.stderr
    assert "languages balanced" not in out.stdout
    assert model.load(out_path).meta["config"]["balance"] is False
    bad = run("train", "--data", "cats", "--cell", "lstm", "--epochs", "1")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "does not train the lstm cell; use the nnrnn backend" in bad.stderr


def test_an_lstm_trained_by_nnrnn_classifies(tmp_path):
    pytest.importorskip("torch")
    out_path = tmp_path / "lstm.npz"
    out = run("train", "--data", "cats", "--backend", "nnrnn", "--cell", "lstm", "--epochs", "30",
              "--hidden", "6", "--lr", "0.05", "--device", "cpu", "--out", str(out_path))
    assert out.returncode == 0, out.stderr
    assert model.load(out_path).cell == "lstm"
    cls = run("classify", "--model", str(out_path), "chat")
    assert cls.returncode == 0, cls.stderr
