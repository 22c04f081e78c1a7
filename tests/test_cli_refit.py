"""`rnn-tui train --schedule cosine --refit` through real subprocesses: what is written, and what is claimed."""

import os
import re
import subprocess
import sys

from rnn_tui import model

RNN_TUI = [sys.executable, "-m", "rnn_tui"]
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}


def run(*args, timeout=180):
    return subprocess.run([*RNN_TUI, *args], capture_output=True, text=True, timeout=timeout, env=ENV)


def three_languages(tmp_path):
    """Twenty made-up names in each of three languages whose endings tell them apart."""
    stems = ["bar", "cor", "dal", "fen", "gor", "hal", "jun", "kel", "lom", "mar",
             "nor", "pel", "rud", "sol", "tam", "vel", "wor", "zan", "bel", "dor"]
    rows = ["name,language"]
    for ending, language in (("ov", "Alpha"), ("ini", "Beta"), ("son", "Gamma")):
        rows += [f"{stem}{ending},{language}" for stem in stems]
    path = tmp_path / "three.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_refit_trains_on_every_name_for_the_best_epochs_and_keeps_the_first_runs_scores(tmp_path):
    data, out_path = three_languages(tmp_path), tmp_path / "refit.npz"
    out = run("train", "--data", str(data), "--epochs", "12", "--hidden", "8", "--lr", "0.02",
              "--schedule", "cosine", "--refit", "--out", str(out_path))
    assert out.returncode == 0, out.stderr
    assert "48 training and 12 validation names" in out.stdout and "(cosine)" in out.stdout
    best = re.search(r"best: epoch (\d+), validation accuracy ([\d.]+), balanced ([\d.]+)", out.stdout)
    assert best, out.stdout
    epochs = int(best[1])
    assert f"refit: training again on all 60 names for {epochs} epochs" in out.stdout
    refit_lines = out.stdout.split("refit: ", 1)[1]
    assert f"epoch {epochs:>3}/{epochs}  train loss" in refit_lines and "valid loss" not in refit_lines
    m = model.load(out_path)
    assert m.meta["data"]["refit"] is True and not model.held_out(m.meta)
    assert m.meta["epoch"] == epochs and m.meta["config"]["stop_after"] == epochs
    assert m.meta["config"]["schedule"] == "cosine" and m.meta["config"]["epochs"] == 12
    assert f"{m.meta['metrics']['accuracy']:.3f}" == best[2]
    assert f"{m.meta['metrics']['balanced_accuracy']:.3f}" == best[3]
    ev = run("evaluate", "--data", str(data), "--model", str(out_path))
    assert ev.returncode == 0, ev.stderr
    assert "trained on every one of these names: this is not a held-out score" in ev.stdout


def test_without_refit_the_file_says_its_split_is_held_out(tmp_path):
    data, out_path = three_languages(tmp_path), tmp_path / "plain.npz"
    out = run("train", "--data", str(data), "--epochs", "3", "--hidden", "8", "--out", str(out_path))
    assert out.returncode == 0, out.stderr
    assert "refit:" not in out.stdout
    m = model.load(out_path)
    assert model.held_out(m.meta) and "refit" not in m.meta["data"]
    assert m.meta["config"]["schedule"] == "constant" and m.meta["config"]["stop_after"] == 0
    ev = run("evaluate", "--data", str(data), "--model", str(out_path))
    assert "trained on most of these names" in ev.stdout


def test_refit_with_nothing_held_out_says_so(tmp_path):
    out = run("train", "--data", "cats", "--epochs", "3", "--hidden", "4", "--refit")
    assert out.returncode == 0, out.stderr
    assert "--refit: nothing was held out, so the model already trained on every name" in out.stdout


def test_an_unknown_schedule_is_one_line_and_exit_2():
    out = run("train", "--data", "cats", "--schedule", "step")
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "--schedule: invalid choice: 'step'" in out.stderr


def test_ctrl_c_during_the_refit_keeps_the_first_runs_model(tmp_path):
    """The refit is interrupted: the first run's best model is written, and not marked as refit."""
    import signal
    import time

    log, out_path = tmp_path / "out.txt", tmp_path / "m.npz"
    with log.open("w") as stdout:
        proc = subprocess.Popen([*RNN_TUI, "train", "--data", "names", "--epochs", "2", "--hidden", "64",
                                 "--refit", "--out", str(out_path)], stdout=stdout, stderr=subprocess.PIPE,
                                text=True, env=ENV)
        deadline = time.monotonic() + 120
        while "refit: training again" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)                                  # a refit epoch of 38,511 names takes seconds
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    text = log.read_text()
    assert proc.returncode == 130, err
    assert "the refit did not finish: keeping the first run's best model" in text
    assert "the model written is the refit" not in text
    m = model.load(out_path)
    assert model.held_out(m.meta) and m.meta["config"]["stop_after"] == 0
