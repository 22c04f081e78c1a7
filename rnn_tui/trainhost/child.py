"""The training process: the engine's `Trainer.run()` driven by commands, its frames sent back.

Three threads, so that training never waits on the app:
- the main thread pulls snapshots from the engine's generator (the only
  training code there is) and honours pause, step, speed and slow motion;
- a receiver thread reads commands from the parent into `Controls`;
- a sender thread writes to the parent: all events in order, then only the
  newest frame (`Outbox`, a one-slot mailbox).  When the app is slow, the
  sender blocks on the pipe and older frames are overwritten, never queued.
If the parent goes away (its end of the command pipe closes), the child exits.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections import deque
from collections.abc import Generator, Mapping, Sequence
from typing import Any

import numpy as np

from ..engine import cells
from ..engine.metrics import confusion_matrix
from ..engine.train import Snapshot, Trainer, TrainingDiverged, split_confusion
from . import messages as m
from .preset import CHAR_SECONDS, SPEEDS, check, load_data


class Outbox:
    """Events in order plus one overwritable frame, sent by a thread of their own."""

    def __init__(self, conn, controls: Controls) -> None:
        self.conn = conn
        self.controls = controls
        self._cond = threading.Condition()
        self._events: deque[Any] = deque()
        self._frame: Any = None
        self._closed = False
        threading.Thread(target=self._send_loop, name="outbox", daemon=True).start()

    def event(self, message: Any) -> None:
        """Queue a message that must arrive (a frame sent this way supersedes the waiting one)."""
        with self._cond:
            if isinstance(message, m.FRAMES):
                self._frame = None
            self._events.append(message)
            self._cond.notify()

    def frame(self, message: Any) -> None:
        """Offer the newest frame; an unsent older one is dropped."""
        with self._cond:
            self._frame = message
            self._cond.notify()

    def close(self) -> None:
        """Send what is queued, then stop."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _send_loop(self) -> None:
        last = 0.0
        while True:
            with self._cond:
                while not self._events and self._frame is None and not self._closed:
                    self._cond.wait()
                if self._events:
                    item = self._events.popleft()
                elif self._frame is not None:
                    wait = last + 1.0 / self.controls.fps - time.monotonic()
                    if wait > 0:                   # no faster than the app draws
                        self._cond.wait(wait)
                        continue
                    item, self._frame = self._frame, None
                    last = time.monotonic()
                else:
                    return
            try:
                self.conn.send(item)
            except (OSError, EOFError, ValueError):
                os._exit(0)                         # the parent is gone


class Controls:
    """The commands received so far; set by the receiver thread, read by the training loop."""

    def __init__(self, speed: str) -> None:
        self.cond = threading.Condition()
        self.paused = True                          # a run starts paused, showing its initial weights
        self.steps = 0                              # single steps asked for and not yet taken
        self.speed = SPEEDS[[s[0] for s in SPEEDS].index(speed)]
        self.fps = 20.0
        self.load: dict[str, Any] | None = None
        self.load_id = 0                            # the number the parent gave the newest load
        self.saves: list[str] = []
        self.quit = False
        self.trainer: Trainer | None = None         # the run to hurry to its next snapshot on a command
        self.seen = 0                               # commands applied so far (see messages.Paused)

    def apply(self, command: tuple) -> None:
        """Record one command from the parent and wake the training loop."""
        name, *args = command
        with self.cond:
            self.seen += 1
            if name == "resume":
                self.paused = False
            elif name == "pause":
                self.paused = True
            elif name == "step":
                self.paused, self.steps = True, self.steps + 1
            elif name == "speed":
                self.speed = SPEEDS[[s[0] for s in SPEEDS].index(args[0])]
            elif name == "fps":
                self.fps = max(1.0, float(args[0]))
            elif name == "load":
                self.load = dict(args[0])
                self.load_id = int(args[1]) if len(args) > 1 else self.load_id + 1
            elif name == "save":
                self.saves.append(str(args[0]))
            elif name == "quit":
                self.quit = True
            if name in ("pause", "step", "load", "save", "quit") and self.trainer is not None:
                set_cadence(self.trainer, every=1, seconds=None)    # stop after the batch under way
            self.cond.notify_all()

    def load_or_quit(self) -> bool:
        """A command that ends the run: a new preset, or quit."""
        return self.quit or self.load is not None

    def interrupted(self) -> bool:
        """A command that ends waiting or slow motion: pause, a step, a new preset, quit."""
        return self.quit or self.load is not None or self.paused or bool(self.saves)

    def sleep(self, seconds: float) -> bool:
        """Wait up to `seconds`; True when a command cut it short."""
        end = time.monotonic() + seconds
        with self.cond:
            while not self.interrupted():
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
        return True


