"""A long curve as the lowest and highest value of each block of points, kept up to date as it grows.

pyqtgraph's peak downsampling draws the same envelope, but computes it from every point on every
frame: at a million mini-batch iterations that is most of a frame. Here only new points are
reduced, and the block doubles whenever there would be more than MOST_BLOCKS, so a frame costs
the same at iteration 1,000,000 as at 10,000 (BENCHMARKS.md).
"""

from __future__ import annotations

import numpy as np

MOST_BLOCKS = 4096  # two points each: more than a screen's pixel columns, so nothing is lost to the eye


class Envelope:
    """Low/high pairs of a series that only grows: `of(x, y)` returns what to draw for it."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.block = 1
        self._low = self._high = self._starts = np.empty(0)

    def of(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each block's low and high at its first x, then the last incomplete block's points as they are."""
        if y.size < self._low.size * self.block:  # not the series seen so far: start again
            self.reset()
        while y.size // self.block > MOST_BLOCKS:
            self.block *= 2
            self._low = self._high = self._starts = np.empty(0)  # rebuilt below, once per doubling
        done = self._low.size * self.block
        complete = y.size // self.block * self.block
        if complete > done:
            new = y[done:complete].reshape(-1, self.block)
            self._low = np.concatenate([self._low, new.min(axis=1)])
            self._high = np.concatenate([self._high, new.max(axis=1)])
            self._starts = np.concatenate([self._starts, x[done : complete : self.block]])
        if self.block == 1:
            return x, y
        xs = np.concatenate([np.repeat(self._starts, 2), x[complete:]])
        ys = np.concatenate([np.column_stack([self._low, self._high]).ravel(), y[complete:]])
        return xs, ys
