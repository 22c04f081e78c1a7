"""Time from `rnn-tui launch` to its first painted screen, against a bare Textual app.

    python bench/startup.py [--runs 5]

Each program runs in a real pseudo-terminal of 120x40; the clock stops when
the screen's text first appears in what it writes ("Lessons" for rnn-tui,
"hello" for the peer, a Textual app with one Static).  Prints the medians
and their ratio, and checks that starting the app imports no torch.
Goal (issue 4): the first screen within 1 s.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

PEER = """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("hello")
Hello().run()
"""


def first_paint(argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 20.0) -> float:
    """Seconds until marker shows up in the program's terminal output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - t0 < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                if marker in seen:
                    return time.perf_counter() - t0
        raise RuntimeError(f"{argv[0]}: no {marker!r} within {timeout}s")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40",
           "RNN_TUI_HOME": tempfile.mkdtemp(prefix="rnn-tui-bench-")}
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(PEER)
    app_times, peer_times = [], []
    for _ in range(args.runs):                      # interleaved, so load changes hit both alike
        app_times.append(first_paint([sys.executable, "-m", "rnn_tui", "launch"], b"Lessons", env))
        peer_times.append(first_paint([sys.executable, f.name], b"hello", env))
    os.unlink(f.name)
    app, peer = statistics.median(app_times), statistics.median(peer_times)
    probe = subprocess.run([sys.executable, "-c", "import sys, rnn_tui.cli, rnn_tui.ui.app; "
                            "print('torch' in sys.modules)"], capture_output=True, text=True, env=env)
    print(f"first screen, median of {args.runs} runs in a 120x40 pty:")
    print(f"  rnn-tui launch       {app:6.3f} s   (runs: {', '.join(f'{t:.3f}' for t in app_times)})")
    print(f"  bare Textual app     {peer:6.3f} s   (runs: {', '.join(f'{t:.3f}' for t in peer_times)})")
    print(f"rnn-tui / bare Textual = {app / peer:.2f}x;  goal: rnn-tui under 1 s -> "
          f"{'met' if app < 1 else 'NOT met'}")
    print(f"torch imported at start-up: {probe.stdout.strip()}")


if __name__ == "__main__":
    main()
