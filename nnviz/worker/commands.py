"""What the controls can ask of the training thread. Applied between iterations, never inside one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nnviz.engine.trainer import Iteration, Trainer


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
    data or a Step in between) nor be applied with another alpha than the one shown.
    """

    expect: Iteration | None = None
    alpha: float | None = None


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
