"""`rnn-tui serve`: the same app in a web browser, through Textualize's textual-serve.

textual-serve is a small aiohttp server: its page runs xterm.js, and each
browser tab that connects gets its own `python -m rnn_tui.serve` process,
which is the ordinary app with Textual's web driver.  It listens on
127.0.0.1 unless --host says otherwise, so nothing outside this machine can
reach it by default.
"""

from __future__ import annotations

import shlex
import socket
import sys

LOOPBACK = "127.0.0.1"


def app_command() -> str:
    """The shell command textual-serve runs for each browser tab."""
    return f"{shlex.quote(sys.executable)} -m rnn_tui.serve"


def check_free(host: str, port: int) -> None:
    """OSError (with a one-line reason) when host:port cannot be listened on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def serve(host: str = LOOPBACK, port: int = 8000) -> None:
    """Serve the app on host:port until ctrl+c."""
    from textual_serve.server import Server

    check_free(host, port)
    print(f"rnn-tui serve: open http://{host}:{port} in a browser; ctrl+c stops", flush=True)
    Server(app_command(), host=host, port=port, title="rnn-tui").serve()


def run_app() -> None:
    """One browser tab's app (textual-serve gives it the web driver through the environment)."""
    from .lessons import load_all
    from .ui.app import RnnTuiApp

    RnnTuiApp(load_all()).run()


if __name__ == "__main__":
    run_app()
