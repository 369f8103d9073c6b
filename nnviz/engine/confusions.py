"""The confusion matrix of past evaluations, kept compactly and within a fixed bound.

One (10, 10) int32 matrix per evaluation in one growing array (400 bytes each). A run of
1,000,000 iterations evaluated every 10 would want 100,000 of them (40 MB); instead, once
MAX_KEPT are held, every other one is let go and from then on only every second evaluation is
kept (later every fourth, ...): the matrices stay evenly spread over the whole run, at most
MAX_KEPT of them (3.3 MB), and the first is always kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.network import OUTPUTS

MAX_KEPT = 8192
FIRST_CAPACITY = 256


@dataclass(frozen=True)
class PastConfusions:
    """Read-only views: iterations (n,) ascending, and the matrix of each (n, 10, 10)."""

    iterations: np.ndarray
    matrices: np.ndarray

    def __len__(self) -> int:
        return self.iterations.size

    def at(self, iteration: int) -> int:
        """The position of the last kept evaluation at or before `iteration` (0 if none is)."""
        return max(int(np.searchsorted(self.iterations, iteration, side="right")) - 1, 0)


class ConfusionHistory:
    """Appended to by the training thread; `views` may be read from another thread meanwhile,
    because appending writes only past the end of a view already taken, and growing or thinning
    writes into a new buffer."""

    def __init__(self, max_kept: int = MAX_KEPT) -> None:
        self.max_kept = max_kept
        self._iterations = np.empty(min(FIRST_CAPACITY, max_kept), dtype=np.int64)
        self._matrices = np.empty((self._iterations.size, OUTPUTS, OUTPUTS), dtype=np.int32)
        self.size = 0
        self.stride = 1  # keep every stride-th evaluation
        self._offered = 0  # evaluations offered so far

    def record(self, iteration: int, confusion: np.ndarray) -> None:
        offered, self._offered = self._offered, self._offered + 1
        if offered % self.stride:
            return
        if self.size == self.max_kept:
            self._thin()
            if offered % self.stride:
                return
        if self.size == self._iterations.size:
            self._move(min(2 * self.size, self.max_kept), slice(0, self.size))
        self._iterations[self.size] = iteration
        self._matrices[self.size] = confusion
        self.size += 1

    def views(self) -> PastConfusions:
        iterations, matrices = self._iterations[: self.size], self._matrices[: self.size]
        iterations.flags.writeable = matrices.flags.writeable = False
        return PastConfusions(iterations, matrices)

    def roll_back(self, iteration: int) -> None:
        """Forget the evaluations after `iteration`: the updates they measured were undone."""
        kept = int(np.searchsorted(self._iterations[: self.size], iteration, side="right"))
        self._move(self._iterations.size, slice(0, kept))
        self._offered = self.size * self.stride

    def _thin(self) -> None:
        """Let every other matrix go (the first stays), and every other one to come."""
        self._move(self.max_kept, slice(0, self.size, 2))
        self.stride *= 2

    def _move(self, capacity: int, kept: slice) -> None:
        """Into new buffers of `capacity`, keeping the `kept` part: views already taken stay intact."""
        held_iterations = self._iterations[: self.size][kept]
        held_matrices = self._matrices[: self.size][kept]
        self.size = held_iterations.size
        self._iterations = np.empty(capacity, dtype=np.int64)
        self._matrices = np.empty((capacity, OUTPUTS, OUTPUTS), dtype=np.int32)
        self._iterations[: self.size], self._matrices[: self.size] = held_iterations, held_matrices
