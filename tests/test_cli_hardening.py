"""Issue 13 on the command line, through real subprocesses: each numbered item has a test here
(or in test_files.py / test_progress.py for the file-level halves)."""

import errno
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from rnn_tui import cli, model
from rnn_tui.engine import rnn
from rnn_tui.engine.vocab import Vocab

RNN_TUI = [sys.executable, "-m", "rnn_tui"]
ENV = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}


def run(*args, env=None, timeout=120):
    return subprocess.run([*RNN_TUI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**ENV, **(env or {})})


def one_error_line(out, start="rnn-tui"):
    """Exit 2, one line on stderr starting as given, no traceback; return the line."""
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start) and "Traceback" not in out.stderr, out.stderr
    return lines[0]


def write_model(path, languages, vocab="abcdefghijklmnopqrstuvwxyz", nhidden=4):
    """A small, valid model file with the given language names (untrained: the names are what matter)."""
    P = rnn.init_params(len(vocab), nhidden, len(languages), seed=1)
    return model.save(path, P, Vocab(vocab), tuple(languages), {"note": "written by a test"})


def write_csv(path, rows):
    path.write_text("name,language\n" + "".join(f"{n},{lang}\n" for n, lang in rows), encoding="utf-8")
    return path


SOME_NAMES = ["smith", "jones", "brown", "taylor", "wilson", "davies", "evans", "thomas",
              "roberts", "walker", "wright", "robinson", "thompson", "white", "hughes", "edwards"]


# --------------------------------------------------------------------------- 1: a second Ctrl+C

