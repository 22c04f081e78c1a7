"""The `rnn-tui` command: train, classify, evaluate, data stats.

Every user error (a bad path, a corrupt model, an impossible setting) is one
line on stderr and exit status 2, never a traceback.  Heavy modules (the
engine, torch, Rich) load inside the commands, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from . import __version__
from .launch import add_app_commands, cmd_serve, start_of

EXAMPLES = """examples:
  rnn-tui train --data cats --epochs 50          the article's four words, in a second
  rnn-tui train --data names --out my.npz        the shipped names corpus
  rnn-tui classify Nakamura Okafor --top 3
  rnn-tui evaluate --data path/to/data/names
  rnn-tui data stats names
  rnn-tui data get pytorch-names                 the PyTorch tutorial's names, then --data pytorch-names
  rnn-tui check                                  validate every lesson

Run with no command (or `rnn-tui launch`) to open the lessons.
"""


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is a single line naming the command."""

    def error(self, message: str) -> None:  # noqa: D102 (argparse API)
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> Parser:
    """The full argument parser."""
    from .engine.train import BACKENDS, STRATEGIES, TrainConfig

    d = TrainConfig()
    p = Parser(prog="rnn-tui", description="A recurrent neural network as a few matrices in a loop: "
               "train one on family names, classify, evaluate.", epilog=EXAMPLES,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"rnn-tui {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    t = sub.add_parser("train", help="train W, U, V on a names data set",
                       description="Train the RNN classifier, printing a line per epoch.")
    t.add_argument("--data", default="names", help="a folder of <Language>.txt files, a .csv/.tsv(.gz) "
                   "with name and language columns (or no header: name, language), the shipped 'cats' or "
                   "'names', or 'pytorch-names' after 'rnn-tui data get pytorch-names' (default: names)")
    t.add_argument("--strategy", choices=STRATEGIES, default=d.strategy,
                   help="sgd: update per name; minibatch: loop a batch, one update; vectorized: whole batch at once")
    t.add_argument("--backend", choices=BACKENDS, default=d.backend,
                   help="numpy (hand-written BPTT), torch (autograd), nnrnn (torch.nn.RNN reference)")
    t.add_argument("--device", default=d.device, help="torch device: auto, cpu, cuda, mps (default: auto)")
    t.add_argument("--hidden", type=int, default=d.nhidden, help=f"size of h (default: {d.nhidden})")
    t.add_argument("--batch", type=int, default=d.batch_size, help=f"names per batch (default: {d.batch_size})")
    t.add_argument("--lr", type=float, default=d.lr, help=f"learning rate (default: {d.lr})")
    t.add_argument("--optimizer", choices=("adam", "sgd"), default=d.optimizer)
    t.add_argument("--epochs", type=int, default=d.epochs, help=f"passes over the data (default: {d.epochs})")
    t.add_argument("--patience", type=int, default=d.patience,
                   help="stop after this many epochs without a better validation accuracy (0: never)")
    t.add_argument("--clip", type=float, default=d.clip, help=f"max gradient norm, 0 for none (default: {d.clip})")
    t.add_argument("--init", choices=("default", "article"), default=d.init,
                   help="default: small uniform; article: W = identity, U and V standard normal")
    t.add_argument("--bias", action="store_true", help="add bias vectors (padded steps are then masked)")
    t.add_argument("--valid", type=float, default=0.2, help="validation share, stratified (default: 0.2)")
    t.add_argument("--seed", type=int, default=d.seed)
    t.add_argument("--out", type=Path, help="write the best model here (.npz)")

    add_app_commands(sub)                      # launch (and where it opens) and serve: rnn_tui/launch.py
    ck = sub.add_parser("check", help="validate every lesson",
                        description="Parse every lesson and run every step; print what is wrong.")
    ck.add_argument("--lessons", type=Path, help="a lessons folder (default: the shipped lessons)")

    c = sub.add_parser("classify", help="guess the language of family names",
                       description="Print the most likely languages of each name.")
    c.add_argument("names", nargs="+", metavar="NAME")
    c.add_argument("--model", type=Path, help="a model file (default: the pretrained names model)")
    c.add_argument("--top", type=int, default=3, help="how many languages to show (default: 3)")
    c.add_argument("--json", action="store_true", help="print JSON instead of text")

    e = sub.add_parser("evaluate", help="score a model on a data set",
                       description="Accuracy, balanced accuracy, per-language accuracy and a confusion matrix.")
    e.add_argument("--data", required=True, help="a folder, a .csv/.tsv(.gz), 'cats', 'names' or 'pytorch-names'")
    e.add_argument("--model", type=Path, help="a model file (default: the pretrained names model)")
    e.add_argument("--strict-languages", action="store_true",
                   help="refuse data whose languages differ from the model's (default: score the languages "
                   "in common and name the others)")

    dp = sub.add_parser("data", help="inspect names data", description="Inspect names data.")
    dsub = dp.add_subparsers(dest="data_command", metavar="ACTION", parser_class=Parser, required=True)
    st = dsub.add_parser("stats", help="counts, duplicates, shared names, vocabulary, baseline",
                         description="Per-language counts, duplicates removed, names shared between "
                         "languages, the vocabulary and the majority-class baseline.")
    st.add_argument("path", help="a folder, a .csv/.tsv(.gz), 'cats', 'names' or 'pytorch-names'")
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "launch"):
        return cmd_launch(args)
    if args.command == "serve":
        return cmd_serve(args)
    from .data import DataError
    from .engine.torch_rnn import DeviceUnavailable
    from .engine.train import TrainingDiverged
    from .lessons import LessonError
    from .model import ModelError

    commands = {"train": cmd_train, "classify": cmd_classify, "evaluate": cmd_evaluate,
                "data": cmd_data, "check": cmd_check}
    try:
        return commands[args.command](args)
    except (UserError, DataError, ModelError, DeviceUnavailable, TrainingDiverged, LessonError) as e:
        print(f"rnn-tui {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"rnn-tui {args.command}: interrupted", file=sys.stderr)
        return 130


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

    RnnTuiApp(lessons, start=start).run()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the lessons: parse, run every step, check every visual and answer."""
    from .lessons import check, load_all

    lessons = load_all(args.lessons)
    problems = check(lessons)
    for p in problems:
        print(p)
    nsteps = sum(len(lesson.steps) for lesson in lessons)
    nquestions = sum(1 for lesson in lessons for s in lesson.steps if s.question)
    if problems:
        print(f"{len(problems)} problem(s) in {len(lessons)} lessons", file=sys.stderr)
        return 1
    print(f"{len(lessons)} lessons, {nsteps} steps, {nquestions} questions: all good")
    return 0


def _load_model(path: Path | None):
    from .model import load
    from .resources import pretrained_model

    return load(path or pretrained_model())


# ----------------------------------------------------------------------------
# train

def cmd_train(args: argparse.Namespace) -> int:
    """Train and report; Ctrl+C stops and still writes the best model so far."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from . import data, report
    from .engine.train import TrainConfig, Trainer

    if not 0 < args.valid < 1:
        raise UserError(f"--valid must be between 0 and 1, not {args.valid}")
    corpus = data.load(args.data)
    ds, vocab = data.to_dataset(corpus, args.valid, args.seed)
    batch = 1 if args.strategy == "sgd" else args.batch
    nbatches = math.ceil(len(ds.train) / max(batch, 1))
    try:
        cfg = TrainConfig(strategy=args.strategy, backend=args.backend, device=args.device,
                          nhidden=args.hidden, batch_size=args.batch, lr=args.lr,
                          optimizer=args.optimizer, epochs=args.epochs, patience=args.patience,
                          seed=args.seed, clip=args.clip or None, init=args.init, bias=args.bias,
                          every=max(1, nbatches // 100))
        trainer = Trainer(ds, cfg)
    except ValueError as e:
        raise UserError(str(e)) from None

    console = Console()
    console.print(f"{len(ds.train):,} training and {len(ds.valid):,} validation names, "
                  f"{len(ds.classes)} languages, {len(vocab)} characters; {cfg.strategy} on {cfg.backend}, "
                  f"hidden {cfg.nhidden}, batch {batch}, {cfg.optimizer} lr {cfg.lr:g}")
    if data.notes(corpus):
        console.print(data.notes(corpus), style="dim", markup=False)
    if ds.valid is ds.train:
        console.print("no language has two names to hold one out: scoring on the training names")
    console.print("(* marks a new best validation accuracy; unseen: names absent from training)", style="dim")
    interrupted = False
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} names"),
               TextColumn("{task.fields[rate]:>8,.0f} names/s"), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"epoch 1/{cfg.epochs}", total=len(ds.train), rate=0.0)
        try:
            for snap in trainer.run():
                done = min(snap.batch * batch, len(ds.train))
                progress.update(task, completed=done, rate=snap.names_per_sec)
                if snap.kind == "epoch":
                    progress.console.print(report.epoch_line(snap.epoch, cfg.epochs, snap.train_loss,
                                                             snap.metrics, snap.is_best), soft_wrap=True)
                    progress.reset(task, total=len(ds.train), description=f"epoch {snap.epoch + 1}/{cfg.epochs}",
                                   rate=0.0)
        except KeyboardInterrupt:
            interrupted = True
    P, metrics = trainer.final()
    if interrupted:
        console.print("[yellow]interrupted[/]: keeping the best parameters so far"
                      + (f" (epoch {trainer.best_epoch})" if trainer.best_epoch else " (no epoch finished)"))
    elif trainer.stop_reason and trainer.stop_reason != "finished":
        console.print(f"stopped early: {trainer.stop_reason}")
    console.print(f"best: epoch {trainer.best_epoch or '-'}, validation accuracy {metrics.accuracy:.3f}, "
                  f"balanced {metrics.balanced_accuracy:.3f}, training time {trainer.elapsed:.1f}s")
    from .engine.train import split_confusion

    cm = split_confusion(P, ds.valid, len(ds.classes))
    if cm.sum():
        console.print(report.per_language_table(ds.classes, cm, "validation accuracy per language"))
    if args.out:
        from .model import save

        meta = {"config": {k: v for k, v in cfg.__dict__.items()},
                "data": {"source": str(args.data), "fingerprint": corpus.fingerprint(),
                         "names": len(corpus.names), "valid_fraction": args.valid},
                "metrics": metrics.as_dict(), "epoch": trainer.best_epoch,
                "rnn_tui_version": __version__}
        path = save(args.out, P, vocab, ds.classes, meta)
        console.print(f"wrote {path}")
    return 130 if interrupted else 0


# ----------------------------------------------------------------------------
# classify, evaluate, data stats

def cmd_classify(args: argparse.Namespace) -> int:
    """Top languages for each name; a name with no usable letters is an error line."""
    if args.top < 1:
        raise UserError(f"--top must be at least 1, not {args.top}")
    model = _load_model(args.model)
    results, failed = [], []
    for name in args.names:
        r = model.read(name)
        if r.trace is None:
            failed.append(name)
            print(f"rnn-tui classify: error: {name!r} has no letters this model knows "
                  f"({model.vocab.chars.strip()}); type a family name such as 'Nakamura'", file=sys.stderr)
            continue
        results.append((name, r, r.top(model.languages, args.top)))
    if args.json:
        print(json.dumps([{"name": name, "read_as": r.used, "dropped": [c for _, c in r.dropped],
                           "truncated": r.truncated,
                           "predictions": [{"language": lang, "probability": round(p, 6)} for lang, p in top]}
                          for name, r, top in results], indent=2))
    else:
        for name, r, top in results:
            note = f" (read as {r.used!r})" if r.used != name.lower() else ""
            guesses = "  ".join(f"{lang} {p:.1%}" for lang, p in top)
            print(f"{name}{note}: {guesses}")
    return 2 if failed else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score a model on every name of a data set in the languages it shares with the model."""
    import numpy as np
    from rich.console import Console
    from rich.text import Text

    from . import data, report
    from .engine.batched import predict_logits
    from .engine.metrics import balanced_accuracy, confusion_matrix

    model = _load_model(args.model)
    corpus, notice = data.in_common(data.load(args.data), model.languages)
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
        raise UserError(f"none of the {skipped:,} names has a character the model knows; nothing to score")
    if notice:
        print(f"rnn-tui evaluate: note: {notice}", file=sys.stderr)
    y = np.array(labels, dtype=np.int64)
    pred = predict_logits(model.params, seqs).argmax(axis=1)
    cm = confusion_matrix(y, pred, len(model.languages))
    console = Console()
    console.print(Text(f"model {model.path} on {corpus.source}: {len(y):,} names"
                       + (f" ({skipped} skipped: no known characters)" if skipped else "")))
    console.print(f"accuracy {np.mean(pred == y):.3f}   balanced accuracy "
                  f"{balanced_accuracy(y, pred, len(model.languages)):.3f}")
    console.print(report.per_language_table(model.languages, cm, "accuracy per language"))
    console.print(report.confusion_table(model.languages, cm))
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    """`rnn-tui data stats` or `rnn-tui data get`."""
    return cmd_data_get(args) if args.data_command == "get" else cmd_data_stats(args)


def cmd_data_stats(args: argparse.Namespace) -> int:
    """Counts and properties of a names data set, and how it was read."""
    from rich.console import Console
    from rich.text import Text

    from . import data, report

    corpus = data.load(args.path)
    s = data.stats(corpus)
    console = Console()
    console.print(report.stats_table(s))
    console.print(Text(f"read as {s['layout']}"))
    shared = corpus.shared()
    examples = ", ".join(f"{n} ({'/'.join(langs)})" for n, langs in list(shared.items())[:5])
    console.print(Text(f"duplicates removed: {sum(s['duplicates_removed'].values())}   junk lines set aside: "
                       f"{s['junk']}   names folded to ASCII: {s['folded_to_ascii']}   "
                       f"names cut to {data.MAX_NAME} characters: {s['cut']}"))
    console.print(Text(f"names listed under several languages: {s['shared_names']}"
                       + (f", e.g. {examples}" if examples else "")))
    console.print(Text(f"vocabulary ({len(s['vocabulary'])} characters): {s['vocabulary']!r}"))
    console.print(Text(f"majority-class baseline: {s['majority_baseline']:.3f} "
                       f"(always guessing {s['majority_class']})"))
    for j in corpus.junk[:5]:
        console.print(Text(f"  set aside {j.source}:{j.line} {j.text!r}: {j.reason}", style="dim"))
    return 0


def cmd_data_get(args: argparse.Namespace) -> int:
    """Download a data set with a progress bar, check it, and install it in one rename."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
    from rich.text import Text

    from . import download

    console = Console()
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"downloading {args.name}", total=None)
        result = download.fetch(args.name, lambda done, total: bar.update(task, completed=done, total=total),
                                force=args.force)
    if result.already:
        console.print(Text(f"{args.name} is already in {result.path} (--force downloads it again)"))
    else:
        console.print(Text(f"saved {result.names:,} names in {result.languages} languages to {result.path}"))
    console.print(Text(f"use it as --data {args.name}, e.g. rnn-tui train --data {args.name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
