"""The `rnn-tui` command: train, classify, evaluate, data stats.

Every user error (a bad path, a corrupt model, an impossible setting) is one
line on stderr and exit status 2, never a traceback.  Options are checked
against stated ranges as they are parsed (rnn_tui.options), and `--out`
before training starts.  Text that comes from the user or from a file (names,
paths, language names, error messages quoting them) passes through
rnn_tui.safe before it is printed: Rich prints with markup off, and escape
sequences and control characters never reach the terminal.  Heavy modules
(the engine, torch, Rich) load inside the commands, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from . import __version__, options, safe
from .launch import add_app_commands, cmd_serve, start_of
from .options import (
    MAX_BATCH,
    MAX_CLIP,
    MAX_EPOCHS,
    MAX_HIDDEN,
    MAX_LR,
    MAX_PATIENCE,
    MAX_SEED,
    MAX_TOP,
)

JUNK_SHOWN = 40         # characters of a set-aside line that `data stats` shows
EXAMPLES = """examples:
  rnn-tui train --data cats --epochs 50          the article's four words, in a second
  rnn-tui train --data names --out my.npz        the shipped names corpus
  rnn-tui classify Papadopoulos Kowalski "O'Brien" --top 3
  rnn-tui evaluate --data path/to/data/names
  rnn-tui data stats names
  rnn-tui data get pytorch-names                 the PyTorch tutorial's names, then --data pytorch-names
  rnn-tui check                                  validate every lesson
  rnn-tui launch --lesson 3.2                    open lesson 3 at step 2 (or --lab, --classify NAME)
  rnn-tui serve                                  the app in a web browser, on 127.0.0.1:8000

