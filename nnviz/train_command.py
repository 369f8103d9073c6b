"""`nnviz train`: the engine without a window, for reproducible runs, scripts and benchmarks."""

from __future__ import annotations

import json
import math
import signal
import sys
import time
from argparse import Namespace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from nnviz.data import DataError, input_files, load_dataset
from nnviz.engine.checkpoint import load_checkpoint, save_checkpoint
from nnviz.engine.trainer import Examples, Trainer
from nnviz.exit_codes import EXIT_DIVERGED, EXIT_OK, exit_interrupted
from nnviz.files import check_writable, same_file
from nnviz.run_data import write_metrics_csv
from nnviz.session import Setup, load_splits, make_trainer, setup_from_options, setup_of_checkpoint
from nnviz.stop_signals import StopRequest, stop_signals_request

STOP_NAMES = {signal.SIGINT: "Ctrl-C"}


def run_train(options: Namespace) -> int:
    outputs = _writable_outputs(options)
    if options.at is not None and not options.resume:
        raise DataError("--at N needs --resume CKPT: the run to go back into")
    checkpoint = load_checkpoint(Path(options.resume)) if options.resume else None
    if checkpoint:
        setup = setup_from_options(options, setup_of_checkpoint(checkpoint), fixed=True)
    else:
        setup = setup_from_options(options)
    _refuse_overwriting_inputs(outputs, _inputs(options, setup))
    splits = load_splits(setup)
    test = load_dataset(options.test, part="test") if options.test else None
    state = {}
    if checkpoint:
        state = dict(
            params=checkpoint.params,
            iteration=checkpoint.iteration,
            history=checkpoint.history,
            keyframes=checkpoint.keyframes,
        )
    trainer = make_trainer(splits, setup.config, **state)
    if options.at is not None:
        _go_back(trainer, options)
    start = trainer.iteration

    started = time.perf_counter()
    with stop_signals_request() as stop:
        _train(trainer, options.iterations, options.quiet, stop)
    seconds = time.perf_counter() - started
    done = trainer.iteration - start

    _save(outputs, trainer, setup)
    summary = _summary(trainer, setup, test, seconds, done)
    if not options.quiet:
        print(_closing_line(summary))
    if options.json:
        print(json.dumps(summary, allow_nan=False))
    return _ending(trainer, stop, outputs)


def _go_back(trainer: Trainer, options: Namespace) -> None:
    """--at N: the saved run as it was at its iteration N, rebuilt from its keyframes, continued
    from there with the settings given (--alpha, else the alpha in force at N)."""
    at, last, resume = options.at, trainer.iteration, options.resume
    first = trainer.keyframes.first
    if at > last:
        raise DataError(f"{resume}: --at {at} is past the run's last iteration ({last})")
    if first is None or at < first:
        raise DataError(
            f"{resume}: --at {at}: this run can be rebuilt from iteration {first} on only (saved "
            "by an older nnviz, without keyframes before it)"
        )
    trainer.rewind(at, getattr(options, "alpha", None))


def _writable_outputs(options: Namespace) -> dict[str, Path]:
    """The outputs asked for, by option, once each can be written (said now, not after the run)."""
    given = (("--save", options.save), ("--metrics-csv", options.metrics_csv))
    outputs = {flag: Path(path) for flag, path in given if path}
    for path in outputs.values():
        if problem := check_writable(path):
            raise DataError(f"{path}: cannot write here: {problem}")
    return outputs


def _save(outputs: dict[str, Path], trainer: Trainer, setup: Setup) -> None:
    writers = {
        "--save": lambda path: save_checkpoint(path, trainer, setup.data_record()),
        "--metrics-csv": lambda path: write_metrics_csv(path, trainer.history),
    }
    for flag, path in outputs.items():
        try:
            writers[flag](path)
        except OSError as err:
            raise DataError(f"{path}: cannot write it ({err.strerror})") from err


def _ending(trainer: Trainer, stop: StopRequest, outputs: dict[str, Path]) -> int:
    """Say why the run ended early, if it did, and give the exit code."""
    if stop:
        name = STOP_NAMES.get(stop.signum, signal.Signals(stop.signum).name)
        saved = " and ".join(map(str, outputs.values()))
        print(
            f"nnviz: interrupted after iteration {trainer.iteration} ({name})"
            + (f"; saved {saved}" if saved else ""),
            file=sys.stderr,
        )
        return exit_interrupted(stop.signum)
    if trainer.divergence:
        print(f"nnviz: {trainer.divergence.message()}", file=sys.stderr)
        return EXIT_DIVERGED
    return EXIT_OK


def _inputs(options: Namespace, setup: Setup) -> dict[str, tuple[Path, ...]]:
    """Every file the run reads, by the option that names it."""
    inputs = {"--data": input_files(setup.data)}
    if options.test:
        inputs["--test"] = input_files(options.test, "test")
    if options.resume:
        inputs["--resume"] = (Path(options.resume),)
    return inputs


