"""What the controls can ask of the training thread. Applied between iterations, never inside one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nnviz.engine.trainer import Trainer


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

    With `expect`, only if that is the number of the next iteration: applying a walked-through
    iteration must never apply a different one (after a reset in between, say).
    """

    expect: int | None = None


@dataclass(frozen=True)
class SetAlpha:
    alpha: float


@dataclass(frozen=True)
class SetSpeedLimit:
    per_second: float | None  # None: as fast as the machine goes


@dataclass(frozen=True)
class Replace:
    """Start over with a new trainer (reset, new settings or data), built in the training thread."""

    build: Callable[[], Trainer]


Command = Start | Pause | Toggle | Step | SetAlpha | SetSpeedLimit | Replace
