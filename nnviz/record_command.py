"""`nnviz record`: a view photographed at every STEP iterations of a run, as a GIF or an MP4, headless.

The window is the one `nnviz --screenshot` photographs (offscreen, from the default settings and the
options given), and it draws only the pauses the recording makes: the same seed gives the same
frames, whatever the machine's speed (byte for byte in a GIF).
"""

from __future__ import annotations

import os
import sys
from argparse import Namespace
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from nnviz.animation import Animation, check_can_write
from nnviz.data import DataError
from nnviz.exit_codes import EXIT_DIVERGED, EXIT_OK
from nnviz.files import check_writable

EXIT_ERROR = 1  # a bug in the training thread, as `nnviz --screenshot` ends on one
MAX_FRAMES = 10_000
SIZE_RANGE = (16, 7680)
DEFAULT_SIZE = (1280, 720)


@dataclass(frozen=True)
class IterationRange:
    """A:B:STEP: the iterations A, A + STEP, ... up to B (B itself when the steps land on it)."""

    start: int
    stop: int
    step: int

    def iterations(self) -> range:
        return range(self.start, self.stop + 1, self.step)


def iteration_range(text: str) -> IterationRange:
    """Parse A:B:STEP (or A:B, every iteration); a ValueError says what is wrong with it."""
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"{text!r} is not A:B:STEP (e.g. 0:500:5)")
    try:
        start, stop, step = (int(part) for part in [*parts, "1"][:3])
    except ValueError:
        raise ValueError(f"{text!r}: A, B and STEP must be whole numbers (e.g. 0:500:5)") from None
    if start < 0:
        raise ValueError(f"{text}: the first iteration must be at least 0")
    if stop < start:
        raise ValueError(f"{text}: the last iteration ({stop}) comes before the first ({start})")
    if step < 1:
        raise ValueError(f"{text}: the step must be at least 1")
    frames = len(range(start, stop + 1, step))
    if frames > MAX_FRAMES:
        raise ValueError(f"{text}: {frames:,} frames; at most {MAX_FRAMES:,} (take a larger step)")
    return IterationRange(start, stop, step)


def frame_size(text: str) -> tuple[int, int]:
    """Parse WxH (e.g. 1280x720); a ValueError says what is wrong with it."""
    width, _, height = text.lower().partition("x")
    try:
        size = int(width), int(height)
    except ValueError:
        raise ValueError(f"{text!r} is not WIDTHxHEIGHT (e.g. 1280x720)") from None
    low, high = SIZE_RANGE
    if not all(low <= side <= high for side in size):
        raise ValueError(f"{text}: width and height must be from {low} to {high}")
    return size


def run_record(options: Namespace) -> int:
    out = Path(options.out)
    size = options.size
    check_can_write(out, size)
    if problem := check_writable(out):
        raise DataError(f"{out}: cannot write here: {problem}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless unless told otherwise

    from PySide6.QtCore import QEvent, QSize

    from nnviz.ui.app import open_window, scripted_view
    from nnviz.ui.recording import Photographer, rgb_array, stage_alone

    animation = Animation(out, options.fps)
    with open_window(options, scripted=True) as (app, window):
        view = scripted_view(window, options.view)
        window.pacer.pauses_only = True
        if options.lecture:
            window.presentation.set_lecture_mode(True)
        window.show()
        stage_alone(window, view, QSize(*size))
        photographer = Photographer(window, view, options.iterations.iterations(), QSize(*size))
        bar = tqdm(total=photographer.total, unit="frame", file=sys.stderr, disable=options.quiet)
        ending: dict[str, object] = {}

        def add(image, iteration: int) -> None:
            animation.add(rgb_array(image))
            bar.update(1)
            bar.set_postfix(iteration=iteration, refresh=False)

        def finished(snapshot) -> None:
            ending["snapshot"] = snapshot
            app.exit(0)

        photographer.photographed.connect(add)
        photographer.finished.connect(finished)
        photographer.start()
        try:
            app.exec()
        finally:
            bar.close()
            window.close()
            if view is not window:
                view.close()
            window.deleteLater()  # now, not when the interpreter tears Qt down in no set order
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return _write(animation, ending.get("snapshot"), options.quiet)


def _write(animation: Animation, stopped, quiet: bool) -> int:
    """Write what was recorded, and say why it is short if it is."""
    if stopped is not None and stopped.error:
        animation.discard()
        print(f"nnviz: error: training stopped: {stopped.error}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    try:
        animation.close()
    except OSError as err:
        raise DataError(f"{animation.path}: cannot write it ({err.strerror})") from err
    width, height = animation.size
    if not quiet:
        print(f"saved {animation.path}: {animation.frames} frames, {width}x{height}", file=sys.stderr)
    if stopped is not None and stopped.divergence:
        print(f"nnviz: {stopped.divergence.message()}; the recording ends there", file=sys.stderr)
        return EXIT_DIVERGED
    return EXIT_OK
