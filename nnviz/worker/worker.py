"""The thread that trains: the only owner of the Trainer (and of the data it trains on) once started.

Commands come in through a queue, numbered, and are applied between iterations; a new run's data
is loaded here too, never in the window's thread. Snapshots go out through a single
latest-wins slot: running free, the worker overwrites it and never waits for anyone to read it,
so a slow window can only skip frames, never slow training down or pile them up. The one
exception is slow motion (below): there the next step waits until the last one was taken.

While training, a snapshot is made only when one is wanted: after someone took the last one (a
frame was drawn: the next frame gets one made after the next iteration) or found the slot empty.
One that nobody draws would cost training for nothing; a window nobody looks at takes none, and
then none is made. In slow motion (a speed limit of at most `every_step_below` iterations a
second) every step is published, for every step to be seen.

Time travel (`Rewind`): the worker shows the run as it was at an earlier iteration, rebuilt here
from the trainer's keyframes (`Trainer.as_it_was`), while the run itself stays whole; continuing
from there (Start, or a Step with another alpha than the run took) drops what came after.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from pathlib import Path

import numpy as np

from nnviz.data import DataError, Dataset, load_dataset
from nnviz.engine.evaluation import Evaluation
from nnviz.engine.mistakes import next_mistake
from nnviz.engine.trainer import DTYPE, Examples, Trainer
from nnviz.session import Setup, load_splits, make_trainer
from nnviz.worker.commands import (
    Choose,
    Command,
    Evaluate,
    Pause,
    Replace,
    Rewind,
    SetAlpha,
    SetSpeedLimit,
    Start,
    Step,
    Toggle,
)
from nnviz.worker.priority import lower_training_threads
from nnviz.worker.snapshot import Example, Refusal, Snapshot

log = logging.getLogger(__name__)
RATE_WINDOW = 0.5  # seconds over which iterations per second are counted
UNSEEN_POLL_SECONDS = 0.005  # slow motion: how often to look whether the last step was taken
TRAIN_EVALUATION_SHARE = 0.1  # of the training thread's time, at most, for evaluating the training split


class _Stop:
    pass


class TrainingWorker:
    def __init__(
        self, trainer: Trainer | None = None, *, every_step_below: float = 30.0, nice: int = 0
    ) -> None:
        """Without a trainer, the first Replace sent builds one (nothing is published before).

        `nice`: how many nice levels below the main thread training runs (Linux), BLAS's threads
        included, so that a window's GUI thread wins a contended core at once (priority.py)."""
        self._trainer = trainer
        self._nice = nice
        self._commands: queue.SimpleQueue[tuple[int, Command | _Stop]] = queue.SimpleQueue()
        self._numbers = itertools.count(1)
        self.sent = 0  # the number of the last command sent
        self._acknowledged = 0
        self._refusal: Refusal | None = None
        self._setup: Setup | None = None
        self._data: tuple[str, Dataset] | None = None  # the current run's data, by its spec
        self._choice = Choose()  # the example the views follow
        self._watched = Evaluate()  # the split whose every example the views look at
        self._train_evaluation: Evaluation | None = None  # while the training split is watched
        self._train_evaluated_at = self._train_evaluation_cost = 0.0
        self._slot_lock = threading.Lock()
        self._latest: Snapshot | None = None
        self._wanted = True  # someone took a snapshot, or found the slot empty, since the last was made
        self._slow_motion_interval = 1.0 / every_step_below
        self._running = False
        self._until: int | None = None
        self._speed_limit: float | None = None
        self._next_step_at = 0.0
        self._rate_marks: tuple[float, int] = (time.perf_counter(), trainer.iteration if trainer else 0)
        self._rate = 0.0
        self._error: str | None = None
        self._run_id = 0  # bumped by every Replace: panels start afresh on a new run
        self._past: Trainer | None = None  # the run as it was at an earlier iteration, shown instead
        self._past_train_evaluation: Evaluation | None = None
        self._target: int | None = None  # the iteration Rewind commands aim at, not yet rebuilt
        self._thread = threading.Thread(target=self._run, name="nnviz-training", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def send(self, command: Command) -> int:
        """Thread-safe; returns at once, with the command's number. It is applied before the next
        iteration; the first snapshot whose `acknowledged` is at least that number shows its effect."""
        number = self.sent = next(self._numbers)
        self._commands.put((number, command))
        return number

    def take_snapshot(self) -> Snapshot | None:
        """The newest snapshot not yet taken, or None: older ones were simply overwritten.

        Either way this asks for the next one: while training, it is made after the iteration
        under way, and waits in the slot for the next frame.
        """
        with self._slot_lock:
            snapshot, self._latest = self._latest, None
            self._wanted = True
        return snapshot

    def peek(self) -> Snapshot | None:
        """The newest snapshot, left in place: to decide whether to take it now."""
        with self._slot_lock:
            return self._latest

    def stop(self, timeout: float = 1.0) -> bool:
        """Ask the thread to finish after the current iteration; True if it did within `timeout`."""
        if not self._thread.is_alive():
            return True
        self._commands.put((0, _Stop()))
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def is_alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def iterations_done(self) -> int:
        """Iterations the trainer has applied, as of now rather than of the last snapshot (for exact
        rates). A plain read of an int the training thread updates between iterations."""
        return self._trainer.iteration if self._trainer else 0

    # --- everything below runs in the training thread ---

    def _run(self) -> None:
        lower_training_threads(self._nice)
        self._publish()
        while True:
            commands = self._waiting_commands()
            if any(isinstance(command, _Stop) for _, command in commands):
                return
            if commands:
                self._apply_all(commands)
            if not self._must_wait():
                self._guarded(self._train_one)

    def _waiting_commands(self) -> list[tuple[int, Command | _Stop]]:
        """Every command sent so far (waiting for the first one while there is nothing to do)."""
        try:
            first = (
                self._commands.get(timeout=self._wait_time())
                if self._must_wait()
                else self._commands.get_nowait()
            )
        except queue.Empty:
            return []
        commands = [first]
        while True:
            try:
                commands.append(self._commands.get_nowait())
            except queue.Empty:
                return commands

    def _apply_all(self, commands: list[tuple[int, Command]]) -> None:
        """In order, then one snapshot for all of them. A Replace followed by another is skipped:
        the newer one supersedes it (400 quick resets build one run, not 400)."""
        last_replace = max((i for i, (_, c) in enumerate(commands) if isinstance(c, Replace)), default=-1)
        for i, (number, command) in enumerate(commands):
            if not (isinstance(command, Replace) and i < last_replace):
                self._guarded(self._apply, number, command)
            self._acknowledged = number
        self._guarded(self._settle)  # rewinds: one rebuild for any number of them
        self._guarded(self._publish)

    def _must_wait(self) -> bool:
        return not self._running or time.perf_counter() < self._next_step_at or self._step_unseen()

    def _wait_time(self) -> float | None:
        """Paused: sleep until a command comes. Speed-limited: until the next step is due, and in
        slow motion until the last step's snapshot was taken (every step is to be seen, even when
        the window falls behind for a moment)."""
        if not self._running:
            return None
        if self._step_unseen():
            return UNSEEN_POLL_SECONDS
        return max(0.0, self._next_step_at - time.perf_counter())

    def _step_unseen(self) -> bool:
        with self._slot_lock:
            return self._latest is not None and self._latest.every_step

    def _apply(self, number: int, command: Command) -> None:
        trainer = self._trainer
        if isinstance(command, Replace):
            self._replace(number, command)
        elif trainer is None:
            return  # nothing to act on until the first run is built
        elif isinstance(command, Rewind):
            self._aim(command)
            return
        self._settle()
        if isinstance(command, Toggle):
            self._apply(number, Pause() if self._running else Start())
        elif isinstance(command, Start):
            if self._past is not None:
                self._branch(self._past.alpha)
            self._running, self._until, self._error = True, command.until, None
            self._rate_marks = (time.perf_counter(), trainer.iteration)
            self._next_step_at = time.perf_counter()  # a limit counts from now, not from before a pause
        elif isinstance(command, Pause):
            self._running = False
        elif isinstance(command, Step):
            if self._running or not self._still_as_shown(command):
                return  # nothing to do; the snapshot after these commands tells the window so
            if self._past is not None:
                if self._past.alpha == trainer.alpha_at(self._past.iteration + 1):
                    self._look_at(self._past.iteration + 1)  # the step the run took: its next iteration
                    return
                self._branch(self._past.alpha)
            trainer.step()  # an update that diverges is undone; the snapshot says so
            self._error = None  # the run works again
        elif isinstance(command, SetAlpha):
            self._shown.set_alpha(command.alpha)  # a past one: the alpha to continue from there with
        elif isinstance(command, SetSpeedLimit):
            self._speed_limit = command.per_second
            self._next_step_at = time.perf_counter()
        elif isinstance(command, Choose):
            self._choice = self._resolve(command)
        elif isinstance(command, Evaluate):
            self._watched, self._train_evaluation = command, None
        self._evaluate_train_if_due()
        self._stop_if_done()

    def _still_as_shown(self, step: Step) -> bool:
        """A walked-through step is applied only as it was shown: the very Iteration, at that alpha
        (the alpha in force is never changed behind the user's back)."""
        shown = self._shown  # as shown: an earlier iteration, when the run is looked at there
        if step.expect is not None and shown.prepare() is not step.expect:
            return False
        return step.alpha is None or step.alpha == shown.alpha

    def _replace(self, number: int, command: Replace) -> None:
        """Build the new run; data that cannot be used is refused and the current run goes on
        (at start-up, with no current run, the fallback is built instead)."""
        try:
            self._build(command.setup, command.data, command.reload)
        except (DataError, MemoryError) as err:
            message = str(err) if isinstance(err, DataError) else f"{command.setup.data}: out of memory"
            self._refusal = Refusal(number, message)
            if self._trainer is None and command.fallback is not None:
                self._build(command.fallback, None, False)

    def _build(self, setup: Setup, data: Dataset | None, reload: bool) -> None:
        if data is None and not reload and self._data is not None and self._data[0] == setup.data:
            data = self._data[1]  # a reset: the data in use, not read again
        if data is None:
            if self._trainer is not None:  # the window shows the current run meanwhile, and why it waits
                self._publish(loading=Path(setup.data).name)
            data = load_dataset(setup.data)
        trainer = make_trainer(load_splits(setup, data), setup.config)
        self._trainer, self._setup, self._data = trainer, setup, (setup.data, data)
        self._train_evaluation = None
        self._past, self._target = None, None
        self._run_id += 1
        self._running, self._until, self._error = False, None, None
        self._rate_marks, self._rate = (time.perf_counter(), 0), 0.0

    @property
    def _shown(self) -> Trainer:
        """The run as it is shown: as it was at an earlier iteration, or as it stands."""
        return self._past if self._past is not None else self._trainer

    def _aim(self, command: Rewind) -> None:
        """Where a Rewind goes (within the iterations that can be rebuilt); it pauses the run. The
        rebuild waits until the commands at hand are handled (`_settle`)."""
        trainer = self._trainer
        shown = self._target if self._target is not None else self._shown.iteration
        to = command.to if command.to is not None else shown + command.by
        self._target = min(max(to, trainer.keyframes.first or 0), trainer.iteration)
        self._running, self._until = False, None

    def _settle(self) -> None:
        target, self._target = self._target, None
        if target is not None and target != self._shown.iteration:
            self._look_at(target)

    def _look_at(self, iteration: int) -> None:
        trainer = self._trainer
        self._past = None if iteration == trainer.iteration else trainer.as_it_was(iteration, near=self._past)
        self._past_train_evaluation = None

    def _branch(self, alpha: float) -> None:
        """Continue from the iteration shown: the run is cut back to it (what came after is dropped)."""
        past, self._past = self._past, None
        self._trainer.rewind(past.iteration, alpha, params=past.params)
        self._train_evaluation = None

    def _train_one(self) -> None:
        self._trainer.step()
        self._evaluate_train_if_due()
        if self._trainer.divergence:  # undone by the trainer: stop here and let the window explain
            self._running = False
        now = time.perf_counter()
        slow_motion = False
        if self._speed_limit:
            interval = 1.0 / self._speed_limit
            self._next_step_at = max(self._next_step_at + interval, now)  # no burst to catch up
            slow_motion = interval >= self._slow_motion_interval  # each step is worth a frame of its own
        self._stop_if_done()
        self._measure_rate(now)
        if not self._running or slow_motion or self._wanted:
            self._publish(every_step=slow_motion and self._running)

    def _stop_if_done(self) -> None:
        if self._until is not None and self._trainer.iteration >= self._until:
            self._running, self._until = False, None

    def _measure_rate(self, now: float) -> None:
        since, iteration = self._rate_marks
        if now - since >= RATE_WINDOW:
            self._rate = (self._trainer.iteration - iteration) / (now - since)
            self._rate_marks = (now, self._trainer.iteration)

    def _guarded(self, action, *args) -> None:
        """An exception stops training and is shown, instead of killing the thread."""
        try:
            action(*args)
        except Exception as err:
            log.exception("training stopped by an error")
            self._running, self._error = False, f"{type(err).__name__}: {err}"
            try:
                self._publish()
            except Exception:
                log.exception("could not publish the state after the error")

    def _publish(self, loading: str | None = None, every_step: bool = False) -> None:
        if self._trainer is None:
            return
        data = self._data[1] if self._data else None
        snapshot = Snapshot.of(
            self._trainer,
            self._past,
            run=self._run_id,
            running=self._running,
            iterations_per_second=self._rate if self._running else 0.0,
            error=self._error,
            acknowledged=self._acknowledged,
            refusal=self._refusal,
            loading=loading,
            setup=self._setup,
            data_name=data.name if data else "",
            data_examples=len(data) if data else 0,
            example=self._example(),
            **self._evaluation(),
            every_step=every_step,
        )
        with self._slot_lock:
            self._latest, self._wanted = snapshot, False

    def _resolve(self, choice: Choose) -> Choose:
        """A request for the next mistake becomes the example found (or the one chosen before)."""
        if not choice.next_mistake:
            return choice
        examples, _ = self._split(choice)
        found = next_mistake(self._shown.params, examples.X, examples.labels, choice.index)
        return self._choice if found is None else Choose(choice.split, found)

    def _split(self, choice: Choose) -> tuple[Examples, str]:
        """The examples `choice` picks from, and their name (train when there is no dev split)."""
        trainer = self._trainer
        return (trainer.dev, "dev") if choice.split == "dev" and trainer.dev else (trainer.train, "train")

    def _watching_train(self) -> bool:
        """The training split is looked at when asked for, or when there is no dev split."""
        return self._watched.split == "train" or self._trainer.dev is None

    def _evaluate_train_if_due(self) -> None:
        """While the training split is watched: evaluate it when dev is (every K iterations), but
        taking at most TRAIN_EVALUATION_SHARE of the training thread's time (a forward pass over
        60,000 digits every 10 mini-batches would cost more than the training); and at once when
        there is none yet, or the one held is of a state since undone."""
        trainer, held = self._trainer, self._train_evaluation
        if trainer is None or self._past is not None or not self._watching_train():
            return
        now = time.perf_counter()
        due = (
            trainer.iteration % trainer.config.eval_every == 0
            and held is not None
            and held.iteration != trainer.iteration
            and now - self._train_evaluated_at >= self._train_evaluation_cost / TRAIN_EVALUATION_SHARE
        )
        if held is None or held.iteration > trainer.iteration or due:
            self._train_evaluation = trainer.evaluation(trainer.train)
            self._train_evaluated_at = time.perf_counter()
            self._train_evaluation_cost = self._train_evaluated_at - now

    def _evaluation(self) -> dict[str, object]:
        """The evaluation the views show, its top guesses computed here, never in the window's thread."""
        past = self._past
        if self._watching_train() and past is not None:
            if self._past_train_evaluation is None:
                self._past_train_evaluation = past.evaluation(past.train)
            split, evaluation = "train", self._past_train_evaluation
        elif self._watching_train():
            split, evaluation = "train", self._train_evaluation
        else:
            split, evaluation = "dev", self._shown.dev_evaluation
        if evaluation is not None:
            evaluation.top  # noqa: B018 (computed once, cached)
        return {"evaluation": evaluation, "evaluated_split": split}

    def _example(self) -> Example:
        """The chosen example at the current parameters (a position beyond a new, smaller split: its last)."""
        choice, trainer = self._choice, self._shown
        if choice.pixels is not None:
            x = np.asarray(choice.pixels, dtype=DTYPE).reshape(-1, 1) / DTYPE(255)
            return Example.of(trainer.params, x, choice.label, "drawn", None)
        examples, source = self._split(choice)
        index = min(choice.index, examples.m - 1)
        x = examples.X[:, index : index + 1]
        return Example.of(trainer.params, x, int(examples.labels[index]), source, index)
