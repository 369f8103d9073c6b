"""What the controls can ask of the training thread. Applied between iterations, never inside one.

`TrainingWorker.send` numbers every command; each snapshot says up to which number the worker has
handled them (`Snapshot.acknowledged`), so the window (and a test) knows when a command took effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from nnviz.data import Dataset
from nnviz.engine.trainer import Iteration
from nnviz.session import Setup


@dataclass(frozen=True)
class Start:
    until: int | None = None  # pause by itself once this many iterations are done


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Toggle:
    """Start if paused, pause if running: decided by the worker, which knows, not by a frame that
    may be a few milliseconds old (two quick presses must not both mean Start)."""


@dataclass(frozen=True)
class Step:
    """Exactly one iteration; only while paused.

    With `expect` (and the alpha it was shown with), only if that very Iteration is still the
    next one: a walked-through iteration must never become a different one (after a reset, new
    data or a Step in between) nor be applied with another alpha than the one shown (it is then
    not applied at all).
    """

    expect: Iteration | None = None
    alpha: float | None = None


@dataclass(frozen=True)
class Rewind:
    """Show the run as it was at iteration `to`, or `by` iterations from the one shown (pausing it):
    the parameters are rebuilt exactly in the training thread, and every view shows them. The run
    itself is kept whole until it is continued from there (Start, or a Step another than the one it
    took): then what came after is dropped. Beyond either end it stops at the end."""

    to: int | None = None
    by: int = 0


@dataclass(frozen=True)
class SetAlpha:
    alpha: float


@dataclass(frozen=True)
class SetSpeedLimit:
    per_second: float | None  # None: as fast as the machine goes


@dataclass(frozen=True, eq=False)
class Choose:
    """The example the views follow: one of a split (by position), or a drawn digit (784 pixels,
    0-255, and the digit it is meant to be if the user said so: `label`). Snapshots carry it through
    the network at their parameters.

    `next_mistake`: instead, the first example of the split from `index` on (going round) that the
    network gets wrong at the moment the command is handled; if it gets all right, nothing changes.
    """

    split: Literal["dev", "train"] = "dev"
    index: int = 0
    pixels: np.ndarray | None = None
    label: int | None = None  # of a drawing; a split's examples have their own
    next_mistake: bool = False


@dataclass(frozen=True)
class Evaluate:
    """The split whose every example the views look at (the confusion matrix and its gallery): dev
    is evaluated every K iterations anyway; the training split then too, while it is asked for."""

    split: Literal["dev", "train"] = "dev"


@dataclass(frozen=True)
class Replace:
    """Start over: a reset, new settings or new data. The training thread loads the data (unless
    it is the data in use, or `data` already holds it), splits it and builds the new run; the
    window stays live meanwhile. A newer Replace waiting behind this one supersedes it.

    Data that cannot be used (a bad file, a dev set larger than the data) is refused in one line
    (`Snapshot.refusal`) and the current run goes on; at start-up, when there is no current run,
    `fallback` is built instead.
    """

    setup: Setup
    reload: bool = False  # read the file again even if it is the one in use (File > Open)
    data: Dataset | None = None  # already loaded (at start-up, before the window opened)
    fallback: Setup | None = None


Command = Start | Pause | Toggle | Step | Rewind | SetAlpha | SetSpeedLimit | Replace | Choose | Evaluate