Run with no command (or `rnn-tui launch`) to open the lessons.
"""


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is a single line naming the command.

    Abbreviated options are refused: with them a value such as `--=` after
    `--clip` was read as an ambiguous option instead of a missing value.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        """As argparse's; the arguments are kept so that an error can name an unknown option."""
        self._given = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        if message.startswith("the following arguments are required"):
            # argparse checks for missing arguments before unknown ones: `classify --bogus` said that
            # NAME is required, not that --bogus means nothing
            unknown = [a for a in getattr(self, "_given", []) if a.startswith("-") and a != "-"
                       and not _is_number(a) and a.split("=", 1)[0] not in self._option_string_actions]
            if unknown:
                message = f"unrecognized arguments: {' '.join(unknown)}"
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def build_parser() -> Parser:
    """The full argument parser."""
    from .engine.config import BACKENDS, CELLS, INITS, OPTIMIZERS, SCHEDULES, STRATEGIES, TrainConfig

    d = TrainConfig()
    p = Parser(prog="rnn-tui", description="A recurrent neural network as a few matrices in a loop: "
               "train one on family names, classify, evaluate.", epilog=EXAMPLES,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"rnn-tui {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    t = sub.add_parser("train", help="train W, U, V on a names data set",
                       description="Train the RNN classifier, printing a line per epoch.")
    t.add_argument("--data", default="names", type=options.nonempty,
                   help="a folder of <Language>.txt files, a .csv/.tsv(.gz) with name and language columns "
                   "(or no header: name, language), the shipped 'cats' or 'names', or 'pytorch-names' after "
                   "'rnn-tui data get pytorch-names' (default: names)")
    t.add_argument("--strategy", choices=STRATEGIES, default=d.strategy,
                   help="sgd: update per name; minibatch: loop a batch, one update; vectorized: whole batch at once")
    t.add_argument("--backend", choices=BACKENDS, default=d.backend,
                   help="numpy (hand-written BPTT), torch (autograd), nnrnn (torch.nn.RNN reference)")
    t.add_argument("--device", default=d.device, type=options.device,
                   help="torch device: auto, cpu, cuda, cuda:N, mps (default: auto); the numpy backend "
                   "takes only auto or cpu")
    t.add_argument("--hidden", type=options.integer(1, MAX_HIDDEN), default=d.nhidden,
                   help=f"size of h, 1 to {MAX_HIDDEN:,} (default: {d.nhidden})")
    t.add_argument("--batch", type=options.integer(1, MAX_BATCH), default=d.batch_size,
                   help=f"names per batch, 1 to {MAX_BATCH:,} (default: {d.batch_size})")
    t.add_argument("--lr", type=options.real(0, MAX_LR), default=d.lr,
                   help=f"learning rate, above 0 and at most {MAX_LR:g} (default: {d.lr})")
    t.add_argument("--optimizer", choices=OPTIMIZERS, default=d.optimizer)
    t.add_argument("--schedule", choices=SCHEDULES, default=d.schedule,
                   help="the learning rate per epoch: constant, or cosine (from --lr down toward 0 "
                   f"by the last epoch) (default: {d.schedule})")
    t.add_argument("--epochs", type=options.integer(1, MAX_EPOCHS), default=d.epochs,
                   help=f"passes over the data, 1 to {MAX_EPOCHS:,} (default: {d.epochs})")
    t.add_argument("--patience", type=options.integer(0, MAX_PATIENCE), default=d.patience,
                   help="stop after this many epochs without a better validation accuracy (0: never)")
    t.add_argument("--clip", type=options.clip, default=d.clip,
                   help=f"max gradient norm, above 0 and at most {MAX_CLIP:g}, or 'none' "
                   f"(default: {d.clip})")
    t.add_argument("--init", choices=INITS, default=d.init,
                   help="default: small uniform; article: W = identity, U and V standard normal")
    t.add_argument("--bias", action="store_true", help="add bias vectors (padded steps are then masked)")
    t.add_argument("--dropout", type=options.real(0, 1, low_open=False, high_open=True), default=d.dropout,
                   help="while training, hide this share of the last h's numbers from V for each name "
                   "(at least 0, below 1; numpy backend, vectorized, rnn cell) (default: 0)")
    t.add_argument("--char-dropout", type=options.real(0, 1, low_open=False, high_open=True),
                   default=d.char_dropout, help="while training, leave out each character of a name with "
                   "this chance, at least one kept (at least 0, below 1) (default: 0)")
    t.add_argument("--cell", choices=CELLS, default=d.cell,
                   help="rnn: h = tanh(W h + U x); gru: gated, trained by every backend; "
                   "lstm: gated with a memory, --backend nnrnn only (default: rnn)")
    t.add_argument("--balance", action=argparse.BooleanOptionalAction, default=True,
                   help="weight each name's loss so every language counts alike, and keep the epoch with "
                   "the best balanced accuracy (default: on; --no-balance trains on plain accuracy)")
    t.add_argument("--valid", type=options.real(0, 1, high_open=True), default=0.2,
                   help="validation share, above 0 and below 1, stratified (default: 0.2)")
    t.add_argument("--refit", action="store_true",
                   help="then train again on every name, the validation names too, with the same settings "
                   "up to the best epoch, and write that model (its recorded validation scores are the "
                   "first run's: it has no held-out names left)")
    t.add_argument("--seed", type=options.integer(0, MAX_SEED), default=d.seed,
                   help=f"0 to {MAX_SEED:,} (default: {d.seed})")
    t.add_argument("--out", type=options.nonempty, help="write the best model here (.npz); checked before "
                   "training: a folder, a FIFO or a device is refused, a link is written through")

    add_app_commands(sub)                      # launch (and where it opens) and serve: rnn_tui/launch.py
    ck = sub.add_parser("check", help="validate every lesson",
                        description="Parse every lesson and run every step; print what is wrong.")
    ck.add_argument("--lessons", type=Path, help="a lessons folder (default: the shipped lessons)")

    c = sub.add_parser("classify", help="guess the language of family names",
                       description="Print the most likely languages of each name.")
    c.add_argument("names", nargs="+", metavar="NAME")
    c.add_argument("--model", type=options.nonempty, help="a model file (default: the pretrained names model)")
    c.add_argument("--top", type=options.integer(1, MAX_TOP), default=3,
                   help=f"how many languages to show, 1 to {MAX_TOP:,} (default: 3)")
    c.add_argument("--json", action="store_true", help="print JSON instead of text")

    e = sub.add_parser("evaluate", help="score a model on a data set",
                       description="Accuracy, balanced accuracy, per-language accuracy and a confusion matrix.")
    e.add_argument("--data", required=True, type=options.nonempty,
                   help="a folder, a .csv/.tsv(.gz), 'cats', 'names' or 'pytorch-names'")
    e.add_argument("--model", type=options.nonempty, help="a model file (default: the pretrained names model)")
    e.add_argument("--strict-languages", action="store_true",
                   help="refuse data whose languages differ from the model's (default: score the languages "
                   "in common and name the others)")

    dp = sub.add_parser("data", help="inspect names data", description="Inspect names data.")
    dsub = dp.add_subparsers(dest="data_command", metavar="ACTION", parser_class=Parser, required=True)
    st = dsub.add_parser("stats", help="counts, duplicates, shared names, vocabulary, baseline",
                         description="Per-language counts, duplicates removed, names shared between "
                         "languages, the vocabulary and the majority-class baseline.")
    st.add_argument("path", type=options.nonempty,
                    help="a folder, a .csv/.tsv(.gz), 'cats', 'names' or 'pytorch-names'")
    from .resources import DOWNLOADS

    g = dsub.add_parser("get", help="download a data set into your user data folder",
                        description="Download a data set into your user data folder (RNN_TUI_HOME if set), "
                        "check it, and make it a --data name.  Nothing is downloaded any other way.  "
                        + "  ".join(f"{k}: {r.about}, from {r.url}." for k, r in DOWNLOADS.items()))
    g.add_argument("name", choices=sorted(DOWNLOADS), help="the data set")
    g.add_argument("--force", action="store_true", help="download it again even if it is there")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rnn-tui` script."""
    for stream in (sys.stdout, sys.stderr):         # an odd byte in a name must never be a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "launch"):
        return cmd_launch(args)
    if args.command == "serve":
        return cmd_serve(args)
    from .data import DataError
    from .engine.devices import DeviceUnavailable
    from .engine.train import TrainingDiverged
    from .files import PathError
    from .lessons import LessonError
    from .model import ModelError
    from .progress import HomeError

    commands = {"train": cmd_train, "classify": cmd_classify, "evaluate": cmd_evaluate,
                "data": cmd_data, "check": cmd_check}
    try:
        return commands[args.command](args)
    except (UserError, DataError, ModelError, DeviceUnavailable, TrainingDiverged, LessonError, PathError,
            HomeError) as e:
        print(f"rnn-tui {args.command}: error: {safe.one_line(str(e))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"rnn-tui {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:                         # `rnn-tui classify ... | head`: the reader has gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())       # so the flush at exit does not fail a second time
        return 128 + 13                             # as a program killed by SIGPIPE, quietly


def cmd_launch(args: argparse.Namespace) -> int:
    """Open the app; refuse to start without a terminal, with broken lessons, or at a lesson that is not there."""
    from .lessons import LessonError, load_all

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("rnn-tui: error: the lessons need an interactive terminal; "
              "run 'rnn-tui --help' for the commands that do not", file=sys.stderr)
        return 2
    try:
        lessons = load_all()
    except LessonError as e:
        print(f"rnn-tui: error: {e}", file=sys.stderr)
        return 2
    try:
        start = start_of(args, lessons)
    except ValueError as e:
        print(f"rnn-tui launch: error: {e}", file=sys.stderr)
        return 2
    from .ui.app import RnnTuiApp

    app = RnnTuiApp(lessons, start=start)
    streams = sys.stdout, sys.stderr
    app.run()
    # Textual captures print() while it runs and, after a crash, sometimes leaves its capture in
    # place (about one crash in fifteen here): put the real streams back so this line is seen.
    sys.stdout, sys.stderr = streams
    if app.return_code and app.fault is not None:
        print(f"rnn-tui: error: the app stopped on a fault in its own code "
              f"({safe.one_line(f'{type(app.fault).__name__}: {app.fault}')}); please report it", file=sys.stderr)
    failure = app.saver.failure          # the write on quit has no screen left to say it failed
    if failure is not None and not app.return_code:
        print(f"rnn-tui: error: could not save your progress to {safe.one_line(str(app.progress.path))} "
              f"({safe.one_line(failure.strerror or str(failure))}); free some space, or set RNN_TUI_HOME "
              "to a folder you can write", file=sys.stderr)
        return 2
    return app.return_code or 0          # Textual sets 1 after an exception it had to show


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the lessons: parse, run every step, check every visual and answer."""
    from .lessons import MAX_VISIBLE_ANSWERS, Visibility, check, load_all

    lessons = load_all(args.lessons)
    report: list[Visibility] = []
    problems = check(lessons, report)
    if report:
        print("Is each question's answer on screen before it is answered?")
        for v in report:
            print(v.line())
        print(f"{sum(v.visible for v in report)} of {len(report)} answers visible before answering "
              f"(at most {MAX_VISIBLE_ANSWERS} allowed)")
    for p in problems:
        print(safe.one_line(p))
    nsteps = sum(len(lesson.steps) for lesson in lessons)
    nquestions = sum(1 for lesson in lessons for s in lesson.steps if s.question)
    if problems:
        print(f"{len(problems)} problem(s) in {len(lessons)} lessons", file=sys.stderr)
        return 1
    print(f"{len(lessons)} lessons, {nsteps} steps, {nquestions} questions: all good")
    return 0


def _load_model(path: str | None):
    from .files import expand
    from .model import load
    from .resources import pretrained_model

    return load(expand(path) if path is not None else pretrained_model())


def _console():
    """A Rich console that never reads markup in what it prints (paths, names, languages)."""
    from rich.console import Console

    return Console(markup=False)


class _Interrupts:
    """Ctrl+C while training stops it (KeyboardInterrupt); after that, Ctrl+C cannot stop the save.

    A second Ctrl+C used to land in the post-stop evaluation and lose the
    whole model.  Now only the first one during training raises; any other
    one, and every one once training has ended, prints a note instead.
    """

    def __init__(self) -> None:
        self.training = True
        self.raised = False
        self.noted = False

    def __call__(self, signum: int, frame: object) -> None:
        if self.training and not self.raised:
            self.raised = True
            raise KeyboardInterrupt
        if not self.noted:
            self.noted = True
            os.write(2, b"\nrnn-tui train: still writing the model; it will be done in a moment\n")


@contextmanager
def _guarded() -> Iterator[_Interrupts]:
    """Install _Interrupts as the SIGINT handler (main thread only) and restore the old one after."""
    guard = _Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = signal.signal(signal.SIGINT, guard)
    try:
        yield guard
    finally:
        # after a Ctrl+C the user wants out: one more while exiting must not end in a traceback
        signal.signal(signal.SIGINT, signal.SIG_IGN if guard.raised or guard.noted else previous)


# ----------------------------------------------------------------------------
# train

def cmd_train(args: argparse.Namespace) -> int:
    """Train and report; Ctrl+C or a divergence stops and still writes the best model so far."""
    from . import data
    from .engine.train import TrainConfig, Trainer
    from .files import check_target

    if args.backend == "numpy" and args.device not in ("auto", "cpu"):
        raise UserError(f"--device {args.device} needs --backend torch or nnrnn; "
                        "the numpy backend runs on the CPU (use auto or cpu)")
    out = check_target(args.out) if args.out is not None else None      # before an hour of training
    corpus = data.load(args.data)
    ds, vocab = data.to_dataset(corpus, args.valid, args.seed)
    try:
        cfg = TrainConfig(strategy=args.strategy, backend=args.backend, device=args.device,
                          nhidden=args.hidden, batch_size=args.batch, lr=args.lr,
                          optimizer=args.optimizer, epochs=args.epochs, patience=args.patience,
                          seed=args.seed, clip=args.clip, init=args.init, bias=args.bias,
                          cell=args.cell, balance=args.balance, schedule=args.schedule,
                          dropout=args.dropout, char_dropout=args.char_dropout)
        batch = cfg.effective_batch
        nbatches = math.ceil(len(ds.train) / batch)
        cfg = replace(cfg, every=max(1, nbatches // 100))
        trainer = Trainer(ds, cfg)
    except ValueError as e:
        raise UserError(str(e)) from None

    console = _console()
    console.print(f"{len(ds.train):,} training and {len(ds.valid):,} validation names, "
                  f"{len(ds.classes)} languages, {len(vocab)} characters; {cfg.strategy} on {cfg.backend}, "
                  f"{cfg.cell} cell, hidden {cfg.nhidden}, batch {batch}, {cfg.optimizer} lr {cfg.lr:g}"
                  + (f" ({cfg.schedule})" if cfg.schedule != "constant" else "")
                  + (", languages balanced" if cfg.balance else ""))
    if data.notes(corpus):
        console.print(data.notes(corpus), style="dim", markup=False)
    if ds.valid is ds.train:
        console.print("no language has two names to hold one out: scoring on the training names")
    best_by = "balanced accuracy" if cfg.balance else "accuracy"
    console.print(f"(* marks a new best validation {best_by}; unseen: names absent from training)", style="dim")
    refit = None
    with _guarded() as guard:
        interrupted, diverged = _train_with_progress(trainer, console, len(ds.train), batch)
        if diverged is not None and not trainer.best_epoch:
            guard.training = False
            raise UserError(f"{diverged} (before any epoch finished, so there is no model to keep)")
        if args.refit and ds.valid is ds.train:
            console.print("--refit: nothing was held out, so the model already trained on every name")
        elif args.refit and not interrupted and diverged is None:
            everything = ds.all_names()
            refit = Trainer(everything, replace(cfg, stop_after=trainer.best_epoch, patience=0))
            console.print(f"refit: training again on all {len(everything.train):,} names for "
                          f"{trainer.best_epoch} epochs, the best epoch's count", soft_wrap=True)
            interrupted, diverged = _train_with_progress(refit, console, len(everything.train), batch)
            if interrupted or diverged is not None:
                console.print("the refit did not finish: keeping the first run's best model", style="yellow")
                refit = None
        guard.training = False                   # from here on Ctrl+C cannot stop the model being written
        code = _report_and_save(args, console, trainer, ds, vocab, corpus, out, interrupted, diverged, refit)
    if diverged is not None:
        print(f"rnn-tui train: error: {safe.one_line(diverged)}", file=sys.stderr)
    return code


def _train_with_progress(trainer, console, n: int, batch: int) -> tuple[bool, str | None]:
    """Pull a run's snapshots under a progress bar, a line per epoch; (interrupted, divergence message)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from . import report
    from .engine.train import TrainingDiverged

    cfg = trainer.config
    epochs = cfg.stop_after or cfg.epochs
    held_out = len(trainer.data.valid) > 0
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} names"),
               TextColumn("{task.fields[rate]:>8,.0f} names/s"), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"epoch 1/{epochs}", total=n, rate=0.0)
        try:
            for snap in trainer.run():
                progress.update(task, completed=min(snap.batch * batch, n), rate=snap.names_per_sec)
                if snap.kind == "epoch" and snap.metrics is not None:
                    line = (report.epoch_line(snap.epoch, epochs, snap.train_loss, snap.metrics, snap.is_best)
                            if held_out else f"epoch {snap.epoch:>3}/{epochs}  train loss {snap.train_loss:.4f}")
                    progress.console.print(line, soft_wrap=True)
                    progress.reset(task, total=n, description=f"epoch {snap.epoch + 1}/{epochs}", rate=0.0)
        except KeyboardInterrupt:
            return True, None
        except TrainingDiverged as e:
            return False, str(e)
    return False, None


def _report_and_save(args, console, trainer, ds, vocab, corpus, out, interrupted, diverged, refit=None) -> int:
    """After training: the best epoch's scores, the per-language table, and the model file.

    With a finished refit, the model written is the refit's, and the scores
    recorded with it are the first run's on the validation split.
    """
    from rich.text import Text

    from . import report
    from .engine.train import split_confusion

    P, metrics = trainer.final()
    best = f" (epoch {trainer.best_epoch})" if trainer.best_epoch else " (no epoch finished)"
    if interrupted:
        console.print(Text.assemble(("interrupted", "yellow"), ": keeping the best parameters so far" + best))
    elif diverged is not None:
        console.print(Text.assemble(("stopped", "yellow"), f": training diverged; keeping the best "
                                    f"parameters so far{best}"))
    elif trainer.stop_reason and trainer.stop_reason != "finished":
        console.print(f"stopped early: {trainer.stop_reason}")
    console.print(f"best: epoch {trainer.best_epoch or '-'}, validation accuracy {metrics.accuracy:.3f}, "
                  f"balanced {metrics.balanced_accuracy:.3f}, training time {trainer.elapsed:.1f}s")
    cm = split_confusion(P, ds.valid, len(ds.classes), trainer.config.cell)
    if cm.sum():
        console.print(report.per_language_table(ds.classes, cm, "validation accuracy per language"))
    if out is not None:
        from .model import metadata

        meta = metadata(trainer.config if refit is None else refit.config, source=safe.path(args.data),
                        fingerprint=corpus.fingerprint(), names=len(corpus.names), valid_fraction=args.valid,
                        metrics=metrics.as_dict(), epoch=trainer.best_epoch, refit=refit is not None)
        if refit is not None:
            P = refit.final()[0]
            console.print(f"the model written is the refit on all {len(refit.data.train):,} names; the scores "
                          "above are the first run's, on names it had not trained on")
        console.print(f"wrote {safe.path(_save_or_rescue(out, P, vocab, ds.classes, meta))}")
    return 130 if interrupted else 2 if diverged is not None else 0


def _save_or_rescue(out: Path, P, vocab, classes, meta) -> Path:
    """Write the model to out; if that fails, write it somewhere safe and say where (UserError)."""
    import tempfile
    import time

    from .files import PathError
    from .model import save
    from .progress import HomeError, data_dir

    try:
        return save(out, P, vocab, classes, meta)
    except (OSError, PathError) as e:
        why = (e.strerror or str(e)).lower() if isinstance(e, OSError) else str(e)
    name = f"rescued-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.npz"
    places = []
    try:
        places.append(data_dir() / "models")
    except HomeError:
        pass
    places.append(Path(tempfile.gettempdir()))
    for folder in places:
        try:
            saved = save(folder / name, P, vocab, classes, meta)
        except (OSError, PathError):
            continue
        raise UserError(f"could not write {safe.path(out)} ({why}); the trained model is safe in {saved}")
    raise UserError(f"could not write {safe.path(out)} ({why}), nor a copy in {', '.join(map(str, places))}: "
                    "the trained model is lost")


# ----------------------------------------------------------------------------
# classify, evaluate, data stats

def cmd_classify(args: argparse.Namespace) -> int:
    """Top languages for each name; a name with no usable letters is an error line.

    A byte the locale could not decode (Python keeps it as a lone surrogate)
    is shown as U+FFFD, skipped like any unknown character, and reported.
    """
    from .model import MAX_NAME

    model = _load_model(args.model)
    languages = tuple(safe.one_line(lang) for lang in model.languages)     # a file's text: no escapes
    results, failed = [], []
    for typed in args.names:
        bad = safe.undecodable(typed)
        name = safe.one_line(typed)                 # an undecodable byte shows as U+FFFD ...
        r = model.read(name.replace("\ufffd", ""))  # ... and is skipped when reading
        if r.trace is None:
            failed.append(name)
            print(f"rnn-tui classify: error: {_shortened(name)!r} has no letters this model knows "
                  f"({safe.one_line(model.vocab.chars.strip())}); type a family name such as 'Kowalski'",
                  file=sys.stderr)
            continue
        results.append((name, bad, r, r.top(languages, args.top)))
    if args.json:                                  # ensure_ascii: always valid UTF-8, whatever came in
        print(json.dumps([{"name": name, "read_as": r.used, "dropped": [c for _, c in r.dropped],
                           "removed": list(r.removed),
                           "undecodable": bad, "truncated": r.truncated,
                           "predictions": [{"language": lang, "probability": round(p, 6)} for lang, p in top]}
                          for name, bad, r, top in results], indent=2))
    else:
        for name, bad, r, top in results:
            notes = [f"read as {r.used!r}"] if r.used != name.lower() else []
            if r.removed:
                notes.append(f"dropped {' '.join(r.removed)}: not letters")
            if bad:
                notes.append(f"undecodable byte{'s' * (len(bad) > 1)} {' '.join(bad)} skipped")
            if r.truncated:
                notes.append(f"only its first {MAX_NAME} characters are read")
            note = f" ({'; '.join(notes)})" if notes else ""
            guesses = "  ".join(f"{lang} {p:.1%}" for lang, p in top)
            print(f"{_shortened(name)}{note}: {guesses}")
    return 2 if failed else 0


def _shortened(name: str, limit: int = 80) -> str:
    """A name as echoed on one line: a very long one is cut, with an ellipsis (--json keeps it whole)."""
    return name if len(name) <= limit else name[:limit - 1] + "…"


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score a model on every name of a data set in the languages it shares with the model."""
    import numpy as np
    from rich.text import Text

    from . import data, report
    from .engine import cells
    from .engine.metrics import balanced_accuracy, confusion_matrix
    from .model import held_out

    model = _load_model(args.model)
    corpus, notice = data.in_common(data.load(args.data, min_languages=1), model.languages)
    if notice and args.strict_languages:
        raise UserError(f"languages differ ({notice.split('; ', 1)[1]}); drop --strict-languages to score "
                        "the languages in common")
    index = {lang: i for i, lang in enumerate(model.languages)}
    seqs, labels, skipped = [], [], 0
    for name, lang in zip(corpus.names, corpus.languages):
        used, _ = model.vocab.split_known(name)
        if not used:
            skipped += 1
            continue
        seqs.append(model.vocab.encode(used))
        labels.append(index[lang])
    if not seqs:
        raise UserError(f"none of the {skipped:,} names in {safe.path(corpus.source)} has a character the "
                        f"model knows ({safe.one_line(model.vocab.chars.strip())}): nothing to score")
    if notice:
        print(f"rnn-tui evaluate: note: {safe.one_line(notice)}", file=sys.stderr)
    y = np.array(labels, dtype=np.int64)
    pred = cells.get(model.cell).predict_logits(model.params, seqs).argmax(axis=1)   # the model's own cell
    cm = confusion_matrix(y, pred, len(model.languages))
    console = _console()
    console.print(Text(f"model {safe.path(model.path)} on {safe.path(corpus.source)}: {len(y):,} names"
                       + (f" ({skipped} skipped: no known characters)" if skipped else "")))
    console.print(f"accuracy {np.mean(pred == y):.3f}   balanced accuracy "
                  f"{balanced_accuracy(y, pred, len(model.languages)):.3f}")
    trained_on = model.meta.get("data")
    if isinstance(trained_on, dict) and trained_on.get("fingerprint") == corpus.fingerprint():
        share = "every one of" if not held_out(model.meta) else "most of"
        console.print(f"(the model was trained on {share} these names: this is not a held-out score)", style="dim")
    console.print(report.per_language_table(model.languages, cm, "accuracy per language"))
    console.print(report.confusion_table(model.languages, cm))
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    """`rnn-tui data stats` or `rnn-tui data get`."""
    return cmd_data_get(args) if args.data_command == "get" else cmd_data_stats(args)


def cmd_data_stats(args: argparse.Namespace) -> int:
    """Counts and properties of a names data set, and how it was read."""
    from rich.text import Text

    from . import data, report

    corpus = data.load(args.path, min_languages=1)
    s = data.stats(corpus)
    console = _console()
    console.print(report.stats_table(s))
    console.print(Text(f"read as {s['layout']}"))
    shared = corpus.shared()
    examples = safe.one_line(", ".join(f"{n} ({'/'.join(langs)})" for n, langs in list(shared.items())[:5]))
    console.print(Text(f"duplicates removed: {sum(s['duplicates_removed'].values())}   junk lines set aside: "
                       f"{s['junk']}   names folded to ASCII: {s['folded_to_ascii']}   "
                       f"names cut to {data.MAX_NAME} characters: {s['cut']}"))
    console.print(Text(f"names listed under several languages: {s['shared_names']}"
                       + (f", e.g. {examples}" if examples else "")))
    console.print(Text(f"vocabulary ({len(s['vocabulary'])} characters): {s['vocabulary']!r}"))
    tied = [safe.one_line(str(t)) for t in s["majority_tied"]]
    named = tied[:3] + [f"{len(tied) - 3} more"] if len(tied) > 3 else tied
    also = (f"; {', '.join(named[:-1])}{' and ' if len(named) > 1 else ''}{named[-1]} "
            f"{'is' if len(named) == 1 else 'are'} as large" if named else "")
    console.print(Text(f"majority-class baseline: {s['majority_baseline']:.3f} "
                       f"(always guessing {safe.one_line(str(s['majority_class']))}{also})"))
    for j in corpus.junk[:5]:                         # a long line is shown by its start
        text = j.text if len(j.text) <= JUNK_SHOWN else j.text[:JUNK_SHOWN - 1] + "…"
        console.print(Text(f"  set aside {safe.path(j.source)}:{j.line} {safe.one_line(repr(text))}: "
                           f"{safe.one_line(j.reason)}", style="dim"))
    return 0


def cmd_data_get(args: argparse.Namespace) -> int:
    """Download a data set with a progress bar, check it, and install it in one rename."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
    from rich.text import Text

    from . import download

    console = _console()
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"downloading {args.name}", total=None)
        result = download.fetch(args.name, lambda done, total: bar.update(task, completed=done, total=total),
                                force=args.force)
    if result.already:
        console.print(Text(f"{args.name} is already in {safe.path(result.path)} (--force downloads it again)"))
    else:
        console.print(Text(f"saved {result.names:,} names in {result.languages} languages to {safe.path(result.path)}"))
    console.print(Text(f"use it as --data {args.name}, e.g. rnn-tui train --data {args.name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