def _refuse_overwriting_inputs(outputs: dict[str, Path], inputs: dict[str, tuple[Path, ...]]) -> None:
    """No output may be an input (data, test data, a checkpoint) or another output. Continuing a
    run in place (--resume CKPT --save CKPT) is the one exception: the checkpoint is read whole
    first, and replaced whole, by its continuation, at the end."""
    for flag, path in outputs.items():
        for other, other_path in outputs.items():
            if other < flag and same_file(path, other_path):
                raise DataError(f"{path}: {other} and {flag} name the same file; give each its own")
        for source, files in inputs.items():
            if (flag, source) == ("--save", "--resume"):
                continue
            if any(file.exists() and same_file(path, file) for file in files):
                raise DataError(f"{path}: {flag} would overwrite a file that {source} reads; write elsewhere")


def _train(trainer: Trainer, iterations: int, quiet: bool, stop: StopRequest) -> None:
    """Run `iterations` steps with a progress bar. A stop signal (Ctrl-C, TERM, HUP) ends the run
    between two steps, never inside one, so what is saved afterwards resumes exactly."""
    every = trainer.config.eval_every
    with tqdm(total=iterations, unit="it", file=sys.stderr, disable=quiet, dynamic_ncols=True) as bar:
        for _ in range(iterations):
            if stop:
                break
            trainer.step()
            if trainer.divergence:
                break
            bar.update(1)
            if trainer.iteration % every == 0:
                loss, acc = trainer.history["train_loss"][-1], trainer.history["train_accuracy"][-1]
                bar.set_postfix(loss=f"{loss:.4f}", acc=f"{acc:.2%}", refresh=False)
                if not quiet:
                    bar.write(_progress_line(trainer), file=sys.stdout)


def _progress_line(trainer: Trainer) -> str:
    """Loss and accuracies at the current parameters (all measured after the same updates)."""
    h = trainer.history
    dev = f"{h['dev_accuracy'][-1]:7.2%}" if trainer.dev is not None else "      -"
    loss, acc = h["train_loss"][-1], h["train_accuracy"][-1]
    return f"iteration {trainer.iteration:7d}  loss {loss:.4f}  train acc {acc:7.2%}  dev acc {dev}"


def _closing_line(s: dict) -> str:
    """Where the run ended, on the whole training and dev sets (not the last batch)."""

    def pair(name: str) -> str:
        loss, acc = s[f"{name}_loss"], s[f"{name}_accuracy"]
        return "" if loss is None else f"  {name} loss {loss:.4f} acc {acc:.2%}"

    speed = f"{s['iterations_per_second']:,.1f} it/s" if s["iterations_per_second"] else "no iterations"
    return f"done: iteration {s['iterations']}{pair('train')}{pair('dev')}{pair('test')}  ({speed})"


def _summary(trainer: Trainer, setup: Setup, test_data, seconds: float, done: int) -> dict:
    def metrics(examples: Examples | None) -> tuple[float | None, float | None]:
        """Loss and accuracy on `examples`; null in JSON where there are none or they are not finite."""
        if examples is None:
            return None, None
        return tuple(value if math.isfinite(value) else None for value in trainer.evaluate(examples))

    train_loss, train_acc = metrics(trainer.train)
    dev_loss, dev_acc = metrics(trainer.dev)
    test = Examples.from_pixels(test_data.images, test_data.labels) if test_data else None
    test_loss, test_acc = metrics(test)
    config = trainer.config
    return {
        "iterations": trainer.iteration,
        "alpha": trainer.alpha,
        "hidden": config.hidden,
        "init": config.init,
        "batch_size": trainer.batch_size,
        "full_batch": trainer.batch_size == trainer.train.m,
        "seed": config.seed,
        "data": setup.data,
        "train_examples": trainer.train.m,
        "dev_examples": trainer.dev.m if trainer.dev else 0,
        "test_examples": test.m if test else None,
        "train_loss": train_loss,
        "train_accuracy": train_acc,
        "dev_loss": dev_loss,
        "dev_accuracy": dev_acc,
        "test_loss": test_loss,
        "test_accuracy": test_acc,
        **_by_digit("dev", trainer, trainer.dev),
        **_by_digit("test", trainer, test),
        "seconds": seconds,
        "iterations_per_second": done / seconds if seconds > 0 else None,
    }


def _by_digit(name: str, trainer: Trainer, examples: Examples | None) -> dict:
    """The confusion matrix (10 x 10 counts, rows = true digit, columns = predicted) and each digit's
    accuracy (null for a digit with no examples: JSON has no NaN)."""
    if examples is None:
        return {f"{name}_confusion": None, f"{name}_accuracy_per_digit": None}
    evaluation = trainer.evaluation(examples)
    per_digit = [None if np.isnan(share) else float(share) for share in evaluation.accuracy_per_digit]
    return {f"{name}_confusion": evaluation.confusion.tolist(), f"{name}_accuracy_per_digit": per_digit}
