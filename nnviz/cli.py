"""`nnviz` opens the window; `nnviz train` and `nnviz data ...` drive the same engine without one."""

from __future__ import annotations

import argparse
import functools
import math
import re
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

from nnviz import __version__
from nnviz.errors import UserError
from nnviz.exit_codes import EXIT_USAGE, exit_interrupted
from nnviz.stop_signals import signal_of, stop_signals_raise

# Only the standard library and nnviz's light modules are imported here: numpy, Qt and the rest
# load inside main(), so a Ctrl-C while they load ends in one line, not a traceback.


class OneLineParser(argparse.ArgumentParser):
    """Bad usage ends with one line on stderr and exit code 2, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def one_line(message: object) -> str:
    """The message on one line whatever it quotes: a newline in a file name shows as \\n."""
    return re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", lambda control: repr(control[0])[1:-1], str(message))


def _path(text: str) -> str:
    """A path as given; an empty one names no file (it must not mean "none" or "here")."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path names no file")
    return text


def _number(kind: type, *, low: float, high: float = math.inf):
    what = "a whole number" if kind is int else "a number"

    def shown(limit: float) -> str:
        if kind is int:
            return f"{limit:,}" if limit >= 10_000 else str(limit)
        return f"{limit:g}"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not math.isfinite(value) or not low <= value <= high:
            upper = "" if high == math.inf else f" and at most {shown(high)}"
            raise argparse.ArgumentTypeError(f"{text} must be at least {shown(low)}{upper}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


def _batch_size(text: str) -> int | str:
    """A number of examples, or 'full' (any case)."""
    from nnviz.engine.trainer import BATCH_SIZE_RANGE

    if text.lower() == "full":
        return "full"
    low, high = BATCH_SIZE_RANGE
    try:
        return _number(int, low=low, high=high)(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a whole number from {low} to {high:,} nor 'full'"
        ) from None


def _parsed_by(parse):
    """An argparse type from a parser that raises ValueError with the reason."""

    def typed(text: str):
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    typed.__name__ = parse.__name__
    return typed


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by the window and `nnviz train`, given before or after `train` alike.

    Not given, an option is absent (SUPPRESS), so `train`'s parser cannot overwrite one that
    came before it; absent means: the default, the checkpoint's, or the last session's.
    """
    from nnviz.data import DOWNLOADED, EMBEDDED
    from nnviz.engine.network import INITS
    from nnviz.engine.trainer import ALPHA_RANGE, HIDDEN_RANGE, SEED_RANGE

    add = functools.partial(parser.add_argument, default=argparse.SUPPRESS)
    add(
        "--data",
        type=_path,
        help=f"training data: {EMBEDDED} (embedded, default), {DOWNLOADED} (after "
        "`nnviz data download mnist`), or a path to IDX files, a .csv or an .npz",
    )
    add("--dev-size", type=_number(int, low=0), help="examples held out as dev set (default 1000)")
    add(
        "--hidden",
        type=_number(int, low=HIDDEN_RANGE[0], high=HIDDEN_RANGE[1]),
        help="hidden units h (default 10)",
    )
    add(
        "--alpha",
        type=_number(float, low=ALPHA_RANGE[0], high=ALPHA_RANGE[1]),
        help="learning rate (default 0.1)",
    )
    add("--batch-size", type=_batch_size, help="examples per iteration, or 'full' (default)")
    add("--init", choices=INITS, help="weight initialisation (default he)")
    add("--seed", type=_number(int, low=SEED_RANGE[0], high=SEED_RANGE[1]), help="random seed (default 0)")


def build_parser() -> argparse.ArgumentParser:
    from nnviz.data import DOWNLOADED, EMBEDDED, MIRRORS
    from nnviz.engine.trainer import EVAL_EVERY_RANGE

    parser = OneLineParser(prog="nnviz", description="Watch a two-layer numpy network learn MNIST.")
    parser.add_argument("--version", action="version", version=f"nnviz {__version__}")
    _add_run_options(parser)
    parser.add_argument(
        "--screenshot", type=_path, metavar="FILE.png", help="save a picture of the window and exit"
    )
    parser.add_argument(
        "--after",
        type=_number(int, low=0),
        default=0,
        metavar="N",
        help="with --screenshot: iterations to run first",
    )
    parser.add_argument(
        "--view",
        default="window",
        metavar="NAME",
        help="with --screenshot: the view to photograph (window, loss, filters, ...; default window)",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="{train,record,evaluate,predict,data}", parser_class=OneLineParser
    )

    train = commands.add_parser("train", help="train without a window", description="Train without a window.")
    _add_run_options(train)
    train.add_argument("--test", type=_path, help="test data (path, or mnist) for a final test accuracy")
    train.add_argument(
        "--iterations",
        type=_number(int, low=0),
        default=500,
        help="iterations to run (default 500)",
    )
    train.add_argument(
        "--eval-every",
        type=_number(int, low=EVAL_EVERY_RANGE[0], high=EVAL_EVERY_RANGE[1]),
        help="print and evaluate dev every K iterations (default 10)",
    )
    train.add_argument("--save", type=_path, metavar="CKPT", help="write a checkpoint (.npz) at the end")
    train.add_argument(
        "--resume", type=_path, metavar="CKPT", help="continue the run saved in this checkpoint"
    )
    train.add_argument(
        "--at",
        type=_number(int, low=0),
        metavar="N",
        help="with --resume: continue from the run's iteration N (rebuilt exactly), not its last",
    )
    train.add_argument("--metrics-csv", type=_path, metavar="FILE", help="write per-iteration metrics as CSV")
    train.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    train.add_argument("--quiet", action="store_true", help="no progress bar or progress lines")

    _add_record_parser(commands)

    evaluate = commands.add_parser(
        "evaluate",
        help="a saved network on every example of a data set",
        description="Loss, accuracy, confusion matrix and accuracy per digit of a checkpoint's network "
        "on every example of a data set (no dev split held out).",
    )
    evaluate.add_argument("--checkpoint", required=True, metavar="CKPT", help="a checkpoint (.npz)")
    evaluate.add_argument("--data", required=True, metavar="PATH", help=f"a path, {EMBEDDED} or {DOWNLOADED}")
    evaluate.add_argument(
        "--part",
        choices=("train", "test"),
        default="train",
        help="which part of an IDX directory or Keras .npz",
    )
    evaluate.add_argument("--json", action="store_true", help="one JSON object instead of a table")

    data = commands.add_parser(
        "data", help="inspect or download data", description="Inspect or download data."
    )
    data_commands = data.add_subparsers(
        dest="data_command", metavar="{info,download}", required=True, parser_class=OneLineParser
    )
    info = data_commands.add_parser("info", help="count the examples in a data file")
    info.add_argument("path", type=_path, help=f"a path, {EMBEDDED} or {DOWNLOADED}")
    info.add_argument(
        "--part",
        choices=("train", "test"),
        default="train",
        help="which part of an IDX directory or Keras .npz",
    )
    download = data_commands.add_parser("download", help="download full MNIST (70,000 digits)")
    download.add_argument("dataset", choices=(DOWNLOADED,))
    download.add_argument(
        "--mirror",
        action="append",
        metavar="URL",
        help=f"base URL to fetch from instead of {MIRRORS[0]} and the others (repeatable)",
    )
    predict = commands.add_parser(
        "predict",
        help="classify pictures of digits with a saved network",
        description="Classify pictures of handwritten digits (PNG, JPEG, ...; dark on light or light "
        "on dark, any size) with a network saved by `nnviz train --save`.",
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="picture files, one digit each")
    predict.add_argument("--checkpoint", required=True, metavar="CKPT", help="a checkpoint (.npz)")
    predict.add_argument("--json", action="store_true", help="one JSON object per line per image")
    return parser


def _add_record_parser(commands) -> None:
    from nnviz.animation import FPS_RANGE
    from nnviz.record_command import DEFAULT_SIZE, frame_size, iteration_range

    record = commands.add_parser(
        "record",
        help="record a view over a range of iterations as a GIF or MP4, headless",
        description="Train from the start and photograph a view (as `nnviz --screenshot --view` does) at "
        "iterations A, A+STEP, ... up to B, into an animated GIF or an MP4 (MP4: pip install "
        '"nnviz[video]"). The same seed gives the same frames.',
    )
    _add_run_options(record)
    record.add_argument(
        "--out", required=True, type=_path, metavar="FILE.gif|FILE.mp4", help="where to write"
    )
    record.add_argument(
        "--view",
        default="filters",
        metavar="NAME",
        help="the view to record: filters (default), loss, window, ...",
    )
    record.add_argument(
        "--iterations",
        required=True,
        type=_parsed_by(iteration_range),
        metavar="A:B:STEP",
        help="a frame at iterations A, A+STEP, ... up to B (e.g. 0:500:5)",
    )
    width, height = DEFAULT_SIZE
    record.add_argument(
        "--size",
        type=_parsed_by(frame_size),
        default=DEFAULT_SIZE,
        metavar="WxH",
        help=f"the frames' size in pixels (default {width}x{height})",
    )
    record.add_argument("--lecture", action="store_true", help="in lecture-hall mode's look")
    record.add_argument(
        "--fps",
        type=_number(int, low=FPS_RANGE[0], high=FPS_RANGE[1]),
        default=10,
        metavar="N",
        help="frames per second of the animation (default 10)",
    )
    record.add_argument("--quiet", action="store_true", help="no progress bar")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except KeyboardInterrupt as interrupt:  # also SIGTERM and SIGHUP: nothing half-written is left
        signum = signal_of(interrupt)
        print(f"nnviz: interrupted{'' if signum == signal.SIGINT else f' ({interrupt})'}", file=sys.stderr)
        return exit_interrupted(signum)


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from nnviz.allocator import keep_freed_memory

    keep_freed_memory()
    try:
        if args.command == "train":
            from nnviz.train_command import run_train

            with stop_signals_raise():
                return run_train(args)
        if args.command == "record":
            from nnviz.record_command import run_record

            return run_record(args)
        if args.command == "evaluate":
            from nnviz.evaluate_command import run_evaluate

            return run_evaluate(args)
        if args.command == "data":
            from nnviz.data_command import run_data

            with stop_signals_raise():
                return run_data(args)
        if args.command == "predict":
            from nnviz.predict_command import run_predict

            with stop_signals_raise():
                return run_predict(args)
        from nnviz.ui.app import run_app

        return run_app(args)
    except UserError as err:
        print(f"nnviz: error: {one_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print(
            "nnviz: error: not enough memory for this (try smaller data or fewer hidden units)",
            file=sys.stderr,
        )
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
