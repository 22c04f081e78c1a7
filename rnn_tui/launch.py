"""The command line's `launch` options and the `serve` command (rnn_tui.cli calls these).

`rnn-tui launch --lesson N[.S]` opens lesson N (at step S), `--lab` the
training lab, `--classify NAME` the classify screen with NAME typed in.
`rnn-tui serve` shows the same app in a web browser (rnn_tui.serve).
Nothing here imports Textual: `--help` stays instant.
"""

from __future__ import annotations

import argparse
import sys

from .serve import LOOPBACK


def port(text: str) -> int:
    """argparse type: a TCP port number."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535, not {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535, not {value}")
    return value


def add_app_commands(sub) -> None:
    """Add `launch` (with where to open) and `serve` to the command line's subparsers."""
    la = sub.add_parser("launch", help="open the lessons (the default)", description="Open the terminal app.")
    where = la.add_mutually_exclusive_group()
    where.add_argument("--lesson", metavar="N[.S]", help="open lesson N (at step S), e.g. 3 or 3.2")
    where.add_argument("--lab", action="store_true", help="open the training lab")
    where.add_argument("--classify", metavar="NAME", help="open the classify screen with NAME typed in")
    sv = sub.add_parser("serve", help="the app in a web browser",
                        description="Serve the app to a web browser (textual-serve). It listens on "
                        f"{LOOPBACK} only, unless --host names another address.")
    sv.add_argument("--host", default=LOOPBACK,
                    help=f"address to listen on (default: {LOOPBACK}, this machine only; 0.0.0.0 is every network)")
    sv.add_argument("--port", type=port, default=8000, help="port to listen on (default: 8000)")


def start_of(args: argparse.Namespace, lessons: list):
    """The app's Start for the launch options; ValueError when they name nothing that exists."""
    from .ui.app import start_at

    return start_at(lessons, lesson=getattr(args, "lesson", None), lab=getattr(args, "lab", False),
                    classify=getattr(args, "classify", None))


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve until ctrl+c; a port in use or an address not on this machine is a one-line error."""
    from .serve import serve

    try:
        serve(args.host, args.port)
    except OSError as e:
        print(f"rnn-tui serve: error: cannot listen on {args.host}:{args.port}: {e.strerror or e}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