def _receive(conn, controls: Controls) -> None:
    """Read commands until the parent closes its end (or dies), then ask the loop to quit."""
    while True:
        try:
            command = conn.recv()
        except (EOFError, OSError):
            controls.apply(("quit",))
            threading.Timer(2.0, os._exit, args=(0,)).start()   # a batch that never ends: go anyway
            return
        controls.apply(command)


def _frame(snap: Snapshot, names: tuple[str, ...], paused: bool) -> m.Frame:
    return m.Frame(kind=snap.kind, epoch=snap.epoch, batch=snap.batch, nbatches=snap.nbatches, step=snap.step,
                   loss=snap.loss, train_loss=snap.train_loss, names_per_sec=snap.names_per_sec,
                   elapsed=snap.elapsed, params=dict(snap.params), grads=dict(snap.grads), H=snap.H,
                   names=names, paused=paused)


class Session:
    """One training run at a time in this process; a "load" command replaces it."""

    def __init__(self, controls: Controls, outbox: Outbox) -> None:
        self.controls = controls
        self.outbox = outbox
        self.batch_names: tuple[str, ...] = ()
        self.trainer: Trainer | None = None
        self.run_id = 0                                # the load this run answers (messages.Ready.run)

    def serve(self, preset: Mapping[str, Any]) -> None:
        """Run presets until told to quit."""
        while not self.controls.quit:
            self.run(preset)
            with self.controls.cond:                   # the run is over: wait for a new preset or quit
                while self.controls.load is None and not self.controls.quit:
                    self._save_pending()
                    self.controls.cond.wait(0.2)
                preset, self.controls.load = self.controls.load or {}, None
                self.run_id = self.controls.load_id
                self.controls.paused, self.controls.steps = True, 0

    def _build(self, preset: Mapping[str, Any]) -> Trainer | None:
        t0 = time.perf_counter()
        self.trainer = self.controls.trainer = None
        try:
            cfg = check(preset)
            dataset, vocab, corpus = load_data(preset)
            trainer = Trainer(dataset, cfg)
        except Exception as e:                         # a bad path, a missing torch device…
            self.outbox.event(m.Failed(str(e) if isinstance(e, (ValueError, OSError)) else
                                       f"{type(e).__name__}: {e}"))
            return None
        self.trainer, self.vocab, self.corpus = trainer, vocab, corpus
        self.controls.trainer = trainer
        self._watch_batches(trainer)
        self._watch_validation(trainer)
        size = cfg.effective_batch
        n = len(dataset.train)
        P = trainer.params()
        start = m.Frame(kind="start", epoch=0, batch=0, nbatches=-(-n // size), step=0, loss=float("nan"),
                        train_loss=float("nan"), names_per_sec=0.0, elapsed=0.0, params=P,
                        grads={k: np.zeros_like(v) for k, v in P.items()},
                        H=np.zeros((0, cfg.nhidden)), paused=True)
        self.outbox.event(m.Ready(classes=dataset.classes, chars=vocab.chars, ntrain=n, nvalid=len(dataset.valid),
                                  nbatches=-(-n // size), batch_size=size, epochs=cfg.epochs, source=corpus.source,
                                  config=dataclasses.asdict(cfg), seconds=time.perf_counter() - t0, frame=start,
                                  run=self.run_id))
        return trainer

    def _watch_batches(self, trainer: Trainer) -> None:
        """Note the names of each batch as the backend trains it (the panel shows the current word)."""
        by_id = {id(s): name for s, name in zip(trainer.data.train.seqs, trainer.data.train.names)}
        step = trainer.backend.step

        def noted(strategy: str, seqs: Sequence[np.ndarray], y: np.ndarray,
                  weights: np.ndarray | None = None) -> float:
            self.batch_names = tuple(by_id.get(id(s), "") for s in seqs)
            return step(strategy, seqs, y, weights)

        trainer.backend.step = noted  # type: ignore[method-assign]

    def run(self, preset: Mapping[str, Any]) -> None:
        """Build a trainer and pull its snapshots, as fast or as slowly as the controls say."""
        trainer = self._build(preset)
        if trainer is None:
            return
        c = self.controls
        gen: Generator[Snapshot, None, None] = trainer.run()   # type: ignore[assignment]
        announced = False
        try:
            while True:
                with c.cond:
                    while c.paused and not c.steps and not c.load_or_quit():
                        if not announced:
                            self.outbox.event(m.Paused(trainer.step, c.seen))
                            announced = True
                        self._save_pending()
                        c.cond.wait(0.2)
                    if c.load_or_quit():
                        return
                    stepping = c.paused
                    if stepping:
                        c.steps -= 1
                    name, rate, slow = c.speed
                    announced = False
                throttled = stepping or rate is not None or slow
                set_cadence(trainer, every=1 if throttled else 0, seconds=None if throttled else 1.0 / c.fps)
                t0 = time.monotonic()
                try:
                    snap = next(gen)
                except StopIteration:
                    return
                except TrainingDiverged as e:
                    self.outbox.event(m.Failed(str(e)))
                    return
                if snap.kind == "epoch":
                    self._epoch_end(trainer, snap)
                frame = _frame(snap, self.batch_names, paused=c.paused)
                if stepping or slow or snap.stop_reason is not None:
                    self.outbox.event(frame)      # every single step, slow-motion batch and the last is drawn
                else:
                    self.outbox.frame(frame)
                self._save_pending()
                if snap.stop_reason is not None:
                    self.outbox.event(m.Ended(snap.stop_reason, len(trainer.history), trainer.best_metrics,
                                              trainer.best_epoch))
                    return
                if slow and not stepping:
                    self._read_aloud(snap, trainer)
                elif rate is not None and not stepping:
                    c.sleep(max(0.0, 1.0 / rate - (time.monotonic() - t0)))
        except Exception as e:                             # report, never die silently
            self.outbox.event(m.Failed(f"{type(e).__name__}: {e}"))
        finally:
            gen.close()

    def _watch_validation(self, trainer: Trainer) -> None:
        """Keep the logits of the trainer's last pass over the validation split.

        The trainer computes them for its metrics just before the epoch's snapshot, with
        the same weights; the confusion matrix is read from them instead of a second pass
        over every validation name (about a tenth of an epoch on the names).
        """
        evaluate, valid = trainer.backend.evaluate, trainer.data.valid.seqs
        self.valid_logits: np.ndarray | None = None

        def kept(seqs: Sequence[np.ndarray], *args: Any, **kwargs: Any) -> np.ndarray:
            logits = evaluate(seqs, *args, **kwargs)
            if seqs is valid:
                self.valid_logits = logits
            return logits

        trainer.backend.evaluate = kept  # type: ignore[method-assign]

    def _epoch_end(self, trainer: Trainer, snap: Snapshot) -> None:
        data = trainer.data
        logits, self.valid_logits = self.valid_logits, None
        if logits is not None and len(logits) == len(data.valid):
            cm = confusion_matrix(data.valid.y, np.asarray(logits).argmax(axis=1), len(data.classes))
        else:
            cm = split_confusion(dict(snap.params), data.valid, len(data.classes), trainer.config.cell)
        self.outbox.event(m.EpochEnd(snap.epoch, snap.train_losses[-1], snap.history[-1], snap.is_best,
                                     trainer.best_epoch, cm))

    def _read_aloud(self, snap: Snapshot, trainer: Trainer) -> None:
        """Slow motion: forward the batch's first word one character at a time with the new weights."""
        P = dict(snap.params)
        if not self.batch_names or not {"W", "U", "V"} <= set(P):
            return
        word = self.batch_names[0]
        codes = self.vocab.encode(word)
        trace = cells.get(trainer.config.cell).read({k: np.asarray(v, dtype=np.float64) for k, v in P.items()},
                                                    codes, True)
        i = trainer.data.train.names.index(word) if word in trainer.data.train.names else -1
        label = trainer.data.classes[int(trainer.data.train.y[i])] if i >= 0 else ""
        for t in range(1, len(codes) + 1):
            self.outbox.frame(m.Reading(snap.step, word, t, trace.hs[:t + 1].copy(), trace.probs[t - 1].copy(),
                                        label))
            if self.controls.sleep(CHAR_SECONDS):
                return

    def _save_pending(self) -> None:
        """Write the best model so far for each save asked for (called between batches)."""
        while self.controls.saves:
            path = self.controls.saves.pop(0)
            from ..model import metadata, save

            if self.trainer is None:
                self.outbox.event(m.Saved(path, error="nothing has been trained"))
                continue

            try:
                P, metrics = self.trainer.final()
                save(path, P, self.vocab, self.trainer.data.classes,
                     metadata(self.trainer.config, source=self.corpus.source,
                              fingerprint=self.corpus.fingerprint(), metrics=metrics.as_dict(),
                              epoch=self.trainer.best_epoch))
            except (OSError, ValueError) as e:
                self.outbox.event(m.Saved(path, error=getattr(e, "strerror", None) or str(e)))
            else:
                self.outbox.event(m.Saved(path, accuracy=metrics.accuracy))


def set_cadence(trainer: Trainer, every: int, seconds: float | None) -> None:
    """Ask the trainer for a snapshot every `every` batches or every `seconds` of training (any thread)."""
    trainer.control.set(every=every, every_seconds=seconds)


def _quiet() -> None:
    """Keep this process off the terminal the app draws on: problems travel as Failed messages."""
    import sys
    import warnings

    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives as long as the process)


def main(preset: Mapping[str, Any], frames, commands) -> None:
    """The training process's entry point (a spawn target): serve presets until told to quit."""
    _quiet()
    controls = Controls(str(preset.get("speed", "full")))
    outbox = Outbox(frames, controls)
    threading.Thread(target=_receive, args=(commands, controls), name="commands", daemon=True).start()
    try:
        Session(controls, outbox).serve(preset)
    finally:
        outbox.close()