@pytest.mark.parametrize("gap", [0.01, 0.03, 0.3])
def test_1_a_second_ctrl_c_still_writes_the_model(tmp_path, gap):
    """SIGINT, then more SIGINTs during the post-stop evaluation and save: exit 130 and a model on disk."""
    path = tmp_path / "partial.npz"
    proc = subprocess.Popen([*RNN_TUI, "train", "--data", "names", "--epochs", "200", "--out", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        for line in proc.stdout:
            if line.startswith("epoch   1/200"):
                break
        proc.send_signal(signal.SIGINT)
        for _ in range(4):
            time.sleep(gap)
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert f"wrote {path}" in rest and "Traceback" not in err
    assert model.load(path).meta["epoch"] >= 1


# --------------------------------------------------------------------------- 2: --out checked first

@pytest.fixture
def outs(tmp_path):
    (tmp_path / "a-file").write_text("")
    os.mkfifo(tmp_path / "fifo")
    return tmp_path


@pytest.mark.parametrize("out,message", [
    ("{tmp}", "is a folder"),
    ("{tmp}/a-file/m.npz", "is a file, not a folder"),
    ("", "argument --out: must not be empty"),
    ("{tmp}/" + "m" * 300 + ".npz", "longer than the 255 bytes"),
    ("~nosuchuser-rnn/m.npz", "there is no user 'nosuchuser-rnn'"),
    ("{tmp}/fifo", "is a FIFO"),                                        # item 4
])
def test_2_a_bad_out_is_refused_before_training(outs, out, message):
    """A path that cannot be written is one line and exit 2, before any data is read or any epoch runs."""
    result = run("train", "--data", "cats", "--epochs", "1", "--out", out.replace("{tmp}", str(outs)))
    assert message in one_error_line(result, "rnn-tui train: error:")
    assert result.stdout == ""                                           # training never started


def test_2_a_failed_save_keeps_a_rescue_copy(tmp_path, monkeypatch, capsys):
    """The disk fills at the very write: one line, exit 2, and the trained model is safe elsewhere."""
    monkeypatch.setenv("RNN_TUI_HOME", str(tmp_path / "home"))
    out = tmp_path / "m.npz"
    real_save = model.save

    def full_disk(path, *args, **kwargs):
        if Path(path) == out:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_save(path, *args, **kwargs)

    monkeypatch.setattr(model, "save", full_disk)
    code = cli.main(["train", "--data", "cats", "--epochs", "3", "--hidden", "4", "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "no space left on device" in err[0], err
    rescued = Path(err[0].split("the trained model is safe in ")[1])
    assert rescued.parent == tmp_path / "home" / "models" and not out.exists()
    assert model.load(rescued).meta["epoch"] == 3


# --------------------------------------------------------------------------- 3: never markup

def test_3_languages_and_paths_with_brackets_train_and_print_as_they_are(tmp_path):
    """A language '[/]' and 'C++ [stdlib]', in a folder 'backup [old]', written to 'out[/]': all literal."""
    folder = tmp_path / "backup [old]"
    folder.mkdir()
    data = write_csv(folder / "names.csv", [(n, "[/]" if i % 2 else "C++ [stdlib]") for i, n in enumerate(SOME_NAMES)])
    out = tmp_path / "out[/]" / "m.npz"
    result = run("train", "--data", str(data), "--epochs", "2", "--hidden", "4", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout and "C++ [stdlib]" in result.stdout and "│ [/]" in result.stdout
    assert model.load(out).languages == ("C++ [stdlib]", "[/]")
    stats = run("data", "stats", str(data))
    assert stats.returncode == 0 and "backup [old]/names.csv" in stats.stdout and "C++ [stdlib]" in stats.stdout
    ev = run("evaluate", "--data", str(data), "--model", str(out))
    assert ev.returncode == 0 and "out[/]/m.npz" in ev.stdout and "C++ [stdlib]" in ev.stdout


# --------------------------------------------------------------------------- 4: links and non-regular files

def test_4_out_through_a_symlink_keeps_the_link(tmp_path):
    """--out a link: the link stays, its target holds the new model."""
    target, link = tmp_path / "models" / "real.npz", tmp_path / "link.npz"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link.symlink_to(target)
    result = run("train", "--data", "cats", "--epochs", "2", "--hidden", "4", "--out", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and model.load(target).languages[0] == "Afrikaans"


# --------------------------------------------------------------------------- 7: launch after a crash

def _read_pty(fd: int, wait: float) -> bytes:
    """What the terminal has within `wait` seconds (b"" if nothing)."""
    if not select.select([fd], [], [], wait)[0]:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:
        return b""


def _launch_in_a_terminal(tmp_path, code: str, keys: bytes = b"", keys_after: float = 0.0) -> tuple[int, bytes]:
    """Run `code` (which calls the real `rnn-tui launch`) in a terminal of its own, 100x30; type `keys`
    once `keys_after` seconds have passed.  Returns its exit status and all it wrote.

    The test keeps its own copy of the terminal's child side open, so reading what the app wrote last
    never races the terminal's hang-up.
    """
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    pid = os.fork()
    if pid == 0:                                         # the child: the terminal is its own
        try:
            os.close(master)
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.environ.update(RNN_TUI_HOME=str(tmp_path), TERM="xterm-256color", COLUMNS="100", LINES="30")
            os.execv(sys.executable, [sys.executable, "-c", code])
        finally:
            os._exit(127)
    start = time.monotonic()
    seen, deadline, done, status = b"", start + 60, 0, 0
    try:
        while not done and time.monotonic() < deadline:
            seen += _read_pty(master, 0.2)
            if keys and time.monotonic() > start + keys_after:
                os.write(master, keys)
                keys = b""
            done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("rnn-tui launch did not end")
        while chunk := _read_pty(master, 1.0):           # what it wrote just before exiting
            seen += chunk
    finally:
        os.close(master)
        os.close(slave)
    return os.waitstatus_to_exitcode(status), seen


def test_7_launch_exits_non_zero_after_a_crash(tmp_path):
    """A screen that raises: the real `rnn-tui launch` in a real terminal ends with a non-zero status.

    After a crash Textual sometimes left its print() capture in place as sys.stderr, which swallowed
    its own traceback and the command's one line (1 run in 6 to 16 here); the command now puts the
    real streams back.
    """
    code = ("import sys\nfrom rnn_tui.ui.screens.home import HomeScreen\n"
            "def broken(self):\n    raise RuntimeError('a fault injected by the test')\n"
            "HomeScreen.compose = broken\nfrom rnn_tui.cli import main\nsys.exit(main(['launch']))\n")
    status, seen = _launch_in_a_terminal(tmp_path, code)
    assert status == 1, seen[-2000:]
    assert b"a fault injected by the test" in seen, seen[-2000:]


def test_7_progress_not_saved_on_quit_is_one_line_and_exit_2(tmp_path):
    """A disk that refuses every write: the app opens a lesson (a visit to save), q quits, and the command
    says in one line that the progress was not saved, with exit status 2 (the app's own notice is gone
    with its screen).  A write that then succeeds would clear it: see test_progress_saving."""
    code = ("import errno, os, sys\nfrom rnn_tui import progress\n"
            "def full(self):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
            "progress.Progress.save = full\nfrom rnn_tui.cli import main\n"
            "sys.exit(main(['launch', '--lesson', '1.2']))\n")
    status, seen = _launch_in_a_terminal(tmp_path, code, keys=b"q", keys_after=4.0)
    assert status == 2, seen[-2000:]
    text = seen.decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if "could not save your progress" in line]
    assert len(lines) == 1 and os.strerror(errno.ENOSPC) in lines[0], text[-2000:]
    assert "Traceback" not in text


# --------------------------------------------------------------------------- 9: option ranges

@pytest.mark.parametrize("args,message", [
    (["--clip", "-5"], "argument --clip: must be a positive finite number"),
    (["--clip", "nan"], "argument --clip: must be a positive finite number"),
    (["--clip", "inf"], "argument --clip: must be a positive finite number"),
    (["--clip", "0"], "argument --clip: must be a positive finite number"),
    (["--seed", "-1"], "argument --seed: must be between 0 and 4,294,967,295, not -1"),
    (["--hidden", "100000"], "argument --hidden: must be between 1 and 1,024, not 100,000"),
    (["--batch", "0"], "argument --batch: must be between 1 and 4,096"),
    (["--epochs", "1e9"], "argument --epochs: must be a whole number, not '1e9'"),
    (["--lr", "nan"], "argument --lr: must be a finite number"),
    (["--valid", "1"], "argument --valid: must be a finite number in (0, 1)"),
    (["--device", "bogus"], "argument --device: must be one of auto, cpu, cuda, cuda:N, mps"),
    (["--device", "cuda"], "--device cuda needs --backend torch or nnrnn"),
    (["--device", "mps"], "--device mps needs --backend torch or nnrnn"),
])
def test_9_options_out_of_range_are_refused(args, message):
    """Each out-of-range value: one line naming the option and the range, exit 2, nothing trained."""
    result = run("train", "--data", "cats", *args)
    assert message in one_error_line(result, "rnn-tui train: error:") and result.stdout == ""


def test_9_help_states_the_bounds():
    """--help says the upper bounds."""
    out = run("train", "--help").stdout
    for text in ("1 to 1,024", "1 to 4,096", "1 to 100,000", "0 to 4,294,967,295", "or 'none'"):
        assert text in " ".join(out.split()), text


def test_9_clip_none_turns_clipping_off(tmp_path):
    """--clip none is the way to train without clipping; the model records it."""
    out = tmp_path / "m.npz"
    assert run("train", "--data", "cats", "--epochs", "2", "--clip", "none", "--out", str(out)).returncode == 0
    assert model.load(out).meta["config"]["clip"] is None


# --------------------------------------------------------------------------- 13: escape injection

def test_13_control_characters_from_a_model_never_reach_the_terminal(tmp_path):
    """A model whose languages hold escape sequences: classify and evaluate print them without escapes."""
    path = write_model(tmp_path / "evil.npz", ["\x1b[31mRED", "\x1b]0;pwned\x07Title", "New\nLine"])
    data = write_csv(tmp_path / "d.csv", [("smith", "New\u2028Line"), ("jones", "x")])
    for result in (run("classify", "Smith", "--model", str(path), "--top", "3"),
                   run("evaluate", "--data", str(data), "--model", str(path))):
        for stream in (result.stdout, result.stderr):
            assert not any(c in stream for c in "\x1b\x07\x9b\u2028"), stream
    refused = run("classify", "Smith", "--model", str(path), "--top", "3")   # the model reader refuses it
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "which is not a language's name" in refused.stderr


# --------------------------------------------------------------------------- 14: nothing to score

def test_14_evaluate_with_no_usable_name_is_one_line(tmp_path):
    """A model whose alphabet shares nothing with the names: one line, exit 2, no 'accuracy nan'."""
    path = write_model(tmp_path / "m.npz", ["English", "German"], vocab="acehktz")
    data = write_csv(tmp_path / "d.csv", [("bob", "English"), ("drummond", "English"), ("olson", "German"),
                                          ("jim", "German")])
    result = run("evaluate", "--data", str(data), "--model", str(path))
    assert "nothing to score" in one_error_line(result, "rnn-tui evaluate: error: none of the 4 names")
    assert "nan" not in result.stdout + result.stderr and "Warning" not in result.stderr


# --------------------------------------------------------------------------- 15: undecodable bytes

@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
def test_15_undecodable_bytes_are_reported_and_json_stays_utf8(locale):
    """M\\xfcller (Latin-1 bytes on a UTF-8 command line): reported like folding; --json is valid UTF-8."""
    env = {**ENV, "PYTHONIOENCODING": "utf-8", "LC_ALL": locale}
    text = subprocess.run([*map(os.fsencode, RNN_TUI), b"classify", b"M\xfcller", b"--top", b"1"],
                          capture_output=True, env=env, timeout=60)
    assert text.returncode == 0 and b"Traceback" not in text.stderr, text.stderr
    line = text.stdout.decode("utf-8")                               # strict: must be valid UTF-8
    assert "undecodable byte \\xfc skipped" in line and "read as 'mller'" in line
    js = subprocess.run([*map(os.fsencode, RNN_TUI), b"classify", b"M\xfcller", b"--json"],
                        capture_output=True, env=env, timeout=60)
    (entry,) = json.loads(js.stdout.decode("utf-8"))
    assert js.returncode == 0 and entry["undecodable"] == ["\\xfc"] and entry["name"] == "M\ufffdller"


# --------------------------------------------------------------------------- 16: stale temp files

def test_16_stale_temp_files_go_on_the_next_write(tmp_path):
    """Temp files a SIGKILLed run left beside the target (ours only) are gone after the next train."""
    out = tmp_path / "m.npz"
    stale = [tmp_path / ".m.npz.999999999.abcdefgh.tmp", tmp_path / ".m.npz.k3j4h5g6.tmp"]
    for p in stale:
        p.write_bytes(np.zeros(1000).tobytes())
    old = time.time() - 3600
    os.utime(stale[1], (old, old))
    keep = tmp_path / ".notes.txt.999999999.abcdefgh.tmp"
    keep.write_text("not ours to judge")
    assert run("train", "--data", "cats", "--epochs", "2", "--out", str(out)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["m.npz", keep.name])


# --------------------------------------------------------------------------- 17: divergence

def test_17_a_diverging_run_keeps_the_best_model_and_says_why(tmp_path):
    """Plain SGD at lr 100 is fine for one epoch, then blows up: the best epoch is written, exit 2."""
    out = tmp_path / "m.npz"
    result = run("train", "--data", "cats", "--optimizer", "sgd", "--lr", "100", "--hidden", "1024",
                 "--clip", "none", "--epochs", "30", "--out", str(out))
    line = one_error_line(result, "rnn-tui train: error: training diverged")
    assert "too high for sgd" in line
    assert "keeping the best parameters so far (epoch" in result.stdout and f"wrote {out}" in result.stdout
    m = model.load(out)
    assert m.meta["epoch"] >= 1 and all(np.isfinite(v).all() for v in m.params.values())


def test_6_an_unknown_user_in_rnn_tui_home_is_one_line():
    """Item 6 on the command line: commands that need the user data folder say why it cannot be found."""
    result = run("data", "stats", "pytorch-names", env={"RNN_TUI_HOME": "~nosuchuser-rnn/x"})
    assert "no user 'nosuchuser-rnn'" in one_error_line(result, "rnn-tui data: error:")


def test_a_reader_that_stops_early_gets_no_traceback():
    """`rnn-tui classify ... | head -1`: the closed pipe ends the command quietly, no BrokenPipeError."""
    names = [f"Nak{i}" for i in range(3000)]
    proc = subprocess.Popen([*RNN_TUI, "classify", *names], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    assert proc.stdout is not None and proc.stdout.readline().startswith(b"Nak0")
    proc.stdout.close()                                  # what head does after its line
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert proc.returncode == 141


@pytest.mark.parametrize("command", [["classify"], ["evaluate"], ["data", "stats"]])
def test_an_unknown_option_is_named_even_when_an_argument_is_missing(command):
    """argparse checks for missing arguments before unknown options: `classify --bogus` said that NAME
    is required (found by helper review). The unknown option is what the line names now."""
    line = one_error_line(run(*command, "--bogus"))
    assert "unrecognized arguments: --bogus" in line and "required" not in line
    line = one_error_line(run(*command))
    assert "required" in line


def test_an_empty_npz_archive_is_called_a_npz_without_a_model(tmp_path):
    """np.savez(path) with nothing in it is a NumPy .npz archive: it lacks a model, it is not another format."""
    path = tmp_path / "empty.npz"
    np.savez(path)
    line = one_error_line(run("classify", "--model", str(path), "Smith"))
    assert "no metadata" in line and "not a NumPy" not in line
